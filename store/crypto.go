package store

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	gosync "sync"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// KDFParams are the argon2id costs that turn a password into the key that
// unwraps the profile's data key.
type KDFParams struct {
	Time    uint32 `json:"t"`
	MemKiB  uint32 `json:"m"`
	Threads uint8  `json:"p"`
}

// DefaultKDF costs about 130 ms and 64 MiB on the reference machine, so that
// each guess at a stolen profile's password is slow.
var DefaultKDF = KDFParams{Time: 6, MemKiB: 64 * 1024, Threads: 2}

// TestKDF is cheap, for tests only.
var TestKDF = KDFParams{Time: 1, MemKiB: 64, Threads: 1}

// keySlot is one way to unlock the data key: the key derived from a
// password with these parameters unwraps Wrapped. Slots are kept in the
// clear in MetaBucket; they hold nothing personal.
type keySlot struct {
	KDF     string    `json:"kdf"`
	Params  KDFParams `json:"params"`
	Salt    []byte    `json:"salt"`
	Wrapped []byte    `json:"wrapped"` // nonce (24) | sealed data key
}

const kdfArgon2id = "argon2id"

func newKeySlot(name string, dataKey []byte, password string, p KDFParams, rnd io.Reader) (keySlot, error) {
	s := keySlot{KDF: kdfArgon2id, Params: p, Salt: make([]byte, 16)}
	if _, err := io.ReadFull(rnd, s.Salt); err != nil {
		return s, err
	}
	aead, err := chacha20poly1305.NewX(s.kek(password))
	if err != nil {
		return s, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(dataKey)+aead.Overhead())
	if _, err := io.ReadFull(rnd, nonce); err != nil {
		return s, err
	}
	s.Wrapped = aead.Seal(nonce, nonce, dataKey, []byte(slotPrefix+name))
	return s, nil
}

func (s keySlot) kek(password string) []byte {
	return argon2.IDKey([]byte(password), s.Salt, s.Params.Time, s.Params.MemKiB, s.Params.Threads, 32)
}

// errWrongKey means the password did not unwrap the slot.
var errWrongKey = errors.New("wrong key")

func (s keySlot) unwrap(name, password string) ([]byte, error) {
	if s.KDF != kdfArgon2id || s.Params.Time == 0 || s.Params.Threads == 0 || len(s.Wrapped) < 24 {
		return nil, fmt.Errorf("key slot %s: unknown kind %q", name, s.KDF)
	}
	aead, err := chacha20poly1305.NewX(s.kek(password))
	if err != nil {
		return nil, err
	}
	key, err := aead.Open(nil, s.Wrapped[:24], s.Wrapped[24:], []byte(slotPrefix+name))
	if err != nil {
		return nil, errWrongKey
	}
	return key, nil
}

func (s keySlot) marshal() []byte {
	b, _ := json.Marshal(s)
	return b
}

// Keyring holds the keys derived from the data key: one to seal values, one
// to hash index keys, one to link the audit trail (audit.go). Deriving them
// separately (HKDF) means a leak of hashes says nothing about the sealing
// key.
type Keyring struct {
	aead     cipher.AEAD
	hashKey  []byte
	hmacs    gosync.Pool
	auditKey []byte
	rnd      io.Reader
}

func newKeyring(dataKey []byte, rnd io.Reader) (*Keyring, error) {
	if len(dataKey) != 32 {
		return nil, fmt.Errorf("data key of %d bytes", len(dataKey))
	}
	// HKDF-SHA256 of the data key per purpose: one extract, an expand each.
	prk := hkdf.Extract(sha256.New, dataKey, nil)
	derive := func(info string) []byte {
		k := make([]byte, 32)
		if _, err := io.ReadFull(hkdf.Expand(sha256.New, prk, []byte(info)), k); err != nil {
			panic(err) // HKDF-SHA256 cannot fail for 32 bytes
		}
		return k
	}
	aead, err := chacha20poly1305.NewX(derive("dossier values v1"))
	if err != nil {
		return nil, err
	}
	k := &Keyring{aead: aead, hashKey: derive("dossier index v1"), auditKey: derive("dossier audit v1"), rnd: rnd}
	k.hmacs.New = func() any { return &keyedHash{h: hmac.New(sha256.New, k.hashKey)} }
	return k, nil
}

// Seal encrypts plain for the given bucket and key: nonce (24) | ciphertext.
// The bucket and key are authenticated, so a value moved to another key
// fails to open.
func (k *Keyring) Seal(bucket, key, plain []byte) ([]byte, error) {
	out := make([]byte, 24, 24+len(plain)+k.aead.Overhead())
	if _, err := io.ReadFull(k.rnd, out); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return k.aead.Seal(out, out, plain, aad(bucket, key)), nil
}

// Open decrypts a value written by seal, appending to dst.
func (k *Keyring) Open(dst, bucket, key, sealed []byte) ([]byte, error) {
	if len(sealed) < 24+k.aead.Overhead() {
		return nil, errCorruptValue
	}
	out, err := k.aead.Open(dst, sealed[:24], sealed[24:], aad(bucket, key))
	if err != nil {
		return nil, errCorruptValue
	}
	return out, nil
}

var errCorruptValue = errors.New("a stored value does not decrypt")

// OpenReusing is Open for loops that open many values: the authenticated
// data is built in *ad, whose space the next call reuses.
func (k *Keyring) OpenReusing(dst []byte, ad *[]byte, bucket, key, sealed []byte) ([]byte, error) {
	if len(sealed) < 24+k.aead.Overhead() {
		return nil, errCorruptValue
	}
	a := append(append(append((*ad)[:0], bucket...), 0), key...)
	*ad = a
	out, err := k.aead.Open(dst, sealed[:24], sealed[24:], a)
	if err != nil {
		return nil, errCorruptValue
	}
	return out, nil
}

func aad(bucket, key []byte) []byte {
	a := make([]byte, 0, len(bucket)+1+len(key))
	a = append(a, bucket...)
	a = append(a, 0)
	return append(a, key...)
}

// Hash is the keyed hash of a value of the given kind, truncated to 8
// bytes: enough to keep false matches rare (each is checked against the
// decrypted record anyway), short enough to keep indexes small.
func (k *Keyring) Hash(kind byte, value string) [8]byte {
	kh := k.hmacs.Get().(*keyedHash)
	kh.h.Reset()
	kh.in = append(append(kh.in[:0], kind), value...)
	kh.h.Write(kh.in)
	kh.h.Sum(kh.sum[:0])
	var out [8]byte
	copy(out[:], kh.sum[:8])
	if cap(kh.in) > 1<<10 {
		kh.in = nil // a long value's buffer is not kept for the short ones
	}
	k.hmacs.Put(kh)
	return out
}

// keyedHash is one HMAC of the pool with the buffers it hashes from and
// into: a value and a sum handed to the hash.Hash interface escape, and
// each cost an allocation, eight or so a command on the server.
type keyedHash struct {
	h   hash.Hash
	in  []byte
	sum [sha256.Size]byte
}

// NameChainLen is how many leading characters of a name word the name index
// can tell apart; longer searches are checked against the decrypted name.
const NameChainLen = 8

// NameChain encodes a folded name word so that prefix search works without
// the name in clear: byte i is a keyed hash of the word's first i+1
// characters. A search for "cot" looks up the 3-byte prefix
// [h("c"), h("co"), h("cot")], which every word starting with "cot" shares.
// Unused trailing bytes are zero.
func (k *Keyring) NameChain(word string) [NameChainLen]byte {
	var out [NameChainLen]byte
	i := 0
	for end := range word {
		if end == 0 {
			continue
		}
		if i == NameChainLen {
			return out
		}
		h := k.Hash(hashName, word[:end])
		out[i] = h[0]
		i++
	}
	if i < NameChainLen {
		h := k.Hash(hashName, word)
		out[i] = h[0]
	}
	return out
}

package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"io"
	"strings"
	"testing"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// TestKeyringKeysStay: the keys derived from a data key are HKDF-SHA256's
// for each purpose, as profiles already written were sealed with.
func TestKeyringKeysStay(t *testing.T) {
	dataKey := bytes.Repeat([]byte{7}, 32)
	want := func(info string) []byte {
		k := make([]byte, 32)
		if _, err := io.ReadFull(hkdf.New(sha256.New, dataKey, nil, []byte(info)), k); err != nil {
			t.Fatal(err)
		}
		return k
	}
	k, err := newKeyring(dataKey, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.hashKey, want("dossier index v1")) || !bytes.Equal(k.auditKey, want("dossier audit v1")) {
		t.Error("index or audit key changed")
	}
	sealed, err := k.Seal([]byte("b"), []byte("k"), []byte("value"))
	if err != nil {
		t.Fatal(err)
	}
	aead, _ := chacha20poly1305.NewX(want("dossier values v1"))
	if plain, err := aead.Open(nil, sealed[:24], sealed[24:], aad([]byte("b"), []byte("k"))); err != nil || string(plain) != "value" {
		t.Errorf("value key changed: %q, %v", plain, err)
	}
}

// TestKeyedHashStays: an index key is the first 8 bytes of HMAC-SHA256
// over the kind and the value, as indexes already written hold it, from
// the pooled hash as from a new one, a long value in between; and it
// costs no allocation (it runs eight or so times a command).
func TestKeyedHashStays(t *testing.T) {
	k, err := newKeyring(bytes.Repeat([]byte{7}, 32), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	want := func(kind byte, v string) [8]byte {
		m := hmac.New(sha256.New, k.hashKey)
		m.Write(append([]byte{kind}, v...))
		var out [8]byte
		copy(out[:], m.Sum(nil))
		return out
	}
	for _, v := range []string{"côté", "", strings.Repeat("long ", 400), "x", "côté"} {
		if got := k.Hash(3, v); got != want(3, v) {
			t.Errorf("Hash(3, %.10q) = %x, want %x", v, got, want(3, v))
		}
	}
	if raceEnabled {
		return
	}
	if n := testing.AllocsPerRun(100, func() { k.Hash(1, "elodie.cote@example.ca") }); n != 0 {
		t.Errorf("Hash allocates %.0f times", n)
	}
}

package account

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"dossier/domain"

	"golang.org/x/crypto/argon2"
)

// SecretParams are the argon2id costs for hashing a password, a PIN or a
// security answer. They are written into each hash, so they can be raised
// later without breaking older hashes.
type SecretParams struct {
	Time    uint32
	MemKiB  uint32
	Threads uint8
}

// DefaultSecretParams follow OWASP's argon2id guidance (19 MiB, 2 passes,
// one lane): about 30 ms here, slow enough that each guess costs, quick
// enough for a sign-in.
var DefaultSecretParams = SecretParams{Time: 2, MemKiB: 19 * 1024, Threads: 1}

// TestSecretParams are cheap costs for tests only.
var TestSecretParams = SecretParams{Time: 1, MemKiB: 64, Threads: 1}

// The salt and key lengths of every hash HashSecret makes.
const (
	SecretSaltLen = 16
	SecretKeyLen  = 32
)

// HashSecret hashes secret with argon2id and a fresh 16-byte salt from rnd,
// in the PHC string form ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func HashSecret(secret string, p SecretParams, rnd io.Reader) (string, error) {
	salt := make([]byte, SecretSaltLen)
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return "", fmt.Errorf("hash secret: %w", err)
	}
	sum := argon2.IDKey([]byte(secret), salt, p.Time, p.MemKiB, p.Threads, SecretKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.MemKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum)), nil
}

// SecretMatches reports whether secret hashes to hash, in constant time. A
// malformed hash matches nothing.
func SecretMatches(hash, secret string) bool {
	p, salt, want, ok := parseSecretHash(hash)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(secret), salt, p.Time, p.MemKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// ErrSecretParams is a hash a desk sent that was not made with the
// server's parameters: a hostile desk could otherwise plant a hash that
// takes seconds and gigabytes at each check.
var ErrSecretParams = domain.NewCode("account.secret.params", domain.KindInvalid)

// CheckSecretHash checks that hash is an argon2id hash made with exactly
// p, a SecretSaltLen-byte salt and a SecretKeyLen-byte key: the only hash
// a server stores for a desk (a password, a PIN, a security answer). It
// returns ErrSecretParams on field otherwise.
func CheckSecretHash(hash string, p SecretParams, field string) error {
	got, salt, sum, ok := parseSecretHash(hash)
	if !ok || got != p || len(salt) != SecretSaltLen || len(sum) != SecretKeyLen {
		return domain.FieldError(ErrSecretParams, field)
	}
	return nil
}

func parseSecretHash(hash string) (p SecretParams, salt, sum []byte, ok bool) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemKiB, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, false
	}
	if p.Time == 0 || p.Threads == 0 || p.MemKiB > 4<<20 || p.Time > 100 {
		return p, nil, nil, false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	sum, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(sum) == 0 || len(sum) > 64 {
		return p, nil, nil, false
	}
	return p, salt, sum, true
}

package account

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"dossier/domain"

	"golang.org/x/crypto/argon2"
)

// TestCheckSecretHash: the server takes a hash only when it was made with
// exactly its parameters, salt and key lengths.
func TestCheckSecretHash(t *testing.T) {
	server := DefaultSecretParams
	made := func(p SecretParams, saltLen, keyLen int) string {
		salt := make([]byte, saltLen)
		rand.Read(salt)
		sum := argon2.IDKey([]byte("Pass-word-123"), salt, p.Time, p.MemKiB, p.Threads, uint32(keyLen))
		b64 := base64.RawStdEncoding
		return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemKiB, p.Time, p.Threads,
			b64.EncodeToString(salt), b64.EncodeToString(sum))
	}
	good, err := HashSecret("Pass-word-123", server, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		hash string
		want domain.Code
	}{
		{"the server's own", good, ""},
		{"huge memory", "$argon2id$v=19$m=262144,t=10,p=1$c2FsdHNhbHRzYWx0c2FsdA$8hPSnpm1wHn2oYm6Pyvv3Aj9TYqlgCIMZk0Y8wW2e9s", ErrSecretParams},
		{"cheaper", made(TestSecretParams, SecretSaltLen, SecretKeyLen), ErrSecretParams},
		{"more passes", made(SecretParams{Time: 3, MemKiB: server.MemKiB, Threads: 1}, SecretSaltLen, SecretKeyLen), ErrSecretParams},
		{"more threads", made(SecretParams{Time: 2, MemKiB: server.MemKiB, Threads: 4}, SecretSaltLen, SecretKeyLen), ErrSecretParams},
		{"short salt", made(server, 4, SecretKeyLen), ErrSecretParams},
		{"long key", made(server, SecretSaltLen, 64), ErrSecretParams},
		{"argon2i", "$argon2i" + good[len("$argon2id"):], ErrSecretParams},
		{"empty", "", ErrSecretParams},
		{"plain text", "Pass-word-123", ErrSecretParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSecretHash(tt.hash, server, "password")
			if got := domain.ErrorCode(err); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPasswordMatches: a password the rule forbids never signs in, even
// when the stored hash is its hash (a hostile desk registered it).
func TestPasswordMatches(t *testing.T) {
	tests := []struct {
		name, password string
		want           bool
	}{
		{"allowed", "Pass-word-123", true},
		{"empty", "", false},
		{"too short", "ab1", false},
		{"letters only", "passwordpassword", false},
		{"the user ID", "dana.roy.123", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash, err := HashSecret(tt.password, TestSecretParams, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if got := PasswordMatches(hash, tt.password, "dana.roy.123"); got != tt.want {
				t.Fatalf("PasswordMatches = %v, want %v", got, tt.want)
			}
			if PasswordMatches(hash, tt.password+"x", "dana.roy.123") {
				t.Fatal("another password matched")
			}
		})
	}
	c := Credential{UserID: "dana.roy.123"}
	c.PasswordHash, _ = HashSecret("", TestSecretParams, rand.Reader)
	if _, err := SignIn(c, "", t0, DefaultPolicy); domain.ErrorCode(err) != ErrSignInFailed {
		t.Fatalf("empty password: %v, want %s", err, ErrSignInFailed)
	}
}

package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"io"
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

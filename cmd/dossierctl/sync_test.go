package main

import (
	"crypto/rand"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync/client"
)

// TestSyncAsksForTheFingerprint: `dossierctl sync --server` with no
// --fingerprint, to a server no authority vouches for, prints the
// fingerprint of the server's key and fails without sending anything —
// least of all DOSSIER_USER_PASSWORD.
func TestSyncAsksForTheFingerprint(t *testing.T) {
	var requests atomic.Int64
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		io.WriteString(w, "{}")
	}))
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	hs.StartTLS()
	defer hs.Close()
	fp := client.Fingerprint(hs.Certificate().Raw)

	dir := filepath.Join(t.TempDir(), "desk")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := programs.Create(store.ProfilePath(dir), "test password 1", store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	env := map[string]string{"DOSSIER_PASSWORD": "test password 1", "DOSSIER_USER": "dir.a",
		"DOSSIER_USER_PASSWORD": "the user's password"}
	r := dossierctl(t, env, "sync", "--data", dir, "--server", hs.URL, "--lang", "en")
	if r.code == 0 || !strings.Contains(r.stderr, "fingerprint of its key is "+fp) ||
		!strings.Contains(r.stderr, "--fingerprint "+fp) {
		t.Fatalf("sync with no fingerprint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("the server received %d requests", n)
	}
	r = dossierctl(t, env, "sync", "--data", dir, "--server", hs.URL, "--lang", "fr")
	if r.code == 0 || !strings.Contains(r.stderr, "L’empreinte de sa clé est "+fp) {
		t.Fatalf("in French: exit %d\n%s", r.code, r.stderr)
	}
	// With it, the server is reached (and answers nonsense, which is
	// this test server's part).
	dossierctl(t, env, "sync", "--data", dir, "--server", hs.URL, "--fingerprint", fp, "--lang", "en")
	if requests.Load() == 0 {
		t.Fatal("the confirmed fingerprint did not reach the server")
	}
}

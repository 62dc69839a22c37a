package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// buildDossierctl builds this program, to run it as a person does.
func buildDossierctl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dossierctl")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runProgram runs bin with args and the profile password, and returns
// its exit status and output.
func runProgram(t *testing.T, bin, password string, args ...string) run {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"DOSSIER_PASSWORD=" + password, "PATH=" + os.Getenv("PATH")}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return run{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
}

// tamperTrail changes the audit bucket of the profile file with bbolt
// itself, as someone holding the file but not its password could.
func tamperTrail(t *testing.T, path string, fn func(b *bolt.Bucket, keys [][]byte) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		var keys [][]byte
		b.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil })
		if len(keys) < 5 {
			t.Fatalf("only %d audit entries", len(keys))
		}
		return fn(b, keys)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyProfile(t *testing.T, from string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(from, "profile.dossier"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "profile.dossier"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAuditVerify runs the program on a demo profile: intact (exit 0),
// then copies of it with an entry removed and an entry's bytes changed
// (exit 1, the reason in English and in French).
func TestAuditVerify(t *testing.T) {
	dir, env := demoProfile(t)
	pw := env["DOSSIER_PASSWORD"]
	bin := buildDossierctl(t)
	for lang, want := range map[string]string{"en": "The audit trail is intact. Entries checked:", "fr": "Le journal d’audit est intact. Entrées vérifiées\u00a0:"} {
		if r := runProgram(t, bin, pw, "audit", "verify", "--data", dir, "--lang", lang); r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Fatalf("intact, %s: %d %q %q", lang, r.code, r.stdout, r.stderr)
		}
	}

	removed := copyProfile(t, dir)
	tamperTrail(t, filepath.Join(removed, "profile.dossier"), func(b *bolt.Bucket, keys [][]byte) error {
		return b.Delete(keys[len(keys)/2])
	})
	edited := copyProfile(t, dir)
	tamperTrail(t, filepath.Join(edited, "profile.dossier"), func(b *bolt.Bucket, keys [][]byte) error {
		k := keys[len(keys)/3]
		v := bytes.Clone(b.Get(k))
		v[len(v)/2] ^= 0x40
		return b.Put(k, v)
	})
	truncated := copyProfile(t, dir)
	tamperTrail(t, filepath.Join(truncated, "profile.dossier"), func(b *bolt.Bucket, keys [][]byte) error {
		return b.Delete(keys[len(keys)-1])
	})
	tests := []struct {
		name, data, lang, want string
	}{
		{"removed", removed, "en", "the entry before it was removed or altered"},
		{"removed", removed, "fr", "l’entrée qui la précède a été supprimée ou modifiée"},
		{"edited", edited, "en", "was edited or damaged"},
		{"edited", edited, "fr", "a été modifiée ou endommagée"},
		{"truncated", truncated, "en", "entries at its end were removed"},
		{"truncated", truncated, "fr", "des entrées ont été supprimées à la fin"},
	}
	for _, tt := range tests {
		r := runProgram(t, bin, pw, "audit", "verify", "--data", tt.data, "--lang", tt.lang)
		broken := map[string]string{"en": "The audit trail is broken.", "fr": "Le journal d’audit est rompu."}[tt.lang]
		if r.code != 1 || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stdout, broken) {
			t.Errorf("%s, %s: exit %d\nstdout %q\nstderr %q", tt.name, tt.lang, r.code, r.stdout, r.stderr)
		}
	}

	if r := dossierctl(t, env, "audit", "--lang", "en"); r.code != 2 || !strings.Contains(r.stderr, "dossierctl audit verify --data DIR") {
		t.Errorf("no subcommand: %d %q", r.code, r.stderr)
	}
	if r := dossierctl(t, env, "audit", "verify", "--lang", "en"); r.code != 2 {
		t.Errorf("no --data: %d %q", r.code, r.stderr)
	}
	if r := dossierctl(t, map[string]string{"DOSSIER_PASSWORD": "wrong password"}, "audit", "verify", "--data", dir, "--lang", "en"); r.code != 1 ||
		!strings.Contains(r.stderr, "This password does not open the profile.") {
		t.Errorf("wrong password: %d %q", r.code, r.stderr)
	}
}

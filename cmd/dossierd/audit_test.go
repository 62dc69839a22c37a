package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
)

// buildDossierd builds this program, to run it as an administrator does.
func buildDossierd(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dossierd")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runDossierd(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// serveOnce starts dossierd serve on dir, stops it, and returns what it
// printed and logged.
func serveOnce(t *testing.T, dir string) (stdout, logs string) {
	t.Helper()
	ready, stop := make(chan string, 1), make(chan struct{})
	served := make(chan int, 1)
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Ready: ready, Stop: stop,
		secrets: account.TestSecretParams}
	go func() { served <- m.Run([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--lang", "en"}) }()
	select {
	case <-ready:
	case code := <-served:
		t.Fatalf("serve exit %d: %s", code, errb.String())
	}
	close(stop)
	select {
	case code := <-served:
		if code != 0 {
			t.Fatalf("serve exit %d: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful stop")
	}
	return out.String(), errb.String()
}

// TestAdminAuditAndVerify runs the real program on the server's demo: an
// officer's history lists their entries and no one else's; audit-verify
// says the trail is intact (exit 0), serve logs the count; once the last
// entries are removed from the file, audit-verify says so in English and
// French (exit 1) and serve starts but says it loudly.
func TestAdminAuditAndVerify(t *testing.T) {
	dir := t.TempDir()
	bin := buildDossierd(t)
	if code, out, errs := runDossierd(t, bin, "admin", "demo", "--data", dir, "--date", "2026-11-21", "--students", "2", "--lang", "en"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}

	code, out, errs := runDossierd(t, bin, "admin", "audit", "--data", dir, "--user", "officer2", "--lang", "en")
	if code != 0 {
		t.Fatalf("audit: %d %s %s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	head := lines[0]
	if !strings.HasPrefix(head, "Audit history of officer2 (account ") {
		t.Fatalf("header %q", head)
	}
	account := strings.SplitN(strings.TrimPrefix(head, "Audit history of officer2 (account "), ")", 2)[0]
	var want []store.AuditEntry
	sv, err := programs.OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sv.Store().Audit(func(e store.AuditEntry) bool {
		if e.Actor.String() == account || e.Entity.String() == account {
			want = append(want, e)
		}
		return true
	})
	sv.Close()
	if len(want) == 0 || len(lines)-1 != len(want)-1 { // the last is the reading itself, made after the listing
		t.Fatalf("%d lines for %d entries:\n%s", len(lines)-1, len(want), out)
	}
	for i, l := range lines[1:] {
		if !strings.Contains(l, account) || !strings.Contains(l, want[i].Action) || !strings.Contains(l, want[i].ID.Time().Format("2006-01-02")) {
			t.Errorf("line %q for %+v", l, want[i])
		}
		for _, userID := range []string{"officer2", "dir.", "zoe.", "coord."} { // IDs and codes only
			if strings.Contains(l, userID) {
				t.Errorf("line %q names %s", l, userID)
			}
		}
	}
	if want[len(want)-1].Action != "audit.read" {
		t.Errorf("the reading was not recorded: %+v", want[len(want)-1])
	}
	if code, _, errs := runDossierd(t, bin, "admin", "audit", "--data", dir, "--user", "nobody.here", "--lang", "fr"); code != 1 ||
		!strings.Contains(errs, "Aucun compte n’a le nom d’utilisateur nobody.here.") {
		t.Errorf("unknown user: %d %s", code, errs)
	}

	for lang, want := range map[string]string{"en": "The audit trail is intact. Entries checked:", "fr": "Le journal d’audit est intact. Entrées vérifiées\u00a0:"} {
		if code, out, errs := runDossierd(t, bin, "admin", "audit-verify", "--data", dir, "--lang", lang); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("intact, %s: %d %s %s", lang, code, out, errs)
		}
	}
	_, logs := serveOnce(t, dir)
	if !strings.Contains(logs, `"msg":"audit","entries":`) || !strings.Contains(logs, `"link":"`) {
		t.Fatalf("no audit line in the log: %s", logs)
	}

	db, err := bolt.Open(filepath.Join(dir, store.ServerFileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lost domain.ID
	err = db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte("audit")).Cursor()
		k, _ := c.Last()
		copy(lost[:], k)
		if err := c.Delete(); err != nil {
			return err
		}
		c.Last()
		return c.Delete()
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"en": "entries at its end were removed", "fr": "des entrées ont été supprimées à la fin"} {
		code, out, errs := runDossierd(t, bin, "admin", "audit-verify", "--data", dir, "--lang", lang)
		if code != 1 || !strings.Contains(errs, want) || !strings.Contains(errs, lost.String()) || !strings.HasPrefix(out, map[string]string{"en": "The audit trail is broken.", "fr": "Le journal d’audit est rompu."}[lang]) {
			t.Fatalf("truncated, %s: %d %s %s", lang, code, out, errs)
		}
	}
	stdout, logs := serveOnce(t, dir)
	if !strings.Contains(stdout, "Warning: the audit trail is broken.") || !strings.Contains(logs, `"level":"ERROR","msg":"audit","broken":"store.audit.truncated"`) {
		t.Fatalf("a broken trail was not said:\n%s\n%s", stdout, logs)
	}
}

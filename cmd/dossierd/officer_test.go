package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
)

// TestAdminAddProgramOfficer runs the real program: add-program-officer
// is refused before the program's first account exists, then adds an
// officer who signs in with the password from DOSSIERD_ADMIN_PASSWORD and
// the security questions read from standard input; a user ID already
// taken is refused, and the password never shows.
func TestAdminAddProgramOfficer(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(t.TempDir(), "answers")
	if err := os.WriteFile(answers, []byte("a?\none one\nb?\ntwo two\nc?\nthree three\nd?\nfour four\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const pw = "Officer-pass-123"
	var out, logs bytes.Buffer
	run := func(wantOK bool, lang string, args ...string) string {
		t.Helper()
		out.Reset()
		logs.Reset()
		in, err := os.Open(answers)
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		m := &Main{Stdout: &out, Stderr: &logs, Stdin: in, Getenv: func(k string) string {
			if k == "DOSSIERD_ADMIN_PASSWORD" {
				return pw
			}
			return ""
		}}
		if code := m.Run(append(args, "--lang", lang)); (code == 0) != wantOK {
			t.Fatalf("%v: exit %d: %s %s", args, code, out.String(), logs.String())
		}
		return out.String() + logs.String()
	}
	officer := []string{"admin", "add-program-officer", "--data", dir, "--user-id", "officer.two",
		"--given-names", "Amélie", "--family-name", "Bérubé"}
	if got := run(false, "en", officer...); !strings.Contains(got, "program") {
		t.Fatalf("before the program's first account: %q", got)
	}
	run(true, "en", "admin", "create-program", "--data", dir, "--user-id", "program.one",
		"--given-names", "Paul", "--family-name", "Ouellet")
	if got := run(true, "fr-CA", officer...); !strings.Contains(got, "Compte d’agent de programme officer.two créé.") {
		t.Fatalf("add-program-officer said %q", got)
	}
	if strings.Contains(out.String()+logs.String(), pw) {
		t.Fatal("the output holds the password")
	}
	run(false, "en", officer...) // the user ID is taken
	for lang, want := range map[string]string{"en": "admin add-program-officer --data DIR --user-id ID",
		"fr-CA": "admin add-program-officer --data DOSSIER --user-id CODE"} {
		if got := run(true, lang, "help"); !strings.Contains(got, want) {
			t.Fatalf("dossierd help in %s: %q", lang, got)
		}
	}

	sv, err := programs.OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	_, a, err := sv.Store().SignIn("officer.two", pw)
	if err != nil || a.Role != account.ProgramOfficer || a.GivenNames != "Amélie" {
		t.Fatalf("the officer %+v %v", a, err)
	}
}

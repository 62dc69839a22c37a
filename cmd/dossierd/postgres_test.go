package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"dossier/store"
	"dossier/store/postgres"
	"dossier/store/postgres/pgtest"
	"dossier/store/programs"
)

// TestAdminOnPostgres: the admin steps on a PostgreSQL database (--db),
// from two data folders holding the same key: what one builds, the other
// lists. A data folder with another key is refused.
func TestAdminOnPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dir := t.TempDir()
	run := func(env map[string]string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
		code := m.Run(append(args, "--lang", "en"))
		return code, out.String(), errb.String()
	}
	if code, out, errs := run(nil, "admin", "demo", "--data", dir, "--db", url, "--date", "2026-11-21", "--students", "2"); code != 0 ||
		!strings.Contains(out, "schools: 3;") {
		t.Fatalf("demo on PostgreSQL: %d %s %s", code, out, errs)
	}
	if code, out, errs := run(map[string]string{"DOSSIERD_DB": url}, "admin", "schools", "--data", dir); code != 0 ||
		!strings.Contains(out, "Collège Boréal") {
		t.Fatalf("schools through DOSSIERD_DB: %d %s %s", code, out, errs)
	}
	epoch := func() [16]byte {
		t.Helper()
		db, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		sv, err := programs.OpenServerOn(db, dir, store.ServerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer sv.Close()
		return sv.Epoch()
	}
	before := epoch()
	if code, out, errs := run(nil, "admin", "new-epoch", "--data", dir, "--db", url); code != 0 || !strings.Contains(out, "new epoch") {
		t.Fatalf("new-epoch: %d %s %s", code, out, errs)
	}
	if epoch() == before {
		t.Fatal("the epoch did not change")
	}
	if code, _, errs := run(nil, "admin", "schools", "--data", t.TempDir(), "--db", url); code == 0 {
		t.Fatalf("a folder with another key opened the store: %s", errs)
	}
	if code, _, errs := run(nil, "admin", "schools", "--data", dir, "--db", "mysql://x"); code != 2 || !strings.Contains(errs, "PostgreSQL URL") {
		t.Fatalf("a URL that is not PostgreSQL's: %d %s", code, errs)
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"dossier/store"
	"dossier/store/programs"
)

// TestAdminNotice: the operator schedules a notice with dossierd admin
// notice (its times with their offset, or in the machine's own time) and
// withdraws it; a window that ends before it starts, a missing text and a
// time that does not read are refused, and nothing is kept of them.
func TestAdminNotice(t *testing.T) {
	dir := t.TempDir()
	var out, logs bytes.Buffer
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		out.Reset()
		m := &Main{Stdout: &out, Stderr: &logs, Getenv: func(string) string { return "" }}
		if code := m.Run(append(args, "--lang", "en")); (code == 0) != wantOK {
			t.Fatalf("%v: exit %d: %s", args, code, logs.String())
		}
		return out.String()
	}
	// From the data: a window a day after this run starts, for two hours.
	from := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Minute)
	to := from.Add(2 * time.Hour)
	said := run(true, "admin", "notice", "--data", dir, "--from", from.Format(time.RFC3339), "--to", to.Format(time.RFC3339),
		"--en", "Dossier will be away.", "--fr", "Dossier sera absent.")
	if !strings.Contains(said, "scheduled") {
		t.Fatalf("admin notice said %q", said)
	}
	logs.Reset()
	run(false, "admin", "notice", "--data", dir, "--from", to.Format(time.RFC3339), "--to", from.Format(time.RFC3339),
		"--en", "x", "--fr", "y")
	if !strings.Contains(logs.String(), "must come after its start") {
		t.Fatalf("end before start: %q", logs.String())
	}
	run(false, "admin", "notice", "--data", dir, "--from", from.Local().Format("2006-01-02T15:04"), "--to",
		to.Local().Format("2006-01-02T15:04"), "--en", "x")
	run(false, "admin", "notice", "--data", dir, "--from", "tomorrow", "--to", "later", "--en", "x", "--fr", "y")

	sv, err := programs.OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := sv.Notices()
	sv.Close()
	if err != nil || len(all) != 1 || !all[0].From.Equal(from) || !all[0].To.Equal(to) || all[0].EN != "Dossier will be away." {
		t.Fatalf("the server holds %+v %v", all, err)
	}
	if said := run(true, "admin", "notice", "--data", dir, "--withdraw", all[0].ID.String()); !strings.Contains(said, "withdrawn") {
		t.Fatalf("withdraw said %q", said)
	}
	run(false, "admin", "notice", "--data", dir, "--withdraw", all[0].ID.String())
}

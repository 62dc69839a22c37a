package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/programs"
)

// TestAdminCoordinatorAndCompliance runs the real program's admin steps:
// create-coordinator makes a coordinator whose organisation is their
// province (an unknown province is refused), and populate-compliance
// raises nothing before 15 October, one Annual Compliance request per
// verified student on that day (at serve's start too), and nothing on a
// second run.
func TestAdminCoordinatorAndCompliance(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(t.TempDir(), "answers")
	if err := os.WriteFile(answers, []byte("a?\none one\nb?\ntwo two\nc?\nthree three\nd?\nfour four\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const pw = "Coord-pass-123"
	var out, logs bytes.Buffer
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		out.Reset()
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
		if code := m.Run(append(args, "--lang", "en")); (code == 0) != wantOK {
			t.Fatalf("%v: exit %d: %s", args, code, logs.String())
		}
		return out.String()
	}
	run(true, "admin", "add-school", "--data", dir, "--name", "Collège Boréal", "--code", "A01", "--province", "ON")
	pinLine := run(true, "admin", "issue-pin", "--data", dir, "--school", "A01")
	pin := strings.Fields(strings.SplitN(pinLine, ": ", 2)[1])[0]
	if got := run(true, "admin", "create-coordinator", "--data", dir, "--province", "on", "--user-id", "coord.on",
		"--given-names", "Claude", "--family-name", "Tremblay"); !strings.Contains(got, "coord.on") || !strings.Contains(got, "ON") {
		t.Fatalf("create-coordinator said %q", got)
	}
	run(false, "admin", "create-coordinator", "--data", dir, "--province", "XX", "--user-id", "coord.xx",
		"--given-names", "Claude", "--family-name", "Tremblay")
	run(false, "admin", "populate-compliance", "--data", dir, "--date", "15/10/2026")

	// A DIR verifies one student, with the server stopped.
	sv, err := programs.OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := sv.Store()
	if _, a, err := s.SignIn("coord.on", pw); err != nil || a.Role != account.Coordinator || a.Org != store.ProvinceID("ON") {
		t.Fatalf("the coordinator %+v %v", a, err)
	}
	d, err := s.Enrol(account.Enrolment{UserID: "dir.a", Password: "Pass-word-123", GivenNames: "Dana", FamilyName: "Roy",
		PIN: pin, AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{{Question: "a?", Answer: "one one"},
			{Question: "b?", Answer: "two two"}, {Question: "c?", Answer: "three three"}, {Question: "d?", Answer: "four four"}}})
	if err != nil {
		t.Fatal(err)
	}
	verify := func(n byte, clientID string) {
		t.Helper()
		r, err := s.RaiseRequest(account.Actor{Account: domain.ID{0xb0, n}, Role: account.Student}, ens.Raise{Type: ens.EV,
			School: d.Org, Student: ens.Student{GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
				ClientID: domain.ClientID(clientID)}})
		if err != nil {
			t.Fatal(err)
		}
		var draft ens.Draft
		for _, c := range ens.Criteria {
			draft.Checks[c] = ens.Met
		}
		if _, err := s.Act(d.Actor(), r.ID, ens.Action{Function: ens.Verify, Draft: &draft}, 0); err != nil {
			t.Fatal(err)
		}
	}
	verify(1, "1234-5678")

	// serve draws up the list as it starts, and stops with the server.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		populate(ctx, sv, slog.New(slog.NewJSONHandler(io.MultiWriter(&logs, testlog.Writer()), nil)), func() time.Time {
			return time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC)
		})
	}()
	for i := 0; ; i++ {
		if list, _ := s.ComplianceRequests(d.Actor(), 2026); len(list) == 1 {
			break
		}
		if i == 500 {
			t.Fatal("serve's population raised nothing")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	verify(2, "8765-4321")
	sv.Close()

	if got := run(true, "admin", "populate-compliance", "--data", dir, "--date", "2026-10-14"); !strings.Contains(got, "15 October") {
		t.Fatalf("before 15 October: %q", got)
	}
	if got := run(true, "admin", "populate-compliance", "--data", dir, "--date", "2026-10-15"); !strings.Contains(got, "2026: requests raised: 1.") {
		t.Fatalf("on 15 October: %q", got)
	}
	if got := run(true, "admin", "populate-compliance", "--data", dir, "--date", "2026-10-16"); !strings.Contains(got, "2026: requests raised: 0.") {
		t.Fatalf("a second run: %q", got)
	}
	for _, secret := range []string{pw, "Pass-word-123", pin} {
		if strings.Contains(logs.String()+out.String(), secret) {
			t.Fatalf("the output holds %q", secret)
		}
	}
}

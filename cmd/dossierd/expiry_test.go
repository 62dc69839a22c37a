package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"dossier/domain/ens"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/storetest"
)

// TestServeExpiresRequestsOnItsClock runs serve's expiry loop on a server
// whose clock the test moves: nothing expires before the request's time,
// the loop expires it once the server's clock has passed it, and it stops
// with its context. The log holds a count, nothing of the student.
func TestServeExpiresRequestsOnItsClock(t *testing.T) {
	clock := storetest.NewClock(time.Date(2031, 3, 3, 9, 0, 0, 0, time.UTC))
	sv := programs.ServerOf(storetest.MustServer(t, clock))
	s := sv.Store()
	school := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 10)
	r, err := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: school.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		expire(ctx, sv, slog.New(slog.NewJSONHandler(io.MultiWriter(&logs, testlog.Writer()), nil)), 5*time.Millisecond)
	}()
	status := func() ens.Status {
		t.Helper()
		got, err := s.Request(storetest.Officer, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	clock.Add(29 * 24 * time.Hour)
	time.Sleep(50 * time.Millisecond)
	if st := status(); st != ens.New {
		t.Fatalf("before its time: %s", st)
	}
	clock.Add(24*time.Hour + time.Minute)
	for i := 0; status() != ens.Expired; i++ {
		if i == 500 {
			t.Fatal("serve's loop did not expire the request")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not stop with its context")
	}
	if !strings.Contains(logs.String(), `"expired":1`) {
		t.Fatalf("log: %s", logs.String())
	}
	for _, personal := range []string{"Élodie", "Côté", "1234", r.ID.String()} {
		if strings.Contains(logs.String(), personal) {
			t.Fatalf("the log names %q: %s", personal, logs.String())
		}
	}
}

// TestAdminSettingsExpiryDays: the operator reads and changes how many days
// an unfinished request lives; a value out of bounds is refused and changes
// nothing, and a request the program receives afterwards expires that many
// days after it.
func TestAdminSettingsExpiryDays(t *testing.T) {
	dir := t.TempDir()
	var out, logs bytes.Buffer
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		out.Reset()
		m := &Main{Stdout: &out, Stderr: &logs, Getenv: func(string) string { return "" }}
		if code := m.Run(append(args, "--lang", "en")); (code == 0) != wantOK {
			t.Fatalf("%v: exit %d: %s %s", args, code, out.String(), logs.String())
		}
		return out.String()
	}
	if got := run(true, "admin", "settings", "--data", dir); !strings.Contains(got, "expire 30 days") {
		t.Fatalf("the default: %q", got)
	}
	run(false, "admin", "settings", "--data", dir, "--expiry-days", "400")
	if got := run(true, "admin", "settings", "--data", dir, "--expiry-days", "10"); !strings.Contains(got, "expire 10 days") {
		t.Fatalf("after the change: %q", got)
	}
	if got := run(true, "admin", "settings", "--data", dir); !strings.Contains(got, "expire 10 days") {
		t.Fatalf("kept: %q", got)
	}
	clock := storetest.NewClock(time.Date(2031, 3, 3, 9, 0, 0, 0, time.UTC))
	opt := storetest.Options(clock)
	sv, err := programs.OpenServer(dir, store.ServerOptions{Store: opt})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	school := storetest.MustSchool(t, sv.Store().Engine(), "Collège Boréal", 10)
	r, err := sv.Store().RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: school.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	if want := clock.Now().AddDate(0, 0, 10); !r.Expires.Equal(want) {
		t.Fatalf("expires %v, want %v", r.Expires, want)
	}
}

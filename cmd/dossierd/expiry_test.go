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

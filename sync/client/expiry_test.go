package client_test

import (
	"context"
	"testing"
	"time"

	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/requests"
	"dossier/store/storetest"
	"dossier/sync"
)

// TestExpirySeenByTheStudentAndEveryDesk: requests expire by the server's
// clock, not the desks'. With the desks' clocks past a request's time and
// the server's not yet there, the request stays New everywhere (a desk
// reads it as lapsed, which the screens show as "expires today") and no
// desk queues an Expire; once the server's clock passes it, the server's
// run expires it, and the student's computer, the DIR's desk and the
// signatory's desk all read it Expired from the change feed. A request
// saved on the way keeps its expiry, and one raised later stays open. An
// Expire an older desk had queued in the program's name is answered with
// the server's record and leaves the outbox without troubling anyone.
func TestExpirySeenByTheStudentAndEveryDesk(t *testing.T) {
	start := time.Date(2031, 3, 3, 9, 0, 0, 0, time.UTC)
	serverClock, deskClock := storetest.NewClock(start), storetest.NewClock(start)
	ts := startServer(t)
	ts.opt.Store.Now = serverClock.Now
	ts.opt.RefreshTTL = 120 * 24 * time.Hour // the desks stay signed in across the months the test spans
	ts.restart()
	school, pin := ts.school("A01", "Collège Boréal")
	opt := storeOptions()
	opt.Now = deskClock.Now
	dir := newDeskWith(t, ts, "dir", opt)
	dir.enrolDIR("dir.a", pin)
	code, _, err := dir.st.IssuePIN(dir.by, account.PINRequest{Role: account.Signatory, Org: school.ID})
	if err != nil {
		t.Fatal(err)
	}
	dir.sync()
	sig := newDeskWith(t, ts, "sig", opt)
	sig.enrolDIR("sig.a", code)
	stu := newDeskWith(t, ts, "student", opt)
	stu.student("eleve1", "Élodie", "Côté")
	syncAll := func() {
		t.Helper()
		for _, d := range []*desk{stu, dir, sig, stu, dir, sig} {
			d.sync()
		}
	}

	due, saved := stu.raise(school.ID, 1), stu.raise(school.ID, 2)
	syncAll()
	onServer, err := ts.sv.Request(dir.by, due.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.AddDate(0, 0, ens.DefaultSettings.ExpiryDays); !onServer.Expires.Equal(want) {
		t.Fatalf("expiry set by the server: %v, want %v", onServer.Expires, want)
	}
	serverClock.Add(10 * 24 * time.Hour)
	deskClock.Add(10 * 24 * time.Hour)
	if _, err := sig.st.Act(sig.by, saved.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Transcript asked for."}}, 0); err != nil {
		t.Fatal(err)
	}
	later := stu.raise(school.ID, 3)
	syncAll()

	// The desks' clocks are past the 30 days; the server's is not.
	serverClock.Add(19 * 24 * time.Hour)
	deskClock.Add(21 * 24 * time.Hour)
	expire := func() int {
		t.Helper()
		n, err := ts.sv.ExpireDue(context.Background(), requests.ExpireBatch)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := expire(); n != 0 {
		t.Fatalf("the server expired %d requests before its time", n)
	}
	syncAll()
	for _, d := range []*desk{stu, dir, sig} {
		for _, r := range []ensID{{due, ens.New}, {saved, ens.InProgress}} {
			got := d.request(r.req.ID)
			if got.Status != r.want || !got.Lapsed(deskClock.Now()) {
				t.Fatalf("%s, desk past the time, server not: %s (lapsed here: %v), want %s lapsed", d.name, got.Status, got.Lapsed(deskClock.Now()), r.want)
			}
		}
		if n, _ := d.st.OutboxLen(); n != 0 {
			t.Fatalf("%s queued %d commands", d.name, n)
		}
	}

	// An older desk had queued an Expire in the program's name.
	if err := dir.st.Engine().Update(func(tx *store.Tx) error {
		now := deskClock.Now()
		return dir.st.Engine().Journal(tx, now, store.Entry{By: account.SystemActor, Kind: sync.KindApplyFunction,
			Action: "ens.expire", Entity: due.ID, Base: due.Version,
			Payload: sync.ApplyPayload{Action: ens.Action{Function: ens.Expire}, At: now}})
	}); err != nil {
		t.Fatal(err)
	}

	// The server's clock passes the time: its run expires the two.
	serverClock.Add(2 * 24 * time.Hour)
	if n := expire(); n != 2 {
		t.Fatalf("the server expired %d requests, want 2", n)
	}
	syncAll()
	for _, d := range []*desk{stu, dir, sig} {
		for _, r := range []ensID{{due, ens.Expired}, {saved, ens.Expired}, {later, ens.New}} {
			if got := d.request(r.req.ID); got.Status != r.want {
				t.Fatalf("%s: request %s is %s, want %s", d.name, r.req.Student.ClientID, got.Status, r.want)
			}
		}
		if n, _ := d.st.OutboxLen(); n != 0 {
			t.Fatalf("%s still holds %d commands", d.name, n)
		}
		if rs, _ := d.st.Rejections(d.by); len(rs) != 0 {
			t.Fatalf("%s shows refusals: %+v", d.name, rs)
		}
	}
	got := dir.request(due.ID)
	if want := serverClock.Now(); !got.DecidedAt.Equal(want.Truncate(time.Millisecond)) {
		t.Fatalf("expired at %v, not by the server's clock (%v)", got.DecidedAt, want)
	}
	onServer, _ = ts.sv.Request(dir.by, due.ID)
	if onServer.Version != got.Version {
		t.Fatalf("the DIR's desk has version %d, the server %d", got.Version, onServer.Version)
	}
}

type ensID struct {
	req  ens.Request
	want ens.Status
}

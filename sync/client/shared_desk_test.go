package client_test

import (
	"context"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
)

// signInAgain signs a person who already used the desk back in to the
// server and here, and syncs.
func (d *desk) signInAgain(acct domain.ID, user string) {
	d.t.Helper()
	if err := d.c.SignIn(context.Background(), acct, user, password); err != nil {
		d.t.Fatalf("%s: server sign-in of %s: %v", d.name, user, err)
	}
	d.signedIn(user)
}

// signOut ends the person's session with the server, as the desk's
// sign-out does.
func (d *desk) signOut() {
	d.t.Helper()
	if err := d.c.SignOut(); err != nil {
		d.t.Fatal(err)
	}
	d.by = account.Actor{}
}

// holds fails unless who reads each request on the desk.
func (d *desk) holds(who account.Actor, rs []ens.Request) {
	d.t.Helper()
	for _, r := range rs {
		got, err := d.st.Request(who, r.ID)
		if err != nil {
			d.t.Fatalf("%s: request %s (%s) missing for %s: %v", d.name, r.ID, r.Student.FamilyName, who.Role, err)
		}
		if got.Version < r.Version {
			d.t.Fatalf("%s: request %s at version %d, want %d", d.name, r.ID, got.Version, r.Version)
		}
	}
}

// clean fails if who has anything waiting, refused or in conflict on the
// desk: records the feed sends again must change nothing.
func (d *desk) clean(who account.Actor) {
	d.t.Helper()
	n, err := d.st.Counts(who)
	if err != nil {
		d.t.Fatal(err)
	}
	if n != (struct{ Pending, Rejected, Conflicts int }{}) {
		d.t.Fatalf("%s: %+v after the feed sent records again", d.name, n)
	}
	if out, err := d.st.Outbox(100); err != nil || len(out) != 0 {
		d.t.Fatalf("%s: %d commands left to send after the feed sent records again (%v)", d.name, len(out), err)
	}
}

// A desk several people share keeps each one's position in the feed:
// the server's feed is filtered by who reads it, so the position B
// reached says nothing of what A has read. With one cursor for all, A
// missed every change of A's school made while B used the desk.
func TestSharedDeskEachPersonKeepsTheirFeed(t *testing.T) {
	ts := startServer(t)
	schoolA, pinA := ts.school("A01", "Collège Boréal")
	_, pinB := ts.school("B02", "Cambrian College")

	shared := newDesk(t, ts, "shared")
	shared.enrolDIR("dir.a", pinA)
	dirA := shared.by
	// Another computer of school A: its student raises requests there.
	stu := newDesk(t, ts, "student")
	stu.student("eleve1", "Élodie", "Côté")
	before := []ens.Request{stu.raise(schoolA.ID, 1)}
	stu.sync()
	shared.sync()
	shared.holds(dirA, before)

	// A signs out; meanwhile A's school changes at the server.
	shared.signOut()
	var meanwhile []ens.Request
	for i := 2; i < 5; i++ {
		meanwhile = append(meanwhile, stu.raise(schoolA.ID, i))
	}
	stu.sync()

	// B, of another school, signs in on the same desk and syncs past
	// those changes (which B may not read).
	shared.enrolDIR("dir.b", pinB)
	dirB := shared.by
	shared.sync()
	if _, err := shared.st.Request(dirB, meanwhile[0].ID); err == nil {
		t.Fatal("B reads a request of A's school")
	}
	shared.signOut()

	// A comes back: every change of A's school is there.
	shared.signInAgain(dirA.Account, "dir.a")
	shared.holds(dirA, append(before, meanwhile...))
	shared.clean(dirA)
	if st, err := shared.st.SyncState(); err != nil || st.Position(dirA.Account).Cursor == 0 ||
		st.Position(dirB.Account).Cursor == 0 || st.LastAccount != dirA.Account {
		t.Fatalf("positions: %+v, %v", st.Cursors, err)
	}
}

// A person signing in for the first time on a desk someone else already
// used receives their records made at the server before: their feed
// starts at the beginning. What the desk already holds (the school's
// copy of the same requests) is applied again without a conflict, a
// command to send or a refusal.
func TestSharedDeskNewcomerReceivesTheirOlderRecords(t *testing.T) {
	ts := startServer(t)
	school, pin := ts.school("A01", "Collège Boréal")
	other, _ := ts.school("B02", "Cambrian College")

	// The student raises requests on their own computer first: to the
	// school whose desk they will use, and to another.
	own := newDesk(t, ts, "student")
	own.student("eleve1", "Élodie", "Côté")
	here := []ens.Request{own.raise(school.ID, 1), own.raise(school.ID, 2)}
	elsewhere := []ens.Request{own.raise(other.ID, 3)}
	own.sync()
	mine := append(append([]ens.Request(nil), here...), elsewhere...)

	// The school's desk: its DIR syncs theirs, past the student's.
	shared := newDesk(t, ts, "shared")
	shared.enrolDIR("dir.a", pin)
	dir := shared.by
	shared.holds(dir, here)
	shared.signOut()

	// The student signs in at the school's desk for the first time.
	if err := shared.c.SignIn(context.Background(), domain.ID{}, "eleve1", password); err != nil {
		t.Fatal(err)
	}
	shared.signedIn("eleve1")
	stu := shared.by
	shared.holds(stu, mine)
	shared.clean(stu)
	mineHere, err := shared.st.StudentRequests(stu)
	if err != nil || len(mineHere) != len(mine) {
		t.Fatalf("the student's requests on the shared desk: %d, %v", len(mineHere), err)
	}

	// The DIR, back, finds the desk as they left it.
	shared.signOut()
	shared.signInAgain(dir.Account, "dir.a")
	shared.holds(dir, here)
	shared.clean(dir)
}

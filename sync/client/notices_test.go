package client_test

import (
	"context"
	"testing"
	"time"

	"dossier/domain/notice"
	"dossier/store/programs"
)

func noticesOf(t *testing.T, st programs.Desk) []notice.Notice {
	t.Helper()
	all, err := st.Notices()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestNoticeReachesEveryDesk: a program officer schedules a maintenance
// notice on their desk; through the real server it reaches a DIR's, a
// signatory's and a student's desks by the change feed, and a desk nobody
// has signed in on yet by the public list. The officer's withdrawal
// reaches them the same way.
func TestNoticeReachesEveryDesk(t *testing.T) {
	f := newFixture(t)
	off := officer(t, f.ts)
	from := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	n, err := off.st.ScheduleNotice(off.by, from, from.Add(3*time.Hour), "Dossier will be away.", "Dossier sera absent.")
	if err != nil {
		t.Fatal(err)
	}
	off.sync()
	fresh := newDesk(t, f.ts, "fresh")
	if err := fresh.c.FetchNotices(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*desk{f.dir, f.sig, f.stu, fresh} {
		if d != fresh {
			d.sync()
		}
		got := noticesOf(t, d.st)
		if len(got) != 1 || got[0].ID != n.ID || got[0].EN != n.EN || got[0].FR != n.FR || !got[0].To.Equal(n.To) {
			t.Fatalf("%s holds %+v", d.name, got)
		}
	}
	if _, err := off.st.WithdrawNotice(off.by, n.ID); err != nil {
		t.Fatal(err)
	}
	off.sync()
	if err := fresh.c.FetchNotices(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*desk{f.stu, fresh} {
		if d != fresh {
			d.sync()
		}
		if got := noticesOf(t, d.st); len(got) != 1 || got[0].Withdrawn.IsZero() || got[0].PhaseAt(from) != notice.Quiet {
			t.Fatalf("%s after the withdrawal holds %+v", d.name, got)
		}
	}
}

// TestWorkGoesOnThroughMaintenance: during a notice's window the server
// is down; the student raises a request all the same (committed on the
// desk, waiting in the outbox), and once the window is over and the
// server back, it is pushed and reaches the school's DIR.
func TestWorkGoesOnThroughMaintenance(t *testing.T) {
	f := newFixture(t)
	off := officer(t, f.ts)
	// The window covers now: it started a minute ago.
	from := time.Now().Add(-time.Minute)
	_, err := off.st.ScheduleNotice(off.by, from, from.Add(time.Hour), "Maintenance.", "Entretien.")
	if err != nil {
		t.Fatal(err)
	}
	off.sync()
	f.stu.sync()
	if _, ok := notice.Covering(noticesOf(t, f.stu.st), time.Now()); !ok {
		t.Fatal("the student's desk does not know of the maintenance")
	}
	f.ts.stop()
	r := f.stu.raise(f.school.ID, 1)
	if _, err := f.stu.c.Push(context.Background()); err == nil {
		t.Fatal("pushed to a server that is down")
	}
	if got := f.stu.request(r.ID); got.ID != r.ID {
		t.Fatalf("the desk lost the request: %+v", got)
	}
	if c, err := f.stu.st.Counts(f.stu.by); err != nil || c.Pending != 1 {
		t.Fatalf("waiting to be sent: %+v %v", c, err)
	}
	f.ts.restart()
	f.stu.sync()
	f.dir.sync()
	if got := f.dir.request(r.ID); got.Student.FamilyName != r.Student.FamilyName {
		t.Fatalf("the DIR reads %+v", got)
	}
}

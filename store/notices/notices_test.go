package notices_test

import (
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/notice"
	"dossier/store/notices"
	"dossier/store/storetest"
)

// TestScheduleOnADesk: an officer's notice is kept on the desk, survives
// a reopen, and waits in the outbox as the command the server decides
// (the window and both texts as cleaned); its withdrawal follows it.
func TestScheduleOnADesk(t *testing.T) {
	s, clock := storetest.MustCreate(t)
	from := clock.Now().Add(26 * time.Hour)
	n, err := notices.On(s).ScheduleNotice(storetest.Officer, from, from.Add(2*time.Hour), " Away  soon. ", "Absent bientôt.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := notices.On(s).ScheduleNotice(storetest.Student(1), from, from.Add(time.Hour), "x", "y"); domain.ErrorCode(err) == "" {
		t.Fatal("a student scheduled a notice")
	}
	s = storetest.Reopen(t, s, clock)
	got, err := notices.On(s).Notices()
	if err != nil || len(got) != 1 || got[0].ID != n.ID || got[0].EN != "Away soon." {
		t.Fatalf("after reopening: %+v %v", got, err)
	}
	out, err := s.Outbox(10)
	if err != nil || len(out) != 1 || out[0].Command.Kind != notices.KindSchedule || out[0].Command.Entity != n.ID {
		t.Fatalf("outbox %+v %v", out, err)
	}
	var p notices.SchedulePayload
	if err := json.Unmarshal(out[0].Command.Payload, &p); err != nil || p.ID != n.ID || p.EN != "Away soon." || !p.From.Equal(n.From) {
		t.Fatalf("payload %+v %v", p, err)
	}
	w, err := notices.On(s).WithdrawNotice(storetest.Officer, n.ID)
	if err != nil || w.Withdrawn.IsZero() || w.Version != 2 {
		t.Fatalf("withdrawn %+v %v", w, err)
	}
	// An older copy (the public list read before the withdrawal) does not
	// bring it back.
	if err := notices.On(s).KeepNotices([]notice.Notice{n}); err != nil {
		t.Fatal(err)
	}
	if got, _ := notices.On(s).Notices(); len(got) != 1 || got[0].Withdrawn.IsZero() {
		t.Fatalf("an older copy replaced the withdrawal: %+v", got)
	}
}

// TestPublicNotices: the server announces to anyone the notices whose
// windows have not ended, at its own clock, the nearest first.
func TestPublicNotices(t *testing.T) {
	clock := storetest.NewClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sv := notices.Server{Server: storetest.MustServer(t, clock)}
	later, err := sv.ScheduleNotice(clock.Now().Add(72*time.Hour), clock.Now().Add(74*time.Hour), "Later.", "Plus tard.")
	if err != nil {
		t.Fatal(err)
	}
	soon, err := sv.ScheduleNotice(clock.Now().Add(time.Hour), clock.Now().Add(3*time.Hour), "Soon.", "Bientôt.")
	if err != nil {
		t.Fatal(err)
	}
	got, err := sv.Notices()
	if err != nil || len(got) != 2 || got[0].ID != soon.ID || got[1].ID != later.ID {
		t.Fatalf("public %+v %v", got, err)
	}
	clock.Set(soon.To)
	if got, _ := sv.Notices(); len(got) != 1 || got[0].ID != later.ID {
		t.Fatalf("after the first window: %+v", got)
	}
	if _, err := sv.WithdrawNotice(soon.ID); domain.ErrorCode(err) != notice.ErrStarted {
		t.Fatalf("withdrawing an ended notice: %v", err)
	}
}

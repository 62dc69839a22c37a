package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/domain/notice"
	"dossier/sync"
	"dossier/translations"
)

// bannerText is the banner's words, all notices together.
func bannerText(e *Env) string {
	var out []string
	for _, l := range e.noticeBar.text {
		out = append(out, l.Text)
	}
	return strings.Join(out, "\n")
}

// scheduleThroughScreen fills the officer's notice form and taps
// Schedule.
func scheduleThroughScreen(e *Env, from, to time.Time, en, fr string) *noticesView {
	e.Show(ScreenNotices)
	v := e.view.(*noticesView)
	v.from.SetText(from.Local().Format("2006-01-02 15:04"))
	v.to.SetText(to.Local().Format("2006-01-02 15:04"))
	v.en.SetText(en)
	v.fr.SetText(fr)
	test.Tap(v.schedule)
	return e.view.(*noticesView) // a new one, when it was scheduled
}

// TestNoticeBannerOnEveryDesk: the program officer schedules a notice on
// their screen (a refusal shows beside its field and keeps what was
// typed); through a real dossierd it reaches a student's desk by the
// feed and a desk on its sign-in screen by the public list. Each shows
// the banner in its person's language from the lead time before the
// window and during it, not long before and not after; Hide hides it
// for the phase, and it comes back when the window starts. The clock of
// each desk is taken from the notice.
func TestNoticeBannerOnEveryDesk(t *testing.T) {
	srv := startSyncServer(t)
	off := officerOn(t, srv, "officer", "Pat")
	test.Tap(off.view.(*officerFilesView).notices)
	if off.Current().ID != ScreenNotices.ID {
		t.Fatalf("the notices button leads to %s", off.Current().ID)
	}
	from := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	to := from.Add(3 * time.Hour)

	// Refused on the desk: the French is missing, and the end comes first.
	v := scheduleThroughScreen(off, from, to, "Dossier will be away for an upgrade.", "")
	if l := v.form.errors["fr"]; !l.Visible() || !strings.Contains(l.Text, "at most 400 characters") {
		t.Fatalf("no French: %q", l.Text)
	}
	if v.en.Text != "Dossier will be away for an upgrade." {
		t.Fatalf("the English was lost: %q", v.en.Text)
	}
	v.to.SetText(from.Add(-time.Hour).Local().Format("2006-01-02 15:04"))
	v.fr.SetText("Dossier sera absent pour une mise à niveau.")
	test.Tap(v.schedule)
	if l := v.form.errors["to"]; !l.Visible() || !strings.Contains(l.Text, "after its start") {
		t.Fatalf("end before start: %q", l.Text)
	}
	v.to.SetText("tomorrow")
	test.Tap(v.schedule)
	if l := v.form.errors["to"]; !strings.Contains(l.Text, "YYYY-MM-DD HH:MM") {
		t.Fatalf("a time that does not read: %q", l.Text)
	}
	v = scheduleThroughScreen(off, from, to, "Dossier will be away for an upgrade.", "Dossier sera absent pour une mise à niveau.")
	if len(v.withdraw) != 1 || v.en.Text != "" {
		t.Fatalf("after scheduling: %d notices listed, English %q, %q %v", len(v.withdraw), v.en.Text, v.form.general.Text, v.form.fault)
	}
	online(t, off, "the officer")
	// The server's news renews the list, and keeps what is being typed.
	v.en.SetText("Half a sentence")
	off.refresh()
	if w := off.view.(*noticesView); w != v || v.en.Text != "Half a sentence" || len(v.withdraw) != 1 {
		t.Fatalf("after news: same view %v, English %q, %d listed", w == v, v.en.Text, len(v.withdraw))
	}
	v.en.SetText("")
	off.SetLang(translations.French)
	fitsScreen(t, off, "the officer's notices screen in French")
	off.SetLang(translations.English)

	// A student's desk: registers on a connected desk and receives it.
	stu := freshDesk(t)
	connectDesk(t, stu, srv)
	stu.Show(ScreenRegister)
	rf := stu.view.(*credentialForm)
	fillCredentials(rf, "Élodie", "Côté", "elodie.cote")
	rf.email.SetText("elodie@example.ca")
	test.Tap(rf.submit)
	online(t, stu, "the student")
	syncWait(t, stu, "the notice on the student's desk", func() bool { return len(stu.notices) == 1 })

	// A desk nobody has signed in on: its sign-in screen reads the list.
	door := freshDesk(t)
	connectDesk(t, door, srv)
	door.Show(ScreenSignIn)
	if len(door.notices) != 1 {
		t.Fatalf("the sign-in screen holds %d notices", len(door.notices))
	}

	n := stu.notices[0]
	for _, e := range []*Env{stu, door} {
		who := "the student"
		if e == door {
			who = "the sign-in screen"
		}
		at := func(now time.Time) {
			e.Now = func() time.Time { return now }
			e.CheckNotices()
		}
		at(n.From.Add(-notice.Lead - time.Minute))
		if got := bannerText(e); got != "" {
			t.Fatalf("%s, long before: %q", who, got)
		}
		at(n.From.Add(-time.Hour))
		e.SetLang(translations.English)
		if got := bannerText(e); !strings.Contains(got, "will be unavailable from "+e.Tr().DateTime(n.From)) ||
			!strings.Contains(got, "for an upgrade") || !strings.Contains(got, "You can keep working") {
			t.Fatalf("%s, before, in English: %q", who, got)
		}
		e.SetLang(translations.French)
		if got := bannerText(e); !strings.Contains(got, "sera indisponible du "+e.Tr().DateTime(n.From)) ||
			!strings.Contains(got, "mise à niveau") {
			t.Fatalf("%s, before, in French: %q", who, got)
		}
		fitsScreen(t, e, who+" with the banner in French")
		// Hidden while announced; back when the window starts.
		test.Tap(e.noticeBar.hide[n.ID])
		if got := bannerText(e); got != "" {
			t.Fatalf("%s, hidden: %q", who, got)
		}
		at(n.From.Add(time.Minute))
		if got := bannerText(e); !strings.Contains(got, "est indisponible jusqu’au "+e.Tr().DateTime(n.To)) {
			t.Fatalf("%s, during, in French: %q", who, got)
		}
		e.SetLang(translations.English)
		if got := bannerText(e); !strings.Contains(got, "is unavailable until") {
			t.Fatalf("%s, during, in English: %q", who, got)
		}
		at(n.To.Add(time.Minute))
		if got := bannerText(e); got != "" {
			t.Fatalf("%s, after: %q", who, got)
		}
	}

	// The officer withdraws it: the student's banner goes.
	off.Show(ScreenNotices)
	v = off.view.(*noticesView)
	test.Tap(v.withdraw[n.ID])
	test.Tap(findButton(t, off, "Confirm"))
	online(t, off, "the officer, withdrawn")
	syncWait(t, stu, "the withdrawal on the student's desk", func() bool {
		return len(stu.notices) == 1 && !stu.notices[0].Withdrawn.IsZero()
	})
	stu.Now = func() time.Time { return n.From.Add(-time.Hour) }
	stu.CheckNotices()
	if got := bannerText(stu); got != "" {
		t.Fatalf("withdrawn, still shown: %q", got)
	}
}

// TestSyncSaysMaintenance: a desk that cannot reach its server while a
// notice's window covers its clock says the server is in maintenance,
// in the bar and on the sync screen, rather than "offline"; outside the
// window it says offline.
func TestSyncSaysMaintenance(t *testing.T) {
	srv := startSyncServer(t)
	e := freshDesk(t)
	connectDesk(t, e, srv)
	e.Show(ScreenRegister)
	rf := e.view.(*credentialForm)
	fillCredentials(rf, "Élodie", "Côté", "elodie.cote")
	test.Tap(rf.submit)
	online(t, e, "the student")
	from := time.Date(2027, 3, 6, 22, 0, 0, 0, time.UTC)
	held := []notice.Notice{{ID: [16]byte{7}, From: from, To: from.Add(4 * time.Hour), EN: "Upgrade.", FR: "Mise à niveau.", Version: 1}}
	s := e.syncStatus
	s.Online, s.Err = false, domain.Wrap(sync.ErrOffline, errors.New("connection refused"))
	for _, c := range []struct {
		at         time.Time
		bar, again string
	}{
		{from.Add(time.Hour), "Server in maintenance", "in maintenance until"},
		{from.Add(5 * time.Hour), "Offline", "cannot be reached"},
	} {
		e.Now = func() time.Time { return c.at }
		e.Show(ScreenSync)
		e.notices = held // as the feed brought them
		e.showSyncStatus(s)
		if !strings.HasPrefix(e.bar.sync.Text, c.bar) {
			t.Errorf("bar at %v: %q", c.at, e.bar.sync.Text)
		}
		if got := e.view.(*syncView).status.Text; !strings.Contains(got, c.again) {
			t.Errorf("sync screen at %v: %q", c.at, got)
		}
	}
}

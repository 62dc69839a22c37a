package notice

import (
	"errors"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

var (
	officer = account.Actor{Account: domain.ID{1}, Role: account.ProgramOfficer}
	system  = account.Actor{Role: account.System}
	now     = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
)

func TestSchedule(t *testing.T) {
	h := time.Hour
	cases := []struct {
		name     string
		by       account.Actor
		from, to time.Time
		en, fr   string
		want     domain.Code
		field    string
	}{
		{"officer", officer, now.Add(24 * h), now.Add(28 * h), "Down.", "Arrêt.", "", ""},
		{"operator", system, now.Add(24 * h), now.Add(28 * h), "Down.", "Arrêt.", "", ""},
		{"already started, ends later", officer, now.Add(-h), now.Add(h), "Down.", "Arrêt.", "", ""},
		{"student", account.Actor{Role: account.Student}, now.Add(24 * h), now.Add(28 * h), "Down.", "Arrêt.", account.ErrForbidden, ""},
		{"DIR", account.Actor{Role: account.DIR}, now.Add(24 * h), now.Add(28 * h), "Down.", "Arrêt.", account.ErrForbidden, ""},
		{"coordinator", account.Actor{Role: account.Coordinator}, now.Add(24 * h), now.Add(28 * h), "Down.", "Arrêt.", account.ErrForbidden, ""},
		{"end before start", officer, now.Add(28 * h), now.Add(24 * h), "Down.", "Arrêt.", ErrWindow, "to"},
		{"end equals start", officer, now.Add(24 * h), now.Add(24 * h), "Down.", "Arrêt.", ErrWindow, "to"},
		{"ended", officer, now.Add(-3 * h), now.Add(-h), "Down.", "Arrêt.", ErrEnded, "to"},
		{"ends now", officer, now.Add(-3 * h), now, "Down.", "Arrêt.", ErrEnded, "to"},
		{"too long", officer, now.Add(h), now.Add(h + MaxWindow + time.Minute), "Down.", "Arrêt.", ErrTooLong, "to"},
		{"longest", officer, now.Add(h), now.Add(h + MaxWindow), "Down.", "Arrêt.", "", ""},
		{"too far", officer, now.Add(MaxAhead + h), now.Add(MaxAhead + 2*h), "Down.", "Arrêt.", ErrTooFar, "from"},
		{"no English", officer, now.Add(24 * h), now.Add(28 * h), "  \u200b ", "Arrêt.", ErrText, "en"},
		{"no French", officer, now.Add(24 * h), now.Add(28 * h), "Down.", "", ErrText, "fr"},
		{"English too long", officer, now.Add(24 * h), now.Add(28 * h), strings.Repeat("a", MaxText+1), "Arrêt.", ErrText, "en"},
		{"French at the limit", officer, now.Add(24 * h), now.Add(28 * h), "Down.", strings.Repeat("é", MaxText), "", ""},
		{"French megabytes", officer, now.Add(24 * h), now.Add(28 * h), "Down.", strings.Repeat("é", 1<<20), ErrText, "fr"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := Schedule(c.by, domain.ID{9}, c.from, c.to, c.en, c.fr, now)
			if got := domain.ErrorCode(err); got != c.want {
				t.Fatalf("code = %q (%v), want %q", got, err, c.want)
			}
			var de *domain.Error
			if c.field != "" && (!errors.As(err, &de) || de.Field != c.field) {
				t.Fatalf("field of %v, want %q", err, c.field)
			}
			if err == nil && (n.Version != 1 || !n.Scheduled.Equal(now)) {
				t.Fatalf("notice = %+v", n)
			}
		})
	}
}

func TestScheduleCleansText(t *testing.T) {
	n, err := Schedule(officer, domain.ID{9}, now.Add(time.Hour), now.Add(2*time.Hour),
		" Dossier\u200b  will\n be away. ", "Dossier\tsera absent.", now)
	if err != nil {
		t.Fatal(err)
	}
	if n.EN != "Dossier will be away." || n.FR != "Dossier sera absent." {
		t.Fatalf("texts %q %q", n.EN, n.FR)
	}
}

func TestWithdraw(t *testing.T) {
	n, err := Schedule(officer, domain.ID{9}, now.Add(24*time.Hour), now.Add(26*time.Hour), "Down.", "Arrêt.", now)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		n    Notice
		by   account.Actor
		at   time.Time
		want domain.Code
	}{
		{"before", n, officer, now.Add(time.Hour), ""},
		{"a minute before", n, system, n.From.Add(-time.Minute), ""},
		{"at the start", n, officer, n.From, ErrStarted},
		{"during", n, officer, n.From.Add(time.Hour), ErrStarted},
		{"student", n, account.Actor{Role: account.Student}, now, account.ErrForbidden},
		{"twice", Notice{From: n.From, To: n.To, Withdrawn: now}, officer, now, ErrWithdrawn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := c.n.Withdraw(c.by, c.at)
			if got := domain.ErrorCode(err); got != c.want {
				t.Fatalf("code = %q, want %q", got, c.want)
			}
			if err == nil && (w.Withdrawn.IsZero() || w.Version != c.n.Version+1) {
				t.Fatalf("withdrawn = %+v", w)
			}
		})
	}
}

func TestPhase(t *testing.T) {
	from := now.Add(100 * time.Hour)
	n := Notice{ID: domain.ID{1}, From: from, To: from.Add(4 * time.Hour)}
	cases := []struct {
		name string
		n    Notice
		at   time.Time
		want Phase
	}{
		{"long before", n, from.Add(-Lead - time.Minute), Quiet},
		{"lead starts", n, from.Add(-Lead), Ahead},
		{"just before", n, from.Add(-time.Minute), Ahead},
		{"window starts", n, from, During},
		{"in the window", n, from.Add(3 * time.Hour), During},
		{"window ends", n, n.To, Quiet},
		{"after", n, n.To.Add(time.Hour), Quiet},
		{"withdrawn", Notice{From: from, To: n.To, Withdrawn: now}, from.Add(time.Hour), Quiet},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.n.PhaseAt(c.at); got != c.want {
				t.Fatalf("phase = %d, want %d", got, c.want)
			}
		})
	}
	later := Notice{ID: domain.ID{2}, From: from.Add(time.Hour), To: from.Add(2 * time.Hour)}
	shown := Shown([]Notice{later, n}, from.Add(-time.Hour))
	if len(shown) != 2 || shown[0].ID != n.ID {
		t.Fatalf("shown = %+v", shown)
	}
	if _, ok := Covering([]Notice{later, n}, from.Add(-time.Hour)); ok {
		t.Fatal("covering before the window")
	}
	if c, ok := Covering([]Notice{later, n}, from.Add(90*time.Minute)); !ok || c.ID != later.ID && c.ID != n.ID {
		t.Fatalf("covering = %+v %v", c, ok)
	}
}

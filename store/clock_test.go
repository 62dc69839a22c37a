package store

import (
	"testing"
	"time"

	"dossier/domain"
)

// TestTheServersClock: deadline dates are the server's; a printed day and
// the "made offline at" time are the desk's only within the window.
func TestTheServersClock(t *testing.T) {
	sv := &Server{opt: ServerOptions{MaxAhead: 5 * time.Minute}}
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for _, desk := range []time.Time{{}, now.AddDate(4, 0, 0), now.AddDate(0, -10, 0), now.Add(-time.Hour)} {
		if got := sv.At(desk, now); !got.Equal(now) {
			t.Errorf("at(%v) = %v", desk, got)
		}
	}
	for _, tt := range []struct {
		desk, want time.Time
	}{
		{time.Time{}, time.Time{}},
		{now.Add(-time.Minute), time.Time{}}, // online
		{now.Add(time.Hour), time.Time{}},    // ahead
		{now.AddDate(0, 0, -7), now.AddDate(0, 0, -7)},
		{now.AddDate(0, 0, -31), time.Time{}},
	} {
		if got := sv.offlineAt(tt.desk, now); !got.Equal(tt.want) {
			t.Errorf("offlineAt(%v) = %v, want %v", tt.desk, got, tt.want)
		}
	}
	today := domain.DateOf(now)
	for _, tt := range []struct{ desk, want domain.Date }{
		{domain.Date{}, today}, {today.AddDays(-7), today.AddDays(-7)}, {today.AddDays(-31), today}, {today.AddDays(2), today},
	} {
		if got := sv.DeskDate(tt.desk, now); got != tt.want {
			t.Errorf("deskDate(%v) = %v, want %v", tt.desk, got, tt.want)
		}
	}
}

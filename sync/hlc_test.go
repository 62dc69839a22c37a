package sync

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func TestTickNeverRunsBackwards(t *testing.T) {
	h := MakeHLC(t0, 0)
	next := h.Tick(t0.Add(-time.Hour)) // the wall clock stepped back
	if next <= h || !next.Wall().Equal(t0) || next.Logical() != 1 {
		t.Fatalf("tick after a step back: %v from %v", next, h)
	}
	if later := next.Tick(t0.Add(time.Second)); later.Wall() != t0.Add(time.Second) || later.Logical() != 0 {
		t.Fatalf("tick after wall moved on: %v", later)
	}
}

func TestObserve(t *testing.T) {
	h := MakeHLC(t0, 5)
	tests := []struct {
		name    string
		remote  HLC
		want    HLC
		clamped bool
	}{
		{"remote behind", MakeHLC(t0.Add(-time.Minute), 9), MakeHLC(t0, 6), false},
		{"remote slightly ahead", MakeHLC(t0.Add(time.Minute), 3), MakeHLC(t0.Add(time.Minute), 4), false},
		{"remote two hours ahead is clamped", MakeHLC(t0.Add(2*time.Hour), 0), MakeHLC(t0.Add(5*time.Minute), 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, clamped := h.Observe(tt.remote, t0, 5*time.Minute)
			if got != tt.want || clamped != tt.clamped {
				t.Fatalf("got %v %v, want %v %v", got, clamped, tt.want, tt.clamped)
			}
		})
	}
}

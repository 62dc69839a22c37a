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

// FuzzHLC: whatever a remote reading says, a clock never runs backwards:
// a tick is ahead of the last reading and of the wall clock; an observed
// reading is ahead of the last one and of the remote one, which is clamped
// exactly when it is further ahead of the wall clock than allowed, and it
// goes no further ahead than it must. A reading splits into its wall time
// and counter and is made back from them.
func FuzzHLC(f *testing.F) {
	now := t0.UnixMilli()
	f.Add(uint64(MakeHLC(t0, 5)), uint64(MakeHLC(t0.Add(-time.Minute), 9)), now, uint32(5*60_000))
	f.Add(uint64(MakeHLC(t0, 5)), uint64(MakeHLC(t0.Add(2*time.Hour), 0)), now, uint32(5*60_000))
	f.Add(uint64(MakeHLC(t0, 0xffff)), uint64(0), now-1, uint32(0))
	f.Add(uint64(0), uint64(1<<64-1), int64(0), uint32(1<<32-1))
	f.Fuzz(func(t *testing.T, last, remote uint64, nowMillis int64, aheadMillis uint32) {
		// The wall clock reads between 1970 and the year 6429, when 48
		// bits of milliseconds run out; the last reading is one this
		// clock made, which observing clamped readings keeps below
		// 2⁶³ for as long.
		nowMillis &= 1<<46 - 1
		h := HLC(last & (1<<63 - 1))
		now := time.UnixMilli(nowMillis)
		ahead := time.Duration(aheadMillis) * time.Millisecond

		if MakeHLC(h.Wall(), h.Logical()) != h {
			t.Fatalf("%d splits into %v and %d", h, h.Wall(), h.Logical())
		}
		tick := h.Tick(now)
		if tick <= h || tick < MakeHLC(now, 0) || tick != max(h+1, MakeHLC(now, 0)) {
			t.Fatalf("%v ticks to %v at %v", h, tick, now)
		}
		next, clamped := h.Observe(HLC(remote), now, ahead)
		limit := MakeHLC(now.Add(ahead), 0)
		if clamped != (HLC(remote) > limit) {
			t.Fatalf("%v observed at %v with %v ahead: clamped %v", HLC(remote), now, ahead, clamped)
		}
		seen := min(HLC(remote), limit)
		if next <= h || next <= seen || next < tick || next != max(tick, seen+1) {
			t.Fatalf("%v observing %v at %v with %v ahead: %v", h, HLC(remote), now, ahead, next)
		}
	})
}

package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name                 string
		live, scanned, floor uint64
		base, want           int
	}{
		// A desk working its queue: 3 MB live, 3.5 MB scanned. The heap
		// may grow by the floor, 16 MB, not by 3.5 MB.
		{"small heap grows by the floor", 3 * mb, 3.5 * mb, 16 * mb, 100, 457},
		// A first download: 28 MB live. Twice that is more than the
		// floor: GOGC stays the process's own.
		{"large heap keeps its base", 28 * mb, 29 * mb, 16 * mb, 100, 100},
		// Past half the floor, twice the heap is near the floor.
		{"a heap past half the floor keeps its base", 9 * mb, 9.5 * mb, 16 * mb, 100, 100},
		{"a heap of half the floor is raised", 8 * mb, 8.5 * mb, 16 * mb, 100, 188},
		{"a base above 100 stands", 2 * mb, 2.5 * mb, 16 * mb, 800, 800},
		// Nearly nothing live: the runtime's minimum goal, 4 MB scaled by
		// GOGC, would otherwise let the heap pass the floor many times.
		{"empty heap held by the runtime's minimum", 100 << 10, 600 << 10, 16 * mb, 100, 402},
		{"nothing scanned", 0, 0, 16 * mb, 100, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percent(tc.live, tc.scanned, tc.floor, tc.base); got != tc.want {
				t.Errorf("Percent(%d, %d, %d, %d) = %d, want %d", tc.live, tc.scanned, tc.floor, tc.base, got, tc.want)
			}
		})
	}
}

// gcState is the runtime's GOGC and heap goal now.
func gcState() (percent int, goal uint64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64()), s[1].Value.Uint64()
}

// memoryLimit is the runtime's memory limit now.
func memoryLimit() int64 { return debug.SetMemoryLimit(-1) }

// collectUntil runs collections until ok holds, as the tuner works on the
// finalizer goroutine after each.
func collectUntil(t *testing.T, ok func(percent int, goal uint64) bool) (int, uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		p, g := gcState()
		if ok(p, g) {
			return p, g
		}
		if time.Now().After(deadline) {
			t.Fatalf("GOGC %d, goal %d MB: never tuned", p, g>>20)
		}
	}
}

var kept [][]byte

// TestKeep raises the goal of a small heap to about the floor, gives a
// large heap back its own GOGC, and puts the previous GOGC back on stop.
func TestKeep(t *testing.T) {
	const floor = 32 << 20
	stop := Keep(Bounds{Floor: floor}, func(string) string { return "" })
	// A small heap: the next collection comes about floor bytes on.
	p, goal := collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
	if goal < floor || goal > floor+8<<20 {
		t.Errorf("small heap: GOGC %d, goal %d MB, want about %d MB", p, goal>>20, floor>>20)
	}
	// The raise has a memory limit beside it, above the goal.
	if l := memoryLimit(); l == math.MaxInt64 || l < int64(goal)+floor/2 {
		t.Errorf("small heap: memory limit %d MB, want half the floor above the %d MB goal", l>>20, goal>>20)
	}
	// A large live heap: twice it passes the floor, so GOGC is 100 again.
	for range 48 {
		kept = append(kept, make([]byte, 1<<20))
	}
	p, goal = collectUntil(t, func(p int, _ uint64) bool { return p == 100 })
	if goal < 96<<20 {
		t.Errorf("large heap: GOGC %d, goal %d MB, want twice the 48 MB live", p, goal>>20)
	}
	if l := memoryLimit(); l != math.MaxInt64 {
		t.Errorf("large heap: memory limit %d MB, want none", l>>20)
	}
	kept = nil
	stop()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if p, _ := gcState(); p != 100 || memoryLimit() != math.MaxInt64 {
		t.Errorf("after stop: GOGC %d, memory limit %d, want 100 and none", p, memoryLimit())
	}
}

func TestLimit(t *testing.T) {
	const mb = 1 << 20
	desk := Bounds{Floor: 16 * mb, Ceiling: 40 * mb}
	tests := []struct {
		name   string
		live   uint64
		b      Bounds
		raised bool
		want   uint64
	}{
		{"raised: half the floor above the raised goal", 6 * mb, desk, true, 30 * mb},
		{"a download's heap under the ceiling", 20 * mb, desk, false, 40 * mb},
		// Counted live past two thirds of the ceiling: half again what
		// is live, so the collector never runs more than every half of it.
		{"a heap past two thirds of the ceiling", 34 * mb, desk, false, 51 * mb},
		{"no ceiling", 20 * mb, Bounds{Floor: 16 * mb}, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Limit(tc.live, tc.b, tc.raised); got != tc.want {
				t.Errorf("Limit(%d MB, %+v, %v) = %d MB, want %d MB", tc.live>>20, tc.b, tc.raised, got>>20, tc.want>>20)
			}
		})
	}
}

// TestKeepCeiling limits a heap too large to raise to the ceiling, and to
// half again what is live once that is more.
func TestKeepCeiling(t *testing.T) {
	const mb = 1 << 20
	stop := Keep(Bounds{Floor: 16 * mb, Ceiling: 64 * mb}, func(string) string { return "" })
	defer stop()
	defer func() { kept = nil }()
	for range 24 {
		kept = append(kept, make([]byte, mb))
	}
	collectUntil(t, func(p int, _ uint64) bool { return p == 100 && memoryLimit() < math.MaxInt64 })
	if l := memoryLimit(); l < 64*mb || l > 64*mb+32*mb {
		t.Errorf("24 MB live: memory limit %d MB, want the 64 MB ceiling and the runtime's own", l>>20)
	}
	for range 48 {
		kept = append(kept, make([]byte, mb))
	}
	collectUntil(t, func(int, uint64) bool { return memoryLimit() > 100*mb })
	if l := memoryLimit(); l < 108*mb || l > 108*mb+32*mb {
		t.Errorf("72 MB live: memory limit %d MB, want half again what is live, 108 MB, and the runtime's own", l>>20)
	}
}

// TestKeepLeavesTheOperatorsSetting does nothing when GOGC or GOMEMLIMIT
// is set.
func TestKeepLeavesTheOperatorsSetting(t *testing.T) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		stop := Keep(Desk, func(k string) string { return map[string]string{name: "200"}[k] })
		p, _ := collectUntil(t, func(int, uint64) bool { return true })
		stop()
		if p != 100 || memoryLimit() != math.MaxInt64 {
			t.Errorf("%s set: GOGC %d, memory limit %d, want the process's 100 and none", name, p, memoryLimit())
		}
	}
}

// TestHold puts a ceiling on a heap too large to raise while held, keeps
// the highest of two, and takes it off once both are released; without a
// tuner it does nothing.
func TestHold(t *testing.T) {
	const mb = 1 << 20
	if release := Hold(64 * mb); memoryLimit() != math.MaxInt64 {
		t.Errorf("no tuner: memory limit %d MB, want none", memoryLimit()>>20)
		release()
	}
	stop := Keep(Bounds{Floor: 16 * mb}, func(string) string { return "" })
	defer stop()
	defer func() { kept = nil }()
	for range 24 {
		kept = append(kept, make([]byte, mb))
	}
	collectUntil(t, func(p int, _ uint64) bool { return p == 100 })
	if l := memoryLimit(); l != math.MaxInt64 {
		t.Fatalf("24 MB live, no hold: memory limit %d MB, want none", l>>20)
	}
	low := Hold(48 * mb)
	high := Hold(64 * mb)
	// Set at once, not at the next collection: a download's first page
	// comes before it.
	if l := memoryLimit(); l < 64*mb || l > 64*mb+32*mb {
		t.Errorf("held at 48 and 64 MB: memory limit %d MB, want the higher and the runtime's own", l>>20)
	}
	high()
	high() // a second release changes nothing
	collectUntil(t, func(int, uint64) bool { return true })
	if l := memoryLimit(); l < 48*mb || l > 48*mb+32*mb {
		t.Errorf("held at 48 MB: memory limit %d MB, want it and the runtime's own", l>>20)
	}
	low()
	if l := memoryLimit(); l != math.MaxInt64 {
		t.Errorf("released: memory limit %d MB, want none", l>>20)
	}
	stop()
	if release := Hold(64 * mb); memoryLimit() != math.MaxInt64 {
		t.Errorf("tuner stopped: memory limit %d MB, want none", memoryLimit()>>20)
		release()
	}
}

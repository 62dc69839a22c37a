package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"
)

// The tests below attack Hold: with the real runtime's collections and
// finalizer goroutine, under -race.

// liveHeap keeps mb MiB live, too much for the tuner to raise GOGC under a
// 16 MiB floor, so that the memory limit is the holds' alone.
func liveHeap(t *testing.T, mb int) {
	t.Helper()
	for range mb {
		kept = append(kept, make([]byte, 1<<20))
	}
	collectUntil(t, func(p int, _ uint64) bool { return p == 100 })
}

// TestAttackHoldRacesStopAndTune attacks Hold against everything that can
// run beside it: many goroutines take and release holds (0, tiny, the
// download's, past 2^63, 2^64-1), releasing each twice, while another
// forces collections (the finalizer-driven tune) and the tuner is stopped
// half way; the releases after the stop must change nothing. Once it is
// all over the process's GOGC and memory limit must be exactly what they
// were before Keep.
func TestAttackHoldRacesStopAndTune(t *testing.T) {
	restore(t)
	const mb = 1 << 20
	base := debug.SetMemoryLimit(-1)
	stop := Keep(Bounds{Floor: 16 * mb}, noEnv)
	liveHeap(t, 24)
	ceilings := []uint64{0, 1, 48 * mb, 64 * mb, 1 << 63, math.MaxUint64, math.MaxInt64, math.MaxInt64 - 1}
	var wg gosync.WaitGroup
	var stopped atomic.Bool
	done := make(chan struct{})
	go func() { // collections: the tuner runs on the finalizer goroutine
		for {
			select {
			case <-done:
				return
			default:
				runtime.GC()
			}
		}
	}()
	var late [][]func()
	var lateMu gosync.Mutex
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []func()
			for i := range 200 {
				r := Hold(ceilings[(g+i)%len(ceilings)])
				if i%3 == 0 {
					mine = append(mine, r) // released after the stop
					continue
				}
				r()
				r()
			}
			lateMu.Lock()
			late = append(late, mine)
			lateMu.Unlock()
		}()
	}
	time.Sleep(5 * time.Millisecond)
	stop()
	stopped.Store(true)
	wg.Wait()
	close(done)
	for _, rs := range late {
		for _, r := range rs {
			r()
			r()
		}
	}
	drainFinalizers(t)
	if l := memoryLimit(); l != base {
		t.Errorf("after stop and every release: memory limit %d, want %d as before Keep", l, base)
	}
	if p := gogc(); p != 100 {
		t.Errorf("after stop: GOGC %d, want 100", p)
	}
	// A hold of a stopped tuner's is a no-op.
	r := Hold(48 * mb)
	if l := memoryLimit(); l != base {
		t.Errorf("Hold with no tuner: memory limit %d, want %d", l, base)
	}
	r()
}

// TestAttackHoldAcrossTuners: a hold taken before Keep does nothing, and
// its release (and the release of a hold of a tuner since stopped) must
// not take off a hold of the tuner that runs now.
func TestAttackHoldAcrossTuners(t *testing.T) {
	restore(t)
	const mb = 1 << 20
	before := Hold(48 * mb) // no tuner yet
	if l := memoryLimit(); l != math.MaxInt64 {
		t.Fatalf("Hold before Keep: memory limit %d MB, want none", l>>20)
	}
	stop1 := Keep(Bounds{Floor: 16 * mb}, noEnv)
	liveHeap(t, 24)
	if l := memoryLimit(); l != math.MaxInt64 {
		t.Errorf("Keep after a Hold: memory limit %d MB, want none (the hold had no tuner)", l>>20)
	}
	old := Hold(64 * mb)
	stop1()
	if l := memoryLimit(); l != math.MaxInt64 {
		t.Errorf("stopped with a hold: memory limit %d MB, want none", l>>20)
	}
	stop2 := Keep(Bounds{Floor: 16 * mb}, noEnv)
	defer stop2()
	collectUntil(t, func(p int, _ uint64) bool { return p == 100 })
	now := Hold(48 * mb)
	defer now()
	want := memoryLimit()
	if want < 48*mb || want > 48*mb+32*mb {
		t.Fatalf("held at 48 MB: memory limit %d MB", want>>20)
	}
	before()
	old()
	if l := memoryLimit(); l != want {
		t.Errorf("stale releases: memory limit %d MB, want the running hold's %d MB", l>>20, want>>20)
	}
}

// TestAttackHoldExtremes: a ceiling of 0 does nothing; one of 1 byte must
// not put the limit under what is live (the ceiling is raised to half
// again what is live); ceilings near 2^63 and 2^64 must not wrap round to
// a small or negative limit; a process's own limit, set before Keep, caps
// every hold and comes back exactly on release.
func TestAttackHoldExtremes(t *testing.T) {
	restore(t)
	const mb = 1 << 20
	own := int64(512 * mb)
	debug.SetMemoryLimit(own)
	stop := Keep(Bounds{Floor: 16 * mb}, noEnv)
	defer stop()
	liveHeap(t, 24)
	if l := memoryLimit(); l != own {
		t.Fatalf("no hold: memory limit %d MB, want the process's %d MB", l>>20, own>>20)
	}
	r := Hold(0)
	if l := memoryLimit(); l != own {
		t.Errorf("Hold(0): memory limit %d MB, want %d MB", l>>20, own>>20)
	}
	r()
	r = Hold(1)
	if l := memoryLimit(); l < 36*mb || l > own {
		t.Errorf("Hold(1) with 24 MB live: memory limit %d MB, want at least half again what is live (36 MB)", l>>20)
	}
	r()
	for _, c := range []uint64{1 << 63, math.MaxUint64, math.MaxInt64, math.MaxInt64 - 1, math.MaxUint64 - 1<<20} {
		r := Hold(c)
		if l := memoryLimit(); l != own {
			t.Errorf("Hold(%d): memory limit %d, want the process's own %d MB (no wrap)", c, l, own>>20)
		}
		r()
		if l := memoryLimit(); l != own {
			t.Errorf("released Hold(%d): memory limit %d, want %d MB exactly", c, l, own>>20)
		}
	}
	// With no limit of the process's own, a huge hold is no limit at all.
	stop()
	debug.SetMemoryLimit(math.MaxInt64)
	stop = Keep(Bounds{Floor: 16 * mb}, noEnv)
	collectUntil(t, func(p int, _ uint64) bool { return p == 100 })
	for _, c := range []uint64{1 << 63, math.MaxUint64, math.MaxInt64 - 1} {
		r := Hold(c)
		if l := memoryLimit(); l != math.MaxInt64 {
			t.Errorf("Hold(%d) with no process limit: memory limit %d, want none", c, l)
		}
		low := Hold(48 * mb) // the highest stands: still none
		if l := memoryLimit(); l != math.MaxInt64 {
			t.Errorf("Hold(%d) and Hold(48 MB): memory limit %d, want none (the highest)", c, l)
		}
		r()
		if l := memoryLimit(); l < 48*mb || l > 48*mb+32*mb {
			t.Errorf("Hold(%d) released, 48 MB held: memory limit %d MB", c, l>>20)
		}
		low()
		if l := memoryLimit(); l != math.MaxInt64 {
			t.Errorf("all released: memory limit %d, want none exactly", l)
		}
	}
	stop()
}

// TestAttackHoldDuringCollections: a hold must stand across collections
// (the finalizer's tune keeps the held ceiling), and once released the
// next collections must not bring it back.
func TestAttackHoldDuringCollections(t *testing.T) {
	restore(t)
	const mb = 1 << 20
	stop := Keep(Bounds{Floor: 16 * mb}, noEnv)
	defer stop()
	liveHeap(t, 24)
	r := Hold(48 * mb)
	for range 20 {
		runtime.GC()
		time.Sleep(time.Millisecond)
		if l := memoryLimit(); l < 48*mb || l > 48*mb+32*mb {
			t.Fatalf("held across a collection: memory limit %d MB", l>>20)
		}
	}
	r()
	for range 20 {
		runtime.GC()
		time.Sleep(time.Millisecond)
		if l := memoryLimit(); l != math.MaxInt64 {
			t.Fatalf("released, after a collection: memory limit %d MB, want none", l>>20)
		}
	}
}

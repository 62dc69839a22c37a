package heapfloor

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// The tests below attack the tuner with the real runtime: real
// collections, the real finalizer goroutine, runtime/metrics.

var noEnv = func(string) string { return "" }

// restore puts the process's GOGC and memory limit back after a test.
func restore(t *testing.T) {
	t.Cleanup(func() {
		kept, grown = nil, nil
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		runtime.GC()
	})
}

// gogc is the runtime's GOGC now, -1 when off.
func gogc() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func readUint(name string) uint64 {
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// blockFinalizers holds the finalizer goroutine in a finalizer of its own
// until release: the tuner's finalizer queues behind it.
func blockFinalizers(t *testing.T) (release func()) {
	t.Helper()
	started, block := make(chan struct{}), make(chan struct{})
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) { close(started); <-block })
	deadline := time.Now().Add(2 * time.Second)
	for {
		runtime.GC()
		select {
		case <-started:
			return func() { close(block) }
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the blocking finalizer never ran")
		}
	}
}

// drainFinalizers waits until every queued finalizer has run.
func drainFinalizers(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for readUint("/gc/finalizers/executed:finalizers") < readUint("/gc/finalizers/queued:finalizers") {
		if time.Now().After(deadline) {
			t.Fatal("finalizers never drained")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestAttackStopWithFinalizerQueued stops the tuner while its finalizer
// is already queued (behind a blocked one): once it runs, it must set
// neither GOGC nor the limit, and must not re-arm.
func TestAttackStopWithFinalizerQueued(t *testing.T) {
	restore(t)
	stop := Keep(Desk, noEnv)
	collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
	release := blockFinalizers(t)
	runtime.GC() // the tuner's sentinel dies and queues behind the blocked finalizer
	runtime.GC()
	queued := readUint("/gc/finalizers/queued:finalizers") - readUint("/gc/finalizers/executed:finalizers")
	if queued < 1 {
		t.Fatalf("%d finalizers queued with the finalizer goroutine held: the tuner's is not among them", queued)
	}
	t.Logf("%d finalizers queued or running when stop is called", queued)
	stop()
	debug.SetGCPercent(123)
	debug.SetMemoryLimit(1 << 40)
	release()
	drainFinalizers(t)
	executed := readUint("/gc/finalizers/executed:finalizers")
	for range 3 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if p, l := gogc(), memoryLimit(); p != 123 || l != 1<<40 {
		t.Errorf("after stop, the queued finalizer (%d queued) set GOGC %d and limit %d, want 123 and 1 TiB left alone", queued, p, l)
	}
	// The chain has ended: no sentinel is armed any more.
	if n := readUint("/gc/finalizers/executed:finalizers") - executed; n != 0 {
		t.Errorf("%d finalizers ran in 3 collections after stop: the tuner re-armed", n)
	}
}

// TestAttackChainOneSentinel: while the tuner runs, one finalizer runs per
// collection, not a growing number (the chain does not fork or leak).
func TestAttackChainOneSentinel(t *testing.T) {
	restore(t)
	stop := Keep(Desk, noEnv)
	defer stop()
	collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
	drainFinalizers(t)
	before := readUint("/gc/finalizers/executed:finalizers")
	for range 10 {
		runtime.GC()
		drainFinalizers(t)
	}
	if n := readUint("/gc/finalizers/executed:finalizers") - before; n < 5 || n > 10 {
		t.Errorf("%d finalizers in 10 collections, want one a collection (at most)", n)
	}
}

// TestAttackTwoKeeps runs a second Keep while the first runs, as a
// benchmark's Keep inside a TestMain's would. The second must not take
// the first's raised GOGC and its small limit for the process's own: a
// heap that then grows past that limit would be collected without end,
// and stopping them in either order must leave the process's own GOGC
// and no limit.
func TestAttackTwoKeeps(t *testing.T) {
	restore(t)
	stopA := Keep(Desk, noEnv)
	collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
	raisedLimit := memoryLimit()
	stopB := Keep(Desk, noEnv)
	for range 64 {
		kept = append(kept, make([]byte, 1<<20))
	}
	for i := range 6 {
		runtime.GC()
		drainFinalizers(t)
		live := readUint("/gc/heap/live:bytes")
		if p, l := gogc(), memoryLimit(); p != 100 || l < int64(live) {
			t.Errorf("collection %d, %d MB live: GOGC %d, limit %d MB (the first tuner's raised limit was %d MB); want 100 and a limit above what is live",
				i, live>>20, p, l>>20, raisedLimit>>20)
		}
	}
	kept = nil
	stopA()
	stopB()
	if p, l := gogc(), memoryLimit(); p != 100 || l != math.MaxInt64 {
		t.Errorf("both stopped: GOGC %d, limit %d MB, want 100 and none", p, l>>20)
	}
}

// TestAttackHugeCeiling: a ceiling at or past 2^63 (no real ceiling) must
// not wrap the limit round to a few megabytes, nor to a negative number
// the runtime ignores (leaving the raised limit of a small heap in force).
func TestAttackHugeCeiling(t *testing.T) {
	for _, ceiling := range []uint64{math.MaxUint64, 1 << 63} {
		func() {
			restore(t)
			stop := Keep(Bounds{Floor: 16 << 20, Ceiling: ceiling}, noEnv)
			defer stop()
			collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
			for range 40 {
				kept = append(kept, make([]byte, 1<<20))
			}
			collectUntil(t, func(p int, _ uint64) bool { return p == 100 })
			if l := memoryLimit(); l < 40<<20 {
				t.Errorf("ceiling %d, 40 MB live: limit %d MB, under what is live", ceiling, l>>20)
			}
			kept = nil
		}()
	}
}

// TestAttackPercentFitsGOGC: the runtime takes GOGC as an int32; a larger
// Percent would wrap negative and turn the collector off.
func TestAttackPercentFitsGOGC(t *testing.T) {
	if p := Percent(1<<20, 2<<20, 1<<47, 100); p > math.MaxInt32 {
		t.Errorf("Percent with a 128 TiB floor = %d, past the runtime's int32", p)
	}
	restore(t)
	stop := Keep(Bounds{Floor: 1 << 47}, noEnv)
	defer stop()
	runtime.GC()
	drainFinalizers(t)
	if p := gogc(); p < 0 {
		t.Errorf("a 128 TiB floor turned the collector off (GOGC %d)", p)
	}
}

// TestAttackProcessSettings: a GOGC of 400 and a memory limit the program
// set before Keep are its base: never gone under, put back on stop; a
// collector turned off (by the program or GOGC=off) stays off.
func TestAttackProcessSettings(t *testing.T) {
	restore(t)
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(20 << 20)
	stop := Keep(Desk, noEnv)
	for range 5 {
		runtime.GC()
		drainFinalizers(t)
		if p, l := gogc(), memoryLimit(); p < 400 || l > 20<<20 {
			t.Errorf("GOGC 400 and a 20 MB limit set before Keep: GOGC %d, limit %d MB", p, l>>20)
		}
	}
	stop()
	if p, l := gogc(), memoryLimit(); p != 400 || l != 20<<20 {
		t.Errorf("after stop: GOGC %d, limit %d MB, want 400 and 20 MB", p, l>>20)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	debug.SetGCPercent(-1)
	stop = Keep(Desk, noEnv)
	runtime.GC()
	drainFinalizers(t)
	if p, l := gogc(), memoryLimit(); p != -1 || l != math.MaxInt64 {
		t.Errorf("collector off before Keep: GOGC %d, limit %d MB, want off and none", p, l>>20)
	}
	stop()
	debug.SetGCPercent(100)
	stop = Keep(Desk, func(k string) string { return map[string]string{"GOGC": "off"}[k] })
	runtime.GC()
	drainFinalizers(t)
	if p, l := gogc(), memoryLimit(); p != 100 || l != math.MaxInt64 {
		t.Errorf("GOGC=off in the environment: GOGC %d, limit %d MB, want untouched", p, l>>20)
	}
	stop()
}

// TestAttackMissingMeasure: a runtime without one of the measures
// (KindBad) leaves GOGC and the limit alone.
func TestAttackMissingMeasure(t *testing.T) {
	restore(t)
	runtime.GC()
	tu := &tuner{bounds: Desk, base: 100, baseLimit: math.MaxInt64, sample: make([]metrics.Sample, len(measures))}
	for i, name := range measures {
		tu.sample[i].Name = name
	}
	tu.sample[mStack].Name = "/gc/scan/no-such-measure:bytes"
	tu.tune()
	if p, l := gogc(), memoryLimit(); p != 100 || l != math.MaxInt64 {
		t.Errorf("a missing measure: GOGC %d, limit %d", p, l)
	}
	// And every measure the tuner reads is in this runtime.
	all := map[string]metrics.ValueKind{}
	for _, d := range metrics.All() {
		all[d.Name] = d.Kind
	}
	for _, name := range measures {
		if all[name] != metrics.KindUint64 {
			t.Errorf("%s: kind %v in %s, want uint64", name, all[name], runtime.Version())
		}
	}
}

type node struct {
	next *node
	_    [6]uint64
}

var grown []*node

func gcCPU() (gc, total float64, cycles uint64) {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/gc/mark/idle:cpu-seconds"},
		{Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	// Idle marking runs on cores that would otherwise be idle: count it as neither.
	return s[0].Value.Float64() - s[1].Value.Float64(), s[2].Value.Float64() - s[1].Value.Float64() - s[3].Value.Float64(), s[4].Value.Uint64()
}

// growPointers retains mb megabytes of linked nodes (and makes garbage
// besides): a live heap that grows faster than the tuner re-arms.
func growPointers(mb int) {
	for range mb {
		var n *node
		for range (1 << 20) / 64 {
			n = &node{next: n}
		}
		grown = append(grown, n)
		for range 8 {
			_ = make([]byte, 64<<10)
		}
	}
}

// TestAttackGrowingHeap starts on a small, raised heap, with its limit
// half the floor above the goal, and grows the live heap to 150 MB as
// fast as it can: the tuner, running after each collection, must lift
// the limit with the heap, so that the collector neither runs without
// end nor takes most of the CPU.
func TestAttackGrowingHeap(t *testing.T) {
	restore(t)
	stop := Keep(Desk, noEnv)
	defer stop()
	collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
	g0, c0, n0 := gcCPU()
	start := time.Now()
	growPointers(150)
	took := time.Since(start)
	g1, c1, n1 := gcCPU()
	share := (g1 - g0) / (c1 - c0)
	t.Logf("grew 150 MB in %v: %d collections, GC %.0f%% of the CPU (idle marking aside), limit %d MB",
		took, n1-n0, 100*share, memoryLimit()>>20)
	if n1-n0 > 12 || share > 0.6 {
		t.Errorf("%d collections, GC %.0f%% of the CPU growing the heap to 150 MB: the limit held the heap", n1-n0, 100*share)
	}
	drainFinalizers(t)
	runtime.GC()
	drainFinalizers(t)
	if live, l := readUint("/gc/heap/live:bytes"), memoryLimit(); l < int64(live+live/2) {
		t.Errorf("%d MB live, limit %d MB: under half again what is live", live>>20, l>>20)
	}
}

// TestAttackStuckFinalizers: the tuner re-arms on the finalizer
// goroutine, which every finalizer in the process shares. Should one of
// them block while the heap is small and raised, the limit half the floor
// above that small heap stays in force; a heap that then grows is
// collected without end. A known risk of the design, not fixed here: set
// HEAPFLOOR_STUCK=1 to run it.
func TestAttackStuckFinalizers(t *testing.T) {
	if os.Getenv("HEAPFLOOR_STUCK") == "" {
		t.Skip("a known risk of the design; HEAPFLOOR_STUCK=1 runs it")
	}
	restore(t)
	stop := Keep(Desk, noEnv)
	defer stop()
	collectUntil(t, func(p int, _ uint64) bool { return p > 100 })
	release := blockFinalizers(t)
	defer release()
	g0, c0, n0 := gcCPU()
	growPointers(150)
	g1, c1, n1 := gcCPU()
	share := (g1 - g0) / (c1 - c0)
	t.Logf("finalizers stuck, heap grown to 150 MB: %d collections, GC %.0f%% of the CPU, limit %d MB",
		n1-n0, 100*share, memoryLimit()>>20)
	if n1-n0 > 12 || share > 0.6 {
		t.Errorf("%d collections, GC %.0f%% of the CPU: the small heap's limit stayed in force", n1-n0, 100*share)
	}
}

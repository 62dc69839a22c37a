// Package heapfloor keeps the garbage collector from collecting a small
// heap over and over — between two collections the heap may grow by at
// least a floor of bytes, however little of it is live — and a heap that
// allocates fast under a ceiling.
//
// Go collects when the heap has grown by GOGC % of what was live after the
// last collection. A desk working its queue holds 4-8 MB live, and a
// Verify allocates about 50 KB (its record and overlay, the applier's
// bbolt nodes and pages), so at the default of 100 it collected every
// 100-150 Verifies; on this project's two-core machines the click's
// journal write waits longer for the disk while both cores work
// (docs/performance.md, "A floor under the heap"). After each collection
// the package raises GOGC so that the next one comes about a floor's bytes
// later, and never lowers it under the process's own. (The desktop app holds about 19 MB live once its
// window is up, so it collects about that often anyway; the floor gives a
// smaller heap, and the store's benchmarks, the same pacing.) Uber's and
// CockroachDB's GC tuners do the same.
//
// A ceiling (Bounds.Ceiling, or Hold for the length of a burst) is a
// memory limit at it, or at half again what is live when that is more: a
// heap that allocates fast, whose collector counts what it allocates while
// marking as live, is collected earlier. A heap of more than two thirds
// of the ceiling is then collected every half of what is live, whatever
// the process's GOGC: about twice the collector's work of GOGC 100. That
// is why the desk holds one only while it downloads (sync/client), and not
// while it sorts 50,000 names.
//
// The tuner runs on the runtime's one finalizer goroutine, which every
// finalizer shares: a finalizer elsewhere that blocked while GOGC was
// raised would leave the small heap's limit in force as the heap grew
// (TestAttackStuckFinalizers). Nothing in Dossier or Fyne sets one.
package heapfloor

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	gosync "sync"
)

// Bounds are what the tuner keeps the heap between, collection to
// collection.
type Bounds struct {
	// Floor is how much a heap of at most half of it may grow before the
	// next collection, however little of it is live.
	Floor uint64
	// Ceiling, when not 0, is a memory limit for the heap, raised to half
	// again what the last collection found live when that is more. It
	// stops the collector's pacing from letting a heap that allocates fast
	// (a first download) grow to twice what it counted live, floating
	// garbage included, and never collects a heap more often than every
	// half of what is live.
	Ceiling uint64
}

// Desk is the desktop app's: a 16 MiB floor, a few hundred Verifies
// between collections, and no ceiling. A 48 MiB ceiling kept the first
// download's heap at 46-48 MB (51-68 MB without), but it collected a
// 50,000-name sort from cold, 35-57 MB live, every half of what it held:
// 100-114 ms instead of 56-74 ms, against a 100 ms target. The download
// holds that ceiling only while it runs (Hold, from sync/client).
var Desk = Bounds{Floor: 16 << 20}

// The runtime's measures after a collection: the heap that survived it,
// and the stacks and globals it scanned (GOGC is a percentage of all
// three: the Go GC guide); then the memory the process maps, and the
// heap's share of it (objects, their spans' unused room, free and
// released spans), whatever is left being the runtime's own.
var measures = []string{
	"/gc/heap/live:bytes", "/gc/scan/stack:bytes", "/gc/scan/globals:bytes",
	"/memory/classes/total:bytes", "/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes", "/memory/classes/heap/released:bytes",
}

const (
	mLive = iota
	mStack
	mGlobals
	mTotal
	mObjects // the heap's classes, through mReleased
	mUnused
	mFree
	mReleased
)

// runtimeMinimum is the runtime's smallest heap goal at GOGC 100, which
// it scales with GOGC (runtime/mgcpacer.go, heapMinimum): at a high GOGC
// it alone would let a nearly empty heap grow far past the floor.
const runtimeMinimum = 4 << 20

// Percent is the GOGC under which the heap grows by about floor bytes
// before the next collection, when the last one left live bytes of heap
// and scanned bytes in all (that heap, the stacks and the globals), and
// never less than base. Only a heap of at most half the floor is raised:
// the raise stays in force until the tuner runs after the next
// collection, however much the heap has grown by then (the limit below
// bounds that), and twice a larger heap is near the floor already.
func Percent(live, scanned, floor uint64, base int) int {
	if live > floor/2 {
		return base
	}
	p := min(floor*100/max(scanned, 1), (live+floor)*100/runtimeMinimum)
	// The runtime takes GOGC as an int32: past it, it would wrap
	// negative and turn the collector off.
	return max(int(min(p, math.MaxInt32)), base)
}

// Limit is the memory limit for the heap (without the runtime's own
// memory) after a collection that left live bytes: half the floor above
// the raised goal while GOGC is raised, else the ceiling or half again
// what is live, whichever is more; 0 for none.
func Limit(live uint64, b Bounds, raised bool) uint64 {
	switch {
	case raised:
		return live + b.Floor + b.Floor/2
	case b.Ceiling == 0:
		return 0
	default:
		return max(b.Ceiling, live+live/2)
	}
}

// tuner re-arms itself after every collection through a finalizer, which
// the runtime runs once the collection that found its sentinel unreachable
// has swept it: soon after, or as late as the next collection.
type tuner struct {
	bounds    Bounds
	base      int
	baseLimit int64
	mu        gosync.Mutex
	done      bool
	sample    []metrics.Sample
	// holds are the ceilings Hold has set and not yet released.
	holds map[*uint64]struct{}
}

// keeping is whether a tuner runs: one at a time, or a second would take
// the first's raised GOGC and limit for the process's own.
var keeping struct {
	gosync.Mutex
	on bool
	t  *tuner
}

// sentinel holds a pointer so that it has a finalizer of its own (tiny
// pointer-free objects may share an allocation).
type sentinel struct{ t *tuner }

// Keep raises GOGC after each collection so that a small heap may grow by
// b.Floor before the next, and sets the memory limit (Limit), unless the
// environment (getenv) sets GOGC or GOMEMLIMIT: an operator's own setting
// wins. It returns what stops it and puts the previous GOGC and memory
// limit back. One tuner runs at a time: a Keep while another runs does
// nothing.
func Keep(b Bounds, getenv func(string) string) (stop func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	keeping.Lock()
	defer keeping.Unlock()
	if keeping.on {
		return func() {}
	}
	base := debug.SetGCPercent(100)
	debug.SetGCPercent(base)
	if base < 0 {
		return func() {} // collection is off: nothing to raise
	}
	keeping.on = true
	t := &tuner{bounds: b, base: base, baseLimit: debug.SetMemoryLimit(-1),
		sample: make([]metrics.Sample, len(measures)), holds: map[*uint64]struct{}{}}
	keeping.t = t
	for i, name := range measures {
		t.sample[i].Name = name
	}
	t.mu.Lock()
	t.tune()
	t.mu.Unlock()
	t.arm()
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if !t.done {
			t.done = true
			debug.SetGCPercent(base)
			debug.SetMemoryLimit(t.baseLimit)
			keeping.Lock()
			keeping.on, keeping.t = false, nil
			keeping.Unlock()
		}
	}
}

// Hold puts a ceiling on the heap (as Bounds.Ceiling does) until release,
// through the tuner that Keep runs: for a burst that allocates fast, such
// as a first download's pages. Of several holds, the highest ceiling
// stands. Without a tuner (none kept, or the operator's GOGC or
// GOMEMLIMIT set) it does nothing. release may be called more than once.
func Hold(ceiling uint64) (release func()) {
	keeping.Lock()
	t := keeping.t
	keeping.Unlock()
	if t == nil || ceiling == 0 {
		return func() {}
	}
	h := &ceiling
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return func() {}
	}
	t.holds[h] = struct{}{}
	t.tune()
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if _, ok := t.holds[h]; !ok || t.done {
			return
		}
		delete(t.holds, h)
		t.tune()
	}
}

// ceiling is the bounds' ceiling, or the highest one held (t.mu held).
func (t *tuner) ceiling() uint64 {
	c := t.bounds.Ceiling
	for h := range t.holds {
		c = max(c, *h)
	}
	return c
}

func (t *tuner) arm() {
	runtime.SetFinalizer(&sentinel{t: t}, func(s *sentinel) { s.t.collected() })
}

// collected runs on the finalizer goroutine after each collection.
func (t *tuner) collected() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.tune()
	t.arm()
}

// tune sets GOGC from what the last collection found (t.mu held). Before
// the first, the runtime's own first goal (4 MB at GOGC 100) stands.
//
// While GOGC is raised, a memory limit half the floor above the raised
// goal (and above the runtime's own memory) stands too: should the heap
// grow fast before the tuner runs again — a first download starting on a
// small heap — the raised GOGC would let it grow several times over; the
// limit collects at that bound instead, and the tuner, run after that
// collection, puts GOGC back.
func (t *tuner) tune() {
	metrics.Read(t.sample)
	for _, s := range t.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return // a runtime without the measure: GOGC stays as it is
		}
	}
	m := func(i int) uint64 { return t.sample[i].Value.Uint64() }
	live := m(mLive)
	if live == 0 {
		return // no collection yet
	}
	b := t.bounds
	b.Ceiling = t.ceiling()
	p := Percent(live, live+m(mStack)+m(mGlobals), b.Floor, t.base)
	debug.SetGCPercent(p)
	limit := Limit(live, b, p != t.base)
	if limit == 0 {
		debug.SetMemoryLimit(t.baseLimit)
		return
	}
	var heap uint64
	for i := mObjects; i <= mReleased; i++ {
		heap += m(i)
	}
	runtimeOwn := m(mTotal) - min(heap, m(mTotal))
	// A ceiling near 2^64 would wrap the sum round to a few megabytes,
	// and past 2^63 to a negative limit, which the runtime ignores.
	total := int64(math.MaxInt64)
	if limit < math.MaxInt64-runtimeOwn {
		total = int64(runtimeOwn + limit)
	}
	debug.SetMemoryLimit(min(total, t.baseLimit))
}

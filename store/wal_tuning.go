package store

import (
	"runtime/metrics"
	"time"
)

// walTuning is what differs between a desk's journal and dossierd's.
//
// A desk's writes are a person's clicks, seconds apart: its journal
// checkpoints after a second without writes, or at 8 MiB of records, and
// its applier writes each group at once.
//
// dossierd's writes are 200 desks' pushes without a pause, on a machine
// whose two cores its handlers and its applier share:
//   - A checkpoint that holds every writer while bbolt's file syncs (1–142
//     ms under that load) put about a hundred pushes behind
//     it: enough to make the p99. dossierd's journal has two halves
//     (region), and its checkpoints are taken aside (turnAside): the
//     writers wait only while the state is chosen, then append the next
//     generation in the other half while bbolt's file and the header
//     are synced. A checkpoint comes at 32 MiB of records, so that a
//     late one still finds 8 MiB free in the first half; after a crash
//     the next start replays at most the two halves' records.
//   - The applier's groups (128 layers, 15–20 ms of one core's work
//     every 70 ms) left the pushes that arrived meanwhile one core where
//     they needed more. The applier now gives way between layers to the
//     goroutines waiting for a core (giveWay).
//
// docs/performance.md, "7 December, late: a server that puts its own work
// second", has the figures.
type walTuning struct {
	// checkpointBytes of records start a checkpoint; prefill is the
	// journal's zeros, written once, so that its appends up to a
	// checkpoint overwrite blocks the file has. A direct write that
	// lengthens the file costs 1.5–2 times the CPU of one that does
	// not, and its wait, on this project's machines.
	checkpointBytes, prefill int
	// region, when not 0, is the size of the journal's first half: the
	// records of even generations start at walData, those of odd ones
	// region further, and checkpoints are taken aside.
	region int
	// giveWay: the applier naps between layers while goroutines wait
	// for a core (wal.giveWay says how long at most).
	giveWay bool
}

var (
	walDesk   = walTuning{checkpointBytes: walCheckpointBytes, prefill: walPrefill}
	walServer = walTuning{checkpointBytes: 32 << 20, region: 40 << 20, prefill: 80 << 20, giveWay: true}
)

// The applier's wait for the work before it is bounded: at most
// walGiveWayPolls naps of walGiveWayNap a layer, none once half of
// walMaxLayers (or of walMaxPending) waits, so that a writer never comes
// to apply the layers itself (commit) because the applier gave way, and
// none while another settle waits for the applier's (a checkpoint holds
// every writer meanwhile).
const (
	walGiveWayNap   = 50 * time.Microsecond
	walGiveWayPolls = 20
)

// giveWay naps while goroutines wait for a core and the layers are
// within bounds, and returns how many naps it took. The count read is the
// runtime's own (about 70 ns), an approximation that is enough: a wait
// missed costs a layer's work (a few hundred microseconds) before the next
// look.
func (w *wal) giveWay() (naps int) {
	sample := []metrics.Sample{{Name: "/sched/goroutines/runnable:goroutines"}}
	for ; naps < walGiveWayPolls; naps++ {
		if ov := w.ov.Load(); ov == nil || len(ov.layers) >= walMaxLayers/2 || ov.bytes >= walMaxPending/2 || w.settling.Load() > 0 {
			return naps
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 || sample[0].Value.Uint64() == 0 {
			return naps
		}
		time.Sleep(walGiveWayNap)
	}
	return naps
}

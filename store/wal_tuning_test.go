package store

import (
	"os"
	"runtime"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestJournalTuningBySide: a desk's journal checkpoints at 8 MiB of
// records, in one region; dossierd's at 32 MiB, in two halves, and its
// file holds zeros for both from its first open.
func TestJournalTuningBySide(t *testing.T) {
	desk, _ := MustCreateStore(t)
	sv := mustServer(t, &testClock{now: desk.Now()})
	for _, c := range []struct {
		name string
		w    *wal
		want walTuning
	}{{"desk", desk.db.wal, walDesk}, {"server", sv.st.db.wal, walServer}} {
		if c.w.tuning != c.want {
			t.Errorf("%s: tuning %+v, want %+v", c.name, c.w.tuning, c.want)
		}
		fi, err := os.Stat(c.w.f.Name())
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() < walData+int64(c.want.prefill) {
			t.Errorf("%s: journal of %d bytes, want %d of zeros at least", c.name, fi.Size(), walData+c.want.prefill)
		}
		c.w.mu.Lock()
		off := c.w.off
		c.w.off = c.w.base + walCheckpointBytes
		atEight := c.w.full()
		c.w.off = c.w.base + 32<<20
		atThirtyTwo := c.w.full()
		c.w.off = off
		c.w.mu.Unlock()
		if atEight != (c.name == "desk") || !atThirtyTwo {
			t.Errorf("%s: a checkpoint due at 8 MiB %v, at 32 MiB %v", c.name, atEight, atThirtyTwo)
		}
	}
	if walServer.region%walBlock != 0 || walServer.region < walServer.checkpointBytes+walBigTx/2 || walServer.prefill < 2*walServer.region {
		t.Errorf("dossierd's halves (%d) leave too little room after its checkpoint (%d), or its zeros (%d) end before the second", walServer.region, walServer.checkpointBytes, walServer.prefill)
	}
}

// TestApplierGivesWay: dossierd's applier naps while goroutines wait for
// a core; not while a checkpoint or a writer waits for it, and not once
// half of walMaxLayers waits (a writer would apply them itself at
// walMaxLayers).
func TestApplierGivesWay(t *testing.T) {
	holdApplier(t)
	clock := &testClock{now: time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)}
	sv := mustServer(t, clock)
	w := sv.st.db.wal
	putSized(t, sv.st, "a", 100) // one layer waits
	var stop atomic.Bool
	var wg gosync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() { // always runnable: more of them than cores
			for !stop.Load() {
			}
		})
	}
	busy := w.giveWay()
	w.settling.Add(1) // a checkpoint waits for the applier
	awaited := w.giveWay()
	w.settling.Add(-1)
	walMaxLayers = 2
	bounded := w.giveWay()
	stop.Store(true)
	wg.Wait()
	if busy != walGiveWayPolls {
		t.Errorf("%d naps with every core taken, want %d", busy, walGiveWayPolls)
	}
	if awaited != 0 {
		t.Errorf("%d naps while a settle waits for the applier, want none", awaited)
	}
	if bounded != 0 {
		t.Errorf("%d naps with half of walMaxLayers waiting, want none", bounded)
	}
}

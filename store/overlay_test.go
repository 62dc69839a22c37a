package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	gosync "sync"
	"testing"
	"time"
)

// holdApplier keeps the applier from writing the layers to bbolt until
// the test settles them itself.
func holdApplier(t *testing.T) {
	group, bytes, idle, most := walApplyGroup, walApplyBytes, walApplyIdle, walMaxLayers
	walApplyGroup, walApplyBytes, walApplyIdle, walMaxLayers = 1<<30, 1<<30, time.Hour, 1<<30
	t.Cleanup(func() { walApplyGroup, walApplyBytes, walApplyIdle, walMaxLayers = group, bytes, idle, most })
}

// overlayModel is what the bucket must hold.
type overlayModel map[string]string

func (m overlayModel) keys() []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestOverlayReadsAsBboltWould: puts and deletes spread over layers not
// yet in bbolt, some of them in it, and the transaction's own, read by
// Get, Count, the sequence and every cursor move (both ways, turning
// round, seeking between keys), give what one bbolt bucket would.
func TestOverlayReadsAsBboltWould(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, _ := MustCreateStore(t)
	rng := rand.New(rand.NewPCG(7, 19))
	model := overlayModel{}
	var seq uint64
	key := func() string { return fmt.Sprintf("k%03d", rng.IntN(120)) }
	for round := range 60 {
		err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
				return err
			}
			b := tx.Bucket(walTestBucket)
			for range 1 + rng.IntN(6) {
				k := key()
				if rng.IntN(3) == 0 {
					if err := b.Delete([]byte(k)); err != nil {
						return err
					}
					delete(model, k)
				} else {
					v := fmt.Sprintf("v%d-%s", round, k)
					if err := b.Put([]byte(k), []byte(v)); err != nil {
						return err
					}
					model[k] = v
				}
			}
			n, err := b.NextSequence()
			if err != nil {
				return err
			}
			seq++
			if n != seq {
				return fmt.Errorf("sequence %d, want %d", n, seq)
			}
			// The transaction reads its own writes the same way.
			return checkOverlay(b, model, rng)
		})
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := s.View(func(tx *Tx) error {
			b := tx.Bucket(walTestBucket)
			if b.sequence() != seq {
				return fmt.Errorf("sequence %d, want %d", b.sequence(), seq)
			}
			return checkOverlay(b, model, rng)
		}); err != nil {
			t.Fatalf("round %d, read: %v", round, err)
		}
		if rng.IntN(8) == 0 {
			if err := s.db.settle(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(s.db.wal.ov.Load().layers); n == 0 {
		t.Fatal("the test ended with every layer in bbolt: it read none through them")
	}
}

func checkOverlay(b *Bucket, model overlayModel, rng *rand.Rand) error {
	keys := model.keys()
	if n := b.Count(); n != len(keys) {
		return fmt.Errorf("Count %d, want %d", n, len(keys))
	}
	for i := range 120 {
		k := fmt.Sprintf("k%03d", i)
		want, ok := model[k]
		if got := b.Get([]byte(k)); (got != nil) != ok || string(got) != want {
			return fmt.Errorf("Get(%s) = %q, want %q", k, got, want)
		}
	}
	var got []string
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if model[string(k)] != string(v) {
			return fmt.Errorf("cursor gives %s=%s", k, v)
		}
		got = append(got, string(k))
	}
	if !slices.Equal(got, keys) {
		return fmt.Errorf("forward %v, want %v", got, keys)
	}
	got = got[:0]
	for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
		got = append(got, string(k))
	}
	slices.Reverse(got)
	if !slices.Equal(got, keys) {
		return fmt.Errorf("backward %v, want %v", got, keys)
	}
	// A walk that seeks between keys and turns round at random.
	at := -1 // index in keys of the cursor's pair; -1 none
	for range 200 {
		var k []byte
		switch op := rng.IntN(5); {
		case op == 0:
			probe := fmt.Sprintf("k%03d", rng.IntN(125))
			if rng.IntN(2) == 0 {
				probe += "a" // between two keys
			}
			k, _ = c.Seek([]byte(probe))
			at, _ = slices.BinarySearch(keys, probe)
		case op <= 2 && at >= 0:
			k, _ = c.Next()
			at++
		case at >= 0:
			k, _ = c.Prev()
			at--
		default:
			k, _ = c.First()
			at = 0
		}
		if at < 0 || at >= len(keys) {
			if k != nil {
				return fmt.Errorf("cursor on %s past the end", k)
			}
			at = -1
			continue
		}
		if string(k) != keys[at] {
			return fmt.Errorf("cursor on %q, want %q", k, keys[at])
		}
	}
	return nil
}

// TestReadersSeeWholeActionsWhileApplied: while actions are published
// and the applier writes them to bbolt, every read sees each action
// whole (two keys one action writes together never differ) and never an
// older state than one it saw before.
func TestReadersSeeWholeActionsWhileApplied(t *testing.T) {
	holdCheckpoints(t)
	group, idle := walApplyGroup, walApplyIdle
	walApplyGroup, walApplyIdle = 3, 50*time.Microsecond
	t.Cleanup(func() { walApplyGroup, walApplyIdle = group, idle })
	s, _ := MustCreateStore(t)
	const actions = 400
	var wg gosync.WaitGroup
	errs := make(chan error, 4)
	done := make(chan struct{})
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last uint64
			for {
				select {
				case <-done:
					return
				default:
				}
				err := s.View(func(tx *Tx) error {
					b := tx.Bucket(walTestBucket)
					if b == nil {
						return nil
					}
					return wholeAndInOrder(b, &last)
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range actions {
		err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
				return err
			}
			b := tx.Bucket(walTestBucket)
			v := []byte(fmt.Sprint(i + 1))
			if err := b.Put([]byte("a"), v); err != nil {
				return err
			}
			return b.Put([]byte("z"), v)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if s.db.wal.since.Load() < 2 {
		t.Fatalf("the applier wrote to bbolt %d times during the test", s.db.wal.since.Load())
	}
}

// wholeAndInOrder checks a read of walTestBucket where each action wrote
// its number under both "a" and "z": the two agree (the action is seen
// whole), and the number is never below *last, the one read before.
func wholeAndInOrder(b *Bucket, last *uint64) error {
	a, z := b.Get([]byte("a")), b.Get([]byte("z"))
	if string(a) != string(z) {
		return fmt.Errorf("a=%s, z=%s: half an action", a, z)
	}
	var n uint64
	if a != nil {
		fmt.Sscan(string(a), &n)
	}
	if n < *last {
		return fmt.Errorf("read %d after %d", n, *last)
	}
	*last = n
	return nil
}

// TestJournalCrashBeforeApply: actions synced to the journal and not yet
// in bbolt are all there when the files, copied as a crash leaves them,
// are opened again.
func TestJournalCrashBeforeApply(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, clock := MustCreateStore(t)
	want := walWrites(t, s, 0, 40)
	if n := len(s.db.wal.ov.Load().layers); n != 40 {
		t.Fatalf("%d layers waiting, want 40", n)
	}
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	sameContents(t, walContents(t, crashCopy(t, clock, profile, journal)), want)
}

// TestJournalApplyFailureKeepsEveryAction: should bbolt refuse the
// applier's commit, the actions it held stay readable, every later write
// is refused with a storage error, and the files, copied as a crash
// leaves them, open with every action.
func TestJournalApplyFailureKeepsEveryAction(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, clock := MustCreateStore(t)
	want := walWrites(t, s, 0, 12)
	applyFault = func() error { return errors.New("disk full") }
	t.Cleanup(func() { applyFault = nil })
	if err := s.db.settle(); !errors.Is(err, ErrStorage) {
		t.Fatalf("settle: %v, want a storage error", err)
	}
	sameContents(t, walContents(t, s), want)
	err := s.Update(func(tx *Tx) error { return tx.Bucket(walTestBucket).Put([]byte("late"), []byte("x")) })
	if !errors.Is(err, ErrStorage) {
		t.Fatalf("a write after the failure: %v, want a storage error", err)
	}
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	applyFault = nil
	sameContents(t, walContents(t, crashCopy(t, clock, profile, journal)), want)
}

// TestOverlayStaysBounded: with the applier held back, a writer that finds
// walMaxPending bytes of records waiting writes them to bbolt itself, so
// the memory the layers hold stays bounded when the disk falls behind.
func TestOverlayStaysBounded(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	most := walMaxPending
	walMaxPending = 8 << 10
	t.Cleanup(func() { walMaxPending = most })
	s, _ := MustCreateStore(t)
	applied := s.db.wal.since.Load()
	for i := range 100 {
		want := walWrites(t, s, i, 1)
		if ov := s.db.wal.ov.Load(); ov.bytes >= walMaxPending {
			t.Fatalf("after %d actions, %d bytes wait in %d layers", i+1, ov.bytes, len(ov.layers))
		}
		if i == 99 {
			sameContents(t, walContents(t, s), want)
		}
	}
	if s.db.wal.since.Load() == applied {
		t.Fatal("no writer wrote the layers to bbolt")
	}
}

// TestJournalRecordInChunks: a transaction whose record spans many of the
// log's chunks is read through its layer, written to the journal whole,
// and found whole after a crash, before and after the applier wrote it.
func TestJournalRecordInChunks(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, clock := MustCreateStore(t)
	want := map[string]string{}
	err := s.Update(func(tx *Tx) error {
		if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
			return err
		}
		b := tx.Bucket(walTestBucket)
		for i := range 700 {
			k, v := fmt.Sprintf("k%05d", i), fmt.Sprintf("%0300d", i)
			if err := b.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
			want[k] = v
		}
		if len(tx.log.chunks) < 3 {
			return fmt.Errorf("the record took %d chunks", len(tx.log.chunks)+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		got := walContents(t, s)
		delete(got, "#seq")
		if len(got) != len(want) {
			t.Fatalf("%d keys, want %d", len(got), len(want))
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s differs", k)
			}
		}
	}
	check(s)
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	check(crashCopy(t, clock, profile, journal))
	if err := s.db.settle(); err != nil {
		t.Fatal(err)
	}
	check(s)
}

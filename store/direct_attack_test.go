package store

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	gosync "sync"
	"testing"
	"time"
)

// needDirect skips a test of the direct write where the file system
// refuses it.
func needDirect(t *testing.T, s *Store) {
	t.Helper()
	putSized(t, s, "probe", 10)
	if s.db.wal.direct == nil {
		t.Skip("this file system takes no direct writes")
	}
}

// putToBoundary writes one action whose record ends exactly on a block
// boundary, and returns its key.
func putToBoundary(t *testing.T, s *Store, i int) string {
	t.Helper()
	w := s.db.wal
	key := fmt.Sprintf("b%05d", i)
	// A record's size is its value's plus a constant (one-byte varints
	// up to 127 bytes, two to 16 KiB).
	before := w.off
	putSized(t, s, key, 200)
	extra := int(w.off-before) - 200
	need := int(walBlock - w.off%walBlock)
	if need-extra < 200 {
		need += walBlock
	}
	putSized(t, s, key, need-extra)
	if w.off%walBlock != 0 {
		t.Fatalf("record ends at %d, not on a block boundary", w.off)
	}
	return key
}

// TestAttackDirectBoundariesAndCheckpoints: records that end exactly on a
// block, records past walDirectKeep right after small ones, and
// checkpoints between them: a kill's copy holds every action.
func TestAttackDirectBoundariesAndCheckpoints(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	needDirect(t, s)
	w := s.db.wal
	for round := range 3 {
		putToBoundary(t, s, 10*round)
		putSized(t, s, fmt.Sprintf("s%d-1", round), 1)
		putToBoundary(t, s, 10*round+1)
		putSized(t, s, fmt.Sprintf("L%d-1", round), walDirectKeep+1)
		putSized(t, s, fmt.Sprintf("s%d-2", round), 33)
		putSized(t, s, fmt.Sprintf("L%d-2", round), 2*walDirectKeep)
		putToBoundary(t, s, 10*round+2)
		putSized(t, s, fmt.Sprintf("L%d-3", round), walDirectKeep-walBlock)
		w.mu.Lock()
		err := w.checkpoint()
		w.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		putSized(t, s, fmt.Sprintf("s%d-3", round), 5)
	}
	want := walContents(t, s)
	sameContents(t, walContents(t, afterKill(t, s, clock)), want)
}

// TestAttackDirectPastPrefill: the journal's records outgrow the zeros
// written at open while no checkpoint comes (the applier and loop held):
// the direct writes that lengthen the file are as durable as the others.
func TestAttackDirectPastPrefill(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	pending := walMaxPending
	walMaxPending = 1 << 30
	t.Cleanup(func() { walMaxPending = pending })
	s, clock := MustCreateStore(t)
	needDirect(t, s)
	w := s.db.wal
	w.applyMu.Lock() // neither the applier nor the loop writes to bbolt
	locked := true
	defer func() {
		if locked {
			w.applyMu.Unlock()
		}
	}()
	for i := 0; w.off < walData+walPrefill+3*walDirectKeep; i++ {
		putSized(t, s, fmt.Sprintf("p%04d", i), walDirectKeep+i*977)
		putSized(t, s, fmt.Sprintf("q%04d", i), i*131)
	}
	want := walContents(t, s)
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	w.applyMu.Unlock()
	locked = false
	sameContents(t, walContents(t, crashCopy(t, clock, profile, journal)), want)
}

// TestAttackDirectAfterReopen: records after a reopen start on an empty
// tail; a kill's copy replays them all, and so does one after a second
// reopen that found a replay to do.
func TestAttackDirectAfterReopen(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	needDirect(t, s)
	for i := range 5 {
		putSized(t, s, fmt.Sprintf("r%d", i), 1000+i*517)
	}
	s = reopen(t, s, clock)
	if s.db.wal.direct != nil || s.db.wal.directTried {
		t.Fatal("the reopened journal holds a direct handle before a record")
	}
	for i := range 5 {
		putSized(t, s, fmt.Sprintf("t%d", i), 3000+i*517)
	}
	want := walContents(t, s)
	got := afterKill(t, s, clock)
	sameContents(t, walContents(t, got), want)
	for i := range 5 {
		putSized(t, got, fmt.Sprintf("u%d", i), 100+i*2000)
	}
	want = walContents(t, got)
	sameContents(t, walContents(t, afterKill(t, got, clock)), want)
}

// openFiles counts the process's open file descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(fds)
}

// TestAttackReadOnlyOpenLeavesNothing: a store opened, read and closed
// starts no goroutine, writes nothing, and keeps no file open; one opened,
// written once and closed at once keeps the write and no file either.
func TestAttackReadOnlyOpenLeavesNothing(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	putSized(t, s, "kept", 100)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fds := openFiles(t)
	profile, _ := os.ReadFile(path)
	journal, _ := os.ReadFile(JournalPath(path))
	for i := range 3 {
		s2, err := Open(path, testPassword, testOptions(clock))
		if err != nil {
			t.Fatal(err)
		}
		if got := walContents(t, s2); got["kept"] == "" {
			t.Fatal("the write before the close is lost")
		}
		if s2.db.wal.working || s2.db.wal.direct != nil {
			t.Fatal("a store that only read started its applier or opened its direct handle")
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
		if p, _ := os.ReadFile(path); !bytes.Equal(p, profile) {
			t.Fatalf("open %d: the profile changed on an open that only read", i)
		}
		if j, _ := os.ReadFile(JournalPath(path)); !bytes.Equal(j, journal) {
			t.Fatalf("open %d: the journal changed on an open that only read", i)
		}
	}
	for i := range 3 {
		s2, err := Open(path, testPassword, testOptions(clock))
		if err != nil {
			t.Fatal(err)
		}
		putSized(t, s2, fmt.Sprintf("once%d", i), 5000)
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if n := openFiles(t); n != fds {
		t.Fatalf("%d files open after the opens and closes, %d before", n, fds)
	}
	s3, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	got := walContents(t, s3)
	for i := range 3 {
		if got[fmt.Sprintf("once%d", i)] == "" {
			t.Fatalf("once%d, written just before a close, is lost", i)
		}
	}
}

// TestAttackCloseRacesFirstWrite: a close racing a store's first write
// either refuses the write or keeps it.
func TestAttackCloseRacesFirstWrite(t *testing.T) {
	s, clock := MustCreateStore(t)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		s, err := Open(path, testPassword, testOptions(clock))
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("race%02d", i)
		wrote := make(chan error, 1)
		go func() {
			wrote <- s.Update(func(tx *Tx) error {
				if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
					return err
				}
				return tx.Bucket(walTestBucket).Put([]byte(key), []byte("v"))
			})
		}()
		if i%2 == 0 {
			time.Sleep(time.Duration(i*20) * time.Microsecond)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		werr := <-wrote
		s, err = Open(path, testPassword, testOptions(clock))
		if err != nil {
			t.Fatal(err)
		}
		got := walContents(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if werr == nil && got[key] == "" {
			t.Fatalf("%s acknowledged, lost after the close", key)
		}
	}
}

// TestAttackReaderAcrossSettles: read transactions kept open while many
// layers are published and settled read their own snapshot throughout,
// with cursors, on buckets made only in newer layers too.
func TestAttackReaderAcrossSettles(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, _ := MustCreateStore(t)
	w := s.db.wal
	stop := make(chan struct{})
	errs := make(chan error, 16)
	var wg gosync.WaitGroup
	wg.Go(func() { // the writer
		for n := 1; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			err := s.Update(func(tx *Tx) error {
				if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
					return err
				}
				b := tx.Bucket(walTestBucket)
				v := []byte(fmt.Sprint(n))
				if err := b.Put([]byte("a"), v); err != nil {
					return err
				}
				if err := b.Put(fmt.Appendf(nil, "m%06d", n), v); err != nil {
					return err
				}
				if err := b.Put([]byte("z"), v); err != nil {
					return err
				}
				if n%5 == 0 { // a bucket made in this layer
					name := fmt.Appendf(nil, "new%06d", n)
					if err := tx.CreateBucketIfNotExists(name); err != nil {
						return err
					}
					for k := range 3 {
						if err := tx.Bucket(name).Put(fmt.Appendf(nil, "k%d", k), v); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Go(func() { // the settles, at random moments
		for {
			select {
			case <-stop:
				return
			case <-time.After(300 * time.Microsecond):
			}
			if err := w.settle(); err != nil {
				errs <- err
				return
			}
		}
	})
	read := func(tx *Tx) (string, error) {
		var out bytes.Buffer
		b := tx.Bucket(walTestBucket)
		if b == nil {
			return "", nil
		}
		var last uint64
		if err := wholeAndInOrder(b, &last); err != nil {
			return "", err
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			fmt.Fprintf(&out, "%s=%s ", k, v)
		}
		var back []string
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			back = append(back, fmt.Sprintf("%s=%s ", k, v))
		}
		slices.Reverse(back)
		if out.String() != joinAll(back) {
			return "", fmt.Errorf("forward and backward walks differ")
		}
		if k, _ := c.Seek([]byte("m")); k != nil && k[0] != 'm' {
			return "", fmt.Errorf("seek m found %s", k)
		}
		for n := uint64(5); n <= last; n += 5 {
			nb := tx.Bucket(fmt.Appendf(nil, "new%06d", n))
			if nb == nil {
				return "", fmt.Errorf("bucket new%06d missing at %d", n, last)
			}
			c := nb.Cursor()
			i := 0
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if string(v) != fmt.Sprint(n) {
					return "", fmt.Errorf("new%06d/%s=%s", n, k, v)
				}
				i++
			}
			if i != 3 {
				return "", fmt.Errorf("new%06d holds %d keys", n, i)
			}
			fmt.Fprintf(&out, "new%06d ", n)
		}
		if tx.Bucket(fmt.Appendf(nil, "new%06d", last+5-last%5)) != nil {
			return "", fmt.Errorf("a bucket from after the snapshot (%d) is seen", last)
		}
		return out.String(), nil
	}
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(func(tx *Tx) error {
					first, err := read(tx)
					if err != nil {
						return err
					}
					for range 5 {
						time.Sleep(time.Millisecond) // settles and layers meanwhile
						again, err := read(tx)
						if err != nil {
							return err
						}
						if again != first {
							return fmt.Errorf("a read transaction's snapshot changed under it")
						}
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if w.since.Load() < 10 {
		t.Fatalf("only %d settles during the test", w.since.Load())
	}
}

func joinAll(ss []string) string {
	var b bytes.Buffer
	for _, s := range ss {
		b.WriteString(s)
	}
	return b.String()
}

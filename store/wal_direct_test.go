package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// directAvailable says whether dir's file system takes the journal's
// direct writes (Linux on a disk does; tmpfs may not).
func directAvailable(t *testing.T, dir string) bool {
	t.Helper()
	path := filepath.Join(dir, "probe")
	if err := os.WriteFile(path, make([]byte, 2*walBlock), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := openDirectLog(f)
	if d == nil {
		return false
	}
	defer d.close()
	return d.write([][]byte{[]byte("probe")}, 5, 0) == nil
}

// putSized writes one value of n bytes under key in one action.
func putSized(t *testing.T, s *Store, key string, n int) {
	t.Helper()
	v := bytes.Repeat([]byte(key[:1]), n)
	err := s.Update(func(tx *Tx) error {
		if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
			return err
		}
		return tx.Bucket(walTestBucket).Put([]byte(key), v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestJournalDirectRecords: on a file system that takes direct writes,
// the records go through the O_DIRECT|O_DSYNC handle, one write each.
// Records share blocks (the tail written again with the next), span
// several, and outgrow the kept buffer; the journal as a kill leaves it
// replays every one, in order, and holds exactly the records written.
func TestJournalDirectRecords(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	w := s.db.wal
	if w.direct != nil {
		t.Fatal("the direct handle opened before a record was written")
	}
	putSized(t, s, "first", 100)
	if !directAvailable(t, filepath.Dir(s.Path())) {
		if runtime.GOOS == "linux" {
			t.Log("this file system refuses direct writes: the buffered path is tested instead")
		}
		if w.direct != nil {
			t.Fatal("the journal holds a direct handle the file system refuses")
		}
	} else if w.direct == nil {
		t.Fatal("the journal did not open its direct handle")
	}
	want := map[string]int{}
	sizes := []int{10, 700, 3000, 4096, 5000, 9000, walDirectKeep + 3000, 1, 2, 4090, 70_000}
	for i := range 60 {
		n := sizes[i%len(sizes)]
		key := fmt.Sprintf("%c%04d", 'a'+i%26, i)
		putSized(t, s, key, n)
		want[key] = n
	}
	if _, recs, _, _ := w.scan(); len(recs) != 61 {
		t.Fatalf("%d records in the journal, want 61", len(recs))
	}
	hasSized(t, afterKill(t, s, clock), want)
}

// afterKill opens a copy of s's files as a kill leaves them.
func afterKill(t *testing.T, s *Store, clock *testClock) *Store {
	t.Helper()
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	return crashCopy(t, clock, profile, journal)
}

// hasSized checks that s holds each key putSized wrote, whole.
func hasSized(t *testing.T, s *Store, want map[string]int) {
	t.Helper()
	err := s.View(func(tx *Tx) error {
		b := tx.Bucket(walTestBucket)
		for key, n := range want {
			if v := b.Get([]byte(key)); len(v) != n || (n > 0 && v[0] != key[0]) {
				return fmt.Errorf("%s: %d bytes after the crash, want %d", key, len(v), n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestJournalDirectRefusedFallsBack: a direct write the kernel refuses
// before writing (EINVAL: here a buffer off the alignment direct I/O
// needs) leaves the journal on buffered writes and fdatasync, with
// nothing lost, the refused action included.
func TestJournalDirectRefusedFallsBack(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	w := s.db.wal
	putSized(t, s, "before", 300)
	if w.direct == nil {
		t.Skip("this file system takes no direct writes")
	}
	w.mu.Lock()
	skewed := alignedBlocks(4 * walBlock)[1:]
	copy(skewed, w.direct.buf[:walBlock]) // the tail, as it was
	w.direct.buf = skewed
	w.mu.Unlock()
	putSized(t, s, "refused", 300)
	if w.direct != nil {
		t.Fatal("the journal kept the handle whose write was refused")
	}
	putSized(t, s, "after", 5000)
	hasSized(t, afterKill(t, s, clock), map[string]int{"before": 300, "refused": 300, "after": 5000})
}

// TestJournalNoDirect: walNoDirect (or a system without direct I/O)
// keeps the buffered write and its fdatasync, one sync an action.
func TestJournalNoDirect(t *testing.T) {
	holdCheckpoints(t)
	walNoDirect = true
	t.Cleanup(func() { walNoDirect = false })
	s, clock := MustCreateStore(t)
	before := s.db.wal.syncs.Load()
	want := walWrites(t, s, 0, 40)
	if s.db.wal.direct != nil {
		t.Fatal("walNoDirect opened a direct handle")
	}
	if n := s.db.wal.syncs.Load() - before; n != 40 {
		t.Fatalf("%d syncs for 40 actions", n)
	}
	sameContents(t, walContents(t, afterKill(t, s, clock)), want)
}

// TestJournalDirectFollowsTheFile: the direct handle is the journal's own
// file, opened through its descriptor, even when the name the store was
// opened with no longer leads to it (a relative path and another working
// directory, or the file moved aside).
func TestJournalDirectFollowsTheFile(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	moved := JournalPath(s.Path()) + ".moved"
	if err := os.Rename(JournalPath(s.Path()), moved); err != nil {
		t.Fatal(err)
	}
	// A stranger file under the old name, which no write may reach.
	stranger := make([]byte, 64<<10)
	if err := os.WriteFile(JournalPath(s.Path()), stranger, 0o600); err != nil {
		t.Fatal(err)
	}
	putSized(t, s, "kept", 3000)
	if got, _ := os.ReadFile(JournalPath(s.Path())); !bytes.Equal(got, stranger) {
		t.Fatal("a record went to the file now under the journal's old name")
	}
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(moved)
	hasSized(t, crashCopy(t, clock, profile, journal), map[string]int{"kept": 3000})
}

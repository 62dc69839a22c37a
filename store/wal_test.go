package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
)

var walTestBucket = []byte("waltest")

// walWrites makes n actions on s, each its own transaction, that between
// them put, overwrite, delete (by key and by cursor) and take sequence
// numbers, and returns what the bucket must hold after them.
func walWrites(t *testing.T, s *Store, from, n int) map[string]string {
	t.Helper()
	for i := from; i < from+n; i++ {
		err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
				return err
			}
			b := tx.Bucket(walTestBucket)
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			// A value large enough that a few hundred of them fill pages.
			v := bytes.Repeat([]byte{byte(i)}, 300)
			binary.BigEndian.PutUint64(v, seq)
			if err := b.Put(fmt.Appendf(nil, "k%05d", i), v); err != nil {
				return err
			}
			if i%3 == 0 && i > 0 {
				if err := b.Delete(fmt.Appendf(nil, "k%05d", i-1)); err != nil {
					return err
				}
			}
			if i%7 == 0 && i > 1 {
				c := b.Cursor()
				if k, _ := c.Seek(fmt.Appendf(nil, "k%05d", i-2)); string(k) == fmt.Sprintf("k%05d", i-2) {
					return c.Delete()
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return walContents(t, s)
}

func walContents(t *testing.T, s *Store) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := s.View(func(tx *Tx) error {
		b := tx.Bucket(walTestBucket)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			got[string(k)] = string(v)
		}
		got["#seq"] = fmt.Sprint(b.sequence())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func sameContents(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d keys after the crash, want %d (sequence %s, want %s)", len(got), len(want), got["#seq"], want["#seq"])
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("key %s differs after the crash", k)
		}
	}
}

// holdCheckpoints keeps the journal's idle checkpoint away for the test.
func holdCheckpoints(t *testing.T) {
	idle, commits := walIdle, walCommits
	walIdle, walCommits = time.Hour, 1<<30
	t.Cleanup(func() { walIdle, walCommits = idle, commits })
}

// crashCopy writes profile and journal bytes into a new folder and opens
// them, as the next start after a crash would.
func crashCopy(t *testing.T, clock *testClock, profile, journal []byte) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profile.dossier")
	if err := os.WriteFile(path, profile, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(JournalPath(path), journal, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.CheckFile(); err != nil {
		t.Fatalf("the file is not whole after the replay: %v", err)
	}
	return s
}

// TestJournalOneSyncPerAction: an action costs the journal one fdatasync,
// and bbolt none.
func TestJournalOneSyncPerAction(t *testing.T) {
	holdCheckpoints(t)
	s, _ := MustCreateStore(t)
	w := s.db.wal
	if w == nil || !s.db.bolt.NoSync {
		t.Fatal("the profile is not journaled")
	}
	before := w.syncs.Load()
	walWrites(t, s, 0, 10)
	if n := w.syncs.Load() - before; n != 10 {
		t.Fatalf("%d journal syncs for 10 actions", n)
	}
	// A transaction that writes nothing syncs nothing.
	before = w.syncs.Load()
	if err := s.Update(func(tx *Tx) error { tx.Bucket(MetaBucket).Get(metaHLC); return nil }); err != nil {
		t.Fatal(err)
	}
	if n := w.syncs.Load() - before; n != 0 {
		t.Fatalf("%d journal syncs for a read", n)
	}
}

// TestJournalSurvivesKill: the files as a killed process leaves them (its
// writes in the page cache, no checkpoint since) open with every action.
func TestJournalSurvivesKill(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	walWrites(t, s, 0, 50)
	s = reopen(t, s, clock) // a checkpoint
	want := walWrites(t, s, 50, 400)
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	if _, recs, _, _ := s.db.wal.scan(); len(recs) != 400 {
		t.Fatalf("%d records in the journal, want 400", len(recs))
	}
	got := crashCopy(t, clock, profile, journal)
	sameContents(t, walContents(t, got), want)
	// Opened once, the journal was folded in: a second start replays
	// nothing and finds the same.
	path := got.Path()
	got.Close()
	again, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	sameContents(t, walContents(t, again), want)
}

// TestJournalSurvivesPowerLoss: bbolt's pages written since the checkpoint
// were never synced, so power loss may keep any of them, or none, and
// either meta page. Whatever the disk kept of them, the journal brings
// back every action on a whole file.
func TestJournalSurvivesPowerLoss(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	walWrites(t, s, 0, 200)
	s = reopen(t, s, clock)
	synced, _ := os.ReadFile(s.Path())
	want := walWrites(t, s, 200, 600)
	later, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	const page = 4096
	changed := 0
	for p := 0; p*page < min(len(later), len(synced)); p++ {
		if !bytes.Equal(later[p*page:(p+1)*page], synced[p*page:(p+1)*page]) {
			changed++
		}
	}
	if changed < 5 {
		t.Fatalf("only %d pages changed since the checkpoint; the test proves nothing", changed)
	}
	for name, keep := range powerLossKeeps {
		t.Run(name, func(t *testing.T) {
			got := crashCopy(t, clock, mixPages(synced, later, keep), journal)
			sameContents(t, walContents(t, got), want)
		})
	}
}

// powerLossKeeps are which pages written since the last sync the disk
// kept when the power went.
var powerLossKeeps = map[string]func(p int) bool{
	"meta pages only":         func(p int) bool { return p < 2 },
	"every page but the meta": func(p int) bool { return p >= 2 },
	"every other page":        func(p int) bool { return p%2 == 0 },
	"none":                    func(int) bool { return false },
}

// mixPages is the bbolt file after a power loss: the pages keep chooses
// as they were later, the others as they were synced.
func mixPages(synced, later []byte, keep func(p int) bool) []byte {
	const page = 4096
	out := bytes.Clone(later)
	for p := 0; p*page < len(later); p++ {
		if keep(p) {
			continue
		}
		end := min((p+1)*page, len(later))
		if p*page < len(synced) {
			copy(out[p*page:end], synced[p*page:min(end, len(synced))])
		} else {
			clear(out[p*page : end]) // never reached the disk
		}
	}
	return out
}

// TestJournalDropsTornTail: a record cut short or damaged at the end of
// the journal (the action was never acknowledged) is dropped; those before
// it are kept.
func TestJournalDropsTornTail(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	s = reopen(t, s, clock)
	want := walWrites(t, s, 0, 20)
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	_, _, end, _ := s.db.wal.scan()
	walWrites(t, s, 20, 1)
	full, _ := os.ReadFile(JournalPath(s.Path()))
	_, _, end2, _ := s.db.wal.scan()
	torn := bytes.Clone(journal)
	copy(torn[end:], full[end:end+(end2-end)/2]) // half the 21st record
	got := crashCopy(t, clock, profile, torn)
	sameContents(t, walContents(t, got), want)

	flipped := bytes.Clone(full)
	flipped[end2-3] ^= 0x40 // the 21st record whole in length, damaged
	got = crashCopy(t, clock, profile, flipped)
	sameContents(t, walContents(t, got), want)
}

// TestJournalGroupCommit: writes that arrive together share a commit and
// its one journal sync.
func TestJournalGroupCommit(t *testing.T) {
	holdCheckpoints(t)
	s, _ := MustCreateStore(t)
	w := s.db.wal
	if err := s.Update(func(tx *Tx) error { return tx.CreateBucketIfNotExists(walTestBucket) }); err != nil {
		t.Fatal(err)
	}
	before := w.syncs.Load()
	const n = 200
	var wg gosync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := s.db.Batch(func(tx *Tx) error {
				return tx.Bucket(walTestBucket).Put(fmt.Appendf(nil, "g%03d", i), []byte("x"))
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	syncs := w.syncs.Load() - before
	if got := walContents(t, s); len(got) != n+1 {
		t.Fatalf("%d keys after %d batched writes", len(got)-1, n)
	}
	if syncs >= n {
		t.Fatalf("%d journal syncs for %d concurrent writes: none shared", syncs, n)
	}
	t.Logf("%d concurrent writes, %d journal syncs", n, syncs)
	// One write that fails fails alone.
	var wg2 gosync.WaitGroup
	errs := make([]error, 4)
	for i := range 4 {
		wg2.Go(func() {
			errs[i] = s.db.Batch(func(tx *Tx) error {
				if i == 2 {
					return ErrStorage
				}
				return tx.Bucket(walTestBucket).Put(fmt.Appendf(nil, "h%d", i), []byte("y"))
			})
		})
	}
	wg2.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 2) {
			t.Fatalf("write %d: %v", i, err)
		}
	}
}

// TestJournalCompactAndSecondOpen: a compacted profile starts a new
// journal; a profile in use refuses a second process's open.
func TestJournalCompactAfterCrash(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	s = reopen(t, s, clock)
	want := walWrites(t, s, 0, 30)
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	path := filepath.Join(t.TempDir(), "profile.dossier")
	os.WriteFile(path, profile, 0o600)
	os.WriteFile(JournalPath(path), journal, 0o600)
	if err := Compact(path); err != nil {
		t.Fatal(err)
	}
	got, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	sameContents(t, walContents(t, got), want)
}

// BenchmarkFdatasync4K is the disk's floor for a durable action: one 4 KiB
// block overwritten and fdatasync'd, for comparison with BenchmarkVerify.
func BenchmarkFdatasync4K(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "sync"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 4096)
	if _, err := f.WriteAt(block, 0); err != nil {
		b.Fatal(err)
	}
	f.Sync()
	b.ResetTimer()
	for i := range b.N {
		block[0] = byte(i)
		if _, err := f.WriteAt(block, 0); err != nil {
			b.Fatal(err)
		}
		if err := fdatasync(f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestJournalBulkLoad: a transaction too large for the journal is synced
// by bbolt at its commit (a checkpoint), and survives a kill as well.
func TestJournalBulkLoad(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	value := bytes.Repeat([]byte("v"), 64<<10)
	err := s.Update(func(tx *Tx) error {
		if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
			return err
		}
		for i := range (walBigTx / len(value)) + 10 {
			if err := tx.Bucket(walTestBucket).Put(fmt.Appendf(nil, "b%05d", i), value); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.db.wal.off != walData {
		t.Fatalf("the bulk load went to the journal (%d bytes)", s.db.wal.off)
	}
	want := walWrites(t, s, 0, 5)
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	sameContents(t, walContents(t, crashCopy(t, clock, profile, journal)), want)
}

// TestJournalCleanOpenSyncsNothing: a profile opened, read and closed
// after a clean close asks the disk for no sync and leaves both files as
// they were; the generation it resumes still replays every action after
// a crash, and a crash that tears the resumed generation's first record
// loses only that unacknowledged action.
func TestJournalCleanOpenSyncsNothing(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	want := walWrites(t, s, 0, 20)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	profile, _ := os.ReadFile(path)
	journal, _ := os.ReadFile(JournalPath(path))
	closed := profile
	before := fileSyncs.Load()
	for range 3 {
		s2, err := Open(path, testPassword, testOptions(clock))
		if err != nil {
			t.Fatal(err)
		}
		sameContents(t, walContents(t, s2), want)
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if n := fileSyncs.Load() - before; n != 0 {
		t.Errorf("%d syncs for three opens and closes that wrote nothing", n)
	}
	if p, _ := os.ReadFile(path); !bytes.Equal(p, profile) {
		t.Error("the profile changed on an open that wrote nothing")
	}
	if j, _ := os.ReadFile(JournalPath(path)); !bytes.Equal(j, journal) {
		t.Error("the journal changed on an open that wrote nothing")
	}

	// Resumed, then killed: every action since is replayed.
	s3, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s3.Close() })
	first := len(want)
	want = walWrites(t, s3, 20, 30)
	profile, _ = os.ReadFile(path)
	journal, _ = os.ReadFile(JournalPath(path))
	got := crashCopy(t, clock, profile, journal)
	sameContents(t, walContents(t, got), want)

	// A crash before the resumed generation's first record was whole:
	// the file's state at the checkpoint, and a later open resumes again.
	torn := append([]byte(nil), journal...)
	head := binary.LittleEndian.Uint32(torn[walData:])
	clear(torn[walData+8+int(head)/2 : walData+8+int(head)])
	got2 := crashCopy(t, clock, closed, torn)
	if n := len(walContents(t, got2)); n != first {
		t.Errorf("%d keys after a torn first record, want the %d before it", n, first)
	}
}

// newestMetaFreelist reads the bbolt file's newest meta page and returns
// the page its freelist is on (bolt's PgidNoFreelist when unwritten).
func newestMetaFreelist(t *testing.T, path string) uint64 {
	t.Helper()
	f, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(binary.LittleEndian.Uint32(f[16+8:]))
	var txid, freelist uint64
	for i := range 2 {
		m := f[i*pageSize:]
		if id := binary.LittleEndian.Uint64(m[64:]); id >= txid {
			txid, freelist = id, binary.LittleEndian.Uint64(m[48:])
		}
	}
	return freelist
}

// TestJournalFreelistAtCheckpoints: commits between checkpoints leave
// bbolt's freelist unwritten (several pages a commit once the pin holds
// many); each checkpoint writes it, so a cleanly closed profile opens
// without bbolt walking every page, and a crashed one is whole.
func TestJournalFreelistAtCheckpoints(t *testing.T) {
	holdCheckpoints(t)
	const unwritten = ^uint64(0)
	s, clock := MustCreateStore(t)
	if got := newestMetaFreelist(t, s.Path()); got == unwritten {
		t.Fatal("a new profile's checkpoint left the freelist unwritten")
	}
	walWrites(t, s, 0, 30)
	if err := s.db.settle(); err != nil { // the applier's commits, now
		t.Fatal(err)
	}
	if got := newestMetaFreelist(t, s.Path()); got != unwritten {
		t.Fatalf("a commit between checkpoints wrote the freelist (page %d)", got)
	}
	// Killed here: the copy opens whole, with every action.
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	want := walContents(t, s)
	got := crashCopy(t, clock, profile, journal)
	sameContents(t, walContents(t, got), want)
	path := got.Path()
	got.Close()
	if f := newestMetaFreelist(t, path); f == unwritten {
		t.Error("the crashed copy, opened and closed, still has no freelist")
	}
	// Closed cleanly: the checkpoint wrote it.
	path = s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if f := newestMetaFreelist(t, path); f == unwritten {
		t.Error("a clean close left the freelist unwritten")
	}
	again, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	sameContents(t, walContents(t, again), want)
	if err := again.CheckFile(); err != nil {
		t.Fatal(err)
	}
}

// TestJournalSyncFailureStopsWrites: when the journal's sync fails, the
// action is refused with a storage error and so is every write after it,
// since what the disk holds is unknown; reads go on, and the files, copied
// as a crash leaves them, open whole with every action acknowledged
// before.
func TestJournalSyncFailureStopsWrites(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	want := walWrites(t, s, 0, 10)
	journal := s.db.wal.f
	syncFault = func(f *os.File) error {
		if f == journal {
			return errors.New("EIO")
		}
		return nil
	}
	defer func() { syncFault = nil }()
	write := func() error {
		return s.Update(func(tx *Tx) error {
			return tx.Bucket(walTestBucket).Put([]byte("late"), []byte("value"))
		})
	}
	if err := write(); domain.ErrorCode(err) != ErrStorage {
		t.Fatalf("the action whose sync failed: %v", err)
	}
	syncFault = nil
	if err := write(); domain.ErrorCode(err) != ErrStorage {
		t.Fatalf("a write after the failed sync: %v", err)
	}
	if got := walContents(t, s); got["k00001"] != want["k00001"] {
		t.Fatal("reads stopped after the failed sync")
	}
	profile, _ := os.ReadFile(s.Path())
	j, _ := os.ReadFile(JournalPath(s.Path()))
	got := walContents(t, crashCopy(t, clock, profile, j))
	delete(got, "late") // written but never acknowledged: either is right
	if got["#seq"] != want["#seq"] {
		t.Fatalf("sequence %s after the crash, want %s", got["#seq"], want["#seq"])
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s lost after the failed sync", k)
		}
	}
}

// TestJournalStartsWritebackBetweenCheckpoints: every walWriteback of
// bbolt's commits, the journal's loop has the disk start writing bbolt's
// pages, outside the writers' lock, so that the checkpoint's sync finds
// little left; the checkpoint still syncs, and the actions survive a kill.
func TestJournalStartsWritebackBetweenCheckpoints(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	w := s.db.wal
	var want map[string]string
	for i := range 4 * walWriteback {
		want = walWrites(t, s, i, 1)
		if err := s.db.settle(); err != nil { // one of bbolt's commits each
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for w.writebacks.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if w.writebacks.Load() == 0 && runtime.GOOS == "linux" {
		t.Fatalf("%d commits started no writeback", 4*walWriteback)
	}
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	sameContents(t, walContents(t, crashCopy(t, clock, profile, journal)), want)
}

package bbolt

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// writeLog records what a commit writes, and can fail the nth write.
type writeLog struct {
	db     *DB
	writes [][2]int64 // offset, length
	failAt int
}

func (l *writeLog) install(db *DB) {
	l.db = db
	inner := db.file.WriteAt
	db.ops.writeAt = func(b []byte, off int64) (int, error) {
		l.writes = append(l.writes, [2]int64{off, int64(len(b))})
		if l.failAt > 0 && len(l.writes) == l.failAt {
			return 0, errors.New("disk full")
		}
		return inner(b, off)
	}
}

// fill puts n values of size bytes in bucket name, keys in order.
func fill(t *testing.T, db *DB, name string, from, n, size int) {
	t.Helper()
	err := db.Update(func(tx *Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		for i := from; i < from+n; i++ {
			if err := b.Put([]byte(fmt.Sprintf("%08d", i)), bytes.Repeat([]byte{byte(i)}, size)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// check reads every value back and runs bbolt's own consistency check.
func check(t *testing.T, db *DB, name string, n, size int) {
	t.Helper()
	err := db.View(func(tx *Tx) error {
		for err := range tx.Check() {
			return err
		}
		b := tx.Bucket([]byte(name))
		for i := 0; i < n; i++ {
			v := b.Get([]byte(fmt.Sprintf("%08d", i)))
			if !bytes.Equal(v, bytes.Repeat([]byte{byte(i)}, size)) {
				return fmt.Errorf("value %d: %d bytes, want %d of %d", i, len(v), size, byte(i))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCommitWritesRunsOnce: a commit whose pages follow each other in the
// file writes them with one call a run, never more bytes than maxWriteRun
// a call but for one large page, and the file reads back whole after it is
// opened again.
func TestCommitWritesRunsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, 0o600, &Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var log writeLog
	log.install(db)
	fill(t, db, "a", 0, 3000, 200) // about 150 leaves, all new: one run
	pageSize := int64(db.pageSize)
	var pages int64
	data := 0
	for _, w := range log.writes {
		if w[0] < 2*pageSize {
			continue // a meta page, written on its own
		}
		data++
		pages += w[1] / pageSize
		if w[1] > maxWriteRun {
			t.Errorf("a write of %d bytes", w[1])
		}
	}
	if pages < 100 || data > int(pages*pageSize/maxWriteRun)+2 {
		t.Errorf("%d pages in %d writes: want them in runs", pages, data)
	}

	// Scattered changes over the same pages, a large value (one page of
	// its own, larger than a run) and a deletion, in several commits.
	log.writes = nil
	fill(t, db, "a", 0, 3000, 200)
	fill(t, db, "b", 0, 3, 3*maxWriteRun/2)
	if err := db.Update(func(tx *Tx) error { return tx.Bucket([]byte("a")).Delete([]byte("00001500")) }); err != nil {
		t.Fatal(err)
	}
	big := false
	for _, w := range log.writes {
		if w[1] > maxWriteRun {
			big = true
		}
	}
	if !big {
		t.Error("the large page was not written from its own memory")
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *Tx) error {
		return tx.Bucket([]byte("a")).Put([]byte("00001500"), bytes.Repeat([]byte{byte(1500 % 256)}, 200))
	}); err != nil {
		t.Fatal(err)
	}
	check(t, db, "a", 3000, 200)
	check(t, db, "b", 3, 3*maxWriteRun/2)
}

// TestCommitWriteFailure: a run's failed write fails the commit, which
// leaves the file as it was, and the next commit writes whole.
func TestCommitWriteFailure(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fill(t, db, "a", 0, 1000, 200)
	var log writeLog
	log.install(db)
	log.failAt = 1
	err = db.Update(func(tx *Tx) error {
		b := tx.Bucket([]byte("a"))
		for i := 0; i < 1000; i += 7 {
			if err := b.Put([]byte(fmt.Sprintf("%08d", i)), []byte("changed")); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("a commit whose write failed succeeded")
	}
	check(t, db, "a", 1000, 200)
	log.failAt = 0
	fill(t, db, "a", 1000, 500, 200)
	check(t, db, "a", 1500, 200)
}

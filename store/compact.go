package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
)

// Compact rewrites the closed profile at path with full pages and no free
// space, then puts the new file in its place in one rename, so that a crash
// at any moment leaves either the old file or the new one. Values are copied
// still sealed, so the profile's contents and password do not change. A
// profile open elsewhere is refused with ErrProfileLocked.
func Compact(path string) error {
	if err := checkHeader(path); err != nil {
		return err
	}
	// What a crash left in the journal goes into the file first; the
	// journal, which names the old file's pages, goes with the old file.
	j, err := recoverJournal(path)
	if err != nil {
		return err
	}
	defer j.f.Close()
	// Nothing is written to a file refused (openBolt), and the source is
	// only read.
	src, err := openBolt(path, nil, &bolt.Options{Timeout: 500 * time.Millisecond})
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := inspect(src, path, nil); err != nil {
		return err
	}
	tmp := path + ".compacting"
	os.Remove(tmp) // what a crashed earlier run left
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, NoGrowSync: true})
	if err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("compact: %w", err))
	}
	err = copyBuckets(dst, src, compactFill)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Remove(JournalPath(path))
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return domain.Wrap(ErrStorage, fmt.Errorf("compact: %w", err))
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return domain.Wrap(ErrStorage, err)
	}
	return nil
}

// compactFill is how full Compact packs pages. Not 1.0: a full page splits
// in two at the first insert into it, and a commit that splits several
// pages writes (and waits on) twice as many; 0.8 leaves room to grow.
const compactFill = 0.8

// copyBuckets copies every top-level bucket of src into dst in key order,
// committing every 64 MiB, with pages filled to fill.
func copyBuckets(dst, src *bolt.DB, fill float64) error {
	return src.View(func(stx *bolt.Tx) error {
		return stx.ForEach(func(name []byte, sb *bolt.Bucket) error {
			c := sb.Cursor()
			k, v := c.First()
			for first := true; first || k != nil; first = false {
				size := 0
				err := dst.Update(func(dtx *bolt.Tx) error {
					db, err := dtx.CreateBucketIfNotExists(name)
					if err != nil {
						return err
					}
					db.FillPercent = fill
					if err := db.SetSequence(sb.Sequence()); err != nil {
						return err
					}
					for ; k != nil && size < 64<<20; k, v = c.Next() {
						if v == nil {
							return fmt.Errorf("nested bucket %q in %q", k, name)
						}
						if err := db.Put(k, v); err != nil {
							return err
						}
						size += len(k) + len(v)
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
}

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
	src, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 500 * time.Millisecond})
	if err != nil {
		return boltOpenError(err)
	}
	defer src.Close()
	if _, _, _, err := inspect(src, path); err != nil {
		return err
	}
	tmp := path + ".compacting"
	os.Remove(tmp) // what a crashed earlier run left
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{NoSync: true, NoGrowSync: true})
	if err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("compact: %w", err))
	}
	err = bolt.Compact(dst, src, 64<<20)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
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

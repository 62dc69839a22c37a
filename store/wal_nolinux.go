//go:build !linux

package store

import (
	"errors"
	"os"
)

func fdatasyncFile(f *os.File) error { return f.Sync() }

// startWriteback does nothing where the system has no sync_file_range:
// the checkpoint's sync writes everything.
func startWriteback(*os.File) error { return nil }

// openDirect: direct I/O is used on Linux only.
func openDirect(*os.File) (*os.File, error) { return nil, errors.ErrUnsupported }

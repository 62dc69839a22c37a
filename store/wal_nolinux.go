//go:build !linux

package store

import "os"

func fdatasyncFile(f *os.File) error { return f.Sync() }

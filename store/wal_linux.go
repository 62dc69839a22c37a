package store

import (
	"os"
	"syscall"
)

// fdatasyncFile flushes f's data (and its size, when it grew), not its times.
func fdatasyncFile(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }

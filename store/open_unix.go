//go:build unix

package store

import (
	"os"
	"syscall"
)

// dupFile is a second descriptor of f's open file (nil if none is to be
// had): cheaper than opening its path again.
func dupFile(f *os.File) *os.File {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), f.Name())
}

// unlockFile releases bbolt's lock on f, which a mapping of f left behind
// would otherwise keep.
func unlockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

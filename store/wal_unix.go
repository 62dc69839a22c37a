//go:build unix

package store

import (
	"os"
	"syscall"
)

// lockFile takes f for this process alone, or fails at once.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

//go:build !unix

package store

import "os"

// dupFile: the journal opens the profile's path itself.
func dupFile(*os.File) *os.File { return nil }

// unlockFile: closing the file releases its lock.
func unlockFile(*os.File) {}

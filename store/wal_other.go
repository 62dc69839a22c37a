//go:build !unix

package store

import "os"

// lockFile: bbolt's own lock on the profile keeps a second process out.
func lockFile(*os.File) error { return nil }

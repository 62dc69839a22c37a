//go:build unix

package main

import "syscall"

// descriptorRoom is how many connections the process's file descriptors
// leave room for: its limit, less a reserve for the store, the log, the
// certificate and the listener.
func descriptorRoom() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > 1<<30 {
		return DefaultConnsTotal
	}
	return max(int(lim.Cur)-256, 64)
}

package store

import (
	"os"
	"strconv"
	"syscall"
)

// fdatasyncFile flushes f's data (and its size, when it grew), not its times.
func fdatasyncFile(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }

// syncFileRangeWrite is Linux's SYNC_FILE_RANGE_WRITE.
const syncFileRangeWrite = 2

// startWriteback has the disk start writing f's dirty pages, without
// waiting for them (sync_file_range): it promises nothing, but the next
// sync of f finds less to write.
func startWriteback(f *os.File) error {
	return syscall.SyncFileRange(int(f.Fd()), 0, 0, syncFileRangeWrite)
}

// openDirect opens f's file again, for writes that skip the page cache
// and return once the disk holds them (wal_direct.go). It goes through
// f's descriptor, not its name: the very file f is, whatever the working
// directory or the name now lead to.
func openDirect(f *os.File) (*os.File, error) {
	return os.OpenFile("/proc/self/fd/"+strconv.Itoa(int(f.Fd())), os.O_WRONLY|syscall.O_DIRECT|syscall.O_DSYNC, 0)
}

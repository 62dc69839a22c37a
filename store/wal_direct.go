package store

import (
	"errors"
	"os"
	"syscall"
	"unsafe"
)

// The journal's records are written, where the system allows it, through
// a second handle opened O_DIRECT|O_DSYNC: one write that leaves the page
// cache out and returns once the disk holds the record (a flush, or a
// forced-unit-access write), instead of a buffered write and an
// fdatasync. On this project's machines that saves 15–25 µs of the
// click's one sync (docs/performance.md); PostgreSQL's open_datasync and
// InnoDB's O_DSYNC do the same. Direct writes are whole aligned blocks, so
// the journal keeps the block its last record ends in (tail) and writes
// it again, with the next record after it. A file system that refuses
// direct I/O (tmpfs before Linux 6.6, some network file systems) leaves
// the buffered write and its fdatasync.

// walBlock is the alignment of a direct write: 4 KiB suits disks of 512-
// and 4,096-byte sectors alike.
const walBlock = 4096

// walDirectKeep is the largest write buffer kept between records; a
// bigger record has one of its own.
const walDirectKeep = 1 << 20

// walNoDirect, set by a test, keeps the journal on buffered writes.
var walNoDirect bool

// directLog is the journal's O_DIRECT handle and its aligned buffer,
// whose first off%walBlock bytes are the tail block's records so far.
type directLog struct {
	f   *os.File
	buf []byte
}

// openDirectLog opens the journal f again for direct, synchronous writes,
// or returns nil where the system or its file system has none.
func openDirectLog(journal *os.File) *directLog {
	if walNoDirect {
		return nil
	}
	f, err := openDirect(journal)
	if err != nil {
		return nil
	}
	return &directLog{f: f, buf: alignedBlocks(walBlock)}
}

// alignedBlocks is n bytes (a multiple of walBlock) at an address that
// direct I/O accepts.
func alignedBlocks(n int) []byte {
	b := make([]byte, n+walBlock)
	skip := (walBlock - int(uintptr(unsafe.Pointer(&b[0])))%walBlock) % walBlock
	return b[skip : skip+n : skip+n]
}

// errDirectRefused says the file system refused a direct write before
// writing anything: the journal goes on with buffered writes.
var errDirectRefused = errors.New("journal: direct write refused")

// write writes the record parts (size bytes) at off, after the tail, and
// returns once the disk holds them.
func (d *directLog) write(parts [][]byte, size int, off int64) error {
	blk := off &^ (walBlock - 1)
	head := int(off - blk)
	end := head + size
	n := (end + walBlock - 1) &^ (walBlock - 1)
	buf := d.buf
	if cap(buf) < n {
		buf = alignedBlocks(n)
		copy(buf, d.buf[:head])
		if n <= walDirectKeep {
			d.buf = buf
		}
	}
	buf = buf[:n]
	at := head
	for _, p := range parts {
		at += copy(buf[at:], p)
	}
	clear(buf[end:])
	if _, err := d.f.WriteAt(buf, blk); err != nil {
		if errors.Is(err, syscall.EINVAL) {
			// Direct I/O is not for this file. The kernel refuses it
			// before writing; should a part have gone first, the
			// buffered write puts the whole record at the same place.
			return errDirectRefused
		}
		return err
	}
	// The block the record ends in is the next record's tail.
	copy(d.buf, buf[end&^(walBlock-1):end])
	return nil
}

func (d *directLog) close() error { return d.f.Close() }

package bbolt

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"go.etcd.io/bbolt/internal/common"
)

// coldPages is Dossier's patch (PATCHED.md): the first pages a DB reads
// after it opens — the freelist, the tops of the trees, the first records
// — are read with pread into memory of their own, instead of through the
// mapping, until the first commit writes a page or a budget of pages is
// spent; from then on the mapping serves every page, as upstream. On a
// kernel where the first touch of a mapped page costs tens of
// microseconds (a guest whose page tables its hypervisor shadows), a few
// preads are cheaper than the faults, and a mapping barely touched is
// unmapped for almost nothing: opening a file, reading a screen's worth
// and closing it costs a third less.
//
// Why a page read here is always the file's page: while no commit has
// written a page since the DB opened, every page a reader can reach is as
// the file holds it (bbolt writes only free pages, never in place), and the
// first commit that writes turns this off (Tx.write, under mu) before its
// first write. A reader may go on using a page it was given: that page is
// reachable from its transaction, so no commit rewrites it while it lives.
//
// The meta pages are read here too, at the first map, and kept for good:
// Tx.writeMeta hands over the page it wrote, under metalock, where every
// reader of the meta pages reads them. They are never read through the
// mapping.
type coldPages struct {
	off atomic.Bool

	mu    sync.Mutex
	pages map[common.Pgid]*common.Page
	left  int // pages it may still read
	reads int // preads made (for the tests)

	// meta are the meta pages (under the DB's metalock, or mmaplock).
	meta [2]*common.Meta
}

func newColdPages(budget int) *coldPages {
	return &coldPages{pages: make(map[common.Pgid]*common.Page), left: budget}
}

// page is page id from memory, read now, or nil when the mapping is to
// serve it.
func (c *coldPages) page(db *DB, id common.Pgid) *common.Page {
	if c.off.Load() {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.off.Load() {
		return nil
	}
	if p, ok := c.pages[id]; ok {
		return p
	}
	if _, seq := c.pages[id-1]; seq && c.left >= coldRun {
		if p := c.readRun(db, id); p != nil {
			return p
		}
	}
	c.reads++
	p, n, err := readPage(db, id)
	if err != nil || n > c.left {
		c.stopLocked()
		return nil
	}
	if p != nil {
		c.pages[id] = p
		c.left -= n
	}
	return p
}

// stop hands every page to the mapping from now on: the first commit that
// writes calls it before writing.
func (c *coldPages) stop() {
	if c.off.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
}

func (c *coldPages) stopLocked() {
	c.off.Store(true)
	c.pages = nil
}

// coldRun is how many pages one read brings in when pages are asked for
// in file order (a range of records, whose leaves a compacted file keeps
// side by side): the page asked for and those after it.
const coldRun = 8

// readRun reads coldRun pages from id on and keeps each whole page among
// them that holds its own id; it returns page id, or nil when it was not
// whole in the run. A page kept that nobody reaches (a free page, say)
// is never served: before anyone can reach it a commit must write it,
// and that turns the cold pages off.
func (c *coldPages) readRun(db *DB, id common.Pgid) *common.Page {
	ps := db.pageSize
	buf := make([]byte, coldRun*ps)
	c.reads++
	n, err := db.file.ReadAt(buf, int64(id)*int64(ps))
	if err != nil && n < ps {
		return nil
	}
	for i := 0; i+ps <= n; {
		pid := id + common.Pgid(i/ps)
		p := (*common.Page)(unsafe.Pointer(&buf[i]))
		span := (int(p.Overflow()) + 1) * ps
		if p.Id() != pid || i+span > n {
			if i == 0 {
				return nil
			}
			break
		}
		if _, ok := c.pages[pid]; !ok {
			c.pages[pid] = p
			c.left -= span / ps
		}
		i += span
	}
	return c.pages[id]
}

// maxColdPage bounds a page (with its overflow) read into memory: larger
// ones are left to the mapping.
const maxColdPage = 1 << 20

// readPage reads page id with its overflow, and how many pages that is.
// It is nil (the mapping serves it) when the page is larger than
// maxColdPage, or does not hold its own id (the mapping reports that, as
// upstream); err when the file cannot be read.
func readPage(db *DB, id common.Pgid) (*common.Page, int, error) {
	ps := db.pageSize
	buf := make([]byte, ps)
	if _, err := db.file.ReadAt(buf, int64(id)*int64(ps)); err != nil {
		return nil, 0, err
	}
	p := (*common.Page)(unsafe.Pointer(&buf[0]))
	if p.Id() != id {
		return nil, 0, nil
	}
	if p.Overflow() == 0 {
		return p, 1, nil
	}
	size := (int(p.Overflow()) + 1) * ps
	if size > maxColdPage {
		return nil, 0, nil
	}
	all := make([]byte, size)
	copy(all, buf)
	if _, err := db.file.ReadAt(all[ps:], int64(id+1)*int64(ps)); err != nil {
		return nil, 0, err
	}
	return (*common.Page)(unsafe.Pointer(&all[0])), size / ps, nil
}

// metas are the meta pages, read into memory at the first map; ok is false
// when they cannot be read (the mapping serves them, and no page is read
// here). Under mmaplock.
func (c *coldPages) metas(db *DB) (m0, m1 *common.Meta, ok bool) {
	if c.meta[0] == nil {
		ps := db.pageSize
		buf := make([]byte, 2*ps)
		if n, err := db.file.ReadAt(buf, 0); err != nil || n != len(buf) {
			return nil, nil, false
		}
		c.meta[0] = (*common.Page)(unsafe.Pointer(&buf[0])).Meta()
		c.meta[1] = (*common.Page)(unsafe.Pointer(&buf[ps])).Meta()
	}
	return c.meta[0], c.meta[1], true
}

// wrote makes the meta page buf, which Tx.writeMeta wrote to page id, the
// DB's. Under metalock.
func (c *coldPages) wrote(db *DB, id common.Pgid, buf []byte) {
	m := (*common.Page)(unsafe.Pointer(&buf[0])).Meta()
	c.meta[id] = m
	if id == 0 {
		db.meta0 = m
	} else {
		db.meta1 = m
	}
}

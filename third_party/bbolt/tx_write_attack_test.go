package bbolt

// Attacks on Dossier's patch to Tx.write (pages written in runs,
// PATCHED.md). The reference is bbolt v1.5.0's own write loop, copied below
// unchanged as writeUpstream, and a copy of Tx.Commit that calls it.

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"unsafe"

	berrors "go.etcd.io/bbolt/errors"
	"go.etcd.io/bbolt/internal/common"
)

// writeUpstream is bbolt v1.5.0's Tx.write, unpatched: one writeAt a page.
func (tx *Tx) writeUpstream() error {
	pages := make(common.Pages, 0, len(tx.pages))
	for _, p := range tx.pages {
		pages = append(pages, p)
	}
	tx.pages = make(map[common.Pgid]*common.Page)
	sort.Sort(pages)
	for _, p := range pages {
		rem := (uint64(p.Overflow()) + 1) * uint64(tx.db.pageSize)
		offset := int64(p.Id()) * int64(tx.db.pageSize)
		var written uintptr
		for {
			sz := rem
			if sz > common.MaxAllocSize-1 {
				sz = common.MaxAllocSize - 1
			}
			buf := common.UnsafeByteSlice(unsafe.Pointer(p), written, 0, int(sz))
			if _, err := tx.db.ops.writeAt(buf, offset); err != nil {
				return err
			}
			tx.stats.IncWrite(1)
			rem -= sz
			if rem == 0 {
				break
			}
			offset += int64(sz)
			written += uintptr(sz)
		}
	}
	if !tx.db.NoSync || common.IgnoreNoSync {
		if err := fdatasync(tx.db); err != nil {
			return err
		}
	}
	for _, p := range pages {
		if int(p.Overflow()) != 0 {
			continue
		}
		buf := common.UnsafeByteSlice(unsafe.Pointer(p), 0, 0, tx.db.pageSize)
		for i := range buf {
			buf[i] = 0
		}
		tx.db.pagePool.Put(buf) //nolint:staticcheck
	}
	return nil
}

// commitUpstream is Tx.Commit (v1.5.0, without its logging and timing)
// calling writeUpstream instead of the patched write.
func (tx *Tx) commitUpstream() error {
	if tx.db == nil {
		return berrors.ErrTxClosed
	}
	tx.root.rebalance()
	opgid := tx.meta.Pgid()
	if err := tx.root.spill(); err != nil {
		tx.rollback()
		return err
	}
	tx.meta.RootBucket().SetRootPage(tx.root.RootPage())
	if tx.meta.Freelist() != common.PgidNoFreelist {
		tx.db.freelist.Free(tx.meta.Txid(), tx.db.page(tx.meta.Freelist()))
	}
	if !tx.db.NoFreelistSync {
		if err := tx.commitFreelist(); err != nil {
			return err
		}
	} else {
		tx.meta.SetFreelist(common.PgidNoFreelist)
	}
	if tx.meta.Pgid() > opgid {
		if err := tx.db.grow(int(tx.meta.Pgid()+1) * tx.db.pageSize); err != nil {
			tx.rollback()
			return err
		}
	}
	if err := tx.writeUpstream(); err != nil {
		tx.rollback()
		return err
	}
	if err := tx.writeMeta(); err != nil {
		tx.rollback()
		return err
	}
	tx.close()
	for _, fn := range tx.commitHandlers {
		fn()
	}
	return nil
}

var errInjected = errors.New("injected write failure")

// disk sits on db.ops.writeAt: it keeps an image of every byte written,
// checks that each data write is whole pages each at its own place, and
// can fail (or cut short) the nth call.
type disk struct {
	t      *testing.T
	db     *DB
	inner  func([]byte, int64) (int, error)
	img    []byte
	calls  int
	writes []diskWrite
	failAt int
	short  bool
	before func(off int64)
}

type diskWrite struct {
	off, n int64
	pages  int
	first  uint32 // overflow of the first page
}

func newDisk(t *testing.T, db *DB) *disk {
	t.Helper()
	img, err := os.ReadFile(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	d := &disk{t: t, db: db, inner: db.ops.writeAt, img: img}
	db.ops.writeAt = d.writeAt
	return d
}

func (d *disk) writeAt(b []byte, off int64) (int, error) {
	d.calls++
	ps := int64(d.db.pageSize)
	w := diskWrite{off: off, n: int64(len(b))}
	if off%ps != 0 || int64(len(b))%ps != 0 || len(b) == 0 {
		d.t.Errorf("write of %d bytes at %d: not whole pages", len(b), off)
	} else if off < 2*ps {
		if int64(len(b)) != ps {
			d.t.Errorf("meta write of %d bytes", len(b))
		}
	} else {
		for i := int64(0); i < int64(len(b)); {
			p := (*common.Page)(unsafe.Pointer(&b[i]))
			if want := common.Pgid((off + i) / ps); p.Id() != want {
				d.t.Errorf("write at %d: page %d at byte %d of the write, want page %d", off, p.Id(), i, want)
				break
			}
			if w.pages == 0 {
				w.first = p.Overflow()
			}
			w.pages++
			i += (int64(p.Overflow()) + 1) * ps
			if i > int64(len(b)) {
				d.t.Errorf("write at %d of %d bytes cuts page %d", off, len(b), p.Id())
			}
		}
		if len(b) > maxWriteRun && w.pages != 1 {
			d.t.Errorf("write at %d of %d bytes carries %d pages", off, len(b), w.pages)
		}
	}
	d.writes = append(d.writes, w)
	if d.before != nil {
		d.before(off)
	}
	if d.failAt > 0 && d.calls == d.failAt {
		// Half a meta page holds the whole meta and its checksum: the
		// commit would be made, in bbolt as it is. Cut only data writes.
		if !d.short || off < 2*ps {
			return 0, errInjected
		}
		b = b[:len(b)/2]
		n, err := d.inner(b, off)
		d.apply(b[:n], off)
		if err == nil {
			err = io.ErrShortWrite
		}
		return n, err
	}
	n, err := d.inner(b, off)
	d.apply(b[:n], off)
	return n, err
}

func (d *disk) apply(b []byte, off int64) {
	if end := int(off) + len(b); end > len(d.img) {
		d.img = append(d.img, make([]byte, end-len(d.img))...)
	}
	copy(d.img[off:], b)
}

// same checks that the file holds exactly the bytes written through the
// disk (a longer file is grown with zeros).
func (d *disk) same() []byte {
	d.t.Helper()
	f, err := os.ReadFile(d.db.Path())
	if err != nil {
		d.t.Fatal(err)
	}
	if len(f) < len(d.img) {
		d.t.Fatalf("file of %d bytes, %d written", len(f), len(d.img))
	}
	if i := firstDiff(f[:len(d.img)], d.img); i >= 0 {
		d.t.Fatalf("file differs from its writes at byte %d (page %d)", i, i/d.db.pageSize)
	}
	for i, c := range f[len(d.img):] {
		if c != 0 {
			d.t.Fatalf("file has byte %d at %d, past every write", c, len(d.img)+i)
		}
	}
	return f
}

func firstDiff(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

// state is what a DB should hold: bucket path ("b0", "b0/n1") to keys to
// values, and each bucket's sequence.
type state struct {
	kv  map[string]map[string]string
	seq map[string]uint64
}

func newState() *state {
	return &state{kv: map[string]map[string]string{}, seq: map[string]uint64{}}
}

func (s *state) clone() *state {
	c := newState()
	for b, m := range s.kv {
		cm := make(map[string]string, len(m))
		for k, v := range m {
			cm[k] = v
		}
		c.kv[b] = cm
	}
	for b, n := range s.seq {
		c.seq[b] = n
	}
	return c
}

func (s *state) create(path string) {
	if i := strings.IndexByte(path, '/'); i >= 0 {
		s.create(path[:i])
	}
	if s.kv[path] == nil {
		s.kv[path] = map[string]string{}
	}
}

func (s *state) dropBucket(path string) {
	for b := range s.kv {
		if b == path || strings.HasPrefix(b, path+"/") {
			delete(s.kv, b)
			delete(s.seq, b)
		}
	}
}

type opKind int

const (
	opPut opKind = iota
	opDel
	opDropBucket
	opSetSeq
	opNextSeq
)

type op struct {
	kind   opKind
	bucket string
	key    string
	val    []byte
	seq    uint64
}

var bucketPaths = []string{"b0", "b1", "b2", "b3", "b0/n0", "b0/n1", "b1/n0", "b2/n0", "b2/n1", "b3/n0"}

// valueSize draws a value's size: mostly small, some of a few pages, some
// of 2 to 300 pages, and now and then larger than a run.
func valueSize(rng *rand.Rand, ps int, huge *int) int {
	switch r := rng.Intn(100); {
	case r < 70:
		return rng.Intn(300)
	case r < 90:
		return rng.Intn(3 * ps)
	case r < 98:
		n := 2 + rng.Intn(299) // 2..300 pages, at most 1.2 MB
		if n*ps > 300*4096 {
			n = 2 + rng.Intn(300*4096/ps-1)
		}
		return (n-1)*ps + 1 + rng.Intn(ps-64)
	default:
		if *huge > 0 {
			return rng.Intn(ps)
		}
		*huge++
		return maxWriteRun + rng.Intn(maxWriteRun/2)
	}
}

func fillValue(rng *rand.Rand, n int) []byte {
	v := make([]byte, n)
	seed := byte(rng.Intn(256))
	step := byte(1 + 2*rng.Intn(100))
	for i := range v {
		v[i] = seed + byte(i)*step
	}
	return v
}

// genCommit draws one commit's operations and applies them to s.
func genCommit(rng *rand.Rand, s *state, ps, nops int) []op {
	return genCommitIn(rng, s, ps, nops, false)
}

// genCommitIn draws one commit's operations and applies them to s; with
// one, they all go to one bucket (and its parent) but for deletions of
// other top-level buckets, and no key is deleted: bbolt spills a commit's
// buckets and rebalances its nodes in map order, so only then are two
// DBs' files the same byte for byte.
func genCommitIn(rng *rand.Rand, s *state, ps, nops int, one bool) []op {
	var ops []op
	huge := 0
	touched := map[string]bool{}
	chain := bucketPaths[rng.Intn(len(bucketPaths))]
	for i := 0; i < nops; i++ {
		b := bucketPaths[rng.Intn(len(bucketPaths))]
		if one {
			b = chain
		}
		switch r := rng.Intn(100); {
		case r < 60:
			o := op{kind: opPut, bucket: b, key: fmt.Sprintf("k%05d", rng.Intn(1500)), val: fillValue(rng, valueSize(rng, ps, &huge))}
			s.create(b)
			s.kv[b][o.key] = string(o.val)
			ops = append(ops, o)
			touched[b] = true
		case r < 85:
			m := s.kv[b]
			if len(m) == 0 || one { // a deletion rebalances nodes in map order
				continue
			}
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			k := keys[rng.Intn(len(keys))]
			delete(m, k)
			ops = append(ops, op{kind: opDel, bucket: b, key: k})
			touched[b] = true
		case r < 88:
			// Upstream bbolt (unpatched too) leaks pages when a bucket
			// touched earlier in the same commit is deleted: drop only
			// buckets this commit has not touched.
			if one {
				b = bucketPaths[rng.Intn(4)]
			}
			if s.kv[b] == nil || touchedNear(touched, b) || (one && strings.HasPrefix(chain, b)) {
				continue
			}
			s.dropBucket(b)
			ops = append(ops, op{kind: opDropBucket, bucket: b})
		case r < 94:
			n := uint64(rng.Int63())
			s.create(b)
			s.seq[b] = n
			ops = append(ops, op{kind: opSetSeq, bucket: b, seq: n})
			touched[b] = true
		default:
			s.create(b)
			s.seq[b]++
			ops = append(ops, op{kind: opNextSeq, bucket: b})
			touched[b] = true
		}
	}
	return ops
}

// touchedNear says whether b, a bucket above it or one below it was touched.
func touchedNear(touched map[string]bool, b string) bool {
	for t := range touched {
		if t == b || strings.HasPrefix(t, b+"/") || strings.HasPrefix(b, t+"/") {
			return true
		}
	}
	return false
}

func bucketAt(tx *Tx, path string, create bool) (*Bucket, error) {
	var b *Bucket
	for _, name := range strings.Split(path, "/") {
		var err error
		switch {
		case b == nil && create:
			b, err = tx.CreateBucketIfNotExists([]byte(name))
		case b == nil:
			b = tx.Bucket([]byte(name))
		case create:
			b, err = b.CreateBucketIfNotExists([]byte(name))
		default:
			b = b.Bucket([]byte(name))
		}
		if err != nil {
			return nil, err
		}
		if b == nil {
			return nil, fmt.Errorf("no bucket %s", path)
		}
	}
	return b, nil
}

func applyOps(tx *Tx, ops []op) error {
	for _, o := range ops {
		if o.kind == opDropBucket {
			var err error
			if i := strings.IndexByte(o.bucket, '/'); i >= 0 {
				parent, perr := bucketAt(tx, o.bucket[:i], false)
				if perr != nil {
					return perr
				}
				err = parent.DeleteBucket([]byte(o.bucket[i+1:]))
			} else {
				err = tx.DeleteBucket([]byte(o.bucket))
			}
			if err != nil {
				return fmt.Errorf("drop %s: %w", o.bucket, err)
			}
			continue
		}
		b, err := bucketAt(tx, o.bucket, o.kind != opDel)
		if err != nil {
			return err
		}
		switch o.kind {
		case opPut:
			err = b.Put([]byte(o.key), o.val)
		case opDel:
			err = b.Delete([]byte(o.key))
		case opSetSeq:
			err = b.SetSequence(o.seq)
		case opNextSeq:
			_, err = b.NextSequence()
		}
		if err != nil {
			return fmt.Errorf("%v on %s/%s: %w", o.kind, o.bucket, o.key, err)
		}
	}
	return nil
}

// dump reads a DB's buckets (two levels) into a state.
func dump(tx *Tx) (*state, error) {
	s := newState()
	var walk func(path string, b *Bucket) error
	walk = func(path string, b *Bucket) error {
		s.create(path)
		if n := b.Sequence(); n != 0 {
			s.seq[path] = n
		}
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(path+"/"+string(k), b.Bucket(k))
			}
			s.kv[path][string(k)] = string(v)
			return nil
		})
	}
	err := tx.ForEach(func(name []byte, b *Bucket) error { return walk(string(name), b) })
	return s, err
}

func checkTx(tx *Tx) error {
	var errs []string
	for err := range tx.Check() {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("tx.Check: %s", strings.Join(errs, "; "))
	}
	return nil
}

// verify checks the DB with bbolt's own Check and reads it back against want.
func verify(t *testing.T, db *DB, want *state) {
	t.Helper()
	err := db.View(func(tx *Tx) error {
		if err := checkTx(tx); err != nil {
			return err
		}
		got, err := dump(tx)
		if err != nil {
			return err
		}
		return diffState(got, want)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func diffState(got, want *state) error {
	for b, m := range want.kv {
		g, ok := got.kv[b]
		if !ok {
			return fmt.Errorf("bucket %s missing", b)
		}
		if len(g) != len(m) {
			return fmt.Errorf("bucket %s: %d keys, want %d", b, len(g), len(m))
		}
		for k, v := range m {
			if gv, ok := g[k]; !ok || gv != v {
				return fmt.Errorf("bucket %s key %s: %d bytes (present %v), want %d", b, k, len(gv), ok, len(v))
			}
		}
		if got.seq[b] != want.seq[b] {
			return fmt.Errorf("bucket %s: sequence %d, want %d", b, got.seq[b], want.seq[b])
		}
	}
	for b := range got.kv {
		if _, ok := want.kv[b]; !ok {
			return fmt.Errorf("bucket %s should not exist", b)
		}
	}
	return nil
}

func update(db *DB, ops []op, upstream bool) error {
	tx, err := db.Begin(true)
	if err != nil {
		return err
	}
	if err := applyOps(tx, ops); err != nil {
		_ = tx.Rollback()
		return err
	}
	if upstream {
		return tx.commitUpstream()
	}
	return tx.Commit()
}

func attackOptions(ps int, fl FreelistType, noSync bool) *Options {
	return &Options{PageSize: ps, FreelistType: fl, NoSync: noSync, NoGrowSync: noSync, NoFreelistSync: noSync}
}

// TestPatchedWriteMatchesUpstream runs the same random commits on two DBs,
// one committing with the patched write and one with bbolt's own loop, and
// requires after every commit: each file holds exactly what went through
// writeAt, every data write is whole pages each at its own place, the
// files are byte for byte the same (array freelist: page allocation is
// deterministic), bbolt's Check is clean and every value reads back.
func TestPatchedWriteMatchesUpstream(t *testing.T) {
	commits := 6
	if testing.Short() {
		commits = 3
	}
	for _, ps := range []int{4096, 8192, 16384} {
		for _, fl := range []FreelistType{FreelistArrayType, FreelistMapType} {
			for _, noSync := range []bool{true, false} {
				name := fmt.Sprintf("ps%d/%s/nosync=%v", ps, fl, noSync)
				t.Run(name, func(t *testing.T) {
					equivalence(t, ps, fl, noSync, commits)
				})
			}
		}
	}
}

func equivalence(t *testing.T, ps int, fl FreelistType, noSync bool, commits int) {
	var readers []*Tx
	dir := t.TempDir()
	opts := attackOptions(ps, fl, noSync)
	// Readers are held across commits: a commit must not need to remap.
	opts.InitialMmapSize = 1 << 30
	a, err := Open(filepath.Join(dir, "patched"), 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(filepath.Join(dir, "upstream"), 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	defer func() {
		for _, r := range readers {
			_ = r.Rollback()
		}
	}()
	da, db := newDisk(t, a), newDisk(t, b)
	seed := int64(ps) + int64(len(fl))*7
	if noSync {
		seed++
	}
	rng := rand.New(rand.NewSource(seed))
	want := newState()
	readers = nil // held on both DBs alike, so freed pages stay pending
	sawRun := false
	for c := 0; c < commits; c++ {
		if rng.Intn(4) == 0 {
			ra, err := a.Begin(false)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := b.Begin(false)
			if err != nil {
				t.Fatal(err)
			}
			readers = append(readers, ra, rb)
		} else if len(readers) > 0 && rng.Intn(2) == 0 {
			for _, r := range readers {
				_ = r.Rollback()
			}
			readers = nil
		}
		ops := genCommitIn(rng, want, ps, 1+rng.Intn(80), fl == FreelistArrayType)
		da.writes = nil
		if err := update(a, ops, false); err != nil {
			t.Fatalf("commit %d (patched): %v", c, err)
		}
		if err := update(b, ops, true); err != nil {
			t.Fatalf("commit %d (upstream): %v", c, err)
		}
		for _, w := range da.writes {
			if w.pages > 1 {
				sawRun = true
			}
		}
		fa, fb := da.same(), db.same()
		if fl == FreelistArrayType {
			if i := firstDiff(fa, fb); i >= 0 || len(fa) != len(fb) {
				t.Fatalf("commit %d: patched file (%d bytes) differs from upstream's (%d) at byte %d (page %d)", c, len(fa), len(fb), i, i/ps)
			}
		}
		verify(t, a, want)
		verify(t, b, want)
	}
	for _, r := range readers {
		_ = r.Rollback()
	}
	if !sawRun {
		t.Error("no commit wrote a run of several pages: the test does not reach the patch")
	}
	if c := cap(a.writeBuf); c > 2*maxWriteRun {
		t.Errorf("the kept buffer holds %d bytes", c)
	}
	pa, pb := a.Path(), b.Path()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if fl == FreelistArrayType {
		fa, _ := os.ReadFile(pa)
		fb, _ := os.ReadFile(pb)
		if len(fa) == 0 || !bytes.Equal(fa, fb) {
			t.Fatal("files differ after close")
		}
	}
	a, err = Open(pa, 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	verify(t, a, want)
}

// synthPages makes a commit's worth of dirty pages with random bytes, at
// ids with gaps of 0, 1 or more pages, of sizes about the run's bounds.
func synthPages(rng *rand.Rand, ps int) map[common.Pgid]*common.Page {
	perRun := maxWriteRun / ps
	n := []int{1, 2, 10, 300, perRun + 5, 3 * perRun}[rng.Intn(6)]
	pages := map[common.Pgid]*common.Page{}
	id := common.Pgid(2 + rng.Intn(3))
	total := 0
	for i := 0; i < n && total < 8*maxWriteRun; i++ {
		count := 1
		switch r := rng.Intn(100); {
		case r < 75:
		case r < 85:
			count = 2 + rng.Intn(3)
		case r < 93:
			count = perRun - 2 + rng.Intn(5) // perRun-2 .. perRun+2
		case r < 97:
			count = 1 + rng.Intn(perRun+10)
		default:
			count = 2 + rng.Intn(299)
		}
		buf := make([]byte, count*ps)
		rng.Read(buf)
		p := (*common.Page)(unsafe.Pointer(&buf[0]))
		p.SetId(id)
		p.SetOverflow(uint32(count - 1))
		pages[id] = p
		total += len(buf)
		switch r := rng.Intn(100); {
		case r < 75:
			id += common.Pgid(count)
		case r < 90:
			id += common.Pgid(count + 1) // a gap of one page
		default:
			id += common.Pgid(count + 2 + rng.Intn(50))
		}
	}
	return pages
}

// minRuns is the least number of writes bounded by maxWriteRun that carry
// the pages: contiguous pages share a write, a larger page has its own.
func minRuns(pages map[common.Pgid]*common.Page, ps int) int {
	ids := make([]int, 0, len(pages))
	for id := range pages {
		ids = append(ids, int(id))
	}
	sort.Ints(ids)
	runs, cur, end := 0, 0, -1
	for _, id := range ids {
		size := (int(pages[common.Pgid(id)].Overflow()) + 1) * ps
		off := id * ps
		if cur > 0 && (off != end || cur+size > maxWriteRun) {
			runs, cur = runs+1, 0
		}
		if size > maxWriteRun {
			runs++
			continue
		}
		cur += size
		end = off + size
	}
	if cur > 0 {
		runs++
	}
	return runs
}

// TestWriteRunsSynthetic calls the patched Tx.write on random page sets
// (gaps of one page, runs of exactly maxWriteRun and one page over, pages
// of exactly maxWriteRun and just above, many single pages), over a
// buffer left full of other bytes, and requires every page's bytes at its
// place, nothing written in the gaps, and the fewest writes.
func TestWriteRunsSynthetic(t *testing.T) {
	for _, ps := range []int{512, 4096, 16384} {
		t.Run(fmt.Sprint(ps), func(t *testing.T) {
			rng := rand.New(rand.NewSource(int64(ps)))
			db := &DB{pageSize: ps, NoSync: true}
			db.pagePool = sync.Pool{New: func() any { return make([]byte, ps) }}
			trials := 60
			if testing.Short() {
				trials = 30
			}
			for trial := 0; trial < trials; trial++ {
				if trial%3 == 0 {
					// A kept buffer full of stale bytes, of any capacity.
					db.writeBuf = bytes.Repeat([]byte{0xAA}, rng.Intn(2*maxWriteRun))[:0]
				}
				pages := synthPages(rng, ps)
				end := 0
				for _, p := range pages {
					if e := (int(p.Id()) + int(p.Overflow()) + 1) * ps; e > end {
						end = e
					}
				}
				want := bytes.Repeat([]byte{0x55}, end)
				got := bytes.Repeat([]byte{0x55}, end)
				for _, p := range pages {
					size := (int(p.Overflow()) + 1) * ps
					copy(want[int(p.Id())*ps:], common.UnsafeByteSlice(unsafe.Pointer(p), 0, 0, size))
				}
				var writes [][2]int
				db.ops.writeAt = func(b []byte, off int64) (int, error) {
					writes = append(writes, [2]int{int(off), len(b)})
					copy(got[off:], b)
					return len(b), nil
				}
				runs := minRuns(pages, ps)
				tx := &Tx{db: db, pages: pages}
				if err := tx.write(); err != nil {
					t.Fatal(err)
				}
				if i := firstDiff(got, want); i >= 0 {
					t.Fatalf("trial %d (%d pages): byte %d (page %d) differs from the pages", trial, len(pages), i, i/ps)
				}
				if len(writes) != runs {
					t.Fatalf("trial %d: %d pages in %d writes, want %d", trial, len(pages), len(writes), runs)
				}
				if int(tx.stats.GetWrite()) != len(writes) {
					t.Fatalf("trial %d: stats count %d writes, made %d", trial, tx.stats.GetWrite(), len(writes))
				}
				for _, w := range writes {
					if w[1] > maxWriteRun {
						if _, ok := pages[common.Pgid(w[0]/ps)]; !ok || (int(pages[common.Pgid(w[0]/ps)].Overflow())+1)*ps != w[1] {
							t.Fatalf("trial %d: a write of %d bytes at %d is not one page", trial, w[1], w[0])
						}
					}
				}
				if len(db.writeBuf) != 0 {
					t.Fatalf("trial %d: the kept buffer holds %d bytes", trial, len(db.writeBuf))
				}
			}
		})
	}
}

// TestWriteRunBoundaries builds, in a real DB next to one committing with
// bbolt's own loop, a run of exactly maxWriteRun followed by one page, a
// page of exactly maxWriteRun, one page larger, and one smaller after
// other pages; the files must be the same and read back.
func TestWriteRunBoundaries(t *testing.T) {
	const ps = 4096
	dir := t.TempDir()
	opts := attackOptions(ps, FreelistArrayType, true)
	a, err := Open(filepath.Join(dir, "patched"), 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(filepath.Join(dir, "upstream"), 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	da, db := newDisk(t, a), newDisk(t, b)
	want := newState()
	leaf := func(pages int) int { // a value whose lone leaf is pages pages
		return pages*ps - int(common.PageHeaderSize) - int(common.LeafPageElementSize) - 1
	}
	commits := []struct {
		name  string
		ops   []op
		check func(ws []diskWrite) bool
	}{
		{"many single pages", nil, func(ws []diskWrite) bool {
			full, after := false, false
			for i, w := range ws {
				if w.n == maxWriteRun && w.pages == maxWriteRun/ps {
					full = true
					after = after || (i+1 < len(ws) && ws[i+1].off == w.off+maxWriteRun)
				}
			}
			return full && after
		}},
		{"a page of exactly maxWriteRun", []op{{kind: opPut, bucket: "exact", key: "k", val: bytes.Repeat([]byte{7}, leaf(maxWriteRun/ps))}}, func(ws []diskWrite) bool {
			for _, w := range ws {
				if w.n == maxWriteRun && w.pages == 1 && int(w.first) == maxWriteRun/ps-1 {
					return true
				}
			}
			return false
		}},
		{"a page one page above", []op{{kind: opPut, bucket: "above", key: "k", val: bytes.Repeat([]byte{8}, leaf(maxWriteRun/ps+1))}}, func(ws []diskWrite) bool {
			for _, w := range ws {
				if w.n == maxWriteRun+ps && w.pages == 1 {
					return true
				}
			}
			return false
		}},
		{"a page one page below", []op{
			{kind: opPut, bucket: "below", key: "k", val: bytes.Repeat([]byte{9}, leaf(maxWriteRun/ps-1))},
		}, func(ws []diskWrite) bool {
			for _, w := range ws {
				if w.n >= maxWriteRun-ps && w.n <= maxWriteRun {
					return true
				}
			}
			return false
		}},
	}
	for i := 0; i < 3000; i++ {
		commits[0].ops = append(commits[0].ops, op{kind: opPut, bucket: "fresh", key: fmt.Sprintf("k%05d", i), val: bytes.Repeat([]byte{byte(i)}, 350)})
	}
	for _, c := range commits {
		for _, o := range c.ops {
			want.create(o.bucket)
			want.kv[o.bucket][o.key] = string(o.val)
		}
		da.writes = nil
		if err := update(a, c.ops, false); err != nil {
			t.Fatal(err)
		}
		if err := update(b, c.ops, true); err != nil {
			t.Fatal(err)
		}
		if !c.check(da.writes) {
			t.Errorf("%s: the writes %v do not show it", c.name, da.writes)
		}
		if fa, fb := da.same(), db.same(); !bytes.Equal(fa, fb) {
			t.Fatalf("%s: files differ at byte %d", c.name, firstDiff(fa, fb))
		}
		verify(t, a, want)
	}
}

// TestCommitFailsAtEveryWrite fails (or cuts short) each write of a
// commit in turn, the meta page's too: the commit must fail, the DB must
// read as before, the next commit must succeed, and the file opened again
// must read as that commit.
func TestCommitFailsAtEveryWrite(t *testing.T) {
	for _, noSync := range []bool{true, false} {
		for _, short := range []bool{false, true} {
			for _, reopen := range []bool{false, true} {
				t.Run(fmt.Sprintf("nosync=%v/short=%v/reopen=%v", noSync, short, reopen), func(t *testing.T) {
					failEveryWrite(t, noSync, short, reopen)
				})
			}
		}
	}
}

func failEveryWrite(t *testing.T, noSync, short, reopen bool) {
	const ps = 4096
	dir := t.TempDir()
	opts := attackOptions(ps, FreelistArrayType, noSync)
	rng := rand.New(rand.NewSource(42))
	base := newState()
	basePath := filepath.Join(dir, "base")
	db, err := Open(basePath, 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c < 2; c++ {
		if err := update(db, genCommit(rng, base, ps, 60), false); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	baseFile, err := os.ReadFile(basePath)
	if err != nil {
		t.Fatal(err)
	}
	withVictim := base.clone()
	victim := genCommit(rng, withVictim, ps, 60)
	for i := 0; i < 400; i++ { // and a run of fresh pages
		o := op{kind: opPut, bucket: "fresh", key: fmt.Sprintf("f%05d", i), val: bytes.Repeat([]byte{byte(i)}, 300)}
		withVictim.create("fresh")
		withVictim.kv["fresh"][o.key] = string(o.val)
		victim = append(victim, o)
	}
	for n := 1; ; n++ {
		path := filepath.Join(dir, fmt.Sprintf("try%d", n))
		if err := os.WriteFile(path, baseFile, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, 0o600, opts)
		if err != nil {
			t.Fatal(err)
		}
		d := newDisk(t, db)
		d.failAt, d.short = n, short
		err = update(db, victim, false)
		if err == nil {
			if n <= d.calls {
				t.Fatalf("write %d of %d failed and the commit succeeded", n, d.calls)
			}
			if d.calls < 4 {
				t.Fatalf("the commit made %d writes: too few to attack", d.calls)
			}
			verify(t, db, withVictim)
			_ = db.Close()
			return
		}
		if !errors.Is(err, errInjected) && !errors.Is(err, io.ErrShortWrite) {
			t.Fatalf("write %d: commit failed with %v", n, err)
		}
		verify(t, db, base)
		if reopen {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if db, err = Open(path, 0o600, opts); err != nil {
				t.Fatal(err)
			}
			verify(t, db, base)
		} else {
			d.failAt = 0
		}
		after := base.clone()
		next := genCommit(rand.New(rand.NewSource(int64(n))), after, ps, 30)
		if err := update(db, next, false); err != nil {
			t.Fatalf("write %d failed; the next commit: %v", n, err)
		}
		verify(t, db, after)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if db, err = Open(path, 0o600, opts); err != nil {
			t.Fatal(err)
		}
		verify(t, db, after)
		_ = db.Close()
		_ = os.Remove(path)
	}
}

// TestCrashMidCommit copies the file before each write of a commit (its
// runs, its large pages and its meta page), as a crash there would leave
// it: each copy must open and read as the commit before.
func TestCrashMidCommit(t *testing.T) {
	for _, noSync := range []bool{true, false} {
		t.Run(fmt.Sprintf("nosync=%v", noSync), func(t *testing.T) {
			const ps = 4096
			dir := t.TempDir()
			opts := attackOptions(ps, FreelistArrayType, noSync)
			db, err := Open(filepath.Join(dir, "db"), 0o600, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			d := newDisk(t, db)
			var snaps [][]byte
			metaSeen := false
			d.before = func(off int64) {
				f, err := os.ReadFile(db.Path())
				if err != nil {
					t.Error(err)
				}
				snaps = append(snaps, f)
				if off < 2*ps {
					metaSeen = true
				}
			}
			rng := rand.New(rand.NewSource(7))
			prev := newState()
			opened := 0
			for c := 0; c < 5; c++ {
				next := prev.clone()
				ops := genCommit(rng, next, ps, 1+rng.Intn(120))
				snaps, metaSeen = nil, false
				if err := update(db, ops, false); err != nil {
					t.Fatal(err)
				}
				if !metaSeen {
					t.Fatal("no meta write seen")
				}
				for i, f := range snaps {
					p := filepath.Join(dir, fmt.Sprintf("crash%d-%d", c, i))
					if err := os.WriteFile(p, f, 0o600); err != nil {
						t.Fatal(err)
					}
					cdb, err := Open(p, 0o600, &Options{NoFreelistSync: noSync})
					if err != nil {
						t.Fatalf("commit %d, crash before write %d: %v", c, i, err)
					}
					verify(t, cdb, prev)
					_ = cdb.Close()
					_ = os.Remove(p)
					opened++
				}
				d.same()
				verify(t, db, next)
				prev = next
			}
			if opened < 16 {
				t.Errorf("only %d crash points", opened)
			}
		})
	}
}

// keyValue is the value every key of the concurrency test must hold:
// readers can check any value they see.
func keyValue(key string) []byte {
	h := crc32.ChecksumIEEE([]byte(key))
	size := int(h % 3000)
	switch h % 97 {
	case 0:
		size = 2*4096 + int(h%(300*4096))
	case 1:
		size = maxWriteRun + int(h%4096)
	}
	v := make([]byte, size)
	for i := range v {
		v[i] = byte(h) + byte(i)*byte(h>>8|1)
	}
	return v
}

// TestWriteUnderConcurrency: writers through Batch and Update, readers
// checking every value they see, at once (run it with -race too).
func TestWriteUnderConcurrency(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "db"), 0o600, attackOptions(4096, FreelistMapType, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const writers, perWriter = 6, 100
	stop := make(chan struct{})
	var readers, wg sync.WaitGroup
	readErr := make(chan error, 4)
	for r := 0; r < 3; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := db.View(func(tx *Tx) error {
					b := tx.Bucket([]byte("c"))
					if b == nil {
						return nil
					}
					return b.ForEach(func(k, v []byte) error {
						if !bytes.Equal(v, keyValue(string(k))) {
							return fmt.Errorf("reader: key %s holds %d bytes, not its value", k, len(v))
						}
						return nil
					})
				})
				if err != nil {
					readErr <- err
					return
				}
			}
		}()
	}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWriter; i++ {
				key := fmt.Sprintf("w%d-%04d", w, i)
				put := func(tx *Tx) error {
					b, err := tx.CreateBucketIfNotExists([]byte("c"))
					if err != nil {
						return err
					}
					if i%10 == 9 { // and delete one written before
						if err := b.Delete([]byte(fmt.Sprintf("w%d-%04d", w, i-5))); err != nil {
							return err
						}
					}
					return b.Put([]byte(key), keyValue(key))
				}
				var err error
				if w%3 == 0 {
					err = db.Update(put)
				} else {
					err = db.Batch(put)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	select {
	case err := <-readErr:
		t.Fatal(err)
	default:
	}
	want := newState()
	want.create("c")
	for w := 0; w < writers; w++ {
		for i := 0; i < perWriter; i++ {
			if i%10 != 4 {
				key := fmt.Sprintf("w%d-%04d", w, i)
				want.kv["c"][key] = string(keyValue(key))
			}
		}
	}
	verify(t, db, want)
	path := db.Path()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(path, 0o600, nil); err != nil {
		t.Fatal(err)
	}
	verify(t, db, want)
}

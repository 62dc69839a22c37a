package bbolt

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"go.etcd.io/bbolt/internal/common"
)

// Adversarial tests of the cold pages (coldpages.go): each tries to make a
// reader be served a page other than the one the file holds for its
// transaction, or the DB behave unlike upstream.

// coldMatchesFile requires every page the cold pages hold in memory to be,
// byte for byte with its overflow, what the file holds at its place, to
// hold its own id, and the pages held (with overflow) to fit the budget.
func coldMatchesFile(t *testing.T, db *DB, budget int) {
	t.Helper()
	c := db.cold
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left < 0 {
		t.Fatalf("budget overspent: %d pages left", c.left)
	}
	held := 0
	for id, p := range c.pages {
		if p.Id() != id {
			t.Fatalf("page %d held in memory holds id %d", id, p.Id())
		}
		size := (int(p.Overflow()) + 1) * db.pageSize
		if size > maxColdPage {
			t.Fatalf("page %d of %d bytes held in memory, bound %d", id, size, maxColdPage)
		}
		held += size / db.pageSize
		disk := make([]byte, size)
		if _, err := db.file.ReadAt(disk, int64(id)*int64(db.pageSize)); err != nil {
			t.Fatal(err)
		}
		mem := unsafe.Slice((*byte)(unsafe.Pointer(p)), size)
		if i := firstDiff(mem, disk); i >= 0 {
			dp := (*common.Page)(unsafe.Pointer(&disk[0]))
			t.Fatalf("page %d (flags %#x, overflow %d, count %d) in memory differs from the file (flags %#x, overflow %d, count %d) at byte %d: %#x vs %#x",
				id, p.Flags(), p.Overflow(), p.Count(), dp.Flags(), dp.Overflow(), dp.Count(), i, mem[i], disk[i])
		}
	}
	if held > budget {
		t.Fatalf("%d pages held in memory, budget %d", held, budget)
	}
}

// expectedCursor is what a cursor over bucket b of s walks: its keys and
// its child buckets' names (value nil), in order.
func expectedCursor(s *state, b string) (keys []string, vals map[string]string) {
	vals = map[string]string{}
	for k, v := range s.kv[b] {
		keys = append(keys, k)
		vals[k] = v
	}
	for p := range s.kv {
		if strings.HasPrefix(p, b+"/") && !strings.Contains(p[len(b)+1:], "/") {
			keys = append(keys, p[len(b)+1:])
		}
	}
	sort.Strings(keys)
	return keys, vals
}

// heldReader is a read transaction kept across commits, with a cursor
// walked a few steps at a time.
type heldReader struct {
	tx     *Tx
	want   *state
	bucket string
	cur    *Cursor
	keys   []string
	vals   map[string]string
	pos    int
}

func newHeldReader(t *testing.T, db *DB, want *state, rng *rand.Rand) *heldReader {
	t.Helper()
	tx, err := db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	h := &heldReader{tx: tx, want: want.clone()}
	// The largest bucket, so the cursor crosses many leaves.
	best := -1
	for b, m := range want.kv {
		if len(m) > best || (len(m) == best && b < h.bucket) {
			best, h.bucket = len(m), b
		}
	}
	if best < 0 {
		t.Fatal("empty state")
	}
	h.keys, h.vals = expectedCursor(h.want, h.bucket)
	bk, err := bucketAt(tx, h.bucket, false)
	if err != nil {
		t.Fatal(err)
	}
	h.cur = bk.Cursor()
	return h
}

// step walks the cursor n steps (or to the end) and checks each key/value.
func (h *heldReader) step(n int) error {
	for i := 0; i < n && h.pos <= len(h.keys); i++ {
		var k, v []byte
		if h.pos == 0 {
			k, v = h.cur.First()
		} else {
			k, v = h.cur.Next()
		}
		if h.pos == len(h.keys) {
			if k != nil {
				return fmt.Errorf("tx %d bucket %s: key %q after the last", h.tx.ID(), h.bucket, k)
			}
			h.pos++
			return nil
		}
		want := h.keys[h.pos]
		if string(k) != want {
			return fmt.Errorf("tx %d bucket %s pos %d: key %q, want %q", h.tx.ID(), h.bucket, h.pos, k, want)
		}
		if wv, ok := h.vals[want]; ok {
			if string(v) != wv {
				return fmt.Errorf("tx %d bucket %s key %s: %d bytes, want %d", h.tx.ID(), h.bucket, want, len(v), len(wv))
			}
		} else if v != nil {
			return fmt.Errorf("tx %d bucket %s key %s: a value where a bucket is", h.tx.ID(), h.bucket, want)
		}
		h.pos++
	}
	return nil
}

// TestColdAttackHeldReadersAcrossCommits: readers begun before the first
// commit (served from memory) keep a cursor half-walked, and dump
// everything again (nested buckets, overflow values), after each of many
// commits that free and reuse pages; readers begun between commits too.
// Each must read exactly the state of its own transaction.
func TestColdAttackHeldReadersAcrossCommits(t *testing.T) {
	for _, fl := range []FreelistType{FreelistArrayType, FreelistMapType} {
		for _, budget := range []int{9, 1 << 20} {
			t.Run(fmt.Sprintf("%s/budget%d", fl, budget), func(t *testing.T) {
				rng := rand.New(rand.NewSource(int64(len(fl)) + int64(budget)))
				path := filepath.Join(t.TempDir(), "db")
				want := build(t, path, 4096, fl, rng, 12)
				o := coldOptions(4096, fl, false, budget)
				o.InitialMmapSize = 1 << 30
				db, err := Open(path, 0o600, o)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				var held []*heldReader
				for i := 0; i < 3; i++ {
					h := newHeldReader(t, db, want, rng)
					if err := h.step(len(h.keys) / (2 + i)); err != nil {
						t.Fatal(err)
					}
					held = append(held, h)
				}
				if budget > 100 {
					if db.cold.off.Load() || len(db.cold.pages) == 0 {
						t.Fatal("the readers were not served from memory")
					}
					coldMatchesFile(t, db, budget)
				}
				for c := 0; c < 25; c++ {
					if err := update(db, genCommit(rng, want, 4096, 1+rng.Intn(50)), false); err != nil {
						t.Fatal(err)
					}
					if !db.cold.off.Load() {
						t.Fatal("a commit left the cold pages on")
					}
					for _, h := range held {
						if err := h.step(1 + rng.Intn(40)); err != nil {
							t.Fatalf("commit %d: %v", c, err)
						}
						got, err := dump(h.tx)
						if err != nil {
							t.Fatal(err)
						}
						if err := diffState(got, h.want); err != nil {
							t.Fatalf("commit %d, reader of tx %d: %v", c, h.tx.ID(), err)
						}
					}
					switch r := rng.Intn(4); {
					case r == 0 && len(held) > 0:
						// Let the youngest go so that its pages get reused
						// (the first three stay to the end).
						if len(held) > 3 {
							h := held[len(held)-1]
							_ = h.tx.Rollback()
							held = held[:len(held)-1]
						}
					case r == 1:
						held = append(held, newHeldReader(t, db, want, rng))
					}
				}
				for _, h := range held {
					if err := h.step(1 << 30); err != nil {
						t.Fatal(err)
					}
					if h.pos != len(h.keys)+1 {
						t.Fatalf("cursor stopped at %d of %d", h.pos, len(h.keys))
					}
					_ = h.tx.Rollback()
				}
				verify(t, db, want)
			})
		}
	}
}

// TestColdAttackConcurrentCursors: readers begun before the first commit
// walk cursors slowly on other goroutines while the first commits write
// (run under -race); each reads the state of the file as opened.
func TestColdAttackConcurrentCursors(t *testing.T) {
	rng := rand.New(rand.NewSource(23))
	path := filepath.Join(t.TempDir(), "db")
	want := build(t, path, 4096, FreelistArrayType, rng, 10)
	o := coldOptions(4096, FreelistArrayType, false, 1<<20)
	o.InitialMmapSize = 1 << 30
	db, err := Open(path, 0o600, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	var readers []*heldReader
	for i := 0; i < 4; i++ {
		readers = append(readers, newHeldReader(t, db, want, rng))
	}
	errs := make(chan error, len(readers))
	var wg sync.WaitGroup
	for _, h := range readers {
		wg.Add(1)
		go func(h *heldReader) {
			defer wg.Done()
			defer h.tx.Rollback()
			for h.pos <= len(h.keys) {
				if err := h.step(3); err != nil {
					errs <- err
					return
				}
				runtime.Gosched()
			}
			got, err := dump(h.tx)
			if err == nil {
				err = diffState(got, h.want)
			}
			if err != nil {
				errs <- err
			}
		}(h)
	}
	for c := 0; c < 12; c++ {
		if err := update(db, genCommit(rng, want, 4096, 1+rng.Intn(40)), false); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	verify(t, db, want)
}

// bigValueLen is the length of a value whose leaf (alone in its bucket,
// key "k") spans exactly pages pages.
func bigValueLen(ps, pages int) int {
	return pages*ps - int(common.PageHeaderSize) - int(common.LeafPageElementSize) - 1
}

// TestColdAttackBudgetsAndBounds: budgets around the run length (0, 1, 2,
// 7, 8, 9, ...) with leaves in file order (runs), values of three pages
// (straddling runs) and leaves of exactly maxColdPage and one byte more;
// what is held in memory is always the file's and within the budget, a
// page of exactly maxColdPage is read into memory and one byte more is
// left to the mapping, and everything reads back.
func TestColdAttackBudgetsAndBounds(t *testing.T) {
	const ps = 4096
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, 0o600, attackOptions(ps, FreelistArrayType, false))
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, "a", 0, 2000, 100)
	fill(t, db, "m", 0, 60, 9000)
	exact := bytes.Repeat([]byte{0xa5}, bigValueLen(ps, maxColdPage/ps))
	over := bytes.Repeat([]byte{0x5a}, bigValueLen(ps, maxColdPage/ps)+1)
	var exactRoot, overRoot common.Pgid
	err = db.Update(func(tx *Tx) error {
		for _, x := range []struct {
			name string
			v    []byte
		}{{"exact", exact}, {"over", over}} {
			b, err := tx.CreateBucket([]byte(x.name))
			if err != nil {
				return err
			}
			if err := b.Put([]byte("k"), x.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, "z", 0, 500, 700)
	_ = db.View(func(tx *Tx) error {
		exactRoot = tx.Bucket([]byte("exact")).Root()
		overRoot = tx.Bucket([]byte("over")).Root()
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageAt := func(id common.Pgid) *common.Page { return (*common.Page)(unsafe.Pointer(&raw[int(id)*ps])) }
	if n := pageAt(exactRoot).Overflow(); (int(n)+1)*ps != maxColdPage {
		t.Fatalf("the exact leaf spans %d pages, want %d", n+1, maxColdPage/ps)
	}
	if n := pageAt(overRoot).Overflow(); (int(n)+1)*ps != maxColdPage+ps {
		t.Fatalf("the over leaf spans %d pages, want %d", n+1, maxColdPage/ps+1)
	}

	for _, budget := range []int{0, 1, 2, 3, 7, 8, 9, 10, 15, 16, 17, 255, 256, 257, 1 << 20} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			db, err := Open(path, 0o600, coldOptions(ps, FreelistArrayType, false, budget))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			err = db.View(func(tx *Tx) error {
				for _, name := range []string{"a", "m", "exact", "over", "z"} {
					b := tx.Bucket([]byte(name))
					if b == nil {
						return fmt.Errorf("no bucket %s", name)
					}
					n := 0
					cur := b.Cursor()
					for k, v := cur.First(); k != nil; k, v = cur.Next() {
						switch name {
						case "exact":
							if !bytes.Equal(v, exact) {
								return fmt.Errorf("exact value: %d bytes", len(v))
							}
						case "over":
							if !bytes.Equal(v, over) {
								return fmt.Errorf("over value: %d bytes", len(v))
							}
						default:
							size := map[string]int{"a": 100, "m": 9000, "z": 700}[name]
							if !bytes.Equal(v, bytes.Repeat([]byte{byte(n)}, size)) {
								return fmt.Errorf("%s value %d (%q) wrong", name, n, k)
							}
						}
						n++
					}
					if want := map[string]int{"a": 2000, "m": 60, "exact": 1, "over": 1, "z": 500}[name]; n != want {
						return fmt.Errorf("%s: %d keys, want %d", name, n, want)
					}
					coldMatchesFile(t, db, budget)
				}
				return checkTx(tx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if budget == 0 {
				if db.cold != nil {
					t.Fatal("ColdPages 0 turned the cold pages on")
				}
				return
			}
			db.cold.mu.Lock()
			_, hasExact := db.cold.pages[exactRoot]
			_, hasOver := db.cold.pages[overRoot]
			off := db.cold.off.Load()
			db.cold.mu.Unlock()
			if hasOver {
				t.Fatal("a leaf of maxColdPage + 1 byte (257 pages) was read into memory")
			}
			if budget == 1<<20 {
				if off || !hasExact {
					t.Fatalf("a leaf of exactly maxColdPage is not in memory (off %v)", off)
				}
			}
			if budget <= 1 && !off {
				t.Fatalf("budget %d: still on after reading the file", budget)
			}
		})
	}
}

// failingWrites makes db's writes fail when fail says so.
func failingWrites(db *DB, fail func(off int64, n int) bool) (calls *int) {
	calls = new(int)
	inner := db.file.WriteAt
	db.ops.writeAt = func(b []byte, off int64) (int, error) {
		*calls++
		if fail(off, *calls) {
			return 0, errors.New("injected write failure")
		}
		return inner(b, off)
	}
	return calls
}

// TestColdAttackRollbackAndFailedCommits: a write transaction rolled back
// (nothing written), a commit whose first or second data write fails, and
// one whose meta write fails, on a DB still reading from memory and with a
// reader begun before held across; afterwards every reader, later commits
// and a plain reopen must read what was committed, never the failed
// commit's pages.
func TestColdAttackRollbackAndFailedCommits(t *testing.T) {
	const ps = 4096
	modes := []string{"rollback", "data1", "data2", "meta"}
	for _, noSync := range []bool{false, true} {
		for _, mode := range modes {
			t.Run(fmt.Sprintf("%s/nosync=%v", mode, noSync), func(t *testing.T) {
				rng := rand.New(rand.NewSource(int64(len(mode)) * 31))
				path := filepath.Join(t.TempDir(), "db")
				db, err := Open(path, 0o600, attackOptions(ps, FreelistArrayType, noSync))
				if err != nil {
					t.Fatal(err)
				}
				want := newState()
				for c := 0; c < 10; c++ {
					if err := update(db, genCommit(rng, want, ps, 1+rng.Intn(60)), false); err != nil {
						t.Fatal(err)
					}
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				o := coldOptions(ps, FreelistArrayType, noSync, 1<<20)
				o.InitialMmapSize = 1 << 30
				db, err = Open(path, 0o600, o)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				h := newHeldReader(t, db, want, rng)
				if err := h.step(len(h.keys) / 2); err != nil {
					t.Fatal(err)
				}
				// A failed attempt, twice (the second after the first's
				// rollback reloaded the freelist).
				for attempt := 0; attempt < 2; attempt++ {
					lost := want.clone()
					ops := genCommit(rng, lost, ps, 20+rng.Intn(40))
					tx, err := db.Begin(true)
					if err != nil {
						t.Fatal(err)
					}
					if err := applyOps(tx, ops); err != nil {
						t.Fatal(err)
					}
					if mode == "rollback" {
						if err := tx.Rollback(); err != nil {
							t.Fatal(err)
						}
						if db.cold.off.Load() {
							t.Log("a rollback turned the cold pages off")
						}
					} else {
						failingWrites(db, func(off int64, n int) bool {
							switch mode {
							case "data1":
								return n == 1
							case "data2":
								return n == 2
							}
							return off < 2*ps
						})
						if err := tx.Commit(); err == nil {
							t.Fatal("the commit did not fail")
						}
						db.ops.writeAt = db.file.WriteAt
						if !db.cold.off.Load() {
							t.Fatal("a commit that wrote left the cold pages on")
						}
					}
					verify(t, db, want)
					got, err := dump(h.tx)
					if err != nil {
						t.Fatal(err)
					}
					if err := diffState(got, h.want); err != nil {
						t.Fatalf("held reader after a failed commit: %v", err)
					}
				}
				for c := 0; c < 8; c++ {
					if err := update(db, genCommit(rng, want, ps, 1+rng.Intn(60)), false); err != nil {
						t.Fatal(err)
					}
					if err := h.step(10); err != nil {
						t.Fatal(err)
					}
					verify(t, db, want)
				}
				if err := h.step(1 << 30); err != nil {
					t.Fatal(err)
				}
				_ = h.tx.Rollback()
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				db2, err := Open(path, 0o600, attackOptions(ps, FreelistArrayType, noSync))
				if err != nil {
					t.Fatal(err)
				}
				defer db2.Close()
				verify(t, db2, want)
			})
		}
	}
}

// TestColdAttackReadOnlyCopyCompactBatch: a ReadOnly cold open reads the
// file; WriteTo from a cold DB writes the file (data pages byte for byte)
// and a DB that reads back; Compact from a cold source copies every value;
// Batch on a cold DB with readers alongside commits what it was given.
func TestColdAttackReadOnlyCopyCompactBatch(t *testing.T) {
	const ps = 4096
	rng := rand.New(rand.NewSource(29))
	dir := t.TempDir()
	path := filepath.Join(dir, "db")
	want := build(t, path, ps, FreelistArrayType, rng, 12)

	// ReadOnly.
	o := coldOptions(ps, FreelistArrayType, false, 1<<20)
	o.ReadOnly = true
	db, err := Open(path, 0o400, o)
	if err != nil {
		t.Fatal(err)
	}
	verify(t, db, want)
	if db.cold.off.Load() || len(db.cold.pages) == 0 {
		t.Fatal("read-only: the pages did not come from memory")
	}
	coldMatchesFile(t, db, 1<<20)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// WriteTo.
	db, err = Open(path, 0o600, coldOptions(ps, FreelistArrayType, false, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	verify(t, db, want)
	var buf bytes.Buffer
	if err := db.View(func(tx *Tx) error { _, err := tx.WriteTo(&buf); return err }); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The copy is the file up to its high water mark (the file itself is
	// grown past it).
	if buf.Len() > len(raw) || buf.Len() < 3*ps {
		t.Fatalf("copy of %d bytes, file of %d", buf.Len(), len(raw))
	}
	if i := firstDiff(buf.Bytes()[2*ps:], raw[2*ps:buf.Len()]); i >= 0 {
		t.Fatalf("copy differs from the file at byte %d", 2*ps+i)
	}
	cp := filepath.Join(dir, "copy")
	if err := os.WriteFile(cp, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	cdb, err := Open(cp, 0o600, attackOptions(ps, FreelistArrayType, false))
	if err != nil {
		t.Fatal(err)
	}
	verify(t, cdb, want)
	_ = cdb.Close()

	// Compact from a cold source (budget small enough to run out midway).
	for _, budget := range []int{8, 1 << 20} {
		src, err := Open(path, 0o600, coldOptions(ps, FreelistArrayType, false, budget))
		if err != nil {
			t.Fatal(err)
		}
		dpath := filepath.Join(dir, fmt.Sprintf("compact%d", budget))
		dst, err := Open(dpath, 0o600, attackOptions(ps, FreelistArrayType, false))
		if err != nil {
			t.Fatal(err)
		}
		if err := Compact(dst, src, 1<<16); err != nil {
			t.Fatal(err)
		}
		verify(t, dst, want)
		verify(t, src, want)
		_ = dst.Close()
		_ = src.Close()
	}

	// Batch with readers.
	o = coldOptions(ps, FreelistArrayType, false, 1<<20)
	o.InitialMmapSize = 1 << 30
	db, err = Open(path, 0o600, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	before := want.clone()
	h := newHeldReader(t, db, before, rng)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			errs <- db.Batch(func(tx *Tx) error {
				b, err := tx.CreateBucketIfNotExists([]byte("batch"))
				if err != nil {
					return err
				}
				return b.Put([]byte(fmt.Sprintf("g%02d", g)), bytes.Repeat([]byte{byte(g)}, 100+g*300))
			})
		}(g)
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.View(func(tx *Tx) error {
				got, err := dump(tx)
				if err != nil {
					return err
				}
				if got.kv["batch"] == nil {
					delete(got.kv, "batch")
					return diffState(got, before)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want.create("batch")
	for g := 0; g < 20; g++ {
		want.kv["batch"][fmt.Sprintf("g%02d", g)] = string(bytes.Repeat([]byte{byte(g)}, 100+g*300))
	}
	verify(t, db, want)
	if err := h.step(1 << 30); err != nil {
		t.Fatal(err)
	}
	got, err := dump(h.tx)
	if err != nil {
		t.Fatal(err)
	}
	if err := diffState(got, before); err != nil {
		t.Fatalf("reader held across the batches: %v", err)
	}
	_ = h.tx.Rollback()
}

// TestColdAttackNoFreelistSync: a file whose freelist was never synced is
// opened cold (bbolt walks every reachable page at open to find the free
// ones, reading them through the cold pages, budget spent midway or not);
// the free pages found must be upstream's, and commits that reuse them,
// a held reader, and a plain reopen must read back.
func TestColdAttackNoFreelistSync(t *testing.T) {
	const ps = 4096
	for _, fl := range []FreelistType{FreelistArrayType, FreelistMapType} {
		for _, budget := range []int{0, 5, 8, 9, 1 << 20} {
			t.Run(fmt.Sprintf("%s/budget%d", fl, budget), func(t *testing.T) {
				rng := rand.New(rand.NewSource(37 + int64(budget)))
				path := filepath.Join(t.TempDir(), "db")
				db, err := Open(path, 0o600, attackOptions(ps, fl, true))
				if err != nil {
					t.Fatal(err)
				}
				want := newState()
				for c := 0; c < 10; c++ {
					if err := update(db, genCommit(rng, want, ps, 1+rng.Intn(60)), false); err != nil {
						t.Fatal(err)
					}
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				free := func(db *DB) []common.Pgid {
					ids := make([]common.Pgid, db.freelist.Count())
					db.freelist.Copyall(ids)
					return ids
				}
				plain, err := Open(path, 0o600, attackOptions(ps, fl, true))
				if err != nil {
					t.Fatal(err)
				}
				wantFree := free(plain)
				if err := plain.Close(); err != nil {
					t.Fatal(err)
				}
				o := coldOptions(ps, fl, true, budget)
				o.InitialMmapSize = 1 << 30
				db, err = Open(path, 0o600, o)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				if budget > 0 && db.cold == nil {
					t.Fatal("no cold pages")
				}
				if got := free(db); fmt.Sprint(got) != fmt.Sprint(wantFree) {
					t.Fatalf("free pages found at a cold open: %v, upstream %v", got, wantFree)
				}
				if budget > 100 {
					coldMatchesFile(t, db, budget)
				}
				h := newHeldReader(t, db, want, rng)
				if err := h.step(len(h.keys) / 3); err != nil {
					t.Fatal(err)
				}
				for c := 0; c < 10; c++ {
					if err := update(db, genCommit(rng, want, ps, 1+rng.Intn(60)), false); err != nil {
						t.Fatal(err)
					}
					if err := h.step(20); err != nil {
						t.Fatal(err)
					}
					verify(t, db, want)
				}
				if err := h.step(1 << 30); err != nil {
					t.Fatal(err)
				}
				got, err := dump(h.tx)
				if err != nil {
					t.Fatal(err)
				}
				if err := diffState(got, h.want); err != nil {
					t.Fatal(err)
				}
				_ = h.tx.Rollback()
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
				db2, err := Open(path, 0o600, attackOptions(ps, fl, true))
				if err != nil {
					t.Fatal(err)
				}
				defer db2.Close()
				verify(t, db2, want)
			})
		}
	}
}

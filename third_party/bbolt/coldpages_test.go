package bbolt

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"go.etcd.io/bbolt/internal/common"
)

// coldOptions are attackOptions reading the first pages with pread.
func coldOptions(ps int, fl FreelistType, noSync bool, budget int) *Options {
	o := attackOptions(ps, fl, noSync)
	o.ColdPages = budget
	return o
}

// build makes a file of random commits and returns what it holds.
func build(t *testing.T, path string, ps int, fl FreelistType, rng *rand.Rand, commits int) *state {
	t.Helper()
	db, err := Open(path, 0o600, attackOptions(ps, fl, false))
	if err != nil {
		t.Fatal(err)
	}
	want := newState()
	for c := 0; c < commits; c++ {
		if err := update(db, genCommit(rng, want, ps, 1+rng.Intn(60)), false); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return want
}

// mappedKB is how much of db's mapping this process has touched (its Rss
// in /proc/self/smaps), or -1 where that cannot be read.
func mappedKB(t *testing.T, db *DB) int {
	t.Helper()
	if runtime.GOOS != "linux" || db.dataref == nil {
		return -1
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return -1
	}
	defer f.Close()
	start := uintptr(unsafe.Pointer(&db.dataref[0]))
	head := strconv.FormatUint(uint64(start), 16) + "-"
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, head) {
			in = true
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return kb
		}
	}
	return -1
}

// TestColdPagesServeTheFile opens files of random commits with the cold
// pages on and requires: every value reads back and bbolt's Check is
// clean, with pages served from memory; after a commit every page comes
// through the mapping again, and the next commits, their reopening and a
// second cold open read back whole.
func TestColdPagesServeTheFile(t *testing.T) {
	for _, ps := range []int{4096, 16384} {
		for _, fl := range []FreelistType{FreelistArrayType, FreelistMapType} {
			t.Run(fmt.Sprintf("ps%d/%s", ps, fl), func(t *testing.T) {
				rng := rand.New(rand.NewSource(int64(ps) + int64(len(fl))))
				path := filepath.Join(t.TempDir(), "db")
				want := build(t, path, ps, fl, rng, 12)
				for round := 0; round < 3; round++ {
					db, err := Open(path, 0o600, coldOptions(ps, fl, false, 1<<20))
					if err != nil {
						t.Fatal(err)
					}
					verify(t, db, want)
					if db.cold == nil || db.cold.off.Load() || len(db.cold.pages) == 0 {
						t.Fatalf("round %d: the pages did not come from memory", round)
					}
					for c := 0; c < 4; c++ {
						if err := update(db, genCommit(rng, want, ps, 1+rng.Intn(60)), false); err != nil {
							t.Fatal(err)
						}
						if !db.cold.off.Load() {
							t.Fatal("a commit left the cold pages on")
						}
						verify(t, db, want)
					}
					if err := db.Close(); err != nil {
						t.Fatal(err)
					}
				}
				db, err := Open(path, 0o600, attackOptions(ps, fl, false))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				verify(t, db, want)
			})
		}
	}
}

// TestColdReadsLeaveTheMappingUntouched: a file whose pages are all
// smaller than maxColdPage is read whole, and checked, without one page
// of the mapping touched (Linux: the mapping's Rss stays 0).
func TestColdReadsLeaveTheMappingUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	db, err := Open(path, 0o600, attackOptions(4096, FreelistArrayType, false))
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, "a", 0, 3000, 100)
	fill(t, db, "b", 0, 200, 9000) // values of three pages
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, 0o600, coldOptions(4096, FreelistArrayType, false, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check(t, db, "a", 3000, 100)
	check(t, db, "b", 200, 9000)
	if n := len(db.cold.pages); db.cold.reads*2 > n {
		t.Errorf("%d preads for %d pages: leaves read in order did not come in runs", db.cold.reads, n)
	}
	kb := mappedKB(t, db)
	if kb < 0 {
		t.Skip("no /proc/self/smaps here")
	}
	if kb != 0 || db.cold.off.Load() {
		t.Errorf("%d kB of the mapping touched (cold pages off: %v)", kb, db.cold.off.Load())
	}
	// The mapping serves once a commit has written.
	fill(t, db, "a", 3000, 10, 100)
	check(t, db, "a", 3010, 100)
	if kb := mappedKB(t, db); kb == 0 {
		t.Error("after a commit the mapping is still untouched: the test cannot see it")
	}
}

// TestColdPagesNeverServeAReusedPage: a reader holds every page in memory,
// then commits free pages and write new ones over them, readers held and
// let go in between so that freed pages are reused; after each commit
// every value must read as committed. (With Tx.write's stop taken out a
// reused page is served as it was, and this fails.)
func TestColdPagesNeverServeAReusedPage(t *testing.T) {
	for _, noSync := range []bool{false, true} {
		t.Run(fmt.Sprintf("nosync=%v", noSync), func(t *testing.T) {
			rng := rand.New(rand.NewSource(7))
			path := filepath.Join(t.TempDir(), "db")
			want := build(t, path, 4096, FreelistArrayType, rng, 10)
			o := coldOptions(4096, FreelistArrayType, noSync, 1<<20)
			// Readers are held across commits: a commit must not need to
			// remap (it would wait for them).
			o.InitialMmapSize = 1 << 30
			db, err := Open(path, 0o600, o)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			verify(t, db, want)
			var held []*Tx
			for c := 0; c < 30; c++ {
				if rng.Intn(3) == 0 {
					tx, err := db.Begin(false)
					if err != nil {
						t.Fatal(err)
					}
					held = append(held, tx)
				} else {
					for _, tx := range held {
						_ = tx.Rollback()
					}
					held = nil
				}
				if err := update(db, genCommit(rng, want, 4096, 1+rng.Intn(40)), false); err != nil {
					t.Fatal(err)
				}
				verify(t, db, want)
			}
			for _, tx := range held {
				_ = tx.Rollback()
			}
		})
	}
}

// TestColdPagesBudget: once the budget is spent the mapping serves every
// page, and what was read before and after reads back whole.
func TestColdPagesBudget(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	path := filepath.Join(t.TempDir(), "db")
	want := build(t, path, 4096, FreelistArrayType, rng, 10)
	for _, budget := range []int{1, 3, 20} {
		db, err := Open(path, 0o600, coldOptions(4096, FreelistArrayType, false, budget))
		if err != nil {
			t.Fatal(err)
		}
		verify(t, db, want)
		if !db.cold.off.Load() || db.cold.pages != nil {
			t.Errorf("budget %d: still reading into memory after the budget", budget)
		}
		verify(t, db, want)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestColdMetaFollowsCommits: the meta pages kept in memory are, after
// every commit and every remap as the file grows, those the file holds.
func TestColdMetaFollowsCommits(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	path := filepath.Join(t.TempDir(), "db")
	want := build(t, path, 4096, FreelistArrayType, rng, 2)
	db, err := Open(path, 0o600, coldOptions(4096, FreelistArrayType, false, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	size := db.datasz
	for c := 0; c < 40; c++ {
		if err := update(db, genCommit(rng, want, 4096, 1+rng.Intn(60)), false); err != nil {
			t.Fatal(err)
		}
		for id, m := range []*common.Meta{db.meta0, db.meta1} {
			disk := make([]byte, 4096)
			if _, err := db.file.ReadAt(disk, int64(id)*4096); err != nil {
				t.Fatal(err)
			}
			mem := unsafe.Slice((*byte)(unsafe.Pointer(m)), unsafe.Sizeof(common.Meta{}))
			on := (*common.Page)(unsafe.Pointer(&disk[0])).Meta()
			if !bytes.Equal(mem, unsafe.Slice((*byte)(unsafe.Pointer(on)), unsafe.Sizeof(common.Meta{}))) {
				t.Fatalf("commit %d: meta page %d in memory (tx %d) is not the file's (tx %d)", c, id, m.Txid(), on.Txid())
			}
		}
		verify(t, db, want)
	}
	if db.datasz == size {
		t.Error("the file never grew past its first mapping: the test does not reach a remap")
	}
}

// TestColdOpenReadsWhatUpstreamReads: with the newest meta page broken,
// a cold open falls back to the other, as bbolt does, and reads the same.
func TestColdOpenReadsWhatUpstreamReads(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	path := filepath.Join(t.TempDir(), "db")
	build(t, path, 4096, FreelistArrayType, rng, 8)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m0 := (*common.Page)(unsafe.Pointer(&raw[0])).Meta()
	m1 := (*common.Page)(unsafe.Pointer(&raw[4096])).Meta()
	newest := 0
	if m1.Txid() > m0.Txid() {
		newest = 4096
	}
	raw[newest+16+40] ^= 0xff // in the meta's root: its checksum fails
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	read := func(o *Options) *state {
		db, err := Open(path, 0o600, o)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var s *state
		if err := db.View(func(tx *Tx) error { s, err = dump(tx); return err }); err != nil {
			t.Fatal(err)
		}
		return s
	}
	o := attackOptions(4096, FreelistArrayType, false)
	o.ReadOnly = true
	plain := read(o)
	o.ColdPages = 1 << 20
	if err := diffState(read(o), plain); err != nil {
		t.Fatal(err)
	}
}

// TestColdPagesUnderConcurrency: readers read while the first commits
// write (run it under -race); each reader's view is the state of the
// transaction it began on.
func TestColdPagesUnderConcurrency(t *testing.T) {
	rng := rand.New(rand.NewSource(19))
	path := filepath.Join(t.TempDir(), "db")
	want := build(t, path, 4096, FreelistMapType, rng, 8)
	db, err := Open(path, 0o600, coldOptions(4096, FreelistMapType, true, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	states := map[int]*state{}
	tx, err := db.Begin(false)
	if err != nil {
		t.Fatal(err)
	}
	states[tx.ID()] = want.clone()
	_ = tx.Rollback()
	stateOf := func(id int) *state {
		for {
			mu.Lock()
			s := states[id]
			mu.Unlock()
			if s != nil {
				return s
			}
			runtime.Gosched()
		}
	}
	stop := make(chan struct{})
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := db.View(func(tx *Tx) error {
					got, err := dump(tx)
					if err != nil {
						return err
					}
					return diffState(got, stateOf(tx.ID()))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for c := 0; c < 15; c++ {
		ops := genCommit(rng, want, 4096, 1+rng.Intn(40))
		tx, err := db.Begin(true)
		if err != nil {
			t.Fatal(err)
		}
		if err := applyOps(tx, ops); err != nil {
			t.Fatal(err)
		}
		id := tx.ID()
		mu.Lock()
		states[id] = want.clone()
		mu.Unlock()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	verify(t, db, want)
}

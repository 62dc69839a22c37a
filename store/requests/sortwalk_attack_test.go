package requests

import (
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/storetest"
)

// The tests below attack the stamp walk that loadSorts runs on a goroutine
// of its own while the saved sort cache is opened and decoded.

// walkers are the goroutines running a stamp walk now.
func walkers() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "startStampWalk") {
			n++
		}
	}
	return n
}

// noWalker fails when a stamp walk outlives the transaction it was given.
func noWalker(t *testing.T, what string) {
	t.Helper()
	// The walker closes done in a defer, then returns: a moment.
	deadline := time.Now().Add(500 * time.Millisecond)
	for walkers() > 0 {
		if time.Now().After(deadline) {
			t.Errorf("%s: a stamp walk outlives its transaction", what)
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// saveSortsFrom has the sort cache saved from n entries for the test.
func saveSortsFrom(t *testing.T, n int) {
	t.Helper()
	min := sortSaveMin
	sortSaveMin = n
	t.Cleanup(func() { sortSaveMin = min })
}

// savedCacheQueue is a queue of n requests whose sort cache was saved at
// close, opened again (the cache not loaded yet).
func savedCacheQueue(t *testing.T, n int) (Store, storetest.School, []ens.Request, *storetest.Clock, QueueFilter) {
	t.Helper()
	saveSortsFrom(t, 10)
	s, schools, all, clock := randomQueue(t, n, 11)
	sc := schools[0]
	f := QueueFilter{School: sc.Inst.ID, Sort: SortStudentNo}
	if ids, err := s.QueueIDs(sc.DIR, f); err != nil || len(ids) < n/4 {
		t.Fatalf("%d ids, %v", len(ids), err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock)) // saved at close
	if s.Engine().View(func(tx *store.Tx) error {
		if tx.Bucket(store.MetaBucket).Get(store.MetaSortCache) == nil {
			t.Fatal("no saved sort cache")
		}
		return nil
	}) != nil {
		t.Fatal("view")
	}
	f.Limit = MaxPageSize
	return s, sc, all, clock, f
}

// renumber gives request id a new student number (a write the saved
// cache has not heard of) and updates all.
func renumber(t *testing.T, s Store, sc storetest.School, all []ens.Request, id domain.ID, no string) bool {
	t.Helper()
	r, err := s.Request(sc.DIR, id)
	if err != nil {
		t.Fatal(err)
	}
	d := ens.Draft{StudentNumber: no, Checks: r.Checks, Notes: r.Notes}
	r, err = s.Act(sc.DIR, id, ens.Action{Function: ens.Save, Draft: &d}, 0)
	if err != nil {
		return false // not a state that saves
	}
	for i := range all {
		if all[i].ID == id {
			all[i] = r
		}
	}
	return true
}

// TestAttackStampWalkOverLayers: requests written after the open, still
// in the journal's layers (or being applied to bbolt meanwhile) when the
// first sort loads the saved cache, must not be served from it: the walk,
// on its own goroutine, reads through the layers.
func TestAttackStampWalkOverLayers(t *testing.T) {
	s, sc, all, clock, f := savedCacheQueue(t, 300)
	ids, _ := s.QueueIDs(sc.DIR, f) // (loads the cache: reopen to test)
	s = On(storetest.Reopen(t, s.Engine(), clock))
	written := 0
	for i, id := range ids {
		if i%7 == 0 && renumber(t, s, sc, all, id, "A"+string(rune('0'+i%10))+"000") {
			written++
		}
	}
	if written == 0 {
		t.Fatal("no request written")
	}
	got, err := s.QueueIDs(sc.DIR, f)
	if err != nil {
		t.Fatal(err)
	}
	noWalker(t, "a load over layers")
	if n := s.sorts().fromDisk; n > len(ids)-written {
		t.Errorf("%d entries served from the saved cache, want at most %d (%d written since)", n, len(ids)-written, written)
	}
	if want := bruteForce(all, f, clock.Now()); !slices.Equal(got, want) {
		t.Fatalf("order over layers differs from the records' (%d ids, want %d)", len(got), len(want))
	}
}

// TestAttackStampWalkWithConcurrentWrites: writes committed while the
// first sort loads the saved cache (its walk on another goroutine) must
// not leave a stale entry in the cache: once they are done, a sort must
// agree with the records.
func TestAttackStampWalkWithConcurrentWrites(t *testing.T) {
	s, sc, all, clock, f := savedCacheQueue(t, 300)
	ids, _ := s.QueueIDs(sc.DIR, f)
	for round := range 4 {
		s = On(storetest.Reopen(t, s.Engine(), clock))
		var wg gosync.WaitGroup
		var mu gosync.Mutex
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i, id := range ids {
				if i%5 == round {
					mu.Lock()
					renumber(t, s, sc, all, id, "B"+string(rune('0'+round))+string(rune('a'+i%26)))
					mu.Unlock()
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 3 {
				if _, err := s.QueueIDs(sc.DIR, f); err != nil {
					t.Error(err)
				}
			}
		}()
		wg.Wait()
		noWalker(t, "a load beside writes")
		got, err := s.QueueIDs(sc.DIR, f)
		if err != nil {
			t.Fatal(err)
		}
		if want := bruteForce(all, f, clock.Now()); !slices.Equal(got, want) {
			t.Fatalf("round %d: after writes beside the load, the order differs from the records'", round)
		}
	}
}

// TestAttackStampWalkCorruptCache: a saved cache that does not open, or
// opens to a wrong version, a truncated or over-long body, or stamps that
// match nothing, takes loadSorts' early ways out (or keeps no entry) with
// the walk still running: each must wait for it (a walk outliving its
// read transaction reads bbolt's unmapped file once the store closes:
// closed here at once), and the sort must agree with the records.
func TestAttackStampWalkCorruptCache(t *testing.T) {
	s, sc, all, clock, f := savedCacheQueue(t, 400)
	var plain []byte
	s.Engine().View(func(tx *store.Tx) error {
		sealed := tx.Bucket(store.MetaBucket).Get(store.MetaSortCache)
		var err error
		plain, err = s.Keys().Open(nil, store.MetaBucket, store.MetaSortCache, sealed)
		if err != nil {
			t.Fatal(err)
		}
		return nil
	})
	seal := func(b []byte) []byte {
		out, err := s.Keys().Seal(store.MetaBucket, store.MetaSortCache, b)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	wrongVersion := append([]byte{sortSavedVersion + 1}, plain[1:]...)
	badStamps := slices.Clone(plain)
	// Entries start after the version and the count's varint; flip the
	// bytes of every 41st byte on: most stamps and some entries.
	for i := 4; i < len(badStamps); i += 41 {
		badStamps[i] ^= 0xff
	}
	cases := map[string][]byte{
		"not sealed":     []byte("garbage, not a sealed value at all"),
		"empty":          seal(nil),
		"wrong version":  seal(wrongVersion),
		"version only":   seal(plain[:1]),
		"header only":    seal(plain[:3]),
		"half":           seal(plain[:len(plain)/2]),
		"cut in a stamp": seal(plain[:len(plain)-len(plain)/3]),
		"one byte short": seal(plain[:len(plain)-1]),
		"trailing bytes": seal(append(slices.Clone(plain), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25)),
		"bad stamps":     seal(badStamps),
	}
	want := bruteForce(all, f, clock.Now())
	tt := t // the stores outlive each subtest
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			st := On(storetest.Reopen(tt, s.Engine(), clock))
			s = st
			if err := st.Engine().Update(func(tx *store.Tx) error {
				return tx.Bucket(store.MetaBucket).Put(store.MetaSortCache, v)
			}); err != nil {
				t.Fatal(err)
			}
			// The put above was a write: reopen so the cache is unloaded
			// and its generation the file's.
			st = On(storetest.Reopen(tt, st.Engine(), clock))
			s = st
			var got []domain.ID
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("the sort panicked on a %s cache: %v", name, p)
					}
				}()
				var err error
				got, err = st.QueueIDs(sc.DIR, f)
				if err != nil {
					t.Error(err)
				}
			}()
			noWalker(t, name)
			if !slices.Equal(got, want) {
				t.Errorf("%s cache: the order differs from the records' (%d ids, want %d)", name, len(got), len(want))
			}
			// Closed at once: a walker still reading would fault here.
			s = On(storetest.Reopen(tt, st.Engine(), clock))
		})
	}
}

// TestAttackStampWalkDirect calls loadSorts itself on a corrupt cache and
// checks, the moment it returns and before its read transaction ends,
// that no walk runs on. Run it under -race: a walk that outlived loadSorts
// would read the transaction as View rolls it back (with end() removed,
// the race detector reports it here and in TestAttackStampWalkCorruptCache;
// without -race the walker's nil-pointer fault is recovered into w.fault,
// which nobody reads, and only the stack check can see it).
func TestAttackStampWalkDirect(t *testing.T) {
	s, _, _, clock, _ := savedCacheQueue(t, 200)
	for _, v := range [][]byte{nil, []byte("not sealed")} {
		st := On(storetest.Reopen(t, s.Engine(), clock))
		s = st
		if v != nil {
			st.Engine().Update(func(tx *store.Tx) error {
				return tx.Bucket(store.MetaBucket).Put(store.MetaSortCache, v)
			})
		}
		c := new(sortCache)
		st.Engine().View(func(tx *store.Tx) error {
			st.loadSorts(tx, c, c.generation())
			// Goroutines that have closed done may linger an instant.
			deadline := time.Now().Add(200 * time.Millisecond)
			for walkers() > 0 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if walkers() > 0 {
				t.Error("loadSorts returned with its walk still running")
			}
			return nil
		})
		if v == nil && c.fromDisk == 0 {
			t.Error("a good saved cache served nothing")
		}
	}
}

package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// attackBolt is a bare bbolt file for comparing the overlay's cursor with
// bbolt's own.
func attackBolt(t *testing.T) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "ref.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// cursorOps replays the same random moves on the mixed cursor and on
// bbolt's cursor over the merged contents, and reports the first
// difference, moves after a nil included.
func cursorTrace(strict bool, rng *rand.Rand, probes []string, steps int, mv func(op int, probe []byte) ([]byte, []byte)) []string {
	var out []string
	off := true
	for range steps {
		op := rng.IntN(5)
		if off && op >= 3 && !strict {
			op = 0 // bbolt's moves after running off an end are its own
		}
		probe := []byte(probes[rng.IntN(len(probes))])
		k, v := mv(op, probe)
		off = k == nil
		name := [...]string{"First", "Last", "Seek(" + string(probe) + ")", "Next", "Prev"}[op]
		if k == nil {
			out = append(out, name+"=nil")
		} else {
			out = append(out, fmt.Sprintf("%s=%s:%s", name, k, v))
		}
	}
	return out
}

// attackRounds of the cursor comparison; ATTACK_ROUNDS asks for more.
var attackRounds = func() int {
	if n, err := strconv.Atoi(os.Getenv("ATTACK_ROUNDS")); err == nil {
		return n
	}
	return 400
}()

var attackStrict = os.Getenv("ATTACK_STRICT") != ""

func cursorMove(op int, probe []byte, first, last func() ([]byte, []byte), seek func([]byte) ([]byte, []byte), next, prev func() ([]byte, []byte)) ([]byte, []byte) {
	switch op {
	case 0:
		return first()
	case 1:
		return last()
	case 2:
		return seek(probe)
	case 3:
		return next()
	default:
		return prev()
	}
}

// TestAttackMixedCursorMatchesBbolt: the mixed cursor over a bbolt bucket
// and pending entries moves as bbolt's cursor over the merged bucket
// would, including moves after it ran off either end, keys that are
// prefixes of others, and empty values.
func TestAttackMixedCursorMatchesBbolt(t *testing.T) {
	db := attackBolt(t)
	alphabet := []string{"a", "ab", "abc", "b", "ba", "c", "ca", "cab", "d", "e"}
	probes := append(slices.Clone(alphabet), "", "aa", "abd", "bz", "z", "0")
	for round := range attackRounds {
		rng := rand.New(rand.NewPCG(uint64(round), 16))
		base := map[string]string{}
		for _, k := range alphabet {
			if rng.IntN(2) == 0 {
				base[k] = "f" + k
				if rng.IntN(5) == 0 {
					base[k] = ""
				}
			}
		}
		merged := map[string]string{}
		for k, v := range base {
			merged[k] = v
		}
		var pend []ovPair
		for _, k := range alphabet {
			switch rng.IntN(3) {
			case 0:
				pend = append(pend, ovPair{k, ovEntry{del: true}})
				delete(merged, k)
			case 1:
				v := []byte("p" + k)
				if rng.IntN(5) == 0 {
					v = []byte{}
				}
				pend = append(pend, ovPair{k, ovEntry{value: v}})
				merged[k] = string(v)
			}
		}
		noBase := rng.IntN(6) == 0
		if noBase {
			base = map[string]string{}
			merged = map[string]string{}
			for _, p := range pend {
				if !p.del {
					merged[p.key] = string(p.value)
				}
			}
		}
		fill := func(b *bolt.Bucket, m map[string]string) error {
			c := b.Cursor()
			for k, _ := c.First(); k != nil; k, _ = c.First() {
				if err := c.Delete(); err != nil {
					return err
				}
			}
			for k, v := range m {
				if err := b.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
			return nil
		}
		if err := db.Update(func(tx *bolt.Tx) error {
			bb, _ := tx.CreateBucketIfNotExists([]byte("base"))
			rb, _ := tx.CreateBucketIfNotExists([]byte("ref"))
			if err := fill(bb, base); err != nil {
				return err
			}
			return fill(rb, merged)
		}); err != nil {
			t.Fatal(err)
		}
		seed := rng.Uint64()
		var got, want []string
		db.View(func(tx *bolt.Tx) error {
			m := &mixed{pend: pend}
			if !noBase {
				m.c = tx.Bucket([]byte("base")).Cursor()
			}
			got = cursorTrace(attackStrict, rand.New(rand.NewPCG(seed, 1)), probes, 30, func(op int, probe []byte) ([]byte, []byte) {
				return cursorMove(op, probe, m.first, m.last, m.seek, m.next, m.prev)
			})
			c := tx.Bucket([]byte("ref")).Cursor()
			want = cursorTrace(attackStrict, rand.New(rand.NewPCG(seed, 1)), probes, 30, func(op int, probe []byte) ([]byte, []byte) {
				return cursorMove(op, probe, c.First, c.Last, c.Seek, c.Next, c.Prev)
			})
			return nil
		})
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: base %v pend %v\n got %s\nwant %s", round, base, pend, strings.Join(got, " "), strings.Join(want, " "))
		}
	}
	_ = bytes.Equal
}

// TestAttackCountEmptyValueInFile: a key bbolt holds with an empty value,
// written again (or deleted) in a layer, is counted once (or not at all):
// an empty value is a value.
func TestAttackCountEmptyValueInFile(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, _ := MustCreateStore(t)
	put := func(k, v string) {
		t.Helper()
		if err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
				return err
			}
			return tx.Bucket(walTestBucket).Put([]byte(k), []byte(v))
		}); err != nil {
			t.Fatal(err)
		}
	}
	put("e", "")
	put("f", "x")
	if err := s.db.settle(); err != nil {
		t.Fatal(err)
	}
	put("e", "now")
	check := func(want int) {
		t.Helper()
		if err := s.View(func(tx *Tx) error {
			if n := tx.Bucket(walTestBucket).Count(); n != want {
				return fmt.Errorf("Count %d, want %d", n, want)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	check(2)
	if err := s.Update(func(tx *Tx) error { return tx.Bucket(walTestBucket).Delete([]byte("e")) }); err != nil {
		t.Fatal(err)
	}
	check(1)
}

// TestAttackWriterSettleFailureAfterPublish: a writer that finds
// walMaxLayers waiting writes them to bbolt itself after its own layer is
// synced and published. Should that write fail, the action is durable and
// every reader sees it, so its Update must not report it as failed (a
// caller would take it again, or tell the person it was lost).
func TestAttackWriterSettleFailureAfterPublish(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	walMaxLayers = 3
	s, clock := MustCreateStore(t)
	walWrites(t, s, 0, 1)
	applyFault = func() error { return errors.New("disk full") }
	t.Cleanup(func() { applyFault = nil })
	var errs []error
	for i := range 3 {
		errs = append(errs, s.Update(func(tx *Tx) error {
			return tx.Bucket(walTestBucket).Put([]byte(fmt.Sprint("late", i)), []byte("x"))
		}))
	}
	seen := map[string]bool{}
	if err := s.View(func(tx *Tx) error {
		for i := range 3 {
			seen[fmt.Sprint("late", i)] = tx.Bucket(walTestBucket).Get([]byte(fmt.Sprint("late", i))) != nil
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	applyFault = nil
	after := walContents(t, crashCopy(t, clock, profile, journal))
	for i, err := range errs {
		k := fmt.Sprint("late", i)
		_, durable := after[k]
		if err != nil && (seen[k] || durable) {
			t.Errorf("Update %d failed (%v), yet its write is read (%v) and survives a crash (%v)", i, err, seen[k], durable)
		}
		if err == nil && !(seen[k] && durable) {
			t.Errorf("Update %d succeeded, yet its write is read %v, survives %v", i, seen[k], durable)
		}
	}
}

// TestAttackEverythingAtOnce: Batch writers (some of whose calls fail, so
// shared transactions run again alone), readers, the applier, writes to
// the file itself, settles and frequent checkpoints all at once. Every
// read sees whole actions in order, Count agrees with a cursor's walk
// and with Get, and at the end each successful call holds one sequence
// number, the failed ones none.
func TestAttackEverythingAtOnce(t *testing.T) {
	idle, commits, group, aidle, most := walIdle, walCommits, walApplyGroup, walApplyIdle, walMaxLayers
	t.Cleanup(func() {
		walIdle, walCommits, walApplyGroup, walApplyIdle, walMaxLayers = idle, commits, group, aidle, most
	})
	t.Run("applier", func(t *testing.T) {
		walIdle, walCommits, walApplyGroup, walApplyIdle = 3*time.Millisecond, 3, 2, 20*time.Microsecond
		everythingAtOnce(t)
	})
	t.Run("writers apply", func(t *testing.T) {
		// The applier waits; writers find walMaxLayers and apply them.
		walIdle, walCommits, walApplyGroup, walApplyIdle, walMaxLayers = time.Hour, 1<<30, 1<<30, time.Hour, 3
		everythingAtOnce(t)
	})
}

func everythingAtOnce(t *testing.T) {
	s, _ := MustCreateStore(t)
	if err := s.Update(func(tx *Tx) error { return tx.CreateBucketIfNotExists(walTestBucket) }); err != nil {
		t.Fatal(err)
	}
	const writers, calls = 4, 60
	var ok atomic.Int64
	errs := make(chan error, 16)
	done := make(chan struct{})
	var readers gosync.WaitGroup
	for range 2 {
		readers.Go(func() {
			var last uint64
			for {
				select {
				case <-done:
					return
				default:
				}
				err := s.View(func(tx *Tx) error {
					b := tx.Bucket(walTestBucket)
					if err := wholeAndInOrder(b, &last); err != nil {
						return err
					}
					walked := 0
					c := b.Cursor()
					for k, v := c.First(); k != nil; k, v = c.Next() {
						walked++
						if g := b.Get(k); !bytes.Equal(g, v) {
							return fmt.Errorf("cursor %s=%s, Get %s", k, v, g)
						}
					}
					if n := b.Count(); n != walked {
						return fmt.Errorf("Count %d, cursor walked %d", n, walked)
					}
					if tx.Bucket(fmt.Appendf(nil, "made-%d", last)) == nil && last > 0 {
						return fmt.Errorf("the bucket made with action %d is missing", last)
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var wg gosync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range calls {
				fail := (g*calls+i)%7 == 3
				err := s.db.Batch(func(tx *Tx) error {
					b := tx.Bucket(walTestBucket)
					n, err := b.NextSequence()
					if err != nil {
						return err
					}
					if err := tx.CreateBucketIfNotExists(fmt.Appendf(nil, "made-%d", n)); err != nil {
						return err
					}
					v := []byte(fmt.Sprint(n))
					if err := b.Put([]byte("a"), v); err != nil {
						return err
					}
					if err := b.Put(fmt.Appendf(nil, "id-%06d", n), []byte(fmt.Sprint(g, "/", i))); err != nil {
						return err
					}
					if fail {
						return errors.New("refused")
					}
					return b.Put([]byte("z"), v)
				})
				if (err != nil) != fail {
					errs <- fmt.Errorf("call %d/%d: %v", g, i, err)
					return
				}
				if err == nil {
					ok.Add(1)
				}
				switch i % 20 {
				case 5:
					if err := s.UpdateFile(func(tx *bolt.Tx) error {
						return tx.Bucket(walTestBucket).Put(fmt.Appendf(nil, "file-%d-%d", g, i), []byte("f"))
					}); err != nil {
						errs <- err
						return
					}
				case 11:
					if err := s.db.settle(); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if err := s.View(func(tx *Tx) error {
		b := tx.Bucket(walTestBucket)
		if got := b.sequence(); got != uint64(ok.Load()) {
			return fmt.Errorf("sequence %d after %d successful calls", got, ok.Load())
		}
		owners := map[string]bool{}
		c := b.Cursor()
		for k, v := c.Seek([]byte("id-")); k != nil && HasPrefix(k, []byte("id-")); k, v = c.Next() {
			if owners[string(v)] {
				return fmt.Errorf("call %s took two numbers", v)
			}
			owners[string(v)] = true
		}
		if len(owners) != int(ok.Load()) {
			return fmt.Errorf("%d calls hold a number, %d succeeded", len(owners), ok.Load())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAttackKillWhileApplying: the profile and journal, copied at random
// moments while writers publish layers, the applier writes them and
// checkpoints start the journal again (each copy an instant: the writers'
// and the applier's locks held), open with every acknowledged action,
// each whole, and their sequence numbers without a gap.
func TestAttackKillWhileApplying(t *testing.T) {
	idle, commits, group, aidle := walIdle, walCommits, walApplyGroup, walApplyIdle
	walIdle, walCommits, walApplyGroup, walApplyIdle = 2*time.Millisecond, 4, 3, 30*time.Microsecond
	t.Cleanup(func() { walIdle, walCommits, walApplyGroup, walApplyIdle = idle, commits, group, aidle })
	s, clock := MustCreateStore(t)
	if err := s.Update(func(tx *Tx) error { return tx.CreateBucketIfNotExists(walTestBucket) }); err != nil {
		t.Fatal(err)
	}
	w := s.db.wal
	var acked atomic.Int64
	type copied struct {
		profile, journal []byte
		acked            int64
	}
	var copies []copied
	done := make(chan struct{})
	var taker gosync.WaitGroup
	taker.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(time.Duration(1+i%3) * time.Millisecond):
			}
			w.mu.Lock()
			w.applyMu.Lock()
			c := copied{acked: acked.Load()}
			c.profile, _ = os.ReadFile(s.Path())
			c.journal, _ = os.ReadFile(JournalPath(s.Path()))
			w.applyMu.Unlock()
			w.mu.Unlock()
			copies = append(copies, c)
		}
	})
	var wg gosync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i := range 150 {
				err := s.Update(func(tx *Tx) error {
					b := tx.Bucket(walTestBucket)
					n, err := b.NextSequence()
					if err != nil {
						return err
					}
					v := []byte(fmt.Sprint(n))
					if err := b.Put([]byte("a"), v); err != nil {
						return err
					}
					if err := b.Put(fmt.Appendf(nil, "id-%06d", n), bytes.Repeat([]byte{byte(i)}, 100+i*37%5000)); err != nil {
						return err
					}
					if i%5 == 0 && n > 3 {
						if err := b.Delete(fmt.Appendf(nil, "id-%06d", n-3)); err != nil {
							return err
						}
						if err := b.Put(fmt.Appendf(nil, "gone-%06d", n-3), nil); err != nil {
							return err
						}
					}
					return b.Put([]byte("z"), v)
				})
				if err != nil {
					t.Error(err)
					return
				}
				acked.Add(1)
			}
		})
	}
	wg.Wait()
	close(done)
	taker.Wait()
	if len(copies) < 3 {
		t.Fatalf("only %d copies taken", len(copies))
	}
	for i, c := range copies {
		if i%max(1, len(copies)/12) != 0 && i != len(copies)-1 {
			continue
		}
		cs := crashCopy(t, clock, c.profile, c.journal)
		if err := cs.View(func(tx *Tx) error {
			b := tx.Bucket(walTestBucket)
			a, z := string(b.Get([]byte("a"))), string(b.Get([]byte("z")))
			if a != z {
				return fmt.Errorf("a=%s z=%s", a, z)
			}
			seq := b.sequence()
			if fmt.Sprint(seq) != a && seq != 0 {
				return fmt.Errorf("sequence %d, a=%s", seq, a)
			}
			if int64(seq) < c.acked {
				return fmt.Errorf("sequence %d after %d acknowledged actions", seq, c.acked)
			}
			for n := uint64(1); n <= seq; n++ {
				id, gone := b.Get(fmt.Appendf(nil, "id-%06d", n)), b.Get(fmt.Appendf(nil, "gone-%06d", n))
				if (id == nil) == (gone == nil) {
					return fmt.Errorf("action %d: id %v, gone %v", n, id != nil, gone != nil)
				}
			}
			return nil
		}); err != nil {
			t.Fatalf("copy %d of %d: %v", i, len(copies), err)
		}
		cs.Close()
	}
}

// TestAttackCursorDeleteWalk: deleting every other pair through the
// cursor while walking it, some pairs in bbolt, some in layers, some the
// transaction's own, visits every pair once and leaves the others, as
// bbolt's cursor does; so does walking back.
func TestAttackCursorDeleteWalk(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, _ := MustCreateStore(t)
	put := func(from, to int) {
		t.Helper()
		if err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
				return err
			}
			for i := from; i < to; i += 2 {
				if err := tx.Bucket(walTestBucket).Put(fmt.Appendf(nil, "k%03d", i), []byte("v")); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	put(0, 60)
	if err := s.db.settle(); err != nil {
		t.Fatal(err)
	}
	put(1, 40)
	for _, back := range []bool{false, true} {
		var visited, kept []string
		if err := s.Update(func(tx *Tx) error {
			b := tx.Bucket(walTestBucket)
			for i := 41; i < 60; i += 2 {
				if err := b.Put(fmt.Appendf(nil, "k%03d", i), []byte("own")); err != nil {
					return err
				}
			}
			c := b.Cursor()
			first, step := c.First, c.Next
			if back {
				first, step = c.Last, c.Prev
			}
			for k, _ := first(); k != nil; k, _ = step() {
				visited = append(visited, string(k))
				if len(visited)%2 == 0 {
					if err := c.Delete(); err != nil {
						return err
					}
				}
			}
			if n := b.Count(); n != len(visited)-len(visited)/2 {
				return fmt.Errorf("Count %d after deleting %d of %d", n, len(visited)/2, len(visited))
			}
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				kept = append(kept, string(k))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := 60 // the second walk: the 30 the first left and 10 of its own
		if back {
			want = 40
		}
		if len(visited) != want {
			t.Fatalf("back %v: visited %d pairs, want %d: %v", back, len(visited), want, visited)
		}
		if err := s.View(func(tx *Tx) error {
			n := tx.Bucket(walTestBucket).Count()
			if n != want-want/2 {
				return fmt.Errorf("back %v: %d pairs left, want %d", back, n, want-want/2)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAttackSequenceAndBucketsAcrossApply: a bucket made in a layer, and
// its sequence, read the same before the layer is in bbolt, after, and
// from a state that holds some of the layers.
func TestAttackSequenceAndBucketsAcrossApply(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, _ := MustCreateStore(t)
	name := []byte("made-in-a-layer")
	next := func(want uint64) {
		t.Helper()
		if err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
			n, err := tx.Bucket(name).NextSequence()
			if err == nil && n != want {
				err = fmt.Errorf("NextSequence %d, want %d", n, want)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.View(func(tx *Tx) error {
			b := tx.Bucket(name)
			if b == nil {
				return errors.New("the bucket is missing")
			}
			if b.sequence() != want {
				return fmt.Errorf("sequence %d, want %d", b.sequence(), want)
			}
			if b.Count() != 0 {
				return fmt.Errorf("Count %d of an empty bucket", b.Count())
			}
			if k, _ := b.Cursor().First(); k != nil {
				return fmt.Errorf("an empty bucket's cursor on %s", k)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	next(1)
	next(2)
	if err := s.db.settle(); err != nil {
		t.Fatal(err)
	}
	next(3)
	next(4)
	if err := s.db.settle(); err != nil {
		t.Fatal(err)
	}
	next(5)
}

// TestAttackCloseUnderLoad: closing the store while writers (Update and
// Batch), readers and the applier run neither hangs nor loses an
// acknowledged action: every write after the close fails, and the file
// opened again holds each one that succeeded.
func TestAttackCloseUnderLoad(t *testing.T) {
	idle, commits, group, aidle := walIdle, walCommits, walApplyGroup, walApplyIdle
	walIdle, walCommits, walApplyGroup, walApplyIdle = 2*time.Millisecond, 4, 3, 30*time.Microsecond
	t.Cleanup(func() { walIdle, walCommits, walApplyGroup, walApplyIdle = idle, commits, group, aidle })
	s, clock := MustCreateStore(t)
	path := s.Path()
	if err := s.Update(func(tx *Tx) error { return tx.CreateBucketIfNotExists(walTestBucket) }); err != nil {
		t.Fatal(err)
	}
	var mu gosync.Mutex
	acked := map[string]bool{}
	var wg gosync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				k := fmt.Sprintf("w%d-%05d", g, i)
				write := func(tx *Tx) error { return tx.Bucket(walTestBucket).Put([]byte(k), []byte("v")) }
				var err error
				if g%2 == 0 {
					err = s.Update(write)
				} else {
					err = s.db.Batch(write)
				}
				if err != nil {
					return
				}
				mu.Lock()
				acked[k] = true
				mu.Unlock()
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for {
				if err := s.View(func(tx *Tx) error {
					b := tx.Bucket(walTestBucket)
					c := b.Cursor()
					for k, _ := c.First(); k != nil; k, _ = c.Next() {
					}
					return nil
				}); err != nil {
					return
				}
			}
		})
	}
	time.Sleep(150 * time.Millisecond)
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("close: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("close hangs under load")
	}
	waited := make(chan struct{})
	go func() { wg.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(20 * time.Second):
		t.Fatal("writers or readers hang after the close")
	}
	s2, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got := walContents(t, s2)
	if len(acked) < 10 {
		t.Fatalf("only %d writes before the close", len(acked))
	}
	for k := range acked {
		if _, ok := got[k]; !ok {
			t.Fatalf("%s acknowledged before the close, missing after (%d acknowledged)", k, len(acked))
		}
	}
}

// TestAttackEmptyBucketNameRefused: bbolt refuses a bucket without a
// name. Taken into a layer, its journal record fails every replay: the
// applier's (no write is taken after it) and the next open's (the profile
// no longer opens). It is refused in the transaction, as bbolt would.
func TestAttackEmptyBucketNameRefused(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	err := s.Update(func(tx *Tx) error { return tx.CreateBucketIfNotExists(nil) })
	if err == nil {
		t.Error("a bucket without a name was taken")
	}
	s.db.settle()
	if err := s.Update(func(tx *Tx) error {
		if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
			return err
		}
		return tx.Bucket(walTestBucket).Put([]byte("after"), []byte("x"))
	}); err != nil {
		t.Fatalf("a write after it: %v", err)
	}
	profile, _ := os.ReadFile(s.Path())
	journal, _ := os.ReadFile(JournalPath(s.Path()))
	if got := walContents(t, crashCopy(t, clock, profile, journal)); got["after"] != "x" {
		t.Fatalf("after a crash: %v", got)
	}
}

// TestAttackDeleteOfNoKey: bbolt's Delete of a key no pair can have (empty,
// or longer than MaxKeySize) deletes nothing and succeeds; through the
// layers it failed the whole action.
func TestAttackDeleteOfNoKey(t *testing.T) {
	holdCheckpoints(t)
	s, _ := MustCreateStore(t)
	for _, key := range [][]byte{nil, {}, make([]byte, bolt.MaxKeySize+1)} {
		if err := s.Update(func(tx *Tx) error {
			if err := tx.CreateBucketIfNotExists(walTestBucket); err != nil {
				return err
			}
			return tx.Bucket(walTestBucket).Delete(key)
		}); err != nil {
			t.Errorf("Delete of a %d-byte key: %v", len(key), err)
		}
	}
}

// TestAttackLogChunkBoundaries: writes of every size around the log's
// chunk boundaries (empty values, values larger than a chunk) keep the
// key and value bytes the layer points to unchanged by the writes after
// them, and the record, replayed chunk by chunk, gives what the layer
// says.
func TestAttackLogChunkBoundaries(t *testing.T) {
	db := attackBolt(t)
	rng := rand.New(rand.NewPCG(5, 8))
	for round := range 20 {
		l := &walLog{}
		type held struct{ k, v, wantK, wantV []byte }
		var all []held
		final := map[string][]byte{}
		for i := range 300 {
			key := fmt.Appendf(nil, "k%d-%d", round, rng.IntN(150))
			var value []byte
			switch rng.IntN(6) {
			case 0:
				value = []byte{}
			case 1:
				value = bytes.Repeat([]byte{byte(i)}, walChunk-rng.IntN(64))
			case 2:
				value = bytes.Repeat([]byte{byte(i)}, walChunkMax+rng.IntN(3)-1)
			default:
				value = bytes.Repeat([]byte{byte(i)}, rng.IntN(700))
			}
			op := walPut
			if rng.IntN(5) == 0 {
				op, value = walDelete, nil
				delete(final, string(key))
			} else {
				final[string(key)] = value
			}
			k, v := l.add(op, walTestBucket, key, value)
			all = append(all, held{k, v, slices.Clone(key), slices.Clone(value)})
		}
		for i, h := range all {
			if !bytes.Equal(h.k, h.wantK) || !bytes.Equal(h.v, h.wantV) || cap(h.k) != len(h.k) || (h.v != nil && cap(h.v) != len(h.v)) {
				t.Fatalf("round %d: write %d's bytes in the log changed", round, i)
			}
		}
		if err := db.Update(func(tx *bolt.Tx) error {
			tx.DeleteBucket(walTestBucket)
			return replayParts(tx, l.body(), nil)
		}); err != nil {
			t.Fatal(err)
		}
		db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket(walTestBucket)
			n := 0
			b.ForEach(func(k, v []byte) error {
				n++
				if want, ok := final[string(k)]; !ok || !bytes.Equal(v, want) {
					t.Fatalf("round %d: replay holds %s (%d bytes)", round, k, len(v))
				}
				return nil
			})
			if n != len(final) {
				t.Fatalf("round %d: replay holds %d pairs, want %d", round, n, len(final))
			}
			return nil
		})
	}
}

// TestAttackApplyFailureThenClose: after bbolt refused the applier's
// commit, a clean close (which must not checkpoint: the layers are not in
// bbolt) and the next open keep every action, those the applier had
// written before the failure and those it could not.
func TestAttackApplyFailureThenClose(t *testing.T) {
	holdCheckpoints(t)
	holdApplier(t)
	s, clock := MustCreateStore(t)
	walWrites(t, s, 0, 10)
	if err := s.db.settle(); err != nil {
		t.Fatal(err)
	}
	want := walWrites(t, s, 10, 10) // what the bucket holds after all twenty
	applyFault = func() error { return errors.New("disk full") }
	t.Cleanup(func() { applyFault = nil })
	if err := s.db.settle(); err == nil {
		t.Fatal("the fault did not fail the apply")
	}
	path := s.Path()
	s.Close() // the journal keeps the actions bbolt lacks, for the open
	applyFault = nil
	s2, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	sameContents(t, walContents(t, s2), want)
	if err := s2.CheckFile(); err != nil {
		t.Fatal(err)
	}
}

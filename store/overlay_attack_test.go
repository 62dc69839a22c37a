package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	for round := range 400 {
		rng := rand.New(rand.NewPCG(uint64(round), 3))
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
			got = cursorTrace(false, rand.New(rand.NewPCG(seed, 1)), probes, 12, func(op int, probe []byte) ([]byte, []byte) {
				return cursorMove(op, probe, m.first, m.last, m.seek, m.next, m.prev)
			})
			c := tx.Bucket([]byte("ref")).Cursor()
			want = cursorTrace(false, rand.New(rand.NewPCG(seed, 1)), probes, 12, func(op int, probe []byte) ([]byte, []byte) {
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

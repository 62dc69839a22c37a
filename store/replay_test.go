package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestReplayAcrossBuckets: a record's writes to buckets in turn (back to
// one already written, to one the record creates, to one with a fill of
// its own) land each in its bucket, as replay looks a bucket up once a
// run of writes to it.
func TestReplayAcrossBuckets(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "replay.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("a"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var l walLog
	l.add(walPut, []byte("a"), []byte("1"), []byte("x"))
	l.add(walPut, []byte("a"), []byte("2"), []byte("y"))
	l.add(walPut, []byte("b"), []byte("1"), []byte("z")) // b is new
	l.add(walPut, []byte("a"), []byte("3"), []byte("w"))
	l.add(walBucket, []byte("c"), nil, nil)
	l.add(walDelete, []byte("a"), []byte("1"), nil)
	l.add(walPut, []byte("b"), []byte("2"), []byte("v"))
	fill := map[string]*ovBucket{"b": {fill: AppendFill}}
	var fills []float64
	if err := db.Update(func(tx *bolt.Tx) error {
		if err := replayParts(tx, l.body(), fill); err != nil {
			return err
		}
		fills = []float64{tx.Bucket([]byte("a")).FillPercent, tx.Bucket([]byte("b")).FillPercent}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fills[0] != bolt.DefaultFillPercent || fills[1] != AppendFill {
		t.Errorf("fill percents %v, want a's default and b's %v", fills, AppendFill)
	}
	want := map[string]map[string]string{
		"a": {"2": "y", "3": "w"},
		"b": {"1": "z", "2": "v"},
		"c": {},
	}
	if err := db.View(func(tx *bolt.Tx) error {
		for name, kv := range want {
			b := tx.Bucket([]byte(name))
			if b == nil {
				t.Errorf("no bucket %s", name)
				continue
			}
			n := 0
			b.ForEach(func(k, v []byte) error {
				n++
				if kv[string(k)] != string(v) {
					t.Errorf("%s[%s] = %q, want %q", name, k, v, kv[string(k)])
				}
				return nil
			})
			if n != len(kv) {
				t.Errorf("%s holds %d keys, want %d", name, n, len(kv))
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

package bbolt

import (
	"fmt"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestNodeReadLeavesRoomToInsert: a leaf read into a node to take a put
// has room for it, so the put does not copy the node's elements into an
// array twice the size (Dossier's patch in internal/common/inode.go). The
// file is then checked by bbolt and every key read back.
func TestNodeReadLeavesRoomToInsert(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "room.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fill(t, db, "b", 0, 60, 8) // one leaf of 60 elements
	err = db.Update(func(tx *Tx) error {
		b := tx.Bucket([]byte("b"))
		c := b.Cursor()
		c.seek([]byte("00000030"))
		n := c.node()
		if len(n.inodes) != 60 {
			return fmt.Errorf("a leaf of %d elements, want 60", len(n.inodes))
		}
		before := unsafe.SliceData(n.inodes)
		for i, k := range []string{"00000030a", "00000030b", "x"} {
			if err := b.Put([]byte(k), []byte{byte(i)}); err != nil {
				return err
			}
		}
		if unsafe.SliceData(n.inodes) != before {
			t.Error("a put into a node just read copied its elements")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check(t, db, "b", 60, 8)
	db.View(func(tx *Tx) error {
		for i, k := range []string{"00000030a", "00000030b", "x"} {
			if v := tx.Bucket([]byte("b")).Get([]byte(k)); len(v) != 1 || v[0] != byte(i) {
				t.Errorf("%s: %v", k, v)
			}
		}
		return nil
	})
}

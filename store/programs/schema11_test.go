package programs

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"dossier/store"
	"dossier/store/storetest"
)

// TestSchema11EmptiesTheServersDeskIndexes: a server's file of schema 10
// holds keys in the indexes only a desk's search reads (a student number,
// a birth date, a name); opened at schema 11 it holds none, and nothing
// else moved. A desk's profile of schema 10 keeps them: its search reads
// them.
func TestSchema11EmptiesTheServersDeskIndexes(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	key := []byte("\x00\x00\x00\x01-a-key-of-schema-10")
	asSchema10 := func(s *store.Store) {
		t.Helper()
		err := s.Update(func(tx *store.Tx) error {
			for _, ix := range append([][]byte{store.IxEVN}, store.DeskOnlyIndexes...) {
				if err := tx.Bucket(ix).Put(key, nil); err != nil {
					return err
				}
			}
			return tx.Bucket(store.MetaBucket).Put(store.MetaSchema, store.U32(10))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	held := func(s *store.Store) (keys map[string]bool) {
		t.Helper()
		keys = map[string]bool{}
		err := s.View(func(tx *store.Tx) error {
			if v := tx.Bucket(store.MetaBucket).Get(store.MetaSchema); !bytes.Equal(v, store.U32(store.SchemaVersion)) {
				t.Errorf("schema %v after the migration", v)
			}
			for _, ix := range append([][]byte{store.IxEVN}, store.DeskOnlyIndexes...) {
				if tx.Bucket(ix).Get(key) != nil {
					keys[string(ix)] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}

	dir := t.TempDir()
	opt := store.ServerOptions{Store: storetest.Options(clock)}
	sv, err := OpenServer(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	asSchema10(sv.Store().Engine())
	sv.Close()
	if sv, err = OpenServer(dir, opt); err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if got := held(sv.Store().Engine()); len(got) != 1 || !got[string(store.IxEVN)] {
		t.Errorf("the server's indexes after the migration hold the key in %v, want %s alone", got, store.IxEVN)
	}

	path := filepath.Join(t.TempDir(), store.ProfileFileName)
	d, err := Create(path, "profile password", storetest.Options(clock))
	if err != nil {
		t.Fatal(err)
	}
	asSchema10(d.Engine())
	d.Close()
	if d, err = Open(path, "profile password", storetest.Options(clock)); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := held(d.Engine()); len(got) != 1+len(store.DeskOnlyIndexes) {
		t.Errorf("the desk's indexes after the migration hold the key in %v, want all four", got)
	}
}

package requests

import (
	"bytes"
	"testing"

	"dossier/store"
	"dossier/store/storetest"
)

// TestAttackMarkerSurvivesAnOlderBuildsWrite: the marker is kept by a
// rule only version 10's programs follow. A program of version 9 (0.1.0)
// writes a request as its putRequest does (the record and its indexes,
// the marker untouched) and closes without saving a sort cache (it has
// none). Version 10 refuses such a program its files (the file's schema
// is newer than its own); this test is the file it would have left, had
// it been at version 9 still — a marker from a build of this session
// before the schema moved, then the older program's write: opened again,
// the migration to 10 withdraws the marker, and the first sort checks
// every entry. (Found by an attack on the marker: without the migration's
// delete it serves the stale entry.)
func TestAttackMarkerSurvivesAnOlderBuildsWrite(t *testing.T) {
	s, sc, all, clock, f := savedCacheQueue(t, 300)
	if _, vouches := cleanMarker(t, s); !vouches {
		t.Fatal("no marker after the save")
	}
	ids, err := s.QueueIDs(sc.DIR, f)
	if err != nil {
		t.Fatal(err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock)) // the cache not loaded: the close saves nothing
	last := ids[len(ids)-1]
	if err := s.Engine().Update(func(tx *store.Tx) error {
		marker := bytes.Clone(tx.Bucket(store.MetaBucket).Get(store.MetaSortClean))
		old, ok, err := s.GetRequest(tx, last, nil)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		r := old
		r.Student.StudentNumber = "A0000"
		if err := s.putRequest(tx, &old, &r); err != nil {
			return err
		}
		for i := range all {
			if all[i].ID == last {
				all[i] = r
			}
		}
		meta := tx.Bucket(store.MetaBucket)
		if err := meta.Put(store.MetaSchema, store.U32(9)); err != nil {
			return err
		}
		return meta.Put(store.MetaSortClean, marker) // version 9 never deleted it
	}); err != nil {
		t.Fatal(err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock)) // migrated to 10
	if present, _ := cleanMarker(t, s); present {
		t.Fatal("the migration to version 10 left the marker")
	}
	if _, walks, _ := firstSort(t, s, sc, all, clock, f); walks != 1 {
		t.Errorf("%d stamp walks after the migration, want 1", walks)
	}
}

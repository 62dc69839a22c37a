package store

import (
	"errors"
	"testing"

	"dossier/domain"
)

// TestReadOrgTagKeepsOnlyCommittedTags: a tag is read once and kept; an
// organisation without one is asked again (it may get one); a tag made in
// a write that is rolled back is never kept, so no other organisation's
// entries are read under it.
func TestReadOrgTagKeepsOnlyCommittedTags(t *testing.T) {
	s, _ := MustCreateStore(t)
	a, b := domain.ID{1}, domain.ID{2}
	read := func(org domain.ID) uint32 {
		t.Helper()
		var tag uint32
		if err := s.View(func(tx *Tx) error {
			var err error
			tag, err = s.ReadOrgTag(tx, org)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return tag
	}
	if got := read(a); got != 0 {
		t.Fatalf("a tag before any was given: %d", got)
	}
	// Given inside a write that fails, and read there: not kept.
	refused := errors.New("refused")
	err := s.Update(func(tx *Tx) error {
		if _, err := OrgTag(tx, a, true); err != nil {
			return err
		}
		if tag, err := s.ReadOrgTag(tx, a); err != nil || tag == 0 {
			t.Fatalf("the tag within its own write: %d %v", tag, err)
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatal(err)
	}
	if got := read(a); got != 0 {
		t.Fatalf("a rolled-back tag was kept: %d", got)
	}
	// B is given the tag A's rolled-back write had; A then gets another.
	var tagA, tagB uint32
	if err := s.Update(func(tx *Tx) error {
		var err error
		if tagB, err = OrgTag(tx, b, true); err != nil {
			return err
		}
		tagA, err = OrgTag(tx, a, true)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if read(a) != tagA || read(b) != tagB || tagA == tagB {
		t.Fatalf("tags read %d %d, given %d %d", read(a), read(b), tagA, tagB)
	}
	// Kept: read again without the store (the bucket emptied behind it).
	if err := s.Update(func(tx *Tx) error { return tx.Bucket(OrgTagsBucket).Delete(a[:]) }); err != nil {
		t.Fatal(err)
	}
	if got := read(a); got != tagA {
		t.Errorf("the kept tag was read again from the store: %d", got)
	}
}

package store

import (
	"errors"
	"testing"

	"dossier/domain/ens"
)

// TestInstitutionReadsItsLatestValue: a school is kept decoded between
// reads, but every change is read at once — a write of this store, one
// inside a transaction that reads it back, and none of a transaction that
// rolled back; the settings likewise.
func TestInstitutionReadsItsLatestValue(t *testing.T) {
	s, _ := MustCreateStore(t)
	in, err := s.CreateInstitution(officer, Institution{Name: "École A", Code: 1, Province: "QC"})
	if err != nil {
		t.Fatal(err)
	}
	read := func() Institution {
		t.Helper()
		got, err := s.Institution(in.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(); got.Name != "École A" || read() != got {
		t.Fatalf("read %+v", got)
	}
	rename := func(name string) Institution {
		in := read()
		in.Name = name
		return in
	}
	// A transaction reads its own write, and a rolled-back one is never
	// served afterwards.
	undo := errors.New("undo")
	err = s.Update(func(tx *Tx) error {
		b := rename("École B")
		if err := s.PutInstitution(tx, &b); err != nil {
			return err
		}
		if got, err := s.InstitutionIn(tx, in.ID); err != nil || got.Name != "École B" {
			t.Errorf("inside the transaction: %+v %v", got, err)
		}
		return undo
	})
	if !errors.Is(err, undo) {
		t.Fatal(err)
	}
	if got := read(); got.Name != "École A" {
		t.Fatalf("after a rollback: %q", got.Name)
	}
	if err := s.Update(func(tx *Tx) error { c := rename("École C"); return s.PutInstitution(tx, &c) }); err != nil {
		t.Fatal(err)
	}
	if got := read(); got.Name != "École C" {
		t.Fatalf("after a commit: %q", got.Name)
	}

	for _, days := range []int{30, 45, 30} {
		if err := s.SetSettings(ens.Settings{ExpiryDays: days}); err != nil {
			t.Fatal(err)
		}
		var set ens.Settings
		if err := s.View(func(tx *Tx) error { return ReadSettings(tx, &set) }); err != nil || set.ExpiryDays != days {
			t.Fatalf("settings %+v %v, want %d days", set, err, days)
		}
	}
}

package store

import (
	"bytes"
	"os"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
)

// TestDraftsPeekDeleteAndSealed: a draft is kept per person and form,
// read without being forgotten, deleted on demand, and never in clear in
// the file.
func TestDraftsPeekDeleteAndSealed(t *testing.T) {
	s, clock := MustCreateStore(t)
	ana := account.Actor{Account: domain.ID{0xa1, 1}}
	ben := account.Actor{Account: domain.ID{0xb2, 2}}
	note := []byte(`{"notes":"ZZ-DRAFT-MARKER"}`)
	if err := s.SaveDraft(ana, "dir.request/1", note); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(account.Actor{}, "dir.request/1", note); err == nil {
		t.Fatal("a draft kept for nobody")
	}
	s = reopen(t, s, clock)
	for range 2 {
		if b, err := s.PeekDraft(ana, "dir.request/1"); err != nil || !bytes.Equal(b, note) {
			t.Fatalf("peek: %s %v", b, err)
		}
	}
	if b, _ := s.PeekDraft(ben, "dir.request/1"); b != nil {
		t.Fatal("another person reads the draft")
	}
	if b, _ := s.PeekDraft(ana, "dir.request/2"); b != nil {
		t.Fatal("another record reads the draft")
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("ZZ-DRAFT-MARKER")) {
		t.Fatal("the draft is in clear in the file")
	}
	if err := s.DeleteDraft(ana, "dir.request/1"); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.PeekDraft(ana, "dir.request/1"); b != nil {
		t.Fatal("deleted, still there")
	}
}

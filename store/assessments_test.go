package store

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"dossier/domain"
)

// TestAssessmentsKeptSealedAndAdopted: answers are kept per account and
// program across a reopen, sealed (the plain answers are nowhere in the
// file), and those given before signing up move to the new account
// without replacing its own.
func TestAssessmentsKeptSealedAndAdopted(t *testing.T) {
	s, clock := MustCreateStore(t)
	var nobody domain.ID
	me := domain.ID{0xa5, 1}
	secret := []byte(`{"studyPermit":"yes","marker":"ZZ-SEALED-MARKER"}`)
	if err := s.SaveAssessment(nobody, "ocwpp", secret); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAssessment(nobody, "oinp", []byte(`{"anon":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveAssessment(me, "oinp", []byte(`{"mine":1}`)); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, clock)
	if got, _ := s.Assessment(nobody, "ocwpp"); !bytes.Equal(got, secret) {
		t.Fatalf("kept %q", got)
	}
	if err := s.AdoptAssessments(me); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Assessment(me, "ocwpp"); !bytes.Equal(got, secret) {
		t.Errorf("not carried into the account: %q", got)
	}
	if got, _ := s.Assessment(me, "oinp"); string(got) != `{"mine":1}` {
		t.Errorf("the account's own answers were replaced: %q", got)
	}
	for _, p := range []string{"ocwpp", "oinp"} {
		if got, _ := s.Assessment(nobody, p); got != nil {
			t.Errorf("%s still kept before sign-up: %q", p, got)
		}
	}
	path := s.Path()
	s.Close()
	if raw, err := os.ReadFile(path); err != nil || bytes.Contains(raw, []byte("ZZ-SEALED-MARKER")) {
		t.Error("the answers are in clear in the profile")
	}
}

func TestAssessmentsRefusedOnTheServer(t *testing.T) {
	_, clock := MustCreateStore(t)
	sv := mustServer(t, clock)
	if err := sv.st.SaveAssessment(domain.ID{1}, "ocwpp", []byte("{}")); !errors.Is(err, ErrAssessmentsOnServer) {
		t.Errorf("saved on the server: %v", err)
	}
}

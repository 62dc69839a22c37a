package store

import (
	"bytes"
	"testing"

	"go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/account"
)

// TestPersonalSettingsPerPerson: each person reads back their own
// setting, again and again and after the profile is reopened; the name
// typed in it is not in the file in clear; nobody signed in keeps none.
func TestPersonalSettingsPerPerson(t *testing.T) {
	s, clock := MustCreateStore(t)
	ann := account.Actor{Account: domain.ID{0xc1}, Role: account.DIR}
	bob := account.Actor{Account: domain.ID{0xc2}, Role: account.DIR}
	if err := s.SavePersonal(ann, "queue", []byte(`{"search":"Tremblay"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePersonal(bob, "queue", []byte(`{"search":"Gagnon"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePersonal(account.Actor{}, "queue", []byte("x")); err == nil {
		t.Fatal("a setting kept for nobody")
	}
	for range 2 {
		got, err := s.Personal(ann, "queue")
		if err != nil || string(got) != `{"search":"Tremblay"}` {
			t.Fatalf("Ann's setting: %q %v", got, err)
		}
	}
	if got, err := s.Personal(bob, "other"); err != nil || got != nil {
		t.Fatalf("a setting never kept: %q %v", got, err)
	}
	path := s.Path()
	s = reopen(t, s, clock)
	if got, err := s.Personal(bob, "queue"); err != nil || string(got) != `{"search":"Gagnon"}` {
		t.Fatalf("Bob's setting after reopening: %q %v", got, err)
	}
	s.Close()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(personalBucket).ForEach(func(k, v []byte) error {
			if bytes.Contains(v, []byte("Gagnon")) || bytes.Contains(v, []byte("Tremblay")) {
				t.Errorf("a name in clear under %x", k)
			}
			return nil
		})
	})
}

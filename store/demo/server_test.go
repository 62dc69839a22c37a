package demo

import (
	"crypto/rand"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
)

// TestServerDemo builds the server's demo after 15 October and finds, as
// each person would at their first sync: the program's two submitted
// files, the coordinators' schools, and each school's compliance list.
func TestServerDemo(t *testing.T) {
	now := time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)
	sv, err := programs.OpenServer(t.TempDir(), store.ServerOptions{Store: store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true, Now: func() time.Time { return now }}})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	res, err := BuildServer(sv, ServerOptions{Now: now, Students: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Compliance != 3*4 || len(res.Schools) != 3 {
		t.Fatalf("compliance requests %d, schools %d", res.Compliance, len(res.Schools))
	}
	s := sv.Store()
	signIn := func(user string) account.Actor {
		t.Helper()
		_, a, err := s.SignIn(user, Password)
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		return a.Actor()
	}
	files, err := s.ProcessingQueue(signIn("officer2"), applications.FileFilter{})
	if err != nil || len(files) != 2 {
		t.Fatalf("the program's files: %d %v", len(files), err)
	}
	schools, err := s.ComplianceStatus(signIn("coord.on"), 2026)
	if err != nil || len(schools) != 2 {
		t.Fatalf("Ontario's schools: %+v %v", schools, err)
	}
	list, err := s.ComplianceRequests(signIn("dir.boreal"), 2026)
	if err != nil || len(list) != 4 {
		t.Fatalf("Collège Boréal's list: %d %v", len(list), err)
	}
}

// TestDeskDemoOnServer: the desktop's demo loaded into a server's store
// (the compliance benchmark does) keeps each DIR's PIN number as held by
// a retired computer, with its sequence past the EVNs the demo issued, so
// no computer issues them again.
func TestDeskDemoOnServer(t *testing.T) {
	now := time.Date(2026, 9, 30, 18, 0, 0, 0, time.UTC)
	sv, err := programs.OpenServer(t.TempDir(), store.ServerOptions{Store: store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true, Now: func() time.Time { return now }}})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if _, err := Build(sv.Store(), Options{Requests: 400, Seed: 1, Today: domain.Date{Year: 2026, Month: 9, Day: 30}}); err != nil {
		t.Fatal(err)
	}
	s := sv.Store()
	_, dir, err := s.SignIn("dir.beaulieu", Password)
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *store.Tx) error {
		d, ok := s.IssuingDesk(tx, dir.ID, domain.ID{})
		if !ok || d.Desk != ens.Desk(dir.Desk) || d.Next < 2 {
			t.Errorf("the DIR's demo desk on the server: %+v %v (PIN number %d)", d, ok, dir.Desk)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

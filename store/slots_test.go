package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"dossier/domain/account"
	"dossier/sync"
)

const (
	zoeID, zoePass = "Zoe.Gagnon-Slot", "zoe's own password 1"
	maxID, maxPass = "max.tremblay-slot", "max's own password 2"
)

// slotProfile is a desk profile with two people's accounts, closed again:
// its path and clock.
func slotProfile(t *testing.T) (string, *testClock) {
	t.Helper()
	s, clock := MustCreateStore(t)
	for _, r := range []account.Registration{
		{UserID: zoeID, Password: zoePass, GivenNames: "Zoé", FamilyName: "Gagnon", AcceptTerms: true, Questions: testQuestions},
		{UserID: maxID, Password: maxPass, GivenNames: "Max", FamilyName: "Tremblay", AcceptTerms: true, Questions: testQuestions},
	} {
		if _, err := s.RegisterStudent(r); err != nil {
			t.Fatal(err)
		}
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, clock
}

// openAs opens path by a person's slot, closing it at the end of the test.
func openAs(t *testing.T, path, user, pw string, clock *testClock) (*Store, error) {
	t.Helper()
	s, err := OpenAs(path, user, pw, testOptions(clock))
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func mustOpenAs(t *testing.T, path, user, pw string, clock *testClock) *Store {
	t.Helper()
	s, err := openAs(t, path, user, pw, clock)
	if err != nil {
		t.Fatalf("open as %s: %v", user, err)
	}
	return s
}

func refusedAs(t *testing.T, path, user, pw string, clock *testClock) {
	t.Helper()
	before := fileSum(t, path)
	if _, err := openAs(t, path, user, pw, clock); !errors.Is(err, ErrSlotRefused) {
		t.Fatalf("open as %q: %v, want %s", user, err, ErrSlotRefused)
	}
	if fileSum(t, path) != before {
		t.Fatalf("a refused open as %q changed the file", user)
	}
}

// TestPersonSlotOpensTheProfile: after a person's slot is kept, their own
// user ID (in any case) and password open the profile, and the profile
// reads as it does with the profile password; the profile password still
// opens it.
func TestPersonSlotOpensTheProfile(t *testing.T) {
	path, clock := slotProfile(t)
	refusedAs(t, path, zoeID, zoePass, clock) // no slot yet
	s := mustOpen(t, path, clock)
	if err := s.KeepPersonSlot(zoeID, zoePass); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PersonSlots(); n != 1 {
		t.Fatalf("%d slots, want 1", n)
	}
	s.Close()

	s2 := mustOpenAs(t, path, "  ZOE.gagnon-slot ", zoePass, clock)
	if _, a, _, err := s2.SignInOffline(zoeID, zoePass); err != nil || a.GivenNames != "Zoé" {
		t.Fatalf("sign-in after opening by slot: %+v, %v", a, err)
	}
	s2.Close()
	mustOpen(t, path, clock).Close()

	// The file names no user ID in the clear.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"zoe.gagnon-slot", maxID} {
		if bytes.Contains(raw, []byte(id)) {
			t.Fatalf("the file holds the user ID %q in the clear", id)
		}
	}
}

// TestPersonSlotRefusals: a wrong password, a user ID without a slot, a
// user ID no account holds and one that is no user ID get the same
// refusal, and leave the file as it was.
func TestPersonSlotRefusals(t *testing.T) {
	path, clock := slotProfile(t)
	refusedAs(t, path, "nobody.here", zoePass, clock) // no slot at all yet
	s := mustOpen(t, path, clock)
	if err := s.KeepPersonSlot(zoeID, zoePass); err != nil {
		t.Fatal(err)
	}
	s.Close()
	refusedAs(t, path, zoeID, "not zoe's password", clock)
	refusedAs(t, path, zoeID, testPassword, clock) // the profile password is not hers
	refusedAs(t, path, maxID, maxPass, clock)
	refusedAs(t, path, "nobody.here", zoePass, clock)
	refusedAs(t, path, "no such ID!", zoePass, clock)
	if _, err := OpenAs(path, zoeID, "", testOptions(clock)); !errors.Is(err, ErrPasswordRequired) {
		t.Fatalf("empty password: %v", err)
	}
	// The profile password is still refused as it was.
	if _, err := Open(path, zoePass, testOptions(clock)); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("profile password: %v", err)
	}
}

// TestPersonSlotsTwoPeople: a shared desk keeps one slot per person, each
// opened by its own password only.
func TestPersonSlotsTwoPeople(t *testing.T) {
	path, clock := slotProfile(t)
	s := mustOpen(t, path, clock)
	if err := s.KeepPersonSlot(zoeID, zoePass); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpenAs(t, path, zoeID, zoePass, clock)
	if err := s.KeepPersonSlot(maxID, maxPass); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PersonSlots(); n != 2 {
		t.Fatalf("%d slots, want 2", n)
	}
	s.Close()
	mustOpenAs(t, path, maxID, maxPass, clock).Close()
	mustOpenAs(t, path, zoeID, zoePass, clock).Close()
	refusedAs(t, path, maxID, zoePass, clock)
	refusedAs(t, path, zoeID, maxPass, clock)
}

// TestPersonSlotRewrapped: a new password replaces the slot (one slot,
// the old password refused); a slot for an unknown account is not made.
func TestPersonSlotRewrapped(t *testing.T) {
	path, clock := slotProfile(t)
	s := mustOpen(t, path, clock)
	if err := s.KeepPersonSlot(zoeID, zoePass); err != nil {
		t.Fatal(err)
	}
	const newPass = "zoe's brand new password 3"
	if err := s.KeepPersonSlot(zoeID, newPass); err != nil {
		t.Fatal(err)
	}
	if err := s.KeepPersonSlot("nobody.here", zoePass); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PersonSlots(); n != 1 {
		t.Fatalf("%d slots, want 1", n)
	}
	s.Close()
	refusedAs(t, path, zoeID, zoePass, clock)
	refusedAs(t, path, "nobody.here", zoePass, clock)
	mustOpenAs(t, path, zoeID, newPass, clock).Close()
}

// TestPersonSlotRemoved: a slot goes with the account's de-link (three
// wrong passwords at this desk) and on request; the other person's stays.
func TestPersonSlotRemoved(t *testing.T) {
	path, clock := slotProfile(t)
	s := mustOpen(t, path, clock)
	for _, p := range [][2]string{{zoeID, zoePass}, {maxID, maxPass}} {
		if err := s.KeepPersonSlot(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	for range s.opt.Policy.MaxFailures {
		s.SignIn(zoeID, "a wrong password")
	}
	if _, _, err := s.SignIn(zoeID, zoePass); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("after the failures: %v, want de-linked", err)
	}
	if n, _ := s.PersonSlots(); n != 1 {
		t.Fatalf("%d slots after the de-link, want 1", n)
	}
	// A de-linked account gets no slot back.
	if err := s.KeepPersonSlot(zoeID, zoePass); err != nil {
		t.Fatal(err)
	}
	s.Close()
	refusedAs(t, path, zoeID, zoePass, clock)
	s = mustOpenAs(t, path, maxID, maxPass, clock)
	if err := s.DropPersonSlot(maxID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	refusedAs(t, path, maxID, maxPass, clock)
	mustOpen(t, path, clock).Close()
}

// mustOpen opens path with the profile password.
func mustOpen(t *testing.T, path string, clock *testClock) *Store {
	t.Helper()
	s, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPersonSlotGoesWithTheServersNews: an account the server says is
// revoked, or de-linked elsewhere, keeps no slot on this desk.
func TestPersonSlotGoesWithTheServersNews(t *testing.T) {
	path, clock := slotProfile(t)
	s := mustOpen(t, path, clock)
	defer s.Close()
	for _, p := range [][2]string{{zoeID, zoePass}, {maxID, maxPass}} {
		if err := s.KeepPersonSlot(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	news := func(user string, change func(p *PublicAccount)) {
		t.Helper()
		err := s.db.Update(func(tx *Tx) error {
			a, ok, err := s.accountByUserID(tx, cleanID(t, user))
			if err != nil || !ok {
				t.Fatalf("account %s: %v", user, err)
			}
			p := publicAccount(&a)
			change(&p)
			raw, _ := json.Marshal(p)
			_, err = s.applyChange(tx, &sync.Change{Kind: sync.EntityAccount, ID: a.ID, Data: raw}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	news(zoeID, func(p *PublicAccount) { p.Revoked = clock.Now().Format(timeWire) })
	if n, _ := s.PersonSlots(); n != 1 {
		t.Fatalf("%d slots after the revocation, want 1", n)
	}
	news(maxID, func(p *PublicAccount) { p.Delinked = clock.Now().Format(timeWire) })
	if n, _ := s.PersonSlots(); n != 0 {
		t.Fatalf("%d slots after a de-link elsewhere, want 0", n)
	}
}

func cleanID(t *testing.T, user string) string {
	t.Helper()
	uid, err := account.CleanUserID(user)
	if err != nil {
		t.Fatal(err)
	}
	return uid
}

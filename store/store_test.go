package store

import (
	"crypto/rand"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  gosync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

const testPassword = "correct horse battery"

func testOptions(clock *testClock) Options {
	return Options{Now: clock.Now, Rand: rand.Reader, KDF: TestKDF, Secrets: account.TestSecretParams}
}

// MustCreateStore makes a new profile in a temporary folder, closed at the
// end of the test.
func MustCreateStore(tb testing.TB) (*Store, *testClock) {
	tb.Helper()
	clock := &testClock{now: time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)}
	s, err := Create(filepath.Join(tb.TempDir(), "profile.dossier"), testPassword, testOptions(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, clock
}

// reopen closes s and opens its file again.
func reopen(tb testing.TB, s *Store, clock *testClock) *Store {
	tb.Helper()
	path := s.Path()
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	s2, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s2.Close() })
	return s2
}

// school is a participating school with an enrolled DIR and signatory.
type school struct {
	inst      Institution
	dir, sign account.Actor
}

var officer = account.Actor{Account: domain.ID{0xa0}, Role: account.ProgramOfficer}

// mustSchool registers a school and enrols its DIR and one signatory the
// way people do: the program issues the DIR's PIN, the DIR the signatory's.
func mustSchool(tb testing.TB, s *Store, name string, code ens.SchoolCode) school {
	tb.Helper()
	inst, err := s.CreateInstitution(officer, Institution{Name: name, Code: code, Province: "ON"})
	if err != nil {
		tb.Fatal(err)
	}
	enrol := func(by account.Actor, role account.Role, user string) account.Actor {
		pin, _, err := s.IssuePIN(by, account.PINRequest{Role: role, Org: inst.ID})
		if err != nil {
			tb.Fatal(err)
		}
		a, err := s.Enrol(account.Enrolment{UserID: user, Password: "password 12345", GivenNames: "Alex",
			FamilyName: "Desk", PIN: pin, AcceptTerms: true, Questions: testQuestions})
		if err != nil {
			tb.Fatal(err)
		}
		return a.Actor()
	}
	sc := school{inst: inst}
	sc.dir = enrol(officer, account.DIR, "dir."+code.String())
	sc.sign = enrol(sc.dir, account.Signatory, "sig."+code.String())
	return sc
}

var testQuestions = [4]account.SecurityQuestion{{Question: "q1", Answer: "answer one"},
	{Question: "q2", Answer: "answer two"}, {Question: "q3", Answer: "answer three"},
	{Question: "q4", Answer: "answer four"}}

func student(n byte) account.Actor {
	return account.Actor{Account: domain.ID{0xb0, n}, Role: account.Student}
}

// mustServer opens a server store in a temporary folder on clock.
func mustServer(tb testing.TB, clock *testClock) *Server {
	tb.Helper()
	sv, err := OpenServer(tb.TempDir(), ServerOptions{Store: testOptions(clock)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sv.Close() })
	return sv
}

// Package storetest builds what the store's tests share: a clock moved by
// hand, a profile in a temporary folder, a school with its DIR and
// signatory enrolled as people enrol, a server file. It imports the
// engine only, so that each program's tests can use it.
package storetest

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// Clock is a clock the test moves by hand.
type Clock struct {
	mu  gosync.Mutex
	now time.Time
}

// NewClock is a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// Password is the test profiles' password.
const Password = "correct horse battery"

// Options are a test store's: clock, cheap key derivation and hashing.
func Options(clock *Clock) store.Options {
	return store.Options{Now: clock.Now, Rand: rand.Reader, KDF: store.TestKDF, Secrets: account.TestSecretParams}
}

// MustCreate makes a new profile in a temporary folder, closed at the end
// of the test, on a clock reading 1 October 2026, 13:00 UTC.
func MustCreate(tb testing.TB) (*store.Store, *Clock) {
	tb.Helper()
	clock := NewClock(time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC))
	s, err := store.Create(filepath.Join(tb.TempDir(), "profile.dossier"), Password, Options(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, clock
}

// Reopen closes s and opens its file again.
func Reopen(tb testing.TB, s *store.Store, clock *Clock) *store.Store {
	tb.Helper()
	path := s.Path()
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	s2, err := store.Open(path, Password, Options(clock))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s2.Close() })
	return s2
}

// MustServer opens a server file in a temporary folder on clock.
func MustServer(tb testing.TB, clock *Clock) *store.Server {
	tb.Helper()
	sv, err := store.OpenServer(tb.TempDir(), store.ServerOptions{Store: Options(clock)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sv.Close() })
	return sv
}

// School is a participating school with an enrolled DIR and signatory.
type School struct {
	Inst      store.Institution
	DIR, Sign account.Actor
}

// Officer is the program officer who registers the schools.
var Officer = account.Actor{Account: domain.ID{0xa0}, Role: account.ProgramOfficer}

// Questions are the security questions every test account answers.
// Answerer answers a sign-in's security question from the question sets
// given (and Questions), as their owner would: a client.Answerer. A
// question none of them holds gets a wrong answer.
func Answerer(sets ...[account.QuestionCount]account.SecurityQuestion) func(context.Context, string) (string, error) {
	return func(_ context.Context, q string) (string, error) {
		for _, set := range append(sets, Questions, applicantQuestions) {
			for _, sq := range set {
				if sq.Question == q {
					return sq.Answer, nil
				}
			}
		}
		return "no idea", nil
	}
}

// applicantQuestions are MustApplicant's.
var applicantQuestions = [account.QuestionCount]account.SecurityQuestion{
	{Question: "First school?", Answer: "answer one"}, {Question: "First pet?", Answer: "answer two"},
	{Question: "Street?", Answer: "answer three"}, {Question: "Book?", Answer: "answer four"}}

var Questions = [4]account.SecurityQuestion{{Question: "q1", Answer: "answer one"},
	{Question: "q2", Answer: "answer two"}, {Question: "q3", Answer: "answer three"},
	{Question: "q4", Answer: "answer four"}}

// MustSchool registers a school and enrols its DIR and one signatory the
// way people do: the program issues the DIR's PIN, the DIR the signatory's.
func MustSchool(tb testing.TB, s *store.Store, name string, code ens.SchoolCode) School {
	tb.Helper()
	inst, err := s.CreateInstitution(Officer, store.Institution{Name: name, Code: code, Province: "ON"})
	if err != nil {
		tb.Fatal(err)
	}
	enrol := func(by account.Actor, role account.Role, user string) account.Actor {
		pin, _, err := s.IssuePIN(by, account.PINRequest{Role: role, Org: inst.ID})
		if err != nil {
			tb.Fatal(err)
		}
		a, err := s.Enrol(account.Enrolment{UserID: user, Password: "password 12345", GivenNames: "Alex",
			FamilyName: "Desk", PIN: pin, AcceptTerms: true, Questions: Questions})
		if err != nil {
			tb.Fatal(err)
		}
		return a.Actor()
	}
	sc := School{Inst: inst}
	sc.DIR = enrol(Officer, account.DIR, "dir."+code.String())
	sc.Sign = enrol(sc.DIR, account.Signatory, "sig."+code.String())
	return sc
}

// Student is test student n.
func Student(n byte) account.Actor {
	return account.Actor{Account: domain.ID{0xb0, n}, Role: account.Student}
}

// Elodie is a student with accents in her names.
func Elodie() ens.Student {
	return ens.Student{GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
		ClientID: "1234-5678", StudentNumber: "U20231187", Email: "elodie.cote@courriel.example"}
}

// AllMet is a checklist with every criterion met.
func AllMet() ens.Checks {
	var c ens.Checks
	for i := range c {
		c[i] = ens.Met
	}
	return c
}

// CopySchema5 copies the schema 5 server file of store/testdata to a
// folder of its own, for a migration to run on; store is the path from
// the test's folder to store.
func CopySchema5(tb testing.TB, storeDir string) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{store.ServerFileName, store.ServerKeyName} {
		b, err := os.ReadFile(filepath.Join(storeDir, "testdata", "schema5", name))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// MustApplicant registers an applicant, Linh Nguyen, under user.
func MustApplicant(tb testing.TB, s *store.Store, user string) account.Actor {
	tb.Helper()
	a, err := s.RegisterApplicant(account.Registration{UserID: user, Password: "a long password 1", GivenNames: "Linh",
		FamilyName: "Nguyen", Email: "linh@example.ca", AcceptTerms: true, Questions: applicantQuestions})
	if err != nil {
		tb.Fatal(err)
	}
	if a.Role != account.Applicant {
		tb.Fatalf("registered as %s", a.Role)
	}
	return a.Actor()
}

// UTF16 is s in UTF-16LE, to look for it in a file as well as in UTF-8.
func UTF16(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// SignIn signs a person in to the server as their desk does: the
// password, then the answer to the security question the server asks
// (from Answerer's sets).
func SignIn(sv *store.Server, user, password string, device domain.ID) (sync.Tokens, error) {
	tok, err := sv.SignIn(user, password, device, "", "")
	if err != nil || tok.Challenge == nil {
		return tok, err
	}
	answer, _ := Answerer()(context.Background(), tok.Challenge.Question)
	return sv.AnswerSignIn(tok.Challenge.Token, answer, "")
}

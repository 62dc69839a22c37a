package store

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// TestAuthenticateReadsTheAccountsStanding: a request's check decodes
// only the account's role, organisation, revocation and de-link, and
// answers as the whole account would: the same person, the same
// refusals, a change to any of those fields seen at the next request.
func TestAuthenticateReadsTheAccountsStanding(t *testing.T) {
	sv, clock := signInServer(t)
	tok, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{7}, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	change := func(fn func(a *Account)) Account {
		t.Helper()
		var a Account
		err := sv.st.db.Update(func(tx *Tx) error {
			var found bool
			var err error
			if a, found, err = sv.st.accountByUserID(tx, "zoe"); err != nil || !found {
				t.Fatalf("zoe: found %v, %v", found, err)
			}
			fn(&a)
			return sv.st.PutAccount(tx, &a, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	org := domain.ID{9, 9}
	a := change(func(a *Account) { a.Role, a.Org = account.DIR, org })
	by, device, err := sv.Authenticate(tok.Access)
	if err != nil || by != a.Actor() || by.Org != org || by.Role != account.DIR || device != (domain.ID{7}) {
		t.Fatalf("Authenticate = %+v, %v, %v; want %+v on device 7", by, device, err, a.Actor())
	}
	a = change(func(a *Account) { a.Credential.Delinked = clock.now })
	if by, _, err := sv.Authenticate(tok.Access); !errors.Is(err, account.ErrDelinked) || by != a.Actor() {
		t.Fatalf("de-linked: %+v, %v", by, err)
	}
	a = change(func(a *Account) { a.Credential.Delinked, a.Revoked = clock.now.AddDate(-1, 0, 0), clock.now })
	if by, _, err := sv.Authenticate(tok.Access); !errors.Is(err, ErrTokenInvalid) || by != a.Actor() {
		t.Fatalf("revoked: %+v, %v", by, err)
	}
}

// BenchmarkAuthenticate is the check every signed-in request makes: the
// token's record and the account's standing, read and opened.
func BenchmarkAuthenticate(b *testing.B) {
	clock := &testClock{now: time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)}
	sv := mustServer(b, clock)
	if _, err := sv.st.RegisterStudent(account.Registration{UserID: "zoe", Password: "password 12345",
		GivenNames: "Zoé", FamilyName: "Gagnon", AcceptTerms: true, Questions: testQuestions}); err != nil {
		b.Fatal(err)
	}
	tok, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{7}, "", ""))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := sv.Authenticate(tok.Access); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAuthenticateKeepsNoStaleStanding: the token's record and the
// account's standing are decoded once and then served from memory while
// the stored values are the ones decoded; a revocation is seen at the
// next request, and a revocation read inside a write that then rolled
// back is never served.
func TestAuthenticateKeepsNoStaleStanding(t *testing.T) {
	sv, clock := signInServer(t)
	tok, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{7}, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	by, _, err := sv.Authenticate(tok.Access)
	if err != nil {
		t.Fatal(err)
	}
	if len(sv.standings.m) != 1 || len(sv.tokens.m) != 1 {
		t.Fatalf("kept %d standings and %d tokens after one request", len(sv.standings.m), len(sv.tokens.m))
	}
	revoke := func(tx *Tx) error {
		a, found, err := sv.st.accountByUserID(tx, "zoe")
		if err != nil || !found {
			t.Fatalf("zoe: found %v, %v", found, err)
		}
		a.Revoked = clock.now
		return sv.st.PutAccount(tx, &a, false)
	}
	rolledBack := errors.New("rolled back")
	err = sv.st.db.Update(func(tx *Tx) error {
		if err := revoke(tx); err != nil {
			return err
		}
		if _, err := sv.accountStanding(tx, by.Account); !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("the revocation inside its own write: %v", err)
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	if _, _, err := sv.Authenticate(tok.Access); err != nil {
		t.Fatalf("a revocation that rolled back was served: %v", err)
	}
	if err := sv.st.db.Update(revoke); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sv.Authenticate(tok.Access); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("revoked, then: %v", err)
	}
}

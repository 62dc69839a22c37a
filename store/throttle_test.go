package store

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

func TestLimitTake(t *testing.T) {
	t0 := time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)
	lim := Limit{Burst: 3, Every: 10 * time.Second}
	var st throttleState
	for i := 0; i < 3; i++ {
		var ok bool
		if st, _, ok = lim.take(st, t0); !ok {
			t.Fatalf("attempt %d of the burst refused", i+1)
		}
	}
	_, retry, ok := lim.take(st, t0)
	if ok || !retry.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("fourth at once: ok %v, retry %v", ok, retry)
	}
	if _, _, ok := lim.take(st, t0.Add(10*time.Second)); !ok {
		t.Fatal("one more after Every")
	}
	if st2, _, ok := lim.take(st, t0.Add(time.Hour)); !ok || !st2.tat.Equal(t0.Add(time.Hour+10*time.Second)) {
		t.Fatalf("after a long pause the burst is whole again: %v %v", ok, st2.tat)
	}
}

func TestAddressKey(t *testing.T) {
	for _, tt := range []struct{ from, want string }{
		{"192.0.2.7:5123", "192.0.2.7"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::"},
		{"[2001:db8:1:2:ffff::1]:1", "2001:db8:1:2::"},
		{"[::ffff:192.0.2.7]:1", "192.0.2.7"},
		{"not an address", "not an address"},
	} {
		if got := addressKey(tt.from); got != tt.want {
			t.Errorf("addressKey(%q) = %q, want %q", tt.from, got, tt.want)
		}
	}
}

// signInServer is a server with one student account, on clock.
func signInServer(t *testing.T) (*Server, *testClock) {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)}
	sv := mustServer(t, clock)
	if _, err := sv.st.RegisterStudent(account.Registration{UserID: "zoe", Password: "password 12345",
		GivenNames: "Zoé", FamilyName: "Gagnon", AcceptTerms: true, Questions: testQuestions}); err != nil {
		t.Fatal(err)
	}
	return sv, clock
}

func tooMany(t *testing.T, err error) time.Time {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != sync.ErrTooMany || len(e.Args) != 1 {
		t.Fatalf("want %s with a time, got %v", sync.ErrTooMany, err)
	}
	return e.Args[0].(time.Time)
}

// TestSignInFloodFromOneAddress: an address over its limit is refused
// without the password being checked or counted, the refusals are
// counted in memory and not audited, and the owner at another address signs in; when the
// address's window has passed it is served again.
func TestSignInFloodFromOneAddress(t *testing.T) {
	sv, clock := signInServer(t)
	sv.opt.AccountLimit = Limit{Burst: 1000, Every: time.Millisecond}
	users := []string{"a1", "b2", "c3", "d4", "e5", "f6"}
	for i := 0; i < DefaultAddressLimit.Burst; i++ {
		if _, err := sv.SignIn(users[i%len(users)], "guess", domain.ID{}, "", "198.51.100.9:4000"); !errors.Is(err, account.ErrSignInFailed) &&
			!errors.Is(err, account.ErrDelinked) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	for i := 0; i < 50; i++ {
		retry := tooMany(t, mustFail(sv.SignIn("zoe", "password 12345", domain.ID{}, "", "198.51.100.9:4001")))
		if want := clock.Now().Add(DefaultAddressLimit.Every); !retry.Equal(want) {
			t.Fatalf("retry at %v, want %v", retry, want)
		}
	}
	if n := countAudit(t, sv, "refused.signin"); n != 0 {
		t.Fatalf("%d audit entries for refusals without sign-in, want none", n)
	}
	if n := sv.TakeRefusalCounts()["signin:"+string(sync.ErrTooMany)]; n != 50 {
		t.Fatalf("%d refusals counted, want 50", n)
	}
	if _, err := sv.SignIn("zoe", "password 12345", domain.ID{}, "", "203.0.113.4:5000"); err != nil {
		t.Fatalf("the owner elsewhere: %v", err)
	}
	clock.Add(DefaultAddressLimit.Every)
	if _, err := sv.SignIn("zoe", "password 12345", domain.ID{}, "", "198.51.100.9:4002"); err != nil {
		t.Fatalf("the address after its window: %v", err)
	}
}

// TestSignInFloodAgainstOneAccount: a stranger's guesses from many
// addresses de-link the account after three, as the program's rule says
// (on the server as on a desk), and are then cut off by the account's
// limit; from then on the owner's own password is refused too, until they
// enrol again with a new PIN.
func TestSignInFloodAgainstOneAccount(t *testing.T) {
	sv, clock := signInServer(t)
	var failed, delinked, limited int
	for i := 0; i < 40; i++ {
		from := "198.51.100." + string(rune('0'+i%10)) + ":1"
		_, err := sv.SignIn("zoe", "guess", domain.ID{}, "", from)
		switch domain.ErrorCode(err) {
		case account.ErrSignInFailed:
			failed++
		case account.ErrDelinked:
			delinked++
		case sync.ErrTooMany:
			limited++
		default:
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if failed != 2 || delinked != DefaultAccountLimit.Burst-2 || limited != 40-DefaultAccountLimit.Burst {
		t.Fatalf("failed %d, de-linked %d, limited %d", failed, delinked, limited)
	}
	a, err := sv.st.Account(accountOf(t, sv, "zoe"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Credential.Delinked.IsZero() || !a.Credential.PausedUntil.IsZero() {
		t.Fatalf("credential after the flood: %+v", a.Credential)
	}
	if _, err := sv.SignIn("zoe", "password 12345", domain.ID{}, "", "203.0.113.4:5000"); !errors.Is(err, sync.ErrTooMany) {
		t.Fatalf("the owner during the flood: %v", err)
	}
	clock.Add(24 * time.Hour)
	if _, err := sv.SignIn("zoe", "password 12345", domain.ID{}, "", "203.0.113.4:5000"); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the owner after the window: %v", err)
	}
}

func mustFail(_ sync.Tokens, err error) error { return err }

func accountOf(t *testing.T, sv *Server, user string) domain.ID {
	t.Helper()
	var id domain.ID
	err := sv.st.db.View(func(tx *Tx) error {
		h := sv.st.kr.Hash(hashUserID, user)
		copy(id[:], tx.Bucket(ixUserID).Get(h[:]))
		return nil
	})
	if err != nil || id.IsZero() {
		t.Fatalf("no account %q: %v", user, err)
	}
	return id
}

func countAudit(t *testing.T, sv *Server, action string) int {
	t.Helper()
	n := 0
	err := sv.st.db.View(func(tx *Tx) error {
		b := BucketOf(tx, auditBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e AuditEntry
			if err := sv.st.OpenJSON(b, k, v, &e); err != nil {
				return err
			}
			if e.Action == action {
				n++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRefreshReplayRevokesFamily: a refresh token used twice ends its
// whole line of tokens (the pair its first use gave included), and is
// audited; a forged token is refused without touching anyone's.
func TestRefreshReplayRevokesFamily(t *testing.T) {
	sv, _ := signInServer(t)
	first, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{}, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	other, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{}, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	second, err := sv.Refresh(first.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	third, err := sv.Refresh(second.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	forged := first.Refresh[:10] + "x" + first.Refresh[11:]
	if _, err := sv.Refresh(forged); !errors.Is(err, ErrTokenInvalid) && !errors.Is(err, ErrTokenReplayed) {
		t.Fatalf("forged: %v", err)
	}
	if _, _, err := sv.Authenticate(third.Access); err != nil {
		t.Fatalf("the family's live token before the replay: %v", err)
	}
	if _, err := sv.Refresh(first.Refresh); !errors.Is(err, ErrTokenReplayed) {
		t.Fatalf("replay: %v", err)
	}
	for name, tok := range map[string]string{"access": third.Access, "previous access": second.Access} {
		if _, _, err := sv.Authenticate(tok); !errors.Is(err, ErrTokenInvalid) {
			t.Fatalf("%s after the replay: %v", name, err)
		}
	}
	if _, err := sv.Refresh(third.Refresh); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("the family's refresh token after the replay: %v", err)
	}
	if _, _, err := sv.Authenticate(other.Access); err != nil {
		t.Fatalf("another sign-in's token: %v", err)
	}
	if n := countAudit(t, sv, "token.family.revoke"); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
}

// TestRegisterCountsAgainstTheAddress: enrolments guessing PINs from one
// address take from the same limit as its sign-ins; a call made in
// process (no address) is not limited.
func TestRegisterCountsAgainstTheAddress(t *testing.T) {
	sv, _ := signInServer(t)
	const from = "198.51.100.4:40000"
	guess := func(i int) error {
		cmd := sync.Command{ID: domain.ID{0xe1, byte(i)}, Kind: sync.KindEnrol, Entity: domain.ID{0xe0, byte(i)},
			Actor: domain.ID{0xe0, byte(i)}, Payload: []byte(`{"userID":"guess","pinCode":"GUESS-0000-PIN"}`)}
		_, err := sv.Register(cmd, from)
		return err
	}
	for i := range DefaultAddressLimit.Burst - 1 {
		// Refused (it carries no password hash), but not for the limit.
		if err := guess(i); !errors.Is(err, account.ErrSecretParams) {
			t.Fatalf("guess %d of the burst: %v", i+1, err)
		}
	}
	if _, err := sv.SignIn("zoe", "password 12345", domain.ID{1}, "", from); err != nil {
		t.Fatalf("the last of the burst, a sign-in: %v", err)
	}
	if err := guess(99); !errors.Is(err, sync.ErrTooMany) {
		t.Fatalf("a guess past the burst: %v", err)
	}
	if _, err := sv.SignIn("zoe", "password 12345", domain.ID{1}, "", from); !errors.Is(err, sync.ErrTooMany) {
		t.Fatalf("a sign-in past the burst: %v", err)
	}
	if _, err := sv.Register(sync.Command{Kind: sync.KindEnrol, Payload: []byte(`{}`)}, ""); errors.Is(err, sync.ErrTooMany) {
		t.Fatal("a call made in process was limited")
	}
	if n := countAudit(t, sv, "refused.register"); n != 0 {
		t.Fatalf("%d refusals of registration audited", n)
	}
	if n := sv.TakeRefusalCounts()["register:"+string(sync.ErrTooMany)]; n != 1 {
		t.Fatalf("%d refusals of registration counted", n)
	}
}

package store

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// registerCommand builds the command of a registration for user with the
// password (and answers) hashed with p, in its own name.
func registerCommand(t *testing.T, user, password string, p account.SecretParams) sync.Command {
	t.Helper()
	hash := func(s string) string {
		h, err := account.HashSecret(s, p, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	var qs [account.QuestionCount]sync.HashedAnswer
	for i, q := range testQuestions {
		qs[i] = sync.HashedAnswer{Question: q.Question, AnswerHash: hash(account.NormaliseAnswer(q.Answer))}
	}
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cmdID, _ := domain.NewID(time.Now(), rand.Reader)
	payload, _ := json.Marshal(sync.EnrolPayload{Account: id, UserID: user, GivenNames: "Eve", FamilyName: "Martin",
		Password: hash(password), Questions: qs})
	return sync.Command{ID: cmdID, Kind: KindRegister, Entity: id, Actor: id, Payload: payload}
}

// rejectedWith checks that a registration was refused with want: before
// anything was written (an error) or by the rules (a rejected answer).
func rejectedWith(t *testing.T, ans sync.Answer, err error, want domain.Code) {
	t.Helper()
	if err != nil {
		if domain.ErrorCode(err) != want {
			t.Fatalf("refused with %v, want %s", err, want)
		}
		return
	}
	if ans.Outcome != sync.Rejected || ans.Error == nil || ans.Error.Code != want {
		t.Fatalf("answer %+v, want rejected with %s", ans, want)
	}
}

// TestServerTakesOnlyItsHashParams: a registration, a security answer or
// a PIN hashed with other parameters than the server's is refused with
// account.secret.params; the same with the server's is taken.
func TestServerTakesOnlyItsHashParams(t *testing.T) {
	sv, _ := signInServer(t)
	huge := account.SecretParams{Time: 3, MemKiB: 1024, Threads: 1} // a costlier hash than the server's
	ans, err := sv.Register(registerCommand(t, "eve.huge", "Pass-word-123", huge), "")
	rejectedWith(t, ans, err, account.ErrSecretParams)

	cmd := registerCommand(t, "eve.answer", "Pass-word-123", account.TestSecretParams)
	var p sync.EnrolPayload
	json.Unmarshal(cmd.Payload, &p)
	p.Questions[2].AnswerHash, _ = account.HashSecret("answer three", huge, rand.Reader)
	cmd.Payload, _ = json.Marshal(p)
	ans, err = sv.Register(cmd, "")
	rejectedWith(t, ans, err, account.ErrSecretParams)

	ans, err = sv.Register(registerCommand(t, "eve.fine", "Pass-word-123", account.TestSecretParams), "")
	if err != nil || ans.Outcome != sync.Applied {
		t.Fatalf("a registration with the server's parameters: %+v %v", ans, err)
	}

	// A DIR's desk issuing a PIN whose hash costs more than the server's.
	hash, _ := account.HashSecret("1234-5678-9012", huge, rand.Reader)
	raw, _ := json.Marshal(sync.IssuePINPayload{PIN: account.PIN{Hash: hash, Role: account.Signatory}})
	pinID, _ := domain.NewID(time.Now(), rand.Reader)
	_, err = sv.applyAll(officer, []sync.Command{{ID: domain.ID{0xf1}, Kind: sync.KindIssuePIN, Entity: pinID,
		Actor: officer.Account, Payload: raw}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pinAns sync.Answer
	sv.st.db.View(func(tx *Tx) error { pinAns, _, err = sv.answerIn(tx, domain.ID{0xf1}); return err })
	if pinAns.Error == nil || pinAns.Error.Code != account.ErrSecretParams {
		t.Fatalf("PIN with a costlier hash: %+v", pinAns)
	}
}

// TestPasswordRuleAtSignIn: an account a hostile desk registered with an
// empty password (or one the rule forbids) never signs in, and the
// answer is a wrong password's.
func TestPasswordRuleAtSignIn(t *testing.T) {
	sv, _ := signInServer(t)
	for _, tt := range []struct{ user, password string }{{"eve.empty", ""}, {"eve.short", "abc1"},
		{"eve.letters", "onlylettershere"}} {
		ans, err := sv.Register(registerCommand(t, tt.user, tt.password, account.TestSecretParams), "")
		if err != nil || ans.Outcome != sync.Applied {
			t.Fatalf("%s: %+v %v", tt.user, ans, err)
		}
		_, err = sv.SignIn(tt.user, tt.password, domain.ID{}, "", "")
		wrong := mustFail(sv.SignIn("new."+tt.user, "password 99999", domain.ID{}, "", "")) // a first wrong try
		if !reflect.DeepEqual(sync.EncodeError(err), sync.EncodeError(wrong)) {
			t.Fatalf("%s: %v, a wrong password's is %v", tt.user, err, wrong)
		}
	}
}

// TestUnknownUserIDAnswersAsKnown: a run of wrong guesses gets the same
// answers, the de-link included, whether the user ID names an account or
// not.
func TestUnknownUserIDAnswersAsKnown(t *testing.T) {
	sv, clock := signInServer(t)
	var known, unknown []*sync.WireError
	for range 5 {
		known = append(known, sync.EncodeError(mustFail(sv.SignIn("zoe", "guess 12345", domain.ID{}, "", ""))))
		unknown = append(unknown, sync.EncodeError(mustFail(sv.SignIn("nobody", "guess 12345", domain.ID{}, "", ""))))
		clock.Add(time.Second)
	}
	for i := range known {
		k, u := *known[i], *unknown[i]
		if !reflect.DeepEqual(k, u) {
			t.Fatalf("try %d: known %+v, unknown %+v", i+1, k, u)
		}
	}
	if known[2].Code != account.ErrDelinked || known[4].Code != account.ErrDelinked {
		t.Fatalf("the third and fifth tries: %+v %+v", known[2], known[4])
	}
	// Revoked (and linked again): a wrong password is answered as any
	// other.
	zoe := accountOf(t, sv, "zoe")
	clock.Add(25 * time.Hour)
	err := sv.st.db.Update(func(tx *Tx) error {
		var a Account
		if _, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), zoe[:], &a); err != nil {
			return err
		}
		a.Revoked = clock.Now()
		a.Credential.Delinked, a.Credential.Failures = time.Time{}, 0
		return sv.st.PutAccount(tx, &a, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	revoked := mustFail(sv.SignIn("zoe", "guess 12345", domain.ID{}, "", ""))
	other := mustFail(sv.SignIn("nobody.else", "guess 12345", domain.ID{}, "", ""))
	if !reflect.DeepEqual(sync.EncodeError(revoked), sync.EncodeError(other)) {
		t.Fatalf("revoked account, wrong password: %v; unknown: %v", revoked, other)
	}
	if err := mustFail(sv.SignIn("zoe", "password 12345", domain.ID{}, "", "")); !errors.Is(err, ErrAccountRevoked) {
		t.Fatalf("revoked account, right password: %v", err)
	}
}

// TestOwnerTokenDoesNotPassTheDelink: the refresh token of the owner's
// desk lets a sign-in past the user ID's limit (which anyone can fill),
// and past nothing else. Its wrong passwords count towards the de-link
// as anyone's do, so a stolen token buys no more guesses; once the
// enrolment is de-linked, the owner's token neither signs in (the right
// password included), nor refreshes, nor authenticates.
func TestOwnerTokenDoesNotPassTheDelink(t *testing.T) {
	sv, _ := signInServer(t)
	tok, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{7}, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	// The user ID's limit, filled by the owner's own sign-ins elsewhere.
	for range DefaultAccountLimit.Burst {
		sv.SignIn("zoe", "password 12345", domain.ID{}, "", "203.0.113.9:1")
	}
	if err := mustFail(sv.SignIn("zoe", "password 12345", domain.ID{}, "", "198.51.100.1:1")); !errors.Is(err, sync.ErrTooMany) {
		t.Fatalf("the owner's password without the token, past the limit: %v", err)
	}
	if err := mustFail(sv.SignIn("zoe", "password 12345", domain.ID{}, "forged", "198.51.100.1:1")); !errors.Is(err, sync.ErrTooMany) {
		t.Fatalf("a forged token, past the limit: %v", err)
	}
	again, err := answer(sv)(sv.SignIn("zoe", "password 12345", domain.ID{7}, tok.Refresh, "198.51.100.1:1"))
	if err != nil {
		t.Fatalf("the owner's desk with its refresh token, past the limit: %v", err)
	}
	// A token thief guessing: the third wrong password de-links.
	for i := range account.DefaultPolicy.MaxFailures {
		err := mustFail(sv.SignIn("zoe", "guess 12345", domain.ID{}, again.Refresh, ""))
		if want := map[bool]domain.Code{false: account.ErrSignInFailed, true: account.ErrDelinked}[i == 2]; !errors.Is(err, want) {
			t.Fatalf("wrong password %d with the owner's token: %v", i+1, err)
		}
	}
	// (The thief's family passes the limit no more; the first sign-in's
	// still does.)
	if err := mustFail(sv.SignIn("zoe", "password 12345", domain.ID{7}, tok.Refresh, "")); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the right password with the owner's token after the de-link: %v", err)
	}
	if _, err := sv.Refresh(again.Refresh); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("a refresh after the de-link: %v", err)
	}
	if _, _, err := sv.Authenticate(again.Access); err == nil {
		t.Fatal("an access token works after the de-link")
	}
}

// TestUnsignedRefusalsAreCounted: a refusal to a caller who is not
// signed in is counted in memory, not audited; a signed-in one's is.
func TestUnsignedRefusalsAreCounted(t *testing.T) {
	sv, _ := signInServer(t)
	for range 100 {
		if err := sv.Refused(account.Actor{}, "push", domain.ID{}, ErrTokenInvalid); err != nil {
			t.Fatal(err)
		}
	}
	if n := countAudit(t, sv, "refused.push"); n != 0 {
		t.Fatalf("%d refusals without sign-in audited", n)
	}
	if got := sv.TakeRefusalCounts(); got["push:store.token.invalid"] != 100 || len(got) != 1 {
		t.Fatalf("counts %v", got)
	}
	if got := sv.TakeRefusalCounts(); len(got) != 0 {
		t.Fatalf("counted again: %v", got)
	}
	if err := sv.Refused(officer, "audit", domain.ID{1}, account.ErrForbidden); err != nil {
		t.Fatal(err)
	}
	if n := countAudit(t, sv, "refused.audit"); n != 1 {
		t.Fatalf("%d refusals of a signed-in person audited", n)
	}
}

// TestRegisterActsAsTheNewAccount: a registration in the name of another
// account is refused, and one in its own is audited under the account it
// creates.
func TestRegisterActsAsTheNewAccount(t *testing.T) {
	sv, _ := signInServer(t)
	cmd := registerCommand(t, "eve.forger", "Pass-word-123", account.TestSecretParams)
	cmd.Actor = accountOf(t, sv, "zoe")
	if _, err := sv.Register(cmd, ""); !errors.Is(err, ErrRegisterActor) {
		t.Fatalf("registration in zoe's name: %v", err)
	}
	if _, err := sv.st.Account(cmd.Entity); err == nil {
		t.Fatal("the account was created")
	}
	cmd.Actor = cmd.Entity
	if ans, err := sv.Register(cmd, ""); err != nil || ans.Outcome != sync.Applied {
		t.Fatalf("in its own name: %+v %v", ans, err)
	}
	var by []domain.ID
	sv.st.Audit(func(e AuditEntry) bool {
		if e.Action == "sync."+string(KindRegister) {
			by = append(by, e.Actor)
		}
		return true
	})
	if len(by) != 1 || by[0] != cmd.Entity {
		t.Fatalf("audited under %v, want %v", by, cmd.Entity)
	}
	// Pushed with a token, an account-creating command is refused too, by
	// its declaration (commands.go), before any rule.
	zoe, _ := sv.st.Account(accountOf(t, sv, "zoe"))
	other := registerCommand(t, "eve.pushed", "Pass-word-123", account.TestSecretParams)
	other.Actor = zoe.ID
	answers, _, err := sv.Push(zoe.Actor(), []sync.Command{other})
	if err != nil || answers[0].Error == nil || answers[0].Error.Code != ErrRegisterOnly {
		t.Fatalf("pushed: %+v %v", answers, err)
	}
}

// TestRefusedRegistrationWritesNothing: a registration the rules refuse
// (its user ID is taken) is answered, counted in memory, and leaves
// neither an audit entry nor a stored answer.
func TestRefusedRegistrationWritesNothing(t *testing.T) {
	sv, _ := signInServer(t)
	before, err := sv.VerifyAudit()
	if err != nil {
		t.Fatal(err)
	}
	cmd := registerCommand(t, "zoe", "Pass-word-123", account.TestSecretParams)
	ans, err := sv.Register(cmd, "")
	rejectedWith(t, ans, err, account.ErrUserIDTaken)
	after, err := sv.VerifyAudit()
	if err != nil || after.Entries != before.Entries {
		t.Fatalf("audit entries %d, then %d (%v)", before.Entries, after.Entries, err)
	}
	err = sv.st.db.View(func(tx *Tx) error {
		if _, found, err := sv.answerIn(tx, cmd.ID); err != nil || found {
			t.Errorf("an answer was stored: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := sv.TakeRefusalCounts(); got["sync.account.register:account.user-id.taken"] != 1 {
		t.Fatalf("counts %v", got)
	}
}

// TestServerCleansQuestions: a security question's text sent by a desk is
// the person's own and is kept: one of megabytes is refused before
// anything is written, and invisible characters are stripped as the desk
// strips them.
func TestServerCleansQuestions(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 10, 1, 13, 0, 0, 0, time.UTC)}
	sv := mustServer(t, clock)
	cmd := registerCommand(t, "eve.question", "Pass-word-123", account.TestSecretParams)
	var p sync.EnrolPayload
	json.Unmarshal(cmd.Payload, &p)
	p.Questions[2].Question = strings.Repeat("why? ", 400_000)
	cmd.Payload, _ = json.Marshal(p)
	ans, err := sv.Register(cmd, "")
	rejectedWith(t, ans, err, domain.ErrTextTooLong)

	cmd = registerCommand(t, "eve.question", "Pass-word-123", account.TestSecretParams)
	json.Unmarshal(cmd.Payload, &p)
	p.Questions[2].Question = "First\u202e  pet?"
	cmd.Payload, _ = json.Marshal(p)
	if ans, err := sv.Register(cmd, ""); err != nil || ans.Outcome != sync.Applied {
		t.Fatalf("a question with an override character: %+v %v", ans, err)
	}
	a, err := sv.st.Account(cmd.Entity)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Questions[2].Question; got != "First pet?" {
		t.Fatalf("kept %q", got)
	}
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
)

// The attacks on sign-in, registration and passwords, each against a real
// dossierd over TLS (startHostile): the refusal's status and code, and
// the server still serving the real person afterwards.

// testHashes hashes password and hostileQuestions' answers as a desk of
// the tests does (account.TestSecretParams, the test server's).
func testHashes(t testing.TB, password string) (string, [account.QuestionCount]sync.HashedAnswer) {
	t.Helper()
	var qs [account.QuestionCount]sync.HashedAnswer
	hash := func(s string) string {
		h, err := account.HashSecret(s, account.TestSecretParams, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for i, q := range hostileQuestions {
		qs[i] = sync.HashedAnswer{Question: q.Question, AnswerHash: hash(account.NormaliseAnswer(q.Answer))}
	}
	return hash(password), qs
}

// registerCmd is a student's registration of user, with the password
// hashed already (pwHash), in its own name.
func registerCmd(t testing.TB, user, pwHash string, qs [account.QuestionCount]sync.HashedAnswer) sync.Command {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cmdID, _ := domain.NewID(time.Now(), rand.Reader)
	payload, _ := json.Marshal(sync.EnrolPayload{Account: id, UserID: user, GivenNames: "Eve", FamilyName: "Martin",
		Password: pwHash, Questions: qs, At: time.Now()})
	return sync.Command{ID: cmdID, Kind: store.KindRegister, Entity: id, Actor: id, Device: domain.ID{9},
		HLC: sync.MakeHLC(time.Now(), 0), Payload: payload}
}

// applied checks that a /v1/register answer is an applied command.
func applied(t *testing.T, a answer) {
	t.Helper()
	var ans sync.Answer
	if a.status != 200 || json.Unmarshal(a.body, &ans) != nil || ans.Outcome != sync.Applied {
		t.Fatalf("HTTP %d %s", a.status, a.body)
	}
}

// stillServes checks that the server answers the real person: tok (a
// sign-in of the DIR) reads the change feed.
func (hs *hostileServer) stillServes(t *testing.T, tok sync.Tokens) {
	t.Helper()
	if a := hs.call("GET", "/v1/changes?limit=1", tok.Access, nil); a.status != 200 {
		t.Fatalf("the DIR's pull afterwards: HTTP %d %s", a.status, a.code)
	}
}

// TestAttackHugeHashParams: a desk sends a password hash of 256 MiB × 10
// passes (seconds and a quarter gigabyte at each check): refused at the
// door, without the hash ever being computed, as is a PIN whose hash is
// costlier than the server's and a security answer's.
func TestAttackHugeHashParams(t *testing.T) {
	hs := startHostile(t, connBounds{})
	tok, a := hs.signIn(hostileUser, hostilePassword)
	if a.status != 200 {
		t.Fatalf("sign-in: HTTP %d", a.status)
	}
	const huge = "$argon2id$v=19$m=262144,t=10,p=1$c2FsdHNhbHRzYWx0c2FsdA$8hPSnpm1wHn2oYm6Pyvv3Aj9TYqlgCIMZk0Y8wW2e9s"
	pw, qs := testHashes(t, "Pass-word-123")
	start := time.Now()
	a = hs.call("POST", "/v1/register", "", registerCmd(t, "eve.huge", huge, qs))
	if a.status != http.StatusBadRequest || a.code != account.ErrSecretParams {
		t.Fatalf("a huge password hash: HTTP %d %s", a.status, a.code)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("the refusal took %v: the hash was computed", took)
	}
	cheap := strings.Replace(pw, "m=64,", "m=8,", 1) // cheaper than the server's is refused too
	if a := hs.call("POST", "/v1/register", "", registerCmd(t, "eve.cheap", cheap, qs)); a.status != http.StatusBadRequest ||
		a.code != account.ErrSecretParams {
		t.Fatalf("a cheaper password hash: HTTP %d %s", a.status, a.code)
	}
	bad := qs
	bad[3].AnswerHash = huge
	if a := hs.call("POST", "/v1/register", "", registerCmd(t, "eve.answer", pw, bad)); a.status != http.StatusBadRequest ||
		a.code != account.ErrSecretParams {
		t.Fatalf("a huge answer hash: HTTP %d %s", a.status, a.code)
	}
	// The DIR's desk issues a signatory's PIN with the huge hash.
	var me store.PublicAccount
	json.Unmarshal(tok.Account, &me)
	pinID, _ := domain.NewID(time.Now(), rand.Reader)
	pin := account.PIN{ID: pinID, Hash: huge, Org: me.Org, Role: account.Signatory, IssuedBy: me.ID,
		FamilyName: "Roy", Issued: time.Now(), Expires: time.Now().Add(time.Hour)}
	payload, _ := json.Marshal(sync.IssuePINPayload{PIN: pin})
	cmd := sync.Command{ID: domain.ID{1, 2, 3}, Kind: sync.KindIssuePIN, Entity: pin.ID, Actor: me.ID,
		Device: domain.ID{9}, HLC: sync.MakeHLC(time.Now(), 0), Payload: payload}
	a = hs.call("POST", "/v1/push", tok.Access, sync.PushRequest{Commands: []sync.Command{cmd}})
	var pr sync.PushResponse
	if a.status != 200 || json.Unmarshal(a.body, &pr) != nil || len(pr.Answers) != 1 {
		t.Fatalf("push: HTTP %d %s", a.status, a.body)
	}
	if ans := pr.Answers[0]; ans.Outcome != sync.Rejected || ans.Error.Code != account.ErrSecretParams {
		t.Fatalf("a PIN with a huge hash: %+v %+v", ans, ans.Error)
	}
	// The server's own parameters are taken, and the account signs in.
	applied(t, hs.call("POST", "/v1/register", "", registerCmd(t, "eve.fine", pw, qs)))
	if _, a := hs.signIn("eve.fine", "Pass-word-123"); a.status != 200 {
		t.Fatalf("the fine registration's sign-in: HTTP %d %s", a.status, a.code)
	}
	hs.stillServes(t, tok)
}

// TestAttackEmptyPassword: a hostile desk registers an account whose
// hash is of an empty password (or of one the rule forbids): the server
// cannot see the password in a hash, but it never signs in, and the
// answer is a wrong password's.
func TestAttackEmptyPassword(t *testing.T) {
	hs := startHostile(t, connBounds{})
	tok, _ := hs.signIn(hostileUser, hostilePassword)
	for _, tt := range []struct{ user, password string }{{"eve.empty", ""}, {"eve.weak", "abcdefghijkl"}} {
		pw, qs := testHashes(t, tt.password)
		applied(t, hs.call("POST", "/v1/register", "", registerCmd(t, tt.user, pw, qs)))
		_, a := hs.signIn(tt.user, tt.password)
		_, wrong := hs.signIn("new."+tt.user, "Wrong-pass-1") // an unknown user ID's first try
		if a.status != http.StatusUnauthorized || a.code != account.ErrSignInFailed || string(a.body) != string(wrong.body) {
			t.Fatalf("%s: HTTP %d %s, a wrong password's: HTTP %d %s", tt.user, a.status, a.body, wrong.status, wrong.body)
		}
	}
	hs.stillServes(t, tok)
}

// TestAttackBadTokenFlood: 2,000 requests with no token or a made-up one
// get 401 and cost the server no durable write: the audit trail does not
// grow by one entry; they are counted in memory and the count logged.
func TestAttackBadTokenFlood(t *testing.T) {
	hs := startHostile(t, connBounds{})
	tok, _ := hs.signIn(hostileUser, hostilePassword)
	const flood = 2000
	for i := range flood {
		token := ""
		if i%2 == 1 {
			token = "made-up-" + strings.Repeat("A", i%40)
		}
		a := hs.call("GET", "/v1/changes", token, nil)
		if a.status != http.StatusUnauthorized || (a.code != sync.ErrTokenExpired && a.code != sync.ErrSignInNeeded) {
			t.Fatalf("request %d: HTTP %d %s", i, a.status, a.code)
		}
	}
	if a := hs.call("POST", "/v1/refresh", "", sync.RefreshRequest{Refresh: "made-up"}); a.status != http.StatusUnauthorized {
		t.Fatalf("a made-up refresh token: HTTP %d", a.status)
	}
	hs.stillServes(t, tok)
	hs.stop()
	sv, err := programs.OpenServer(hs.dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	entries, refusals := 0, 0
	if err := sv.Store().Audit(func(e store.AuditEntry) bool {
		entries++
		if strings.HasPrefix(e.Action, "refused.") {
			refusals++
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if refusals != 0 || entries > 50 {
		t.Fatalf("the audit trail holds %d entries, %d of them refusals, after the flood", entries, refusals)
	}
	// The counts, in the server's log at its stop.
	var line map[string]any
	for l := range strings.Lines(hs.logs.String()) {
		if strings.Contains(l, `"refused without sign-in"`) {
			json.Unmarshal([]byte(l), &line)
		}
	}
	got := func(k string) int { n, _ := line[k].(float64); return int(n) }
	if got("changes:"+string(sync.ErrSignInNeeded))+got("changes:"+string(store.ErrTokenInvalid)) != flood ||
		got("refresh:"+string(store.ErrTokenInvalid)) != 1 {
		t.Fatalf("the logged counts: %v", line)
	}
}

// TestAttackRegisterAsAnotherActor: a registration sent through
// /v1/register in the DIR's name (its Actor) is refused, creates nothing
// and writes nothing; in its own name it is taken and audited under the
// account it creates.
func TestAttackRegisterAsAnotherActor(t *testing.T) {
	hs := startHostile(t, connBounds{})
	tok, _ := hs.signIn(hostileUser, hostilePassword)
	var dir store.PublicAccount
	json.Unmarshal(tok.Account, &dir)
	pw, qs := testHashes(t, "Pass-word-123")
	cmd := registerCmd(t, "eve.forger", pw, qs)
	cmd.Actor = dir.ID
	if a := hs.call("POST", "/v1/register", "", cmd); a.status != http.StatusForbidden || a.code != store.ErrRegisterActor {
		t.Fatalf("a registration in the DIR's name: HTTP %d %s", a.status, a.code)
	}
	if _, a := hs.signIn("eve.forger", "Pass-word-123"); a.status != http.StatusUnauthorized {
		t.Fatalf("the refused registration signs in: HTTP %d", a.status)
	}
	own := registerCmd(t, "eve.honest", pw, qs)
	applied(t, hs.call("POST", "/v1/register", "", own))
	hs.stillServes(t, tok)
	hs.stop()
	sv, err := programs.OpenServer(hs.dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	var byDIR, byNew int
	sv.Store().Audit(func(e store.AuditEntry) bool {
		if e.Action == "sync."+string(store.KindRegister) {
			switch e.Actor {
			case dir.ID:
				byDIR++
			case own.Entity:
				byNew++
			}
		}
		return true
	})
	if byDIR != 0 || byNew != 1 {
		t.Fatalf("registrations audited under the DIR: %d, under the new account: %d", byDIR, byNew)
	}
}

// TestAttackUserEnumeration: wrong guesses for an account's user ID and
// for one no account holds get the same answers, the de-link included,
// and take the same time (medians over the runs, within a tolerance).
func TestAttackUserEnumeration(t *testing.T) {
	hs := startHostile(t, connBounds{})
	tok, _ := hs.signIn(hostileUser, hostilePassword)
	const victim = "eve.victim"
	pw, qs := testHashes(t, "Victim-pass-1")
	applied(t, hs.call("POST", "/v1/register", "", registerCmd(t, victim, pw, qs)))
	var knownT, unknownT []time.Duration
	for i := range store.DefaultAccountLimit.Burst - 1 {
		timed := func(user string) (answer, time.Duration) {
			start := time.Now()
			_, a := hs.signIn(user, "Wrong-pass-1")
			return a, time.Since(start)
		}
		// Alternate which goes first, so that neither always meets a warm
		// connection or an idle core.
		var k, u answer
		var kt, ut time.Duration
		if i%2 == 0 {
			k, kt = timed(victim)
			u, ut = timed("no.such.person")
		} else {
			u, ut = timed("no.such.person")
			k, kt = timed(victim)
		}
		knownT, unknownT = append(knownT, kt), append(unknownT, ut)
		var ke, ue sync.ErrorResponse
		json.Unmarshal(k.body, &ke)
		json.Unmarshal(u.body, &ue)
		if k.status != u.status || ke.Error.Code != ue.Error.Code || len(ke.Error.Args) != len(ue.Error.Args) {
			t.Fatalf("try %d: known HTTP %d %s, unknown HTTP %d %s", i+1, k.status, k.body, u.status, u.body)
		}
		if len(ke.Error.Args) == 1 && ke.Error.Args[0].Int != nil && *ke.Error.Args[0].Int != *ue.Error.Args[0].Int {
			t.Fatalf("try %d: tries left %d and %d", i+1, *ke.Error.Args[0].Int, *ue.Error.Args[0].Int)
		}
		if i >= 2 && ke.Error.Code != account.ErrDelinked {
			t.Fatalf("try %d: %s, want the de-link", i+1, ke.Error.Code)
		}
	}
	// The fastest of each: a check's own cost shows in every try, while a
	// busy machine (CI's race run, other tests) only ever adds time, so
	// the minimum is what a timing attacker would learn from.
	km, um := slices.Min(knownT), slices.Min(unknownT)
	t.Logf("fastest known %v, unknown %v", km, um)
	// The server's parameters here are the tests' (64 KiB, microseconds):
	// a dummy check with other parameters (the production ones, tens of
	// milliseconds) would show; loopback and a shared machine add a few.
	if diff := (km - um).Abs(); diff > 15*time.Millisecond && diff > max(km, um)/2 {
		t.Fatalf("known user ID: fastest %v, unknown: %v", km, um)
	}
	hs.stillServes(t, tok)
}

// TestAttackDelinkTheOwner: a stranger's three wrong passwords de-link
// the DIR's enrolment, as the program's rule says, on the server as on a
// desk; the DIR's desk, which holds the DIR's refresh token, is refused
// with the right password and can no longer pull: the token is no way
// around the de-link. Only a new PIN lets the DIR back in.
func TestAttackDelinkTheOwner(t *testing.T) {
	hs := startHostile(t, connBounds{})
	ctx := context.Background()
	owner := hs.desk("owner")
	if err := owner.c.SignIn(ctx, domain.ID{}, hostileUser, hostilePassword); err != nil {
		t.Fatal(err)
	}
	dirID := owner.c.Account()
	for i := range account.DefaultPolicy.MaxFailures {
		_, a := hs.signIn(hostileUser, "Wrong-pass-1")
		want := map[bool]domain.Code{false: account.ErrSignInFailed, true: account.ErrDelinked}[i == 2]
		if a.status != http.StatusUnauthorized || a.code != want {
			t.Fatalf("wrong guess %d: HTTP %d %s", i+1, a.status, a.code)
		}
	}
	if _, a := hs.signIn(hostileUser, hostilePassword); a.status != http.StatusUnauthorized || a.code != account.ErrDelinked {
		t.Fatalf("the right password without the owner's token: HTTP %d %s", a.status, a.code)
	}
	if err := owner.c.SignIn(ctx, dirID, hostileUser, hostilePassword); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the owner's desk with its token after the de-link: %v", err)
	}
	if _, err := owner.c.Pull(ctx, 0); domain.ErrorCode(err).Kind() != domain.KindUnauthorized {
		t.Fatalf("the owner's desk pulls after the de-link: %v", err)
	}
	if a := hs.call("GET", "/healthz", "", nil); a.status != 200 {
		t.Fatalf("healthz: HTTP %d", a.status)
	}
}

package client_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// api calls the server as a hostile or curious client would, with a raw
// token.
type api struct {
	t   *testing.T
	ts  *testServer
	tok string
}

func signInRaw(t *testing.T, ts *testServer, user string) *api {
	t.Helper()
	tok := rawSignIn(t, ts, sync.SignInRequest{UserID: user, Password: password})
	return &api{t: t, ts: ts, tok: tok.Access}
}

func rawCall(t *testing.T, ts *testServer, method, path, tok string, in, out any) int {
	t.Helper()
	var body bytes.Buffer
	if in != nil {
		json.NewEncoder(&body).Encode(in)
	}
	req, _ := http.NewRequest(method, ts.URL+path, &body)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := ts.hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func (a *api) call(method, path string, in, out any) int {
	return rawCall(a.t, a.ts, method, path, a.tok, in, out)
}

// feed reads the whole change feed a person may see.
func (a *api) feed() []sync.Change {
	var all []sync.Change
	var after uint64
	for {
		var page sync.ChangesResponse
		if code := a.call("GET", fmt.Sprintf("/v1/changes?after=%d&epoch=%s", after, a.ts.sv.Epoch()), nil, &page); code != 200 {
			a.t.Fatalf("feed: HTTP %d", code)
		}
		all = append(all, page.Changes...)
		if !page.More {
			return all
		}
		after = page.Next
	}
}

// TestAccessControlOnTheServer: a school's staff cannot read or act on
// another school's requests through any endpoint, the change feed
// included; a student cannot read another's; an expired token, a
// de-linked account and a missing token get 401; each refusal is audited.
func TestAccessControlOnTheServer(t *testing.T) {
	f := newFixture(t)
	mine := f.raised(1)[0]
	otherSchool, pinB := f.ts.school("B02", "Lakeview College")
	dirB := newDesk(t, f.ts, "dirB")
	dirB.enrolDIR("dir.b", pinB)
	stu2 := newDesk(t, f.ts, "student2")
	stu2.student("eleve2", "Noah", "Tremblay")
	theirs := stu2.raise(otherSchool.ID, 3)
	stu2.sync()

	sigA := signInRaw(t, f.ts, "sig.a")
	// Read another school's request directly.
	if code := sigA.call("GET", "/v1/requests/"+theirs.ID.String(), nil, nil); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Fatalf("school A read school B's request: HTTP %d", code)
	}
	if code := sigA.call("GET", "/v1/requests/"+mine.ID.String(), nil, nil); code != 200 {
		t.Fatalf("school A cannot read its own request: HTTP %d", code)
	}
	// The feed carries nothing of school B, nor the other student.
	for _, c := range sigA.feed() {
		if c.ID == theirs.ID || c.ID == stu2.by.Account {
			t.Fatalf("school A's feed carries %s %s", c.Kind, c.ID)
		}
	}
	// Act on it through push: refused by the rules, nothing changes.
	payload, _ := json.Marshal(sync.ApplyPayload{Action: ens.Action{Function: ens.Reject, Reason: "nope, not ours"}, At: time.Now()})
	cmd := sync.Command{ID: domain.ID{1, 2, 3}, Kind: sync.KindApplyFunction, Entity: theirs.ID, Actor: f.sig.by.Account,
		Device: domain.ID{9}, HLC: sync.MakeHLC(time.Now(), 0), Payload: payload}
	var pr sync.PushResponse
	if code := sigA.call("POST", "/v1/push", sync.PushRequest{Commands: []sync.Command{cmd}}, &pr); code != 200 {
		t.Fatalf("push: HTTP %d", code)
	}
	if len(pr.Answers) != 1 || pr.Answers[0].Outcome != sync.Rejected || pr.Answers[0].Error.Code != ens.ErrOtherSchool {
		t.Fatalf("acting on school B: %+v", pr.Answers)
	}
	if pr.Answers[0].Current != nil {
		t.Fatal("the refusal sent school B's record to school A")
	}
	if r, _ := f.ts.sv.Request(stu2.by, theirs.ID); r.Status != ens.New {
		t.Fatalf("school B's request changed: %v", r.Status)
	}
	// A command in someone else's name.
	cmd.ID, cmd.Actor = domain.ID{1, 2, 4}, dirB.by.Account
	sigA.call("POST", "/v1/push", sync.PushRequest{Commands: []sync.Command{cmd}}, &pr)
	if pr.Answers[0].Error.Code != sync.ErrNotSame {
		t.Fatalf("command in another's name: %+v", pr.Answers[0])
	}

	// A student cannot read another student's request, nor see it in the feed.
	stu1 := signInRaw(t, f.ts, "eleve1")
	if code := stu1.call("GET", "/v1/requests/"+theirs.ID.String(), nil, nil); code == 200 {
		t.Fatal("a student read another student's request")
	}
	for _, c := range stu1.feed() {
		if c.Kind == sync.EntityRequest && c.ID != mine.ID {
			t.Fatalf("student's feed carries request %s", c.ID)
		}
	}

	// No token, a made-up token: 401.
	for _, tok := range []string{"", "made-up"} {
		if code := rawCall(t, f.ts, "GET", "/v1/changes", tok, nil, nil); code != http.StatusUnauthorized {
			t.Fatalf("token %q: HTTP %d", tok, code)
		}
	}
	// Three wrong passwords (anyone's) de-link the account on the server,
	// as on a desk: the right password is refused, and so is the owner's
	// desk, signed in before, with the refresh token it holds.
	for i := 0; i < 3; i++ {
		rawCall(t, f.ts, "POST", "/v1/signin", "", sync.SignInRequest{UserID: "eleve2", Password: "wrong-password-1"}, nil)
	}
	if _, err := f.ts.sv.SignIn("eleve2", password, domain.ID{}, "", ""); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the right password after three failures: %v", err)
	}
	if err := stu2.c.SignIn(t.Context(), stu2.by.Account, "eleve2", password); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the owner's desk after the de-link: %v", err)
	}
	if _, err := stu2.c.Pull(t.Context(), 0); domain.ErrorCode(err).Kind() != domain.KindUnauthorized {
		t.Fatalf("the owner's desk pulls after the de-link: %v", err)
	}
	// A revoked account's token stops working.
	if err := f.dir.st.RevokeSignatory(f.dir.by, f.sig.by.Account); err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	if _, err := f.sig.c.Pull(t.Context(), 0); domain.ErrorCode(err).Kind() != domain.KindUnauthorized {
		t.Fatalf("a revoked account still pulls: %v", err)
	}
	// Every refusal is in the server's audit trail.
	refusals := map[string]int{}
	err := f.ts.sv.Store().Audit(func(e store.AuditEntry) bool {
		if strings.HasPrefix(e.Action, "refused") {
			refusals[e.Action]++
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"refused.request", "refused.sync.ens.apply", "refused.push", "refused.changes"} {
		if refusals[want] == 0 {
			t.Errorf("no audit entry %q in %v", want, refusals)
		}
	}
}

// TestExpiredToken: an access token past its lifetime gets 401; the
// client renews it with its refresh token and goes on.
func TestExpiredToken(t *testing.T) {
	f := newFixture(t)
	f.ts.stop()
	f.ts.opt.AccessTTL = time.Second
	f.ts.start()
	a := signInRaw(t, f.ts, "dir.a")
	time.Sleep(1100 * time.Millisecond)
	if code := a.call("GET", "/v1/changes", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("expired token: HTTP %d", code)
	}
	if err := f.dir.c.Sync(t.Context()); err != nil {
		t.Fatalf("client did not renew: %v", err)
	}
}

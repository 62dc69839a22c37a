package client_test

import (
	"encoding/json"
	"errors"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// TestBulkAssignThroughTheServer: the DIR assigns N requests at once to
// the signatory; the server applies each (one command per request) and
// the signatory's desk sees every one assigned to them. One request the
// student withdrew meanwhile is refused by the server: the DIR's desk puts
// it back as the server has it and keeps the refusal against that
// request, with its coded reason, for the queue to show on its row.
func TestBulkAssignThroughTheServer(t *testing.T) {
	f := newFixture(t)
	const n = 6
	reqs := f.raised(n)
	ids := make([]domain.ID, n)
	for i, r := range reqs {
		ids[i] = r.ID
	}
	// The student withdraws the last one; the DIR's desk has not heard.
	gone := reqs[n-1]
	if _, err := f.stu.st.Act(f.stu.by, gone.ID, ens.Action{Function: ens.Withdraw}, 0); err != nil {
		t.Fatal(err)
	}
	f.stu.sync()

	done, refused, err := f.dir.st.ActMany(f.dir.by, ids, ens.Action{Function: ens.Assign, Assignee: f.sig.by.Account})
	if err != nil || len(done) != n || len(refused) != 0 {
		t.Fatalf("bulk assign on the desk: %d done, %v refused, %v", len(done), refused, err)
	}
	pending, err := f.dir.st.PendingFor(f.dir.by.Account, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != n {
		t.Fatalf("%d commands in the outbox for %d requests", len(pending), n)
	}
	f.dir.sync()

	// The server applied every assignment but the withdrawn request's.
	for _, r := range reqs[:n-1] {
		got, err := f.ts.sv.Request(f.dir.by, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Assignee != f.sig.by.Account {
			t.Fatalf("request %s on the server: assignee %v, want the signatory", r.ID, got.Assignee)
		}
	}
	// The signatory's desk sees them assigned to them.
	f.sig.sync()
	for _, r := range reqs[:n-1] {
		if got := f.sig.request(r.ID); got.Assignee != f.sig.by.Account {
			t.Fatalf("request %s on the signatory's desk: assignee %v", r.ID, got.Assignee)
		}
	}
	// The refused one: as the server has it on the DIR's desk, and the
	// refusal kept against it, for the DIR.
	if got := f.dir.request(gone.ID); got.Status != ens.Withdrawn || !got.Assignee.IsZero() {
		t.Fatalf("the refused request on the DIR's desk: %v, assignee %v", got.Status, got.Assignee)
	}
	rej, err := f.dir.st.Rejections(f.dir.by)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 1 || rej[0].Entity != gone.ID || rej[0].Kind != sync.KindApplyFunction ||
		rej[0].Error == nil || rej[0].Error.Code != ens.ErrNotInStatus {
		t.Fatalf("rejections on the DIR's desk: %+v", rej)
	}
	refusals, err := f.dir.st.Refused(f.dir.by)
	if err != nil {
		t.Fatal(err)
	}
	if err := refusals[gone.ID]; !errors.Is(err, ens.ErrNotInStatus) || len(refusals) != 1 {
		t.Fatalf("the refusals the queue shows: %v", refusals)
	}
	// Nothing waits: the DIR's choice was applied or shown refused.
	if pending, _ := f.dir.st.PendingFor(f.dir.by.Account, 100); len(pending) != 0 {
		t.Fatalf("%d commands still waiting", len(pending))
	}
}

// TestDelinkFromAnotherDesk: the signatory works at their desk, then
// signs in on a second computer; three wrong passwords there de-link the
// enrolment there, and that desk tells the server, which refuses the same
// credentials from everywhere: the signatory's first desk is locked out
// at its next sync and locks the account there, and the DIR's desk sees
// the enrolment de-linked. The DIR issues a new PIN; the signatory enrols
// with it online, from the first desk: the same account, its audit trail
// and the request assigned to it kept; the tokens of before the de-link
// are dead; and the second computer, told of the new enrolment, signs the
// person in through the server with the new password. Three wrong
// passwords at the server itself de-link the enrolment as well.
func TestDelinkFromAnotherDesk(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	sigID := f.sig.by.Account
	// History: the signatory saves a note on a request assigned to them.
	r := f.raised(1)[0]
	if _, err := f.dir.st.Act(f.dir.by, r.ID, ens.Action{Function: ens.Assign, Assignee: sigID}, 0); err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	f.sig.sync()
	if _, err := f.sig.st.Act(f.sig.by, r.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Called the student"}}, 0); err != nil {
		t.Fatal(err)
	}
	f.sig.sync()
	before := auditedUnder(t, f.ts, sigID)
	if before == 0 {
		t.Fatal("nothing audited under the signatory")
	}
	oldState, err := f.sig.st.SyncState()
	if err != nil || oldState.Refresh == "" {
		t.Fatalf("the signatory's desk holds no refresh token: %v", err)
	}

	// A second computer: the signatory signs in there through the server.
	laptop := newDesk(t, f.ts, "laptop")
	if _, _, err := laptop.st.SignIn("sig.a", password); !errors.Is(err, store.ErrNotOnThisDesk) {
		t.Fatalf("a new computer: %v", err)
	}
	if err := laptop.c.SignIn(ctx, domain.ID{}, "sig.a", password); err != nil {
		t.Fatal(err)
	}
	laptop.signedIn("sig.a")
	if err := laptop.c.SignOut(); err != nil { // logging out forgets the tokens
		t.Fatal(err)
	}
	// Three wrong passwords there: de-linked there, and the report sent.
	for i := range 3 {
		_, _, err := laptop.st.SignIn("sig.a", "wrong password 1")
		if want := map[bool]domain.Code{false: account.ErrSignInFailed, true: account.ErrDelinked}[i == 2]; !errors.Is(err, want) {
			t.Fatalf("wrong password %d on the laptop: %v", i+1, err)
		}
	}
	if n, err := laptop.c.PushUnsigned(ctx); err != nil || n != 1 {
		t.Fatalf("the de-link report: %d sent, %v", n, err)
	}
	if rej, _ := laptop.st.Rejections(account.Actor{Account: sigID}); len(rej) != 0 {
		t.Fatalf("the server refused the report: %+v", rej[0].Error)
	}

	// The server refuses the right password, from anywhere.
	if _, err := f.ts.sv.SignIn("sig.a", password, domain.ID{}, "", ""); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the right password at the server after the de-link: %v", err)
	}
	// The first desk, still signed in, is refused at its next sync, and
	// locks the account there.
	if err := f.sig.c.Sync(ctx); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the first desk's sync after the de-link: %v", err)
	}
	if _, _, err := f.sig.st.SignIn("sig.a", password); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the first desk's sign-in after the de-link: %v", err)
	}
	// The DIR's desk reads it in the feed.
	f.dir.sync()
	if a, err := f.dir.st.Account(sigID); err != nil || a.Credential.Delinked.IsZero() {
		t.Fatalf("the DIR's desk does not see the de-link: %+v %v", a.Credential, err)
	}

	// A new PIN from the DIR; the signatory enrols with it online.
	code, _, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID,
		GivenNames: "Dana", FamilyName: "Roy-sig"})
	if err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	const newPassword = "a new password 2"
	en := account.Enrolment{UserID: "sig.a", Password: newPassword, GivenNames: "Dana", FamilyName: "Roy-sig",
		PIN: code, AcceptTerms: true, Questions: questions}
	if _, err := f.sig.st.Enrol(en); !errors.Is(err, account.ErrPINUnknown) && err != nil {
		t.Fatalf("the enrolment on the desk: %v", err)
	}
	if err := f.sig.c.Enrol(ctx, en); err != nil {
		t.Fatalf("the enrolment online: %v", err)
	}
	_, a, err := f.sig.st.SignIn("sig.a", newPassword)
	if err != nil {
		t.Fatalf("the sign-in with the new password: %v", err)
	}
	if a.ID != sigID {
		t.Fatalf("enrolled again as %v, was %v", a.ID, sigID)
	}
	f.sig.by = a.Actor()
	f.sig.sync()
	// The same person: history and work kept.
	if after := auditedUnder(t, f.ts, sigID); after <= before {
		t.Fatalf("audit entries under the signatory: %d before, %d after", before, after)
	}
	if got := f.sig.request(r.ID); got.Assignee != sigID || got.Notes != "Called the student" {
		t.Fatalf("the request they worked on: assignee %v, notes %q", got.Assignee, got.Notes)
	}
	f.dir.sync()
	if a, err := f.dir.st.Account(sigID); err != nil || !a.Credential.Delinked.IsZero() {
		t.Fatalf("the DIR's desk still sees the enrolment de-linked: %+v %v", a.Credential, err)
	}
	if _, err := f.ts.sv.Engine().Refresh(oldState.Refresh); err == nil {
		t.Fatal("a refresh token from before the de-link still works")
	}
	// The laptop learns of the new enrolment (through the DIR's school
	// feed, read by whoever syncs there) and asks the server.
	laptop.by = f.dir.by
	if err := laptop.c.SignIn(ctx, f.dir.by.Account, "dir.a", password); err == nil {
		laptop.sync()
	}
	if _, _, err := laptop.st.SignIn("sig.a", newPassword); !errors.Is(err, store.ErrNotOnThisDesk) {
		t.Fatalf("the laptop, told of the new enrolment: %v", err)
	}
	if err := laptop.c.SignIn(ctx, domain.ID{}, "sig.a", newPassword); err != nil {
		t.Fatal(err)
	}
	if _, a, err := laptop.st.SignIn("sig.a", newPassword); err != nil || a.ID != sigID {
		t.Fatalf("the laptop's sign-in with the new password: %v %v", a.ID, err)
	}

	// Three wrong passwords at the server de-link it too, and every token.
	for range 3 {
		f.ts.sv.SignIn("sig.a", "wrong password 3", domain.ID{}, "", "")
	}
	if _, err := f.ts.sv.SignIn("sig.a", newPassword, domain.ID{}, "", ""); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the new password after three failures at the server: %v", err)
	}
	if err := f.sig.c.Sync(ctx); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the first desk after the server's de-link: %v", err)
	}
	// The laptop had not heard: signing in there while connected, with
	// the right password, tells it, and locks the account there too.
	_, a, err = laptop.st.SignIn("sig.a", newPassword)
	if err != nil {
		t.Fatalf("the laptop, not told yet: %v", err)
	}
	if err := laptop.c.SignIn(ctx, a.ID, "sig.a", newPassword); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the laptop's server sign-in after the de-link: %v", err)
	}
	if _, _, err := laptop.st.SignIn("sig.a", newPassword); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the laptop after the server said de-linked: %v", err)
	}
}

// auditedUnder counts the server's audit entries made by person.
func auditedUnder(t *testing.T, ts *testServer, person domain.ID) int {
	t.Helper()
	n := 0
	err := ts.sv.Store().Audit(func(e store.AuditEntry) bool {
		if e.Actor == person {
			n++
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRelinkOnTheDeskThatDelinked: the signatory, de-linked on the DIR's
// desk (where they had signed in before), enrols again there, offline,
// with the PIN the DIR just issued on it: the desk re-links the same
// account, and its commands, pushed in their order (the de-link report,
// the PIN, the enrolment), re-link it on the server under the same ID.
// An enrolment aimed at that ID with another person's user ID is refused.
func TestRelinkOnTheDeskThatDelinked(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	sigID := f.sig.by.Account
	// The signatory signs in on the DIR's desk once, then the DIR again.
	if err := f.dir.c.SignIn(ctx, domain.ID{}, "sig.a", password); err != nil {
		t.Fatal(err)
	}
	if err := f.dir.c.SignIn(ctx, f.dir.by.Account, "dir.a", password); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		f.dir.st.SignIn("sig.a", "wrong password 1")
	}
	code, _, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID})
	if err != nil {
		t.Fatal(err)
	}
	const newPassword = "a new password 2"
	a, err := f.dir.st.Enrol(account.Enrolment{UserID: "sig.a", Password: newPassword, GivenNames: "Dana",
		FamilyName: "Roy-sig", PIN: code, AcceptTerms: true, Questions: questions})
	if err != nil || a.ID != sigID {
		t.Fatalf("enrolled again on the desk as %v (was %v): %v", a.ID, sigID, err)
	}
	f.dir.sync()
	if rej, _ := f.dir.st.Rejections(account.Actor{Account: sigID}); len(rej) != 0 {
		t.Fatalf("refused: %s %+v", rej[0].Kind, rej[0].Error)
	}
	tok, err := serverSignIn(f.ts, "sig.a", newPassword, domain.ID{})
	if err != nil {
		t.Fatalf("the new password at the server: %v", err)
	}
	var pub store.PublicAccount
	if err := json.Unmarshal(tok.Account, &pub); err != nil || pub.ID != sigID {
		t.Fatalf("signed in at the server as %v (was %v): %v", pub.ID, sigID, err)
	}

	// The DIR's account ID, with the signatory's user ID: refused.
	dirCode, _, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	cmd, err := f.stu.st.EnrolCommand(account.Enrolment{UserID: "sig.a", Password: newPassword, GivenNames: "Dana",
		FamilyName: "Roy-sig", PIN: dirCode, AcceptTerms: true, Questions: questions})
	if err != nil {
		t.Fatal(err)
	}
	cmd.Entity, cmd.Actor = f.dir.by.Account, f.dir.by.Account
	var p sync.EnrolPayload
	json.Unmarshal(cmd.Payload, &p)
	p.Account = cmd.Entity
	cmd.Payload, _ = json.Marshal(p)
	ans, err := f.ts.sv.Register(cmd, "")
	if err == nil && ans.Outcome != sync.Rejected {
		t.Fatalf("an enrolment aimed at the DIR's account ID: %+v", ans)
	}
	if _, err := f.ts.sv.SignIn("dir.a", password, domain.ID{}, "", ""); err != nil {
		t.Fatalf("the DIR after the aimed enrolment: %v", err)
	}
}

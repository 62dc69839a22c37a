package client_test

import (
	"context"
	"encoding/json"
	gosync "sync"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store/employers"
	"dossier/sync"
)

// TestBranchPINRace: two people enrol at the same moment from two desks,
// each with a PIN of the same branch: the server's order decides, one is
// the branch's primary user and the other its secondary user, and both
// desks learn it. The secondary user manages nobody (the server refuses
// their forged commands); the primary user lists them, hands the primary
// role over, and, primary again, ends their access.
func TestBranchPINRace(t *testing.T) {
	ts := startServer(t)
	farm, _ := approvedBusiness(t, ts)
	guelph, err := farm.st.CreateBranch(farm.by, "Guelph greenhouse", "Guelph")
	if err != nil {
		t.Fatal(err)
	}
	var pins [2]string
	for i := range pins {
		if pins[i], _, err = farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.BranchPrimary, Org: guelph.ID}); err != nil {
			t.Fatal(err)
		}
	}
	farm.sync()

	users := [2]string{"ben.a", "cleo.b"}
	desks := [2]*desk{newDesk(t, ts, "a"), newDesk(t, ts, "b")}
	var wg gosync.WaitGroup
	var errs [2]error
	for i, d := range desks {
		wg.Go(func() {
			errs[i] = d.c.Enrol(context.Background(), account.Enrolment{UserID: users[i], Password: password,
				GivenNames: []string{"Ben", "Cléo"}[i], FamilyName: "Roy", PIN: pins[i], AcceptTerms: true, Questions: questions})
		})
	}
	wg.Wait()
	var primary, secondary *desk
	for i, d := range desks {
		if errs[i] != nil {
			t.Fatalf("%s: %v", users[i], errs[i])
		}
		d.signedIn(users[i])
		a, err := ts.sv.Store().Account(d.by.Account)
		if err != nil {
			t.Fatal(err)
		}
		local, _ := d.st.Account(d.by.Account)
		if local.Role != a.Role {
			t.Errorf("%s: the desk has %s, the server %s", users[i], local.Role, a.Role)
		}
		d.by = local.Actor()
		switch a.Role {
		case account.BranchPrimary:
			primary = d
		case account.BranchSecondary:
			secondary = d
		}
	}
	if primary == nil || secondary == nil {
		t.Fatalf("not one primary and one secondary: %v %v", primary != nil, secondary != nil)
	}

	// The secondary user manages nobody, on their desk or at the server.
	if _, _, err := secondary.st.IssuePIN(secondary.by, account.PINRequest{Role: account.EmployerSecondary, Org: guelph.ID,
		GivenNames: "Sam", FamilyName: "Roy"}); err == nil {
		t.Fatal("a branch's secondary user issued a PIN")
	}
	if err := secondary.st.HandOverBranch(secondary.by, secondary.by.Account); err == nil {
		t.Fatal("a branch's secondary user took the primary role")
	}
	for _, c := range []struct {
		kind    sync.Kind
		payload any
	}{
		{employers.KindBranchHandOver, employers.BranchHandOverPayload{Branch: guelph.ID, To: secondary.by.Account}},
		{sync.KindRevoke, sync.RevokePayload{Account: primary.by.Account}},
	} {
		raw, _ := json.Marshal(c.payload)
		forged := sync.Command{ID: domain.ID{0xba, byte(len(c.kind))}, Kind: c.kind, Entity: guelph.ID, Actor: secondary.by.Account, Payload: raw}
		answers, _, err := ts.sv.Push(secondary.by, []sync.Command{forged})
		if err == nil && (len(answers) != 1 || answers[0].Outcome != sync.Rejected) {
			t.Fatalf("the server took the secondary user's %s: %+v", c.kind, answers)
		}
	}
	if a, _ := ts.sv.Store().Account(primary.by.Account); a.Role != account.BranchPrimary || !a.Revoked.IsZero() {
		t.Fatalf("the primary user after the secondary's attempts: %s, revoked %v", a.Role, a.Revoked)
	}

	// The primary user lists the branch's users and hands the role over.
	primary.sync()
	listed, err := primary.st.EmployerUsers(primary.by)
	found := false
	for _, u := range listed {
		found = found || u.ID == secondary.by.Account && u.Role == account.BranchSecondary
	}
	if err != nil || !found {
		t.Fatalf("the primary user's list: %v %v", len(listed), err)
	}
	if err := primary.st.HandOverBranch(primary.by, secondary.by.Account); err != nil {
		t.Fatal(err)
	}
	primary.sync()
	for _, who := range []struct {
		d    *desk
		role account.Role
	}{{primary, account.BranchSecondary}, {secondary, account.BranchPrimary}} {
		if a, _ := ts.sv.Store().Account(who.d.by.Account); a.Role != who.role {
			t.Fatalf("after the hand-over: %s is %s, want %s", a.GivenNames, a.Role, who.role)
		}
	}
	// The new primary ends the old one's access.
	secondary.sync()
	newPrimary, _ := secondary.st.Account(secondary.by.Account)
	if err := secondary.st.RevokeUser(newPrimary.Actor(), primary.by.Account); err != nil {
		t.Fatal(err)
	}
	secondary.sync()
	if a, _ := ts.sv.Store().Account(primary.by.Account); a.Revoked.IsZero() {
		t.Fatal("the access did not end at the server")
	}
}

// asTheServerHasIt takes the desk's person as the server made them (a
// branch PIN's holder learns their role from it).
func (d *desk) asTheServerHasIt() {
	d.t.Helper()
	d.sync()
	a, err := d.st.Account(d.by.Account)
	if err != nil {
		d.t.Fatal(err)
	}
	d.by = a.Actor()
}

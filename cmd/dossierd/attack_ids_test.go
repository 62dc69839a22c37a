package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/employers"
	"dossier/sync"
)

// The attacks of this file aim a record's ID, which a desk chooses, at a
// record of another kind or another owner: a school (whose ID every desk
// knows), a province, a business, an account. Each is sent as a desk would
// send it — the command a real desk made, its ID swapped — to a real
// dossierd over TLS on loopback.

// TestAttackSignUpAsSchool: an anonymous sign-up whose account ID is a
// school's (school IDs are public) used to receive the school's whole
// change feed. It is refused; the attacker cannot sign in; the DIR is
// served as before.
func TestAttackSignUpAsSchool(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	school := hs.schools()["A01"]
	cmd := hs.signUpCommand("eve.school")
	aimAccount(t, &cmd, school)
	refusedWith(t, "a sign-up with a school's ID", hs.registerAnswer(cmd), store.ErrEntityExists)
	if _, a := hs.signIn("eve.school", hostilePassword); a.status == 200 {
		t.Fatal("the attacker signed in")
	}
	hs.servesTheDIR()
}

// TestAttackSignUpAsProvince: the province's derived ID (its coordinators'
// share of the feed) cannot be taken by a sign-up either.
func TestAttackSignUpAsProvince(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	cmd := hs.signUpCommand("eve.province")
	aimAccount(t, &cmd, store.ProvinceID("ON"))
	refusedWith(t, "a sign-up with a province's ID", hs.registerAnswer(cmd), store.ErrEntityExists, store.ErrIDNotMinted)
	hs.servesTheDIR()
}

// TestAttackSignUpAsAccount: a sign-up with the DIR's account ID does not
// replace the DIR.
func TestAttackSignUpAsAccount(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	tok, _ := hs.signIn(hostileUser, hostilePassword)
	var dir store.PublicAccount
	if err := json.Unmarshal(tok.Account, &dir); err != nil || dir.ID.IsZero() {
		t.Fatalf("the DIR's account %s: %v", tok.Account, err)
	}
	cmd := hs.signUpCommand("eve.account")
	aimAccount(t, &cmd, dir.ID)
	refusedWith(t, "a sign-up with the DIR's ID", hs.registerAnswer(cmd), store.ErrEntityExists)
	hs.servesTheDIR()
}

// TestAttackForeignIDShape: an ID no desk mints (not a version 7 UUID) is
// refused, so that IDs the server derives can never be aimed at.
func TestAttackForeignIDShape(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	cmd := hs.signUpCommand("eve.shape")
	aimAccount(t, &cmd, domain.ID{1, 2, 3})
	refusedWith(t, "a sign-up with a made-up ID", hs.registerAnswer(cmd), store.ErrIDNotMinted)
	hs.servesTheDIR()
}

// TestAttackRequestAsSchool: a student's request whose ID is a school's
// used to evict the school from every new download. It is refused, and a
// new desk still reads both schools.
func TestAttackRequestAsSchool(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	schools := hs.schools()
	d, by := hs.student("sam.request")
	if _, err := d.st.RaiseRequest(by, benchRaise(schools["A01"], 1)); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, d.st, sync.KindRaiseRequest)
	tok, a := hs.signIn("sam.request", hostilePassword)
	if a.status != 200 {
		t.Fatalf("sign-in: %d", a.status)
	}
	for code, id := range schools {
		aimed := cmd
		aimed.ID, _ = domain.NewID(time.Now(), rand.Reader)
		aimed.Entity = id
		refusedWith(t, "a request with the ID of school "+code, hs.pushAnswer(tok.Access, aimed), store.ErrEntityExists)
	}
	aimed := cmd
	aimed.ID, _ = domain.NewID(time.Now(), rand.Reader)
	aimed.Entity = by.Account
	refusedWith(t, "a request with the student's own account ID", hs.pushAnswer(tok.Access, aimed), store.ErrEntityExists)
	// The real request, as the desk made it, goes through.
	if ans := hs.pushAnswer(tok.Access, cmd); ans.Outcome != sync.Applied {
		t.Fatalf("the real request: %+v %+v", ans, ans.Error)
	}
	if got := hs.schools(); got["A01"] != schools["A01"] || got["B02"] != schools["B02"] {
		t.Fatalf("a new desk reads the schools %v, want %v", got, schools)
	}
	hs.servesTheDIR()
}

// TestAttackEnrolOverBusiness: an anonymous employer enrolment naming an
// existing business's ID used to overwrite it (back to pending, the
// attacker as its primary user). It is refused; the business stays as the
// program approved it, with its own primary user.
func TestAttackEnrolOverBusiness(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true)
	victim, v := hs.employerDesk("anna.farm", "123 456 782", "Les Serres Côté Inc.")
	off, officer := hs.officerDesk()
	if _, err := off.st.DecideBusiness(officer, v.Business, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := off.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}

	eve := hs.desk("eve.employer")
	if _, _, err := eve.st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "987 654 324", LegalName: "Eve Holdings Ltd."},
		account.Registration{UserID: "eve.employer", Password: hostilePassword, GivenNames: "Eve", FamilyName: "Mallory",
			Email: "eve@example.ca", AcceptTerms: true, Questions: hostileQuestions}); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, eve.st, employers.KindEnrolBusiness)
	reshape(t, &cmd, func(p *employers.EnrolBusinessPayload) { p.Business = v.Business })
	refusedWith(t, "an enrolment naming an existing business", hs.registerAnswer(cmd), store.ErrEntityExists)

	if err := victim.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, err := victim.st.Business(v.Actor, v.Business)
	if err != nil || b.Status != employer.Approved || b.Primary != v.Actor.Account || b.LegalName != "Les Serres Côté Inc." {
		t.Fatalf("the business after the attack: %+v %v", b, err)
	}
	hs.servesTheDIR()
}

// TestAttackBranchAbsorbsBusiness: an approved employer's "branch" whose
// ID is another business's (or a school's) used to absorb it. Refused.
func TestAttackBranchAbsorbsBusiness(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true)
	_, other := hs.employerDesk("olga.other", "111 111 118", "Ferme Olga Ltée")
	eve, e := hs.approvedEmployerDesk("eve.branch", "222 222 226", "Eve Branching Inc.")
	if _, err := eve.st.CreateBranch(e.Actor, "Annexe", "Sudbury"); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, eve.st, employers.KindCreateBranch)
	tok, a := hs.signIn("eve.branch", hostilePassword)
	if a.status != 200 {
		t.Fatalf("sign-in: %d", a.status)
	}
	school := hs.schools()["A01"]
	for what, id := range map[string]domain.ID{"another business": other.Business, "a school": school,
		"another business's primary user": other.Actor.Account} {
		aimed := cmd
		aimed.ID, _ = domain.NewID(time.Now(), rand.Reader)
		aimed.Entity = id
		reshape(t, &aimed, func(p *employers.BranchPayload) { p.Branch.ID = id })
		refusedWith(t, "a branch with the ID of "+what, hs.pushAnswer(tok.Access, aimed), store.ErrEntityExists)
	}
	if ans := hs.pushAnswer(tok.Access, cmd); ans.Outcome != sync.Applied {
		t.Fatalf("the real branch: %+v %+v", ans, ans.Error)
	}
	hs.servesTheDIR()
}

// TestAttackRequestForeignShape: a request whose ID no desk mints.
func TestAttackRequestForeignShape(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	schools := hs.schools()
	d, by := hs.student("sam.shape")
	if _, err := d.st.RaiseRequest(by, ens.Raise{Type: ens.EV, School: schools["B02"], Student: benchRaise(schools["B02"], 2).Student}); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, d.st, sync.KindRaiseRequest)
	cmd.Entity = domain.ID{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	tok, _ := hs.signIn("sam.shape", hostilePassword)
	refusedWith(t, "a request with the old everyone reader's ID", hs.pushAnswer(tok.Access, cmd), store.ErrIDNotMinted)
	hs.servesTheDIR()
}

// TestAttackSignUpAsBusiness: a sign-up with a business's ID used to
// receive its Employer Forms in the feed. Refused; the business's own
// user still reads its business.
func TestAttackSignUpAsBusiness(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	farm, f := hs.employerDesk("anna.farm", "123 456 782", "Les Serres Côté Inc.")
	for what, id := range map[string]domain.ID{"the business": f.Business, "its primary user": f.Actor.Account} {
		cmd := hs.signUpCommand("eve." + string(what[4]))
		aimAccount(t, &cmd, id)
		refusedWith(t, "a sign-up with the ID of "+what, hs.registerAnswer(cmd), store.ErrEntityExists)
	}
	if err := farm.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if b, err := farm.st.Business(f.Actor, f.Business); err != nil || b.Primary != f.Actor.Account {
		t.Fatalf("the business after the attack: %+v %v", b, err)
	}
	hs.servesTheDIR()
}

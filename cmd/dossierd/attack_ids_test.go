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
	"dossier/sync"
)

// The attacks of this file aim a record's ID, which a desk chooses, at a
// record of another kind or another owner: a school (whose ID every desk
// knows), a province, a business, an account. Each is sent as a desk would
// send it — the command a real desk made, its ID swapped — to a real
// dossierd over TLS on loopback.

// lastCommand is the newest command of kind in st's outbox.
func lastCommand(t testing.TB, st *store.Store, kind sync.Kind) sync.Command {
	t.Helper()
	out, err := st.Outbox(1000)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].Command.Kind == kind {
			return out[i].Command
		}
	}
	t.Fatalf("no %s in the outbox", kind)
	return sync.Command{}
}

// reshape rewrites the payload of cmd through edit.
func reshape[P any](t testing.TB, cmd *sync.Command, edit func(*P)) {
	t.Helper()
	var p P
	if err := json.Unmarshal(cmd.Payload, &p); err != nil {
		t.Fatal(err)
	}
	edit(&p)
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Payload = raw
}

// registerAnswer posts cmd to /v1/register, as an anonymous caller does.
func (hs *hostileServer) registerAnswer(cmd sync.Command) sync.Answer {
	hs.t.Helper()
	a := hs.call("POST", "/v1/register", "", cmd)
	var ans sync.Answer
	if a.status != 200 || json.Unmarshal(a.body, &ans) != nil {
		hs.t.Fatalf("register: HTTP %d %s", a.status, a.body)
	}
	return ans
}

// pushAnswer pushes cmd with token and returns its one answer.
func (hs *hostileServer) pushAnswer(token string, cmd sync.Command) sync.Answer {
	hs.t.Helper()
	a := hs.call("POST", "/v1/push", token, sync.PushRequest{Commands: []sync.Command{cmd}})
	var pr sync.PushResponse
	if a.status != 200 || json.Unmarshal(a.body, &pr) != nil || len(pr.Answers) != 1 {
		hs.t.Fatalf("push: HTTP %d %s", a.status, a.body)
	}
	return pr.Answers[0]
}

// refusedWith fails the test unless ans is a refusal with one of codes.
func refusedWith(t *testing.T, what string, ans sync.Answer, codes ...domain.Code) {
	t.Helper()
	if ans.Outcome != sync.Rejected || ans.Error == nil {
		t.Fatalf("%s: %+v, want refused", what, ans)
	}
	for _, c := range codes {
		if ans.Error.Code == c {
			return
		}
	}
	t.Fatalf("%s: refused with %s, want one of %v", what, ans.Error.Code, codes)
}

// servesTheDIR checks that the real DIR still signs in and reads the feed.
func (hs *hostileServer) servesTheDIR() {
	hs.t.Helper()
	tok, a := hs.signIn(hostileUser, hostilePassword)
	if a.status != 200 {
		hs.t.Fatalf("the DIR's sign-in afterwards: HTTP %d %s", a.status, a.code)
	}
	if a := hs.call("GET", "/v1/changes?after=0&limit=10", tok.Access, nil); a.status != 200 {
		hs.t.Fatalf("the DIR's pull afterwards: HTTP %d %s", a.status, a.code)
	}
}

// schools lists the schools' IDs by code, as every desk reads them.
func (hs *hostileServer) schools() map[string]domain.ID {
	hs.t.Helper()
	d := hs.desk("reader")
	if err := d.c.SignIn(context.Background(), domain.ID{}, hostileUser, hostilePassword); err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		hs.t.Fatal(err)
	}
	ins, err := d.st.Institutions()
	if err != nil {
		hs.t.Fatal(err)
	}
	out := map[string]domain.ID{}
	for _, in := range ins {
		out[in.Code.String()] = in.ID
	}
	if len(out) != 2 {
		hs.t.Fatalf("schools %v", out)
	}
	return out
}

// student registers a student on a new desk, signs them in to the server
// and syncs.
func (hs *hostileServer) student(user string) (hostileDesk, account.Actor) {
	hs.t.Helper()
	d := hs.desk(user)
	a, err := d.st.RegisterStudent(account.Registration{UserID: user, Password: hostilePassword, GivenNames: "Sam",
		FamilyName: "Tremblay", AcceptTerms: true, Questions: hostileQuestions})
	if err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, hostilePassword); err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		hs.t.Fatal(err)
	}
	return d, a.Actor()
}

// signUpCommand is a student's registration made on a desk and left in
// its outbox, for the attacker to re-aim.
func (hs *hostileServer) signUpCommand(user string) sync.Command {
	hs.t.Helper()
	d := hs.desk(user)
	if _, err := d.st.RegisterStudent(account.Registration{UserID: user, Password: hostilePassword, GivenNames: "Eve",
		FamilyName: "Mallory", AcceptTerms: true, Questions: hostileQuestions}); err != nil {
		hs.t.Fatal(err)
	}
	return lastCommand(hs.t, d.st, store.KindRegister)
}

// aimAccount makes cmd create its account with ID id.
func aimAccount(t *testing.T, cmd *sync.Command, id domain.ID) {
	cmd.Entity, cmd.Actor = id, id
	reshape(t, cmd, func(p *sync.EnrolPayload) { p.Account = id })
}

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

// employerDesk enrols a business on a new desk, whose primary user signs
// in online (the enrolment goes first).
func (hs *hostileServer) employerDesk(user, bn, legal string) (hostileDesk, employerUser) {
	hs.t.Helper()
	d := hs.desk(user)
	a, b, err := d.st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: bn, LegalName: legal},
		account.Registration{UserID: user, Password: hostilePassword, GivenNames: "Anna", FamilyName: "Kowalski",
			Email: user + "@example.ca", AcceptTerms: true, Questions: hostileQuestions})
	if err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, hostilePassword); err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		hs.t.Fatal(err)
	}
	return d, employerUser{Actor: a.Actor(), Business: b.ID}
}

// employerUser is an employer's primary user and their business.
type employerUser struct {
	Actor    account.Actor
	Business domain.ID
}

// officerDesk signs the program's first account in on a new desk.
func (hs *hostileServer) officerDesk() (hostileDesk, account.Actor) {
	hs.t.Helper()
	d := hs.desk("officer")
	if err := d.c.SignIn(context.Background(), domain.ID{}, hostileProgram, hostileProgramPassword); err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		hs.t.Fatal(err)
	}
	_, a, err := d.st.SignIn(hostileProgram, hostileProgramPassword)
	if err != nil {
		hs.t.Fatal(err)
	}
	return d, a.Actor()
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
	cmd := lastCommand(t, eve.st, store.KindEnrolBusiness)
	reshape(t, &cmd, func(p *store.EnrolBusinessPayload) { p.Business = v.Business })
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
	eve, e := hs.employerDesk("eve.branch", "222 222 226", "Eve Branching Inc.")
	off, officer := hs.officerDesk()
	if _, err := off.st.DecideBusiness(officer, e.Business, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := off.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := eve.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := eve.st.CreateBranch(e.Actor, "Annexe", "Sudbury"); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, eve.st, store.KindCreateBranch)
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
		reshape(t, &aimed, func(p *store.BranchPayload) { p.Branch.ID = id })
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

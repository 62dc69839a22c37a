package main

import (
	"context"
	"encoding/json"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
)

// What the attack tests (attack_*_test.go) share: people on desks of
// their own, signed in to the real dossierd, and the commands those desks
// made, re-aimed as an attacker would and sent by hand.

// lastCommand is the newest command of kind in st's outbox.
func lastCommand(t testing.TB, st programs.Desk, kind sync.Kind) sync.Command {
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

// EmployerUser is an employer's primary user and their business.
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

// approvedEmployerDesk is employerDesk for a business the program has
// approved since, its desk synced after the decision.
func (hs *hostileServer) approvedEmployerDesk(user, bn, legal string) (hostileDesk, employerUser) {
	hs.t.Helper()
	d, e := hs.employerDesk(user, bn, legal)
	off, officer := hs.officerDesk()
	if _, err := off.st.DecideBusiness(officer, e.Business, true, ""); err != nil {
		hs.t.Fatal(err)
	}
	for _, desk := range []hostileDesk{off, d} {
		if err := desk.c.Sync(context.Background()); err != nil {
			hs.t.Fatal(err)
		}
	}
	return d, e
}

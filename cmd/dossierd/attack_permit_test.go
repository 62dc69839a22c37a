package main

import (
	"errors"
	"testing"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/sync"
)

// The attacks on the Off-Campus Work Permit application: students'
// desks push, by hand, submissions the rule refuses — with another
// student's EVN, a made-up one, a second time for the same EVN, with a
// fee of their own choosing, without a card — and a decision on their own
// application. The real dossierd refuses each with its code, and charges
// nothing and records nothing for any of them.

// verifiedStudent registers a student on their own desk, has them raise
// an eligibility verification at the DIR's school, the DIR verify it, and
// returns the student with their verification as the server issued it.
func verifiedStudent(t *testing.T, hs *hostileServer, dir *factsPerson, user string) (*factsPerson, ens.Request) {
	t.Helper()
	p := hs.registered(t, user, (programs.Desk).RegisterStudent)
	r, err := p.st.RaiseRequest(p.by, ens.Raise{Type: ens.EV, School: dir.by.Org, Student: ens.Student{GivenNames: "Sam",
		FamilyName: "Rep", BirthDate: domain.Date{Year: 2001, Month: 3, Day: 4}, ClientID: "12345678", Email: user + "@example.ca"}})
	if err != nil {
		t.Fatal(err)
	}
	p.sync()
	dir.sync()
	if _, err := dir.st.Act(dir.by, r.ID, ens.Action{Function: ens.Verify, Draft: allCriteriaMet()}, 0); err != nil {
		t.Fatal(err)
	}
	dir.sync()
	p.sync()
	v, err := p.st.Request(p.by, r.ID)
	if err != nil || v.Status != ens.Verified {
		t.Fatalf("%s's verification: %s %v", user, v.Status.Code(), err)
	}
	return p, v
}

func allCriteriaMet() *ens.Draft {
	var d ens.Draft
	for _, c := range ens.Criteria {
		d.Checks[c] = ens.Met
	}
	return &d
}

// permitPayload is a complete submission for verification v, paid with a
// sandbox card for the program's fee.
func permitPayload(v ens.Request) requests.SubmitPermitPayload {
	f := permit.Prefill(&v)
	on := domain.DateOf(v.Received)
	f.PassportNumber, f.PassportCountry, f.PassportExpiry = "P1234567", "Brésil", on.AddYears(5)
	f.Street, f.City, f.Province, f.PostalCode = "1 King St", "Toronto", "ON", "M5H 1A1"
	f.Program, f.StudyStart, f.StudyEnd = "Nursing", on.AddYears(-1), on.AddYears(2)
	f.Consent, f.Declaration = true, true
	return requests.SubmitPermitPayload{EVN: string(v.EVN), Form: f, FeeCents: requests.PermitFee().Cents, On: on,
		Card: &oinp.Card{Number: "5555 5555 5555 4444", Name: "Sam Rep", ExpMonth: 12, ExpYear: v.Received.Year() + 2, CVC: "321"}}
}

// noPermit asserts that the server holds no application under id.
func noPermit(t *testing.T, hs *hostileServer, officer *factsPerson, id domain.ID) {
	t.Helper()
	officer.sync()
	if a, err := officer.st.Permit(officer.by, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an application is on record: %+v %v", a, err)
	}
}

func TestAttackPermit(t *testing.T) {
	hs := startFacts(t)
	dir := hs.signedIn(t, hs.desk("dir2"), [16]byte{}, hostileUser, hostilePassword)
	officer := hs.signedIn(t, hs.desk("officer"), [16]byte{}, hostileProgram, hostileProgramPassword)
	alice, va := verifiedStudent(t, hs, dir, "eleve.alice")
	bob, vb := verifiedStudent(t, hs, dir, "eleve.bob")

	// Bob applies with Alice's verification and EVN.
	_, ans := hs.push(t, bob, requests.KindSubmitPermit, va.ID, permitPayload(va))
	refusedWith(t, "another student's EVN", ans, permit.ErrEVNOtherStudent)
	// Bob's own verification, with a made-up EVN; a made-up verification.
	madeUp := permitPayload(vb)
	madeUp.EVN = "3KQ-0A-00F7-M"
	_, ans = hs.push(t, bob, requests.KindSubmitPermit, vb.ID, madeUp)
	refusedWith(t, "a made-up EVN", ans, permit.ErrEVNUnknown)
	_, ans = hs.push(t, bob, requests.KindSubmitPermit, domain.ID{0x01, 0x9a, 7}, permitPayload(vb))
	refusedWith(t, "a made-up verification", ans, permit.ErrEVNUnknown)
	// A fee of the desk's choosing.
	cheap := permitPayload(vb)
	cheap.FeeCents = 100
	_, ans = hs.push(t, bob, requests.KindSubmitPermit, vb.ID, cheap)
	refusedWith(t, "a fee of the desk's choosing", ans, permit.ErrFeeAmount)
	// No card: nothing to charge.
	noCard := permitPayload(vb)
	noCard.Card = nil
	_, ans = hs.push(t, bob, requests.KindSubmitPermit, vb.ID, noCard)
	refusedWith(t, "no card", ans, oinp.ErrCardMissing)
	noPermit(t, hs, officer, va.ID)
	noPermit(t, hs, officer, vb.ID)

	// Alice applies as she should; then once more for the same EVN.
	if _, ans := hs.push(t, alice, requests.KindSubmitPermit, va.ID, permitPayload(va)); ans.Outcome != sync.Applied {
		t.Fatalf("Alice's application: %+v", ans.Error)
	}
	_, ans = hs.push(t, alice, requests.KindSubmitPermit, va.ID, permitPayload(va))
	refusedWith(t, "a second submission for the same EVN", ans, permit.ErrAlreadyApplied)

	// Alice decides her own application; Bob withdraws hers.
	_, ans = hs.push(t, alice, requests.KindDecidePermit, va.ID, requests.DecidePermitPayload{Outcome: permit.Approve})
	refusedWith(t, "a student's decision on her own application", ans, store.ErrNotSender)
	_, ans = hs.push(t, bob, requests.KindWithdrawPermit, va.ID, struct{}{})
	refusedWith(t, "a withdrawal of another's application", ans, permit.ErrNotYours)

	officer.sync()
	a, err := officer.st.Permit(officer.by, va.ID)
	if err != nil || a.Status != permit.Submitted || a.Student != alice.by.Account || a.Receipt == nil ||
		a.Receipt.AmountCents != requests.PermitFee().Cents || a.Receipt.Last4 != "4444" || a.Version != 1 {
		t.Fatalf("Alice's application on the server: %+v %v", a, err)
	}
	// The officer decides it.
	if _, ans := hs.push(t, officer, requests.KindDecidePermit, va.ID,
		requests.DecidePermitPayload{Outcome: permit.Refuse, Reason: "Not enrolled full time."}); ans.Outcome != sync.Applied {
		t.Fatalf("the officer's refusal: %+v", ans.Error)
	}
	alice.sync()
	if a, err := alice.st.Permit(alice.by, va.ID); err != nil || a.Status != permit.Refused || a.Reason != "Not enrolled full time." {
		t.Fatalf("Alice reads %+v %v", a, err)
	}
	hs.servesTheDIR()
}

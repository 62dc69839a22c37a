package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/employers"
	"dossier/sync"
)

// The attacks on the employer's rules, now in domain/employer: what an
// applicant holds of a linked Employer Form does not move (not to a second
// file, not re-signed), and a hand-over pushed twice does not make two
// primary users. Against the real dossierd over TLS on loopback.

// linkedForm has farm sign the example form and link it to the file of an
// applicant who named the business; it returns the form and that file.
func (hs *hostileServer) linkedForm(t *testing.T, farm *factsPerson, applicant string) (applications.EmployerFormRecord, *factsPerson, applications.ApplicationRecord) {
	t.Helper()
	owner, file := hs.applicantWithFile(t, applicant, oinp.Application{LearnedFrom: "employer",
		Employer: oinp.EmployerForm{BusinessNumber: "123 456 782"}})
	rec, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, exampleForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if rec, _, err = farm.st.SignEmployerForm(farm.by, rec.ID); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	link := applications.LinkPayload{Form: rec.ID, FileNumber: file.App.FileNumber}
	if _, ans := hs.push(t, farm, applications.KindLinkEmployerForm, rec.ID, link); ans.Outcome != sync.Applied {
		t.Fatalf("the link the applicant consented to: %+v", ans)
	}
	owner.sync()
	if got, _, _ := owner.st.Application(owner.by); got.EmployerForm == nil || got.EmployerForm.FormID != rec.ID {
		t.Fatal("the form is not in the file")
	}
	return rec, owner, file
}

// TestAttackLinkFormToSecondFile: an employer links a form already in one
// applicant's file to a second file (whose applicant also named the
// business): one signed form, one file. Refused store.employer.form.linked.
func TestAttackLinkFormToSecondFile(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.second", "123 456 782", "Les Serres Côté Inc.")
	rec, _, _ := hs.linkedForm(t, farm, "linh.first")
	other, file := hs.applicantWithFile(t, "minh.second", oinp.Application{LearnedFrom: "employer",
		Employer: oinp.EmployerForm{BusinessNumber: "123456782"}})
	_, ans := hs.push(t, farm, applications.KindLinkEmployerForm, rec.ID, applications.LinkPayload{Form: rec.ID, FileNumber: file.App.FileNumber})
	refusedWith(t, "a link to a second file", ans, applications.ErrFormLinked)
	other.sync()
	if got, _, _ := other.st.Application(other.by); got.EmployerForm != nil {
		t.Fatal("the form is in the second file")
	}
	hs.servesTheDIR()
}

// TestAttackResignLinkedForm: once its form is in an applicant's file, the
// employer sends a new signature of it with a higher wage (otherwise
// complete and its own), then links it again to the same file, to change
// what the applicant holds. The signature is refused
// (store.employer.form.linked); the link again is applied and the file
// keeps the wage first signed.
func TestAttackResignLinkedForm(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.resign", "123 456 782", "Les Serres Côté Inc.")
	rec, owner, file := hs.linkedForm(t, farm, "linh.resign")
	form := rec.Signed.Form
	first := form.Offer.WageCents
	form.Offer.WageCents = first + 10_00
	form.Signed = domain.DateOf(time.Now())
	s := employer.SignedForm{FormID: rec.ID, Business: rec.Business, BN: rec.Signed.BN, LegalName: rec.Signed.LegalName, Form: form,
		Signer: farm.by.Account, SignerName: rec.Signed.SignerName, SignedAt: time.Now()}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	_, ans := hs.push(t, farm, applications.KindSignEmployerForm, rec.ID, applications.SignedPayload{Signed: s.Sign(key)})
	refusedWith(t, "a linked form signed again", ans, applications.ErrFormLinked)
	link := applications.LinkPayload{Form: rec.ID, FileNumber: file.App.FileNumber}
	if _, ans := hs.push(t, farm, applications.KindLinkEmployerForm, rec.ID, link); ans.Outcome != sync.Applied {
		t.Fatalf("the same link again: %+v", ans)
	}
	owner.sync()
	got, _, _ := owner.st.Application(owner.by)
	if got.EmployerForm == nil || got.App.Employer.Offer.WageCents != first || got.EmployerForm.Form.Offer.WageCents != first {
		t.Fatalf("the file's wage: %+v", got.App.Employer.Offer)
	}
	hs.servesTheDIR()
}

// secondaryUser has farm's primary user issue a PIN to a secondary user of
// the main office, who enrols on their own desk; it returns their account.
func (hs *hostileServer) secondaryUser(t *testing.T, farm *factsPerson, user, given, family string) domain.ID {
	t.Helper()
	pin, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: given, FamilyName: family})
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	d := hs.desk(user)
	if err := d.c.Enrol(context.Background(), account.Enrolment{UserID: user, Password: factsPass, GivenNames: given,
		FamilyName: family, PIN: pin, AcceptTerms: true, Questions: hostileQuestions}); err != nil {
		t.Fatalf("%s: enrol: %v", user, err)
	}
	_, a, err := d.st.SignIn(user, factsPass)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// TestAttackHandOverTwice: the primary user pushes two hand-overs in one
// push, to Raj then to Eve, so that the second runs under a session that
// still says primary: two primary users. The second is refused
// (account.forbidden: its sender is no longer the primary user); Raj is
// the primary user, Eve a secondary one.
func TestAttackHandOverTwice(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.twice", "123 456 782", "Les Serres Côté Inc.")
	raj := hs.secondaryUser(t, farm, "raj.twice", "Raj", "Patel")
	eve := hs.secondaryUser(t, farm, "eve.twice", "Eve", "Martin")
	var cmds []sync.Command
	for _, to := range []domain.ID{raj, eve} {
		raw, _ := json.Marshal(employers.HandOverPayload{Business: farm.by.Org, To: to})
		id, _ := domain.NewID(time.Now(), rand.Reader)
		cmds = append(cmds, sync.Command{ID: id, Kind: employers.KindHandOver, Entity: farm.by.Org, Actor: farm.by.Account, Payload: raw})
	}
	a := hs.call("POST", "/v1/push", farm.tok.Access, sync.PushRequest{Commands: cmds})
	var resp sync.PushResponse
	if a.status != http.StatusOK || json.Unmarshal(a.body, &resp) != nil || len(resp.Answers) != 2 {
		t.Fatalf("push: HTTP %d %s %s", a.status, a.code, a.body)
	}
	if resp.Answers[0].Outcome != sync.Applied {
		t.Fatalf("the hand-over to Raj: %+v", resp.Answers[0])
	}
	refusedWith(t, "a second hand-over by the former primary user", resp.Answers[1], account.ErrForbidden)
	for _, who := range []struct {
		user string
		role account.Role
	}{{"anna.twice", account.EmployerSecondary}, {"raj.twice", account.EmployerPrimary}, {"eve.twice", account.EmployerSecondary}} {
		tok, ans := hs.signIn(who.user, factsPass)
		var pub store.PublicAccount
		if ans.status != http.StatusOK || json.Unmarshal(tok.Account, &pub) != nil || pub.Role != who.role {
			t.Fatalf("%s: HTTP %d, role %s (want %s)", who.user, ans.status, pub.Role, who.role)
		}
	}
	off := hs.signedIn(t, hs.desk("officer-check"), domain.ID{}, factsOfficer, factsPass)
	if b, err := off.st.Business(off.by, farm.by.Org); err != nil || b.Primary != raj {
		t.Fatalf("the business's primary user: %v", err)
	}
	hs.servesTheDIR()
}

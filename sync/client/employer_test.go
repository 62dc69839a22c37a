package client_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/oinp"
	"dossier/store/applications"
	"dossier/sync"
)

// enrolBusiness enrols a business on the desk (offline) and signs its
// primary user in to the server, which receives the enrolment first.
func (d *desk) enrolBusiness(user, bn, legal string) error {
	d.t.Helper()
	a, _, err := d.st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: bn, LegalName: legal},
		account.Registration{UserID: user, Password: password, GivenNames: "Anna", FamilyName: "Kowalski",
			Email: user + "@example.ca", AcceptTerms: true, Questions: questions})
	if err != nil {
		d.t.Fatal(err)
	}
	d.by = a.Actor()
	return d.c.SignIn(context.Background(), a.ID, user, password)
}

// officer is the program's officer, signed in on a desk.
func officer(t *testing.T, ts *testServer) *desk {
	t.Helper()
	if _, err := ts.sv.CreateProgramAccount(account.Registration{UserID: "officer", Password: password, GivenNames: "Pat",
		FamilyName: "Ouellet", AcceptTerms: true, Questions: questions}); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, ts, "officer")
	if err := d.c.SignIn(context.Background(), [16]byte{}, "officer", password); err != nil {
		t.Fatal(err)
	}
	d.signedIn("officer")
	return d
}

// TestBusinessEnrolment: a business enrols offline and waits for the
// program; the officer approves it and the business learns it. A second
// enrolment with the same business number, or the same legal name written
// otherwise, is refused: its person reads a neutral notice, the officer
// the reason.
func TestBusinessEnrolment(t *testing.T) {
	ts := startServer(t)
	farm := newDesk(t, ts, "farm")
	if err := farm.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	off := officer(t, ts)
	pending, err := off.st.Businesses(off.by, employer.Pending)
	if err != nil || len(pending) != 1 || pending[0].LegalName != "Les Serres Côté Inc." {
		t.Fatalf("pending %+v %v", pending, err)
	}
	if _, err := off.st.DecideBusiness(off.by, pending[0].ID, false, ""); err == nil {
		t.Fatal("refused without a reason")
	}
	if _, err := off.st.DecideBusiness(off.by, pending[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	farm.sync()
	if b, err := farm.st.Business(farm.by, farm.by.Org); err != nil || b.Status != employer.Approved {
		t.Fatalf("the business sees %+v %v", b.Status, err)
	}

	for _, c := range []struct{ user, bn, legal, reason string }{
		{"copy.bn", "123456782", "Another Farm Ltd.", "employer.bn.taken"},
		{"copy.name", "046454286", "LES SERRES COTE INC", "employer.legal-name.taken"},
	} {
		d := newDesk(t, ts, c.user)
		err := d.enrolBusiness(c.user, c.bn, c.legal)
		if err == nil {
			t.Fatalf("%s: signed in with a refused enrolment", c.user)
		}
		rej, _ := d.st.Rejections(d.by)
		if len(rej) != 1 || rej[0].Error.Code != employer.ErrRefused {
			t.Fatalf("%s: the person reads %+v", c.user, rej)
		}
	}
	off.sync()
	refused, _ := off.st.Businesses(off.by, employer.Refused)
	if len(refused) != 2 || refused[0].Reason != "employer.bn.taken" || refused[1].Reason != "employer.legal-name.taken" {
		t.Fatalf("the officer sees %+v", refused)
	}
	// Nobody but the program reads the queue.
	if _, err := farm.st.Businesses(farm.by, ""); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("an employer read the queue: %v", err)
	}
}

// enrolWithPIN enrols a person on a fresh desk with a PIN the server holds.
func enrolWithPIN(t *testing.T, ts *testServer, name, user, pin, given, family string) *desk {
	t.Helper()
	d := newDesk(t, ts, name)
	err := d.c.Enrol(context.Background(), account.Enrolment{UserID: user, Password: password, GivenNames: given,
		FamilyName: family, PIN: pin, AcceptTerms: true, Questions: questions})
	if err != nil {
		t.Fatalf("%s: enrol: %v", name, err)
	}
	d.signedIn(user)
	return d
}

// TestBranchesAndUsers: the primary user creates a branch and gives it a
// PIN; the branch's primary user adds users to their branch only (the
// server refuses the main office, even from a forged command); a
// secondary user gives access to nobody; handing the primary role over
// keeps every user and branch.
func TestBranchesAndUsers(t *testing.T) {
	ts := startServer(t)
	farm := newDesk(t, ts, "farm")
	if err := farm.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	off := officer(t, ts)
	pending, _ := off.st.Businesses(off.by, employer.Pending)
	if _, err := off.st.DecideBusiness(off.by, pending[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	farm.sync()

	guelph, err := farm.st.CreateBranch(farm.by, "Guelph greenhouse", "Guelph")
	if err != nil {
		t.Fatal(err)
	}
	branchPIN, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.BranchPrimary, Org: guelph.ID})
	if err != nil {
		t.Fatal(err)
	}
	officePIN, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: "Raj", FamilyName: "Patel"})
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()

	br := enrolWithPIN(t, ts, "guelph", "bruno.g", branchPIN, "Bruno", "Gagné")
	if br.by.Role != account.BranchPrimary || br.by.Org != guelph.ID {
		t.Fatalf("branch primary: %+v", br.by)
	}
	if _, _, err := br.st.IssuePIN(br.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: "Eve", FamilyName: "Lee"}); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("a branch primary added a user to the main office: %v", err)
	}
	forged := sync.Command{ID: [16]byte{0xaa}, Kind: sync.KindIssuePIN, Entity: [16]byte{0xab}, Actor: br.by.Account,
		Payload: []byte(`{"pin":{"ID":"` + domain.ID{0xab}.String() + `","Hash":"$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g","Role":9,"Org":"` + farm.by.Org.String() + `","GivenNames":"Eve","FamilyName":"Lee"},"locator":[1,2]}`)}
	answers, _, err := ts.sv.Push(br.by, []sync.Command{forged})
	if err != nil || len(answers) != 1 || answers[0].Outcome != sync.Rejected {
		t.Fatalf("the server took a branch user's PIN for the main office: %+v %v", answers, err)
	}
	evePIN, _, err := br.st.IssuePIN(br.by, account.PINRequest{Role: account.EmployerSecondary, Org: guelph.ID,
		GivenNames: "Eve", FamilyName: "Lee"})
	if err != nil {
		t.Fatal(err)
	}
	br.sync()
	eve := enrolWithPIN(t, ts, "eve", "eve.l", evePIN, "Eve", "Lee")
	if eve.by.Role != account.EmployerSecondary || eve.by.Org != guelph.ID {
		t.Fatalf("eve: %+v", eve.by)
	}
	if _, _, err := eve.st.IssuePIN(eve.by, account.PINRequest{Role: account.EmployerSecondary, Org: guelph.ID,
		GivenNames: "Sam", FamilyName: "Roy"}); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a secondary user issued a PIN: %v", err)
	}
	raj := enrolWithPIN(t, ts, "raj", "raj.p", officePIN, "Raj", "Patel")

	// Anna hands the primary role to Raj: everyone stays.
	farm.sync()
	if err := farm.st.HandOverPrimary(farm.by, raj.by.Account); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	raj.sync()
	b, err := raj.st.Business(raj.by, farm.by.Org)
	if err != nil || b.Primary != raj.by.Account || len(b.Branches) != 1 {
		t.Fatalf("after the handover: %+v %v", b, err)
	}
	for _, who := range []struct {
		id   [16]byte
		role account.Role
	}{{farm.by.Account, account.EmployerSecondary}, {raj.by.Account, account.EmployerPrimary},
		{br.by.Account, account.BranchPrimary}, {eve.by.Account, account.EmployerSecondary}} {
		a, err := ts.sv.Store().Account(who.id)
		if err != nil || a.Role != who.role || !a.Revoked.IsZero() {
			t.Fatalf("account %x: %s %v", who.id[:2], a.Role, err)
		}
	}

	// Anna leaves: Raj ends her access. The branch she created and the
	// users of it stay; Eve (a secondary user) cannot end anyone's.
	raj.by.Role = account.EmployerPrimary
	if err := eve.st.RevokeUser(eve.by, br.by.Account); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a secondary user ended access: %v", err)
	}
	raj.sync()
	if err := raj.st.RevokeUser(raj.by, farm.by.Account); err != nil {
		t.Fatal(err)
	}
	raj.sync()
	if a, _ := ts.sv.Store().Account(farm.by.Account); a.Revoked.IsZero() {
		t.Fatal("Anna still has access")
	}
	b, _ = ts.sv.Store().Business(raj.by, farm.by.Org)
	if len(b.Branches) != 1 || b.Branches[0].CreatedBy != farm.by.Account {
		t.Fatalf("the branch Anna created: %+v", b.Branches)
	}
	for _, id := range [][16]byte{br.by.Account, eve.by.Account} {
		if a, _ := ts.sv.Store().Account(id); !a.Revoked.IsZero() {
			t.Fatal("a user Anna's branch has lost access with her")
		}
	}
}

// approvedBusiness enrols a business and has the officer approve it.
func approvedBusiness(t *testing.T, ts *testServer) (*desk, *desk) {
	t.Helper()
	farm := newDesk(t, ts, "farm")
	if err := farm.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	off := officer(t, ts)
	pending, _ := off.st.Businesses(off.by, employer.Pending)
	if _, err := off.st.DecideBusiness(off.by, pending[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	farm.sync()
	return farm, off
}

// TestEmployerFormReachesTheApplicant: the employer fills and signs the
// form and links it to the applicant's file number; after sync the
// applicant's Employer Form tabs hold it and the applicant cannot change
// it. Offline, the signed file does the same, and an edited file, or one
// signed with a key not the business's, is refused.
func TestEmployerFormReachesTheApplicant(t *testing.T) {
	ts := startServer(t)
	farm, _ := approvedBusiness(t, ts)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	// The applicant names the employer whose form they expect.
	if _, err := home.st.SaveApplication(home.by, oinp.Application{LearnedFrom: "employer",
		Employer: oinp.EmployerForm{BusinessNumber: "123 456 782"}}); err != nil {
		t.Fatal(err)
	}
	reg, err := home.st.RegisterApplication(home.by)
	if err != nil {
		t.Fatal(err)
	}
	home.sync()

	form := exampleEmployerForm(t)
	rec, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, form)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := farm.st.LinkEmployerForm(farm.by, rec.ID, string(reg.App.FileNumber)); !errors.Is(err, applications.ErrFormNotSigned) {
		t.Fatalf("linked unsigned: %v", err)
	}
	rec, signed, err := farm.st.SignEmployerForm(farm.by, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if signed.Form.Signed != domain.DateOf(time.Now()) || rec.Signed == nil {
		t.Fatalf("signed %+v", signed.Form.Signed)
	}
	if _, err := farm.st.LinkEmployerForm(farm.by, rec.ID, string(reg.App.FileNumber)); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	home.sync()
	got, _, _ := home.st.Application(home.by)
	if got.App.Employer.LegalName != "Les Serres Côté Inc." || got.App.Employer.Offer.NOC != form.Offer.NOC || got.EmployerForm == nil {
		t.Fatalf("the applicant has %+v", got.App.Employer)
	}
	edit := got.App
	edit.Employer.RevenueCents = 9_999_999_00
	saved, err := home.st.SaveApplication(home.by, edit)
	if err != nil || saved.App.Employer.RevenueCents != form.RevenueCents {
		t.Fatalf("the applicant changed the signed form: %v %d", err, saved.App.Employer.RevenueCents)
	}

	// Offline: the signed file.
	file, err := farm.st.ExportSignedForm(farm.by, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	away := newDesk(t, ts, "away")
	away.applicant("tran.minh")
	if _, err := away.st.ImportSignedForm(away.by, bytes.Replace(file, []byte(`"hourlyWageCents": 1750`), []byte(`"hourlyWageCents": 2750`), 1)); domain.ErrorCode(err) != employer.ErrFormTampered {
		t.Fatalf("an edited file: %v", err)
	}
	if _, err := away.st.ImportSignedForm(away.by, file); err != nil {
		t.Fatal(err)
	}
	away.sync()
	if rej, _ := away.st.Rejections(away.by); len(rej) != 0 {
		t.Fatalf("the server refused a genuine file: %+v", rej)
	}
	// A form re-signed with a key that is not the business's passes the
	// desk's check (it cannot know) and is refused by the server.
	var forged employer.SignedForm
	json.Unmarshal(file, &forged)
	forged.Form.Offer.WageCents = 99_00
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	forged = forged.Sign(key)
	b, _ := json.Marshal(forged)
	if _, err := away.st.ImportSignedForm(away.by, b); err != nil {
		t.Fatal(err)
	}
	away.sync()
	rej, _ := away.st.Rejections(away.by)
	if len(rej) != 1 || rej[0].Error.Code != applications.ErrFormKey {
		t.Fatalf("forged key: %+v", rej)
	}
	if a, _, _ := away.st.Application(away.by); a.App.Employer.Offer.WageCents != form.Offer.WageCents {
		t.Fatalf("the forged form stayed: %d", a.App.Employer.Offer.WageCents)
	}
}

// exampleEmployerForm is the Employer Form of assets/oinp/example-application.json.
func exampleEmployerForm(t *testing.T) oinp.EmployerForm {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := oinp.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return a.Employer
}

// TestEmployerDocuments: the employer's documents attached to its form
// join the applicant's file once linked (the applicant cannot remove
// them); when the applicant submits, the employer's form shows the day the
// rest are due, and one sent late is marked so on the applicant's side.
func TestEmployerDocuments(t *testing.T) {
	ts := startServer(t)
	farm, _ := approvedBusiness(t, ts)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	app := exampleApplication(t)
	if _, err := home.st.SaveApplication(home.by, *app); err != nil {
		t.Fatal(err)
	}
	attachMandatory(t, home, app, "employer-information")
	reg, err := home.st.RegisterApplication(home.by)
	if err != nil {
		t.Fatal(err)
	}
	home.sync()
	rec, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, exampleEmployerForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := farm.st.AttachEmployerDocument(farm.by, rec.ID, oinp.Document{Kind: "resume", Name: "x.pdf"}, []byte("%PDF-1.7\n")); err == nil {
		t.Fatal("an employer attached an applicant's kind of document")
	}
	if _, _, err := farm.st.AttachEmployerDocument(farm.by, rec.ID, oinp.Document{Kind: "employer-information", Name: "revenue.pdf"}, []byte("%PDF-1.7\nrevenue\n")); err != nil {
		t.Fatal(err)
	}
	if rec, _, err = farm.st.SignEmployerForm(farm.by, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := farm.st.LinkEmployerForm(farm.by, rec.ID, string(reg.App.FileNumber)); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	home.sync()
	got, _, _ := home.st.Application(home.by)
	var fromEmployer *oinp.Document
	for i, d := range got.App.Documents {
		if d.FromEmployer {
			fromEmployer = &got.App.Documents[i]
		}
	}
	if fromEmployer == nil || fromEmployer.Kind != "employer-information" {
		t.Fatalf("the applicant's documents: %+v", got.App.Documents)
	}
	if _, err := home.st.RemoveDocument(home.by, fromEmployer.ID); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("the applicant removed the employer's document: %v", err)
	}
	card := oinp.Card{Number: "4111111111111111", Name: "Linh Nguyen", ExpMonth: 1, ExpYear: 2099, CVC: "123"}
	if _, err := home.st.SubmitApplication(home.by, card, oinp.FeeGTACents); err != nil {
		t.Fatal(err)
	}
	home.sync()
	farm.sync()
	forms, _ := farm.st.EmployerForms(farm.by)
	if len(forms) != 1 || forms[0].FileSubmitted != domain.DateOf(time.Now()) {
		t.Fatalf("the employer's form: %+v", forms[0].FileSubmitted)
	}
	got, _, _ = home.st.Application(home.by)
	due, arrived, late := oinp.EmployerDocuments(&got.App)
	if due != domain.DateOf(time.Now()).AddDays(2) || arrived != domain.DateOf(time.Now()) || late {
		t.Fatalf("employer documents: due %v, arrived %v, late %v", due, arrived, late)
	}
}

// TestUserEnrolledOnThePrimarysDesk: the primary user adds a user and the
// user enrols at the primary's desk, offline; the primary then ends their
// access. The user never signs in online, yet the next sync sends their
// enrolment first, so the server knows them and accepts the end of their
// access: nothing refused, the outbox empty.
func TestUserEnrolledOnThePrimarysDesk(t *testing.T) {
	ts := startServer(t)
	farm, _ := approvedBusiness(t, ts)
	pin, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: "Omar", FamilyName: "Haddad"})
	if err != nil {
		t.Fatal(err)
	}
	omar, err := farm.st.Enrol(account.Enrolment{UserID: "omar.h", Password: password, GivenNames: "Omar",
		FamilyName: "Haddad", PIN: pin, AcceptTerms: true, Questions: questions})
	if err != nil {
		t.Fatal(err)
	}
	if err := farm.st.RevokeUser(farm.by, omar.ID); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	if rej, _ := farm.st.Rejections(farm.by); len(rej) != 0 {
		t.Fatalf("refused: %+v", *rej[0].Error)
	}
	if n, _ := farm.st.OutboxLen(); n != 0 {
		t.Fatalf("%d commands left in the outbox", n)
	}
	a, err := ts.sv.Store().Account(omar.ID)
	if err != nil || a.Role != account.EmployerSecondary || a.Revoked.IsZero() {
		t.Fatalf("Omar on the server: %s revoked %v, %v", a.Role, a.Revoked, err)
	}
}

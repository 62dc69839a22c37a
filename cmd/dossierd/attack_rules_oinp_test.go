package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/sync"
)

// The attacks on an OINP application's rules: a desk that sends what
// domain/oinp refuses (a receipt that does not pay the fee, a
// representative's edit of the employer's signed tabs) is refused by the
// server running the same rule, against the real dossierd over TLS on
// loopback.

// oinpReadyToSubmit registers an applicant on their desk with the example
// application saved, its mandatory documents attached and the file
// registered, all synced: ready to submit.
func (hs *hostileServer) oinpReadyToSubmit(t *testing.T, user string) (*factsPerson, applications.ApplicationRecord) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	app, err := oinp.ReadFile(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := hs.applicantWithFile(t, user, *app)
	var photo bytes.Buffer
	png.Encode(&photo, image.NewGray(image.Rect(0, 0, 413, 531)))
	for _, r := range oinp.Checklist(app) {
		if !r.Mandatory {
			continue
		}
		doc, content := oinp.Document{Kind: r.Kind, Person: r.Person, Name: r.Kind + ".pdf"}, []byte("%PDF-1.7\n")
		if r.Kind == "photo" {
			doc.Name, content = "photo.png", photo.Bytes()
		}
		if _, _, err := p.st.AttachDocument(p.by, doc, content); err != nil {
			t.Fatal(err)
		}
	}
	p.sync()
	rec, _, err := p.st.Application(p.by)
	if err != nil {
		t.Fatal(err)
	}
	if ps := oinp.Validate(&rec.App, domain.DateOf(time.Now())); len(ps) > 0 {
		t.Fatalf("the example file is not complete: %d problems, the first %s %v", len(ps), ps[0].Err.Field, ps[0].Err.Code)
	}
	return p, rec
}

// TestAttackUnderpaidFee: an applicant's desk submits a complete file in
// the GTA with a receipt of its own — a cent with no card (as measured
// before the server took payments), or a receipt that reads as the whole
// fee — and each is refused (oinp.fee.receipt: the receipt is the
// server's); with a card and the fee outside the GTA or a cent agreed to,
// refused (oinp.fee.amount), nothing charged; without a card, refused
// (oinp.card.missing); with a card the sandbox declines, refused. The file
// stays a draft. With the card and the GTA's fee, it is submitted, paid
// by the server's receipt: the server's reference, amount and clock,
// marked sandbox.
func TestAttackUnderpaidFee(t *testing.T) {
	hs := startFacts(t)
	p, rec := hs.oinpReadyToSubmit(t, "linh.fee")
	if in, _ := rec.App.InGTA(assets.OINPTables()); in != oinp.Yes {
		t.Fatalf("the example job is not in the GTA: %s", in)
	}
	card := oinp.Card{Number: "4111111111111111", Name: "Linh Nguyen", ExpMonth: 1, ExpYear: 2099, CVC: "123"}
	declined := card
	declined.Number = "4000000000000002"
	for name, c := range map[string]struct {
		p    applications.SubmitPayload
		want domain.Code
	}{
		"a cent, no card": {applications.SubmitPayload{Receipt: &oinp.Receipt{Reference: "X", AmountCents: 1, Brand: "visa",
			Last4: "0000"}}, oinp.ErrReceiptFromDesk},
		"a receipt for the whole fee": {applications.SubmitPayload{FeeCents: oinp.FeeGTACents, Card: &card, Receipt: &oinp.Receipt{
			Reference: "SANDBOX-FEE-1", AmountCents: oinp.FeeGTACents, Brand: "visa", Last4: "1111", Paid: time.Now(), Sandbox: true}},
			oinp.ErrReceiptFromDesk},
		"a cent agreed to":             {applications.SubmitPayload{FeeCents: 1, Card: &card}, oinp.ErrFeeAmount},
		"the fee outside the GTA":      {applications.SubmitPayload{FeeCents: oinp.FeeOutsideCents, Card: &card}, oinp.ErrFeeAmount},
		"no card":                      {applications.SubmitPayload{FeeCents: oinp.FeeGTACents}, oinp.ErrCardMissing},
		"a card the processor refuses": {applications.SubmitPayload{FeeCents: oinp.FeeGTACents, Card: &declined}, oinp.ErrCardDecline},
	} {
		a, ans := hs.push(t, p, applications.KindSubmitApplication, p.by.Account, c.p)
		if a.status != 200 {
			t.Fatalf("%s: HTTP %d", name, a.status)
		}
		refusedWith(t, name, ans, c.want)
	}
	p.sync()
	if got, _, _ := p.st.Application(p.by); !got.App.Submitted.IsZero() || got.App.Payment != nil {
		t.Fatalf("submitted %v on %+v", got.App.Submitted, got.App.Payment)
	}
	before := time.Now()
	if _, ans := hs.push(t, p, applications.KindSubmitApplication, p.by.Account,
		applications.SubmitPayload{FeeCents: oinp.FeeGTACents, Card: &card}); ans.Outcome != sync.Applied {
		t.Fatalf("the fee paid: %+v", ans)
	}
	p.sync()
	got, _, _ := p.st.Application(p.by)
	if r := got.App.Payment; got.App.Submitted != domain.DateOf(time.Now()) || r == nil || r.AmountCents != oinp.FeeGTACents ||
		!r.Sandbox || r.Last4 != "1111" || !strings.HasPrefix(r.Reference, "SANDBOX-"+strings.TrimPrefix(string(got.App.FileNumber), "JOID-")) ||
		r.Paid.Before(before.Add(-time.Second)) || r.Paid.After(time.Now()) {
		t.Fatalf("submitted %v on %+v", got.App.Submitted, got.App.Payment)
	}
	hs.servesTheDIR()
}

// TestAttackRepFillsSignedEmployerForm: the active representative of a
// file whose Employer Form the employer signed and linked sends a save
// that changes the employer's tabs — a field the employer filled (the
// wage) is refused as read-only; one it left empty (its proof of
// recruitment) is not taken: the file keeps the form as signed.
func TestAttackRepFillsSignedEmployerForm(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.signed", "123 456 782", "Les Serres Côté Inc.")
	owner, file := hs.applicantWithFile(t, "linh.signed", oinp.Application{LearnedFrom: "employer",
		Contact: oinp.Contact{Email: "linh.signed@example.ca"}, Employer: oinp.EmployerForm{BusinessNumber: "123456782"}})
	form, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, exampleForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if form, _, err = farm.st.SignEmployerForm(farm.by, form.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := farm.st.LinkEmployerForm(farm.by, form.ID, string(file.App.FileNumber)); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	rep := hs.registered(t, "sam.signed", (programs.Desk).RegisterRepresentative)
	if _, ans := hs.push(t, rep, applications.KindRepRequest, rep.by.Account, applications.RepRequestPayload{FileNumber: file.App.FileNumber,
		Email: "linh.signed@example.ca"}); ans.Outcome != sync.Applied {
		t.Fatalf("the request: %+v", ans)
	}
	owner.sync()
	if _, err := owner.st.DecideRepresentation(owner.by, rep.by.Account, true); err != nil {
		t.Fatal(err)
	}
	owner.sync()
	rep.sync()
	client, err := rep.st.ClientApplication(rep.by, owner.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	signed := client.App.Employer
	if client.EmployerForm == nil || signed.Offer.WageCents == 0 || signed.Offer.RecruitmentProof != oinp.Unanswered {
		t.Fatalf("the linked form: %+v", signed)
	}

	app := client.App
	app.Employer.Offer.WageCents = signed.Offer.WageCents * 2
	_, ans := hs.push(t, rep, applications.KindSaveApplication, owner.by.Account, applications.SaveApplicationPayload{App: app, At: time.Now()})
	refusedWith(t, "the employer's wage", ans, oinp.ErrRepReadOnly)

	app = client.App
	app.Employer.Offer.RecruitmentProof = oinp.Yes
	app.Contact.AltPhone = "905-555-0111" // the representative's to fill
	if _, ans = hs.push(t, rep, applications.KindSaveApplication, owner.by.Account,
		applications.SaveApplicationPayload{App: app, At: time.Now()}); ans.Outcome != sync.Applied {
		t.Fatalf("the representative's save: %+v", ans)
	}
	owner.sync()
	got, _, err := owner.st.Application(owner.by)
	if err != nil {
		t.Fatal(err)
	}
	if got.App.Employer != signed || got.App.Contact.AltPhone != "905-555-0111" || got.RepFilled["employer.offer.recruitmentProof"] {
		t.Fatalf("the file's employer tabs %+v (signed %+v), alternate phone %q, representative filled %v",
			got.App.Employer.Offer, signed.Offer, got.App.Contact.AltPhone, got.RepFilled)
	}
	hs.servesTheDIR()
}

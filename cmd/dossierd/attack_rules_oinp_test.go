package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
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
// the GTA with a receipt that does not pay its fee — a cent, the fee
// outside the GTA, a receipt without a reference, a card brand the
// program does not take — and each is refused, the file left a draft; the
// fee paid, it is submitted.
func TestAttackUnderpaidFee(t *testing.T) {
	hs := startFacts(t)
	p, rec := hs.oinpReadyToSubmit(t, "linh.fee")
	if in, _ := rec.App.InGTA(assets.OINPTables()); in != oinp.Yes {
		t.Fatalf("the example job is not in the GTA: %s", in)
	}
	paid := oinp.Receipt{Reference: "SANDBOX-FEE-1", AmountCents: oinp.FeeGTACents, Brand: "visa", Last4: "1111",
		Paid: time.Now(), Sandbox: true}
	for name, lie := range map[string]func(*oinp.Receipt){
		"a cent":                  func(r *oinp.Receipt) { r.AmountCents = 1 },
		"the fee outside the GTA": func(r *oinp.Receipt) { r.AmountCents = oinp.FeeOutsideCents },
		"no reference":            func(r *oinp.Receipt) { r.Reference = "" },
		"another brand":           func(r *oinp.Receipt) { r.Brand = "amex" },
	} {
		r := paid
		lie(&r)
		a, ans := hs.push(t, p, applications.KindSubmitApplication, p.by.Account, applications.SubmitPayload{Receipt: r})
		if a.status != 200 {
			t.Fatalf("%s: HTTP %d", name, a.status)
		}
		refusedWith(t, name, ans, oinp.ErrFeeUnpaid)
	}
	p.sync()
	if got, _, _ := p.st.Application(p.by); !got.App.Submitted.IsZero() || got.App.Payment != nil {
		t.Fatalf("submitted %v on %+v", got.App.Submitted, got.App.Payment)
	}
	if _, ans := hs.push(t, p, applications.KindSubmitApplication, p.by.Account, applications.SubmitPayload{Receipt: paid}); ans.Outcome != sync.Applied {
		t.Fatalf("the fee paid: %+v", ans)
	}
	p.sync()
	if got, _, _ := p.st.Application(p.by); got.App.Submitted != domain.DateOf(time.Now()) || got.App.Payment == nil ||
		got.App.Payment.AmountCents != oinp.FeeGTACents {
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

package applications

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/storetest"
)

// TestApplicationSaveAndRegister: saves keep the file number and the
// registration day, an applicant registers once, only an applicant has an
// application, and every save survives reopening with its outbox command.
func TestApplicationSaveAndRegister(t *testing.T) {
	s, clock := mustCreate(t)
	me := storetest.MustApplicant(t, s.Engine(), "linh.nguyen")
	if _, found, err := s.Application(me); err != nil || found {
		t.Fatalf("an application before any save: %v %v", found, err)
	}
	app := oinp.Application{Applicant: oinp.Applicant{FamilyName: "Nguyen", GivenNames: "Linh"}, LearnedFrom: "employer",
		FileNumber: "JOID-0000001", Submitted: domain.Date{Year: 2026, Month: 1, Day: 1}}
	rec, err := s.SaveApplication(me, app)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Version != 1 || rec.App.FileNumber != "" || !rec.App.Submitted.IsZero() {
		t.Fatalf("a save set the file's own fields: %+v", rec)
	}
	reg, err := s.RegisterApplication(me)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oinp.ParseFileNumber(string(reg.App.FileNumber)); err != nil || reg.App.Registered != domain.DateOf(clock.Now()) {
		t.Fatalf("registered %q on %v", reg.App.FileNumber, reg.App.Registered)
	}
	if reg.App.Deadline() != domain.DateOf(clock.Now()).AddDays(14) || reg.App.LearnedFrom != "employer" {
		t.Fatalf("deadline %v, form %+v", reg.App.Deadline(), reg.App)
	}
	if _, err := s.RegisterApplication(me); !errors.Is(err, ErrAlreadyRegistered) {
		t.Fatalf("registered twice: %v", err)
	}
	app.LearnedFrom = "website"
	if rec, err = s.SaveApplication(me, app); err != nil || rec.App.FileNumber != reg.App.FileNumber || rec.Version != 3 {
		t.Fatalf("save after registering: %+v %v", rec, err)
	}
	student := account.Actor{Account: me.Account, Role: account.Student}
	if _, err := s.SaveApplication(student, app); !errors.Is(err, ErrNotApplicant) {
		t.Fatalf("a student saved an application: %v", err)
	}
	if _, _, err := s.Application(student); !errors.Is(err, ErrNotApplicant) {
		t.Fatalf("a student read an application: %v", err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock))
	got, found, err := s.Application(me)
	if err != nil || !found || got.App.LearnedFrom != "website" || got.App.FileNumber != reg.App.FileNumber {
		t.Fatalf("after reopening: %+v %v %v", got, found, err)
	}
	out, err := s.PendingFor(me.Account, 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range out {
		kinds = append(kinds, string(e.Command.Kind))
	}
	want := []string{"account.register", "oinp.edit", "oinp.register", "oinp.edit"}
	if len(kinds) != len(want) {
		t.Fatalf("outbox %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("outbox %v, want %v", kinds, want)
		}
	}
}

// TestAttachments: a document is checked, kept encrypted, listed on the
// application and read back; a save from the form keeps the list (taking
// only the translation flags); removing a document removes its content
// and its translations.
func TestAttachments(t *testing.T) {
	s, clock := mustCreate(t)
	me := storetest.MustApplicant(t, s.Engine(), "linh.nguyen")
	pdf := []byte("%PDF-1.7\nLinh Nguyen passport\n%%EOF\n")
	rec, doc, err := s.AttachDocument(me, oinp.Document{Kind: "passport", Name: "passport.pdf"}, pdf)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Type != "pdf" || doc.Size != int64(len(pdf)) || len(doc.SHA256) != 64 || len(rec.App.Documents) != 1 {
		t.Fatalf("attached %+v, record %+v", doc, rec.App.Documents)
	}
	if _, _, err := s.AttachDocument(me, oinp.Document{Kind: "passport", Name: "passport.pdf"}, []byte("MZ\x90\x00")); domain.ErrorCode(err) != oinp.ErrDocumentType {
		t.Fatalf("a program attached: %v", err)
	}
	tr, tdoc, err := s.AttachDocument(me, oinp.Document{Kind: "translation", Name: "translation.pdf", TranslationOf: doc.ID}, pdf)
	if err != nil || len(tr.App.Documents) != 2 {
		t.Fatalf("translation: %v %+v", err, tr.App.Documents)
	}
	form := tr.App
	form.Documents = []oinp.Document{{ID: doc.ID, NeedsTranslation: oinp.Yes}} // a stale form
	saved, err := s.SaveApplication(me, form)
	if err != nil || len(saved.App.Documents) != 2 || saved.App.Documents[0].NeedsTranslation != oinp.Yes {
		t.Fatalf("save kept %+v (%v)", saved.App.Documents, err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock))
	// The content is in the file (and in the outbox) only encrypted.
	raw, err := os.ReadFile(s.Path())
	if err != nil || bytes.Contains(raw, []byte("Linh Nguyen passport")) || bytes.Contains(raw, []byte("passport.pdf")) {
		t.Fatalf("an attachment in clear in the file (%v)", err)
	}
	got, err := s.DocumentContent(me, doc.ID)
	if err != nil || string(got) != string(pdf) {
		t.Fatalf("content %q %v", got, err)
	}
	other := account.Actor{Account: domain.ID{7}, Role: account.Applicant}
	if _, err := s.DocumentContent(other, doc.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another applicant read it: %v", err)
	}
	rec, err = s.RemoveDocument(me, doc.ID)
	if err != nil || len(rec.App.Documents) != 0 {
		t.Fatalf("remove: %v %+v", err, rec.App.Documents)
	}
	if _, err := s.DocumentContent(me, tdoc.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the translation stayed: %v", err)
	}
}

// BenchmarkAttach10MB attaches a 10 MB passport: the type check, the
// hash, sealing it twice (the attachment and its outbox command) and one
// durable commit (target < 1 s).
func BenchmarkAttach10MB(b *testing.B) {
	s, _ := mustCreate(b)
	me := storetest.MustApplicant(b, s.Engine(), "linh.nguyen")
	pdf := append([]byte("%PDF-1.7\n"), make([]byte, oinp.MaxPassportBytes-9)...)
	for b.Loop() {
		if _, _, err := s.AttachDocument(me, oinp.Document{Kind: "passport", Name: "passport.pdf"}, pdf); err != nil {
			b.Fatal(err)
		}
	}
}

// completeApplication saves the example application and attaches every
// mandatory document, as an applicant would before paying.
func completeApplication(tb testing.TB, s Store, me account.Actor) ApplicationRecord {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	app, err := oinp.ReadFile(f)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.SaveApplication(me, *app); err != nil {
		tb.Fatal(err)
	}
	var png bytes.Buffer
	if err := pngEncode(&png, 413, 531); err != nil {
		tb.Fatal(err)
	}
	for _, r := range oinp.Checklist(app) {
		if !r.Mandatory {
			continue
		}
		doc, content := oinp.Document{Kind: r.Kind, Person: r.Person, Name: r.Kind + ".pdf"}, []byte("%PDF-1.7\n")
		if r.Kind == "photo" {
			doc.Name, content = "photo.png", png.Bytes()
		}
		if _, _, err := s.AttachDocument(me, doc, content); err != nil {
			tb.Fatal(err)
		}
	}
	rec, _, err := s.Application(me)
	if err != nil {
		tb.Fatal(err)
	}
	return rec
}

// TestSubmit: an application is submitted registered, within its 14 days
// and complete, for its fee, by a card that reads as one; it is then
// locked, waiting for the server to take its fee, with the card nowhere
// in the file (in memory only, until the server answers), can be
// withdrawn, and takes change notices.
func TestSubmit(t *testing.T) {
	s, clock := mustCreate(t)
	clock.Set(time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC))
	me := storetest.MustApplicant(t, s.Engine(), "linh.nguyen")
	card := oinp.Card{Number: "4111111111111111", Name: "Linh Nguyen", ExpMonth: 1, ExpYear: 2030, CVC: "987"}
	fee := int64(oinp.FeeGTACents)
	if _, err := s.SubmitApplication(me, card, fee); !errors.Is(err, ErrNotRegistered) && !errors.Is(err, ErrIncomplete) {
		t.Fatalf("an empty application submitted: %v", err)
	}
	completeApplication(t, s, me)
	if _, err := s.SubmitApplication(me, card, fee); !errors.Is(err, ErrNotRegistered) {
		t.Fatalf("submitted unregistered: %v", err)
	}
	rec, err := s.RegisterApplication(me)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(15 * 24 * time.Hour)
	if _, err := s.SubmitApplication(me, card, fee); !errors.Is(err, ErrRegistrationExpired) {
		t.Fatalf("submitted after the 14 days: %v", err)
	}
	clock.Add(-2 * 24 * time.Hour)
	if _, err := s.RemoveDocument(me, rec.App.Documents[1].ID); err != nil { // the passport
		t.Fatal(err)
	}
	if _, err := s.SubmitApplication(me, card, fee); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("submitted without a passport: %v", err)
	}
	if _, _, err := s.AttachDocument(me, oinp.Document{Kind: "passport", Name: "p.pdf"}, []byte("%PDF-1.7\n")); err != nil {
		t.Fatal(err)
	}
	expired := card
	expired.ExpYear = 2025
	if _, err := s.SubmitApplication(me, expired, fee); domain.ErrorCode(err) != oinp.ErrCardExpired || s.HoldsCard(me.Account) {
		t.Fatalf("an expired card: %v (held %v)", err, s.HoldsCard(me.Account))
	}
	if _, err := s.SubmitApplication(me, card, oinp.FeeOutsideCents); domain.ErrorCode(err) != oinp.ErrFeeAmount {
		t.Fatalf("the fee outside the GTA agreed to, for a job in it: %v", err)
	}
	if rec, err = s.SubmitApplication(me, card, fee); err != nil {
		t.Fatal(err)
	}
	if rec.App.Submitted != domain.DateOf(clock.Now()) || !rec.App.AwaitingPayment() || !s.HoldsCard(me.Account) {
		t.Fatalf("submitted %+v", rec.App)
	}
	pending, _ := s.PendingFor(me.Account, 100)
	last := pending[len(pending)-1].Command
	if last.Kind != KindSubmitApplication || bytes.Contains(last.Payload, []byte("4111")) || bytes.Contains(last.Payload, []byte("987")) {
		t.Fatalf("the queued submission: %s %s", last.Kind, last.Payload)
	}
	// As it is pushed, and only then, it carries the card.
	pushed, err := s.Engine().ExpandCommand(last)
	if err != nil || !bytes.Contains(pushed.Payload, []byte(`"number":"4111111111111111"`)) {
		t.Fatalf("the pushed submission: %s %v", pushed.Payload, err)
	}
	s = On(storetest.Reopen(t, s.Engine(), clock))
	raw, _ := os.ReadFile(s.Path())
	if bytes.Contains(raw, []byte("4111111111111111")) {
		t.Fatal("the card number is in the file")
	}
	if s.HoldsCard(me.Account) {
		t.Fatal("a reopened profile holds the card")
	}
	// Typed again, the card is held for the push; a mistyped one is not.
	mistyped := card
	mistyped.Number = "4111111111111112"
	if err := s.HoldCard(me, me.Account, mistyped); domain.ErrorCode(err) != oinp.ErrCardCheck || s.HoldsCard(me.Account) {
		t.Fatalf("a mistyped card: %v", err)
	}
	if err := s.HoldCard(me, me.Account, card); err != nil || !s.HoldsCard(me.Account) {
		t.Fatalf("the card typed again: %v", err)
	}
	if _, err := s.SaveApplication(me, rec.App); !errors.Is(err, ErrSubmitted) {
		t.Fatalf("saved after submission: %v", err)
	}
	if _, _, err := s.AttachDocument(me, oinp.Document{Kind: "other", Name: "x.pdf"}, []byte("%PDF-1.7\n")); !errors.Is(err, ErrSubmitted) {
		t.Fatalf("attached after submission: %v", err)
	}
	if _, err := s.NotifyChange(me, "  "); domain.ErrorCode(err) != ErrNoticeEmpty {
		t.Fatalf("an empty notice: %v", err)
	}
	if rec, err = s.NotifyChange(me, "New address: 40 King St, Mississauga"); err != nil || len(rec.App.Notices) != 1 {
		t.Fatalf("notice: %v %+v", err, rec.App.Notices)
	}
	if rec, err = s.WithdrawApplication(me); err != nil || rec.App.Withdrawn.IsZero() {
		t.Fatalf("withdraw: %v", err)
	}
	if _, err := s.WithdrawApplication(me); !errors.Is(err, ErrWithdrawn) {
		t.Fatalf("withdrawn twice: %v", err)
	}
}

func pngEncode(w *bytes.Buffer, width, height int) error {
	return png.Encode(w, image.NewGray(image.Rect(0, 0, width, height)))
}

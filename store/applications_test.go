package store

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
)

func mustApplicant(tb testing.TB, s *Store, user string) account.Actor {
	tb.Helper()
	a, err := s.RegisterApplicant(account.Registration{UserID: user, Password: "a long password 1", GivenNames: "Linh",
		FamilyName: "Nguyen", Email: "linh@example.ca", AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{
			{Question: "First school?", Answer: "answer one"}, {Question: "First pet?", Answer: "answer two"},
			{Question: "Street?", Answer: "answer three"}, {Question: "Book?", Answer: "answer four"}}})
	if err != nil {
		tb.Fatal(err)
	}
	if a.Role != account.Applicant {
		tb.Fatalf("registered as %s", a.Role)
	}
	return a.Actor()
}

// TestApplicationSaveAndRegister: saves keep the file number and the
// registration day, an applicant registers once, only an applicant has an
// application, and every save survives reopening with its outbox command.
func TestApplicationSaveAndRegister(t *testing.T) {
	s, clock := MustCreateStore(t)
	me := mustApplicant(t, s, "linh.nguyen")
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
	s = reopen(t, s, clock)
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
	want := []string{"account.register", "oinp.save", "oinp.register", "oinp.save"}
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
	s, clock := MustCreateStore(t)
	me := mustApplicant(t, s, "linh.nguyen")
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
	s = reopen(t, s, clock)
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
	if _, err := s.DocumentContent(other, doc.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another applicant read it: %v", err)
	}
	rec, err = s.RemoveDocument(me, doc.ID)
	if err != nil || len(rec.App.Documents) != 0 {
		t.Fatalf("remove: %v %+v", err, rec.App.Documents)
	}
	if _, err := s.DocumentContent(me, tdoc.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the translation stayed: %v", err)
	}
}

// BenchmarkAttach10MB attaches a 10 MB passport: the type check, the
// hash, sealing it twice (the attachment and its outbox command) and one
// durable commit (target < 1 s).
func BenchmarkAttach10MB(b *testing.B) {
	s, _ := MustCreateStore(b)
	me := mustApplicant(b, s, "linh.nguyen")
	pdf := append([]byte("%PDF-1.7\n"), make([]byte, oinp.MaxPassportBytes-9)...)
	for b.Loop() {
		if _, _, err := s.AttachDocument(me, oinp.Document{Kind: "passport", Name: "passport.pdf"}, pdf); err != nil {
			b.Fatal(err)
		}
	}
}

package ui

import (
	"errors"
	mrand "math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/report"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/translations"
)

var officerQuestions = [account.QuestionCount]account.SecurityQuestion{
	{Question: "First school?", Answer: "answer one"}, {Question: "First pet?", Answer: "answer two"},
	{Question: "Street?", Answer: "answer three"}, {Question: "Book?", Answer: "answer four"}}

// registerApplicant registers an applicant through the Register screen.
func registerApplicant(t *testing.T, e *Env, given, family, user string) {
	t.Helper()
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fillCredentials(f, given, family, user)
	f.email.SetText(user + "@example.ca")
	f.as.SetSelected(f.as.Options[1])
	test.Tap(f.submit)
	if e.Account.Role != account.Applicant {
		t.Fatalf("registered as %v: %q", e.Account.Role, f.form.general.Text)
	}
}

// submitExample has the signed-in applicant submit the example
// application under their name, for a job in municipality, with letters
// in lang: every mandatory document attached, the fee paid in the
// sandbox.
func submitExample(t *testing.T, e *Env, given, family, municipality, lang string) applications.ApplicationRecord {
	t.Helper()
	rec := readyExample(t, e, given, family, municipality, lang)
	fee := oinp.Evaluate(&rec.App, domain.DateOf(e.Now()), assets.OINPTables()).FeeCents
	card := oinp.Card{Number: "4111111111111111", Name: given + " " + family, ExpMonth: 1, ExpYear: 2099, CVC: "123"}
	var err error
	if e.Sync != nil {
		// The server takes the fee as the submission reaches it.
		if rec, err = e.Store.SubmitApplication(e.Actor(), card, fee); err != nil {
			t.Fatal(err)
		}
		e.application = nil
		return rec
	}
	receipt, err := oinp.Sandbox{}.Charge("demo", rec.App.FileNumber, fee, card, e.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rec, err = e.Store.SubmitPaid(e.Actor(), rec.Applicant, receipt); err != nil {
		t.Fatal(err)
	}
	e.application = nil
	return rec
}

// readyExample has the signed-in applicant fill and register the example
// application, complete, as submitExample describes it.
func readyExample(t *testing.T, e *Env, given, family, municipality, lang string) applications.ApplicationRecord {
	t.Helper()
	a := example(t)
	a.Applicant.GivenNames, a.Applicant.FamilyName = given, family
	a.Intent.SignedName = given + " " + family
	for i := range a.Agreements {
		if a.Agreements[i].Name == "Linh Nguyen" {
			a.Agreements[i].Name = given + " " + family
		}
	}
	a.Employer.Offer.Municipality = municipality
	a.Contact.Language = lang
	if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
		t.Fatal(err)
	}
	for _, r := range oinp.Checklist(a) {
		if !r.Mandatory {
			continue
		}
		doc, content := oinp.Document{Kind: r.Kind, Person: r.Person, Name: r.Kind + ".pdf"}, []byte("%PDF-1.7\n")
		if r.Kind == "photo" {
			doc.Name, content = "photo.png", photoPNG(t, 413, 531)
		}
		if _, _, err := e.Store.AttachDocument(e.Actor(), doc, content); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := e.Store.RegisterApplication(e.Actor())
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// officerOn creates a program officer on the server (the program's first,
// or another the administrator adds) and signs them in on a fresh desk.
func officerOn(t *testing.T, srv *syncServer, user, given string) *Env {
	t.Helper()
	r := account.Registration{UserID: user, Password: "a long password 1", GivenNames: given, FamilyName: "Ouellet",
		AcceptTerms: true, Questions: officerQuestions}
	_, err := srv.sv.CreateProgramAccount(r)
	if errors.Is(err, store.ErrProgramExists) {
		_, err = srv.sv.AddProgramOfficer(r)
	}
	if err != nil {
		t.Fatal(err)
	}
	e := freshDesk(t)
	connectDesk(t, e, srv)
	e.Show(ScreenSignIn)
	signInAs(t, e, user, "a long password 1")
	if e.Current().ID != ScreenOfficerFiles.ID {
		t.Fatalf("the officer lands on %s", e.Current().ID)
	}
	return e
}

// applicantOn registers an applicant on a fresh desk connected to the
// server, who submits the example application.
func applicantOn(t *testing.T, srv *syncServer, given, family, user, municipality, lang string) (*Env, applications.ApplicationRecord) {
	t.Helper()
	e := freshDesk(t)
	connectDesk(t, e, srv)
	registerApplicant(t, e, given, family, user)
	rec := submitExample(t, e, given, family, municipality, lang)
	online(t, e, given)
	return e, rec
}

func filesView(t *testing.T, e *Env) *officerFilesView {
	t.Helper()
	v, ok := e.view.(*officerFilesView)
	if !ok {
		t.Fatalf("not on the officer's files: %s", e.Current().ID)
	}
	return v
}

func fileView(t *testing.T, e *Env) *officerFileView {
	t.Helper()
	v, ok := e.view.(*officerFileView)
	if !ok {
		t.Fatalf("not on an officer's file: %s", e.Current().ID)
	}
	return v
}

// shownNumbers are the file numbers the queue lists.
func shownNumbers(v *officerFilesView) []string {
	var out []string
	for _, r := range v.rows {
		out = append(out, string(r.FileNumber))
	}
	return out
}

// texts is every label's text under o, joined.
func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	walkLabels(o, func(s string) { b.WriteString(s + "\n") })
	return b.String()
}

// decisionOf opens the applicant's Processing Fee tab afresh and returns
// its decision panel.
func decisionOf(t *testing.T, e *Env) (*appView, *decisionView) {
	t.Helper()
	e.application = nil
	e.Show(ScreenApplication(oinp.TabFee))
	v := appViewOf(t, e)
	if v.decision == nil {
		t.Fatal("no decision panel on a submitted file")
	}
	return v, v.decision
}

func printedText(t *testing.T, e *Env, b *widget.Button) string {
	t.Helper()
	if b == nil {
		t.Fatal("no such print button")
	}
	e.lastPrinted = printed{}
	test.Tap(b)
	p := waitPrinted(t, e)
	if p.err != nil {
		t.Fatal(p.err)
	}
	return pdfWords(t, p.path)
}

// TestOfficerWorksAFileThroughTheScreens: through the screens, over a real
// server: two applicants submit; an officer finds each file by filter and
// search (an unreadable date said under its field, the typed text kept),
// asks one for information (a due date in the past refused under the
// field), which the applicant reads and answers after sync; the officer
// approves, and the applicant sees the nomination and prints the Letter of
// Nomination in their language of correspondence with the certificate
// number and expiry. The other file is refused (an empty reason refused),
// its review recorded; the officer who refused is told plainly they cannot
// decide it, and another officer overturns it, then extends the
// nomination, whose certificate reprints with the new expiry.
func TestOfficerWorksAFileThroughTheScreens(t *testing.T) {
	srv := startSyncServer(t)
	linh, linhRec := applicantOn(t, srv, "Linh", "Nguyen", "linh.nguyen", "Mississauga", "fr")
	eloise, eloiseRec := applicantOn(t, srv, "Éloïse", "Côté-Lévesque", "eloise.cote", "Ottawa", "en")
	one := officerOn(t, srv, "officer.one", "Pat")
	today := domain.DateOf(time.Now())

	syncWait(t, one, "both files on the officer's desk", func() bool {
		q, _ := one.Store.ProcessingQueue(one.Actor(), applications.FileFilter{})
		return len(q) == 2
	})
	one.Show(ScreenOfficerFiles)
	q := filesView(t, one)
	if len(q.rows) != 2 || !strings.Contains(q.count.Text, "2") {
		t.Fatalf("queue %v, count %q", shownNumbers(q), q.count.Text)
	}
	q.gta.SetSelected(one.T("officer.files.gta.no"))
	if got := shownNumbers(q); len(got) != 1 || got[0] != string(eloiseRec.App.FileNumber) {
		t.Fatalf("outside the GTA: %v", got)
	}
	q.gta.SetSelectedIndex(0)
	q.search.SetText("cote LEVESQUE")
	if got := shownNumbers(q); len(got) != 1 || got[0] != string(eloiseRec.App.FileNumber) {
		t.Fatalf("search without accents: %v", got)
	}
	q.search.SetText(strings.ToLower(string(linhRec.App.FileNumber)))
	if got := shownNumbers(q); len(got) != 1 || got[0] != string(linhRec.App.FileNumber) {
		t.Fatalf("search by file number: %v", got)
	}
	q.from.SetText("2026-13-01")
	if !q.fromErr.Visible() || !strings.Contains(q.fromErr.Text, "YYYY-MM-DD") || q.from.Text != "2026-13-01" {
		t.Fatalf("an unreadable date: %q (typed %q)", q.fromErr.Text, q.from.Text)
	}
	q.from.SetText(today.AddDays(1).String())
	if q.fromErr.Visible() || len(q.rows) != 0 {
		t.Fatalf("submitted from tomorrow: %v", shownNumbers(q))
	}
	q.from.SetText(today.String())
	q.status.SetSelected(one.T(oinp.StatusSubmitted.MessageKey()))
	if len(q.rows) != 1 {
		t.Fatalf("submitted today, status submitted, Linh's number: %v", shownNumbers(q))
	}
	// Printed as filtered: the filter in words, the one file, not the other.
	text := printedText(t, one, q.print)
	for _, w := range []string{"Files to process", "Status: Submitted", "Submitted from " + today.String(),
		"Search: " + strings.ToLower(string(linhRec.App.FileNumber)), string(linhRec.App.FileNumber), "Applications: 1"} {
		if !strings.Contains(text, w) {
			t.Errorf("the printed queue lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, string(eloiseRec.App.FileNumber)) {
		t.Error("the printed queue holds a file the filter left out")
	}
	q = filesView(t, one)
	q.open(0)

	// A request for information: a due date in the past, then one that
	// does not read, each said under the field with the text kept.
	v := fileView(t, one)
	if v.ask.Disabled() || v.approve.Disabled() || !v.recordReview.Disabled() || !v.extend.Disabled() {
		t.Fatal("the actions of a submitted file are not the ones the rules allow")
	}
	test.Tap(v.ask)
	v.infoText.SetText("Send your two latest pay stubs.")
	v.infoDue.SetText(today.AddDays(-1).String())
	test.Tap(v.infoSend)
	if l := v.info.errors["due"]; !l.Visible() || !strings.Contains(l.Text, "must be after") || v.infoText.Text == "" {
		t.Fatalf("a due date in the past: %q", l.Text)
	}
	v.infoDue.SetText("in two weeks")
	test.Tap(v.infoSend)
	if l := v.info.errors["due"]; !strings.Contains(l.Text, "YYYY-MM-DD") || v.infoDue.Text != "in two weeks" {
		t.Fatalf("an unreadable due date: %q", l.Text)
	}
	due := today.AddDays(14)
	v.infoDue.SetText(due.String())
	test.Tap(v.infoSend)
	v = fileView(t, one)
	if !strings.Contains(texts(v.history), "Send your two latest pay stubs.") {
		t.Fatalf("the request is not in the history:\n%s", texts(v.history))
	}
	online(t, one, "the officer, request sent")

	// The applicant reads the request, its due day among their dates, and
	// answers it (an empty answer refused).
	syncWait(t, linh, "the request on the applicant's desk", func() bool {
		rec, _, _ := linh.Store.Application(linh.Actor())
		return len(rec.App.OpenRequests()) == 1
	})
	av, d := decisionOf(t, linh)
	if len(d.answers) != 1 || !strings.Contains(d.status.Text, "Information requested") {
		t.Fatalf("the applicant's panel: %q, %d answer boxes", d.status.Text, len(d.answers))
	}
	if all := texts(av.content); !strings.Contains(all, "Send the information the program asked for by: "+linh.Tr().Date(due)) {
		t.Fatalf("the information's due day is not among the applicant's dates:\n%s", all)
	}
	for id := range d.answers {
		test.Tap(d.send[id])
		if l := d.forms[id].errors["answer"]; !l.Visible() {
			t.Fatal("an empty answer was not refused")
		}
		d.answers[id].SetText("Attached to Supporting Documents: two pay stubs.")
		test.Tap(d.send[id])
	}
	if _, d = decisionOf(t, linh); len(d.answers) != 0 || !strings.Contains(texts(d.lines), "two pay stubs") {
		t.Fatalf("after answering: %d open, lines:\n%s", len(d.answers), texts(d.lines))
	}
	online(t, linh, "the applicant, answer sent")

	// The officer approves.
	syncWait(t, one, "the answer on the officer's desk", func() bool {
		rec, _ := one.Store.FileFor(one.Actor(), linhRec.Applicant)
		return len(rec.App.InfoRequests) == 1 && !rec.App.InfoRequests[0].Open()
	})
	one.Show(ScreenOfficerFile(linhRec.Applicant))
	v = fileView(t, one)
	test.Tap(v.approve)
	test.Tap(findButton(t, one, "Confirm"))
	v = fileView(t, one)
	nomination := v.rec.App.Nomination
	if nomination == nil || !v.approve.Disabled() || v.extend.Disabled() {
		t.Fatalf("not nominated: %v", v.lastError)
	}
	online(t, one, "the officer, approval sent")

	// The applicant sees the nomination and prints the Letter of
	// Nomination, in French, their language of correspondence.
	syncWait(t, linh, "the nomination on the applicant's desk", func() bool {
		rec, _, _ := linh.Store.Application(linh.Actor())
		return rec.App.Nomination != nil
	})
	_, d = decisionOf(t, linh)
	if !strings.Contains(d.status.Text, "Nominated") || !strings.Contains(texts(d.lines), nomination.Certificate) {
		t.Fatalf("the applicant's panel after approval: %q\n%s", d.status.Text, texts(d.lines))
	}
	text = printedText(t, linh, d.prints[string(report.KindNominationLetter)])
	fr := translations.New(translations.French)
	for _, w := range []string{"Lettre de désignation", nomination.Certificate, fr.Date(nomination.Expires)} {
		if !strings.Contains(text, w) {
			t.Errorf("the Letter of Nomination lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "Letter of Nomination") {
		t.Error("the Letter of Nomination is in English, not the applicant's French")
	}

	// The other file: refused (an empty reason first), its review
	// recorded (an unreadable day first).
	one.Show(ScreenOfficerFile(eloiseRec.Applicant))
	v = fileView(t, one)
	test.Tap(v.refuse)
	v.reasons.SetText("  \n ")
	test.Tap(v.refuseSend)
	if l := v.refusal.errors["reasons"]; !l.Visible() || !strings.Contains(l.Text, "at least one reason") {
		t.Fatalf("an empty reason: %q", l.Text)
	}
	v.reasons.SetText("The occupation is not on the In-Demand Skills list.\nThe wage is below the median.")
	test.Tap(v.refuseSend)
	v = fileView(t, one)
	if v.rec.App.ProcessingStatus() != oinp.StatusRefused || v.recordReview.Disabled() {
		t.Fatalf("not refused: %v", v.lastError)
	}
	test.Tap(v.recordReview)
	v.received.SetText("yesterday")
	v.reviewReason.SetText("The NOC code was misread.")
	test.Tap(v.reviewSend)
	if l := v.review.errors["received"]; !l.Visible() || v.reviewReason.Text != "The NOC code was misread." {
		t.Fatalf("an unreadable received day: %q", l.Text)
	}
	v.received.SetText(today.String())
	test.Tap(v.reviewSend)
	v = fileView(t, one)
	if v.rec.App.ProcessingStatus() != oinp.StatusReview {
		t.Fatalf("the review is not recorded: %v", v.lastError)
	}
	// The officer who refused is told they cannot decide the review; the
	// store refuses it too.
	if !v.decideReview.Disabled() || !v.sameDecider.Visible() || !strings.Contains(v.sameDecider.Text, "another officer") {
		t.Fatalf("the original decider may decide the review: %q", v.sameDecider.Text)
	}
	v.outcome.SetSelected(v.outcome.Options[1])
	v.decideReviewNow()
	if !strings.Contains(v.decision.general.Text, "another officer must decide") {
		t.Fatalf("the store's refusal: %q", v.decision.general.Text)
	}
	online(t, one, "the officer, refusal and review sent")

	// Another officer overturns it, then extends the nomination.
	two := officerOn(t, srv, "officer.two", "Sam")
	syncWait(t, two, "the review on the second officer's desk", func() bool {
		rec, err := two.Store.FileFor(two.Actor(), eloiseRec.Applicant)
		return err == nil && rec.App.ProcessingStatus() == oinp.StatusReview
	})
	two.Show(ScreenOfficerFile(eloiseRec.Applicant))
	v = fileView(t, two)
	if v.decideReview.Disabled() || v.sameDecider.Visible() {
		t.Fatal("another officer may not decide the review")
	}
	test.Tap(v.decideReview)
	test.Tap(v.decideSend)
	if !v.decision.general.Visible() {
		t.Fatal("a review decided without an outcome")
	}
	v.outcome.SetSelected(v.outcome.Options[1])
	test.Tap(v.decideSend)
	v = fileView(t, two)
	if v.rec.App.ProcessingStatus() != oinp.StatusNominated {
		t.Fatalf("not overturned: %v", v.lastError)
	}
	test.Tap(v.extend)
	test.Tap(v.extendSend)
	if l := v.extension.errors["explanation"]; !l.Visible() {
		t.Fatal("an extension without an explanation")
	}
	v.explanation.SetText("IRCC asked for a police certificate that takes months.")
	test.Tap(v.extendSend)
	v = fileView(t, two)
	nom := v.rec.App.Nomination
	if nom == nil || len(nom.Extensions) != 1 {
		t.Fatalf("not extended: %v", v.lastError)
	}
	text = printedText(t, two, v.prints[string(report.KindCertificate)])
	en := translations.New(translations.English)
	for _, w := range []string{"Confirmation of Nomination", nom.Certificate, en.Date(nom.Expires), "extended on " + en.Date(today)} {
		if !strings.Contains(text, w) {
			t.Errorf("the reprinted certificate lacks %q:\n%s", w, text)
		}
	}
	online(t, two, "the second officer")
	syncWait(t, eloise, "the extension on the applicant's desk", func() bool {
		rec, _, _ := eloise.Store.Application(eloise.Actor())
		return rec.App.Nomination != nil && len(rec.App.Nomination.Extensions) == 1
	})
	_, d = decisionOf(t, eloise)
	if !strings.Contains(texts(d.lines), en.Date(nom.Expires)) {
		t.Fatalf("the applicant does not read the new expiry:\n%s", texts(d.lines))
	}

	// The second officer reads Éloïse's audit history from the server:
	// her submission and the program's steps on her file.
	test.Tap(v.auditBtn)
	syncWait(t, two, "the audit history", func() bool { return len(two.lastAudit) > 0 })
	actions := map[string]bool{}
	for _, a := range two.lastAudit {
		actions[a.Action] = true
	}
	if !actions["sync.oinp.submit"] || !actions["sync.oinp.nomination.extend"] {
		t.Fatalf("the audit history: %v", actions)
	}
	// Each action the server recorded is worded, in either language.
	for a := range actions {
		if w := auditAction(two, a); w == a {
			t.Errorf("the action %q shows as recorded", a)
		}
	}
	two.SetLang(translations.French)
	if w := auditAction(two, "sync.oinp.submit"); w != "A présenté la demande" {
		t.Errorf("in French, the submission reads %q", w)
	}
	if w := auditAction(two, "refused.sync.oinp.decide"); w != "A rendu une décision sur une demande (refus)" {
		t.Errorf("in French, a refused decision reads %q", w)
	}
	if w := auditDetail(two, "new→verified"); w != "Nouvelle → Vérifiée" {
		t.Errorf("in French, a status change reads %q", w)
	}
}

// goldenDesk is one profile, on a fixed day and with a fixed source of
// randomness (the file number shows), where an applicant submitted the
// example application and was asked for information by a program
// officer, who is signed in on the file's queue.
func goldenDesk(t *testing.T, lang translations.Lang) (*Env, applications.ApplicationRecord) {
	t.Helper()
	e, _ := newTestEnv(t)
	clock := &testClock{now: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	opt := e.StoreOptions
	opt.Now = clock.Now
	opt.Rand = mrand.NewChaCha8([32]byte{7})
	s, err := programs.Create(filepath.Join(e.DataDir, store.ProfileFileName), "profile password", opt)
	if err != nil {
		t.Fatal(err)
	}
	e.useStore(s)
	registerApplicant(t, e, "Linh", "Nguyen", "linh.nguyen")
	rec := submitExample(t, e, "Linh", "Nguyen", "Mississauga", "fr")
	if _, err := s.CreateProgramAccount(account.Registration{UserID: "officer", Password: "a long password 1",
		GivenNames: "Pat", FamilyName: "Ouellet", AcceptTerms: true, Questions: officerQuestions}); err != nil {
		t.Fatal(err)
	}
	e.LogOut()
	signInAs(t, e, "officer", "a long password 1")
	if _, err := s.RequestInformation(e.Actor(), rec.Applicant, "Send your two latest pay stubs.", domain.Date{Year: 2026, Month: 12, Day: 5}); err != nil {
		t.Fatal(err)
	}
	e.SetLang(lang)
	e.Window.Resize(fyne.NewSize(1240, 900))
	return e, rec
}

// TestGoldenOfficerScreens renders the officer's queue and file and the
// applicant's decision panel (answered, then nominated), in both
// languages.
func TestGoldenOfficerScreens(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e, rec := goldenDesk(t, lang)
			e.Show(ScreenOfficerFiles)
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "officer_files_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
			filesView(t, e).open(0)
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "officer_file_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))

			signInAs(t, e, "linh.nguyen", "a long password 1")
			r, _, _ := e.Store.Application(e.Actor())
			open := r.App.OpenRequests()
			if _, err := e.Store.AnswerInformation(e.Actor(), open[0].ID, "Attached: two pay stubs."); err != nil {
				t.Fatal(err)
			}
			signInAs(t, e, "officer", "a long password 1")
			if _, err := e.Store.DecideApplication(e.Actor(), rec.Applicant, true, nil); err != nil {
				t.Fatal(err)
			}
			signInAs(t, e, "linh.nguyen", "a long password 1")
			decisionOf(t, e)
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "oinp_decision_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
		})
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/store/demo"
	"dossier/store/requests"
	"dossier/translations"
)

// allErrorsShown fails unless every field of want (field → its label's
// catalog key) shows its error under it and the summary line names it,
// in English and in French, and the screen still fits 1024×768 in both.
// The language is English again at the end.
func allErrorsShown(t *testing.T, e *Env, form *labelled, want map[string]string, what string) {
	t.Helper()
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		for field, key := range want {
			if l := form.errors[field]; l == nil || !l.Visible() || l.Text == "" {
				t.Errorf("%s in %s: no error under %s", what, lang, field)
			}
			if g := form.general; !g.Visible() || !strings.Contains(g.Text, e.T(key)) {
				t.Errorf("%s in %s: the summary does not name %q: %q", what, lang, e.T(key), g.Text)
			}
		}
		if g := form.general.Text; !strings.Contains(g, strings.TrimSuffix(strings.SplitN(e.T("form.errors.fields", ""), "%", 2)[0], ".")) {
			t.Errorf("%s in %s: no summary line: %q", what, lang, g)
		}
		fitsScreen(t, e, what)
	}
	e.SetLang(translations.English)
}

// TestEnrolShowsAllItsErrors: enrolment with a PIN, submitted with a bad
// PIN, no family name, a short password typed twice differently, an
// answer too short and the terms unticked, shows every mistake at once;
// no account is made and what was typed stays.
func TestEnrolShowsAllItsErrors(t *testing.T) {
	e := freshDesk(t)
	e.Show(ScreenEnrol)
	f := e.view.(*credentialForm)
	fillCredentials(f, "Zoé", "", "zoe.gagnon")
	f.pin.SetText("12")
	f.pass.SetText("short")
	f.repeat.SetText("shorter")
	f.answers[1].SetText("x")
	f.terms.SetChecked(false)
	test.Tap(f.submit)
	allErrorsShown(t, e, f.form, map[string]string{"pin": "enrol.pin", "familyName": "enrol.family",
		"password": "enrol.password", "repeat": "enrol.repeat", "answer2": "enrol.answer.2", "terms": "enrol.terms"}, "enrolment")
	for _, field := range []string{"givenNames", "userID", "question1", "answer1"} {
		if f.form.errors[field].Visible() {
			t.Errorf("an error under %s, typed right: %q", field, f.form.errors[field].Text)
		}
	}
	if !e.Account.ID.IsZero() || f.user.Text != "zoe.gagnon" || f.pin.Text != "12" {
		t.Fatalf("after the refusal: account %v, user %q, PIN %q", e.Account.ID, f.user.Text, f.pin.Text)
	}
}

// TestRegisterShowsAllItsErrors: a person's own sign-up with a bad user
// ID, a bad e-mail and two questions alike shows the three at once.
func TestRegisterShowsAllItsErrors(t *testing.T) {
	e := freshDesk(t)
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fillCredentials(f, "Zoé", "Gagnon", "a b")
	f.email.SetText("not an address")
	f.questions[2].SetText("first pet?")
	test.Tap(f.submit)
	allErrorsShown(t, e, f.form, map[string]string{"userID": "enrol.user", "email": "enrol.email",
		"question3": "enrol.question.3"}, "registration")
	if f.form.errors["password"].Visible() || f.email.Text != "not an address" {
		t.Fatalf("password error %q; e-mail %q", f.form.errors["password"].Text, f.email.Text)
	}
}

// TestEnrolBusinessShowsAllItsErrors: a business's enrolment with a bad
// business number, no legal name and a primary user without a family
// name shows the three at once, each in its part of the form.
func TestEnrolBusinessShowsAllItsErrors(t *testing.T) {
	e := freshDesk(t)
	e.Show(ScreenEnrolBusiness)
	b := e.view.(*businessEnrolment)
	b.inCanada.SetChecked(true)
	b.bn.SetText("123")
	fillCredentials(b.credentialForm, "Zoé", "", "zoe.gagnon")
	test.Tap(b.submit)
	allErrorsShown(t, e, b.biz, map[string]string{"businessNumber": "employer.enrol.bn", "legalName": "employer.enrol.legal"}, "business enrolment")
	if l := b.form.errors["familyName"]; !l.Visible() || l.Text == "" {
		t.Errorf("no error under the user's family name")
	}
	if b.biz.errors["operatesInCanada"].Visible() || b.bn.Text != "123" {
		t.Fatalf("in-Canada error %q; BN %q", b.biz.errors["operatesInCanada"].Text, b.bn.Text)
	}
}

// TestProgramFormsShowAllTheirErrors: adding a school with no name, a
// code that does not read and no province shows the three at once; its
// DIR's PIN asked with a name too long, no address and a validity that is
// not a number shows the three at once; nothing is made.
func TestProgramFormsShowAllTheirErrors(t *testing.T) {
	e, v := programDesk(t)
	before, _ := e.Store.Institutions()
	test.Tap(v.add)
	a := e.view.(*addSchoolView)
	a.code.SetText("not a code")
	test.Tap(a.save)
	allErrorsShown(t, e, a.form, map[string]string{"name": "program.add.name", "code": "program.add.code",
		"province": "program.add.province"}, "adding a school")
	if after, _ := e.Store.Institutions(); len(after) != len(before) || a.code.Text != "not a code" {
		t.Fatalf("%d schools, then %d; code %q", len(before), len(after), a.code.Text)
	}
	e.Show(ScreenProgramSchool(before[0].ID))
	s := e.view.(*schoolAccessView)
	s.given.SetText("Lucie")
	s.family.SetText(strings.Repeat("G", 500))
	s.days.SetText("ten")
	test.Tap(s.issue)
	allErrorsShown(t, e, s.form, map[string]string{"familyName": "enrol.family", "email": "program.pin.email",
		"validity": "pins.days"}, "a DIR's PIN")
	if s.form.errors["givenNames"].Visible() || s.lastPIN != "" {
		t.Fatalf("given names error %q; PIN %q", s.form.errors["givenNames"].Text, s.lastPIN)
	}
}

// TestNoticeFormShowsAllItsErrors: a notice with a start that does not
// read and neither text shows the three mistakes at once, and the end
// typed right shows none.
func TestNoticeFormShowsAllItsErrors(t *testing.T) {
	e, _ := programDesk(t)
	e.Show(ScreenNotices)
	v := e.view.(*noticesView)
	v.from.SetText("soon")
	v.to.SetText("2031-05-02 18:00")
	test.Tap(v.schedule)
	v = e.view.(*noticesView)
	allErrorsShown(t, e, v.form, map[string]string{"from": "notices.from", "en": "notices.en", "fr": "notices.fr"}, "a notice")
	if v.form.errors["to"].Visible() || v.from.Text != "soon" {
		t.Fatalf("an error under the end: %q; start %q", v.form.errors["to"].Text, v.from.Text)
	}
}

// TestEmployerFormsShowAllTheirErrors: a branch with no name and a city
// too long, and a user with neither name, each show both mistakes at
// once; no branch is added and no PIN issued.
func TestEmployerFormsShowAllTheirErrors(t *testing.T) {
	e, _ := employerDesk(t)
	e.Show(ScreenEmployer)
	v := e.view.(*employerView)
	v.branchCity.SetText(strings.Repeat("Guelph ", 30))
	test.Tap(v.addBranch)
	v = e.view.(*employerView)
	allErrorsShown(t, e, v.branchForm, map[string]string{"name": "employer.branch.name", "city": "employer.branch.city"}, "a new branch")
	biz, err := e.Store.Business(e.Actor(), e.businessOfMe())
	if err != nil || len(biz.Branches) != 1 {
		t.Fatalf("branches after the refusal: %v", err)
	}
	v.userGiven.SetText(" ")
	test.Tap(v.addUser)
	allErrorsShown(t, e, v.form, map[string]string{"givenNames": "enrol.given", "familyName": "enrol.family"}, "a new user")
	if v.lastPIN != "" {
		t.Fatalf("a PIN was issued: %q", v.lastPIN)
	}
}

// TestPermitFormNamesItsErrors: the work permit form, which already shows
// every mistake under its field, names them too in a line above the
// button, in the form's order, in English and French, and still fits
// 1024×768.
func TestPermitFormNamesItsErrors(t *testing.T) {
	e, _, _ := desk(t, 0)
	v := verifiedStudent(t, e)
	test.Tap(v.permit)
	pv := e.view.(*permitView)
	pv.entries["postalCode"].SetText("12345")
	pv.entries["passportNumber"].SetText("A1")
	pv.submit(requests.PermitFee().Cents)
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		g := pv.general.Text
		for _, key := range []string{"permit.field.passport", "permit.field.postal", "permit.field.street", "permit.section.consent"} {
			if !pv.general.Visible() || !strings.Contains(g, e.T(key)) {
				t.Errorf("in %s the summary does not name %q: %q", lang, e.T(key), g)
			}
		}
		if i, j := strings.Index(g, e.T("permit.field.passport")), strings.Index(g, e.T("permit.field.postal")); i < 0 || j < i {
			t.Errorf("in %s the summary is not in the form's order: %q", lang, g)
		}
		if strings.Count(g, e.T("permit.section.consent")) != 1 {
			t.Errorf("in %s the consent is named twice: %q", lang, g)
		}
		fitsScreen(t, e, "the permit form")
	}
	e.SetLang(translations.English)
}

// TestComplianceFormsShowAllTheirErrors: marking ineligible with nobody
// selected and no reason says both at once; an amendment to ineligible
// with nobody selected, no student reason and no reason for the amendment
// says the three at once.
func TestComplianceFormsShowAllTheirErrors(t *testing.T) {
	e := complianceDesk(t)
	signInAs(t, e, "dir.lakeview", demo.Password)
	e.Show(ScreenCompliance)
	v := e.view.(*complianceView)
	test.Tap(v.markIneligible)
	if l := v.markForm.errors["reason"]; !l.Visible() || !strings.Contains(v.markForm.general.Text, e.T("compliance.none-selected")) {
		t.Fatalf("marking: reason %q, above the buttons %q", l.Text, v.markForm.general.Text)
	}
	v = submitAll(t, e)
	v.selected = map[domain.ID]bool{}
	v.amendMark.SetSelected("Ineligible")
	test.Tap(v.amend)
	allErrorsShown(t, e, v.amendForm, map[string]string{"reason": "compliance.amend.student-reason",
		"amendReason": "compliance.amend.reason"}, "an amendment")
	if !strings.Contains(v.amendForm.general.Text, e.T("compliance.none-selected")) {
		t.Fatalf("nobody selected is not said: %q", v.amendForm.general.Text)
	}
}

// TestCredentialChangeShowsAllItsErrors: a new user ID that does not
// read, a new password too short and a repeat that differs show at once,
// before anything goes to the server.
func TestCredentialChangeShowsAllItsErrors(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "student1", demo.Password)
	e.Show(ScreenCredential)
	v := e.view.(*credentialView)
	v.user.SetText("a b")
	v.pass.SetText("short")
	v.repeat.SetText("shorter")
	v.change()
	allErrorsShown(t, e, v.forms[1], map[string]string{"userID": "credential.user", "newPassword": "credential.password",
		"repeat": "firstrun.password.repeat"}, "a change of credential")
	if v.user.Text != "a b" {
		t.Fatalf("the user ID typed: %q", v.user.Text)
	}
}

// TestForgotResetShowsAllItsErrors: the last step of a forgotten
// password, with no code, a password too short and a repeat that
// differs, shows the three at once before asking the server.
func TestForgotResetShowsAllItsErrors(t *testing.T) {
	e := freshDesk(t)
	e.Show(ScreenForgot)
	v := e.view.(*forgotView)
	v.user.SetText("zoe.gagnon")
	v.pass.SetText("short")
	v.repeat.SetText("shorter")
	v.reset()
	allErrorsShown(t, e, v.forms[2], map[string]string{"code": "forgot.code", "password": "forgot.password",
		"repeat": "firstrun.password.repeat"}, "a forgotten password's reset")
}

// TestClientsFormShowsAllItsErrors: a representative's request to act
// for a file, with a file number and an e-mail that do not read, shows
// both at once.
func TestClientsFormShowsAllItsErrors(t *testing.T) {
	e := freshDesk(t)
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fillCredentials(f, "Sam", "Rep", "sam.rep")
	f.email.SetText("sam@consult.example")
	f.as.SetSelected(f.as.Options[2])
	test.Tap(f.submit)
	waitFor(t, "the representative's home", func() bool {
		var ok bool
		fyne.DoAndWait(func() { _, ok = e.view.(*clientsView) })
		return ok
	})
	v := e.view.(*clientsView)
	v.file.SetText("12")
	v.email.SetText("not an address")
	test.Tap(v.ask)
	allErrorsShown(t, e, v.form, map[string]string{"fileNumber": "oinp.clients.file", "email": "oinp.clients.email"}, "a request to act for a file")
	if v.done.Visible() || v.file.Text != "12" {
		t.Fatalf("asked %v; file %q", v.done.Visible(), v.file.Text)
	}
}

// TestOfficerFileFormsShowAllTheirErrors: the officer's forms on a file —
// ask for information, record a request for review, extend a nomination
// — show every fault of their fields at once, under each field, in both
// languages; nothing is recorded and what was typed stays.
func TestOfficerFileFormsShowAllTheirErrors(t *testing.T) {
	e, rec := goldenDesk(t, translations.English)
	e.Window.Resize(fyne.NewSize(1024, 768))
	e.Show(ScreenOfficerFile(rec.Applicant))
	v := fileView(t, e)
	test.Tap(v.ask)
	v.infoDue.SetText("next week")
	test.Tap(v.infoSend)
	allErrorsShown(t, e, v.info, map[string]string{"text": "officer.info.text", "due": "officer.info.due"}, "information")
	if got, _, _ := e.Store.Application(e.Actor()); len(got.App.InfoRequests) > 1 || v.infoDue.Text != "next week" {
		t.Errorf("refused request: %d requests on the file, due %q", len(got.App.InfoRequests), v.infoDue.Text)
	}

	// Refused, then a request for review with no day and no reason.
	if _, err := e.Store.DecideApplication(e.Actor(), rec.Applicant, false, []string{"Wage below the median."}); err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenOfficerFile(rec.Applicant))
	v = fileView(t, e)
	test.Tap(v.recordReview)
	v.received.SetText("yesterday")
	test.Tap(v.reviewSend)
	allErrorsShown(t, e, v.review, map[string]string{"received": "officer.review.received", "reason": "officer.review.reason"}, "review")
	if v.received.Text != "yesterday" {
		t.Errorf("the day typed went: %q", v.received.Text)
	}
}

// TestExtensionFormShowsAllItsErrors: an extension with no explanation
// and a new expiry before the current one names both.
func TestExtensionFormShowsAllItsErrors(t *testing.T) {
	e, rec := goldenDesk(t, translations.English)
	e.Window.Resize(fyne.NewSize(1024, 768))
	r, err := e.Store.DecideApplication(e.Actor(), rec.Applicant, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenOfficerFile(rec.Applicant))
	v := fileView(t, e)
	test.Tap(v.extend)
	v.newExpiry.SetText(r.App.Nomination.Nominated.String())
	test.Tap(v.extendSend)
	allErrorsShown(t, e, v.extension, map[string]string{"expiry": "officer.extend.expiry", "explanation": "officer.extend.explanation"}, "extension")
}

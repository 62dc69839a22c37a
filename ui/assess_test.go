package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/translations"
)

// openOCWPPAssessment goes from the sign-in screen to the OCWPP
// questionnaire, as a person with no account does.
func openOCWPPAssessment(t *testing.T, e *Env) *ocwppAssessView {
	t.Helper()
	test.Tap(findButton(t, e, e.T("assess.title")))
	if e.Current().ID != ScreenAssess.ID {
		t.Fatalf("on %s", e.Current().ID)
	}
	test.Tap(findButton(t, e, e.T("assess.ocwpp")))
	return e.view.(*ocwppAssessView)
}

func answer(t *testing.T, v *ocwppAssessView, key string, a ens.Answer) {
	t.Helper()
	r := v.radios[key]
	r.SetSelected(r.Options[map[ens.Answer]int{ens.Yes: 0, ens.No: 1, ens.NotSure: 2}[a]])
}

// TestOCWPPAssessmentBeforeSignUp: from the first screen, no account: the
// verdict follows the answers with the source's words; the answers are
// kept on Back and come back; they follow the student into the account
// they create, and "Ask my school to verify" opens the request form
// addressed to the school chosen.
func TestOCWPPAssessmentBeforeSignUp(t *testing.T) {
	e, clock, _ := desk(t, 0)
	today := domain.DateOf(clock.Now())
	v := openOCWPPAssessment(t, e)
	if got := v.verdict.Text; got != e.T("ens.assess.verdict.cannot-tell") {
		t.Errorf("nothing answered: %q", got)
	}
	answer(t, v, "ens.assess.q.study-permit", ens.Yes)
	test.Type(v.permit, today.AddYears(1).String())
	answer(t, v, "ens.assess.q.participating", ens.Yes)
	answer(t, v, "ens.assess.q.full-time", ens.Yes)
	test.Type(v.since, today.AddDays(-40).String()) // not six months yet
	answer(t, v, "ens.assess.q.standing", ens.Yes)
	answer(t, v, "ens.assess.q.exchange", ens.No)
	answer(t, v, "ens.assess.q.scholarship", ens.No)
	answer(t, v, "ens.assess.q.language-only", ens.No)
	v.school.SetSelectedIndex(1)
	school := v.schools[1]
	if got := v.verdict.Text; got != e.T("ens.assess.verdict.not-met") {
		t.Errorf("verdict %q", got)
	}
	short := e.T("ens.assess.six-of-twelve.short", today.AddDays(-40), addMonthsForTest(today.AddDays(-40), 6))
	if !strings.Contains(labelsText(v.results), short) {
		t.Errorf("the results do not say %q:\n%s", short, labelsText(v.results))
	}
	test.Type(v.since, "x") // a typo, kept as typed
	test.Tap(findButton(t, e, e.T("assess.back")))
	if e.Current().ID != ScreenAssess.ID {
		t.Fatalf("Back leads to %s", e.Current().ID)
	}
	v = e.ocwppAgain(t)
	if v.since.Text != today.AddDays(-40).String()+"x" || v.radios["ens.assess.q.standing"].Selected != e.T("ens.assess.answer.yes") {
		t.Errorf("answers lost on Back: %q %q", v.since.Text, v.radios["ens.assess.q.standing"].Selected)
	}
	// A chosen "Not sure" comes back ticked, not as a question left
	// unanswered.
	answer(t, v, "ens.assess.q.scholarship", ens.NotSure)
	test.Tap(findButton(t, e, e.T("assess.back")))
	v = e.ocwppAgain(t)
	if got := v.radios["ens.assess.q.scholarship"].Selected; got != e.T("ens.assess.answer.not-sure") {
		t.Errorf("Not sure came back as %q", got)
	}
	if got := v.radios["ens.assess.q.participating"].Selected; got != e.T("ens.assess.answer.yes") {
		t.Errorf("Yes came back as %q", got)
	}
	answer(t, v, "ens.assess.q.scholarship", ens.No)
	v.since.SetText(today.AddYears(-1).String())
	if got := v.verdict.Text; got != e.T("ens.assess.verdict.met") {
		t.Errorf("every criterion met: %q\n%s", got, labelsText(v.results))
	}

	test.Tap(findButton(t, e, e.T("assess.register")))
	f := e.view.(*credentialForm)
	fillCredentials(f, "Amélie", "Gagnon", "amelie.gagnon")
	f.email.SetText("amelie@example.ca")
	test.Tap(f.submit)
	if e.Account.Role != account.Student {
		t.Fatalf("registered as %v: %q", e.Account.Role, f.form.general.Text)
	}
	if b, _ := e.Store.Assessment(domain.ID{}, assessOCWPP); b != nil {
		t.Error("the answers stayed with nobody")
	}
	e.Show(ScreenAssessOCWPP)
	v = e.view.(*ocwppAssessView)
	if v.saved.Answers.School != school.ID || v.verdict.Text != e.T("ens.assess.verdict.met") {
		t.Fatalf("the answers did not follow into the account: %+v", v.saved.Answers)
	}
	test.Tap(findButton(t, e, e.T("assess.ask-school")))
	sv, ok := e.view.(*studentView)
	if !ok {
		t.Fatalf("Ask my school leads to %s", e.Current().ID)
	}
	if sv.school.Selected != school.Name || sv.kindIndex() != 0 {
		t.Errorf("request form: school %q, kind %d, want %q", sv.school.Selected, sv.kindIndex(), school.Name)
	}
}

// ocwppAgain opens the questionnaire again from the choice of program.
func (e *Env) ocwppAgain(t *testing.T) *ocwppAssessView {
	t.Helper()
	test.Tap(findButton(t, e, e.T("assess.ocwpp")))
	return e.view.(*ocwppAssessView)
}

func addMonthsForTest(d domain.Date, n int) domain.Date {
	t := d.Time().AddDate(0, n, 0)
	if t.Day() != d.Day {
		t = t.AddDate(0, 0, -t.Day())
	}
	return domain.DateOf(t)
}

func labelsText(o fyne.CanvasObject) string {
	var b strings.Builder
	walkLabels(o, func(s string) { b.WriteString(s + "\n") })
	return b.String()
}

// eligibleOINPAnswers are answers every covered rule passes on day, as
// typed in the questionnaire.
func eligibleOINPAnswers(day domain.Date) [][2]string {
	return [][2]string{
		{"employer.offer.noc", "7441"}, {"employer.offer.province", "ON"}, {"employer.offer.fullTime", "yes"},
		{"employer.offer.indeterminate", "yes"}, {"employer.offer.seasonal", "no"},
		{"employer.offer.agencyOrSubcontract", "no"}, {"employer.offer.hoursPerWeek", "40"},
		{"employer.offer.hoursPerYear", "2080"}, {"employer.offer.hourlyWageCents", "30.00"},
		{"employer.offer.medianWageCents", "25.00"},
		{"work[0].noc", "7441"}, {"work[0].from", day.AddYears(-2).String()}, {"work[0].hoursPerWeek", "40"},
		{"work[0].country", "Canada"}, {"work[0].province", "ON"}, {"work[0].paid", "yes"}, {"work[0].authorised", "yes"},
		{"language[0].test", "IELTS"}, {"language[0].taken", day.AddYears(-1).String()}, {"language[0].listening", "6"},
		{"language[0].reading", "6"}, {"language[0].writing", "6"}, {"language[0].speaking", "6"},
		{"education[0].level", "secondary"}, {"education[0].country", "Canada"},
		{"education[0].completed", day.AddYears(-10).String()},
		{"applicant.maritalStatus", "never-married"}, {"funds.availableCents", "50000"},
		{"immigration.inCanada", "yes"}, {"immigration.status", "worker"},
		{"immigration.statusExpires", day.AddYears(1).String()}, {"immigration.refugeeClaimant", "no"},
	}
}

// TestOINPAssessmentSaysWhatIsMissingAndStartsTheApplication: the
// applicant's partial answers say exactly what is needed, in both
// languages; complete ones are eligible by the application's own rules;
// "Start my application" fills the application (only what was asked),
// and asks before replacing what it holds.
func TestOINPAssessmentSaysWhatIsMissingAndStartsTheApplication(t *testing.T) {
	e := applicantDesk(t)
	day := domain.DateOf(e.Now())
	test.Tap(findButton(t, e, e.T("assess.title")))
	v := e.view.(*oinpAssessView)
	answers := eligibleOINPAnswers(day)
	for _, a := range answers[:10] { // the job offer only
		v.form.set[a[0]](a[1])
	}
	wantNeed := func() string {
		var names []string
		for _, p := range []string{"work[0].noc", "work[0].from", "work[0].hoursPerWeek", "work[0].country",
			"work[0].province", "work[0].paid", "work[0].authorised", "language[0].test", "language[0].taken",
			"language[0].listening", "language[0].reading", "language[0].writing", "language[0].speaking",
			"education[0].level", "education[0].country", "education[0].completed", "funds.availableCents",
			"immigration.inCanada", "immigration.status", "immigration.statusExpires"} {
			names = append(names, e.T(oinp.LabelKey(p)))
		}
		return e.T("assess.need", strings.Join(names, " · "))
	}
	if !v.need.Visible() || v.need.Text != wantNeed() {
		t.Errorf("need:\n%q\nwant\n%q", v.need.Text, wantNeed())
	}
	e.SetLang(translations.French)
	if v.need.Text != wantNeed() || !strings.HasPrefix(v.need.Text, "Il nous faut") {
		t.Errorf("in French: %q", v.need.Text)
	}
	e.SetLang(translations.English)
	for _, a := range answers[10:] {
		v.form.set[a[0]](a[1])
	}
	if v.verdict.Text != e.T("oinp.assess.verdict.eligible") || v.need.Visible() {
		t.Fatalf("complete answers: %q, need %q\n%s", v.verdict.Text, v.need.Text, labelsText(v.results))
	}

	test.Tap(v.start)
	if e.Current().ID != "application/general" {
		t.Fatalf("Start leads to %s: %q", e.Current().ID, v.fault.Text)
	}
	rec, found, err := e.Store.Application(e.Actor())
	if err != nil || !found {
		t.Fatalf("no application: %v", err)
	}
	got := oinp.Fields(&rec.App)
	for _, p := range []string{"employer.offer.noc", "work[0].from", "language[0].speaking", "funds.availableCents",
		"immigration.statusExpires"} {
		if got[p] == "" {
			t.Errorf("%s not filled", p)
		}
	}
	if len(rec.App.Work) != 1 || rec.App.Applicant.FamilyName != "" {
		t.Errorf("filled more than was asked: %+v", rec.App.Applicant)
	}

	// The applicant changes the offer in their application, then starts
	// again from other answers: nothing is replaced without asking.
	rec.App.Employer.Offer.NOC = "7521"
	rec.App.Employer.Offer.Position = "Driver"
	if _, err := e.Store.SaveApplication(e.Actor(), rec.App); err != nil {
		t.Fatal(err)
	}
	test.Tap(findButton(t, e, e.T("assess.title")))
	v = e.view.(*oinpAssessView)
	if v.s.app.Employer.Offer.NOC != "7441" {
		t.Fatalf("the kept answers did not come back: %q", v.s.app.Employer.Offer.NOC)
	}
	v.form.set["employer.offer.hoursPerWeek"]("38")
	test.Tap(v.start)
	if v.decide == nil {
		t.Fatal("no question before replacing the NOC")
	}
	v.decide(false)
	rec, _, _ = e.Store.Application(e.Actor())
	if o := rec.App.Employer.Offer; o.NOC != "7521" || o.Position != "Driver" || o.HoursPerWeek != 40 {
		t.Errorf("kept: %+v", o)
	}
	test.Tap(findButton(t, e, e.T("assess.title")))
	v = e.view.(*oinpAssessView)
	test.Tap(v.start)
	v.decide(true)
	rec, _, _ = e.Store.Application(e.Actor())
	if o := rec.App.Employer.Offer; o.NOC != "7441" || o.Position != "Driver" || o.HoursPerWeek != 38 {
		t.Errorf("replaced: %+v", o)
	}
}

// TestOINPAnswersKeptOnLogOut: what was typed, even a date that does not
// read yet, is there when the applicant signs in again.
func TestOINPAnswersKeptOnLogOut(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenAssessOINP)
	v := e.view.(*oinpAssessView)
	v.form.set["employer.offer.noc"]("8611")
	v.form.set["work[0].from"]("2024-02-3")
	e.LogOut()
	signInAs(t, e, "linh.nguyen", "a long password 1")
	e.Show(ScreenAssessOINP)
	v = e.view.(*oinpAssessView)
	if v.s.app.Employer.Offer.NOC != "8611" || v.s.raw["work[0].from"].Text != "2024-02-3" {
		t.Errorf("lost: %q %+v", v.s.app.Employer.Offer.NOC, v.s.raw)
	}
}

// TestAssessScreensFitInFrench: each screen's minimum size fits 1024×768,
// in English and in French.
func TestAssessScreensFitInFrench(t *testing.T) {
	e, _, _ := desk(t, 0)
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		for _, s := range []Screen{ScreenAssess, ScreenAssessOCWPP, ScreenAssessOINP} {
			e.Show(s)
			if m := e.Window.Content().MinSize(); m.Width > 1024 || m.Height > 768 {
				t.Errorf("%s in %s: minimum %v", s.ID, lang, m)
			}
		}
	}
}

// TestAssessmentBeforeAnyProfile: on a new computer, from the very first
// screen, the questionnaire works with no profile; its answers are kept
// in the profile the person then creates, and follow the account.
func TestAssessmentBeforeAnyProfile(t *testing.T) {
	e, _ := newTestEnv(t)
	e.Show(ScreenFirstRun)
	test.Tap(findButton(t, e, e.T("assess.title")))
	test.Tap(findButton(t, e, e.T("assess.ocwpp")))
	v := e.view.(*ocwppAssessView)
	answer(t, v, "ens.assess.q.exchange", ens.Yes)
	if v.verdict.Text != e.T("ens.assess.verdict.not-met") {
		t.Fatalf("verdict %q", v.verdict.Text)
	}
	test.Tap(findButton(t, e, e.T("assess.back")))
	v = e.ocwppAgain(t)
	if v.saved.Answers.Exchange != ens.Yes {
		t.Fatal("lost on Back before any profile")
	}
	test.Tap(findButton(t, e, e.T("assess.register")))
	f, ok := e.view.(*firstRun)
	if !ok {
		t.Fatalf("no profile yet: leads to %s", e.Current().ID)
	}
	test.Type(f.createPass, "a good password")
	test.Type(f.createRepeat, "a good password")
	test.Tap(f.createBtn)
	waitFor(t, "the profile", func() bool {
		var open bool
		fyne.DoAndWait(func() { open = e.Store.Engine() != nil })
		return open
	})
	if b, _ := e.Store.Assessment(domain.ID{}, assessOCWPP); !strings.Contains(string(b), `"exchange":"yes"`) {
		t.Fatalf("not kept in the new profile: %s", b)
	}
}

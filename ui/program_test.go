package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/demo"
	"dossier/translations"
)

// programDesk is the server demo's records (complianceDesk) with the
// program's officer signed in, on the schools' screen.
func programDesk(t *testing.T) (*Env, *programView) {
	t.Helper()
	e := complianceDesk(t)
	signInAs(t, e, "program", demo.Password)
	e.Show(ScreenProgram)
	return e, e.view.(*programView)
}

// canvasText is every label's and button's text on the window.
func canvasText(e *Env) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Button:
			b.WriteString(w.Text + "\n")
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(w)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(e.Window.Content())
	return b.String()
}

// TestProgramScreensFitInBothLanguages: each program screen fits
// 1024×768 in English and French and is worded in the language chosen.
func TestProgramScreensFitInBothLanguages(t *testing.T) {
	e, v := programDesk(t)
	if len(v.open) != 3 {
		t.Fatalf("the demo's schools: %d", len(v.open))
	}
	var school domain.ID
	for id := range v.open {
		school = id
	}
	want := map[translations.Lang][]string{
		translations.English: {"Schools and reports", "DIR access", "Add the school", "Issue a PIN to the school’s DIR", "Compilations", "Reporting status"},
		translations.French:  {"Établissements et rapports", "accès du RID", "Ajouter l’établissement", "Délivrer un NIP au RID de l’établissement", "Compilations provinciales", "État des rapports"},
	}
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		screens := []Screen{ScreenProgram, ScreenProgramSchool(school), ScreenAddSchool, ScreenProgramSchool(school), ScreenCompilations, ScreenReporting}
		for i, s := range screens {
			e.Show(s)
			fitsScreen(t, e, s.ID)
			if text := canvasText(e); !strings.Contains(text, want[lang][i]) {
				t.Errorf("%s in %s does not read %q:\n%s", s.ID, lang, want[lang][i], text)
			}
			if !allowedFor(s, account.ProgramOfficer) || allowedFor(s, account.DIR) || allowedFor(s, account.Coordinator) {
				t.Errorf("%s: only program officers may land on it", s.ID)
			}
		}
	}
}

// TestProgramAddSchoolIssueAndWithdrawPIN: a school with no name, or
// with a code another school has, is refused under the field with what
// was typed kept; a good one opens its DIR access, where the DIR's PIN is
// issued (shown once, its sheet printed, a letter queued that says the
// sheet is on its way, without the PIN), then withdrawn; a DIR's access
// is ended.
func TestProgramAddSchoolIssueAndWithdrawPIN(t *testing.T) {
	e, v := programDesk(t)
	test.Tap(v.add)
	a := e.view.(*addSchoolView)
	a.code.SetText("4kx")
	a.province.SetSelectedIndex(8) // ON
	test.Tap(a.save)
	if got := a.form.errors["name"].Text; got != e.Tr().Error(domain.Errorf(store.ErrInstitutionName)) {
		t.Fatalf("no name: %q", got)
	}
	if a.code.Text != "4kx" || a.province.SelectedIndex() != 8 {
		t.Fatal("the form lost what was typed")
	}
	e.SetLang(translations.French)
	schools, _ := e.Store.Institutions()
	a.name.SetText("Collège du Nord")
	a.code.SetText(schools[0].Code.String())
	test.Tap(a.save)
	if got := a.form.errors["code"].Text; !strings.Contains(got, "déjà utilisé") {
		t.Fatalf("a code taken, in French: %q", got)
	}
	a.code.SetText("4KX")
	a.zone.SetSelectedIndex(1 + 5) // America/Toronto
	test.Tap(a.save)
	s, ok := e.view.(*schoolAccessView)
	if !ok {
		t.Fatalf("the school was not added: %q %q", a.form.general.Text, a.form.errors["code"].Text)
	}
	if s.school.Name != "Collège du Nord" || s.school.TimeZone != "America/Toronto" || s.school.Province != "ON" {
		t.Fatalf("the school: %+v", s.school)
	}
	// No address: refused under the field.
	s.given.SetText("Lucie")
	s.family.SetText("Gagnon")
	test.Tap(s.issue)
	if s.form.errors["email"].Text == "" || s.lastPIN != "" {
		t.Fatal("a DIR PIN with no address for its letter was issued")
	}
	s.email.SetText("lucie.gagnon@example.ca")
	s.lang.SetSelectedIndex(1)
	test.Tap(s.issue)
	if s.lastPIN == "" || s.lastPDF == "" {
		t.Fatalf("no PIN or sheet: %q %q", s.form.general.Text, s.form.errors["email"].Text)
	}
	if _, err := os.Stat(s.lastPDF); err != nil {
		t.Fatal(err)
	}
	all, err := e.Store.DueMail(time.Now().Add(time.Hour), 1000)
	var mail []store.Mail
	for _, m := range all {
		if m.Kind == "pin.issued" {
			mail = append(mail, m)
		}
	}
	if err != nil || len(mail) != 1 {
		t.Fatalf("letters: %+v %v", mail, err)
	}
	m := mail[0]
	if m.Kind != "pin.issued" || m.To != "lucie.gagnon@example.ca" || m.Lang != "fr-CA" || m.Args[0] != "Collège du Nord" {
		t.Fatalf("the letter: %+v", m)
	}
	body := translations.New(translations.French).T("mail.pin.issued.body", toAny(m.Args)...)
	if strings.Contains(body, s.lastPIN) || strings.Contains(strings.Join(m.Args, " "), s.lastPIN) || !strings.Contains(body, "Collège du Nord") {
		t.Fatalf("the letter holds the PIN or not the school:\n%s", body)
	}
	if len(s.withdraw) != 1 {
		t.Fatalf("the unused PIN is not offered for withdrawal: %d", len(s.withdraw))
	}
	for _, b := range s.withdraw {
		test.Tap(b)
	}
	test.Tap(findButton(t, e, e.T("shell.confirm")))
	pins, _ := e.Store.PINsOf(e.Actor(), s.school.ID)
	if len(pins) != 1 || pins[0].Revoked.IsZero() || len(s.withdraw) != 0 {
		t.Fatalf("the PIN was not withdrawn: %+v", pins)
	}
	if !strings.Contains(canvasText(e), "retiré le") {
		t.Fatal("the PIN is not shown as withdrawn")
	}

	// A demo school's DIR: their access ends.
	e.Show(ScreenProgramSchool(schools[0].ID))
	s = e.view.(*schoolAccessView)
	if len(s.end) != 1 {
		t.Fatalf("the demo school's DIR: %d", len(s.end))
	}
	var dir domain.ID
	for id, b := range s.end {
		dir = id
		test.Tap(b)
	}
	test.Tap(findButton(t, e, e.T("shell.confirm")))
	if acc, err := e.Store.Account(dir); err != nil || acc.Revoked.IsZero() || len(s.end) != 0 {
		t.Fatalf("the DIR's access did not end: %+v %v", acc.Revoked, err)
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// TestProgramReadsTheProvinces: the reporting status lists every school
// of every province, reported or not; once Ontario's coordinator submits
// the province's compilation, the officer reads it and prints it.
func TestProgramReadsTheProvinces(t *testing.T) {
	e, v := programDesk(t)
	test.Tap(v.reporting)
	r := e.view.(*reportingView)
	if len(r.lines) != 3 || !strings.Contains(r.summary.Text, "schools that submitted their report: 0 of 3") {
		t.Fatalf("reporting status: %q %v", r.summary.Text, r.lines)
	}
	if !strings.Contains(r.lines[0], "Not reminded yet.") {
		t.Fatalf("a school not chased: %q", r.lines[0])
	}
	e.Show(ScreenCompilations)
	c := e.view.(*compilationsView)
	if len(c.shown) != 0 {
		t.Fatalf("compilations before any was submitted: %v", c.shown)
	}
	_, coord, err := e.Store.SignIn("coord.on", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.SubmitProvincialReport(coord.Actor(), r.years.year()); err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenCompilations)
	c = e.view.(*compilationsView)
	if len(c.shown) != 1 || c.shown[0] != "ON" {
		t.Fatalf("compilations: %v", c.shown)
	}
	if text := canvasText(e); !strings.Contains(text, "Émilie Lapointe") || !strings.Contains(text, "Schools that submitted their report: 0 of 2") {
		t.Fatalf("the compilation:\n%s", text)
	}
	test.Tap(c.print["ON"])
	if e.lastPrinted.err != nil || e.lastPrinted.code == "" {
		t.Fatalf("printing the compilation: %+v", e.lastPrinted)
	}
	e.Show(ScreenReporting)
	if text := canvasText(e); !strings.Contains(text, "compilation submitted") {
		t.Fatalf("Ontario's compilation is not shown as submitted:\n%s", text)
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store/demo"
)

// TestSummaryReadsTheTabsChecks: a date typed but invalid is "not a valid
// date" on its tab and in the Summary alike, never "required".
func TestSummaryReadsTheTabsChecks(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, e)
	v.form.set["applicant.birthDate"]("1990-02-30")
	test.Tap(v.checkBtn)
	onTab := v.form.errs["applicant.birthDate"].Text
	required := e.Tr().Error(domain.FieldError(domain.ErrRequired, "applicant.birthDate"))
	if onTab == "" || onTab == required {
		t.Fatalf("on the tab: %q", onTab)
	}
	e.Show(ScreenApplication(oinp.TabSummary))
	v = appViewOf(t, e)
	n := 0
	for _, row := range v.summary {
		if row.field != "applicant.birthDate" {
			continue
		}
		n++
		if !strings.Contains(row.text.Text, onTab) || strings.Contains(row.text.Text, required) {
			t.Errorf("in the Summary: %q; on the tab: %q", row.text.Text, onTab)
		}
	}
	if n != 1 {
		t.Fatalf("the birth date has %d lines in the Summary, want 1", n)
	}
}

// TestFormShowsAllItsErrors: a request with three mistakes shows the three
// at once, each under its field, and a line naming them above the button;
// what was typed stays.
func TestFormShowsAllItsErrors(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "student1", demo.Password)
	v := e.view.(*studentView)
	v.school.SetSelectedIndex(0)
	v.family.SetText("")
	v.birth.SetText("2003-02-30")
	v.client.SetText("12")
	test.Tap(v.send)
	for _, field := range []string{"familyName", "birthDate", "clientID"} {
		if l := v.form.errors[field]; !l.Visible() || l.Text == "" {
			t.Errorf("no error under %s", field)
		}
	}
	if l := v.form.errors["school"]; l.Visible() {
		t.Errorf("an error under the school chosen: %q", l.Text)
	}
	g := v.form.general
	for _, key := range []string{"enrol.family", "student.birth", "student.client"} {
		if !g.Visible() || !strings.Contains(g.Text, e.T(key)) {
			t.Errorf("the summary does not name %q: %q", e.T(key), g.Text)
		}
	}
	if v.birth.Text != "2003-02-30" || v.client.Text != "12" || len(v.requests) != 0 {
		t.Fatalf("after the refusal: %q %q, %d requests", v.birth.Text, v.client.Text, len(v.requests))
	}
}

// TestPINFormShowsAllItsErrors: a name too long and a validity that is
// not a number show together.
func TestPINFormShowsAllItsErrors(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.Show(ScreenPINs)
	v := e.view.(*pinsView)
	v.given.SetText("Luc")
	v.family.SetText(strings.Repeat("B", 500))
	v.days.SetText("ten")
	test.Tap(v.issue)
	for _, field := range []string{"familyName", "validity"} {
		if l := v.form.errors[field]; !l.Visible() || l.Text == "" {
			t.Errorf("no error under %s", field)
		}
	}
	if v.form.errors["givenNames"].Visible() || !v.form.general.Visible() || v.lastPIN != "" {
		t.Fatalf("given names error %v, summary %q, PIN %q", v.form.errors["givenNames"].Visible(), v.form.general.Text, v.lastPIN)
	}
}

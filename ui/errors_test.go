package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/domain/oinp"
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

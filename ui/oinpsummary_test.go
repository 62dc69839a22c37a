package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/oinp"
)

// TestSummaryVerdict: the Summary tells a criterion not met from one not
// yet known, each in its colour, and Go to under the rule leads to the
// field whose answer decides it (the seasonal question, not the hours; the
// municipality, not the revenue).
func TestSummaryVerdict(t *testing.T) {
	cases := []struct {
		name       string
		change     func(a *oinp.Application)
		rule       string
		importance widget.Importance
		text       string
		field      string
	}{
		{"eligible", func(a *oinp.Application) {}, "", widget.SuccessImportance,
			"every criterion of the stream is met", ""},
		{"seasonal", func(a *oinp.Application) { a.Employer.Offer.Seasonal = oinp.Yes }, "§2.1 ", widget.DangerImportance,
			"criteria not met: 1", "employer.offer.seasonal"},
		{"too few employees", func(a *oinp.Application) { a.Employer.EmployeesLocation = 4 }, "§2.3.4 ", widget.DangerImportance,
			"criteria not met: 1", "employer.employeesAtLocation"},
		// §2.3.4: the thresholds follow where the employer is located.
		{"no employer city", func(a *oinp.Application) { a.Employer.Address.City = "" }, "§2.3.4 ", widget.WarningImportance,
			"no criterion fails, but criteria not yet known: 1", "employer.address.city"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := applicantDesk(t)
			a := example(t)
			c.change(a)
			if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
				t.Fatal(err)
			}
			e.application = nil
			e.Show(ScreenApplication(oinp.TabSummary))
			v := appViewOf(t, e)
			if v.verdict == nil || v.verdict.Importance != c.importance || !strings.Contains(v.verdict.Text, c.text) {
				t.Fatalf("verdict %+v:\n%s", v.verdict, summaryText(v))
			}
			if c.field == "" {
				return
			}
			var row *summaryRow
			for _, r := range v.summary {
				if strings.Contains(r.text.Text, c.rule) {
					row = r
				}
			}
			if row == nil || row.field != c.field || row.text.Importance != c.importance {
				t.Fatalf("the rule's line leads to %+v:\n%s", row, summaryText(v))
			}
			test.Tap(row.goTo)
			v = appViewOf(t, e)
			if v.tab != tabOfPath(c.field) {
				t.Fatalf("Go to led to %s", v.tab)
			}
			if f, ok := v.form.focus[c.field]; ok && e.Window.Canvas().Focused() != f {
				t.Fatalf("Go to focused %v", e.Window.Canvas().Focused())
			}
		})
	}
}

package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
)

// summaryRow is one line of the Summary, with the place it leads to.
type summaryRow struct {
	text  *widget.Label
	tab   oinp.Tab
	field string
	goTo  *widget.Button
}

// summaryTab lists every error of every tab and every rule that fails or
// is not yet known, each leading to the field to fix; then the whole
// eligibility report with the guide's sections, and the fee.
func summaryTab(v *appView) {
	e, s, f := v.e, v.s, v.form
	s.checked = true
	on := s.app.CheckDate(domain.DateOf(e.Now()))
	problems := s.problems(e)
	rep := oinp.Evaluate(&s.app, on, assets.OINPTables())
	v.summary = nil

	if s.app.AwaitingPayment() {
		// Submitted on this desk: the server has not taken the fee yet.
		queued := wrapped("")
		queued.TextStyle = fyne.TextStyle{Bold: true}
		queued.Importance = widget.WarningImportance
		e.OnRelabel(func() { queued.SetText(e.T("oinp.fee.queued", s.app.Submitted, domain.Money(rep.FeeCents))) })
		f.box.Add(queued)
	}
	f.heading("oinp.summary.errors")
	if len(problems) == 0 {
		f.note("oinp.summary.no-errors")
	}
	for _, p := range problems {
		p := p
		row := v.summaryLine(p.Tab, p.Err.Field)
		e.OnRelabel(func() {
			row.text.SetText(e.T("oinp.summary.error", e.T(p.Tab.MessageKey()), fieldName(e, &s.app, p.Err.Field), e.Tr().Error(p.Err)))
		})
	}

	f.heading("oinp.summary.rules")
	v.verdict = verdictLabel(e, rep, on)
	f.box.Add(v.verdict)
	for _, r := range rep.Results {
		r := r
		var row *summaryRow
		if r.Outcome == oinp.Pass {
			row = &summaryRow{text: wrapped("")}
			row.text.Importance = widget.LowImportance
			f.box.Add(row.text)
		} else {
			row = v.summaryLine(tabOfPath(r.Field), r.Field)
			row.text.Importance = outcomeImportance(r.Outcome)
		}
		e.OnRelabel(func() {
			row.text.SetText(e.T("oinp.summary.rule", e.T(r.Outcome.MarkKey()), r.Section, e.T(r.Title()), e.T(r.Key, r.Args...)))
		})
	}
	fee := wrapped("")
	e.OnRelabel(func() {
		key, args := feeNote(&s.app, rep)
		fee.SetText(e.T(key, args...))
	})
	f.box.Add(widget.NewSeparator())
	f.box.Add(fee)
}

// verdictLabel says the report's verdict in bold: eligible, not eligible
// (a criterion is not met: whatever else is unknown, the application
// cannot be eligible as it stands) or not yet known (none fails, some
// cannot be judged until they are entered), each in its own colour.
func verdictLabel(e *Env, rep oinp.EligibilityReport, on domain.Date) *widget.Label {
	l := wrapped("")
	l.TextStyle = fyne.TextStyle{Bold: true}
	v := rep.Verdict()
	switch v {
	case oinp.VerdictEligible:
		l.Importance = widget.SuccessImportance
	case oinp.VerdictNotEligible:
		l.Importance = widget.DangerImportance
	default:
		l.Importance = widget.WarningImportance
	}
	e.OnRelabel(func() {
		switch v {
		case oinp.VerdictNotEligible:
			l.SetText(e.T(v.SummaryKey(), on, rep.Count(oinp.Fail), rep.Count(oinp.Unknown)))
		case oinp.VerdictNotYetKnown:
			l.SetText(e.T(v.SummaryKey(), on, rep.Count(oinp.Unknown)))
		default:
			l.SetText(e.T(v.SummaryKey(), on))
		}
	})
	return l
}

// outcomeImportance colours a rule's line: a failure as danger, a rule not
// yet known as a warning.
func outcomeImportance(o oinp.Outcome) widget.Importance {
	switch o {
	case oinp.Fail:
		return widget.DangerImportance
	case oinp.Unknown:
		return widget.WarningImportance
	}
	return widget.LowImportance
}

// summaryLine adds a line with a Go to button leading to a field.
func (v *appView) summaryLine(tab oinp.Tab, field string) *summaryRow {
	e := v.e
	row := &summaryRow{text: wrapped(""), tab: tab, field: field}
	row.goTo = widget.NewButton("", func() { v.goTo(tab, field) })
	e.OnRelabel(func() { row.goTo.SetText(e.T("oinp.summary.go")) })
	v.form.box.Add(container.NewBorder(nil, nil, nil, row.goTo, row.text))
	v.summary = append(v.summary, row)
	return row
}

// fieldName names a field in the Summary: its label, or for a checklist
// line the document it asks for.
func fieldName(e *Env, a *oinp.Application, field string) string {
	if rest, ok := strings.CutPrefix(field, "schedules."); ok {
		letter, person, _ := strings.Cut(rest, ".")
		n, _ := strconv.Atoi(person)
		return e.T("oinp.schedules.field", letter, oinp.PersonName(a, n))
	}
	rest, ok := strings.CutPrefix(field, "documents.")
	if !ok {
		return e.T(labelKey(field))
	}
	kind, person, _ := strings.Cut(rest, ".")
	name := e.T(docKindKey(kind))
	if n, err := strconv.Atoi(person); err == nil {
		name = e.T("oinp.documents.person", name, n)
	}
	return name
}

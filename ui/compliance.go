package ui

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/report"
	"dossier/store/compliance"
	"dossier/store/requests"
	"dossier/translations"
)

// ScreenCompliance is a school's annual compliance: the list of students
// to mark, and the Annual Report on Ineligible Students the DIR submits.
var ScreenCompliance = Screen{ID: "compliance", Title: "compliance.title", Help: "help.compliance"}

func init() {
	ScreenCompliance.View = Compliance
	ScreenCoordinator.View = Coordinator
}

// complianceColumns are the list's columns: the selection, then the
// student and their mark.
var complianceColumns = []queueColumn{
	{"", "", 36, 0},
	{"queue.col.name", "", 230, 0},
	{"queue.col.studentno", "", 120, 0},
	{"queue.col.evn", "", 130, 0},
	{"compliance.col.mark", "", 130, 0},
	{"compliance.col.reason", "", 440, 0},
}

// complianceView is the screen's state and widgets; tests read them.
type complianceView struct {
	env   *Env
	year  int
	years *yearPicker
	// rows is the school's list for the year; report is nil until the
	// report is submitted, and current then holds its ineligible
	// students as its amendments leave them.
	rows     []ens.Request
	report   *ens.ComplianceReport
	current  map[domain.ID]ens.IneligibleStudent
	chases   []compliance.ComplianceChase
	selected map[domain.ID]bool
	// refused holds, per request, why the desk (the last marking) or the
	// server (a mark it refused, until read) left it unmarked.
	refused, markRefused map[domain.ID]error
	gen                  int
	loaded               int
	faultErr             error
	// outcome is the last action's result, in words, as a catalog call.
	outcome func() string

	yearSel                      *widget.Select
	notOpen, counts, state       *widget.Label
	reminders, fault, done       *widget.Label
	table                        *widget.Table
	back, printList, printReport *widget.Button

	// Marking, until the report is submitted.
	marking                        *fyne.Container
	markForm                       *labelled
	reason                         *Entry
	selectUnmarked, clearSelection *widget.Button
	markEligible, markIneligible   *widget.Button
	submit                         *widget.Button

	// Amending, once it is (the DIR only).
	amending                        *fyne.Container
	amendForm                       *labelled
	amendMark                       *widget.RadioGroup
	amendStudentReason, amendReason *Entry
	amend                           *widget.Button
	amendments                      *fyne.Container
}

// Compliance is the school's Annual Compliance screen.
func Compliance(e *Env) fyne.CanvasObject { return newComplianceView(e).content() }

func newComplianceView(e *Env) *complianceView {
	v := &complianceView{env: e, selected: map[domain.ID]bool{}}
	v.years = newYearPicker(e, func(year int) {
		v.year = year
		v.selected = map[domain.ID]bool{}
		v.outcome = nil
		v.reload()
	})
	v.yearSel, v.year = v.years.sel, v.years.year()
	v.notOpen, v.counts, v.state = wrapped(""), wrapped(""), wrapped("")
	v.state.TextStyle.Bold = true
	v.reminders, v.fault, v.done = wrapped(""), errorLabel(), wrapped("")
	v.reminders.Importance = widget.WarningImportance
	v.done.Importance = widget.SuccessImportance

	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), len(complianceColumns) }, v.newCell, v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if k := complianceColumns[id.Col].title; k != "" {
			o.(*widget.Label).SetText(e.T(k))
		} else {
			o.(*widget.Label).SetText("")
		}
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		v.table.UnselectAll()
		if id.Col > 0 && id.Row < len(v.rows) {
			v.toggle(v.rows[id.Row].ID)
		}
	}
	for i, c := range complianceColumns {
		v.table.SetColumnWidth(i, c.min) // fixed widths: weight 0
	}

	v.reason = newEntry()
	v.markForm = newLabelled(e)
	v.markForm.add("compliance.reason", "reason", v.reason)
	v.selectUnmarked = widget.NewButton("", v.selectAllUnmarked)
	v.clearSelection = widget.NewButton("", func() { e.Touch(); v.selected = map[domain.ID]bool{}; v.showCounts() })
	v.markEligible = widget.NewButton("", func() { v.mark(true) })
	v.markIneligible = widget.NewButton("", func() { v.mark(false) })
	v.submit = widget.NewButton("", v.confirmSubmit)
	v.submit.Importance = widget.HighImportance

	v.amendMark = widget.NewRadioGroup(nil, func(string) { e.Touch() })
	v.amendMark.Horizontal = true
	v.amendStudentReason, v.amendReason = newEntry(), newEntry()
	v.amendForm = newLabelled(e)
	v.amendForm.box.Layout = layout.NewGridLayoutWithColumns(3)
	v.amendForm.add("compliance.amend.mark", "mark", v.amendMark)
	v.amendForm.add("compliance.amend.student-reason", "reason", v.amendStudentReason)
	v.amendForm.add("compliance.amend.reason", "amendReason", v.amendReason)
	v.amend = widget.NewButton("", v.amendReport)
	v.amend.Importance = widget.HighImportance
	d := e.Draft("compliance", "")
	d.Entry("reason", v.reason)
	d.Entry("amend.studentReason", v.amendStudentReason)
	d.Entry("amend.reason", v.amendReason)
	v.amendments = container.NewVBox()

	v.back = widget.NewButton("", func() { e.Show(ScreenQueue) })
	v.printList = printButton(e, func() (report.Document, *translations.Translator, error) {
		doc, err := report.ComplianceListOf(e.Store, e.Actor(), v.year)
		return doc, e.Tr(), err
	})
	v.printReport = printButton(e, func() (report.Document, *translations.Translator, error) {
		doc, err := report.IneligibleReportOf(e.Store, e.Actor(), e.Tr(), e.Account.Org, v.year)
		return doc, e.Tr(), err
	})
	if e.Account.Role != account.DIR {
		v.submit.Hide()
	}
	// Two documents print from here: each button says which.
	e.OnRelabel(func() {
		v.printList.SetText(e.T("compliance.print.list"))
		v.printReport.SetText(e.T("compliance.print.report"))
	})
	e.OnRelabel(v.relabel)
	e.refresh = v.reload
	v.reload()
	d.Radio("amend.mark", v.amendMark)
	e.view = v
	return v
}

func (v *complianceView) content() fyne.CanvasObject {
	e := v.env
	bar := v.years.bar(e, v.printList, v.printReport, v.back)
	top := container.NewVBox(heading(e, "compliance.title"), bar, v.notOpen, v.state, v.amendments, v.reminders,
		v.counts, v.done, v.fault)
	v.marking = container.NewVBox(widget.NewSeparator(), v.markForm.box, v.markForm.general,
		container.NewBorder(nil, nil, container.NewHBox(v.selectUnmarked, v.clearSelection, v.markEligible, v.markIneligible),
			v.submit))
	v.amending = container.NewVBox(widget.NewSeparator(), heading(e, "compliance.amend.title"), v.amendForm.box,
		v.amendForm.general, container.NewHBox(v.amend, v.clearSelection2()))
	v.showState()
	bottom := container.NewPadded(container.NewVBox(v.marking, v.amending))
	return container.NewBorder(container.NewPadded(top), bottom, nil, nil, v.table)
}

// clearSelection2 is the amending section's own Clear selection: a
// widget shows in one place only.
func (v *complianceView) clearSelection2() *widget.Button {
	e := v.env
	b := widget.NewButton("", func() { e.Touch(); v.selected = map[domain.ID]bool{}; v.showCounts(); v.table.Refresh() })
	e.OnRelabel(func() { b.SetText(e.T("compliance.select.none")) })
	return b
}

func (v *complianceView) relabel() {
	e := v.env
	v.selectUnmarked.SetText(e.T("compliance.select.unmarked"))
	v.clearSelection.SetText(e.T("compliance.select.none"))
	v.markEligible.SetText(e.T("ens.function.mark-eligible"))
	v.markIneligible.SetText(e.T("ens.function.mark-ineligible"))
	v.submit.SetText(e.T("compliance.submit"))
	v.amend.SetText(e.T("compliance.amend.action"))
	v.back.SetText(e.T("request.back"))
	v.reason.SetPlaceHolder(e.T("compliance.reason.hint"))
	i := radioIndex(v.amendMark)
	v.amendMark.Options = []string{e.T("ens.status.eligible"), e.T("ens.status.ineligible")}
	v.amendMark.Selected = ""
	if i >= 0 {
		v.amendMark.Selected = v.amendMark.Options[i]
	}
	v.amendMark.Refresh()
	v.showState()
	v.table.Refresh()
}

// reload reads the year's list, the report and the coordinator's
// reminders, off the UI goroutine.
func (v *complianceView) reload() {
	v.gen++
	gen, year, by, st := v.gen, v.year, v.env.Actor(), v.env.Store
	var rows []ens.Request
	var rep *ens.ComplianceReport
	var chases []compliance.ComplianceChase
	var refused map[domain.ID]error
	var err error
	v.env.Async(func() {
		if rows, err = st.ComplianceRequests(by, year); err != nil {
			return
		}
		if refused, err = st.Refused(by); err != nil {
			return
		}
		r, rerr := st.ComplianceReport(by, by.Org, year)
		switch {
		case rerr == nil:
			rep = &r
		case domain.ErrorCode(rerr) != ens.ErrComplianceNotReported:
			err = rerr
			return
		}
		chases, err = st.ComplianceChases(by, year)
	}, func() {
		if gen != v.gen {
			return
		}
		v.faultErr = err
		if err == nil {
			// By name, the reader's way, as the printed list is.
			col := v.env.Tr().Collator()
			slices.SortStableFunc(rows, func(a, b ens.Request) int {
				return col.CompareString(studentName(a.Student), studentName(b.Student))
			})
			v.rows, v.report, v.current = rows, rep, nil
			if rep != nil {
				v.current = map[domain.ID]ens.IneligibleStudent{}
				list, _, _ := rep.Current()
				for _, s := range list {
					v.current[s.Request] = s
				}
			}
			v.chases = chases
			maps.Copy(refused, v.markRefused)
			v.refused = refused
			for id := range v.selected {
				if !v.listed(id) {
					delete(v.selected, id)
				}
			}
		}
		v.table.Refresh()
		v.showState()
		v.loaded++
	})
}

func (v *complianceView) listed(id domain.ID) bool {
	for i := range v.rows {
		if v.rows[i].ID == id {
			return true
		}
	}
	return false
}

// showState writes what the year stands at, and shows marking or
// amending accordingly.
func (v *complianceView) showState() {
	e := v.env
	y, open := ens.ComplianceYearOf(e.Now())
	v.notOpen.SetText(e.T("compliance.not-open", strconv.Itoa(y)))
	v.notOpen.Hidden = open || v.year != y
	year := strconv.Itoa(v.year)
	if v.report == nil {
		v.state.SetText(e.T("compliance.state.draft", year))
	} else {
		list, eligible, _ := v.report.Current()
		v.state.SetText(e.T("compliance.state.submitted", year, e.Tr().DateTime(v.report.Submitted),
			staffNameOf(e, v.report.SubmittedBy), eligible, len(list)))
	}
	v.showAmendments()
	var lines []string
	for _, c := range v.chases {
		if c.Note == "" {
			lines = append(lines, e.T("compliance.reminder.plain", e.Tr().DateTime(c.At)))
		} else {
			lines = append(lines, e.T("compliance.reminder", e.Tr().DateTime(c.At), c.Note))
		}
	}
	v.reminders.SetText(strings.Join(lines, "\n"))
	v.reminders.Hidden = len(lines) == 0
	if v.marking != nil {
		v.marking.Hidden = v.report != nil
		v.amending.Hidden = v.report == nil || e.Account.Role != account.DIR
		v.marking.Refresh()
		v.amending.Refresh()
	}
	showOutcome(e, v.fault, v.done, v.faultErr, v.outcome)
	v.showCounts()
	v.notOpen.Refresh()
}

func (v *complianceView) showAmendments() {
	e := v.env
	v.amendments.RemoveAll()
	if v.report == nil {
		return
	}
	for _, a := range v.report.Amendments {
		v.amendments.Add(wrapped(amendmentText(e, a)))
	}
}

func (v *complianceView) showCounts() {
	marked := 0
	for i := range v.rows {
		if v.marked(&v.rows[i]) {
			marked++
		}
	}
	v.counts.SetText(v.env.T("compliance.counts", len(v.rows), marked, len(v.rows)-marked, len(v.selected)))
}

// marked reports whether a student has a mark: eligible, ineligible, or
// reported with the school's report.
func (v *complianceView) marked(r *ens.Request) bool {
	return r.Status == ens.Eligible || r.Status == ens.Ineligible || r.Status == ens.Reported
}

func (v *complianceView) newCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(widget.NewCheck("", nil), l)
}

func (v *complianceView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	stack := o.(*fyne.Container)
	check, label := stack.Objects[0].(*widget.Check), stack.Objects[1].(*widget.Label)
	if id.Row >= len(v.rows) {
		check.Hide()
		label.SetText("")
		return
	}
	r := &v.rows[id.Row]
	if id.Col == 0 {
		label.Hide()
		check.Show()
		check.OnChanged = nil
		check.SetChecked(v.selected[r.ID])
		rid := r.ID
		check.OnChanged = func(on bool) {
			if on != v.selected[rid] {
				v.toggle(rid)
			}
		}
		return
	}
	check.Hide()
	label.Show()
	label.SetText(v.cellText(r, id.Col))
}

func (v *complianceView) cellText(r *ens.Request, col int) string {
	mark, reason := v.markOf(r)
	switch col {
	case 1:
		return studentName(r.Student)
	case 2:
		return r.Student.StudentNumber
	case 3:
		return string(r.EVN)
	case 4:
		return mark
	case 5:
		if err := v.refused[r.ID]; err != nil {
			return v.env.T("row.refused", v.env.Tr().Error(err))
		}
		return reason
	}
	return ""
}

// markOf is a student's mark and reason in words: as marked until the
// report is submitted, then as the report with its amendments says.
func (v *complianceView) markOf(r *ens.Request) (mark, reason string) {
	e := v.env
	if v.report != nil && r.Status == ens.Reported {
		if s, ok := v.current[r.ID]; ok {
			return e.T("ens.status.ineligible"), s.Reason
		}
		return e.T("ens.status.eligible"), ""
	}
	switch r.Status {
	case ens.Eligible:
		return e.T("ens.status.eligible"), ""
	case ens.Ineligible:
		return e.T("ens.status.ineligible"), r.Reason
	}
	return e.T("compliance.mark.none"), ""
}

func (v *complianceView) toggle(id domain.ID) {
	v.env.Touch()
	if v.selected[id] {
		delete(v.selected, id)
	} else {
		v.selected[id] = true
	}
	v.showCounts()
	v.table.Refresh()
}

func (v *complianceView) selectAllUnmarked() {
	v.env.Touch()
	for i := range v.rows {
		if !v.marked(&v.rows[i]) {
			v.selected[v.rows[i].ID] = true
		}
	}
	v.showCounts()
	v.table.Refresh()
}

func (v *complianceView) selectedIDs() []domain.ID {
	var ids []domain.ID
	for i := range v.rows {
		if v.selected[v.rows[i].ID] {
			ids = append(ids, v.rows[i].ID)
		}
	}
	return ids
}

// mark marks the selected students eligible, or ineligible with the
// reason typed, as one action. A refusal keeps the selection and the
// reason.
func (v *complianceView) mark(eligible bool) {
	e := v.env
	e.Touch()
	ids := v.selectedIDs()
	// Every mistake at once: no student chosen, no reason for ineligible.
	var errs []error
	if len(ids) == 0 {
		errs = append(errs, fieldFault{key: "compliance.none-selected"})
	}
	reason := strings.TrimSpace(v.reason.Text)
	if !eligible && reason == "" {
		errs = append(errs, fieldFault{field: "reason", key: "compliance.reason.required"})
	}
	if len(errs) > 0 {
		v.markForm.setFault(errors.Join(errs...))
		return
	}
	if eligible {
		reason = ""
	}
	n, err := e.Store.MarkCompliance(e.Actor(), ids, eligible, reason)
	v.markRefused = map[domain.ID]error{}
	if row := (requests.RowError{}); errors.As(err, &row) {
		// Shown on its row too; the selection and the reason stay.
		v.markRefused[row.ID] = row.Err
		v.reload()
	}
	if err != nil {
		v.markForm.setFault(err)
		return
	}
	v.markForm.setFault(nil)
	v.selected = map[domain.ID]bool{}
	if !eligible {
		v.reason.SetText("")
	}
	v.outcome = func() string {
		if eligible {
			return e.T("compliance.marked.eligible", n)
		}
		return e.T("compliance.marked.ineligible", n)
	}
	e.lastNotice = v.outcome()
	v.reload()
}

// confirmSubmit asks before submitting: the report is then locked.
func (v *complianceView) confirmSubmit() {
	e := v.env
	e.Touch()
	year := v.year
	confirmDialog(e, e.T("compliance.submit"), e.T("compliance.submit.confirm", strconv.Itoa(year)), func() {
		rep, err := e.Store.SubmitComplianceReport(e.Actor(), year)
		v.faultErr = err
		if err != nil {
			e.lastNotice = e.Tr().Error(err)
			v.showState()
			return
		}
		v.outcome = func() string {
			return e.T("compliance.submitted", strconv.Itoa(rep.Year), rep.Eligible, rep.IneligibleCount)
		}
		e.lastNotice = v.outcome()
		v.selected = map[domain.ID]bool{}
		v.reload()
	})
}

// amendReport appends an amendment: the selected students take the new
// mark, for the reason given. Whatever is refused stays typed.
func (v *complianceView) amendReport() {
	e := v.env
	e.Touch()
	ids := v.selectedIDs()
	mark := radioIndex(v.amendMark)
	studentReason := strings.TrimSpace(v.amendStudentReason.Text)
	// Every mistake at once, each under its field.
	var errs []error
	if len(ids) == 0 {
		errs = append(errs, fieldFault{key: "compliance.none-selected"})
	}
	if mark < 0 {
		errs = append(errs, fieldFault{field: "mark", key: "compliance.amend.mark.required"})
	}
	if mark == 1 && studentReason == "" {
		errs = append(errs, fieldFault{field: "reason", key: "compliance.reason.required"})
	}
	if strings.TrimSpace(v.amendReason.Text) == "" {
		errs = append(errs, fieldFault{field: "amendReason", key: "compliance.amend.reason.required"})
	}
	if len(errs) > 0 {
		v.amendForm.setFault(errors.Join(errs...))
		return
	}
	changes := make([]ens.EligibilityChange, len(ids))
	for i, id := range ids {
		changes[i] = ens.EligibilityChange{Request: id, Eligible: mark == 0}
		if mark == 1 {
			changes[i].Reason = studentReason
		}
	}
	rep, err := e.Store.AmendComplianceReport(e.Actor(), v.year, changes, v.amendReason.Text)
	if err != nil {
		v.amendForm.setFault(err)
		return
	}
	v.amendForm.setFault(nil)
	v.selected = map[domain.ID]bool{}
	v.amendReason.SetText("")
	v.amendStudentReason.SetText("")
	v.amendMark.SetSelected("")
	n := len(rep.Amendments)
	v.outcome = func() string { return e.T("compliance.amended", n) }
	e.lastNotice = v.outcome()
	v.reload()
}

// showOutcome shows a screen's last fault and its last outcome (a function,
// so it is worded in the current language), each hidden when there is none.
func showOutcome(e *Env, fault, done *widget.Label, err error, outcome func() string) {
	fault.Hidden = err == nil
	if err != nil {
		fault.SetText(e.Tr().Error(err))
	}
	done.Hidden = outcome == nil
	if outcome != nil {
		done.SetText(outcome())
	}
}

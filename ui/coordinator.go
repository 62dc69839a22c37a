package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/report"
	"dossier/store"
	"dossier/store/compliance"
	"dossier/translations"
)

// ScreenCoordinator is a provincial or territorial coordinator's
// workspace: where the province's schools stand with their Annual
// Reports on Ineligible Students, and the province's compilation.
var ScreenCoordinator = Screen{ID: "coordinator", Title: "coordinator.title", Help: "help.coordinator"}

// coordinatorView is the workspace's state and widgets; tests read them.
type coordinatorView struct {
	// drafts keep each chase note as typed.
	drafts   *DraftForm
	env      *Env
	province string
	year     int
	years    *yearPicker
	schools  []compliance.SchoolCompliance
	// compiled is the province's compilation once the coordinator has
	// compiled it (recompiled as reports arrive), or as submitted.
	compiled    *compliance.ProvincialCompilation
	wantTotals  bool
	gen, loaded int
	faultErr    error
	outcome     func() string

	yearSel                       *widget.Select
	title, summary, state, totals *widget.Label
	fault, done                   *widget.Label
	list                          *fyne.Container
	chase, open                   map[domain.ID]*widget.Button
	compile, submit, print        *widget.Button

	// The chase dialog on show.
	chaseNote *Entry
	chaseErr  *widget.Label
	chaseSend *widget.Button
	// The school report on show.
	schoolReport *widget.Label
	printSchool  *widget.Button
}

// Coordinator is the coordinator's workspace.
func Coordinator(e *Env) fyne.CanvasObject { return newCoordinatorView(e).content() }

// provinceNameKey is the catalog key of a province's or territory's name.
func provinceNameKey(code string) string { return "oinp.choice.province." + code }

func newCoordinatorView(e *Env) *coordinatorView {
	v := &coordinatorView{env: e, chase: map[domain.ID]*widget.Button{}, open: map[domain.ID]*widget.Button{}}
	v.province, _ = store.ProvinceOf(e.Account.Org)
	v.years = newYearPicker(e, func(year int) {
		v.year = year
		v.compiled, v.wantTotals, v.outcome = nil, false, nil
		v.reload()
	})
	v.yearSel, v.year = v.years.sel, v.years.year()
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary, v.state, v.totals, v.done = wrapped(""), wrapped(""), wrapped(""), wrapped("")
	v.state.TextStyle.Bold = true
	v.done.Importance = widget.SuccessImportance
	v.fault = errorLabel()
	v.list = container.NewVBox()
	v.compile = widget.NewButton("", v.compileProvince)
	v.submit = widget.NewButton("", v.confirmSubmit)
	v.submit.Importance = widget.HighImportance
	v.print = printButton(e, func() (report.Document, *translations.Translator, error) {
		doc, err := report.ProvincialReportOf(e.Store, e.Actor(), e.Tr(), v.year, domain.DateOf(e.Now()))
		return doc, e.Tr(), err
	})
	e.OnRelabel(v.relabel)
	e.refresh = v.reload
	v.reload()
	v.drafts = e.Draft("coordinator.chase", "")
	e.view = v
	return v
}

func (v *coordinatorView) content() fyne.CanvasObject {
	e := v.env
	bar := v.years.bar(e, v.compile, v.submit, v.print)
	top := container.NewVBox(v.title, bar, v.state, v.summary, v.totals, v.done, v.fault, widget.NewSeparator(),
		heading(e, "coordinator.schools"))
	return container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(v.list)))
}

func (v *coordinatorView) relabel() {
	e := v.env
	v.title.SetText(e.T("coordinator.heading", e.T(provinceNameKey(v.province))))
	v.compile.SetText(e.T("coordinator.compile"))
	v.submit.SetText(e.T("coordinator.submit"))
	v.show()
}

// reload reads where the schools stand and the compilation, off the UI
// goroutine.
func (v *coordinatorView) reload() {
	v.gen++
	gen, year, by, st := v.gen, v.year, v.env.Actor(), v.env.Store
	var schools []compliance.SchoolCompliance
	var pc compliance.ProvincialCompilation
	var err error
	v.env.Async(func() {
		if schools, err = st.ComplianceStatus(by, year); err == nil {
			pc, err = st.CompileProvince(by, year)
		}
	}, func() {
		if gen != v.gen {
			return
		}
		v.faultErr = err
		if err == nil {
			v.schools = schools
			v.compiled = nil
			if v.wantTotals || !pc.Submitted.IsZero() {
				v.compiled = &pc
			}
		}
		v.show()
		v.loaded++
	})
}

func (v *coordinatorView) submitted() bool {
	return v.compiled != nil && !v.compiled.Submitted.IsZero()
}

// show writes the state, the summary and the list of schools.
func (v *coordinatorView) show() {
	e := v.env
	year := strconv.Itoa(v.year)
	reported := 0
	for _, s := range v.schools {
		if s.Reported() {
			reported++
		}
	}
	v.summary.SetText(e.T("coordinator.summary", reported, len(v.schools), len(v.schools)-reported))
	if v.submitted() {
		v.state.SetText(e.T("coordinator.state.submitted", year, e.Tr().DateTime(v.compiled.Submitted)))
	} else {
		v.state.SetText(e.T("coordinator.state.open", year))
	}
	v.totals.Hidden = v.compiled == nil
	if c := v.compiled; c != nil {
		v.totals.SetText(e.T("coordinator.totals", e.Tr().DateTime(c.Compiled), c.Reported, c.Missing, c.Eligible, c.Ineligible))
	}
	v.compile.Hidden = v.submitted()
	v.submit.Hidden = v.compiled == nil || v.submitted()
	v.compile.Refresh()
	v.submit.Refresh()
	showOutcome(e, v.fault, v.done, v.faultErr, v.outcome)
	v.showSchools()
}

func (v *coordinatorView) showSchools() {
	e := v.env
	v.list.RemoveAll()
	v.chase, v.open = map[domain.ID]*widget.Button{}, map[domain.ID]*widget.Button{}
	if len(v.schools) == 0 {
		v.list.Add(wrapped(e.T("coordinator.schools.none")))
		return
	}
	for _, s := range v.schools {
		s := s
		var line string
		var b *widget.Button
		if s.Reported() {
			line = e.T("coordinator.school.reported", s.Name, s.Code.String(), e.Tr().DateTime(s.Submitted), s.Eligible, s.Ineligible)
			if s.Amendments > 0 {
				line += " " + e.T("coordinator.school.amended", s.Amendments)
			}
			b = widget.NewButton(e.T("coordinator.open"), func() { v.openReport(s) })
			v.open[s.School] = b
		} else {
			line = e.T("coordinator.school.missing", s.Name, s.Code.String())
			if s.Chased > 0 {
				line += " " + e.T("coordinator.school.chased", s.Chased, e.Tr().DateTime(s.LastChased))
			}
			b = widget.NewButton(e.T("coordinator.chase"), func() { v.askChase(s) })
			v.chase[s.School] = b
		}
		l := wrapped(line)
		v.list.Add(container.NewBorder(nil, nil, nil, b, l))
	}
}

// askChase asks for the note of a reminder to a school that has not
// reported. The dialog stays open, with the note, until it is sent.
func (v *coordinatorView) askChase(s compliance.SchoolCompliance) {
	e := v.env
	e.Touch()
	year := v.year
	text := wrapped(e.T("coordinator.chase.text", s.Name, strconv.Itoa(year)))
	note := newDialogEntry(e, true) // Esc in it cancels the dialog
	v.chaseNote = &note.Entry
	v.chaseNote.SetMinRowsVisible(4)
	v.chaseNote.SetPlaceHolder(e.T("coordinator.chase.hint"))
	v.drafts.Entry(s.School.String(), v.chaseNote)
	v.chaseErr = errorLabel()
	send := func() error {
		e.Touch()
		note := strings.TrimSpace(v.chaseNote.Text)
		if note == "" {
			v.chaseErr.SetText(e.T("coordinator.chase.note.required"))
			v.chaseErr.Show()
			return errStayOpen
		}
		if _, err := e.Store.ChaseSchool(e.Actor(), s.School, year, note); err != nil {
			v.chaseErr.SetText(e.Tr().Error(err))
			v.chaseErr.Show()
			return errStayOpen
		}
		v.chaseErr.Hide()
		v.outcome = func() string { return e.T("coordinator.chased", s.Name) }
		e.lastNotice = v.outcome()
		v.reload()
		return nil
	}
	d := showDialog(e, dialogSpec{Title: e.T("coordinator.chase"), Content: container.NewVBox(text, note, v.chaseErr),
		Text: []string{text.Text}, Width: 560, OK: e.T("coordinator.chase.send"), OnOK: send})
	v.chaseSend = d.ok
	e.Window.Canvas().Focus(note)
}

// openReport shows a school's submitted report, read-only, with its
// amendments, and prints it.
func (v *coordinatorView) openReport(s compliance.SchoolCompliance) {
	e := v.env
	e.Touch()
	rep, err := e.Store.ComplianceReport(e.Actor(), s.School, v.year)
	if err != nil {
		noticeDialog(e, s.Name, e.Tr().Error(err))
		return
	}
	v.schoolReport = wrapped(schoolReportText(e, s.Name, &rep))
	year := v.year
	v.printSchool = widget.NewButton(e.T("print.action"), func() {
		printNow(e, func() (report.Document, *translations.Translator, error) {
			doc, err := report.IneligibleReportOf(e.Store, e.Actor(), e.Tr(), s.School, year)
			return doc, e.Tr(), err
		})
	})
	scroll := container.NewVScroll(v.schoolReport)
	scroll.SetMinSize(fyne.NewSize(720, 440))
	newPlainDialog(e, e.T("print.title.ocwpp.ineligible-report"), container.NewBorder(nil,
		container.NewHBox(v.printSchool), nil, nil, scroll)).Show()
}

// schoolReportText is a submitted report in words: when, the counts, the
// ineligible students as the amendments leave them, and the amendments.
func schoolReportText(e *Env, school string, rep *ens.ComplianceReport) string {
	list, eligible, ineligible := rep.Current()
	lines := []string{e.T("coordinator.report.heading", school, strconv.Itoa(rep.Year)),
		e.T("coordinator.report.submitted", e.Tr().DateTime(rep.Submitted)),
		e.T("coordinator.report.counts", eligible, ineligible)}
	for _, s := range list {
		lines = append(lines, "• "+e.T("coordinator.report.student",
			studentName(ens.Student{GivenNames: s.GivenNames, FamilyName: s.FamilyName}), s.Reason))
	}
	for _, a := range rep.Amendments {
		lines = append(lines, "", amendmentText(e, a))
	}
	return strings.Join(lines, "\n")
}

// amendmentText is an amendment in words: its number, when, why, and
// each student's new mark.
func amendmentText(e *Env, a ens.Amendment) string {
	lines := []string{e.T("compliance.amendment.line", a.Number, e.Tr().DateTime(a.At), a.Reason)}
	for _, c := range a.Changes {
		name := studentName(ens.Student{GivenNames: c.GivenNames, FamilyName: c.FamilyName})
		if c.Eligible {
			lines = append(lines, e.T("compliance.amendment.eligible", name))
		} else {
			lines = append(lines, e.T("compliance.amendment.ineligible", name, c.Reason))
		}
	}
	return strings.Join(lines, "\n")
}

// compileProvince compiles the province from the reports this desk holds
// and shows the totals.
func (v *coordinatorView) compileProvince() {
	e := v.env
	e.Touch()
	pc, err := e.Store.CompileProvince(e.Actor(), v.year)
	v.faultErr = err
	if err == nil {
		v.compiled, v.wantTotals = &pc, true
		v.outcome = nil
	}
	v.show()
}

// confirmSubmit asks before submitting the compilation: it is then locked.
func (v *coordinatorView) confirmSubmit() {
	e := v.env
	e.Touch()
	if v.compiled == nil {
		return
	}
	year, c := v.year, v.compiled
	confirmDialog(e, e.T("coordinator.submit"), e.T("coordinator.submit.confirm", e.T(provinceNameKey(v.province)),
		strconv.Itoa(year), c.Reported, c.Missing), func() {
		pc, err := e.Store.SubmitProvincialReport(e.Actor(), year)
		v.faultErr = err
		if err != nil {
			e.lastNotice = e.Tr().Error(err)
			v.show()
			return
		}
		v.outcome = func() string { return e.T("coordinator.submitted", strconv.Itoa(pc.Year), pc.Eligible, pc.Ineligible) }
		e.lastNotice = v.outcome()
		v.reload()
	})
}

package ui

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store/applications"
)

// ScreenApplication is one tab of the applicant's OINP application.
func ScreenApplication(tab oinp.Tab) Screen {
	return Screen{ID: "application/" + string(tab), Title: "oinp.title", Help: "help.oinp",
		View: func(e *Env) fyne.CanvasObject { return newAppView(e, tab).content }}
}

// draftForm is the name the unsaved application is kept under (with the
// applicant's ID: see draftKey).
const draftForm = "oinp.application"

// appSession is the application being worked on while its person is signed
// in: the stored record, the working copy the tabs edit, and what was typed
// that does not read yet. It outlives the screens, so moving between tabs
// loses nothing.
type appSession struct {
	rec   applications.ApplicationRecord
	app   oinp.Application
	raw   map[string]rawField
	dirty bool
	// restored: the working copy came back from a draft.
	restored bool
	// checked: Check for Errors was asked for, so every tab shows its
	// problems from then on.
	checked bool
	tab     oinp.Tab
	// focus is the path to take the person to when the tab shows.
	focus string
	// wages is a Job Bank wage table imported for the median (kept for
	// the session only).
	wages []oinp.Wage
	// form, when set, is the Employer Form an employer user is writing:
	// the session edits app.Employer and saves it there.
	form *applications.EmployerFormRecord
	// edited, when set, is told of each edit (the self-assessment judges
	// its answers again).
	edited func()
}

// rawField is text typed in a field that does not read yet (a date of
// 31 February, "twelve" hours), and why.
type rawField struct {
	Text string      `json:"text"`
	Code domain.Code `json:"code"`
}

// appDraft is what an inactivity lock keeps of the working copy.
type appDraft struct {
	App oinp.Application    `json:"application"`
	Raw map[string]rawField `json:"raw,omitempty"`
}

// session returns the signed-in applicant's session, reading the stored
// application (and a draft a lock kept) the first time.
func (e *Env) appSession() (*appSession, error) {
	whose := e.Account.ID
	if e.Account.Role == account.Representative {
		whose = e.client
	}
	if e.application != nil && e.application.rec.Applicant == whose {
		return e.application, nil
	}
	var rec applications.ApplicationRecord
	var err error
	if e.Account.Role == account.Representative {
		rec, err = e.Store.ClientApplication(e.Actor(), e.client)
	} else {
		rec, _, err = e.Store.Application(e.Actor())
	}
	if err != nil {
		return nil, err
	}
	s := &appSession{rec: rec, app: rec.App, raw: map[string]rawField{}}
	s.rec.Applicant = whose
	s.restoreDraft(e)
	s.prefill(e)
	s.resolveCountries()
	e.application = s
	return s, nil
}

// prefill starts a new application with what the person gave when they
// signed up: they are not asked their names and e-mail twice.
func (s *appSession) prefill(e *Env) {
	if e.Account.Role != account.Applicant || s.rec.Version != 0 || s.dirty {
		return
	}
	ap, c := &s.app.Applicant, &s.app.Contact
	if ap.GivenNames == "" && ap.FamilyName == "" {
		ap.GivenNames, ap.FamilyName = e.Account.GivenNames, e.Account.FamilyName
	}
	if c.Email == "" {
		c.Email = e.Account.Email
	}
}

// draftKey is the name the unsaved application or Employer Form is kept
// under: per record (a representative's clients each have their own).
func (s *appSession) draftKey() string {
	if s.form != nil {
		id := "new"
		if !s.form.ID.IsZero() {
			id = s.form.ID.String()
		}
		return "employer.form/" + id
	}
	return draftForm + "/" + s.rec.Applicant.String()
}

// restoreDraft puts back what was typed and not saved.
func (s *appSession) restoreDraft(e *Env) {
	if b := e.TakeDraft(s.draftKey()); b != nil {
		var d appDraft
		if json.Unmarshal(b, &d) == nil {
			s.app, s.dirty, s.restored = d.App, true, true
			if d.Raw != nil {
				s.raw = d.Raw
			}
		}
	}
}

// draft is the working copy's unsaved part, nil when it has none.
func (s *appSession) draft() []byte {
	if !s.dirty {
		return nil
	}
	b, _ := json.Marshal(appDraft{App: s.app, Raw: s.raw})
	return b
}

// rep reports whether the person working is the applicant's
// representative (who fills only what the applicant left empty).
func (e *Env) rep() bool { return e.Account.Role == account.Representative }

// touch records an edit.
func (s *appSession) touch(e *Env) {
	s.dirty = true
	e.Touch()
	if s.edited != nil {
		s.edited()
	}
}

// rebuild shows the tab again (after a line was added or removed).
func (s *appSession) rebuild(e *Env) {
	if s.form != nil {
		e.Show(ScreenEmployerForm(s.form.ID))
		return
	}
	e.Show(ScreenApplication(s.tab))
}

// save stores the working copy when it changed: one transaction. The
// person's typing is kept whatever happens: a failed save leaves it dirty.
func (s *appSession) save(e *Env) error {
	if !s.dirty {
		return nil
	}
	if s.form != nil {
		rec, err := e.Store.SaveEmployerForm(e.Actor(), s.form.ID, s.app.Employer)
		if err != nil {
			return err
		}
		s.form, s.dirty = &rec, false
		s.app.Employer = rec.Form
		_ = e.keepLegacy() // saved: the draft goes with the same action
		return nil
	}
	var rec applications.ApplicationRecord
	var err error
	if e.rep() {
		rec, err = e.Store.SaveClientApplication(e.Actor(), s.rec.Applicant, s.app)
	} else {
		rec, err = e.Store.SaveApplication(e.Actor(), s.app)
	}
	if err != nil {
		return err
	}
	s.rec, s.dirty = rec, false
	s.app.FileNumber, s.app.Registered, s.app.Submitted = rec.App.FileNumber, rec.App.Registered, rec.App.Submitted
	_ = e.keepLegacy() // saved: the draft goes with the same action
	return nil
}

// problems are the errors of the working copy on today's date, with the
// text that does not read yet.
func (s *appSession) problems(e *Env) []oinp.Problem {
	today := domain.DateOf(e.Now())
	ps := append(oinp.Validate(&s.app, s.app.CheckDate(today)), oinp.CheckCountries(&s.app, assets.Countries())...)
	// A field kept as typed (a date, an amount or a country that does
	// not read) has one error, the text's, on its tab and in the Summary
	// alike: "not a valid date", not the "required" of the empty value
	// the rules see behind it.
	ps = slices.DeleteFunc(ps, func(p oinp.Problem) bool {
		_, typed := s.raw[p.Err.Field]
		return typed
	})
	paths := make([]string, 0, len(s.raw))
	for p := range s.raw {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		ps = append(ps, oinp.Problem{Tab: tabOfPath(p), Err: domain.FieldError(s.raw[p].Code, p)})
	}
	return ps
}

// tabOfPath is the tab a field's path belongs to.
func tabOfPath(path string) oinp.Tab {
	head, _, _ := strings.Cut(path, ".")
	head, _, _ = strings.Cut(head, "[")
	switch head {
	case "assistance", "applicant", "contact", "immigration", "education", "language", "work", "activities",
		"intent", "family", "funds":
		return oinp.Tab(head)
	case "eca":
		return oinp.TabEducation
	case "documents", "employerSendsDocuments":
		return oinp.TabDocuments
	case "schedules":
		return oinp.TabSchedules
	case "card", "notice":
		return oinp.TabFee
	case "learnedFrom":
		return oinp.TabLearning
	case "employer":
		switch {
		case strings.HasPrefix(path, "employer.offer."), path == "employer.signed":
			return oinp.TabEmployerOffer
		case path == "employer.appliedBefore", path == "employer.helped", path == "employer.representative":
			return oinp.TabEmployerHistory
		}
		return oinp.TabEmployerBusiness
	}
	return oinp.TabSummary
}

// appView is one tab of the application on screen.
type appView struct {
	e       *Env
	s       *appSession
	tab     oinp.Tab
	form    *appForm
	content fyne.CanvasObject
	// tabs are the buttons of the tab list; status says what was saved.
	tabs   map[oinp.Tab]*tabLink
	status *widget.Label
	// said writes the status line's last message in the language on
	// show, so that a language switch says it again.
	said func() string
	// checkBtn and the others are the tab's actions, for tests.
	checkBtn, saveBtn, nextBtn, prevBtn *widget.Button
	// summary are the Summary's lines that lead somewhere, verdict its
	// verdict, and fee the Processing Fee tab's form, for tests.
	summary []*summaryRow
	verdict *widget.Label
	fee     *feeView
	// decision is the program's work on a submitted file (ui/oinpdecision.go).
	decision *decisionView
}

func newAppView(e *Env, tab oinp.Tab) *appView {
	v := &appView{e: e, tab: tab, tabs: map[oinp.Tab]*tabLink{}, status: widget.NewLabel("")}
	e.view = v
	s, err := e.appSession()
	if err != nil {
		v.content = container.NewPadded(wrapped(e.Tr().Error(err)))
		return v
	}
	v.s, s.tab = s, tab
	v.form = newAppForm(e, s)
	e.KeepDraft(func() (string, []byte) {
		return s.draftKey(), s.draft()
	})
	buildTab(v)
	v.content = v.layout()
	if !s.app.Submitted.IsZero() && tab != oinp.TabFee {
		// Submitted: the form reads, nothing changes it (§6.4).
		disableAll(v.form.box)
		v.saveBtn.Disable()
		v.checkBtn.Disable()
	}
	if s.rec.EmployerForm != nil && (tab == oinp.TabEmployerHistory || tab == oinp.TabEmployerBusiness || tab == oinp.TabEmployerOffer) {
		// Signed by the employer: it reads, nobody here changes it.
		disableAll(v.form.box)
	}
	if e.rep() {
		// What the applicant filled is theirs (§3.2.2).
		filled := oinp.Fields(&s.rec.App)
		for path, w := range v.form.inputs {
			if filled[path] != "" && !s.rec.RepFilled[path] {
				w.Disable()
			}
		}
	}
	v.showProblems()
	if s.focus != "" {
		if w, ok := v.form.focus[s.focus]; ok {
			e.focusOnShow = w
		}
		s.focus = ""
	}
	return v
}

func (v *appView) layout() fyne.CanvasObject {
	e, s := v.e, v.s
	i := slices.Index(oinp.Tabs, v.tab)
	v.prevBtn = widget.NewButton("", func() { v.goTo(oinp.Tabs[i-1], "") })
	v.nextBtn = widget.NewButton("", func() { v.goTo(oinp.Tabs[i+1], "") })
	if i == 0 {
		v.prevBtn.Disable()
	}
	if i == len(oinp.Tabs)-1 {
		v.nextBtn.Disable()
	}
	v.saveBtn = widget.NewButton("", v.saveNow)
	v.checkBtn = widget.NewButton("", v.check)
	v.checkBtn.Importance = widget.HighImportance
	v.status.Importance = widget.LowImportance
	v.status.Wrapping = fyne.TextWrapWord
	e.OnRelabel(func() {
		v.prevBtn.SetText(e.T("oinp.previous"))
		v.nextBtn.SetText(e.T("oinp.next"))
		v.saveBtn.SetText(e.T("oinp.save"))
		v.checkBtn.SetText(e.T("oinp.check"))
		v.labelTabs()
		if v.said != nil {
			v.status.SetText(v.said())
		}
	})
	title := heading(e, v.tab.MessageKey())
	top := container.NewVBox(deadlinesPanel(e, s), widget.NewSeparator(), title)
	bar := container.NewVBox(widget.NewSeparator(), e.workingCopyNotice(v.s),
		container.NewBorder(nil, nil, container.NewHBox(v.prevBtn, v.saveBtn, v.nextBtn), v.checkBtn, v.status))
	form := container.NewBorder(top, bar, nil, nil, container.NewVScroll(container.NewPadded(v.form.box)))
	// The tabs exist once the list is made: name them then (the relabel
	// above ran before there were any).
	list := tabList(v)
	v.labelTabs()
	return container.NewBorder(nil, nil, list, nil, form)
}

// labelTabs names the tabs, with the count of problems each has once
// Check for Errors was asked for.
func (v *appView) labelTabs() {
	counts := map[oinp.Tab]int{}
	if v.s.checked {
		for _, p := range v.s.problems(v.e) {
			counts[p.Tab]++
		}
	}
	for t, b := range v.tabs {
		text := v.e.T(t.MessageKey())
		if n := counts[t]; n > 0 {
			text = v.e.T("oinp.tab.problems", text, n)
		}
		b.SetText(text)
	}
}

// showProblems writes each problem of this tab under its field, once
// Check for Errors was asked for.
func (v *appView) showProblems() {
	if !v.s.checked {
		return
	}
	for _, l := range v.form.errs {
		l.SetText("")
		l.Hide()
	}
	ps := oinp.ProblemsIn(v.s.problems(v.e), v.tab)
	for _, p := range ps {
		l, ok := v.form.errs[p.Err.Field]
		if !ok {
			continue
		}
		l.SetText(v.e.Tr().Error(p.Err))
		l.Show()
	}
	v.labelTabs()
}

// goTo saves and shows another tab, at a field when one is named.
func (v *appView) goTo(t oinp.Tab, field string) {
	v.e.Touch()
	if err := v.s.save(v.e); err != nil {
		v.say(widget.DangerImportance, func() string { return v.e.Tr().Error(err) })
		return
	}
	v.s.focus = field
	v.e.Show(ScreenApplication(t))
}

// saveNow is the Save button.
func (v *appView) saveNow() {
	v.e.Touch()
	if err := v.s.save(v.e); err != nil {
		v.say(widget.DangerImportance, func() string { return v.e.Tr().Error(err) })
		return
	}
	at := v.e.Now()
	v.say(widget.LowImportance, func() string { return v.e.T("oinp.saved", v.e.Tr().Time(at)) })
}

// say shows a message on the status line and keeps how to write it, for
// a language switch.
func (v *appView) say(imp widget.Importance, text func() string) {
	v.said = text
	v.status.Importance = imp
	v.status.SetText(text())
}

// check is Check for Errors: it saves, then shows every problem of this
// tab under its field and the count on each tab.
func (v *appView) check() {
	v.saveNow()
	v.s.checked = true
	v.showProblems()
	n := len(oinp.ProblemsIn(v.s.problems(v.e), v.tab))
	if n == 0 {
		v.say(v.status.Importance, func() string { return v.e.T("oinp.check.none") })
	} else {
		v.say(v.status.Importance, func() string { return v.e.T("oinp.check.some", n) })
	}
}

// deadlinesPanel shows the file's number, the window to submit and every
// date that matters, with the days left, warning as each approaches; and,
// before registering, the Register button.
func deadlinesPanel(e *Env, s *appSession) fyne.CanvasObject {
	box := container.NewVBox()
	today := domain.DateOf(e.Now())
	if s.app.FileNumber == "" && !e.rep() {
		reg := widget.NewButton("", func() { registerApplication(e, s) })
		reg.Importance = widget.HighImportance
		text := wrapped("")
		e.OnRelabel(func() {
			text.SetText(e.T("oinp.register.intro", oinp.RegistrationDays))
			reg.SetText(e.T("oinp.register"))
		})
		box.Add(container.NewBorder(nil, nil, nil, reg, text))
	} else if s.app.FileNumber != "" {
		head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		e.OnRelabel(func() { head.SetText(e.T("oinp.file", string(s.app.FileNumber), s.app.Registered)) })
		box.Add(head)
	}
	dates := container.NewGridWithColumns(2)
	for _, d := range oinp.Deadlines(&s.app, today) {
		d := d
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		switch {
		case d.DaysLeft < 0:
			l.Importance = widget.DangerImportance
		case d.DaysLeft <= warnDays(d.What):
			l.Importance = widget.WarningImportance
		}
		e.OnRelabel(func() {
			key := "oinp.deadline.left"
			if d.DaysLeft < 0 {
				key = "oinp.deadline.past"
			}
			l.SetText(e.T(key, e.T(deadlineKey(d.What)), d.Date, abs(d.DaysLeft)))
		})
		dates.Add(l)
	}
	box.Add(dates)
	return box
}

// warnDays is how near a date is when it turns orange: three days of the
// 14-day window, a month for the rest.
func warnDays(what string) int {
	if what == "submit" {
		return 3
	}
	return oinp.WarnDays
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// registerApplication asks, then registers the file: the 14 days start.
func registerApplication(e *Env, s *appSession) {
	confirmDialog(e, e.T("oinp.register"), e.T("oinp.register.confirm", oinp.RegistrationDays), func() {
		registerNow(e, s)
	})
}

// registerNow registers the file (after the person said yes).
func registerNow(e *Env, s *appSession) {
	{
		if err := s.save(e); err != nil {
			noticeDialog(e, e.T("oinp.register"), e.Tr().Error(err))
			return
		}
		rec, err := e.Store.RegisterApplication(e.Actor())
		if err != nil {
			if !errors.Is(err, applications.ErrAlreadyRegistered) {
				noticeDialog(e, e.T("oinp.register"), e.Tr().Error(err))
				return
			}
			rec, _, _ = e.Store.Application(e.Actor())
		}
		s.rec = rec
		s.app.FileNumber, s.app.Registered = rec.App.FileNumber, rec.App.Registered
		e.Show(ScreenApplication(s.tab))
	}
}

// deadlineKey names a date that matters.
func deadlineKey(what string) string { return "oinp.deadline." + what }

// disableAll disables every input under o.
func disableAll(o fyne.CanvasObject) {
	switch w := o.(type) {
	case fyne.Disableable:
		w.Disable()
	case *fyne.Container:
		for _, c := range w.Objects {
			disableAll(c)
		}
	}
}

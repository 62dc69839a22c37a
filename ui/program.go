package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/report"
	"dossier/store"
	"dossier/translations"
)

// The program officers' desk for the Off-Campus Work Permit Program: the
// participating schools, each school's DIR access (the DIR PINs the
// program issues and withdraws, the DIRs whose access it ends), the
// provinces' compilations their coordinators submitted, and where every
// school stands with its annual report. Each change is a command the
// server decides (store: ens.institution.create, account.pin.issue,
// account.pin.revoke, account.revoke).

// ScreenProgram is the program's schools: the program officers' home for
// the OCWPP.
var ScreenProgram = Screen{ID: "program", Title: "program.title", Help: "help.program"}

// ScreenAddSchool is where a program officer registers a school.
var ScreenAddSchool = Screen{ID: "program-add-school", Title: "program.add.title", Help: "help.program.add"}

// ScreenCompilations lists the provinces' submitted compilations.
var ScreenCompilations = Screen{ID: "program-compilations", Title: "program.compilations.title", Help: "help.program.compilations"}

// ScreenReporting is where every school stands with its annual report.
var ScreenReporting = Screen{ID: "program-reporting", Title: "program.reporting.title", Help: "help.program.reporting"}

// ScreenProgramSchool is one school's DIR access.
func ScreenProgramSchool(school domain.ID) Screen {
	return Screen{ID: "program-school/" + school.String(), Title: "program.school.title", Help: "help.program.school",
		View: func(e *Env) fyne.CanvasObject { return newSchoolAccessView(e, school).content() }}
}

func init() {
	ScreenProgram.View = Program
	ScreenAddSchool.View = func(e *Env) fyne.CanvasObject { return newAddSchoolView(e).content() }
	ScreenCompilations.View = func(e *Env) fyne.CanvasObject { return newCompilationsView(e).content() }
	ScreenReporting.View = func(e *Env) fyne.CanvasObject { return newReportingView(e).content() }
}

// programScreen reports whether a screen is one of the program's.
func programScreen(id string) bool {
	return id == ScreenProgram.ID || id == ScreenAddSchool.ID || id == ScreenCompilations.ID ||
		id == ScreenReporting.ID || strings.HasPrefix(id, "program-school/")
}

// programView holds the schools' screen's widgets, for tests.
type programView struct {
	add, compilations, reporting, files *widget.Button
	open                                map[domain.ID]*widget.Button
	count                               *widget.Label
}

// Program lists the participating schools, each leading to its DIR
// access, with the ways to the other program screens.
func Program(e *Env) fyne.CanvasObject {
	v := &programView{open: map[domain.ID]*widget.Button{}}
	e.view = v
	e.refresh = func() { e.Show(ScreenProgram) }
	v.add = widget.NewButton("", func() { e.Show(ScreenAddSchool) })
	v.add.Importance = widget.HighImportance
	v.compilations = widget.NewButton("", func() { e.Show(ScreenCompilations) })
	v.reporting = widget.NewButton("", func() { e.Show(ScreenReporting) })
	v.files = widget.NewButton("", func() { e.Show(ScreenOfficerFiles) })
	e.OnRelabel(func() {
		v.add.SetText(e.T("program.add"))
		v.compilations.SetText(e.T("program.compilations.title"))
		v.reporting.SetText(e.T("program.reporting.title"))
		v.files.SetText(e.T("officer.files.title"))
	})
	v.count = wrapped("")
	list := container.NewVBox()
	schools, err := e.Store.Institutions()
	if err != nil {
		list.Add(wrapped(e.Tr().Error(err)))
	}
	e.OnRelabel(func() { v.count.SetText(e.T("program.schools.count", len(schools))) })
	for _, in := range schools {
		id := in.ID
		line := wrapped("")
		b := widget.NewButton("", func() { e.Show(ScreenProgramSchool(id)) })
		v.open[id] = b
		e.OnRelabel(func() {
			line.SetText(e.T("program.school.line", in.Name, in.Code.String(), e.T(provinceNameKey(in.Province)), zoneText(e, in)))
			b.SetText(e.T("program.school.open"))
		})
		list.Add(container.NewBorder(nil, nil, nil, b, line))
	}
	if len(schools) == 0 && err == nil {
		list.Add(wrapped(e.T("program.schools.none")))
	}
	top := container.NewVBox(heading(e, "program.title"),
		container.NewHBox(v.add, v.reporting, v.compilations, v.files), v.count, widget.NewSeparator())
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(list)))
}

// zoneText is the time zone a school dates its documents in, as a person
// reads it: its own, or its province's.
func zoneText(e *Env, in store.Institution) string {
	if in.TimeZone == "" {
		return e.T("program.zone.province")
	}
	return in.TimeZone
}

// backTo is a button to another screen, labelled by key.
func backTo(e *Env, key string, s Screen) *widget.Button {
	b := widget.NewButton("", func() { e.Show(s) })
	e.OnRelabel(func() { b.SetText(e.T(key)) })
	return b
}

// addSchoolView is the form that registers a school; tests read it.
type addSchoolView struct {
	env                *Env
	name, code         *Entry
	province, zone     *widget.Select
	form               *labelled
	save               *widget.Button
	provinces, zones   []string
	provinceAt, zoneAt int
	drafts             *DraftForm
}

func newAddSchoolView(e *Env) *addSchoolView {
	v := &addSchoolView{env: e, name: newEntry(), code: newEntry(), form: newLabelled(e),
		provinces: store.Provinces, zones: append([]string{""}, store.SchoolZones...), provinceAt: -1}
	v.province = widget.NewSelect(nil, func(string) { v.provinceAt = v.province.SelectedIndex() })
	v.zone = widget.NewSelect(nil, func(string) { v.zoneAt = max(v.zone.SelectedIndex(), 0) })
	choosePlaceholder(e, v.zone)
	v.form.add("program.add.name", "name", v.name)
	v.form.add("program.add.code", "code", v.code)
	v.form.add("program.add.province", "province", v.province)
	v.form.add("program.add.zone", "timeZone", v.zone)
	v.save = widget.NewButton("", v.submit)
	v.save.Importance = widget.HighImportance
	e.OnRelabel(v.relabel)
	v.drafts = e.Draft("program.school.new", "")
	v.drafts.Entry("name", v.name)
	v.drafts.Entry("code", v.code)
	v.drafts.Select("province", v.province)
	v.drafts.Select("zone", v.zone)
	e.view = v
	return v
}

func (v *addSchoolView) relabel() {
	e := v.env
	v.save.SetText(e.T("program.add.save"))
	v.code.SetPlaceHolder(e.T("program.add.code.hint"))
	var names []string
	for _, p := range v.provinces {
		names = append(names, e.T(provinceNameKey(p))+" ("+p+")")
	}
	v.province.OnChanged = nil
	v.province.Options = names
	if v.provinceAt >= 0 {
		v.province.SetSelectedIndex(v.provinceAt)
	} else {
		v.province.PlaceHolder = e.T("program.add.province.choose")
		v.province.Refresh()
	}
	v.province.OnChanged = func(string) { v.provinceAt = v.province.SelectedIndex() }
	zones := []string{e.T("program.zone.province")}
	zones = append(zones, store.SchoolZones...)
	v.zone.OnChanged = nil
	v.zone.Options = zones
	v.zone.SetSelectedIndex(v.zoneAt)
	v.zone.OnChanged = func(string) { v.zoneAt = max(v.zone.SelectedIndex(), 0) }
}

func (v *addSchoolView) content() fyne.CanvasObject {
	e := v.env
	intro := wrapped("")
	e.OnRelabel(func() { intro.SetText(e.T("program.add.intro")) })
	return container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "program.add.title"), intro,
		v.form.box, v.form.general, container.NewHBox(v.save, backTo(e, "program.back", ScreenProgram)))))
}

// submit registers the school on this desk (the server decides when it
// syncs) and opens its DIR access, where its DIR's PIN is issued.
func (v *addSchoolView) submit() {
	e := v.env
	e.Touch()
	code, codeErr := ens.ParseSchoolCode(v.code.Text)
	in := store.Institution{Name: v.name.Text, Code: code}
	if v.provinceAt >= 0 && v.provinceAt < len(v.provinces) {
		in.Province = v.provinces[v.provinceAt]
	}
	if v.zoneAt > 0 && v.zoneAt < len(v.zones) {
		in.TimeZone = v.zones[v.zoneAt]
	}
	// Every mistake at once, by the program's own checks; the program
	// still decides (a code already taken, who may add a school).
	errs := store.InstitutionErrors(in)
	if codeErr != nil {
		errs = append(errs, domain.FieldError(ens.ErrSchoolCodeFormat, "code"))
	}
	if len(errs) > 0 {
		v.form.setFault(errors.Join(errs...))
		return
	}
	in, err := e.Store.CreateInstitution(e.Actor(), in)
	if err != nil {
		v.form.setFault(err)
		return
	}
	v.form.setFault(nil)
	v.drafts.Saved()
	e.lastNotice = e.T("program.add.done", in.Name, in.Code.String())
	e.Show(ScreenProgramSchool(in.ID))
}

// schoolAccessView is one school's DIR access; tests read it.
type schoolAccessView struct {
	env                          *Env
	school                       store.Institution
	fault                        error
	given, family, email, days   *Entry
	lang                         *widget.Select
	langAt                       int
	form                         *labelled
	issue                        *widget.Button
	pins, dirs                   *fyne.Container
	withdraw, end                map[domain.ID]*widget.Button
	lastPIN, lastPDF, lastMailTo string
	drafts                       *DraftForm
}

func newSchoolAccessView(e *Env, id domain.ID) *schoolAccessView {
	v := &schoolAccessView{env: e, given: newEntry(), family: newEntry(), email: newEntry(),
		days: newEntry(), form: newLabelled(e), pins: container.NewVBox(), dirs: container.NewVBox()}
	v.school, v.fault = e.Store.Institution(id)
	v.days.SetText(strconv.Itoa(int(e.Policy.PINValidity / (24 * time.Hour))))
	v.lang = widget.NewSelect(nil, nil)
	choosePlaceholder(e, v.lang)
	v.form.add("enrol.given", "givenNames", v.given)
	v.form.add("enrol.family", "familyName", v.family)
	v.form.add("program.pin.email", "email", v.email)
	v.form.add("program.pin.lang", "lang", v.lang)
	v.form.add("pins.days", "validity", v.days)
	v.issue = widget.NewButton("", v.issuePIN)
	v.issue.Importance = widget.HighImportance
	e.OnRelabel(func() {
		v.issue.SetText(e.T("pins.issue"))
		v.lang.OnChanged = nil
		v.lang.Options = []string{e.T("program.pin.lang.en"), e.T("program.pin.lang.fr")}
		v.lang.SetSelectedIndex(v.langAt)
		v.lang.OnChanged = func(string) { v.langAt = max(v.lang.SelectedIndex(), 0) }
		v.list()
	})
	v.drafts = e.Draft("program.school.access", id.String())
	v.drafts.Entry("given", v.given)
	v.drafts.Entry("family", v.family)
	v.drafts.Entry("email", v.email)
	v.drafts.Select("lang", v.lang)
	v.drafts.Entry("days", v.days)
	e.refresh = v.list
	e.view = v
	return v
}

func (v *schoolAccessView) content() fyne.CanvasObject {
	e := v.env
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := wrapped("")
	e.OnRelabel(func() {
		if v.fault != nil {
			title.SetText(e.Tr().Error(v.fault))
			return
		}
		title.SetText(e.T("program.school.heading", v.school.Name, v.school.Code.String(), e.T(provinceNameKey(v.school.Province))))
		intro.SetText(e.T("program.pin.intro"))
	})
	back := backTo(e, "program.back", ScreenProgram)
	if v.fault != nil {
		return container.NewPadded(container.NewVBox(title, back))
	}
	form := container.NewVBox(heading(e, "program.pin.new"), intro, v.form.box, v.form.general, container.NewHBox(v.issue, back))
	lists := container.NewVBox(heading(e, "program.pins"), v.pins, widget.NewSeparator(), heading(e, "program.dirs"), v.dirs)
	return container.NewBorder(container.NewPadded(title), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewGridWithColumns(2, form, lists))))
}

// issuePIN issues the DIR's PIN on this desk, shows it once and prints
// its sheet; the server, when the desk syncs, writes to the address given
// that the sheet is on its way (never the PIN).
func (v *schoolAccessView) issuePIN() {
	e := v.env
	e.Touch()
	lang := string(translations.English)
	if v.langAt == 1 {
		lang = string(translations.French)
	}
	email := strings.TrimSpace(v.email.Text)
	req := account.PINRequest{Role: account.DIR, Org: v.school.ID,
		GivenNames: v.given.Text, FamilyName: v.family.Text, Email: email, Lang: lang}
	// Every mistake at once, by the checks the PIN's rule runs; the
	// program still decides.
	var errs []error
	days, err := strconv.Atoi(strings.TrimSpace(v.days.Text))
	if err != nil {
		errs = append(errs, fieldFault{field: "validity", key: "pins.days.invalid"})
	} else {
		req.Validity = time.Duration(days) * 24 * time.Hour
	}
	errs = append(errs, req.Errors(e.Store.Policy())...)
	if email == "" {
		errs = append(errs, domain.FieldError(domain.ErrRequired, "email"))
	}
	if len(errs) > 0 {
		v.form.setFault(errors.Join(errs...))
		return
	}
	code, pin, err := e.Store.IssuePIN(e.Actor(), req)
	if err != nil {
		v.form.setFault(err)
		return
	}
	v.form.setFault(nil)
	v.drafts.Saved()
	v.lastPIN, v.lastMailTo = code, email
	v.lastPDF = writePINSheet(e, report.PINSheet{School: v.school.Name, GivenNames: pin.GivenNames, FamilyName: pin.FamilyName,
		PIN: code, Expires: pin.Expires, Issued: pin.Issued, IssuedBy: e.Account.GivenNames + " " + e.Account.FamilyName})
	text := dialogText(e.T("program.pin.issued", pin.GivenNames+" "+pin.FamilyName, v.school.Name, e.Tr().DateTime(pin.Expires)))
	mailed := dialogText(e.T("program.pin.mailed", email))
	where := dialogText(e.T("pins.printable.failed"))
	if v.lastPDF != "" {
		where.SetText(e.T("pins.printable", v.lastPDF))
	}
	e.lastNotice = text.Text
	newPlainDialog(e, e.T("program.pin.new"), container.NewVBox(text, copyField(e, code), where, mailed),
		text.Text, where.Text, mailed.Text).Show()
	v.given.SetText("")
	v.family.SetText("")
	v.email.SetText("")
	v.list()
}

// pinState is how a PIN stands, as a person reads it.
func pinState(e *Env, p account.PIN, now time.Time) (text string, usable bool) {
	switch {
	case !p.Used.IsZero():
		return e.T("program.pin.used", e.Tr().DateTime(p.Used)), false
	case !p.Revoked.IsZero():
		return e.T("program.pin.withdrawn", e.Tr().DateTime(p.Revoked)), false
	case !now.Before(p.Expires):
		return e.T("program.pin.expired", e.Tr().DateTime(p.Expires)), false
	}
	return e.T("program.pin.unused", e.Tr().DateTime(p.Expires)), true
}

// list shows the school's DIR PINs and DIRs, with what can be done to
// each.
func (v *schoolAccessView) list() {
	e := v.env
	if v.fault != nil {
		return
	}
	v.pins.RemoveAll()
	v.dirs.RemoveAll()
	v.withdraw, v.end = map[domain.ID]*widget.Button{}, map[domain.ID]*widget.Button{}
	pins, err := e.Store.PINsOf(e.Actor(), v.school.ID)
	if err != nil {
		v.pins.Add(wrapped(e.Tr().Error(err)))
	}
	for _, p := range pins {
		state, usable := pinState(e, p, e.Now())
		name := strings.TrimSpace(p.GivenNames + " " + p.FamilyName)
		if name == "" {
			name = e.T("program.pin.anyone")
		}
		l := wrapped(e.T("program.pin.line", name, e.Tr().DateTime(p.Issued), state))
		if !usable {
			v.pins.Add(l)
			continue
		}
		id := p.ID
		b := widget.NewButton(e.T("program.pin.withdraw"), func() {
			confirmDialog(e, e.T("program.pin.withdraw"), e.T("program.pin.withdraw.confirm", name), func() {
				if _, err := e.Store.RevokePIN(e.Actor(), id); err != nil {
					noticeDialog(e, e.T("program.pin.withdraw"), e.Tr().Error(err))
				}
				v.list()
			})
		})
		v.withdraw[id] = b
		v.pins.Add(container.NewBorder(nil, nil, nil, b, l))
	}
	if len(pins) == 0 && err == nil {
		v.pins.Add(wrapped(e.T("program.pins.none")))
	}
	dirs, err := e.Store.DIRsOf(e.Actor(), v.school.ID)
	if err != nil {
		v.dirs.Add(wrapped(e.Tr().Error(err)))
	}
	for _, a := range dirs {
		name := a.GivenNames + " " + a.FamilyName
		who := name
		if a.Credential.UserID != "" { // the desk holds the user IDs of those who signed in on it
			who += " (" + a.Credential.UserID + ")"
		}
		line := e.T("program.dir.line", who, e.Tr().DateTime(a.Enrolled))
		if !a.Revoked.IsZero() {
			v.dirs.Add(wrapped(line + " — " + e.T("pins.staff.revoked", e.Tr().DateTime(a.Revoked))))
			continue
		}
		id := a.ID
		b := widget.NewButton(e.T("program.dir.end"), func() {
			confirmDialog(e, e.T("program.dir.end"), e.T("program.dir.end.confirm", name, v.school.Name), func() {
				if err := e.Store.RevokeUser(e.Actor(), id); err != nil {
					noticeDialog(e, e.T("program.dir.end"), e.Tr().Error(err))
				}
				v.list()
			})
		})
		v.end[id] = b
		v.dirs.Add(container.NewBorder(nil, nil, nil, b, wrapped(line)))
	}
	if len(dirs) == 0 && err == nil {
		v.dirs.Add(wrapped(e.T("program.dirs.none")))
	}
}

// compilationsView lists the compilations the provinces' coordinators
// submitted for a year; tests read it.
type compilationsView struct {
	env   *Env
	years *yearPicker
	list  *fyne.Container
	print map[string]*widget.Button
	shown []string
}

func newCompilationsView(e *Env) *compilationsView {
	v := &compilationsView{env: e, list: container.NewVBox()}
	v.years = newYearPicker(e, func(int) { v.show() })
	e.OnRelabel(v.show)
	e.refresh = v.show
	e.view = v
	return v
}

func (v *compilationsView) content() fyne.CanvasObject {
	e := v.env
	top := container.NewVBox(heading(e, "program.compilations.title"), v.years.bar(e, backTo(e, "program.back", ScreenProgram)),
		widget.NewSeparator())
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(v.list)))
}

func (v *compilationsView) show() {
	e := v.env
	year := v.years.year()
	v.list.RemoveAll()
	v.print, v.shown = map[string]*widget.Button{}, nil
	all, err := e.Store.ProvincialReports(e.Actor(), year)
	if err != nil {
		v.list.Add(wrapped(e.Tr().Error(err)))
		return
	}
	if len(all) == 0 {
		v.list.Add(wrapped(e.T("program.compilations.none", strconv.Itoa(year))))
		return
	}
	for _, pc := range all {
		province := pc.Province
		by := ""
		if a, err := e.Store.Account(pc.SubmittedBy); err == nil {
			by = a.GivenNames + " " + a.FamilyName
		}
		title := widget.NewLabelWithStyle(e.T(provinceNameKey(province)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p := printButton(e, func() (report.Document, *translations.Translator, error) {
			doc, err := report.SubmittedReportOf(e.Store, e.Actor(), province, year, domain.DateOf(e.Now()))
			return doc, e.Tr(), err
		})
		v.print[province] = p
		v.shown = append(v.shown, province)
		v.list.Add(container.NewBorder(nil, nil, nil, p, title))
		v.list.Add(wrapped(e.T("program.compilation.line", e.Tr().DateTime(pc.Submitted), by, pc.Reported,
			pc.Reported+pc.Missing, pc.Eligible, pc.Ineligible)))
		for _, s := range pc.Schools {
			v.list.Add(wrapped("    " + schoolStanding(e, s, false)))
		}
		v.list.Add(widget.NewSeparator())
	}
}

// schoolStanding is a school's line: reported when, with its counts, or
// not, with the reminders it was sent when chased is set.
func schoolStanding(e *Env, s ens.SchoolCompliance, chased bool) string {
	if s.Reported() {
		line := e.T("coordinator.school.reported", s.Name, s.Code.String(), e.Tr().DateTime(s.Submitted), s.Eligible, s.Ineligible)
		if s.Amendments > 0 {
			line += " " + e.T("coordinator.school.amended", s.Amendments)
		}
		return line
	}
	line := e.T("coordinator.school.missing", s.Name, s.Code.String())
	if !chased {
		return line
	}
	if s.Chased > 0 {
		return line + " " + e.T("coordinator.school.chased", s.Chased, e.Tr().DateTime(s.LastChased))
	}
	return line + " " + e.T("program.reporting.never-chased")
}

// reportingView is where every school stands with its report for a
// year, province by province; tests read it.
type reportingView struct {
	env     *Env
	years   *yearPicker
	summary *widget.Label
	list    *fyne.Container
	lines   []string
}

func newReportingView(e *Env) *reportingView {
	v := &reportingView{env: e, list: container.NewVBox(), summary: wrapped("")}
	v.years = newYearPicker(e, func(int) { v.show() })
	e.OnRelabel(v.show)
	e.refresh = v.show
	e.view = v
	return v
}

func (v *reportingView) content() fyne.CanvasObject {
	e := v.env
	top := container.NewVBox(heading(e, "program.reporting.title"), v.years.bar(e, backTo(e, "program.back", ScreenProgram)),
		v.summary, widget.NewSeparator())
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(v.list)))
}

func (v *reportingView) show() {
	e := v.env
	year := v.years.year()
	v.list.RemoveAll()
	v.lines = nil
	all, err := e.Store.ReportingStatus(e.Actor(), year)
	if err != nil {
		v.summary.SetText(e.Tr().Error(err))
		return
	}
	reported, schools := 0, 0
	for _, pc := range all {
		state := e.T("program.reporting.open")
		if !pc.Submitted.IsZero() {
			state = e.T("program.reporting.submitted", e.Tr().DateTime(pc.Submitted))
		}
		n := len(pc.Schools)
		v.list.Add(widget.NewLabelWithStyle(e.T("program.reporting.province", e.T(provinceNameKey(pc.Province)), pc.Reported, n, state),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, s := range pc.Schools {
			line := schoolStanding(e, s, true)
			v.lines = append(v.lines, line)
			v.list.Add(wrapped("    " + line))
		}
		reported += pc.Reported
		schools += n
	}
	v.summary.SetText(e.T("program.reporting.summary", strconv.Itoa(year), reported, schools, schools-reported))
	if len(all) == 0 {
		v.list.Add(wrapped(e.T("program.schools.none")))
	}
}

package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
)

// oinpAssessView holds the In-Demand Skills questionnaire's widgets, for
// tests. Its answers are an application with only the questions filled
// (oinp.AssessmentQuestions), typed in the application's own fields.
type oinpAssessView struct {
	e       *Env
	s       *appSession
	form    *appForm
	verdict *widget.Label
	results *fyne.Container
	need    *widget.Label
	later   *widget.Label
	start   *widget.Button
	fault   *widget.Label
	// decide, while the applicant is asked whether to replace what their
	// application holds, answers the question (tests call it).
	decide func(replace bool)
}

// AssessOINP is the OINP In-Demand Skills self-assessment.
func AssessOINP(e *Env) fyne.CanvasObject {
	v := &oinpAssessView{e: e, s: &appSession{raw: map[string]rawField{}}}
	var saved appDraft
	if e.loadAssessment(assessOINP, &saved) {
		v.s.app = saved.App
		if saved.Raw != nil {
			v.s.raw = saved.Raw
		}
	} else if e.Session != nil && e.Account.Role == account.Applicant {
		// An applicant who has started an application starts from what
		// it says.
		if rec, found, err := e.Store.Application(e.Actor()); err == nil && found {
			v.s.app = oinp.AssessmentAnswers(&rec.App)
		}
	}
	v.form = newAppForm(e, v.s)
	v.questions()
	v.s.edited = v.changed

	v.verdict = wrapped("")
	v.verdict.TextStyle.Bold = true
	v.results = container.NewVBox()
	v.need, v.later = wrapped(""), wrapped("")
	v.need.Importance = widget.WarningImportance
	v.later.Importance = widget.LowImportance
	v.fault = errorLabel()
	v.start = widget.NewButton("", v.startApplication)
	v.start.Importance = widget.HighImportance
	back := widget.NewButton("", func() { e.leaveAssessment(true) })
	intro := wrapped("")
	e.OnRelabel(func() {
		intro.SetText(e.T("assess.oinp.intro"))
		back.SetText(e.T("assess.back"))
		if e.Session != nil {
			v.start.SetText(e.T("assess.start"))
		} else {
			v.start.SetText(e.T("assess.register"))
		}
		v.show()
	})
	if e.Session != nil && e.Account.Role != account.Applicant {
		v.start.Hide() // only the applicant starts their application
	}
	e.view = v
	left := container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "assess.oinp.title"), intro, v.form.box)))
	right := container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "assess.result"), v.verdict,
		v.need, v.results, v.later, v.fault, container.NewHBox(v.start), widget.NewSeparator(), container.NewHBox(back))))
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	return split
}

// questions builds each question in the application's own field, under
// its section's heading.
func (v *oinpAssessView) questions() {
	f, a := v.form, &v.s.app
	// The questionnaire fills one line of each list.
	if len(a.Work) == 0 {
		a.Work = []oinp.Work{{ID: f.lineID()}}
	}
	if len(a.Language) == 0 {
		a.Language = []oinp.LanguageTest{{ID: f.lineID()}}
	}
	if len(a.Education) == 0 {
		a.Education = []oinp.Education{{ID: f.lineID()}}
	}
	o, w, l, ed, im := &a.Employer.Offer, &a.Work[0], &a.Language[0], &a.Education[0], &a.Immigration
	ask := map[string]func(path string){
		"employer.offer.noc":                 func(p string) { f.text(p, &o.NOC) },
		"employer.offer.province":            func(p string) { pick(f, p, "province", Provinces, &o.Province) },
		"employer.offer.fullTime":            func(p string) { f.yesNo(p, &o.FullTime) },
		"employer.offer.indeterminate":       func(p string) { f.yesNo(p, &o.Permanent) },
		"employer.offer.seasonal":            func(p string) { f.yesNo(p, &o.Seasonal) },
		"employer.offer.agencyOrSubcontract": func(p string) { f.yesNo(p, &o.Agency) },
		"employer.offer.hoursPerWeek":        func(p string) { f.number(p, &o.HoursPerWeek) },
		"employer.offer.hoursPerYear":        func(p string) { f.number(p, &o.HoursPerYear) },
		"employer.offer.hourlyWageCents":     func(p string) { f.money(p, &o.WageCents) },
		"employer.offer.medianWageCents":     func(p string) { f.money(p, &o.MedianCents) },
		"work[0].noc":                        func(p string) { f.text(p, &w.NOC) },
		"work[0].from":                       func(p string) { f.date(p, &w.From) },
		"work[0].to":                         func(p string) { f.date(p, &w.To) },
		"work[0].hoursPerWeek":               func(p string) { f.number(p, &w.HoursPerWeek) },
		"work[0].country":                    func(p string) { f.country(p, &w.Country) },
		"work[0].province":                   func(p string) { pick(f, p, "province", Provinces, &w.Province) },
		"work[0].paid":                       func(p string) { f.yesNo(p, &w.Paid) },
		"work[0].authorised":                 func(p string) { f.yesNo(p, &w.Authorised) },
		"language[0].test":                   func(p string) { pick(f, p, "test", oinp.LanguageTests, &l.Test) },
		"language[0].taken":                  func(p string) { f.date(p, &l.Taken) },
		"language[0].listening":              func(p string) { f.number(p, &l.Listening) },
		"language[0].reading":                func(p string) { f.number(p, &l.Reading) },
		"language[0].writing":                func(p string) { f.number(p, &l.Writing) },
		"language[0].speaking":               func(p string) { f.number(p, &l.Speaking) },
		"education[0].level":                 func(p string) { pick(f, p, "level", oinp.EducationKinds, &ed.Level) },
		"education[0].country":               func(p string) { f.country(p, &ed.Country) },
		"education[0].completed":             func(p string) { f.date(p, &ed.Completed) },
		"eca.body":                           func(p string) { pick(f, p, "eca", oinp.ECABodies, &a.ECA.Body) },
		"eca.issued":                         func(p string) { f.date(p, &a.ECA.Issued) },
		"eca.secondaryOrAbove":               func(p string) { f.yesNo(p, &a.ECA.Secondary) },
		"applicant.maritalStatus":            func(p string) { pick(f, p, "marital", oinp.Maritals, &a.Applicant.Marital) },
		"funds.availableCents":               func(p string) { f.money(p, &a.Funds.AvailableCents) },
		"immigration.inCanada":               func(p string) { f.yesNo(p, &im.InCanada) },
		"immigration.status":                 func(p string) { pick(f, p, "status", oinp.Statuses, &im.Status) },
		"immigration.statusExpires":          func(p string) { f.date(p, &im.StatusExpires) },
		"immigration.refugeeClaimant":        func(p string) { f.yesNo(p, &im.Refugee) },
	}
	section := ""
	for _, q := range oinp.AssessmentQuestions {
		if q.Section != section {
			section = q.Section
			h := heading(v.e, section)
			h.Wrapping = fyne.TextWrapWord // long in French: it wraps rather than widen the window
			f.box.Add(h)
		}
		ask[q.Path](q.Path)
	}
	v.s.resolveCountries()
}

// changed keeps the answers at once and judges them again.
func (v *oinpAssessView) changed() {
	if err := v.e.saveAssessment(assessOINP, appDraft{App: v.s.app, Raw: v.s.raw}); err != nil {
		v.fault.SetText(v.e.Tr().Error(err))
		v.fault.Show()
	}
	v.show()
}

// show writes the verdict of the application's rules on the answers,
// today: each rule the questions cover, what is still needed, and the
// rules checked later.
func (v *oinpAssessView) show() {
	e := v.e
	res := oinp.Assess(&v.s.app, domain.DateOf(e.Now()), assets.OINPTables())
	v.verdict.SetText(e.T(res.VerdictKey()))
	v.need.Hide()
	if len(res.Missing) > 0 {
		names := make([]string, len(res.Missing))
		for i, p := range res.Missing {
			names[i] = e.T(oinp.LabelKey(p))
		}
		v.need.SetText(e.T("assess.need", strings.Join(names, " · ")))
		v.need.Show()
	}
	v.results.RemoveAll()
	for _, r := range res.Results {
		l := wrapped(e.T("oinp.summary.rule", e.T(r.Outcome.MarkKey()), r.Section, e.T(r.Title()), e.T(r.Key, r.Args...)))
		l.Importance = outcomeImportance(r.Outcome)
		if r.Outcome == oinp.Pass {
			l.Importance = widget.LowImportance
		}
		v.results.Add(l)
	}
	later := make([]string, len(res.Later))
	for i, id := range res.Later {
		later[i] = e.T(oinp.Result{Rule: id}.Title())
	}
	v.later.SetText(e.T("assess.later", strings.Join(later, " · ")))
}

// startApplication fills the applicant's application with the answers
// (one save, which syncs like any other), asking first when it would
// replace what the application holds; before sign-up it leads to the
// account to create, which the answers follow.
func (v *oinpAssessView) startApplication() {
	e := v.e
	if e.Session == nil {
		e.toAccount()
		return
	}
	v.fault.Hide()
	if s := e.application; s != nil && s.dirty {
		// What the applicant typed in the application itself is
		// saved first, so the answers are laid on top of it.
		if err := s.save(e); err != nil {
			v.showFault(err)
			return
		}
	}
	rec, _, err := e.Store.Application(e.Actor())
	if err != nil {
		v.showFault(err)
		return
	}
	answers := v.s.app
	app := rec.App
	conflicts, err := oinp.Prefill(&app, &answers, false)
	if err != nil {
		v.showFault(err)
		return
	}
	if len(conflicts) == 0 {
		v.save(app)
		return
	}
	v.decide = func(replace bool) {
		v.decide = nil
		if replace {
			app = rec.App
			if _, err := oinp.Prefill(&app, &answers, true); err != nil {
				v.showFault(err)
				return
			}
		}
		v.save(app)
	}
	names := make([]string, len(conflicts))
	for i, c := range conflicts {
		if key, isLine := assessLines[c]; isLine {
			names[i] = e.T(key)
		} else {
			names[i] = e.T(oinp.LabelKey(c))
		}
	}
	msg := e.T("assess.replace.text", strings.Join(names, " · "))
	decide := func(replace bool) {
		if v.decide != nil {
			v.decide(replace)
		}
	}
	showDialog(e, dialogSpec{Title: e.T("assess.replace.title"), Content: dialogText(msg), Text: []string{msg},
		OK: e.T("assess.replace.yes"), OnOK: func() error { decide(true); return nil },
		Cancel: e.T("assess.replace.no"), OnCancel: func() { decide(false) }})
}

// save stores the application in one transaction and opens it.
func (v *oinpAssessView) save(app oinp.Application) {
	e := v.e
	if _, err := e.Store.SaveApplication(e.Actor(), app); err != nil {
		v.showFault(err)
		return
	}
	e.application = nil // read again, with the answers
	e.lastNotice = e.T("assess.started")
	e.Show(ScreenApplication(oinp.TabGeneral))
}

func (v *oinpAssessView) showFault(err error) {
	v.fault.SetText(v.e.Tr().Error(err))
	v.fault.Show()
}

// assessLines name the lines the answers add to a list of the
// application (oinp.Prefill's conflicts).
var assessLines = map[string]string{"work": "assess.line.work", "language": "assess.line.language",
	"education": "assess.line.education"}

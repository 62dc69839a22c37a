package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// ocwppSaved is what the OCWPP questionnaire keeps: the answers, and the
// dates as typed (kept even when they do not read as a date yet).
type ocwppSaved struct {
	Answers ens.SelfAssessment `json:"answers"`
	Permit  string             `json:"permitExpires,omitempty"`
	Since   string             `json:"fullTimeSince,omitempty"`
}

// ocwppAssessView holds the OCWPP questionnaire's widgets, for tests.
type ocwppAssessView struct {
	e       *Env
	saved   ocwppSaved
	radios  map[string]*widget.RadioGroup
	answers map[string]*ens.Answer
	permit  *Entry
	since   *Entry
	school  *widget.Select
	schools []store.Institution
	dateErr map[*Entry]*widget.Label
	verdict *widget.Label
	results *fyne.Container
	ask     *widget.Button
	fault   *widget.Label
}

// AssessOCWPP is the Off-Campus Work Permit self-assessment: the criteria
// the DIR confirms on Verify, judged on the student's answers.
func AssessOCWPP(e *Env) fyne.CanvasObject {
	v := &ocwppAssessView{e: e, radios: map[string]*widget.RadioGroup{}, answers: map[string]*ens.Answer{},
		dateErr: map[*Entry]*widget.Label{}}
	e.loadAssessment(assessOCWPP, &v.saved)
	a := &v.saved.Answers
	form := container.NewVBox()
	question := func(key string, w fyne.CanvasObject, below ...fyne.CanvasObject) {
		lbl := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		lbl.Wrapping = fyne.TextWrapWord
		e.OnRelabel(func() { lbl.SetText(e.T(key)) })
		form.Add(container.NewVBox(append([]fyne.CanvasObject{lbl, w}, below...)...))
	}
	radio := func(key string, ans *ens.Answer) {
		r := widget.NewRadioGroup(nil, nil)
		r.Horizontal = true
		r.OnChanged = func(s string) {
			if i := slices.Index(r.Options, s); i >= 0 {
				*ans = ens.Answers[i]
			} else {
				*ans = ens.Unanswered
			}
			v.changed()
		}
		v.radios[key], v.answers[key] = r, ans
		question(key, r)
	}
	date := func(key string, d *domain.Date, raw *string) *Entry {
		w := newEntry()
		w.SetText(*raw)
		errLbl := errorLabel()
		v.dateErr[w] = errLbl
		w.OnChanged = func(s string) {
			*raw = s
			*d = domain.Date{}
			errLbl.Hide()
			if s = strings.TrimSpace(s); s != "" {
				if p, err := domain.ParseDate(key, s); err == nil {
					*d = p
				} else {
					errLbl.SetText(e.Tr().Error(err))
					errLbl.Show()
				}
			}
			v.changed()
		}
		e.OnRelabel(func() { w.SetPlaceHolder(e.T("format.date.placeholder")) })
		question(key, w, errLbl)
		return w
	}
	radio("ens.assess.q.study-permit", &a.StudyPermit)
	v.permit = date("ens.assess.q.study-permit-expires", &a.StudyPermitExpires, &v.saved.Permit)
	radio("ens.assess.q.participating", &a.Participating)
	radio("ens.assess.q.full-time", &a.FullTime)
	v.since = date("ens.assess.q.full-time-since", &a.FullTimeSince, &v.saved.Since)
	radio("ens.assess.q.standing", &a.Standing)
	radio("ens.assess.q.exchange", &a.Exchange)
	radio("ens.assess.q.scholarship", &a.Scholarship)
	radio("ens.assess.q.language-only", &a.LanguageOnly)
	if e.hasProfile() {
		v.schools, _ = e.Store.Institutions()
	}
	v.school = widget.NewSelect(nil, func(name string) {
		a.School = domain.ID{}
		for _, in := range v.schools {
			if in.Name == name {
				a.School = in.ID
			}
		}
		v.changed()
	})
	for _, in := range v.schools {
		v.school.Options = append(v.school.Options, in.Name)
		if in.ID == a.School {
			v.school.Selected = in.Name
		}
	}
	question("ens.assess.q.school", v.school)

	v.verdict = wrapped("")
	v.verdict.TextStyle.Bold = true
	v.results = container.NewVBox()
	v.fault = errorLabel()
	v.ask = widget.NewButton("", v.askSchool)
	v.ask.Importance = widget.HighImportance
	back := widget.NewButton("", func() { e.leaveAssessment(true) })
	intro := wrapped("")
	e.OnRelabel(func() {
		intro.SetText(e.T("assess.ocwpp.intro"))
		opts := []string{e.T("ens.assess.answer.yes"), e.T("ens.assess.answer.no"), e.T("ens.assess.answer.not-sure")}
		for key, r := range v.radios {
			r.Options = opts
			r.Selected = ""
			if i := slices.Index(ens.Answers, *v.answers[key]); i >= 0 {
				r.Selected = opts[i]
			}
			r.Refresh()
		}
		v.school.PlaceHolder = e.T("student.school.choose")
		v.school.Refresh()
		back.SetText(e.T("assess.back"))
		if e.Session != nil && e.Account.Role == account.Student {
			v.ask.SetText(e.T("assess.ask-school"))
		} else {
			v.ask.SetText(e.T("assess.register"))
		}
		v.show()
	})
	if e.Session != nil && e.Account.Role != account.Student {
		v.ask.Hide() // only a student asks a school to verify
	}
	// Every answer is saved as it is given (saveAssessment).
	e.keptByWorkingCopy(form)
	e.view = v
	left := container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "assess.ocwpp.title"), intro, form)))
	right := container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "assess.result"), v.verdict,
		v.results, v.fault, container.NewHBox(v.ask), widget.NewSeparator(), container.NewHBox(back))))
	split := container.NewHSplit(left, right)
	split.Offset = 0.55
	return split
}

// changed keeps the answers at once (nothing typed is lost) and judges
// them again.
func (v *ocwppAssessView) changed() {
	v.e.Touch()
	if err := v.e.saveAssessment(assessOCWPP, v.saved); err != nil {
		v.fault.SetText(v.e.Tr().Error(err))
		v.fault.Show()
	}
	v.show()
}

// show writes the verdict on today's date, each criterion under the DIR's
// wording of it, with why.
func (v *ocwppAssessView) show() {
	e := v.e
	res := ens.Assess(v.saved.Answers, domain.DateOf(e.Now()))
	v.verdict.SetText(e.T(res.VerdictKey()))
	v.results.RemoveAll()
	for _, r := range res.Results {
		l := wrapped("")
		l.SetText(e.T(r.MarkKey()) + " · " + e.T(r.Title()) + "\n" + e.T(r.Key, r.Args...))
		v.results.Add(l)
	}
}

// askSchool opens the student's request form with the school chosen (an
// Eligibility Verification), or, before sign-up, the account to create.
func (v *ocwppAssessView) askSchool() {
	e := v.e
	if e.Session == nil {
		e.toAccount()
		return
	}
	e.requestSchool = v.saved.Answers.School
	e.Show(ScreenStudent)
}

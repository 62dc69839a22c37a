package ui

import (
	"encoding/json"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
)

// The self-assessments (issue 17 item 3): before applying, a person checks
// whether they can, offline, with or without an account. The answers are
// kept sealed on the desk as they are typed (store.SaveAssessment), under
// the person's account or, before sign-up, under none, and carried into
// the account they then create.
var (
	ScreenAssess      = Screen{ID: "assess", Title: "assess.title", Help: "help.assess"}
	ScreenAssessOCWPP = Screen{ID: "assess/ocwpp", Title: "assess.ocwpp.title", Help: "help.assess-ocwpp"}
	ScreenAssessOINP  = Screen{ID: "assess/oinp", Title: "assess.oinp.title", Help: "help.assess-oinp"}
)

func init() {
	ScreenAssess.View = Assess
	ScreenAssessOCWPP.View = AssessOCWPP
	ScreenAssessOINP.View = AssessOINP
}

// The programs' names in the assessments bucket.
const (
	assessOCWPP = "ocwpp"
	assessOINP  = "oinp"
)

// Assess lets a person choose the program to check: reached from the
// sign-in screen, before any account.
func Assess(e *Env) fyne.CanvasObject {
	text := widget.NewLabel("")
	text.Wrapping = fyne.TextWrapWord
	ocwpp := widget.NewButton("", func() { e.Show(ScreenAssessOCWPP) })
	oinp := widget.NewButton("", func() { e.Show(ScreenAssessOINP) })
	back := widget.NewButton("", func() { e.leaveAssessment(false) })
	e.OnRelabel(func() {
		text.SetText(e.T("assess.choose"))
		ocwpp.SetText(e.T("assess.ocwpp"))
		oinp.SetText(e.T("assess.oinp"))
		back.SetText(e.T("assess.back"))
	})
	e.focusOnShow = ocwpp
	return container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "assess.title"), text,
		container.NewHBox(ocwpp, oinp), widget.NewSeparator(), container.NewHBox(back))))
}

// assessor is whose answers the screen keeps: the signed-in person, or
// nobody yet (the zero ID) before sign-up.
func (e *Env) assessor() domain.ID {
	if e.Session == nil {
		return domain.ID{}
	}
	return e.Account.ID
}

// loadAssessment reads the answers kept for the program into v; false
// when there are none.
func (e *Env) loadAssessment(program string, v any) bool {
	b := e.assessPending[program]
	if e.hasProfile() {
		var err error
		if b, err = e.Store.Assessment(e.assessor(), program); err != nil {
			return false
		}
	}
	return b != nil && json.Unmarshal(b, v) == nil
}

// saveAssessment keeps the answers as they are now: in the profile, or,
// before one is open, in memory until it is.
func (e *Env) saveAssessment(program string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if !e.hasProfile() {
		if e.assessPending == nil {
			e.assessPending = map[string][]byte{}
		}
		e.assessPending[program] = b
		return nil
	}
	return e.Store.SaveAssessment(e.assessor(), program, b)
}

// keepPendingAssessments writes into the profile just opened the answers
// given before, as answers of nobody yet (they follow the account the
// person then creates).
func (e *Env) keepPendingAssessments() {
	for program, b := range e.assessPending {
		if err := e.Store.SaveAssessment(domain.ID{}, program, b); err == nil {
			delete(e.assessPending, program)
		}
	}
}

// hasProfile reports whether a profile is open.
func (e *Env) hasProfile() bool { return e.Store.Engine() != nil }

// toAccount leads a person without an account to the one to create: the
// first-run screen when no profile is open yet.
func (e *Env) toAccount() {
	if !e.hasProfile() {
		e.Show(ScreenFirstRun)
		return
	}
	e.Show(ScreenRegister)
}

// leaveAssessment goes back: to the person's home when signed in, else to
// the choice of program (from a questionnaire) or the sign-in screen.
func (e *Env) leaveAssessment(fromQuestionnaire bool) {
	switch {
	case e.Session != nil:
		e.Show(homeFor(e.Account.Role))
	case fromQuestionnaire:
		e.Show(ScreenAssess)
	case !e.hasProfile():
		e.Show(ScreenFirstRun)
	default:
		e.Show(ScreenSignIn)
	}
}

// assessButton is the home's way to a program's questionnaire.
func assessButton(e *Env, s Screen) *widget.Button {
	b := widget.NewButton("", func() { e.Show(s) })
	e.OnRelabel(func() { b.SetText(e.T("assess.title")) })
	return b
}

// assessFor is the questionnaire of a role's program, if it has one.
func assessFor(r account.Role) (Screen, bool) {
	switch r {
	case account.Student:
		return ScreenAssessOCWPP, true
	case account.Applicant:
		return ScreenAssessOINP, true
	}
	return Screen{}, false
}

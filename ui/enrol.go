package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/account"
	"dossier/store"
)

// The screens where a person gets an account.
var (
	ScreenEnrol    = Screen{ID: "enrol", Title: "enrol.title", Help: "help.enrol"}
	ScreenRegister = Screen{ID: "register", Title: "register.title", Help: "help.register"}
)

// credentialForm is what enrolment (with a PIN) and a student's own
// registration share: user ID, password twice, names, four security
// questions, the terms.
type credentialForm struct {
	form               *labelled
	user, pass, repeat *Entry
	given, family      *Entry
	questions, answers [account.QuestionCount]*Entry
	terms              *widget.Check
	submit, back       *widget.Button
	pin, email         *Entry
	// as is who registers: a student or an OINP applicant.
	as *widget.RadioGroup
	// drafts keep the names and e-mail as typed, never the password,
	// the PIN or the answers.
	drafts *DraftForm
	// roleForm is the form their role is written in, in French.
	roleForm *formChoice
}

// credentialKind is which form the credential is part of.
type credentialKind int

const (
	withPINForm  credentialKind = iota // enrolment with a PIN
	registerForm                       // a person's own sign-up (student, applicant, representative)
	businessForm                       // a business's enrolment (its primary user)
)

func newCredentialForm(e *Env, kind credentialKind) *credentialForm {
	withPIN := kind == withPINForm
	f := &credentialForm{form: newLabelled(e), user: newEntry(), pass: newPasswordEntry(),
		repeat: newPasswordEntry(), given: newEntry(), family: newEntry(),
		terms: widget.NewCheck("", nil)}
	if withPIN {
		if e.Sync == nil {
			f.form.addText("enrol.server.hint")
		}
		f.pin = newEntry()
		f.form.add("enrol.pin", "pin", f.pin)
	}
	f.form.add("enrol.given", "givenNames", f.given)
	f.form.add("enrol.family", "familyName", f.family)
	if kind != businessForm {
		f.roleForm = newFormChoice(e, account.FormNeutral)
		f.form.add("account.form", "form", f.roleForm.radio)
	}
	if kind == registerForm {
		f.as = widget.NewRadioGroup(nil, nil)
		preset := e.registerAs
		e.registerAs = 0
		e.OnRelabel(func() {
			i := radioIndex(f.as)
			if i < 0 {
				i = preset
			}
			f.as.Options = []string{e.T("register.as.student"), e.T("register.as.applicant"), e.T("register.as.representative")}
			f.as.Selected = f.as.Options[i]
			f.as.Refresh()
		})
		f.form.add("register.as", "role", f.as)
	}
	if !withPIN {
		f.email = newEntry()
		f.form.add("enrol.email", "email", f.email)
	}
	f.form.add("enrol.user", "userID", f.user)
	f.form.add("enrol.password", "password", f.pass)
	f.form.add("enrol.repeat", "repeat", f.repeat)
	f.form.addText("enrol.questions.intro", account.QuestionCount)
	for i := range f.questions {
		f.questions[i], f.answers[i] = newEntry(), newEntry()
		n := i + 1
		f.form.add(fmt.Sprintf("enrol.question.%d", n), fmt.Sprintf("question%d", n), f.questions[i])
		f.form.add(fmt.Sprintf("enrol.answer.%d", n), fmt.Sprintf("answer%d", n), f.answers[i])
	}
	f.form.addText("enrol.terms.text")
	f.form.add("enrol.terms", "terms", f.terms)
	f.back = widget.NewButton("", func() { e.Show(ScreenSignIn) })
	e.OnRelabel(func() {
		f.terms.Text = e.T("enrol.terms.accept")
		f.terms.Refresh()
		f.back.SetText(e.T("enrol.back"))
		for i := range f.questions {
			f.questions[i].SetPlaceHolder(e.T(fmt.Sprintf("enrol.question.example.%d", i+1)))
		}
	})
	f.drafts = e.Draft([]string{"enrol", "register", "business.enrol"}[kind], "")
	f.drafts.Entry("given", f.given)
	f.drafts.Entry("family", f.family)
	if f.as != nil {
		f.drafts.Radio("as", f.as)
	}
	if f.email != nil {
		f.drafts.Entry("email", f.email)
	}
	if f.roleForm != nil {
		f.drafts.Radio("form", f.roleForm.radio)
	}
	f.drafts.Entry("user", f.user)
	for i := range f.questions {
		f.drafts.Entry(fmt.Sprintf("question%d", i+1), f.questions[i])
		f.drafts.Skip(f.answers[i])
	}
	f.drafts.Check("terms", f.terms)
	f.drafts.Skip(f.pass, f.repeat)
	if f.pin != nil {
		f.drafts.Skip(f.pin)
	}
	e.view = f
	return f
}

func (f *credentialForm) content(e *Env, title string) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading(e, title), f.form.box, f.form.general, container.NewHBox(f.submit, f.back))))
}

func (f *credentialForm) securityQuestions() [account.QuestionCount]account.SecurityQuestion {
	var qs [account.QuestionCount]account.SecurityQuestion
	for i := range qs {
		qs[i] = account.SecurityQuestion{Question: f.questions[i].Text, Answer: f.answers[i].Text}
	}
	return qs
}

// answersOf answers a question from those the person set.
func answersOf(qs [account.QuestionCount]account.SecurityQuestion) func(string) string {
	return func(q string) string {
		for _, sq := range qs {
			if strings.TrimSpace(sq.Question) == strings.TrimSpace(q) {
				return sq.Answer
			}
		}
		return ""
	}
}

// run shows every mistake at once (errs, the rule's own checks, and the
// repeated password); when there is none it does the slow work off the UI
// goroutine and signs the new account in. The program still decides.
func (f *credentialForm) run(e *Env, errs []error, work func() (store.Account, error)) {
	if !f.showErrors(errs) {
		return
	}
	f.submit.Disable()
	user, pw := f.user.Text, f.pass.Text
	// The server asks one of the questions just set before it signs the
	// new account in: the answers were typed a moment ago.
	answer := answersOf(f.securityQuestions())
	e.answerWith = answer
	if e.Sync != nil {
		e.Sync.SetAnswerer(func(_ context.Context, q string) (string, error) { return answer(q), nil })
	}
	var sess account.Session
	var acct store.Account
	var err error
	e.Async(func() {
		if _, err = work(); err == nil {
			sess, acct, err = e.Store.SignIn(user, pw)
		}
		if err == nil {
			e.keepSlot(e.Store, "", user, pw)
		}
	}, func() {
		f.submit.Enable()
		if err != nil {
			f.form.setFault(err)
			return
		}
		e.signedIn(sess, acct, pw)
	})
}

// showErrors shows errs and a repeated password that differs, all at
// once; it is false when there is any.
func (f *credentialForm) showErrors(errs []error) bool {
	if f.pass.Text != f.repeat.Text {
		errs = append(errs, fieldFault{field: "repeat", key: "firstrun.password.mismatch"})
	}
	f.form.setFault(errors.Join(errs...))
	return len(errs) == 0
}

// Enrol is enrolment with a PIN (DOMAIN.md §2): for DIRs and signatories.
func Enrol(e *Env) fyne.CanvasObject { return newEnrol(e).content(e, "enrol.title") }

func newEnrol(e *Env) *credentialForm {
	f := newCredentialForm(e, withPINForm)
	f.submit = widget.NewButton("", func() {
		en := account.Enrolment{UserID: f.user.Text, Password: f.pass.Text, GivenNames: f.given.Text,
			FamilyName: f.family.Text, PIN: f.pin.Text, AcceptTerms: f.terms.Checked, Questions: f.securityQuestions(),
			Lang: string(e.Tr().Lang()), Form: f.roleForm.Form()}
		st, online := e.Store, e.Sync
		f.run(e, en.Errors(), func() (store.Account, error) {
			a, err := st.Enrol(en)
			if (errors.Is(err, account.ErrPINUnknown) || errors.Is(err, account.ErrUserIDTaken)) && online != nil {
				// A PIN from the program, or issued on another desk:
				// the server holds it. A user ID this desk holds may be
				// an enrolment de-linked elsewhere, which only the
				// server knows yet: it re-links it if so.
				ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
				defer cancel()
				return store.Account{}, online.Enrol(ctx, en)
			}
			return a, err
		})
	})
	f.submit.Importance = widget.HighImportance
	e.OnRelabel(func() { f.submit.SetText(e.T("enrol.submit")) })
	return f
}

// Register is a student's own sign-up (MyCIC): no PIN.
func Register(e *Env) fyne.CanvasObject { return newRegister(e).content(e, "register.title") }

func newRegister(e *Env) *credentialForm {
	f := newCredentialForm(e, registerForm)
	f.submit = widget.NewButton("", func() {
		r := account.Registration{UserID: f.user.Text, Password: f.pass.Text, GivenNames: f.given.Text,
			FamilyName: f.family.Text, Email: f.email.Text, AcceptTerms: f.terms.Checked, Questions: f.securityQuestions(),
			Lang: string(e.Tr().Lang()), Form: f.roleForm.Form()}
		as := radioIndex(f.as)
		f.run(e, r.Errors(), func() (store.Account, error) {
			var a store.Account
			var err error
			switch as {
			case 1:
				a, err = e.Store.RegisterApplicant(r)
			case 2:
				a, err = e.Store.RegisterRepresentative(r)
			default:
				a, err = e.Store.RegisterStudent(r)
			}
			if err == nil {
				// What they answered before signing up comes with them
				// (ui/assess.go); the account exists whatever happens
				// to it.
				_ = e.Store.AdoptAssessments(a.ID)
			}
			return a, err
		})
	})
	f.submit.Importance = widget.HighImportance
	e.OnRelabel(func() { f.submit.SetText(e.T("register.submit")) })
	return f
}

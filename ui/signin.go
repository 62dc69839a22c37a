package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
)

// The screens before anyone is signed in.
var (
	ScreenFirstRun = Screen{ID: "first-run", Title: "firstrun.title", Help: "help.first-run"}
	ScreenSignIn   = Screen{ID: "sign-in", Title: "signin.title", Help: "help.sign-in"}
)

// signIn holds the sign-in screen's widgets, for tests.
type signIn struct {
	user, pass *Entry
	btn        *widget.Button
	form       *labelled
	notice     *widget.Label
	// step is the first step (user ID and password), ask the second:
	// one of the person's security questions.
	step, ask *fyne.Container
	qform     *labelled
	question  *widget.Label
	offline   *widget.Label
	answer    *Entry
	answerBtn *widget.Button
	back      *widget.Button
	asked     *askedQuestion
	// locked is the profile at launch, not open yet (e.launch): the
	// user ID and password open it with the person's key slot first;
	// profilePassword leads to opening it with the profile password.
	locked          string
	profilePassword *widget.Button
}

// askedQuestion is the security question a right password was asked:
// by the server (ch), or, when it cannot be reached, by this desk
// (account).
type askedQuestion struct {
	ch       *sync.SignInChallenge
	account  domain.ID
	user, pw string
	text     string
	// offline says the desk asks because its server cannot be reached.
	offline bool
}

// signInStep is the outcome of one step of the sign-in.
type signInStep struct {
	sess  account.Session
	acct  store.Account
	asked *askedQuestion
	// pw is the password goOnline signs in to the server with: none when
	// the server signed the person in already.
	pw  string
	err error
}

// slotKept makes the person's key slot after a sign-in step that signed
// them in (r), run where the step ran: skip marks the slot that
// opened the profile.
func (r signInStep) slotKept(e *Env, st programs.Desk, skip, user, typed string) {
	if r.err == nil && r.asked == nil {
		e.keepSlot(st, skip, user, typed)
	}
}

// SignIn asks for a user ID and password, and leads to enrolment with a PIN
// or to a student's own registration.
func SignIn(e *Env) fyne.CanvasObject {
	e.fetchNotices()
	return newSignIn(e).content(e)
}

func newSignIn(e *Env) *signIn {
	s := &signIn{user: newEntry(), pass: newPasswordEntry()}
	if e.Store.Engine() == nil {
		s.locked = e.launch
	}
	s.form = newLabelled(e)
	s.notice = widget.NewLabel("")
	s.notice.Wrapping = fyne.TextWrapWord
	s.notice.Importance = widget.WarningImportance
	s.notice.Hide()
	notice := "err.account.session.expired"
	if n := e.lockedOut; n != nil {
		s.user.SetText(n.userID)
		s.notice.Show()
		if n.reason != "" {
			notice = n.reason
		}
	}
	s.btn = widget.NewButton("", func() { s.submit(e) })
	s.profilePassword = widget.NewButton("", func() { e.openWithProfilePassword(s.locked) })
	s.profilePassword.Importance = widget.LowImportance
	s.btn.Importance = widget.HighImportance
	s.pass.OnSubmitted = func(string) { s.submit(e) }
	s.form.add("signin.user", "userID", s.user)
	s.form.add("signin.password", "password", s.pass)
	s.qform = newLabelled(e)
	s.question = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.question.Wrapping = fyne.TextWrapWord
	s.offline = widget.NewLabel("")
	s.offline.Wrapping = fyne.TextWrapWord
	s.offline.Importance = widget.WarningImportance
	s.offline.Hide()
	s.answer = newEntry()
	s.answer.OnSubmitted = func(string) { s.submitAnswer(e) }
	s.answerBtn = widget.NewButton("", func() { s.submitAnswer(e) })
	s.answerBtn.Importance = widget.HighImportance
	s.back = widget.NewButton("", func() { s.showPassword(nil) })
	s.qform.addText("signin.question.help")
	s.qform.add("signin.question", "", s.question)
	s.qform.add("signin.answer", "answer", s.answer)
	e.OnRelabel(func() {
		s.btn.SetText(e.T("signin.submit"))
		s.notice.SetText(e.T(notice))
		s.answerBtn.SetText(e.T("signin.answer.submit"))
		s.back.SetText(e.T("signin.answer.back"))
		s.offline.SetText(e.T("signin.question.offline"))
		s.profilePassword.SetText(e.T("signin.locked.profile-password"))
	})
	// The keys start on the first field to fill.
	e.focusOnShow = s.user
	if s.user.Text != "" {
		e.focusOnShow = s.pass
	}
	// A credential is never kept as a draft.
	e.Draft("signin", "").Skip(s.user, s.pass, s.answer)
	e.view = s
	return s
}

// showQuestion shows the second step: the question a right password was
// asked.
func (s *signIn) showQuestion(a *askedQuestion) {
	s.asked = a
	s.question.SetText(a.text)
	s.offline.Hidden = !a.offline
	s.offline.Refresh()
	s.answer.SetText("")
	s.qform.setFault(nil)
	s.step.Hide()
	s.ask.Show()
}

// showPassword goes back to the first step, with fault (if any) shown
// there; the user ID stays, the password is typed again.
func (s *signIn) showPassword(fault error) {
	s.asked = nil
	s.answer.SetText("")
	s.pass.SetText("")
	s.ask.Hide()
	s.step.Show()
	s.form.setFault(fault)
}

func (s *signIn) content(e *Env) fyne.CanvasObject {
	title := heading(e, "signin.title")
	enrol := widget.NewButton("", func() { e.Show(ScreenEnrol) })
	// Signing up is a first-class choice, one button per kind of
	// person who signs up for themselves.
	signUp := make([]*widget.Button, 3)
	for i := range signUp {
		signUp[i] = widget.NewButton("", func() { e.registerAs = i; e.Show(ScreenRegister) })
	}
	signUp[0].Importance = widget.HighImportance
	signUpTitle := heading(e, "signin.signup.title")
	business := widget.NewButton("", func() { e.Show(ScreenEnrolBusiness) })
	assess := widget.NewButton("", func() { e.Show(ScreenAssess) })
	closeBtn := widget.NewButton("", func() {
		e.Close()
		e.lockedOut = nil
		e.Show(ScreenFirstRun)
	})
	profile := widget.NewLabel("")
	profile.Wrapping = fyne.TextWrapBreak
	profile.Importance = widget.LowImportance
	demoHint := widget.NewLabel("")
	demoHint.Wrapping = fyne.TextWrapWord
	if s.locked != "" {
		return s.lockedContent(e, title, assess, profile)
	}
	notes, isDemo := demoNotes(e.Store)
	if !isDemo {
		demoHint.Hide()
	}
	e.OnRelabel(func() {
		enrol.SetText(e.T("signin.enrol"))
		for i, key := range []string{"signin.signup.student", "signin.signup.applicant", "signin.signup.representative"} {
			signUp[i].SetText(e.T(key))
		}
		business.SetText(e.T("signin.business"))
		assess.SetText(e.T("assess.title"))
		closeBtn.SetText(e.T("firstrun.close"))
		profile.SetText(e.T("firstrun.path", e.Store.Path()))
		if isDemo {
			demoHint.SetText(notes.describe(e))
		}
	})
	forgot := widget.NewButton("", func() { e.Show(ScreenForgot) })
	forgot.Importance = widget.LowImportance
	e.OnRelabel(func() { forgot.SetText(e.T("signin.forgot")) })
	s.step = container.NewVBox(s.notice, s.form.box, s.form.general, container.NewHBox(s.btn, forgot),
		widget.NewSeparator(), signUpTitle, container.NewHBox(signUp[0], signUp[1], signUp[2]),
		container.NewHBox(enrol, business),
		container.NewHBox(assess), demoHint,
		widget.NewSeparator(), profile, container.NewHBox(closeBtn))
	qtitle := heading(e, "signin.question.title")
	s.ask = container.NewVBox(qtitle, s.offline, s.qform.box, s.qform.general, container.NewHBox(s.answerBtn, s.back))
	s.ask.Hide()
	return container.NewVScroll(container.NewPadded(container.NewVBox(title, s.step, s.ask)))
}

func (s *signIn) submit(e *Env) {
	if s.locked != "" {
		s.submitLocked(e)
		return
	}
	user, pw := strings.TrimSpace(s.user.Text), s.pass.Text
	s.form.setFault(nil)
	s.btn.Disable()
	var r signInStep
	st, online := e.Store, e.Sync
	if online != nil {
		online.SpeakLang(string(e.Tr().Lang()))
	}
	skip := e.slotOpened
	e.Async(func() {
		r = passwordStep(st, online, user, pw)
		r.slotKept(e, st, skip, user, pw)
	}, func() {
		s.btn.Enable()
		switch {
		case r.err != nil:
			s.pass.SetText("")
			s.form.setFault(r.err)
			e.focusShown(s.pass)
		case r.asked != nil:
			s.showQuestion(r.asked)
			// The answer is typed next, without reaching for the mouse.
			e.focusShown(s.answer)
		default:
			e.signedIn(r.sess, r.acct, r.pw)
		}
	})
}

// passwordStep checks the user ID and password: on this desk first (its
// failures count here, and de-link here, as ever), then at the server
// when the desk has one, which asks a security question next. A desk
// that does not hold the account asks the server alone; one whose server
// cannot be reached asks one of the questions it holds the answers of.
// A password this desk does not know but the server does (changed on
// another computer) is taken from the server.
func passwordStep(st programs.Desk, online *client.Client, user, pw string) (r signInStep) {
	sess, acct, q, err := st.SignInOffline(user, pw)
	if online != nil {
		code := domain.ErrorCode(err)
		switch {
		case errors.Is(err, store.ErrNotOnThisDesk):
			// A person new to this computer: the server holds their
			// account, and keeps it here once they have signed in.
			r, offline := serverStep(st, online, domain.ID{}, user, pw)
			if offline {
				r.err = domain.Wrap(client.ErrSignInOffline, r.err)
			}
			return r
		case code == account.ErrSignInFailed || code == account.ErrSignInRetry:
			if r, offline := serverStep(st, online, domain.ID{}, user, pw); !offline && r.err == nil {
				return r
			}
		case errors.Is(err, account.ErrDelinked):
			// The server ends the enrolment's access from every
			// computer as soon as it hears; offline, it hears at the
			// next sync.
			ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
			defer cancel()
			_, _ = online.PushUnsigned(ctx)
		case err == nil:
			r, offline := serverStep(st, online, acct.ID, user, pw)
			if !offline && !errors.Is(r.err, sync.ErrTooMany) {
				return r
			}
			// The server cannot be reached, or is busy with others'
			// attempts at this user ID: this desk asks, and the server
			// is asked again in the background.
		}
	}
	switch {
	case err != nil:
		r.err = err
	case q != "":
		r.asked = &askedQuestion{account: acct.ID, user: user, pw: pw, text: q, offline: online != nil}
	default:
		r.sess, r.acct, r.pw = sess, acct, pw
	}
	return r
}

// serverStep sends the user ID and password to the server: its question
// to answer next, or, for an account that keeps no answers, the session.
// offline says the server could not be reached.
func serverStep(st programs.Desk, online *client.Client, acct domain.ID, user, pw string) (r signInStep, offline bool) {
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	ch, err := online.SignInStart(ctx, acct, user, pw)
	switch {
	case err == nil && ch != nil:
		r.asked = &askedQuestion{ch: ch, user: user, pw: pw, text: ch.Question}
	case err == nil:
		r.sess, r.acct, r.err = st.SignIn(user, pw)
	default:
		r.err = err
	}
	return r, errors.Is(err, sync.ErrOffline)
}

// submitAnswer sends the answer to the question: to the server, which
// then hands out the tokens, or to this desk's check.
func (s *signIn) submitAnswer(e *Env) {
	a, answer := s.asked, s.answer.Text
	if a == nil {
		return
	}
	s.qform.setFault(nil)
	s.answerBtn.Disable()
	var r signInStep
	st, online, skip := e.Store, e.Sync, e.slotOpened
	e.Async(func() {
		defer func() { r.slotKept(e, st, skip, a.user, a.pw) }()
		if a.ch == nil || online == nil {
			r.sess, r.acct, r.err = st.AnswerOffline(a.account, answer)
			r.pw = a.pw
			if errors.Is(r.err, account.ErrDelinked) && online != nil {
				ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
				defer cancel()
				_, _ = online.PushUnsigned(ctx)
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		if r.err = online.SignInAnswer(ctx, a.ch, a.user, a.pw, answer); r.err == nil {
			r.sess, r.acct, r.err = st.SignIn(a.user, a.pw)
		}
	}, func() {
		s.answerBtn.Enable()
		switch code := domain.ErrorCode(r.err); {
		case r.err == nil:
			s.asked = nil
			e.signedIn(r.sess, r.acct, r.pw)
		case code == store.ErrQuestionWrong:
			s.qform.setFault(r.err) // the same question stays; what was typed too
		default:
			// De-linked, paused, expired, or the server gone: start again.
			s.showPassword(r.err)
			e.focusShown(s.pass)
		}
	})
}

// signedIn starts the session, signs the person in to the server with the
// password they just gave (when the profile has one) and shows where they
// were: the screen their session locked on (whose draft is waiting), the
// last screen they used, or their workspace.
func (e *Env) signedIn(sess account.Session, acct store.Account, password string) {
	e.Session, e.Account = &sess, acct
	e.Log.Info("signed in", "role", acct.Role.Code())
	// Requests whose time ran out are expired by the program on the
	// server, by its clock, and reach this desk by the change feed; the
	// desk shows them as expiring today until then.
	e.goOnline(acct.Credential.UserID, password)
	home := homeFor(acct.Role)
	target := home
	last := e.App.Preferences().String(prefScreen)
	if strings.HasPrefix(last, "request/") {
		last = "" // kept by an older version; requests are reopened only after a lock
	}
	if n := e.lockedOut; n != nil && n.userID == acct.Credential.UserID {
		last = n.screen
	}
	e.lockedOut = nil
	if s, ok := screenByID(last); ok && allowedFor(s, acct.Role) {
		target = s
	}
	e.Show(target)
}

func heading(e *Env, key string) *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.OnRelabel(func() { l.SetText(e.T(key)) })
	return l
}

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
	user, pass *widget.Entry
	btn        *widget.Button
	form       *labelled
	notice     *widget.Label
}

// SignIn asks for a user ID and password, and leads to enrolment with a PIN
// or to a student's own registration.
func SignIn(e *Env) fyne.CanvasObject {
	e.fetchNotices()
	return newSignIn(e).content(e)
}

func newSignIn(e *Env) *signIn {
	s := &signIn{user: widget.NewEntry(), pass: widget.NewPasswordEntry()}
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
	s.btn.Importance = widget.HighImportance
	s.pass.OnSubmitted = func(string) { s.submit(e) }
	s.form.add("signin.user", "userID", s.user)
	s.form.add("signin.password", "password", s.pass)
	e.OnRelabel(func() {
		s.btn.SetText(e.T("signin.submit"))
		s.notice.SetText(e.T(notice))
	})
	e.view = s
	return s
}

func (s *signIn) content(e *Env) fyne.CanvasObject {
	title := heading(e, "signin.title")
	enrol := widget.NewButton("", func() { e.Show(ScreenEnrol) })
	register := widget.NewButton("", func() { e.Show(ScreenRegister) })
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
	notes, isDemo := demoNotes(e.Store)
	if !isDemo {
		demoHint.Hide()
	}
	e.OnRelabel(func() {
		enrol.SetText(e.T("signin.enrol"))
		register.SetText(e.T("signin.register"))
		business.SetText(e.T("signin.business"))
		assess.SetText(e.T("assess.title"))
		closeBtn.SetText(e.T("firstrun.close"))
		profile.SetText(e.T("firstrun.path", e.Store.Path()))
		if isDemo {
			demoHint.SetText(notes.describe(e))
		}
	})
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		title, s.notice, s.form.box, s.form.general, container.NewHBox(s.btn),
		widget.NewSeparator(), container.NewHBox(enrol, register, business),
		container.NewHBox(assess), demoHint,
		widget.NewSeparator(), profile, container.NewHBox(closeBtn))))
}

func (s *signIn) submit(e *Env) {
	user, pw := strings.TrimSpace(s.user.Text), s.pass.Text
	s.form.setFault(nil)
	s.btn.Disable()
	var sess account.Session
	var acct store.Account
	var err error
	st, online := e.Store, e.Sync
	e.Async(func() {
		sess, acct, err = st.SignIn(user, pw)
		if errors.Is(err, store.ErrNotOnThisDesk) && online != nil {
			// A person new to this computer: the server holds their
			// account, and keeps it here once they have signed in.
			ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
			defer cancel()
			online.SpeakLang(string(e.Tr().Lang()))
			if err = online.SignIn(ctx, domain.ID{}, user, pw); err == nil {
				sess, acct, err = st.SignIn(user, pw)
			} else if errors.Is(err, sync.ErrOffline) {
				err = domain.Wrap(client.ErrSignInOffline, err)
			}
		}
		if errors.Is(err, account.ErrDelinked) && online != nil {
			// The server ends the enrolment's access from every
			// computer as soon as it hears; offline, it hears at the
			// next sync.
			ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
			defer cancel()
			_, _ = online.PushUnsigned(ctx)
		}
	}, func() {
		s.btn.Enable()
		if err != nil {
			s.pass.SetText("")
			s.form.setFault(err)
			return
		}
		e.signedIn(sess, acct, pw)
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

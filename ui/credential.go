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
	"dossier/sync"
	"dossier/sync/client"
)

// The screens of a credential: a forgotten password (from the sign-in
// screen) and a change of user ID or password (from the sync screen).
// Both are the server's to decide and need it online; a desk with no
// server, or whose server cannot be reached, says so.
var (
	ScreenForgot     = Screen{ID: "forgot", Title: "forgot.title", Help: "help.forgot"}
	ScreenCredential = Screen{ID: "credential", Title: "credential.title", Help: "help.credential"}
)

func init() {
	ScreenForgot.View = Forgot
	ScreenCredential.View = Credential
}

// forgotView holds the forgotten password's steps, for tests.
type forgotView struct {
	env *Env
	// The steps: the user ID, the question, the code and new password.
	steps              [3]*fyne.Container
	forms              [3]*labelled
	user, answer       *Entry
	code, pass, repeat *Entry
	question           *widget.Label
	next               [3]*widget.Button
	noServer           *widget.Label
	ch                 *sync.SignInChallenge
	step               int
}

// Forgot recovers a forgotten password: the user ID, one of the
// person's security questions, a code the server e-mails, a new password.
func Forgot(e *Env) fyne.CanvasObject { return newForgot(e).content() }

func newForgot(e *Env) *forgotView {
	v := &forgotView{env: e, user: newEntry(), answer: newEntry(), code: newEntry(),
		pass: newPasswordEntry(), repeat: newPasswordEntry()}
	v.question = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	v.question.Wrapping = fyne.TextWrapWord
	v.noServer = widget.NewLabel("")
	v.noServer.Wrapping = fyne.TextWrapWord
	v.noServer.Importance = widget.WarningImportance
	if e.Sync != nil {
		v.noServer.Hide()
	}
	for i := range v.forms {
		v.forms[i] = newLabelled(e)
	}
	v.forms[0].addText("forgot.intro")
	v.forms[0].add("signin.user", "userID", v.user)
	v.forms[1].addText("signin.question.help")
	v.forms[1].add("signin.question", "", v.question)
	v.forms[1].add("signin.answer", "answer", v.answer)
	v.forms[2].addText("forgot.sent")
	v.forms[2].add("forgot.code", "code", v.code)
	v.forms[2].add("forgot.password", "password", v.pass)
	v.forms[2].add("firstrun.password.repeat", "repeat", v.repeat)
	v.next[0] = widget.NewButton("", v.start)
	v.next[1] = widget.NewButton("", v.sendAnswer)
	v.next[2] = widget.NewButton("", v.reset)
	v.user.OnSubmitted = func(string) { v.start() }
	v.answer.OnSubmitted = func(string) { v.sendAnswer() }
	if e.Sync == nil {
		v.next[0].Disable()
	}
	if e.lockedOut != nil {
		v.user.SetText(e.lockedOut.userID)
	}
	e.OnRelabel(func() {
		v.noServer.SetText(e.T("forgot.no-server"))
		v.next[0].SetText(e.T("signin.answer.submit"))
		v.next[1].SetText(e.T("signin.answer.submit"))
		v.next[2].SetText(e.T("forgot.reset"))
	})
	// A credential is never kept as a draft.
	e.Draft("forgot", "").Skip(v.user, v.answer, v.code, v.pass, v.repeat)
	e.view = v
	return v
}

func (v *forgotView) content() fyne.CanvasObject {
	return stepsPage(v.env, "forgot.title", v.noServer, v.steps[:], v.forms[:], v.next[:], ScreenSignIn, "enrol.back")
}

// stepsPage lays out a screen whose steps show one at a time (a forgotten
// password, a change of credential): each step its form, its button and
// Back to the screen it came from; the first shows.
func stepsPage(e *Env, title string, noServer *widget.Label, steps []*fyne.Container, forms []*labelled,
	next []*widget.Button, back Screen, backKey string) fyne.CanvasObject {
	box := container.NewVBox(heading(e, title), noServer)
	for i := range steps {
		next[i].Importance = widget.HighImportance
		backBtn := widget.NewButton("", func() { e.Show(back) })
		e.OnRelabel(func() { backBtn.SetText(e.T(backKey)) })
		steps[i] = container.NewVBox(forms[i].box, forms[i].general, container.NewHBox(next[i], backBtn))
		if i > 0 {
			steps[i].Hide()
		}
		box.Add(steps[i])
	}
	return container.NewVScroll(container.NewPadded(box))
}

// show goes to step i.
func (v *forgotView) show(i int) {
	v.step = i
	for j, s := range v.steps {
		s.Hidden = j != i
		s.Refresh()
	}
	v.env.focusFirstIn(v.steps[i])
}

// call runs one step against the server, off the UI goroutine, and
// shows its fault on form, or runs then.
func (v *forgotView) call(form *labelled, btn *widget.Button, work func(context.Context, *client.Client) error, then func()) {
	e := v.env
	if e.Sync == nil {
		return
	}
	form.setFault(nil)
	btn.Disable()
	c := e.Sync
	var err error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		err = work(ctx, c)
	}, func() {
		btn.Enable()
		if err != nil {
			form.setFault(err)
			return
		}
		then()
	})
}

func (v *forgotView) start() {
	user := strings.TrimSpace(v.user.Text)
	var ch *sync.SignInChallenge
	v.call(v.forms[0], v.next[0], func(ctx context.Context, c *client.Client) (err error) {
		ch, err = c.RecoverStart(ctx, user)
		return err
	}, func() {
		v.ch = ch
		v.question.SetText(ch.Question)
		v.answer.SetText("")
		v.show(1)
	})
}

func (v *forgotView) sendAnswer() {
	ch, answer := v.ch, v.answer.Text
	v.call(v.forms[1], v.next[1], func(ctx context.Context, c *client.Client) error {
		return c.RecoverAnswer(ctx, ch, answer)
	}, func() { v.show(2) })
}

func (v *forgotView) reset() {
	// Every mistake at once, by the server's own check of the password;
	// the server decides (the code among them).
	var errs []error
	if strings.TrimSpace(v.code.Text) == "" {
		errs = append(errs, domain.FieldError(domain.ErrRequired, "code"))
	}
	if err := account.CheckPassword(v.pass.Text, strings.ToLower(strings.TrimSpace(v.user.Text))); err != nil {
		errs = append(errs, err)
	}
	if v.pass.Text != v.repeat.Text {
		errs = append(errs, fieldFault{field: "repeat", key: "firstrun.password.mismatch"})
	}
	if len(errs) > 0 {
		v.forms[2].setFault(errors.Join(errs...))
		return
	}
	ch, code, pw := v.ch, v.code.Text, v.pass.Text
	e := v.env
	v.call(v.forms[2], v.next[2], func(ctx context.Context, c *client.Client) error {
		return c.RecoverReset(ctx, ch, code, pw)
	}, func() {
		// Back to the sign-in, the user ID typed, with the news.
		e.lockedOut = &lockNotice{userID: strings.TrimSpace(v.user.Text), reason: "forgot.done"}
		e.Show(ScreenSignIn)
	})
}

// credentialView holds the change of user ID or password, for tests.
type credentialView struct {
	env                *Env
	steps              [2]*fyne.Container
	forms              [2]*labelled
	current, answer    *Entry
	user, pass, repeat *Entry
	question           *widget.Label
	next               [2]*widget.Button
	noServer           *widget.Label
	ch                 *sync.SignInChallenge
}

// Credential changes the signed-in person's user ID or password: the
// current password, the server's security question, the new credential.
func Credential(e *Env) fyne.CanvasObject { return newCredential(e).content() }

func newCredential(e *Env) *credentialView {
	v := &credentialView{env: e, current: newPasswordEntry(), answer: newEntry(), user: newEntry(),
		pass: newPasswordEntry(), repeat: newPasswordEntry()}
	v.user.SetText(e.Account.Credential.UserID)
	v.question = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	v.question.Wrapping = fyne.TextWrapWord
	v.noServer = widget.NewLabel("")
	v.noServer.Wrapping = fyne.TextWrapWord
	v.noServer.Importance = widget.WarningImportance
	online := e.Sync != nil && e.syncStatus.SignedIn
	if online {
		v.noServer.Hide()
	}
	for i := range v.forms {
		v.forms[i] = newLabelled(e)
	}
	v.forms[0].addText("credential.intro")
	v.forms[0].add("credential.current", "password", v.current)
	v.forms[1].addText("signin.question.help")
	v.forms[1].add("signin.question", "", v.question)
	v.forms[1].add("signin.answer", "answer", v.answer)
	v.forms[1].add("credential.user", "userID", v.user)
	v.forms[1].add("credential.password", "newPassword", v.pass)
	v.forms[1].add("firstrun.password.repeat", "repeat", v.repeat)
	v.next[0] = widget.NewButton("", v.start)
	v.next[1] = widget.NewButton("", v.change)
	v.current.OnSubmitted = func(string) { v.start() }
	if !online {
		v.next[0].Disable()
	}
	e.OnRelabel(func() {
		v.noServer.SetText(e.T("credential.no-server"))
		v.next[0].SetText(e.T("signin.answer.submit"))
		v.next[1].SetText(e.T("credential.submit"))
	})
	// A credential is never kept as a draft.
	e.Draft("credential", "").Skip(v.current, v.answer, v.user, v.pass, v.repeat)
	e.view = v
	return v
}

func (v *credentialView) content() fyne.CanvasObject {
	return stepsPage(v.env, "credential.title", v.noServer, v.steps[:], v.forms[:], v.next[:], ScreenSync, "sync.back")
}

func (v *credentialView) start() {
	e := v.env
	if e.Sync == nil {
		return
	}
	e.Touch()
	v.forms[0].setFault(nil)
	v.next[0].Disable()
	c, pw := e.Sync, v.current.Text
	var ch *sync.SignInChallenge
	var err error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		ch, err = c.CredentialStart(ctx, pw)
	}, func() {
		v.next[0].Enable()
		if err != nil {
			v.current.SetText("")
			v.forms[0].setFault(err)
			return
		}
		v.ch = ch
		v.question.SetText(ch.Question)
		v.steps[0].Hide()
		v.steps[1].Show()
		e.focusFirstIn(v.steps[1])
	})
}

func (v *credentialView) change() {
	e := v.env
	e.Touch()
	// Every mistake at once, by the checks the server runs first (the
	// user ID's form, the password's strength); the server decides.
	var errs []error
	uid, uidErr := account.CleanUserID(v.user.Text)
	if uidErr != nil {
		errs = append(errs, uidErr)
	}
	if err := account.CheckPassword(v.pass.Text, uid); err != nil {
		errs = append(errs, withField(err, "newPassword"))
	}
	if v.pass.Text != v.repeat.Text {
		errs = append(errs, fieldFault{field: "repeat", key: "firstrun.password.mismatch"})
	}
	if len(errs) > 0 {
		v.forms[1].setFault(errors.Join(errs...))
		return
	}
	v.forms[1].setFault(nil)
	v.next[1].Disable()
	c, ch, answer, user, pw := e.Sync, v.ch, v.answer.Text, strings.TrimSpace(v.user.Text), v.pass.Text
	st, was := e.Store, e.Account.Credential.UserID
	var err error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		if err = c.ChangeCredential(ctx, ch, answer, user, pw); err != nil {
			return
		}
		// The person's key slot follows: the old one goes (its user ID
		// may be the old one), the new password makes the new one.
		if derr := st.DropPersonSlot(was); derr != nil {
			e.Log.Warn("key slot not dropped", "code", domain.ErrorCode(derr))
		}
		e.keepSlot(st, "", user, pw)
	}, func() {
		v.next[1].Enable()
		if err != nil {
			if domain.ErrorCode(err) == "account.password.too-short" || domain.ErrorCode(err) == "account.password.weak" ||
				domain.ErrorCode(err) == "account.password.too-long" {
				err = withField(err, "newPassword")
			}
			v.forms[1].setFault(err)
			return
		}
		if a, aerr := e.Store.Account(e.Account.ID); aerr == nil {
			e.Account = a
		}
		noticeDialog(e, e.T("credential.title"), e.T("credential.done", e.Account.Credential.UserID))
		e.Show(ScreenSync)
	})
}

// withField puts err under field when it names another (the rule's
// "password" is the new password here).
func withField(err error, field string) error {
	if de, ok := err.(*domain.Error); ok {
		c := *de
		c.Field = field
		return &c
	}
	return err
}

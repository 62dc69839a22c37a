package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/store"
	"dossier/store/demo"
	"dossier/sync/client"
	"dossier/translations"
)

// TestSignInAsksTheDesksQuestion: a desk with no server checks the
// password, then asks one of the person's questions, chosen here from the
// answers it holds; a wrong answer is refused beside the answer and the
// same question stays; the right one signs in. In both languages, in a
// 1024×768 window.
func TestSignInAsksTheDesksQuestion(t *testing.T) {
	e, _, _ := desk(t, 0)
	s := e.view.(*signIn)
	s.user.SetText("dir.beaulieu")
	test.Type(s.pass, demo.Password)
	test.Tap(s.btn)
	if !s.ask.Visible() || s.step.Visible() || e.Session != nil {
		t.Fatalf("no question after the password: %q", s.form.general.Text)
	}
	question := s.question.Text
	if demo.Answer(question) == "" || s.offline.Visible() {
		t.Fatalf("asked %q (offline notice %v)", question, s.offline.Visible())
	}
	fitsUnderBar(t, "the question (English)", s.ask)
	test.Type(s.answer, "not my answer")
	test.Tap(s.answerBtn)
	if e.Session != nil || !strings.Contains(s.qform.general.Text, "not the answer") || s.question.Text != question {
		t.Fatalf("a wrong answer: %q, question %q", s.qform.general.Text, s.question.Text)
	}
	e.SetLang(translations.French)
	if !strings.Contains(s.qform.general.Text, "pas la réponse") {
		t.Fatalf("French: %q", s.qform.general.Text)
	}
	fitsUnderBar(t, "the question (French)", s.ask)
	// Signing in again asks the same question.
	test.Tap(s.back)
	test.Type(s.pass, demo.Password)
	test.Tap(s.btn)
	if s.question.Text != question {
		t.Fatalf("asked %q again, was %q", s.question.Text, question)
	}
	s.answer.SetText(strings.ToUpper(demo.Answer(question)))
	test.Tap(s.answerBtn)
	if e.Session == nil || e.Account.Credential.UserID != "dir.beaulieu" {
		t.Fatalf("the right answer: %q", s.qform.general.Text)
	}
}

// TestSignInAsksTheServersQuestion: a desk with a server asks the
// server's question, and only the right answer signs in; three wrong
// answers in a row de-link as three wrong passwords do.
func TestSignInAsksTheServersQuestion(t *testing.T) {
	srv := startSyncServer(t)
	_, pin := srv.school(t)
	dir := enrolDIR(t, srv, pin, "Dominique", "Roy", "dir.roy")
	dir.LogOut()
	s := dir.view.(*signIn)
	s.user.SetText("dir.roy")
	test.Type(s.pass, "a long password 1")
	test.Tap(s.btn)
	waitFor(t, "the server's question", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = s.ask.Visible() })
		return ok
	})
	if testAnswer(s.question.Text) == "" || s.offline.Visible() {
		t.Fatalf("asked %q", s.question.Text)
	}
	for i := range 2 {
		test.Type(s.answer, "wrong")
		test.Tap(s.answerBtn)
		waitFor(t, "the refusal", func() bool {
			var ok bool
			fyne.DoAndWait(func() { ok = s.qform.general.Visible() })
			return ok
		})
		if dir.Session != nil || !strings.Contains(s.qform.general.Text, "not the answer") {
			t.Fatalf("wrong answer %d: %q", i, s.qform.general.Text)
		}
		s.answer.SetText("")
	}
	test.Type(s.answer, testAnswer(s.question.Text))
	test.Tap(s.answerBtn)
	waitFor(t, "the sign-in", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = dir.Session != nil })
		return ok
	})
	online(t, dir, "the DIR after the question")
}

// TestForgotPasswordThroughTheScreens: from the sign-in screen, the user
// ID, the question, the code from the e-mail, a new password; then the
// person signs in with it. In French, in a 1024×768 window; a desk with
// no server says it cannot.
func TestForgotPasswordThroughTheScreens(t *testing.T) {
	lone, _, _ := desk(t, 0)
	lone.Show(ScreenForgot)
	if f := lone.view.(*forgotView); !f.noServer.Visible() || !f.next[0].Disabled() {
		t.Fatal("a desk with no server offers to recover a password")
	}

	srv := startSyncServer(t)
	home := freshDesk(t)
	connectDesk(t, home, srv)
	home.Show(ScreenRegister)
	f := home.view.(*credentialForm)
	fillCredentials(f, "Linh", "Nguyen", "linh.nguyen")
	f.email.SetText("linh@example.ca")
	test.Tap(f.submit)
	online(t, home, "the student")
	home.LogOut()

	e := freshDesk(t)
	connectDesk(t, e, srv)
	e.SetLang(translations.French)
	e.Show(ScreenSignIn)
	e.Show(ScreenForgot)
	v := e.view.(*forgotView)
	fitsUnderBar(t, "forgot, step 1", v.steps[0])
	v.user.SetText("linh.nguyen")
	test.Tap(v.next[0])
	waitFor(t, "the question", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = v.steps[1].Visible() })
		return ok
	})
	fitsUnderBar(t, "forgot, step 2", v.steps[1])
	test.Type(v.answer, testAnswer(v.question.Text))
	test.Tap(v.next[1])
	waitFor(t, "the code step", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = v.steps[2].Visible() })
		return ok
	})
	fitsUnderBar(t, "forgot, step 3", v.steps[2])
	mail, err := srv.sv.Store().DueMail(time.Now().Add(time.Hour), 10)
	var code string
	for _, m := range mail {
		if m.Kind == "account.recovery.code" && m.To == "linh@example.ca" {
			code = m.Args[0]
		}
	}
	if err != nil || code == "" {
		t.Fatalf("no code mailed: %v", err)
	}
	v.code.SetText("00000000")
	v.pass.SetText("my new password 5")
	v.repeat.SetText("my new password 5")
	if code == "00000000" {
		v.code.SetText("11111111")
	}
	test.Tap(v.next[2])
	waitFor(t, "the wrong code refused", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = v.forms[2].errors["code"].Visible() })
		return ok
	})
	if !strings.Contains(v.forms[2].errors["code"].Text, "Essais restants") {
		t.Fatalf("a wrong code, in French: %q", v.forms[2].errors["code"].Text)
	}
	v.code.SetText(code)
	test.Tap(v.next[2])
	waitFor(t, "the sign-in screen", func() bool {
		var ok bool
		fyne.DoAndWait(func() { _, ok = e.view.(*signIn) })
		return ok
	})
	s := e.view.(*signIn)
	if s.user.Text != "linh.nguyen" || !s.notice.Visible() || !strings.Contains(s.notice.Text, "nouveau mot de passe") {
		t.Fatalf("back at the sign-in: %q %q", s.user.Text, s.notice.Text)
	}
	e.SetLang(translations.English)
	signInAs(t, e, "linh.nguyen", "my new password 5")
	if e.Session == nil || e.Account.Credential.UserID != "linh.nguyen" {
		t.Fatal("the new password does not sign in")
	}
}

// TestChangeCredentialThroughTheScreens: from the sync screen, the
// current password, the server's question, a new user ID and password;
// the desk then signs in with the new ones. In French, in 1024×768.
func TestChangeCredentialThroughTheScreens(t *testing.T) {
	srv := startSyncServer(t)
	_, pin := srv.school(t)
	e := enrolDIR(t, srv, pin, "Dominique", "Roy", "dir.roy")
	e.SetLang(translations.French)
	e.Show(ScreenCredential)
	v := e.view.(*credentialView)
	if v.noServer.Visible() {
		t.Fatal("online, the screen says it is not")
	}
	fitsUnderBar(t, "change, step 1", v.steps[0])
	v.current.SetText("not my password 1")
	test.Tap(v.next[0])
	waitFor(t, "the wrong password refused", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = v.forms[0].general.Visible() || v.forms[0].errors["password"].Visible() })
		return ok
	})
	v.current.SetText("a long password 1")
	test.Tap(v.next[0])
	waitFor(t, "the question", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = v.steps[1].Visible() })
		return ok
	})
	fitsUnderBar(t, "change, step 2", v.steps[1])
	v.answer.SetText(testAnswer(v.question.Text))
	v.user.SetText("dominique.roy")
	v.pass.SetText("a new long password 2")
	v.repeat.SetText("a new long password 2")
	test.Tap(v.next[1])
	waitFor(t, "the change", func() bool {
		var ok bool
		fyne.DoAndWait(func() { _, ok = e.view.(*syncView) })
		return ok
	})
	if e.Account.Credential.UserID != "dominique.roy" {
		t.Fatalf("the desk's account: %q", e.Account.Credential.UserID)
	}
	e.SetLang(translations.English)
	signInAs(t, e, "dominique.roy", "a new long password 2")
	if e.Session == nil {
		t.Fatal("the new credential does not sign in")
	}
	// The old one no longer does, at the server.
	c := e.Sync
	if _, err := c.SignInStart(context.Background(), e.Account.ID, "dir.roy", "a long password 1"); err == nil {
		t.Fatal("the old credential still signs in at the server")
	}
}

var (
	_ = store.ErrChallengeExpired
	_ = client.ErrQuestionNeeded
)

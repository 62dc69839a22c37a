package ui

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/translations"
)

// launchDesk is a demo profile opened the usual way (the profile
// password), so that the app remembers it.
func launchDesk(t *testing.T) *Env {
	t.Helper()
	e, _ := newTestEnv(t)
	clock := &testClock{now: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	opt := e.StoreOptions
	opt.Now = clock.Now
	path := filepath.Join(e.DataDir, store.ProfileFileName)
	s, err := programs.Create(path, "profile password", opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Build(s, demo.Options{Requests: 3, Seed: 7, Today: domain.DateOf(clock.now)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := e.Open(path, "profile password"); err != nil {
		t.Fatal(err)
	}
	return e
}

// relaunch closes e's window and starts the app again, as the next
// morning: same preferences, new window.
func relaunch(t *testing.T, e *Env) *Env {
	t.Helper()
	e.Close()
	e2 := NewEnv(e.App, test.NewTempWindow(t, nil), e.DataDir)
	e2.Inline, e2.StoreOptions, e2.Now = true, e.StoreOptions, e.Now
	t.Cleanup(e2.Close)
	e2.SetLang(e.Tr().Lang())
	e2.Start()
	return e2
}

func slots(t *testing.T, e *Env) int {
	t.Helper()
	n, err := e.Store.PersonSlots()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLaunchOnePasswordToHome: after a person has signed in once on this
// desk, the next launch shows the last profile's sign-in screen, not
// Create a profile; their own user ID and password (and their security
// question) open the profile and bring them to their workspace, with no
// profile password asked. In both languages, in a 1024×768 window.
func TestLaunchOnePasswordToHome(t *testing.T) {
	e := launchDesk(t)
	signInAs(t, e, "dir.lakeview", demo.Password)
	if e.Session == nil || slots(t, e) != 1 {
		t.Fatalf("first sign-in: session %v, %d slots", e.Session != nil, slots(t, e))
	}
	for _, lang := range []translations.Lang{translations.French, translations.English} {
		e.SetLang(lang)
		e = relaunch(t, e)
		s, ok := e.view.(*signIn)
		if !ok || e.Current().ID != ScreenSignIn.ID || s.locked == "" || e.Store.Engine() != nil {
			t.Fatalf("launch shows %s (locked %v)", e.Current().ID, ok && s.locked != "")
		}
		fitsScreen(t, e, "the launch sign-in")
		s.user.SetText("DIR.Lakeview")
		test.Type(s.pass, demo.Password)
		test.Tap(s.btn)
		next, ok := e.view.(*signIn)
		if !ok || e.Store.Engine() == nil {
			t.Fatalf("after the password: screen %s, fault %q", e.Current().ID, s.form.general.Text)
		}
		answerSignIn(t, e, next, "dir.lakeview")
		if e.Session == nil || e.Current().ID != ScreenQueue.ID {
			t.Fatalf("%s: after one password, screen %s", lang, e.Current().ID)
		}
		if slots(t, e) != 1 {
			t.Fatalf("%d slots, want still 1", slots(t, e))
		}
	}
}

// TestLaunchRefusalSaysNothingOfWho: a wrong password, and a person
// without a slot here, get the same refusal beside the form; the user ID
// stays, the profile stays closed.
func TestLaunchRefusalSaysNothingOfWho(t *testing.T) {
	e := launchDesk(t)
	signInAs(t, e, "dir.lakeview", demo.Password)
	e = relaunch(t, e)
	try := func(user, pw string) string {
		t.Helper()
		s := e.view.(*signIn)
		s.user.SetText(user)
		s.pass.SetText(pw)
		test.Tap(s.btn)
		if e.view != s || e.Store.Engine() != nil || s.user.Text != user || s.pass.Text != "" {
			t.Fatalf("%s refused: screen %s, user %q, password kept %v", user, e.Current().ID, s.user.Text, s.pass.Text != "")
		}
		if s.form.general.Visible() {
			return s.form.general.Text
		}
		return s.form.errors["password"].Text
	}
	wrong := try("dir.lakeview", "not the password")
	other := try("sig1.lakeview", demo.Password) // an account, with no slot here
	nobody := try("nobody.at.all", demo.Password)
	if wrong == "" || wrong != other || wrong != nobody {
		t.Fatalf("refusals differ: %q, %q, %q", wrong, other, nobody)
	}
}

// TestLaunchWithTheProfilePassword: the sign-in screen at launch leads to
// the profile password (the first time on this computer); the person who
// then signs in gets their own slot, beside the first person's.
func TestLaunchWithTheProfilePassword(t *testing.T) {
	e := launchDesk(t)
	path := e.Store.Path()
	signInAs(t, e, "dir.lakeview", demo.Password)
	e = relaunch(t, e)
	test.Tap(e.view.(*signIn).profilePassword)
	f, ok := e.view.(*firstRun)
	if !ok || f.tabs.Selected() != f.openTab || f.openPath.Text != path {
		t.Fatalf("the profile password link shows %s, path %q", e.Current().ID, f.openPath.Text)
	}
	test.Type(f.openPass, "profile password")
	test.Tap(f.openBtn)
	if e.Store.Engine() == nil || e.Current().ID != ScreenSignIn.ID {
		t.Fatalf("open: screen %s, %q", e.Current().ID, f.openErr.Text)
	}
	signInAs(t, e, "sig1.lakeview", demo.Password)
	if e.Session == nil || slots(t, e) != 2 {
		t.Fatalf("second person: session %v, %d slots", e.Session != nil, slots(t, e))
	}
	e = relaunch(t, e)
	test.Tap(e.view.(*signIn).profilePassword) // and back: Open another profile
	e.Close()
	e.Start()
	s := e.view.(*signIn)
	s.user.SetText("sig1.lakeview")
	test.Type(s.pass, demo.Password)
	test.Tap(s.btn)
	answerSignIn(t, e, e.view.(*signIn), "sig1.lakeview")
	if e.Session == nil {
		t.Fatal("the second person's own password does not open the profile")
	}
}

// TestLaunchWithoutProfileShowsFirstRun: nothing remembered, or a
// remembered file since removed, shows the first-run screen; the Open tab
// has a Browse button whose dialog (its title and buttons in our words, in
// French here) fills in the path, and the screen fits 1024×768 in both
// languages.
func TestLaunchWithoutProfileShowsFirstRun(t *testing.T) {
	e, w := newTestEnv(t)
	e.Start()
	if e.Current().ID != ScreenFirstRun.ID {
		t.Fatalf("first launch: %s", e.Current().ID)
	}
	e.App.Preferences().SetString(prefProfile, filepath.Join(e.DataDir, "gone.dossier"))
	e.Start()
	f := e.view.(*firstRun)
	if e.Current().ID != ScreenFirstRun.ID || f.tabs.Selected() != f.createTab {
		t.Fatalf("a removed profile: %s", e.Current().ID)
	}
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		f.tabs.Select(f.openTab)
		fitsScreen(t, e, "the first-run screen's Open")
	}
	test.Tap(f.browseBtn)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("Browse shows no file chooser")
	}
	if m := w.Canvas().Overlays().Top().MinSize(); m.Width > 1024 || m.Height > 768 {
		t.Errorf("the file chooser needs %v", m)
	}
	findButton(t, e, e.T("firstrun.browse.choose")) // the chooser's buttons are in our words
	findButton(t, e, e.T("shell.cancel"))
	w.Canvas().Overlays().Top().Hide()
	chosen := filepath.Join(e.DataDir, "elsewhere", "work.dossier")
	f.chosen(storage.NewFileURI(chosen))
	if f.openPath.Text != chosen {
		t.Fatalf("chosen: %q", f.openPath.Text)
	}
}

// changeCredential changes the signed-in person's user ID and password
// through the screens (the server asks a question first).
func changeCredential(t *testing.T, e *Env, old, user, pw string) {
	t.Helper()
	e.Show(ScreenCredential)
	v := e.view.(*credentialView)
	v.current.SetText(old)
	test.Tap(v.next[0])
	waitFor(t, "the question", func() bool {
		var ok bool
		fyne.DoAndWait(func() { ok = v.steps[1].Visible() })
		return ok
	})
	v.answer.SetText(testAnswer(v.question.Text))
	v.user.SetText(user)
	v.pass.SetText(pw)
	v.repeat.SetText(pw)
	test.Tap(v.next[1])
	waitFor(t, "the change", func() bool {
		var ok bool
		fyne.DoAndWait(func() { _, ok = e.view.(*syncView) })
		return ok
	})
}

// opensAs tells whether user and pw open the profile at path by a key
// slot (the profile closed meanwhile).
func opensAs(t *testing.T, e *Env, path, user, pw string) bool {
	t.Helper()
	s, err := programs.OpenAs(path, user, pw, e.StoreOptions)
	if err == nil {
		s.Close()
		return true
	}
	if !errors.Is(err, store.ErrSlotRefused) {
		t.Fatalf("open as %s: %v", user, err)
	}
	return false
}

// TestPasswordChangesMoveTheSlot, against a real server: enrolling makes
// the person's slot; a change of user ID and password on one desk moves
// that desk's slot at once; the other desk's moves at the next sign-in
// there, which the server answers with the new password. The old password
// then opens neither profile.
func TestPasswordChangesMoveTheSlot(t *testing.T) {
	srv := startSyncServer(t)
	_, pin := srv.school(t)
	a := enrolDIR(t, srv, pin, "Dominique", "Roy", "dir.roy")
	if slots(t, a) != 1 {
		t.Fatalf("after the enrolment: %d slots", slots(t, a))
	}
	b := freshDesk(t)
	connectDesk(t, b, srv)
	b.Show(ScreenSignIn)
	signInAs(t, b, "dir.roy", "a long password 1")
	if b.Session == nil || slots(t, b) != 1 {
		t.Fatalf("second desk: session %v, %d slots", b.Session != nil, slots(t, b))
	}
	changeCredential(t, b, "a long password 1", "dominique.roy", "a new long password 2")
	pathA, pathB := a.Store.Path(), b.Store.Path()
	if slots(t, b) != 1 {
		t.Fatalf("after the change: %d slots on its desk", slots(t, b))
	}
	b.Close()
	if opensAs(t, b, pathB, "dir.roy", "a long password 1") || !opensAs(t, b, pathB, "dominique.roy", "a new long password 2") {
		t.Fatal("the changing desk's slot did not move")
	}

	a.LogOut()
	signInAs(t, a, "dominique.roy", "a new long password 2")
	if a.Session == nil || slots(t, a) != 1 {
		t.Fatalf("the other desk: session %v, %d slots", a.Session != nil, slots(t, a))
	}
	a.Close()
	if opensAs(t, a, pathA, "dir.roy", "a long password 1") || !opensAs(t, a, pathA, "dominique.roy", "a new long password 2") {
		t.Fatal("the other desk's slot did not move")
	}
}

// TestStartFromEnvWithoutTheProfilePassword: the environment's start
// still opens with DOSSIER_PASSWORD; without it, DOSSIER_USER and
// DOSSIER_USER_PASSWORD open the profile by the person's slot and sign
// them in; a wrong password is refused as at the screen.
func TestStartFromEnvWithoutTheProfilePassword(t *testing.T) {
	e := launchDesk(t)
	path := e.Store.Path()
	signInAs(t, e, "dir.lakeview", demo.Password)
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		name string
		get  func(string) string
		want string
	}{
		{"profile password", env("DOSSIER_PASSWORD", "profile password", "DOSSIER_USER", "dir.lakeview", "DOSSIER_USER_PASSWORD", demo.Password), ""},
		{"own password", env("DOSSIER_USER", "dir.lakeview", "DOSSIER_USER_PASSWORD", demo.Password), ""},
		{"wrong password", env("DOSSIER_USER", "dir.lakeview", "DOSSIER_USER_PASSWORD", "not it"), string(store.ErrSlotRefused)},
		{"nothing", env(), "none"},
	} {
		e = relaunch(t, e)
		ready := false
		err := e.StartFromEnv(path, c.get, testAnswer, func() { ready = true })
		switch c.want {
		case "":
			if err != nil || !ready || e.Session == nil || e.Current().ID != ScreenQueue.ID {
				t.Fatalf("%s: %v, ready %v, screen %s", c.name, err, ready, e.Current().ID)
			}
		case "none":
			if err != nil || ready || e.Store.Engine() != nil || e.Current().ID != ScreenSignIn.ID {
				t.Fatalf("%s: %v, screen %s", c.name, err, e.Current().ID)
			}
		default:
			if string(domain.ErrorCode(err)) != c.want || e.Store.Engine() != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
	}
}

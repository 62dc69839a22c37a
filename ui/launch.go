package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store/programs"
)

// prefProfile is the last profile opened on this computer: a path, and
// nothing else, so that the next launch opens its sign-in screen.
const prefProfile = "profile.last"

// Start shows the first screen at launch: the sign-in screen of the last
// profile opened here, when it is still there, where the person's own
// user ID and password open the profile and sign them in at once; the
// first-run screen otherwise.
func (e *Env) Start() {
	if path := e.LastProfile(); path != "" {
		e.launch = path
		e.Show(ScreenSignIn)
		return
	}
	e.Show(ScreenFirstRun)
}

// LastProfile is the last profile opened here, when its file is still
// there; empty otherwise.
func (e *Env) LastProfile() string {
	path := e.App.Preferences().String(prefProfile)
	if path == "" {
		return ""
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	return path
}

// rememberProfile keeps path as the profile to reopen at the next launch.
func (e *Env) rememberProfile(path string) {
	if path == "" {
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	e.App.Preferences().SetString(prefProfile, path)
}

// OpenAs opens the profile at path with a person's own key slot and signs
// them in, as the sign-in screen does at launch: for programs that have
// the person's user ID and password but not the profile's
// (DOSSIER_USER without DOSSIER_PASSWORD).
func (e *Env) OpenAs(path, userID, password string, answer func(question string) string) error {
	if err := e.openAs(path, userID, password); err != nil {
		return err
	}
	return e.SignIn(userID, password, answer)
}

// openAs opens the profile at path with a person's key slot and shows
// its sign-in screen.
func (e *Env) openAs(path, userID, password string) error {
	s, err := programs.OpenAs(path, userID, password, e.StoreOptions)
	if err != nil {
		return err
	}
	e.launch = ""
	e.useStore(s)
	e.slotOpened = slotMark(userID, password)
	e.Show(ScreenSignIn)
	return nil
}

// StartFromEnv opens the profile at path with what the environment
// (getenv) gives, for kiosks, scripts and --timing: the profile password
// DOSSIER_PASSWORD, then the sign-in of DOSSIER_USER with
// DOSSIER_USER_PASSWORD; without the profile password, that person's own
// key slot opens the profile. answer answers the security question;
// ready, when set, runs once the profile is open, before the sign-in.
// An environment that gives neither leaves the app as Start showed it.
func (e *Env) StartFromEnv(path string, getenv func(string) string, answer func(question string) string, ready func()) error {
	pw, user, userPw := getenv("DOSSIER_PASSWORD"), getenv("DOSSIER_USER"), getenv("DOSSIER_USER_PASSWORD")
	var err error
	switch {
	case pw != "":
		err = e.Open(path, pw)
	case user != "" && userPw != "":
		err = e.openAs(path, user, userPw)
	default:
		return nil
	}
	if err != nil || user == "" {
		return err
	}
	if ready != nil {
		ready()
	}
	return e.SignIn(user, userPw, answer)
}

// cleanUserID is userID as the store compares it, or empty.
func cleanUserID(userID string) string {
	uid, _ := account.CleanUserID(userID)
	return uid
}

// markKey keys slotMark, new in each run of the app.
var markKey = func() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}()

// slotMark stands for the user ID and password a key slot opened the
// profile with (Env.slotOpened), so that the sign-in that follows with the
// same ones does not make the slot again, while another password (changed
// elsewhere) does; the password itself is not kept.
func slotMark(userID, password string) string {
	uid := cleanUserID(userID)
	if uid == "" || password == "" {
		return ""
	}
	m := hmac.New(sha256.New, markKey)
	m.Write([]byte(uid))
	m.Write([]byte{0})
	m.Write([]byte(password))
	return string(m.Sum(nil))
}

// keepSlot makes, or makes again, the key slot of the person who has just
// signed in on st with userID and password, so that their own password
// opens the profile next time: not when their slot opened it with that
// very password (skip is its slotMark), nor without a password. It runs
// where the sign-in ran (off the UI goroutine); a failure costs only the
// slot, and is logged by its code.
func (e *Env) keepSlot(st programs.Desk, skip, userID, password string) {
	uid := cleanUserID(userID)
	if password == "" || uid == "" || slotMark(uid, password) == skip || st.Engine() == nil {
		return
	}
	if err := st.KeepPersonSlot(uid, password); err != nil {
		e.Log.Warn("key slot not kept", "code", domain.ErrorCode(err))
	}
}

// lockedContent is the sign-in screen of a profile not open yet (at
// launch): the person's own user ID and password open it and sign them
// in; the profile password is one tap away, for the first time on this
// computer and for recovery.
func (s *signIn) lockedContent(e *Env, title *widget.Label, assess *widget.Button, profile *widget.Label) fyne.CanvasObject {
	intro := widget.NewLabel("")
	intro.Wrapping = fyne.TextWrapWord
	other := widget.NewButton("", func() {
		e.launch = ""
		e.Show(ScreenFirstRun)
	})
	e.OnRelabel(func() {
		intro.SetText(e.T("signin.locked.intro"))
		other.SetText(e.T("signin.locked.other"))
		profile.SetText(e.T("firstrun.path", s.locked))
	})
	s.step = container.NewVBox(intro, s.notice, s.form.box, s.form.general,
		container.NewHBox(s.btn, s.profilePassword),
		widget.NewSeparator(), container.NewHBox(assess),
		widget.NewSeparator(), profile, container.NewHBox(other))
	// No question is asked before the profile is open: the sign-in
	// screen of the open profile asks it.
	s.ask = container.NewVBox()
	s.ask.Hide()
	e.focusOnShow = s.user
	return container.NewVScroll(container.NewPadded(container.NewVBox(title, s.step)))
}

// submitLocked opens the profile with the person's key slot, then signs
// them in on the open profile's sign-in screen with what they typed (its
// security question, its server), without asking again. A refusal stays
// beside the form, the user ID kept.
func (s *signIn) submitLocked(e *Env) {
	user, pw := strings.TrimSpace(s.user.Text), s.pass.Text
	s.form.setFault(nil)
	s.btn.Disable()
	path, opt := s.locked, e.StoreOptions
	var st programs.Desk
	var err error
	e.Async(func() { st, err = programs.OpenAs(path, user, pw, opt) }, func() {
		s.btn.Enable()
		if err != nil {
			s.pass.SetText("")
			s.form.setFault(err)
			return
		}
		e.launch = ""
		e.useStore(st)
		e.slotOpened = slotMark(user, pw)
		e.Show(ScreenSignIn)
		next, ok := e.view.(*signIn)
		if !ok {
			return
		}
		next.user.SetText(user)
		next.pass.SetText(pw)
		next.submit(e)
	})
}

// openWithProfilePassword leaves the sign-in screen for the first-run
// screen's Open, with path filled in: the profile password opens it.
func (e *Env) openWithProfilePassword(path string) {
	if path == "" && e.Store.Engine() != nil {
		path = e.Store.Path()
	}
	e.Close()
	e.lockedOut = nil
	e.launch = ""
	e.openWith = path
	e.Show(ScreenFirstRun)
}

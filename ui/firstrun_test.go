package ui

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/translations"
)

// newTestEnv is a headless window with a cheap key derivation.
func newTestEnv(t *testing.T) (*Env, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	e := NewEnv(a, w, t.TempDir())
	e.Inline = true
	e.StoreOptions = store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true}
	e.DemoRequests = 60
	t.Cleanup(func() {
		e.Close()
	})
	return e, w
}

// waitFor polls until cond holds: the screens work off the UI goroutine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCreateProfileWithDemoData(t *testing.T) {
	e, _ := newTestEnv(t)
	var f *firstRun
	e.Show(Screen{ID: "first-run", Title: "firstrun.title", View: func(e *Env) fyne.CanvasObject { f = newFirstRun(e); return f.content }})
	test.Type(f.createPass, "a good password")
	test.Type(f.createRepeat, "a good password")
	test.Tap(f.loadDemo)
	test.Tap(f.createBtn)
	waitFor(t, "the profile", func() bool {
		var open bool
		fyne.DoAndWait(func() { open = e.Store.Engine() != nil })
		return open
	})
	if _, err := os.Stat(store.ProfilePath(e.DataDir)); err != nil {
		t.Fatalf("no profile file: %v", err)
	}
	schools, _ := e.Store.Institutions()
	n := 0
	for _, in := range schools {
		c, _ := e.Store.QueueCount(account.SystemActor, requests.QueueFilter{School: in.ID})
		n += c
	}
	if n != 60 || e.Current().ID != ScreenSignIn.ID {
		t.Fatalf("demo requests: %d, screen %s", n, e.Current().ID)
	}
}

func TestPasswordsMustMatch(t *testing.T) {
	e, _ := newTestEnv(t)
	var f *firstRun
	e.Show(Screen{ID: "first-run", Title: "firstrun.title", View: func(e *Env) fyne.CanvasObject { f = newFirstRun(e); return f.content }})
	test.Type(f.createPass, "a good password")
	test.Type(f.createRepeat, "a good passwrod")
	test.Tap(f.createBtn)
	if !f.createErr.Visible() || f.createErr.Text != e.T("firstrun.password.mismatch") {
		t.Fatalf("error shown: %q", f.createErr.Text)
	}
	if _, err := os.Stat(store.ProfilePath(e.DataDir)); err == nil {
		t.Fatal("a profile was made with mismatched passwords")
	}
}

// TestFrenchKeepsWhatWasTyped switches language in the middle of typing:
// the labels turn French, the typed text and the error stay, reworded.
func TestFrenchKeepsWhatWasTyped(t *testing.T) {
	e, _ := newTestEnv(t)
	path := filepath.Join(e.DataDir, "other.dossier")
	var f *firstRun
	e.Show(Screen{ID: "first-run", Title: "firstrun.title", View: func(e *Env) fyne.CanvasObject { f = newFirstRun(e); return f.content }})
	f.openPath.SetText(path)
	test.Type(f.openPass, "whatever it is")
	test.Tap(f.openBtn)
	waitFor(t, "the error", func() bool {
		var shown bool
		fyne.DoAndWait(func() { shown = f.openErr.Visible() })
		return shown
	})
	if f.openErr.Text != translations.New(translations.English).Error(store.ErrNoProfile) {
		t.Fatalf("English error: %q", f.openErr.Text)
	}
	test.Tap(e.bar.lang)
	fr := translations.New(translations.French)
	if f.openBtn.Text != "Ouvrir un profil" || f.openTab.Text != "Ouvrir un profil" || e.bar.lang.Text != "English" {
		t.Fatalf("labels after switching: %q %q %q", f.openBtn.Text, f.openTab.Text, e.bar.lang.Text)
	}
	if f.openErr.Text != fr.Error(store.ErrNoProfile) {
		t.Fatalf("error not reworded: %q", f.openErr.Text)
	}
	if f.openPass.Text != "whatever it is" || f.openPath.Text != path {
		t.Fatal("switching language lost what was typed")
	}
	if got := e.App.Preferences().String(prefLang); got != string(translations.French) {
		t.Fatalf("language not remembered: %q", got)
	}
}

func TestOpenWithTheWrongPasswordThenTheRightOne(t *testing.T) {
	e, _ := newTestEnv(t)
	s, err := programs.Create(store.ProfilePath(e.DataDir), "the right one", e.StoreOptions)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	var f *firstRun
	e.Show(Screen{ID: "first-run", Title: "firstrun.title", View: func(e *Env) fyne.CanvasObject { f = newFirstRun(e); return f.content }})
	test.Type(f.openPass, "the wrong one")
	test.Tap(f.openBtn)
	waitFor(t, "the refusal", func() bool {
		var shown bool
		fyne.DoAndWait(func() { shown = f.openErr.Visible() })
		return shown
	})
	if !strings.Contains(f.openErr.Text, "password") {
		t.Fatalf("error: %q", f.openErr.Text)
	}
	f.openPass.SetText("")
	test.Type(f.openPass, "the right one")
	test.Tap(f.openBtn)
	waitFor(t, "the profile", func() bool {
		var open bool
		fyne.DoAndWait(func() { open = e.Store.Engine() != nil })
		return open
	})
}

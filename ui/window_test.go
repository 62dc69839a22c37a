package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain/oinp"
	"dossier/store/demo"
	"dossier/translations"
)

// TestWindowSizeKeptPerDesk: the window opens at 1024×768 the first time
// (and where an older version kept its own default of 1280×780), then at
// the size the person gave it on this desk.
func TestWindowSizeKeptPerDesk(t *testing.T) {
	prefs := test.NewTempApp(t).Preferences()
	if got := WindowSize(prefs); got != fyne.NewSize(1024, 768) {
		t.Fatalf("first start: %v", got)
	}
	KeepWindowSize(prefs, DefaultWindowSize)
	if prefs.FloatWithFallback(prefWindowWidth, 0) != 0 {
		t.Fatal("the default is kept as if the person chose it")
	}
	KeepWindowSize(prefs, fyne.NewSize(1366, 700))
	if got := WindowSize(prefs); got != fyne.NewSize(1366, 700) {
		t.Fatalf("after a resize: %v", got)
	}
	prefs.SetFloat(prefWindowWidth, 1280)
	prefs.SetFloat(prefWindowHeight, 780)
	if got := WindowSize(prefs); got != DefaultWindowSize {
		t.Fatalf("the old default: %v", got)
	}
}

// TestWindowNeverResizesItself: in a 1024×768 window, an applicant
// switches to French and back and runs Check for Errors on every tab;
// the window keeps its size, and its content never needs more (Fyne
// would grow the real window to the content's minimum size). The same
// for a DIR's queue and request. No code outside the tests resizes the
// window.
func TestWindowNeverResizesItself(t *testing.T) {
	e := applicantDesk(t)
	e.Window.Resize(smallest)
	same := func(what string) {
		t.Helper()
		if got := e.Window.Canvas().Size(); got != smallest {
			t.Fatalf("%s: the window is %v", what, got)
		}
		if m := needs(e); !fitsIn(m, smallest) {
			t.Fatalf("%s: the content needs %v, the window would grow", what, m)
		}
	}
	same("the application")
	for _, tab := range oinp.Tabs {
		e.Show(ScreenApplication(tab))
		same(string(tab))
		e.ToggleLang()
		same(string(tab) + ", language switched")
		test.Tap(appViewOf(t, e).checkBtn)
		same(string(tab) + ", checked")
		e.ToggleLang()
		same(string(tab) + ", checked, language switched back")
	}
	if e.Tr().Lang() != translations.English {
		t.Fatal("not back in English")
	}

	e = complianceDesk(t)
	e.Window.Resize(smallest)
	signInAs(t, e, "dir.lakeview", demo.Password)
	q := openQueue(t, e)
	same("the queue")
	e.ToggleLang()
	same("the queue in French")
	e.Show(ScreenRequest(q.ids[0]))
	same("a request in French")
	e.ToggleLang()
	same("a request in English")

	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	resize := regexp.MustCompile(`Window\.Resize\(|\bw\.Resize\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if resize.Match(b) {
			t.Errorf("%s resizes the window", f)
		}
	}
}

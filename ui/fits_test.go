package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// The one check that a screen fits the smallest window Dossier supports.

// fitsScreen fails the test when the window's content needs more than
// 1024×768.
func fitsScreen(t *testing.T, e *Env, what string) {
	t.Helper()
	fyne.DoAndWait(func() { e.Window.Content().Refresh() })
	if m := e.Window.Content().MinSize(); m.Width > 1024 || m.Height > 768 {
		t.Errorf("%s in %s needs %v×%v, more than 1024×768", what, e.Tr().Lang(), m.Width, m.Height)
	}
}

// fitsUnderBar fails unless obj's minimum size fits a 1024×768 window
// under the top bar.
func fitsUnderBar(t *testing.T, what string, obj fyne.CanvasObject) {
	t.Helper()
	if m := obj.MinSize(); m.Width > 1024 || m.Height > 768-80 {
		t.Errorf("%s needs %v, more than 1024×768", what, m)
	}
}

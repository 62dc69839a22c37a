package ui

import "fyne.io/fyne/v2"

// The window's size: Dossier opens at the smallest size it supports,
// which every screen fits in both languages (ui/fit_all_test.go), and
// then at the size the person last gave it on this desk. Nothing resizes
// the window after that: every screen's content fits it, so Fyne never
// grows it either.

// DefaultWindowSize is the window's size the first time.
var DefaultWindowSize = fyne.NewSize(1024, 768)

// Preference keys of the window's size.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

// The window's size before issue 18, which every close kept whether the
// person resized the window or not: it is the default's, not a choice,
// and wider than a 1024 px screen.
const oldDefaultWidth, oldDefaultHeight = 1280, 780

// WindowSize is the size to open the window at: the one kept in prefs
// when the person resized it, else DefaultWindowSize.
func WindowSize(prefs fyne.Preferences) fyne.Size {
	w := prefs.FloatWithFallback(prefWindowWidth, 0)
	h := prefs.FloatWithFallback(prefWindowHeight, 0)
	if w <= 0 || h <= 0 || w == oldDefaultWidth && h == oldDefaultHeight {
		return DefaultWindowSize
	}
	return fyne.NewSize(float32(w), float32(h))
}

// KeepWindowSize remembers the window's size in prefs, if the person
// made it other than the default, for the next start on this desk.
func KeepWindowSize(prefs fyne.Preferences, size fyne.Size) {
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	if size == DefaultWindowSize && prefs.FloatWithFallback(prefWindowWidth, 0) == 0 {
		return
	}
	prefs.SetFloat(prefWindowWidth, float64(size.Width))
	prefs.SetFloat(prefWindowHeight, float64(size.Height))
}

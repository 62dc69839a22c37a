package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/store"
	"dossier/translations"
)

// Preference keys.
const (
	prefLang = "lang"
)

// Env is what every screen works with: the window, the translator and the
// open profile. Screens label their widgets through OnRelabel, so that a
// change of language relabels the screen in place and keeps what the
// person typed.
type Env struct {
	App    fyne.App
	Window fyne.Window
	// DataDir is where a new profile goes by default.
	DataDir string
	// Store is the open profile, nil until one is opened.
	Store *store.Store
	// StoreOptions are used to create and open profiles (tests make the
	// key derivation cheap).
	StoreOptions store.Options
	// DemoRequests is how many requests "load the demo data" makes.
	DemoRequests int

	tr       *translations.Translator
	relabels []func()
	langBtn  *widget.Button
}

// NewEnv prepares the environment of a window, in the language the person
// chose last time (English the first time).
func NewEnv(app fyne.App, w fyne.Window, dataDir string) *Env {
	lang, _ := translations.ParseLang(app.Preferences().StringWithFallback(prefLang, string(translations.English)))
	return &Env{App: app, Window: w, DataDir: dataDir, DemoRequests: 1000, tr: translations.New(lang)}
}

// T translates a catalog key in the current language.
func (e *Env) T(key string, args ...any) string { return e.tr.T(key, args...) }

// Tr is the current translator.
func (e *Env) Tr() *translations.Translator { return e.tr }

// OnRelabel registers f to set the current screen's words, and runs it now.
func (e *Env) OnRelabel(f func()) {
	e.relabels = append(e.relabels, f)
	f()
}

// SetLang switches the language of the whole window at once, keeping the
// screen and everything typed in it, and remembers the choice.
func (e *Env) SetLang(l translations.Lang) {
	e.tr = translations.New(l)
	e.App.Preferences().SetString(prefLang, string(l))
	for _, f := range e.relabels {
		f()
	}
}

// ToggleLang switches between English and French.
func (e *Env) ToggleLang() {
	if e.tr.Lang() == translations.French {
		e.SetLang(translations.English)
	} else {
		e.SetLang(translations.French)
	}
}

// Show replaces the window's content with the screen build makes, under
// the top bar.
func (e *Env) Show(build func(*Env) fyne.CanvasObject) {
	e.relabels = nil
	bar := e.topBar()
	content := build(e)
	e.Window.SetContent(container.NewBorder(bar, nil, nil, nil, content))
}

func (e *Env) topBar() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.langBtn = widget.NewButton("", e.ToggleLang)
	e.OnRelabel(func() {
		title.SetText(e.T("app.name"))
		e.langBtn.SetText(e.T("lang.other"))
		e.Window.SetTitle(e.T("app.name"))
	})
	return container.NewVBox(container.NewBorder(nil, nil, title, e.langBtn), widget.NewSeparator())
}

package ui

import (
	"encoding/json"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	// Fyne's lang package reads the system's locale as it starts (and at
	// each useFyneWords): startup's init, run before it, keeps a C locale
	// from being logged as an error at every language switch.
	_ "dossier/internal/startup"
	"dossier/translations"
)

// Fyne's own widgets say a few words themselves: an entry's context menu
// (Cut, Copy, Paste, Select all), the file dialogs (Open, Save, Cancel,
// Show Hidden Files…), Yes/No and OK in its stock dialogs. Fyne picks them
// by the SYSTEM's language, not by the in-app switch, and a Select with
// nothing chosen shows a constant, untranslated "(Select one)". Dossier
// speaks its own words instead: fyneWords maps each of Fyne's keys (its
// lang package's, Fyne 2.7) to our catalog, and useFyneWords loads them
// as Fyne's translations for the system's locale, so Fyne's localizer,
// whatever the system's language, answers in the language the person
// chose. The Select placeholder is set by choosePlaceholder.

// fyneWords maps Fyne's lang keys to our catalog keys.
var fyneWords = map[string]string{
	"Cut":               "fyne.cut",
	"Copy":              "fyne.copy",
	"Paste":             "fyne.paste",
	"Select all":        "fyne.select-all",
	"Undo":              "fyne.undo",
	"Redo":              "fyne.redo",
	"Yes":               "fyne.yes",
	"No":                "fyne.no",
	"OK":                "shell.close",
	"Cancel":            "shell.cancel",
	"Confirm":           "shell.confirm",
	"Error":             "fyne.error",
	"Open":              "fyne.open",
	"Save":              "fyne.save",
	"File":              "fyne.file", // the file dialog's title is "Open" + " " + "File"
	"Folder":            "fyne.folder",
	"New Folder":        "fyne.new-folder",
	"Create Folder":     "fyne.create-folder",
	"Enter filename":    "fyne.file-name",
	"Show Hidden Files": "fyne.hidden",
	"Advanced":          "fyne.advanced",
	"Favourites":        "fyne.favourites",
	"Quit":              "fyne.quit",
}

// fynePluralWords are Fyne's keys that take plural forms (only "other" is
// used).
var fynePluralWords = map[string]string{
	"file.name":   "fyne.name",
	"file.parent": "fyne.parent",
}

// useFyneWords makes Fyne's own widgets speak tr's language.
func useFyneWords(tr *translations.Translator) {
	words := map[string]any{}
	for k, key := range fyneWords {
		words[k] = tr.T(key)
	}
	for k, key := range fynePluralWords {
		words[k] = map[string]string{"other": tr.T(key)}
	}
	data, err := json.Marshal(words)
	if err != nil {
		fyne.LogError("fyne words", err)
		return
	}
	if err := lang.AddTranslationsForLocale(data, lang.SystemLocale()); err != nil {
		fyne.LogError("fyne words", err)
	}
}

// choosePlaceholder gives a Select our own "(Choose one)" in place of
// Fyne's constant "(Select one)", now and at every language switch while
// its screen is shown.
func choosePlaceholder(e *Env, s *widget.Select) {
	e.OnRelabel(func() {
		s.PlaceHolder = e.T("fyne.select.one")
		s.Refresh()
	})
}

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Dialogs with our own words: Fyne's built-in ones follow the system's
// language, not the in-app switch.

func noticeDialog(e *Env, title, text string) {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, e.T("shell.close"), l, e.Window)
	d.Resize(fyne.NewSize(480, 200))
	d.Show()
}

func confirmDialog(e *Env, title, text string, yes func()) {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	dialog.NewCustomConfirm(title, e.T("shell.confirm"), e.T("shell.cancel"), l, func(ok bool) {
		if ok {
			yes()
		}
	}, e.Window).Show()
}

// plainDialog is a dialog with our own Close button.
type plainDialog interface {
	Show()
	Hide()
}

func newPlainDialog(e *Env, title string, content fyne.CanvasObject) plainDialog {
	return dialog.NewCustom(title, e.T("shell.close"), content, e.Window)
}

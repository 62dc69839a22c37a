package ui

import (
	"bytes"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
)

// fileActions are the General tab's Export and Import: the application as
// one file (docs/oinp-application.md), to move a draft to another computer
// or check it from a script. Attached files stay in the profile.
func fileActions(v *appView) {
	e, f := v.e, v.form
	exp := widget.NewButton("", func() {
		e.Touch()
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			defer w.Close()
			if err := keepPrivate(w); err != nil {
				v.showFault(domain.Wrap(store.ErrStorage, err))
				return
			}
			if err := v.exportTo(w); err != nil {
				v.showFault(err)
				return
			}
			v.status.SetText(e.T("oinp.file.exported", w.URI().Name()))
			v.status.Refresh()
		}, e.Window)
		d.SetFileName(exportName(v.s.app))
		showFileDialog(e, d)
	})
	imp := widget.NewButton("", func() {
		e.Touch()
		showFileDialog(e, dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			b, err := io.ReadAll(io.LimitReader(r, oinp.MaxFileBytes+1))
			if err != nil {
				v.showFault(err)
				return
			}
			confirmDialog(e, e.T("oinp.file.import"), e.T("oinp.file.import.confirm"), func() { v.importFrom(b) })
		}, e.Window))
	})
	e.OnRelabel(func() {
		exp.SetText(e.T("oinp.file.export"))
		imp.SetText(e.T("oinp.file.import"))
	})
	if !v.s.app.Submitted.IsZero() {
		imp.Disable()
	}
	f.box.Add(widget.NewSeparator())
	f.note("oinp.file.text")
	f.box.Add(container.NewHBox(exp, imp))
}

func exportName(a oinp.Application) string {
	if a.FileNumber != "" {
		return string(a.FileNumber) + ".json"
	}
	return "oinp-application.json"
}

// exportTo writes the saved application (saving first).
func (v *appView) exportTo(w io.Writer) error {
	if err := v.s.save(v.e); err != nil {
		return err
	}
	return oinp.WriteFile(w, &v.s.app)
}

// importFrom replaces the form with a file's: everything typed, not the
// file number, dates or attachments, which are this profile's. A file
// that cannot be read changes nothing and says why.
func (v *appView) importFrom(b []byte) {
	e, s := v.e, v.s
	a, err := oinp.ReadFile(bytes.NewReader(b))
	if err != nil {
		v.showFault(err)
		return
	}
	if !s.app.Submitted.IsZero() {
		v.showFault(domain.Errorf(applications.ErrSubmitted, s.app.FileNumber))
		return
	}
	s.app = *a
	s.raw = map[string]rawField{}
	s.resolveCountries()
	s.dirty = true
	if err := s.save(e); err != nil {
		v.showFault(err)
		return
	}
	e.Show(ScreenApplication(oinp.TabSummary))
}

package ui

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/oinp"
)

// wageImport offers the median from a Job Bank wage file (§2.1.3): import
// the file, then choose the economic region of the work; the median of
// the offer's occupation there fills the field.
func wageImport(f *appForm, o *oinp.JobOffer) {
	e, s := f.e, f.s
	imp := widget.NewButton("", func() {
		e.Touch()
		showFileDialog(e, dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			b, err := io.ReadAll(io.LimitReader(r, oinp.MaxWagesBytes+1))
			if err == nil {
				importWages(f, b)
			}
		}, e.Window))
	})
	e.OnRelabel(func() { imp.SetText(e.T("oinp.wages.import")) })
	box := container.NewVBox(container.NewHBox(imp))
	if o.MedianRegion != "" {
		box.Add(wrapped(""))
		l := box.Objects[1].(*widget.Label)
		e.OnRelabel(func() { l.SetText(e.T("oinp.wages.from", o.MedianRegion)) })
	}
	rows := oinp.WagesFor(s.wages, o.NOC)
	if len(s.wages) > 0 && len(rows) == 0 {
		box.Add(wrapped(e.T("oinp.wages.none", o.NOC)))
	}
	if len(rows) > 0 {
		regions := make([]string, len(rows))
		for i, w := range rows {
			regions[i] = w.Region + " — " + e.Tr().Money(w.MedianCents)
		}
		pick := widget.NewSelect(regions, nil)
		pick.PlaceHolder = e.T("oinp.wages.region")
		pick.OnChanged = func(string) {
			w := rows[pick.SelectedIndex()]
			o.MedianCents, o.MedianRegion = w.MedianCents, w.Region
			delete(s.raw, "employer.offer.medianWageCents")
			s.touch(e)
			s.rebuild(e)
		}
		f.set["employer.offer.medianRegion"] = func(region string) {
			for i, w := range rows {
				if w.Region == region {
					pick.SetSelectedIndex(i)
				}
			}
		}
		box.Add(pick)
	}
	f.box.Add(box)
}

// importWages reads a wage file into the session; a file that cannot be
// read says why under the median.
func importWages(f *appForm, b []byte) {
	ws, err := oinp.ParseWages(b)
	if err != nil {
		if l, ok := f.errs["employer.offer.medianWageCents"]; ok {
			l.SetText(f.e.Tr().Error(err))
			l.Show()
		}
		return
	}
	f.s.wages = ws
	f.s.rebuild(f.e)
}

package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/ens"
)

// yearPicker chooses a compliance year, the current one first (the year
// whose list stands today) and the two before it, for the DIR's and the
// coordinator's screens.
type yearPicker struct {
	sel   *widget.Select
	years []int
}

// newYearPicker calls changed with the year chosen, after the person
// changes it.
func newYearPicker(e *Env, changed func(year int)) *yearPicker {
	y, _ := ens.ComplianceYearOf(e.Now())
	p := &yearPicker{years: []int{y, y - 1, y - 2}}
	var opts []string
	for _, y := range p.years {
		opts = append(opts, strconv.Itoa(y))
	}
	p.sel = widget.NewSelect(opts, nil)
	e.notKept(p.sel) // which year is on show, not something typed
	choosePlaceholder(e, p.sel)
	p.sel.SetSelectedIndex(0)
	p.sel.OnChanged = func(string) {
		e.Touch()
		changed(p.years[p.sel.SelectedIndex()])
	}
	return p
}

// year is the year chosen.
func (p *yearPicker) year() int { return p.years[max(p.sel.SelectedIndex(), 0)] }

// bar is the labelled picker on the left, the screen's buttons on the
// right.
func (p *yearPicker) bar(e *Env, buttons ...fyne.CanvasObject) fyne.CanvasObject {
	label := widget.NewLabel("")
	e.OnRelabel(func() { label.SetText(e.T("compliance.year")) })
	return container.NewBorder(nil, nil, container.NewHBox(label, p.sel), container.NewHBox(buttons...))
}

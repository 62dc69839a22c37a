package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
)

// labelled is a stack of fields, each under a label from the catalog, that
// relabels itself with the language. It also shows each field's error, in
// the current language, under the field the error names.
type labelled struct {
	env    *Env
	box    *fyne.Container
	errors map[string]*widget.Label
	// labels are the catalog keys of the fields' labels, by field, to
	// name them in the summary of several errors.
	labels map[string]string
	// order is the fields in the order of the form, to name them so.
	order []string
	fault error
	// general shows errors that name no field of the form.
	general *widget.Label
}

func newLabelled(e *Env) *labelled {
	l := &labelled{env: e, box: container.NewVBox(), errors: map[string]*widget.Label{}, labels: map[string]string{},
		general: errorLabel()}
	e.OnRelabel(l.showFault)
	return l
}

// add appends a field under the label key; field is the name domain errors
// use for it (domain.Error.Field), so its error shows beneath it.
func (l *labelled) add(key, field string, w fyne.CanvasObject) {
	lbl := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.env.OnRelabel(func() { lbl.SetText(l.env.T(key)) })
	errLbl := errorLabel()
	if field != "" {
		l.errors[field] = errLbl
		l.labels[field] = key
		l.order = append(l.order, field)
	}
	l.box.Add(container.NewVBox(lbl, w, errLbl))
}

// addText appends a paragraph from the catalog.
func (l *labelled) addText(key string, args ...any) *widget.Label {
	t := widget.NewLabel("")
	t.Wrapping = fyne.TextWrapWord
	l.env.OnRelabel(func() { t.SetText(l.env.T(key, args...)) })
	l.box.Add(t)
	return t
}

// setFault shows err under the field it names (or above the buttons) and
// keeps it, to reword it when the language changes; nil clears. Several
// errors joined (errors.Join) show at once, each under its field, with a
// line above the buttons naming the fields to correct.
func (l *labelled) setFault(err error) {
	l.fault = err
	l.showFault()
}

func (l *labelled) showFault() {
	for _, lbl := range l.errors {
		lbl.SetText("")
		lbl.Hide()
	}
	l.general.SetText("")
	l.general.Hide()
	if l.fault == nil {
		return
	}
	faults := []error{l.fault}
	if j, ok := l.fault.(interface{ Unwrap() []error }); ok {
		faults = j.Unwrap()
	}
	var general []string
	shown := map[string]bool{}
	for _, f := range faults {
		field := ""
		if e, ok := f.(*domain.Error); ok {
			field = e.Field
		} else if ff, ok := f.(fieldFault); ok {
			field = ff.field
		}
		lbl, ok := l.errors[field]
		if !ok {
			general = append(general, l.message(f))
			continue
		}
		if lbl.Visible() {
			continue // the first error of a field is the one to fix first
		}
		lbl.SetText(l.message(f))
		lbl.Show()
		shown[field] = true
	}
	var named []string
	for _, field := range l.order {
		if shown[field] {
			named = append(named, l.env.T(l.labels[field]))
		}
	}
	if len(faults) > 1 && len(named) > 0 {
		general = append(general, l.env.T("form.errors.fields", strings.Join(named, ", ")))
	}
	if len(general) > 0 {
		l.general.SetText(strings.Join(general, "\n"))
		l.general.Show()
	}
}

func (l *labelled) message(err error) string {
	if f, ok := err.(fieldFault); ok {
		return l.env.T(f.key)
	}
	return l.env.Tr().Error(err)
}

// fieldFault is a mistake the screen itself finds (two passwords that
// differ), said by catalog key, under a field.
type fieldFault struct{ field, key string }

func (f fieldFault) Error() string { return f.key }

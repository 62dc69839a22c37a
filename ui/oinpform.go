package ui

import (
	"crypto/rand"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
)

// appForm builds one tab of the application: each field under its label
// from the catalog ("oinp.field." + the field's path without list
// indexes), bound to the working copy of the application, with its error
// beneath it under the path Validate names it by. What a person types is
// kept as typed, even when it does not read yet as a date or a number.
type appForm struct {
	e    *Env
	s    *appSession
	box  *fyne.Container
	errs map[string]*widget.Label
	// focus is the widget of each path, to take the person to it.
	focus map[string]fyne.Focusable
	// keys are the catalog keys the tab's words come from (its test
	// checks each has both languages).
	keys []string
	// set types a value into each path's widget as a person would (a code
	// for a choice, "yes" or "no", text otherwise), and add adds a line to
	// each repeated section: for tests and imports of a tab.
	set map[string]func(string)
	add map[string]func()
	// inputs are the widgets by path, to make some read-only.
	inputs map[string]fyne.Disableable
	// countries are the country pickers by path, for tests.
	countries map[string]*countryPicker
}

// tr translates a key the tab builds from parts, and records it.
func (f *appForm) tr(key string, args ...any) string {
	f.keys = append(f.keys, key)
	return f.e.T(key, args...)
}

func newAppForm(e *Env, s *appSession) *appForm {
	return &appForm{e: e, s: s, box: container.NewVBox(), errs: map[string]*widget.Label{}, focus: map[string]fyne.Focusable{},
		set: map[string]func(string){}, add: map[string]func(){}, inputs: map[string]fyne.Disableable{},
		countries: map[string]*countryPicker{}}
}

// labelKey is the catalog key of a field's label.
func labelKey(path string) string { return oinp.LabelKey(path) }

// field adds a labelled input at path, and what shows below it before
// its error.
func (f *appForm) field(path string, w fyne.CanvasObject, focus fyne.Focusable, below ...fyne.CanvasObject) {
	key := labelKey(path)
	lbl := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	lbl.Wrapping = fyne.TextWrapWord
	f.e.OnRelabel(func() { lbl.SetText(f.tr(key)) })
	errLbl := errorLabel()
	f.errs[path] = errLbl
	if d, ok := w.(fyne.Disableable); ok {
		f.inputs[path] = d
	}
	if focus != nil {
		f.focus[path] = focus
	}
	f.e.keptByWorkingCopy(w)
	f.box.Add(container.NewVBox(append(append([]fyne.CanvasObject{lbl, w}, below...), errLbl)...))
}

// text is a text field.
func (f *appForm) text(path string, v *string) *Entry { return textAs(f, path, v) }

// parsed is a field typed as text and read as something else: the text
// stays as typed (in the session) and the value follows when it reads.
func (f *appForm) parsed(path, shown string, read func(string) error) *Entry {
	w := newEntry()
	if raw, ok := f.s.raw[path]; ok {
		shown = raw.Text
	}
	w.SetText(shown)
	f.set[path] = w.SetText
	w.OnChanged = func(s string) {
		defer f.s.touch(f.e) // once the value follows, for what judges it
		if err := read(strings.TrimSpace(s)); err != nil {
			f.s.raw[path] = rawField{Text: s, Code: domain.ErrorCode(err)}
			return
		}
		delete(f.s.raw, path)
	}
	f.field(path, w, w)
	return w
}

// date is a YYYY-MM-DD field.
func (f *appForm) date(path string, v *domain.Date) {
	w := f.parsed(path, v.String(), func(s string) error {
		if s == "" {
			*v = domain.Date{}
			return nil
		}
		d, err := domain.ParseDate(path, s)
		if err != nil {
			return err
		}
		*v = d
		return nil
	})
	f.e.OnRelabel(func() { w.SetPlaceHolder(f.e.T("format.date.placeholder")) })
}

// money is an amount of dollars ("1,000,000", "17.50"), kept in cents.
func (f *appForm) money(path string, v *int64) {
	shown := ""
	if *v != 0 {
		shown = strconv.FormatFloat(float64(*v)/100, 'f', 2, 64)
	}
	f.parsed(path, shown, func(s string) error {
		c, err := parseMoney(path, s)
		if err == nil {
			*v = c
		}
		return err
	})
}

// number is a decimal number (hours, scores, a percentage).
func (f *appForm) number(path string, v *float64) {
	shown := ""
	if *v != 0 {
		shown = strconv.FormatFloat(*v, 'f', -1, 64)
	}
	f.parsed(path, shown, func(s string) error {
		x, err := parseNumber(path, s)
		if err == nil {
			*v = x
		}
		return err
	})
}

// integer is a whole number (employees, family members).
func (f *appForm) integer(path string, v *int) {
	shown := ""
	if *v != 0 {
		shown = strconv.Itoa(*v)
	}
	f.parsed(path, shown, func(s string) error {
		if s == "" {
			*v = 0
			return nil
		}
		n, err := strconv.Atoi(strings.ReplaceAll(s, " ", ""))
		if err != nil || n < 0 {
			return domain.FieldError(ErrNumberFormat, path)
		}
		*v = n
		return nil
	})
}

// ErrNumberFormat is typed text that is not a number.
var ErrNumberFormat = domain.NewCode("ui.number.format", domain.KindInvalid)

// parseNumber reads a number typed the English or the French way (29.5,
// 29,5); empty is zero.
func parseNumber(path, s string) (float64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if s == "" {
		return 0, nil
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || x < 0 {
		return 0, domain.FieldError(ErrNumberFormat, path)
	}
	return x, nil
}

// parseMoney reads dollars ("$1,000,000", "1 000 000,00 $", "17.50") as
// cents.
func parseMoney(path, s string) (int64, error) {
	s = strings.Trim(strings.TrimSpace(s), "$ ")
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, ","); i >= 0 && !strings.Contains(s, ".") && len(s)-i-1 <= 2 {
		s = s[:i] + "." + s[i+1:] // a French decimal comma
	}
	x, err := parseNumber(path, strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return 0, err
	}
	return int64(x*100 + 0.5), nil
}

// yesNo is a question answered yes or no.
func (f *appForm) yesNo(path string, v *oinp.YesNo) {
	r := widget.NewRadioGroup(nil, nil)
	r.Horizontal = true
	f.e.OnRelabel(func() {
		r.OnChanged = nil
		r.Options = []string{f.e.T("oinp.yes"), f.e.T("oinp.no")}
		switch *v {
		case oinp.Yes:
			r.Selected = r.Options[0]
		case oinp.No:
			r.Selected = r.Options[1]
		default:
			r.Selected = ""
		}
		r.Refresh()
		r.OnChanged = func(string) {
			switch radioIndex(r) {
			case 0:
				*v = oinp.Yes
			case 1:
				*v = oinp.No
			default:
				*v = oinp.Unanswered
			}
			f.s.touch(f.e)
		}
	})
	f.set[path] = func(s string) {
		switch oinp.YesNo(s) {
		case oinp.Yes:
			r.SetSelected(r.Options[0])
		case oinp.No:
			r.SetSelected(r.Options[1])
		}
	}
	f.field(path, r, nil)
}

// pick is one of a list of codes, each shown by its catalog label
// ("oinp.choice." + name + "." + code).
func pick[T ~string](f *appForm, path, name string, codes []T, v *T) {
	s := widget.NewSelect(nil, nil)
	f.e.OnRelabel(func() {
		s.OnChanged = nil
		s.Options = make([]string, len(codes))
		for i, c := range codes {
			s.Options[i] = f.tr(choiceKey(name, string(c)))
		}
		s.PlaceHolder = f.e.T("oinp.choose")
		s.ClearSelected()
		for i, c := range codes {
			if c == *v {
				s.SetSelectedIndex(i)
			}
		}
		s.OnChanged = func(string) {
			if i := s.SelectedIndex(); i >= 0 {
				*v = codes[i]
				f.s.touch(f.e)
			}
		}
	})
	f.set[path] = func(code string) {
		for i, c := range codes {
			if string(c) == code {
				s.SetSelectedIndex(i)
			}
		}
	}
	f.field(path, s, nil)
}

// choiceKey is the catalog key of one choice of a list.
func choiceKey(name, code string) string { return "oinp.choice." + name + "." + code }

// textAs is a text field of a named string type (a client ID).
func textAs[T ~string](f *appForm, path string, v *T) *Entry {
	w := newEntry()
	w.SetText(string(*v))
	w.OnChanged = func(s string) { *v = T(s); f.s.touch(f.e) }
	f.set[path] = w.SetText
	f.field(path, w, w)
	return w
}

// note adds a paragraph from the catalog.
func (f *appForm) note(key string, args ...any) {
	l := wrapped("")
	f.e.OnRelabel(func() { l.SetText(f.tr(key, args...)) })
	f.box.Add(l)
}

// heading adds a bold line from the catalog.
func (f *appForm) heading(key string) { f.box.Add(heading(f.e, key)) }

// list adds a repeated section: each item under a heading with a Remove
// button, and an Add button after the last; adding or removing rebuilds
// the tab.
func (f *appForm) list(name string, n int, item func(i int), add, remove func(i int)) {
	for i := 0; i < n; i++ {
		i := i
		title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		rm := widget.NewButton("", func() { remove(i); f.s.touch(f.e); f.s.rebuild(f.e) })
		f.e.OnRelabel(func() {
			title.SetText(f.tr(listKey(name, "item"), i+1))
			rm.SetText(f.e.T("oinp.list.remove"))
		})
		f.box.Add(widget.NewSeparator())
		f.box.Add(container.NewBorder(nil, nil, nil, rm, title))
		item(i)
	}
	addBtn := widget.NewButton("", func() { add(n); f.s.touch(f.e); f.s.rebuild(f.e) })
	f.add[name] = addBtn.OnTapped
	f.e.OnRelabel(func() { addBtn.SetText(f.tr(listKey(name, "add"))) })
	f.errs[name] = errorLabel()
	f.box.Add(f.errs[name])
	f.box.Add(container.NewHBox(addBtn))
}

// lineID is a new line's identity, which it keeps on every desk and on
// the server: two desks adding lines offline keep both.
func (f *appForm) lineID() domain.ID {
	id, err := domain.NewID(f.e.Now(), rand.Reader)
	if err != nil {
		// The system's randomness failed: the store names the line
		// by its place when it saves it.
		return domain.ID{}
	}
	return id
}

// listKey is the catalog key of a repeated section's words.
func listKey(name, what string) string { return "oinp.list." + name + "." + what }

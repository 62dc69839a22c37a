package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/country"
	"dossier/domain/oinp"
)

// countryHints is how many countries the picker offers at once.
const countryHints = 6

// countryPicker is a country field: the person types a name in either
// language (or a code) and the countries it may mean are offered beneath as
// they type, in the reader's language; the application keeps the alpha-2
// code. Text that names no country stays as typed, with its error.
type countryPicker struct {
	f     *appForm
	path  string
	v     *string
	entry *Entry
	hints *fyne.Container
	// quiet: the picker itself is writing the entry's text (a change of
	// language, a country chosen), which is no edit of the person's.
	quiet bool
}

// country is a country field, stored as its ISO 3166-1 alpha-2 code.
func (f *appForm) country(path string, v *string) *countryPicker {
	p := &countryPicker{f: f, path: path, v: v, entry: newEntry(), hints: container.NewVBox()}
	p.entry.OnChanged = p.typed
	p.hints.Hide()
	f.set[path] = p.entry.SetText
	f.e.OnRelabel(func() {
		p.entry.SetPlaceHolder(f.tr("oinp.country.placeholder"))
		p.show()
	})
	f.field(path, container.NewVBox(p.entry, p.hints), p.entry)
	f.inputs[path] = p.entry
	f.countries[path] = p
	return p
}

// show writes the stored country in the reader's language, or the text
// typed that names none.
func (p *countryPicker) show() {
	text := p.f.e.countryName(*p.v)
	if raw, ok := p.f.s.raw[p.path]; ok {
		text = raw.Text
	}
	p.quiet = true
	p.entry.SetText(text)
	p.quiet = false
	p.offer(nil)
}

// offer shows the countries offered beneath the entry (none: nothing).
func (p *countryPicker) offer(cs []country.Country) {
	p.hints.RemoveAll()
	lang := string(p.f.e.Tr().Lang())
	for i, c := range cs {
		if i == countryHints {
			break
		}
		p.hints.Add(widget.NewButton(c.Name(lang), func() { p.choose(c) }))
	}
	if len(cs) == 0 {
		p.hints.Hide()
		return
	}
	p.hints.Show()
}

// typed reads the entry's text: a country keeps its code, anything else
// its text and the error, and the countries it may mean are offered.
func (p *countryPicker) typed(s string) {
	if p.quiet {
		return
	}
	defer p.f.s.touch(p.f.e) // once the code follows, for what judges it
	table := assets.Countries()
	code, err := table.Resolve(s)
	if err != nil {
		p.f.s.raw[p.path] = rawField{Text: s, Code: domain.ErrorCode(err)}
	} else {
		*p.v = code
		delete(p.f.s.raw, p.path)
	}
	if strings.TrimSpace(s) == "" || (err == nil && p.f.e.countryName(code) == s) {
		p.offer(nil)
		return
	}
	p.offer(table.Search(s, string(p.f.e.Tr().Lang())))
}

// choose takes a country offered.
func (p *countryPicker) choose(c country.Country) {
	*p.v = c.Code
	delete(p.f.s.raw, p.path)
	p.f.s.touch(p.f.e)
	p.show()
}

// countryName is a country's name in the reader's language.
func (e *Env) countryName(code string) string {
	return assets.Countries().Name(code, string(e.Tr().Lang()))
}

// resolveCountries reads the countries of an application written before
// the pickers (or by hand) as codes; a name that is no country is kept as
// text typed, with its error, for the person to fix.
func (s *appSession) resolveCountries() {
	fields := map[string]string{}
	for _, f := range oinp.CountryFields(&s.app) {
		fields[f.Path] = *f.Value
	}
	for _, p := range oinp.ResolveCountries(&s.app, assets.Countries()) {
		if _, typed := s.raw[p.Err.Field]; !typed {
			s.raw[p.Err.Field] = rawField{Text: fields[p.Err.Field], Code: p.Err.Code}
		}
	}
}

package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
)

// maxPlaceSuggestions is how many places a place field offers at once.
const maxPlaceSuggestions = 6

// placeView is a field where a person writes a place the GTA rule reads
// (the work location, the employer's city): as they type, the places of
// Ontario whose name begins so are offered under it, in either language's
// spelling; picking one writes it. What is typed is kept and read as
// typed; a place that cannot be placed is said under the field.
type placeView struct {
	e        *Env
	entry    *Entry
	province *string
	// suggestions holds a button a place; warning says the place is not
	// known. Both are hidden when empty, so the form reads as before.
	suggestions *fyne.Container
	warning     *widget.Label
	offered     []oinp.Place
}

// placeField adds a place field at path, bound to v; province is the
// field's province, which Resolve reads with it.
func (f *appForm) placeField(path string, v, province *string) *placeView {
	p := &placeView{e: f.e, entry: newEntry(), province: province, suggestions: container.NewVBox(),
		warning: wrapped("")}
	p.suggestions.Hide()
	p.warning.Importance = widget.WarningImportance
	p.warning.Hide()
	p.entry.SetText(*v)
	p.entry.OnChanged = func(s string) {
		*v = s
		f.s.touch(f.e)
		p.offer(s)
		p.warn(s)
	}
	f.set[path] = p.entry.SetText
	f.field(path, p.entry, p.entry, p.suggestions, p.warning)
	f.keys = append(f.keys, "oinp.place.region", "oinp.place.unknown", "oinp.place.ambiguous")
	return p
}

// offer shows the places whose name begins as the text does, unless the
// text is what one of them writes (it was just picked).
func (p *placeView) offer(text string) {
	p.offered = assets.OINPTables().Suggest(text, maxPlaceSuggestions)
	p.suggestions.RemoveAll()
	for _, place := range p.offered {
		if strings.EqualFold(strings.TrimSpace(text), p.text(place)) {
			p.offered = nil
			break
		}
	}
	if len(p.offered) == 0 {
		p.suggestions.Hide()
		return
	}
	for _, place := range p.offered {
		b := widget.NewButton(p.label(place), func() { p.entry.SetText(p.text(place)) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		p.suggestions.Add(b)
	}
	p.suggestions.Show()
}

// warn says, under the field, that the place is not known or names
// places in and outside the GTA; nothing for a place it knows, or none,
// nor while places are offered for a name not yet typed whole.
func (p *placeView) warn(text string) {
	r := assets.OINPTables().Resolve(text, *p.province)
	switch {
	case r.Why == oinp.PlaceUnknown && len(p.offered) == 0:
		p.warning.SetText(p.e.T("oinp.place.unknown"))
	case r.Why == oinp.PlaceAmbiguous:
		var labels []string
		for _, c := range r.Candidates {
			labels = append(labels, p.label(c))
		}
		p.warning.SetText(p.e.T("oinp.place.ambiguous", strings.Join(labels, ", ")))
	default:
		p.warning.Hide()
		return
	}
	p.warning.Show()
}

// label is how a suggestion reads: a region in the person's language.
func (p *placeView) label(place oinp.Place) string {
	if place.IsRegion() {
		return p.e.T("oinp.place.region", place.Name)
	}
	return place.Label()
}

// text is what picking a place writes, which reads back as that place.
func (p *placeView) text(place oinp.Place) string {
	if place.IsRegion() {
		return p.e.T("oinp.place.region", place.Name)
	}
	return place.Text()
}

// feeNote is the catalog key and arguments of the line that states the
// fee: its amount and why, or what to enter for it to be known (naming
// the work location written that Dossier cannot place).
func feeNote(a *oinp.Application, rep oinp.EligibilityReport) (string, []any) {
	switch rep.InGTA {
	case oinp.Yes:
		return "oinp.summary.fee.gta", []any{domain.Money(rep.FeeCents), rep.Region}
	case oinp.No:
		return "oinp.summary.fee.outside", []any{domain.Money(rep.FeeCents)}
	}
	if place := strings.TrimSpace(a.Employer.Offer.Municipality); place != "" {
		return "oinp.summary.fee.unknown-place", []any{place}
	}
	return "oinp.summary.fee.unknown", nil
}

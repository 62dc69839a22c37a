package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/oinp"
	"dossier/sync"
	"dossier/translations"
)

// hintNames are the countries a picker offers.
func hintNames(p *countryPicker) []string {
	if !p.hints.Visible() {
		return nil
	}
	var out []string
	for _, o := range p.hints.Objects {
		out = append(out, o.(*widget.Button).Text)
	}
	return out
}

// TestCountryPickerResolvesWhatIsTyped: a country typed by its name in
// either language, a variant or a code is kept as its alpha-2 code;
// anything else is refused on its field, in the reader's language, and the
// text stays as typed.
func TestCountryPickerResolvesWhatIsTyped(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, e)
	for _, tt := range []struct{ typed, want string }{
		{"Ivory Coast", "CI"},
		{"Côte d'Ivoire", "CI"},
		{"CAN", "CA"},
		{"Canada", "CA"},
		{"Nigeria", "NG"},
		{"Allemagne", "DE"},
	} {
		v.form.set["applicant.citizenship"](tt.typed)
		if got := v.s.app.Applicant.Citizenship; got != tt.want {
			t.Errorf("typed %q: kept %q, want %q", tt.typed, got, tt.want)
		}
		if _, ok := v.s.raw["applicant.citizenship"]; ok {
			t.Errorf("typed %q: kept as text that does not read", tt.typed)
		}
	}
	v.form.set["applicant.countryOfResidence"]("Narnia")
	test.Tap(v.checkBtn)
	v = appViewOf(t, e)
	if l := v.form.errs["applicant.countryOfResidence"]; !l.Visible() || !strings.Contains(l.Text, "not a country we know") {
		t.Fatalf("residence error %q", l.Text)
	}
	if got := v.form.countries["applicant.countryOfResidence"].entry.Text; got != "Narnia" {
		t.Errorf("the entry shows %q, want the text typed", got)
	}
	e.ToggleLang()
	test.Tap(v.checkBtn)
	v = appViewOf(t, e)
	if l := v.form.errs["applicant.countryOfResidence"]; !strings.Contains(l.Text, "Ce pays nous est inconnu") {
		t.Fatalf("residence error in French %q", l.Text)
	}
}

// TestCountryPickerSearchesAsYouType: the countries a few letters may
// mean are offered in the reader's language; choosing one keeps its code
// and shows its name, which follows a change of language.
func TestCountryPickerSearchesAsYouType(t *testing.T) {
	e := applicantDesk(t)
	e.ToggleLang() // French
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, e)
	p := v.form.countries["applicant.citizenship"]
	test.Type(p.entry, "éta")
	hints := hintNames(p)
	if len(hints) == 0 || hints[0] != "États-Unis" {
		t.Fatalf("typing “éta” offers %q", hints)
	}
	test.Tap(p.hints.Objects[0].(*widget.Button))
	if v.s.app.Applicant.Citizenship != "US" || p.entry.Text != "États-Unis" || hintNames(p) != nil {
		t.Fatalf("chose %q, entry %q, still offered %q", v.s.app.Applicant.Citizenship, p.entry.Text, hintNames(p))
	}
	e.ToggleLang() // English
	if p.entry.Text != "United States" {
		t.Errorf("in English the entry shows %q", p.entry.Text)
	}
	if v.s.app.Applicant.Citizenship != "US" {
		t.Errorf("a change of language changed the country to %q", v.s.app.Applicant.Citizenship)
	}
}

// TestCountriesWrittenByNameAreRead: an application saved with countries
// written by name (before the pickers) opens with their codes; one that
// names no country stays as written, with its error.
func TestCountriesWrittenByNameAreRead(t *testing.T) {
	e := applicantDesk(t)
	a := appViewOf(t, e).s.app
	a.Applicant.Residence, a.Applicant.Citizenship = "Canada", "Narnia"
	if _, err := e.Store.SaveApplication(e.Actor(), a); err != nil {
		t.Fatal(err)
	}
	e.application = nil // read it again, as on the next sign-in
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, e)
	if got := v.s.app.Applicant.Residence; got != "CA" {
		t.Errorf("residence %q, want CA", got)
	}
	if got := v.form.countries["applicant.citizenship"].entry.Text; got != "Narnia" {
		t.Errorf("citizenship shows %q, want the text written", got)
	}
	test.Tap(v.checkBtn)
	v = appViewOf(t, e)
	n := 0
	for _, p := range v.s.problems(e) {
		if p.Err.Field == "applicant.citizenship" {
			n++
		}
	}
	if l := v.form.errs["applicant.citizenship"]; n != 1 || !strings.Contains(l.Text, "not a country we know") {
		t.Errorf("citizenship: %d problems, error %q", n, l.Text)
	}
}

// TestConflictShowsTheCountry: a conflict on a country field names the
// countries in the reader's language, not their codes.
func TestConflictShowsTheCountry(t *testing.T) {
	e, _ := newTestEnv(t)
	for _, tt := range []struct {
		lang       translations.Lang
		path, want string
	}{
		{translations.English, "contact.residence.country", "Germany"},
		{translations.French, "work[1].country", "Allemagne"},
		{translations.French, "applicant.citizenship", "Allemagne"},
		{translations.French, "contact.residence.city", "DE"}, // not a country field
	} {
		e.SetLang(tt.lang)
		if got := formFieldValue(e, tt.path, sync.FieldVersion{Value: `"DE"`}); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.lang, tt.path, got, tt.want)
		}
	}
}

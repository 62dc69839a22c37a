package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain/oinp"
	"dossier/translations"
)

// visibleButton is the shown button under o whose text is text, or nil.
func visibleButton(o fyne.CanvasObject, text string) *widget.Button {
	if !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Button:
		if w.Text == text {
			return w
		}
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := visibleButton(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// visibleLabels is the text of the shown labels under o, a line each.
func visibleLabels(o fyne.CanvasObject) string {
	if !o.Visible() {
		return ""
	}
	switch w := o.(type) {
	case *widget.Label:
		return w.Text + "\n"
	case *fyne.Container:
		var b strings.Builder
		for _, c := range w.Objects {
			b.WriteString(visibleLabels(c))
		}
		return b.String()
	}
	return ""
}

// TestPlaceFieldSuggests: the work location offers Ontario's places as
// the person types, in their language; picking one writes what reads back
// as that place; a place Dossier cannot place is kept as typed and said
// under the field, and the fee names it.
func TestPlaceFieldSuggests(t *testing.T) {
	for _, c := range []struct {
		lang             translations.Lang
		region, unknown  string
		feeSays, durhamW string
	}{
		{translations.English, "Durham Region", "Dossier does not know this place", "Processing fee: $2,000", "in and outside the Greater Toronto Area"},
		{translations.French, "Région de Durham", "Dossier ne connaît pas ce lieu", "Droits de traitement", "dans la région du grand Toronto comme ailleurs"},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			e := applicantDesk(t)
			e.SetLang(c.lang)
			e.Show(ScreenApplication(oinp.TabEmployerOffer))
			v := appViewOf(t, e)
			entry := v.form.focus["employer.offer.municipality"].(*Entry)
			entry.SetText("")
			test.Type(entry, "Unionv")
			b := visibleButton(v.form.box, "Unionville (Markham, York)")
			if b == nil {
				t.Fatalf("no Unionville among %q", visibleLabels(v.form.box))
			}
			test.Tap(b)
			if entry.Text != "Unionville, Markham" || v.s.app.Employer.Offer.Municipality != "Unionville, Markham" {
				t.Fatalf("picked: %q, kept %q", entry.Text, v.s.app.Employer.Offer.Municipality)
			}
			if visibleButton(v.form.box, "Unionville (Markham, York)") != nil {
				t.Fatal("the suggestions stay after the pick")
			}

			entry.SetText("")
			test.Type(entry, "Unio")
			if got := visibleLabels(v.form.box); strings.Contains(got, c.unknown) {
				t.Fatalf("a warning while places are offered: %q", got)
			}
			entry.SetText("Springfield")
			if got := visibleLabels(v.form.box); !strings.Contains(got, c.unknown) {
				t.Fatalf("no warning for Springfield: %q", got)
			}
			if v.s.app.Employer.Offer.Municipality != "Springfield" {
				t.Fatalf("typed text lost: %q", v.s.app.Employer.Offer.Municipality)
			}

			entry.SetText("Durham")
			if got := visibleLabels(v.form.box); !strings.Contains(got, c.durhamW) || !strings.Contains(got, "West Grey") {
				t.Fatalf("Durham: %q", got)
			}
			region := visibleButton(v.form.box, c.region)
			if region == nil {
				t.Fatalf("no %q offered", c.region)
			}
			test.Tap(region)
			if got, _ := v.s.app.InGTA(assets.OINPTables()); got != oinp.Yes || strings.Contains(visibleLabels(v.form.box), c.durhamW) {
				t.Fatalf("%q reads %q", v.s.app.Employer.Offer.Municipality, got)
			}

			entry.SetText("Springfield")
			e.Show(ScreenApplication(oinp.TabFee))
			v = appViewOf(t, e)
			if got := visibleLabels(v.form.box); !strings.Contains(got, c.feeSays) || !strings.Contains(got, "Springfield") {
				t.Fatalf("the fee does not name the place: %q", got)
			}
		})
	}
}

// TestEmployerCitySuggests: the city of the employer's business address,
// which decides its thresholds (§2.3.4), offers places too.
func TestEmployerCitySuggests(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenApplication(oinp.TabEmployerBusiness))
	v := appViewOf(t, e)
	entry := v.form.focus["employer.address.city"].(*Entry)
	test.Type(entry, "bramal")
	b := visibleButton(v.form.box, "Bramalea (Brampton, Peel)")
	if b == nil {
		t.Fatalf("no Bramalea among %q", visibleLabels(v.form.box))
	}
	test.Tap(b)
	if r := v.s.app.EmployerPlace(assets.OINPTables()); r.InGTA != oinp.Yes || r.Region != "Peel" {
		t.Fatalf("%q reads %+v", v.s.app.Employer.Address.City, r)
	}
}

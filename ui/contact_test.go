package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/store/demo"
	"dossier/translations"
)

// contactText is the last Contact Us as shown: each line's whom, how and
// source.
func contactText(e *Env) string {
	var out []string
	for _, l := range e.lastContact.lines {
		out = append(out, l.label+" | "+l.value+" | "+l.source)
	}
	return strings.Join(out, "\n")
}

// TestContactUs: the top bar's Contact us gives each person their
// program's contacts, in their language, each with its source: a DIR of
// a school in Quebec their province's representative (whose address the
// program does not give: said so), a signatory the DIRs of their school
// as the desk holds them, a student their DIR, the program officer every
// program's, and the sign-in screen the lines for everyone. A number the
// documents give is there; none is made up. The bar fits 1024 px in
// French with the button.
func TestContactUs(t *testing.T) {
	e, _, _ := desk(t, 10)
	for _, c := range []struct {
		user       string
		lang       translations.Lang
		want, not  []string
		wantFitsFR bool
	}{
		{"", translations.English, []string{"CIC Call Centre | 1-888-242-2100", "FIPPA Coordinator", "1-866-214-6820"},
			[]string{"Your school’s DIR", "provincial or territorial"}, false},
		{"dir.beaulieu", translations.English, []string{"Your provincial or territorial representative (Quebec) | Not given by the program. | Register to the Partner Portal",
			"CIC Call Centre | 1-888-242-2100"}, []string{"FIPPA", "Your school’s DIR"}, true},
		{"dir.beaulieu", translations.French, []string{"Votre représentant provincial ou territorial (Québec) | Non fourni par le programme. | Inscription au Portail des partenaires",
			"Télécentre de CIC | 1-888-242-2100"}, nil, true},
		{"dir.lakeview", translations.English, []string{"Your provincial or territorial representative (Ontario) | Not given by the program."}, nil, false},
		{"sig1.beaulieu", translations.English, []string{"Your school’s DIR | Nathalie Dufresne"}, []string{"provincial or territorial"}, false},
		{"student1", translations.English, []string{"Your school’s Designated Institutional Representative (DIR) | Not given by the program."}, []string{"FIPPA"}, false},
		{"program", translations.English, []string{"FIPPA Coordinator", "400 University Ave., 2nd Floor, Toronto ON M7A 2R9", "Employer Portal’s sender of e-mail | Not given", "CIC Call Centre"}, nil, false},
	} {
		if e.Session != nil {
			e.LogOut()
		}
		if c.user != "" {
			signInAs(t, e, c.user, demo.Password)
		}
		e.SetLang(c.lang)
		test.Tap(e.bar.contact)
		got := contactText(e)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q in %s: no %q in\n%s", c.user, c.lang, w, got)
			}
		}
		for _, w := range c.not {
			if strings.Contains(got, w) {
				t.Errorf("%q in %s: %q in\n%s", c.user, c.lang, w, got)
			}
		}
		for _, l := range e.lastContact.lines {
			if l.source == "" || l.label == "" || l.value == "" {
				t.Errorf("%q: a line with nothing to say: %+v", c.user, l)
			}
		}
		if top := e.Window.Canvas().Overlays().Top(); top == nil {
			t.Fatalf("%q: no dialog", c.user)
		} else {
			top.Hide()
			e.Window.Canvas().Overlays().Remove(top)
		}
		if c.wantFitsFR {
			e.SetLang(translations.French)
			fitsScreen(t, e, c.user+"'s screen with Nous joindre in French")
		}
	}
}

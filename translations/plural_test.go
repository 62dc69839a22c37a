package translations

import (
	"strings"
	"testing"
)

// TestPluralForms: a count picks its word's form the language's way —
// English "1 day", "0 days"; French "0 jour", "1 jour", "2 jours" — and
// counts are grouped the local way.
func TestPluralForms(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		days int
		want string
	}{
		{English, 0, "(0 days left)"},
		{English, 1, "(1 day left)"},
		{English, 2, "(2 days left)"},
		{English, 1500, "(1,500 days left)"},
		{French, 0, "(dans 0 jour)"},
		{French, 1, "(dans 1 jour)"},
		{French, 2, "(dans 2 jours)"},
		{French, 1500, "(dans 1\u00a0500 jours)"},
	} {
		got := New(c.lang).T("oinp.deadline.left", "Passport expires", "June 1, 2027", c.days)
		if !strings.HasSuffix(strings.ReplaceAll(got, "\u202f", "\u00a0"), c.want) {
			t.Errorf("%s %d: %q, want …%q", c.lang, c.days, got, c.want)
		}
	}
	if !New(French).Has("print.certificate.p1") || !New(English).Has("print.refusal.p2") {
		t.Error("a message with plural forms is not in the catalog")
	}
}

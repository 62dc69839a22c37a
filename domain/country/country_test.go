package country_test

import (
	"testing"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/country"
)

func TestResolve(t *testing.T) {
	c := assets.Countries()
	for _, tt := range []struct {
		name, typed, want string
		err               domain.Code
	}{
		{"empty is no country", "  ", "", ""},
		{"alpha-2", "ca", "CA", ""},
		{"alpha-3", "CAN", "CA", ""},
		{"English name", "Canada", "CA", ""},
		{"a name once free text", "Nigeria", "NG", ""},
		{"French name", "États-Unis", "US", ""},
		{"French name without accents", "etats unis", "US", ""},
		{"straight apostrophe", "Côte d'Ivoire", "CI", ""},
		{"curly apostrophe", "Côte d’Ivoire", "CI", ""},
		{"English variant", "Ivory Coast", "CI", ""},
		{"points", "U.S.A.", "US", ""},
		{"French short name", "Allemagne", "DE", ""},
		{"ISO's formal name", "Korea, Republic of", "KR", ""},
		{"former name", "Turkey", "TR", ""},
		{"not a country", "Narnia", "", country.ErrUnknown},
		{"not a code", "XX", "", country.ErrUnknown},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Resolve(tt.typed)
			if got != tt.want || domain.ErrorCode(err) != tt.err {
				t.Errorf("Resolve(%q) = %q, %v; want %q, %q", tt.typed, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestName(t *testing.T) {
	c := assets.Countries()
	for _, tt := range []struct{ code, lang, want string }{
		{"CI", "en", "Côte d'Ivoire"},
		{"US", "en", "United States"},
		{"US", "fr-CA", "États-Unis"},
		{"DE", "fr", "Allemagne"},
		{"KR", "fr", "Corée du Sud"},
		{"Narnia", "fr", "Narnia"}, // not a code: shown as it is
	} {
		if got := c.Name(tt.code, tt.lang); got != tt.want {
			t.Errorf("Name(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
}

func TestSearch(t *testing.T) {
	c := assets.Countries()
	for _, tt := range []struct {
		name, query, lang string
		first             string // the first country offered
	}{
		{"English prefix", "ger", "en", "DE"},
		{"French prefix", "all", "fr", "DE"},
		{"French, without accents", "etats", "fr", "US"},
		{"a word inside the name", "ivoire", "fr", "CI"},
		{"the other language's name", "ivory", "fr", "CI"},
		{"a code", "can", "en", "CA"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Search(tt.query, tt.lang)
			if len(got) == 0 || got[0].Code != tt.first {
				t.Fatalf("Search(%q, %q) = %v, want %s first", tt.query, tt.lang, got, tt.first)
			}
		})
	}
	if n := len(c.Search("", "en")); n != len(c.All()) {
		t.Errorf("Search(\"\") lists %d countries, want all %d", n, len(c.All()))
	}
}

func TestParseRefuses(t *testing.T) {
	head := "alpha2,alpha3,english,french,variants\n"
	for _, tt := range []struct{ name, csv string }{
		{"no country", head},
		{"a short code", head + "C,CAN,Canada,Canada,\n"},
		{"a missing column", head + "CA,CAN,Canada\n"},
		{"a name for two countries", head + "CA,CAN,Canada,Canada,\nUS,USA,United States,États-Unis,Canada\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := country.Parse([]byte(tt.csv)); domain.ErrorCode(err) != country.ErrTable {
				t.Errorf("Parse = %v, want %s", err, country.ErrTable)
			}
		})
	}
}

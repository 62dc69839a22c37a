package oinp

import (
	"os"
	"path/filepath"
	"testing"

	"dossier/domain"
	"dossier/domain/country"
)

// shippedCountries are the countries Dossier ships, read from the assets
// folder (the package cannot import dossier/assets, which imports it).
func shippedCountries(t *testing.T) country.Table {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "countries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := country.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestReviewDeadlineByResidence: "You must send a written request for
// internal review by email … within 30 calendar days after receiving notice
// of the original decision if you are a resident in Canada, or within 60
// calendar days after receiving notice of the original decision if you are
// not a resident in Canada." (guide §5.7). The country of residence counts
// once resolved, whatever way it was typed.
func TestReviewDeadlineByResidence(t *testing.T) {
	countries := shippedCountries(t)
	for _, tt := range []struct {
		name, residence string
		inCanada        YesNo
		want            domain.Date
	}{
		{"resident of Canada, by code", "CA", No, date(2027, 3, 31)},
		{"resident of Canada, typed in English", "Canada", No, date(2027, 3, 31)},
		{"resident of Canada, typed by alpha-3", "can", No, date(2027, 3, 31)},
		{"resident of Canada, living in Canada", "", Yes, date(2027, 3, 31)},
		{"resident of Côte d'Ivoire", "Ivory Coast", No, date(2027, 4, 30)},
		{"resident of Viet Nam, by code", "VN", No, date(2027, 4, 30)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &Application{Decision: &Decision{Outcome: "refused", Notified: date(2027, 3, 1)}}
			a.Applicant.Residence, a.Immigration.InCanada = tt.residence, tt.inCanada
			if ps := ResolveCountries(a, countries); len(ps) > 0 {
				t.Fatalf("ResolveCountries: %v", ps[0].Err)
			}
			if got := a.ReviewDeadline(); got != tt.want {
				t.Errorf("ReviewDeadline() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestResolveCountries: every country field reads as its code; a name
// that is no country is refused on its field and keeps its text.
func TestResolveCountries(t *testing.T) {
	countries := shippedCountries(t)
	a := &Application{
		Applicant:  Applicant{Citizenship: "Côte d’Ivoire", Residence: "Narnia"},
		Contact:    Contact{Address: Address{Country: "canada"}},
		Education:  []Education{{Country: "Allemagne"}},
		Work:       []Work{{Country: "CA"}, {Country: "Atlantis"}},
		Activities: []Activity{{Country: "États-Unis"}},
	}
	ps := ResolveCountries(a, countries)
	got := map[string]Tab{}
	for _, p := range ps {
		if p.Err.Code != country.ErrUnknown {
			t.Errorf("%s: code %s, want %s", p.Err.Field, p.Err.Code, country.ErrUnknown)
		}
		got[p.Err.Field] = p.Tab
	}
	want := map[string]Tab{"applicant.countryOfResidence": TabApplicant, "work[1].country": TabWork}
	if len(got) != len(want) || got["applicant.countryOfResidence"] != TabApplicant || got["work[1].country"] != TabWork {
		t.Errorf("problems %v, want %v", got, want)
	}
	for _, c := range []struct{ got, want string }{
		{a.Applicant.Citizenship, "CI"}, {a.Applicant.Residence, "Narnia"}, {a.Contact.Address.Country, "CA"},
		{a.Contact.Mailing.Country, ""}, {a.Education[0].Country, "DE"}, {a.Work[0].Country, "CA"},
		{a.Work[1].Country, "Atlantis"}, {a.Activities[0].Country, "US"},
	} {
		if c.got != c.want {
			t.Errorf("country %q, want %q", c.got, c.want)
		}
	}
}

// TestEveryCountryIsACode: the application keeps ISO 3166-1 alpha-2
// codes; Validate refuses any other text in a country field, and
// CheckCountries a code that is no country's.
func TestEveryCountryIsACode(t *testing.T) {
	countries := shippedCountries(t)
	for _, tt := range []struct {
		name, value   string
		validate, chk bool // an error from Validate, from CheckCountries
	}{
		{"a code", "NG", false, false},
		{"no country", "", false, false},
		{"a name", "Nigeria", true, false},
		{"a code in lower case", "ng", true, false},
		{"a code that is no country's", "XX", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := complete()
			a.Work[0].Country = tt.value
			var validate, chk bool
			for _, p := range Validate(a, submission) {
				validate = validate || p.Err.Field == "work[0].country" && p.Err.Code == country.ErrUnknown && p.Tab == TabWork
			}
			for _, p := range CheckCountries(a, countries) {
				chk = chk || p.Err.Field == "work[0].country" && p.Tab == TabWork
			}
			if validate != tt.validate || chk != tt.chk {
				t.Errorf("Validate refuses it: %v, CheckCountries: %v; want %v, %v", validate, chk, tt.validate, tt.chk)
			}
		})
	}
}

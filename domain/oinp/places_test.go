package oinp

import (
	"errors"
	"strings"
	"testing"

	"dossier/domain"
)

// gtaMunicipalities are the City of Toronto and every lower-tier
// municipality of the four regions. The guide (§1, §4.4): "The GTA is
// defined as the City of Toronto, Durham, Halton, York and Peel Regions."
var gtaMunicipalities = []struct{ region, municipality string }{
	{"Toronto", "Toronto"},
	{"Durham", "Ajax"}, {"Durham", "Brock"}, {"Durham", "Clarington"}, {"Durham", "Oshawa"},
	{"Durham", "Pickering"}, {"Durham", "Scugog"}, {"Durham", "Uxbridge"}, {"Durham", "Whitby"},
	{"Halton", "Burlington"}, {"Halton", "Halton Hills"}, {"Halton", "Milton"}, {"Halton", "Oakville"},
	{"Peel", "Brampton"}, {"Peel", "Caledon"}, {"Peel", "Mississauga"},
	{"York", "Aurora"}, {"York", "East Gwillimbury"}, {"York", "Georgina"}, {"York", "King"},
	{"York", "Markham"}, {"York", "Newmarket"}, {"York", "Richmond Hill"}, {"York", "Vaughan"},
	{"York", "Whitchurch-Stouffville"},
}

// spellings are the ways people write a place, in English and French.
var spellings = []func(string) string{
	func(s string) string { return s },
	strings.ToUpper,
	strings.ToLower,
	func(s string) string { return "  " + s + " " },
	func(s string) string { return "City of " + s },
	func(s string) string { return "Town of " + s },
	func(s string) string { return "Township of " + s },
	func(s string) string { return "The Corporation of the City of " + s },
	func(s string) string { return s + ", ON" },
	func(s string) string { return s + ", Ont." },
	func(s string) string { return s + ", Ontario" },
	func(s string) string { return s + " ON L4T 1A1" },
	func(s string) string { return s + ", ON, Canada" },
	func(s string) string { return s + " (Ontario)" },
	func(s string) string { return "Ville de " + s },
	func(s string) string { return "Canton de " + s },
	func(s string) string { return "Municipalité de " + s },
	func(s string) string { return strings.ReplaceAll(s, "-", " ") },
	func(s string) string { return strings.ReplaceAll(s, " ", "-") },
	func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "-", "") },
}

// TestEveryGTAMunicipalityIsInTheGTA: the City of Toronto and each
// municipality of Durham, Halton, York and Peel, however written, is in
// the GTA, with its region and municipality.
func TestEveryGTAMunicipalityIsInTheGTA(t *testing.T) {
	tb := shippedTables()
	for _, m := range gtaMunicipalities {
		for _, spell := range spellings {
			text := spell(m.municipality)
			r := tb.Resolve(text, "ON")
			if r.InGTA != Yes || r.Region != m.region || r.Municipality != m.municipality {
				t.Errorf("%q: %+v, want in the GTA, %s, %s", text, r, m.region, m.municipality)
			}
			if r2 := tb.Resolve(text, ""); r2.InGTA != Yes {
				t.Errorf("%q with no province: %+v", text, r2)
			}
		}
	}
}

// TestGTARegionsAreInTheGTA: a region named as such, in English or French.
func TestGTARegionsAreInTheGTA(t *testing.T) {
	tb := shippedTables()
	for _, c := range []struct{ text, region string }{
		{"Durham Region", "Durham"}, {"Regional Municipality of Durham", "Durham"}, {"Région de Durham", "Durham"},
		{"Municipalité régionale de Durham", "Durham"}, {"Region of Peel", "Peel"}, {"Peel Region", "Peel"},
		{"Peel", "Peel"}, {"Région de Peel", "Peel"}, {"Halton", "Halton"}, {"Halton Region", "Halton"},
		{"York Region", "York"}, {"Région de York", "York"}, {"City of Toronto", "Toronto"}, {"Ville de Toronto", "Toronto"},
	} {
		if r := tb.Resolve(c.text, "ON"); r.InGTA != Yes || r.Region != c.region {
			t.Errorf("%q: %+v, want in the GTA, %s", c.text, r, c.region)
		}
	}
}

// TestGTACommunitiesBelongToTheirMunicipality: a community inside a GTA
// municipality (DOMAIN.md §6.3: "a community belongs to its
// municipality") is in the GTA, as people write it.
func TestGTACommunitiesBelongToTheirMunicipality(t *testing.T) {
	tb := shippedTables()
	for _, c := range []struct{ text, municipality, region string }{
		{"Etobicoke", "Toronto", "Toronto"}, {"North York", "Toronto", "Toronto"}, {"Northyork", "Toronto", "Toronto"},
		{"Scarborough", "Toronto", "Toronto"}, {"SCARBOROUGH, ON M1P 4N7", "Toronto", "Toronto"},
		{"East York", "Toronto", "Toronto"}, {"East-York", "Toronto", "Toronto"}, {"York", "Toronto", "Toronto"},
		{"Willowdale", "Toronto", "Toronto"}, {"Don Mills", "Toronto", "Toronto"}, {"Rexdale", "Toronto", "Toronto"},
		{"L'Amoreaux", "Toronto", "Toronto"}, {"Lamoreaux", "Toronto", "Toronto"}, {"Downtown Toronto", "Toronto", "Toronto"},
		{"Scarborough (Toronto)", "Toronto", "Toronto"}, {"North York, Toronto, Ontario", "Toronto", "Toronto"},
		{"Bowmanville", "Clarington", "Durham"}, {"Courtice", "Clarington", "Durham"}, {"Port Perry", "Scugog", "Durham"},
		{"Brooklin", "Whitby", "Durham"}, {"Beaverton", "Brock", "Durham"}, {"Claremont", "Pickering", "Durham"},
		{"Georgetown", "Halton Hills", "Halton"}, {"Acton, ON", "Halton Hills", "Halton"}, {"Aldershot", "Burlington", "Halton"},
		{"Bronte", "Oakville", "Halton"}, {"Campbellville", "Milton", "Halton"},
		{"Bramalea", "Brampton", "Peel"}, {"Bramalea, Brampton", "Brampton", "Peel"}, {"Heart Lake", "Brampton", "Peel"},
		{"Streetsville", "Mississauga", "Peel"}, {"Port Credit", "Mississauga", "Peel"}, {"Malton", "Mississauga", "Peel"},
		{"Meadowvale", "Mississauga", "Peel"}, {"Bolton", "Caledon", "Peel"}, {"Caledon East", "Caledon", "Peel"},
		{"Unionville", "Markham", "York"}, {"Unionville, Markham, ON", "Markham", "York"}, {"Cornell", "Markham", "York"},
		{"Thornhill", "Markham", "York"}, {"Woodbridge", "Vaughan", "York"}, {"Maple", "Vaughan", "York"},
		{"Kleinburg", "Vaughan", "York"}, {"Concord", "Vaughan", "York"}, {"Oak Ridges", "Richmond Hill", "York"},
		{"Stouffville", "Whitchurch-Stouffville", "York"}, {"Keswick", "Georgina", "York"},
		{"Jackson's Point", "Georgina", "York"}, {"Jacksons Point", "Georgina", "York"}, {"King City", "King", "York"},
		{"Nobleton", "King", "York"}, {"Holland Landing", "East Gwillimbury", "York"}, {"Mt. Albert", "East Gwillimbury", "York"},
		{"Gwillimbury-Est", "East Gwillimbury", "York"},
	} {
		if r := tb.Resolve(c.text, "ON"); r.InGTA != Yes || r.Municipality != c.municipality || r.Region != c.region {
			t.Errorf("%q: %+v, want in the GTA, %s, %s", c.text, r, c.region, c.municipality)
		}
	}
}

// TestOntarioOutsideTheGTA: a known Ontario place outside the four regions
// and Toronto is outside the GTA, in English or French.
func TestOntarioOutsideTheGTA(t *testing.T) {
	tb := shippedTables()
	for _, text := range []string{
		"Hamilton", "Hamilton, ON", "City of Hamilton", "Ancaster", "Stoney Creek", "Ottawa", "Ville d’Ottawa",
		"Orléans", "Orleans, Ontario", "Kanata", "Guelph", "Kitchener", "Waterloo", "Région de Waterloo", "Cambridge",
		"London, ON", "Windsor", "Barrie", "Simcoe County", "Comté de Simcoe", "Kingston", "Peterborough",
		"Greater Sudbury", "Grand Sudbury", "Sudbury", "Sault Ste. Marie", "Sault-Sainte-Marie", "St. Catharines",
		"Saint Catharines", "Niagara-on-the-Lake", "Niagara on the Lake", "Thunder Bay", "Nipissing Ouest",
		"Hawkesbury", "Clarence-Rockland", "Brantford", "Durham, West Grey",
		"Bradford West Gwillimbury", "Innisfil",
	} {
		if r := tb.Resolve(text, "ON"); r.InGTA != No {
			t.Errorf("%q: %+v, want outside the GTA", text, r)
		}
	}
}

// TestOtherProvincesAreOutsideTheGTA: the GTA is in Ontario.
func TestOtherProvincesAreOutsideTheGTA(t *testing.T) {
	tb := shippedTables()
	for _, c := range []struct{ text, province string }{
		{"Montréal", "QC"}, {"Toronto", "BC"}, {"Vancouver, BC", ""}, {"Gatineau (Québec)", ""}, {"Calgary, Alberta", ""},
	} {
		if r := tb.Resolve(c.text, c.province); r.InGTA != No {
			t.Errorf("%q in %q: %+v, want outside the GTA", c.text, c.province, r)
		}
	}
}

// TestUnknownPlacesAreNeverOutside: a place the tables cannot place, or
// one that names places in and outside the GTA, is not known: the GTA
// criterion and the fee wait for it (DOMAIN.md §6.3: "an unknown place
// makes the criterion unknown, not \"outside\"").
func TestUnknownPlacesAreNeverOutside(t *testing.T) {
	tb := shippedTables()
	for _, c := range []struct{ text, why string }{
		{"", PlaceEmpty}, {"   ", PlaceEmpty},
		{"Springfield", PlaceUnknown}, {"Etobicok", PlaceUnknown}, {"123 Main St", PlaceUnknown},
		{"ON", PlaceUnknown}, {"Vancouver", PlaceUnknown}, {"Torontoo, ON", PlaceUnknown},
		// Durham: the region (GTA), or the community in West Grey.
		{"Durham", PlaceAmbiguous}, {"Durham, ON", PlaceAmbiguous},
		// Mount Pleasant: in Brampton, or in the County of Brant.
		{"Mount Pleasant", PlaceAmbiguous}, {"Toronto, Hamilton", PlaceAmbiguous},
	} {
		r := tb.Resolve(c.text, "ON")
		if r.InGTA != Unanswered || r.Why != c.why {
			t.Errorf("%q: %+v, want unknown (%s)", c.text, r, c.why)
		}
		if c.why == PlaceAmbiguous && len(r.Candidates) < 2 {
			t.Errorf("%q: candidates %+v", c.text, r.Candidates)
		}
		a := eligible()
		a.Employer.Offer.Municipality, a.Employer.Address.City = c.text, c.text
		rep := Evaluate(a, submission, tb)
		if rep.InGTA != Unanswered || rep.FeeCents != 0 || rep.EmployerInGTA != Unanswered {
			t.Errorf("%q: GTA %q, fee %d, employer %q", c.text, rep.InGTA, rep.FeeCents, rep.EmployerInGTA)
		}
		for _, res := range rep.Results {
			if res.Rule == "employer.size" && (res.Outcome != Unknown || res.Field != "employer.address.city") {
				t.Errorf("%q: employer.size %s on %s", c.text, res.Outcome, res.Field)
			}
		}
	}
}

// TestEveryListedPlaceResolves: each place of the shipped table reads as
// its own area, plainly and as an address writes it; only the names the
// table gives to places both in and outside the GTA are ambiguous.
func TestEveryListedPlaceResolves(t *testing.T) {
	tb := shippedTables()
	ambiguous := map[string]bool{"durham": true, "mountpleasant": true}
	for _, p := range tb.places.places {
		key, _, _ := placeKey(p.Name)
		for _, text := range []string{p.Name, p.Name + ", ON", strings.ToUpper(p.Name)} {
			r := tb.Resolve(text, "")
			switch {
			case ambiguous[key]:
				if r.Why != PlaceAmbiguous {
					t.Errorf("%q: %+v, want ambiguous", text, r)
				}
			case (r.InGTA == Yes) != p.InGTA || r.InGTA == Unanswered:
				t.Errorf("%q (%s): %+v", text, p.Label(), r)
			}
		}
	}
}

// TestFeeAndThresholdsFollowThePlaces: the fee follows the work location
// (§4.4: "$2,000 for job offers in the Greater Toronto Area, and $1,500
// for job offers outside of the GTA"); the thresholds follow where the
// employer is located (§2.3.4: "If your employer is located inside of the
// Greater Toronto Area ... A minimum of $1,000,000 ... Five full-time
// employees"; outside "$500,000 ... Three"), the employees counted "at the
// location where the applicant will work".
func TestFeeAndThresholdsFollowThePlaces(t *testing.T) {
	tb := shippedTables()
	tests := []struct {
		name, work, employer string
		revenue              int64
		staff                int
		fee                  int64
		size                 Outcome
		suffix               string
	}{
		{"Toronto, ON, $1,000,000 and 5", "Toronto, ON", "Toronto, ON", 1_000_000_00, 5, FeeGTACents, Pass, ""},
		{"Scarborough employer, $999,999", "Scarborough", "Scarborough", 999_999_00, 5, FeeGTACents, Fail, "revenue-gta"},
		{"City of Mississauga employer, 4 staff", "City of Mississauga", "City of Mississauga", 1_000_000_00, 4, FeeGTACents, Fail, "staff-gta"},
		{"Unionville employer, $600,000", "Unionville", "Unionville, Markham", 600_000_00, 3, FeeGTACents, Fail, "revenue-gta"},
		{"Hamilton, $500,000 and 3", "Hamilton", "Hamilton, Ontario", 500_000_00, 3, FeeOutsideCents, Pass, ""},
		{"Orléans, $499,999", "Orléans", "Orléans", 499_999_00, 3, FeeOutsideCents, Fail, "revenue-outside"},
		{"Ottawa, 2 staff", "Ottawa", "Ottawa", 600_000_00, 2, FeeOutsideCents, Fail, "staff-outside"},
		{"job in Toronto, employer in Hamilton", "Toronto", "Hamilton", 600_000_00, 3, FeeGTACents, Pass, ""},
		{"job in Hamilton, employer in Toronto", "Hamilton", "Toronto", 600_000_00, 3, FeeOutsideCents, Fail, "revenue-gta"},
		{"unknown work location", "Springfield", "Toronto", 1_000_000_00, 5, 0, Pass, ""},
		{"unknown employer city", "Toronto", "Springfield", 1_000_000_00, 5, FeeGTACents, Unknown, "place-unknown"},
		{"employer city in and outside", "Toronto", "Durham", 1_000_000_00, 5, FeeGTACents, Unknown, "place-ambiguous"},
		{"no employer city", "Toronto", "", 1_000_000_00, 5, FeeGTACents, Unknown, "place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := eligible()
			a.Employer.Offer.Municipality, a.Employer.Address.City = tt.work, tt.employer
			a.Employer.RevenueCents, a.Employer.EmployeesLocation = tt.revenue, tt.staff
			rep := Evaluate(a, submission, tb)
			if rep.FeeCents != tt.fee {
				t.Errorf("fee %d, want %d", rep.FeeCents, tt.fee)
			}
			for _, r := range rep.Results {
				if r.Rule != "employer.size" {
					continue
				}
				want := "oinp.rule.employer.size." + string(tt.size)
				if tt.suffix != "" {
					want += "." + tt.suffix
				}
				if r.Outcome != tt.size || r.Key != want {
					t.Errorf("employer.size %s %s, want %s %s", r.Outcome, r.Key, tt.size, want)
				}
			}
		})
	}
}

// TestSubmitAsksForAnUnknownWorkLocation: a file whose work location the
// tables cannot place is not paid for at a guessed fee: the refusal names
// the field and what was written.
func TestSubmitAsksForAnUnknownWorkLocation(t *testing.T) {
	a := registered()
	a.Employer.Offer.Municipality = "Springfield"
	_, err := a.CheckSubmit(submission, shippedTables())
	var e *domain.Error
	if !errors.Is(err, ErrWorkPlace) || !errors.As(err, &e) || e.Field != "employer.offer.municipality" ||
		len(e.Args) != 1 || e.Args[0] != "Springfield" {
		t.Fatalf("got %#v", err)
	}
	a.Employer.Offer.Municipality = "Scarborough, ON"
	if fee, err := a.CheckSubmit(submission, shippedTables()); err != nil || fee != FeeGTACents {
		t.Fatalf("Scarborough: %d %v", fee, err)
	}
}

// TestSuggestPlaces: the places a person picks from as they type, in
// either language's spelling.
func TestSuggestPlaces(t *testing.T) {
	tb := shippedTables()
	for _, c := range []struct {
		typed, want string
	}{
		{"unio", "Unionville (Markham, York)"}, {"SCARB", "Scarborough (Toronto)"},
		{"whitchurch s", "Whitchurch-Stouffville (York)"}, {"grand sud", "Grand Sudbury (Greater Sudbury)"},
		{"orle", "Orléans (Ottawa)"}, {"Ville de Missis", "Mississauga (Peel)"}, {"bramalea", "Bramalea (Brampton, Peel)"},
	} {
		got := tb.Suggest(c.typed, 5)
		var labels []string
		for _, p := range got {
			labels = append(labels, p.Label())
		}
		if len(labels) == 0 || labels[0] != c.want {
			t.Errorf("%q: %q, want %q first", c.typed, labels, c.want)
		}
	}
	for _, typed := range []string{"unionv", "durham", "mount pl", "thornh", "grand sud", "ville de toro"} {
		for _, p := range tb.Suggest(typed, 10) {
			if p.IsRegion() {
				continue
			}
			if r := tb.Resolve(p.Text(), "ON"); r.InGTA == Unanswered || (r.InGTA == Yes) != p.InGTA {
				t.Errorf("%q: picked %q reads %+v", typed, p.Text(), r)
			}
		}
	}
	if got := tb.Suggest("toronto", 5); len(got) == 0 || got[0].IsRegion() || got[0].Text() != "Toronto" {
		t.Errorf("toronto: %+v", got)
	}
	if got := tb.Suggest("m", 5); len(got) != 5 {
		t.Errorf("m: %d suggestions, want 5", len(got))
	}
	if got := tb.Suggest("zzz", 5); len(got) != 0 {
		t.Errorf("zzz: %+v", got)
	}
}

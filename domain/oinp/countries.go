package oinp

import (
	"strings"

	"dossier/domain"
	"dossier/domain/country"
)

// CountryField is a field of the application that holds a country: its
// path ("work[1].country"), its tab, and the value, which is an ISO 3166-1
// alpha-2 code ("CA") once the edge has resolved what was typed.
type CountryField struct {
	Path  string
	Tab   Tab
	Value *string
}

// CountryFields lists the application's country fields, in the order of
// the form.
func CountryFields(a *Application) []CountryField {
	out := []CountryField{
		{"applicant.citizenship", TabApplicant, &a.Applicant.Citizenship},
		{"applicant.countryOfResidence", TabApplicant, &a.Applicant.Residence},
		{"contact.residence.country", TabContact, &a.Contact.Address.Country},
		{"contact.mailing.country", TabContact, &a.Contact.Mailing.Country},
	}
	for i := range a.Education {
		out = append(out, CountryField{item("education", i, "country"), TabEducation, &a.Education[i].Country})
	}
	for i := range a.Work {
		out = append(out, CountryField{item("work", i, "country"), TabWork, &a.Work[i].Country})
	}
	for i := range a.Activities {
		out = append(out, CountryField{item("activities", i, "country"), TabActivities, &a.Activities[i].Country})
	}
	return append(out, CountryField{"employer.address.country", TabEmployerBusiness, &a.Employer.Address.Country})
}

// IsCountryPath reports whether a field's path ("work[1].country",
// "applicant.citizenship") names a country field.
func IsCountryPath(path string) bool {
	return strings.HasSuffix(path, ".country") || path == "applicant.citizenship" || path == "applicant.countryOfResidence"
}

// ResolveCountries replaces each country field's text by the code it
// resolves to (a name typed in an older version, "Canada", becomes "CA")
// and lists the fields that name no country, which keep their text.
func ResolveCountries(a *Application, t country.Table) []Problem {
	var ps []Problem
	for _, f := range CountryFields(a) {
		code, err := t.Resolve(*f.Value)
		if err != nil {
			ps = append(ps, Problem{Tab: f.Tab, Err: domain.FieldError(country.ErrUnknown, f.Path)})
			continue
		}
		*f.Value = code
	}
	return ps
}

// CheckCountries lists the country fields that hold a code of two
// capital letters that is no country's ("XX"): with Validate, which
// refuses any other text, every country field that is not a country.
func CheckCountries(a *Application, t country.Table) []Problem {
	var ps []Problem
	for _, f := range CountryFields(a) {
		if wellFormed(*f.Value) && !t.Known(*f.Value) {
			ps = append(ps, Problem{Tab: f.Tab, Err: domain.FieldError(country.ErrUnknown, f.Path)})
		}
	}
	return ps
}

// countries refuses a country field that is not written as a code
// ("Nigeria"): the application keeps codes only, so that the rules read
// "CA" as Canada whoever wrote the file. Which codes are countries is
// data (CheckCountries).
func (v *validator) countries(a *Application) {
	for _, f := range CountryFields(a) {
		if *f.Value != "" && !wellFormed(*f.Value) {
			v.problems = append(v.problems, Problem{Tab: f.Tab, Err: domain.FieldError(country.ErrUnknown, f.Path)})
		}
	}
}

// wellFormed reports whether s is written as an alpha-2 code.
func wellFormed(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}

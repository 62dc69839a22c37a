package assets

import (
	_ "embed"
	"sync"

	"dossier/domain/country"
)

// CountryList is ISO 3166-1's list of countries with their names in
// English and French (countries.csv names its source).
//
//go:embed countries.csv
var CountryList []byte

var countries = sync.OnceValue(func() country.Table {
	t, err := country.Parse(CountryList)
	if err != nil {
		panic("assets: the shipped list of countries does not parse: " + err.Error())
	}
	return t
})

// Countries are the countries Dossier ships, parsed once, on first use,
// and shared: a Table is never changed once parsed.
func Countries() country.Table { return countries() }

// CountryName is a country's name in a language ("en", "fr", "fr-CA") from
// its alpha-2 code, for the printed documents; a code that names no
// country comes back as it is.
func CountryName(code, lang string) string { return countries().Name(code, lang) }

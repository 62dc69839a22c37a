// Package country is the list of the world's countries (ISO 3166-1) with
// their names in English and French, and the reading of a country a person
// types — "Canada", "CAN", "Côte d'Ivoire", "Ivory Coast" — as its
// alpha-2 code, the only form an application keeps.
package country

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"dossier/domain"
)

// Canada is Canada's alpha-2 code.
const Canada = "CA"

// Country is one country of ISO 3166-1.
type Country struct {
	Code    string // alpha-2, "CI"
	Alpha3  string // "CIV"
	English string
	French  string
	// Variants are other names a person may type ("Ivory Coast").
	Variants []string
}

// Name is the country's name in a language ("fr", "fr-CA": French;
// anything else: English).
func (c Country) Name(lang string) string {
	if strings.HasPrefix(lang, "fr") {
		return c.French
	}
	return c.English
}

// Table is the list of countries, by code and by every name. A Table is
// never changed once parsed, so one may be shared between goroutines.
type Table struct {
	list []Country // in alpha-2 order
	// byKey maps a folded code or name to the country's index in list.
	byKey map[string]int
}

// Codes of the errors of countries.
var (
	// ErrUnknown is a country typed that names no country.
	ErrUnknown = domain.NewCode("country.unknown", domain.KindInvalid)
	// ErrTable is a list of countries that cannot be read; its line is
	// an argument.
	ErrTable = domain.NewCode("country.table", domain.KindInvalid)
)

// Parse reads the list of countries: CSV with a header line and the
// columns alpha2, alpha3, english, french, variants (separated by ";");
// lines starting with # are comments. A name that would read as two
// countries is an error, so that every name resolves to one code.
func Parse(b []byte) (Table, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	r.FieldsPerRecord = 5
	t := Table{byKey: map[string]int{}}
	header := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return Table{}, domain.Wrap(ErrTable, err, line)
		}
		if header {
			header = false
			continue
		}
		c := Country{Code: rec[0], Alpha3: rec[1], English: rec[2], French: rec[3]}
		if rec[4] != "" {
			c.Variants = strings.Split(rec[4], ";")
		}
		if len(c.Code) != 2 || len(c.Alpha3) != 3 || c.English == "" || c.French == "" ||
			strings.ToUpper(c.Code+c.Alpha3) != c.Code+c.Alpha3 {
			return Table{}, domain.Errorf(ErrTable, line)
		}
		t.list = append(t.list, c)
		for _, name := range append([]string{c.Code, c.Alpha3, c.English, c.French}, c.Variants...) {
			k := fold(name)
			if i, ok := t.byKey[k]; ok && i != len(t.list)-1 {
				return Table{}, domain.Errorf(ErrTable, line)
			}
			t.byKey[k] = len(t.list) - 1
		}
	}
	if len(t.list) == 0 {
		return Table{}, domain.Errorf(ErrTable, 0)
	}
	slices.SortFunc(t.list, func(a, b Country) int { return strings.Compare(a.Code, b.Code) })
	for i, c := range t.list {
		for _, name := range append([]string{c.Code, c.Alpha3, c.English, c.French}, c.Variants...) {
			t.byKey[fold(name)] = i
		}
	}
	return t, nil
}

// All lists the countries in alpha-2 order.
func (t Table) All() []Country { return slices.Clone(t.list) }

// Lookup is the country of an alpha-2 code.
func (t Table) Lookup(code string) (Country, bool) {
	i, ok := slices.BinarySearchFunc(t.list, code, func(c Country, code string) int { return strings.Compare(c.Code, code) })
	if !ok {
		return Country{}, false
	}
	return t.list[i], true
}

// Known reports whether code is the alpha-2 code of a country.
func (t Table) Known(code string) bool {
	_, ok := t.Lookup(code)
	return ok
}

// Name is the country's name in a language ("en", "fr", "fr-CA"); a code
// that names no country is returned as it is, so that nothing is hidden.
func (t Table) Name(code, lang string) string {
	if c, ok := t.Lookup(code); ok {
		return c.Name(lang)
	}
	return code
}

// Resolve reads what a person typed as a country — its code (alpha-2 or
// alpha-3) or a name in English or French, in any case, with or without
// accents — and returns its alpha-2 code. Empty text is no country and
// resolves to "". It returns ErrUnknown when the text names no country.
func (t Table) Resolve(typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", nil
	}
	if i, ok := t.byKey[fold(typed)]; ok {
		return t.list[i].Code, nil
	}
	return "", domain.Errorf(ErrUnknown)
}

// Search lists the countries a person may mean while typing query: those
// of which a name, in any language, starts a word with it, or whose code
// it is; the ones whose name in lang starts with it come first, then by
// their name in lang. An empty query lists every country.
func (t Table) Search(query, lang string) []Country {
	q := fold(query)
	type hit struct {
		c     Country
		first bool
	}
	var hits []hit
	for _, c := range t.list {
		name := fold(c.Name(lang))
		switch {
		case q == "" || strings.HasPrefix(name, q):
			hits = append(hits, hit{c, true})
		case q == fold(c.Code) || q == fold(c.Alpha3) || slices.ContainsFunc(names(c), func(n string) bool { return wordPrefix(fold(n), q) }):
			hits = append(hits, hit{c, false})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.first != b.first {
			if a.first {
				return -1
			}
			return 1
		}
		return strings.Compare(fold(a.c.Name(lang)), fold(b.c.Name(lang)))
	})
	out := make([]Country, len(hits))
	for i, h := range hits {
		out[i] = h.c
	}
	return out
}

func names(c Country) []string { return append([]string{c.English, c.French}, c.Variants...) }

// wordPrefix reports whether a word of s (folded) starts with q.
func wordPrefix(s, q string) bool {
	for s != "" {
		if strings.HasPrefix(s, q) {
			return true
		}
		_, s, _ = strings.Cut(s, " ")
	}
	return false
}

// fold is a name as compared: lower case, without accents, with every
// apostrophe, hyphen or run of spaces read as one space, and no points.
func fold(s string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case r == '(' || r == ')' || r == '.':
			continue // "U.S.A." is "USA"
		default: // spaces, apostrophes, hyphens, points, commas
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

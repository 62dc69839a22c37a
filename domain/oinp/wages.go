package oinp

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"

	"dossier/domain"
)

// Wage is the median hourly wage of an occupation in an economic region
// of Ontario (Job Bank's "Explore careers: wages", §2.1.3).
type Wage struct {
	NOC         string
	Region      string
	MedianCents int64
}

// Codes of a wage file refused.
var (
	ErrWagesColumns = domain.NewCode("oinp.wages.columns", domain.KindInvalid)
	ErrWagesRow     = domain.NewCode("oinp.wages.row", domain.KindInvalid)
	ErrWagesEmpty   = domain.NewCode("oinp.wages.empty", domain.KindInvalid)
)

// MaxWagesBytes bounds a wage file (Job Bank's whole table is a few MB).
const MaxWagesBytes = 32 << 20

// ParseWages reads a wage table as CSV: Job Bank's open-data file (its
// columns NOC_CNP, ER_Name_Nom_RE, Prov and Median_Wage_Salaire_Median) or
// any CSV with a header naming a NOC column, a region column and a median
// column (in dollars an hour). Only Ontario rows are kept when there is a
// province column. Rows without a median ("N/A") are skipped; a row whose
// median is not a number is refused with its line.
func ParseWages(b []byte) ([]Wage, error) {
	if len(b) > MaxWagesBytes {
		return nil, domain.Errorf(ErrWagesEmpty)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a BOM from a spreadsheet
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	head, err := r.Read()
	if err != nil {
		return nil, domain.Errorf(ErrWagesColumns)
	}
	col := func(names ...string) int {
		return slices.IndexFunc(head, func(h string) bool {
			h = strings.ToLower(strings.TrimSpace(h))
			return slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(h, n) })
		})
	}
	noc, region, median, prov := col("noc"), col("er_name", "region", "economic region"), col("median"), col("prov")
	if noc < 0 || region < 0 || median < 0 {
		return nil, domain.Errorf(ErrWagesColumns)
	}
	var out []Wage
	for line := 2; ; line++ {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil || max(noc, region, median) >= len(row) {
			return nil, domain.Errorf(ErrWagesRow, line)
		}
		if prov >= 0 && prov < len(row) && !slices.Contains([]string{"ON", "Ontario"}, strings.TrimSpace(row[prov])) {
			continue
		}
		code := strings.TrimPrefix(strings.TrimSpace(row[noc]), "NOC_")
		m := strings.TrimSpace(row[median])
		if m == "" || strings.EqualFold(m, "N/A") || strings.EqualFold(m, "n.d.") {
			continue
		}
		cents, err := dollars(m)
		// A NOC is four digits: four of anything else ("NOC_NOC_" less
		// its prefix) names no occupation, and would not read back.
		if err != nil || len(code) != 4 || strings.Trim(code, "0123456789") != "" {
			return nil, domain.Errorf(ErrWagesRow, line)
		}
		// A region's name is one line, single-spaced: a cell that wraps in
		// the spreadsheet it came from reads as the name it shows.
		out = append(out, Wage{NOC: code, Region: strings.Join(strings.Fields(row[region]), " "), MedianCents: cents})
	}
	if len(out) == 0 {
		return nil, domain.Errorf(ErrWagesEmpty)
	}
	return out, nil
}

// dollars reads "16.00", "$16", "16,50" as cents.
func dollars(s string) (int64, error) {
	s = strings.Trim(strings.TrimSpace(s), "$ ")
	if i := strings.LastIndex(s, ","); i >= 0 && !strings.Contains(s, ".") && len(s)-i-1 <= 2 {
		s = s[:i] + "." + s[i+1:]
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", ""), ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || len(frac) > 2 {
		return 0, errors.New("not an amount")
	}
	var c int64
	for _, d := range whole {
		c = c*10 + int64(d-'0')
		if c > 1e9 {
			return 0, errors.New("too large")
		}
	}
	frac = (frac + "00")[:2]
	return c*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0'), nil
}

// WagesFor lists the medians of one occupation, region by region.
func WagesFor(ws []Wage, noc string) []Wage {
	var out []Wage
	for _, w := range ws {
		if w.NOC == noc {
			out = append(out, w)
		}
	}
	return out
}

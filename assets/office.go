package assets

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
	// The zones documents print in must load on every desk, with or
	// without the system's zone files.
	_ "time/tzdata"
)

// Office is where a program's letters come from: the address on their
// letterhead (in each language), how to reach it, where a reader checks a
// document's code, and the time zone every date it prints is in.
type Office struct {
	Source   string              `json:"source"`
	TimeZone string              `json:"timeZone"`
	Phone    string              `json:"phone"`
	Email    string              `json:"email"`
	VerifyAt string              `json:"verifyAt"`
	Address  map[string][]string `json:"address"`
	// Zone is TimeZone loaded.
	Zone *time.Location `json:"-"`
}

// AddressIn is the office's address in lang ("en" or "fr"), English
// when it has none in that language.
func (o Office) AddressIn(lang string) []string {
	if a, ok := o.Address[lang]; ok {
		return a
	}
	return o.Address["en"]
}

//go:embed oinp/office.json
var oinpOffice []byte

//go:embed ocwpp/office.json
var ocwppOffice []byte

//go:embed zones/provinces.csv
var provinceZones []byte

var (
	oinpOfficeOnce  = sync.OnceValue(func() Office { return mustOffice("oinp/office.json", oinpOffice) })
	ocwppOfficeOnce = sync.OnceValue(func() Office { return mustOffice("ocwpp/office.json", ocwppOffice) })
)

func mustOffice(name string, b []byte) Office {
	o, err := ParseOffice(b)
	if err != nil {
		panic(fmt.Sprintf("assets: %s: %v", name, err))
	}
	return o
}

// OINPOffice is the Ontario Immigrant Nominee Program's office, from
// oinp/office.json.
func OINPOffice() Office { return oinpOfficeOnce() }

// OCWPPOffice is the Off-Campus Work Permit Program's, from
// ocwpp/office.json: where its documents' codes are checked (the schools
// issue them, each in its own zone, and print no letterhead).
func OCWPPOffice() Office { return ocwppOfficeOnce() }

// ParseOffice reads an office file; its time zone must load.
func ParseOffice(b []byte) (Office, error) {
	var o Office
	if err := json.Unmarshal(b, &o); err != nil {
		return o, err
	}
	zone, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return o, err
	}
	if o.VerifyAt == "" {
		return o, fmt.Errorf("no address to check codes at")
	}
	o.Zone = zone
	return o, nil
}

var zonesOnce = sync.OnceValue(func() map[string]*time.Location {
	r := csv.NewReader(strings.NewReader(string(provinceZones)))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("assets: zones/provinces.csv: %v", err))
	}
	out := map[string]*time.Location{}
	for _, row := range rows[1:] {
		zone, err := time.LoadLocation(row[1])
		if err != nil {
			panic(fmt.Sprintf("assets: zones/provinces.csv: %s: %v", row[0], err))
		}
		out[row[0]] = zone
	}
	return out
})

// Zone is the time zone a school's documents print their dates in: the
// one it names when it names one that loads, else its province's (from
// zones/provinces.csv), else the OINP office's (Toronto).
func Zone(name, province string) *time.Location {
	if name != "" {
		if z, err := time.LoadLocation(name); err == nil {
			return z
		}
	}
	if z, ok := zonesOnce()[strings.ToUpper(province)]; ok {
		return z
	}
	return OINPOffice().Zone
}

package oinp

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"

	"dossier/domain"
)

// Tables are the policy data the rules read that a coordinator updates:
// the yearly settlement-funds chart and the GTA's municipalities. The
// domain does not load them: ParseTables reads them, and the edge passes
// them in (the ones Dossier ships are assets.OINPTables). A Tables is
// never changed once parsed, so one may be shared between goroutines.
type Tables struct {
	// FundsYear is the year of the settlement-funds chart.
	FundsYear int
	// funds[i] is what a family of i+1 needs, in cents; additional is
	// what each member beyond the chart adds.
	funds      []int64
	additional int64
	// places are Ontario's places, and which are in the GTA.
	places *placeIndex
}

// ErrTable is a policy table that cannot be read; its line is an argument.
var ErrTable = domain.NewCode("oinp.table", domain.KindInvalid)

// ParseTables reads the settlement-funds chart (CSV: a "year" line, then
// "members,dollars" from 1 up, then "each additional,dollars") and
// Ontario's places (regions in and outside the GTA, their municipalities
// and communities: the format is in assets/oinp/ontario-places.txt).
// Lines starting with # are comments.
func ParseTables(funds, places []byte) (Tables, error) {
	var t Tables
	err := eachLine(funds, func(n int, line string) error {
		key, value, ok := strings.Cut(line, ",")
		amount, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
		if !ok || err != nil || amount <= 0 {
			return domain.Errorf(ErrTable, "settlement-funds", n)
		}
		switch key = strings.TrimSpace(key); key {
		case "year":
			t.FundsYear = int(amount)
		case "each additional":
			t.additional = amount * 100
		default:
			members, err := strconv.Atoi(key)
			if err != nil || members != len(t.funds)+1 {
				return domain.Errorf(ErrTable, "settlement-funds", n)
			}
			t.funds = append(t.funds, amount*100)
		}
		return nil
	})
	if err != nil {
		return Tables{}, err
	}
	if t.FundsYear == 0 || len(t.funds) == 0 || t.additional == 0 {
		return Tables{}, domain.Errorf(ErrTable, "settlement-funds", 0)
	}
	if t.places, err = parsePlaces(places); err != nil {
		return Tables{}, err
	}
	return t, nil
}

func eachLine(b []byte, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(n, line); err != nil {
			return err
		}
	}
	return nil
}

// FundsRequired is what a family of members people needs, in cents.
func (t Tables) FundsRequired(members int) int64 {
	if members < 1 {
		members = 1
	}
	if members <= len(t.funds) {
		return t.funds[members-1]
	}
	return t.funds[len(t.funds)-1] + int64(members-len(t.funds))*t.additional
}

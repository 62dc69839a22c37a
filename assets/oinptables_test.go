package assets

import (
	"testing"

	"dossier/domain/oinp"
)

// TestOINPTables: the shipped tables parse, hold a chart and the GTA, and
// are parsed once (the second call shares the first one's table).
func TestOINPTables(t *testing.T) {
	a := OINPTables()
	if a.FundsYear == 0 || a.FundsRequired(1) <= 0 || a.FundsRequired(9) <= a.FundsRequired(1) {
		t.Fatalf("settlement funds: year %d, %d for one, %d for nine", a.FundsYear, a.FundsRequired(1), a.FundsRequired(9))
	}
	if r := a.Resolve("Mississauga", "ON"); r.InGTA != oinp.Yes || r.Region != "Peel" {
		t.Fatalf("Mississauga: %+v", r)
	}
	if _, err := oinp.ParseTables(SettlementFunds, OntarioPlaces); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(10, func() { _ = OINPTables() }); n != 0 {
		t.Fatalf("OINPTables parses again: %v allocations a call", n)
	}
}

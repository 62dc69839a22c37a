package assets

import (
	"sync"

	"dossier/domain/oinp"
)

var oinpTables = sync.OnceValue(func() oinp.Tables {
	t, err := oinp.ParseTables(SettlementFunds, OntarioPlaces)
	if err != nil {
		panic("assets: the shipped OINP tables do not parse: " + err.Error())
	}
	return t
})

// OINPTables are the OINP policy tables Dossier ships (oinp/), parsed
// once, on first use, and shared: a Tables is never changed once parsed.
func OINPTables() oinp.Tables { return oinpTables() }

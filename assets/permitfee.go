package assets

import (
	_ "embed"
	"sync"

	"dossier/domain/permit"
)

// permitFee is the Off-Campus Work Permit's fee, with its source.
//
//go:embed ocwpp/fee.json
var permitFee []byte

var permitFeeOnce = sync.OnceValue(func() permit.Fee {
	f, err := permit.ParseFee(permitFee)
	if err != nil {
		panic("assets: the shipped work permit fee does not parse: " + err.Error())
	}
	return f
})

// PermitFee is the fee of an Off-Campus Work Permit application, from
// ocwpp/fee.json.
func PermitFee() permit.Fee { return permitFeeOnce() }

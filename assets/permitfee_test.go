package assets

import "testing"

// TestPermitFee: the shipped fee parses, names its source, and is IRCC's
// work permit fee.
func TestPermitFee(t *testing.T) {
	if f := PermitFee(); f.Cents != 15500 || f.Source == "" {
		t.Fatalf("fee %+v", f)
	}
}

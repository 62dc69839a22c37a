package oinp

import "testing"

// BenchmarkCheckForErrors is Check for Errors on a full application: every
// tab's problems and every rule (target < 50 ms).
func BenchmarkCheckForErrors(b *testing.B) {
	a := complete()
	tables := shippedTables()
	for b.Loop() {
		Validate(a, submission)
		Evaluate(a, submission, tables)
	}
}

package oinp

// RuleBoundaryResults are the results TestRuleBoundaries checks, one a
// boundary, for the external test package's catalog test.
func RuleBoundaryResults() []Result {
	var out []Result
	for _, c := range ruleBoundaries() {
		if r, ok := c.result(); ok {
			out = append(out, r)
		}
	}
	return out
}

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

// FieldsToFix maps every explanation a rule may give, but a pass, to the
// field the Summary leads to, for the catalog test (each field has a
// label).
func FieldsToFix() map[string]string {
	out := map[string]string{}
	for _, r := range rules {
		for _, says := range ruleSays[r.id] {
			if says != "pass" {
				out["oinp.rule."+r.id+"."+says] = r.fieldFor(says)
			}
		}
	}
	return out
}

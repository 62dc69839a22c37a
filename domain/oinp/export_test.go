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
// field the Summary leads to on an empty application, and adds every
// question a rule not yet known may lead to, for the catalog test (each
// field has a label).
func FieldsToFix() map[string]string {
	out := map[string]string{}
	for _, r := range rules {
		for _, says := range ruleSays[r.id] {
			if says != "pass" {
				out["oinp.rule."+r.id+"."+says] = r.fieldFor(&Application{}, says)
			}
		}
	}
	foreign := &Application{Education: []Education{{Level: "secondary", Country: "VN", Completed: submission}}}
	for id, ask := range questions {
		for _, q := range ask(foreign) {
			out["oinp.rule."+id+".unknown asks "+q.field] = q.field
		}
	}
	return out
}

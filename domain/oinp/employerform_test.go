package oinp

import "testing"

func TestEmployerRules(t *testing.T) {
	f := complete().Employer
	rep := EmployerRules(f, submission, shippedTables())
	for _, r := range rep.Results {
		if r.Outcome != Pass {
			t.Errorf("%s: %s", r.Rule, r.Key)
		}
		if r.Rule == "employer.recruitment" || r.Rule == "applicant.experience" {
			t.Errorf("%s judged on the employer's form", r.Rule)
		}
	}
	if len(rep.Results) != 12 || rep.InGTA != Yes {
		t.Fatalf("%d rules, GTA %q", len(rep.Results), rep.InGTA)
	}
	f.EmployeesLocation = 4
	found := false
	for _, r := range EmployerRules(f, submission, shippedTables()).Results {
		found = found || r.Rule == "employer.size" && r.Outcome == Fail
	}
	if !found {
		t.Fatal("4 employees in the GTA pass on the employer's own check")
	}
	if ps := EmployerFormProblems(complete().Employer, submission); len(ps) != 0 {
		t.Fatalf("a complete form has problems: %+v", ps)
	}
}

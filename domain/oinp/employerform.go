package oinp

import (
	"strings"

	"dossier/domain"
)

// EmployerRules judges an Employer Form by itself, with the same rules the
// applicant's file is judged by (§2.1 and §2.3): the offer and the
// employer's own criteria, on a day. The rules that need the applicant
// (experience, language, recruitment…) are left out.
func EmployerRules(f EmployerForm, on domain.Date, t Tables) EligibilityReport {
	rep := Evaluate(&Application{Employer: f}, on, t)
	keep := rep.Results[:0]
	for _, r := range rep.Results {
		if (strings.HasPrefix(r.Rule, "offer.") || strings.HasPrefix(r.Rule, "employer.")) && r.Rule != "employer.recruitment" {
			keep = append(keep, r)
		}
	}
	rep.Results = keep
	return rep
}

// EmployerFormProblems lists what is missing or wrong in an Employer Form
// (its three tabs' part of Check for Errors).
func EmployerFormProblems(f EmployerForm, on domain.Date) []Problem {
	v := &validator{on: on}
	v.employer(f)
	return v.problems
}

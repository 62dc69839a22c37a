package oinp

import "strings"

// fieldsToFix names, for each rule, the field a person fixes for an
// explanation (the key suffix after "oinp.rule.ID.") when it is another
// than the rule's own field: too few employees are fixed at the employees,
// not the revenue; a seasonal offer at the seasonal question, not the
// hours.
var fieldsToFix = map[string]map[string]string{
	"offer.full-time": {
		"fail.part-time":  "employer.offer.fullTime",
		"fail.temporary":  "employer.offer.indeterminate",
		"fail.seasonal":   "employer.offer.seasonal",
		"fail.agency":     "employer.offer.agencyOrSubcontract",
		"fail.hours-year": "employer.offer.hoursPerYear",
	},
	"offer.restrictions": {
		"fail.equity":       "employer.offer.equityAsPay",
		"fail.equity-share": "employer.offer.equityPercent",
	},
	"applicant.experience": {
		"unknown.noc": "employer.offer.noc",
	},
	"applicant.education": {
		"fail.eca-missing": "eca.body",
		"fail.eca-body":    "eca.body",
		"fail.eca-old":     "eca.issued",
		"fail.eca-level":   "eca.secondaryOrAbove",
	},
	"applicant.status": {
		"fail.refugee": "immigration.refugeeClaimant",
		"fail.none":    "immigration.status",
		"fail.expired": "immigration.statusExpires",
	},
	"offer.letter": {
		"fail.unsigned-applicant": "employer.offer.letterSignedByApplicant",
		"fail.unsigned-employer":  "employer.offer.letterSignedByEmployer",
		"fail.ongoing":            "employer.offer.ongoingEmploymentLetter",
		"unknown.ongoing":         "employer.offer.ongoingEmploymentLetter",
	},
	"offer.necessary": {
		"fail.needed": "employer.offer.neededForActivity",
	},
	"employer.size": {
		// §2.3.4: the thresholds follow where the employer is located,
		// the city of its address (places.go).
		"unknown.place":           "employer.address.city",
		"unknown.place-unknown":   "employer.address.city",
		"unknown.place-ambiguous": "employer.address.city",
		// §2.3.4: "in its most recently completed fiscal year".
		"unknown.fiscal-year": "employer.fiscalYearEnd",
		"fail.fiscal-open":    "employer.fiscalYearEnd",
		"fail.fiscal-old":     "employer.fiscalYearEnd",
		"fail.staff-gta":      "employer.employeesAtLocation",
		"fail.staff-outside":  "employer.employeesAtLocation",
	},
}

// questions lists, for a rule that may be not yet known, its questions in
// the order they are asked: a rule not yet known leads to the first still
// unanswered (or to its own field when none is), so the Summary's line
// leads to the question to answer.
var questions = map[string]func(a *Application) []question{
	"offer.full-time": func(a *Application) []question {
		o := a.Employer.Offer
		return []question{
			{o.FullTime == Unanswered, "employer.offer.fullTime"},
			{o.Permanent == Unanswered, "employer.offer.indeterminate"},
			{o.Seasonal == Unanswered, "employer.offer.seasonal"},
			{o.Agency == Unanswered, "employer.offer.agencyOrSubcontract"},
			{o.HoursPerWeek == 0, "employer.offer.hoursPerWeek"},
			{o.HoursPerYear == 0, "employer.offer.hoursPerYear"}}
	},
	"offer.wage": func(a *Application) []question {
		o := a.Employer.Offer
		return []question{
			{o.WageCents <= 0, "employer.offer.hourlyWageCents"},
			{o.MedianCents <= 0, "employer.offer.medianWageCents"}}
	},
	"offer.restrictions": func(a *Application) []question {
		o := a.Employer.Offer
		return []question{
			{o.LabourDispute == Unanswered, "employer.offer.labourDispute"},
			{o.EquityAsPay == Unanswered, "employer.offer.equityAsPay"}}
	},
	"applicant.licence": func(a *Application) []question {
		return []question{{a.Employer.Offer.LicenceNeeded == Unanswered, "employer.offer.licenceNeeded"}}
	},
	"applicant.education": func(a *Application) []question {
		for _, e := range a.Education {
			if e.Level != "" && !e.Completed.IsZero() && !e.Canadian() {
				// Foreign studies, completed: the ECA is what is missing.
				return []question{{a.ECA.Secondary == Unanswered, "eca.secondaryOrAbove"}}
			}
		}
		return nil
	},
	"applicant.funds": func(a *Application) []question {
		return []question{
			{a.Funds.AvailableCents == 0, "funds.availableCents"},
			{a.Funds.ClaimIncome == Unanswered, "funds.claimIncome"}}
	},
	"applicant.intent": func(a *Application) []question {
		return []question{
			{strings.TrimSpace(a.Intent.SignedName) == "", "intent.signedName"},
			{a.Intent.Signed.IsZero(), "intent.signed"}}
	},
	"applicant.status": func(a *Application) []question {
		im := a.Immigration
		return []question{
			{im.InCanada == Unanswered, "immigration.inCanada"},
			{im.Status == "", "immigration.status"},
			{im.StatusExpires.IsZero(), "immigration.statusExpires"}}
	},
	"employer.recruitment": func(a *Application) []question {
		return []question{{a.Immigration.WorkInOntario == Unanswered, "immigration.authorisedToWorkInOntario"}}
	},
}

// question is a field and whether it is still unanswered.
type question struct {
	unanswered bool
	field      string
}

// fieldFor is the field a person fixes when the rule gives the explanation
// says (the key suffix after "oinp.rule.ID.") on application a.
func (r rule) fieldFor(a *Application, says string) string {
	if f, ok := fieldsToFix[r.id][says]; ok {
		return f
	}
	if strings.HasPrefix(says, string(Unknown)) {
		if ask, ok := questions[r.id]; ok {
			for _, q := range ask(a) {
				if q.unanswered {
					return q.field
				}
			}
		}
	}
	return r.field
}

package oinp

import (
	"slices"
	"strconv"

	"dossier/domain"
)

// Agreement is one person's agreement to a schedule (Appendix 5): the
// schedule's letter, who (0 the applicant, n the family member n), the
// full name they typed and the day.
type Agreement struct {
	Schedule string      `json:"schedule"`
	Person   int         `json:"person,omitempty"`
	Name     string      `json:"name"`
	Agreed   domain.Date `json:"agreed"`
}

// Schedules are the letters of Schedules A to D.
var Schedules = []string{"A", "B", "C", "D"}

// DependantSigningAge is the age from which a family member agrees to
// Schedules B and D.
const DependantSigningAge = 16

// ScheduleDue is a schedule a person must agree to.
type ScheduleDue struct {
	Schedule string
	Person   int
}

// SchedulesDue lists who agrees to what (§4.2.18): the applicant to A, B
// and C; "your accompanying spouse or common-law partner and any
// accompanying dependents (aged 16 and over) must also read and sign
// Schedules B and D" — the spouse or partner, and each family member 16
// or older on the day judged, unless marked not accompanying (a member
// not yet answered for is asked, in case they come).
func SchedulesDue(a *Application, on domain.Date) []ScheduleDue {
	out := []ScheduleDue{{"A", 0}, {"B", 0}, {"C", 0}}
	for i, m := range a.Family {
		adult := m.Relationship == "spouse" || m.Relationship == "partner" ||
			!m.BirthDate.IsZero() && age(m.BirthDate, on) >= DependantSigningAge
		if adult && m.Accompanying != No {
			out = append(out, ScheduleDue{"B", i + 1}, ScheduleDue{"D", i + 1})
		}
	}
	return out
}

// Codes of the schedules' problems.
var ErrAgreement = domain.NewCode("oinp.agreement", domain.KindInvalid)

// AgreementField is the path of one person's agreement to a schedule
// ("schedules.A", "schedules.B.2").
func AgreementField(schedule string, person int) string {
	if person > 0 {
		return "schedules." + schedule + "." + strconv.Itoa(person)
	}
	return "schedules." + schedule
}

// PersonName is the full name of the applicant (0) or of a family member.
func PersonName(a *Application, person int) string {
	if person == 0 {
		return a.Applicant.GivenNames + " " + a.Applicant.FamilyName
	}
	if person <= len(a.Family) {
		m := a.Family[person-1]
		return m.GivenNames + " " + m.FamilyName
	}
	return ""
}

// MissingAgreements lists each schedule someone has still to agree to, or
// agreed to under a name that is not theirs.
func MissingAgreements(a *Application, on domain.Date) []Problem {
	var out []Problem
	for _, d := range SchedulesDue(a, on) {
		i := slices.IndexFunc(a.Agreements, func(x Agreement) bool { return x.Schedule == d.Schedule && x.Person == d.Person })
		field := AgreementField(d.Schedule, d.Person)
		switch {
		case i < 0 || a.Agreements[i].Agreed.IsZero():
			out = append(out, Problem{Tab: TabSchedules, Err: domain.FieldError(ErrAgreement, field, d.Schedule)})
		case domain.FoldName(a.Agreements[i].Name) != domain.FoldName(PersonName(a, d.Person)):
			out = append(out, Problem{Tab: TabSchedules, Err: domain.FieldError(ErrSignature, field)})
		}
	}
	return out
}

package ens

import (
	"time"

	"dossier/domain"
)

// The OCWPP self-assessment: before asking the school to verify, a student
// answers a short questionnaire and reads, for each criterion the DIR
// confirms on Verify (Criteria) and for the study permit the work permit
// rests on, whether they meet it, do not, or cannot tell yet, with the
// source's wording of why. It is judged on the desk, offline; nothing of it
// is sent anywhere.

// Answer is a self-assessment question's answer: yes, no or not sure;
// the zero value is a question not answered yet, which the verdict reads
// as not sure but the questionnaire shows unticked.
type Answer string

// The answers.
const (
	Unanswered Answer = ""
	NotSure    Answer = "unsure"
	Yes        Answer = "yes"
	No         Answer = "no"
)

// Answers lists the answers in the order the questionnaire offers them.
var Answers = []Answer{Yes, No, NotSure}

// SelfAssessment is what the student answered. Dates are zero when not
// given.
type SelfAssessment struct {
	// StudyPermit: holds a valid study permit; StudyPermitExpires is the
	// day printed on it.
	StudyPermit        Answer      `json:"studyPermit,omitempty"`
	StudyPermitExpires domain.Date `json:"studyPermitExpires,omitzero"`
	// Participating: the school takes part in the OCWPP.
	Participating Answer `json:"participating,omitempty"`
	// FullTime: studies full time now; FullTimeSince is the first day of
	// the full-time studies that still go on (scheduled breaks do not
	// interrupt them).
	FullTime      Answer      `json:"fullTime,omitempty"`
	FullTimeSince domain.Date `json:"fullTimeSince,omitzero"`
	Standing      Answer      `json:"standing,omitempty"`
	Exchange      Answer      `json:"exchange,omitempty"`
	Scholarship   Answer      `json:"scholarship,omitempty"`
	LanguageOnly  Answer      `json:"languageOnly,omitempty"`
	// School is the school the student would ask to verify (its ID in
	// the schools' registry), when chosen: it prefills the request.
	School domain.ID `json:"school,omitzero"`
}

// StudyPermitRule is the self-assessment's name of the criterion the DIR
// does not check: the study permit (public CIC guidance, 2009: the
// program is for students who hold a valid study permit).
const StudyPermitRule = "study-permit"

// SixOfTwelveMonths is how long the student must have studied full time
// before the request (public CIC guidance, 2009: "full-time for at least
// 6 of the 12 months before the request").
const SixOfTwelveMonths = 6

// AssessmentResult is one criterion's verdict: its ID (a Criterion's Code,
// or StudyPermitRule), Met, NotMet or Unchecked (cannot tell yet), and the
// explanation's catalog key and arguments.
type AssessmentResult struct {
	Rule    string
	Verdict Check
	Key     string
	Args    []any
}

// Title is the catalog key of the criterion's wording: the DIR's checklist
// line for the criteria of Verify.
func (r AssessmentResult) Title() string {
	if r.Rule == StudyPermitRule {
		return "ens.assess.rule." + StudyPermitRule
	}
	return "ens.criterion." + r.Rule
}

// MarkKey is the catalog key of the verdict's mark and word (✓ Met…).
func (r AssessmentResult) MarkKey() string {
	return [...]string{Unchecked: "ens.assess.check.0", Met: "ens.assess.check.1", NotMet: "ens.assess.check.2"}[r.Verdict]
}

// Assessment is every criterion's verdict and the overall one.
type Assessment struct {
	On      domain.Date
	Results []AssessmentResult
}

// Verdict is NotMet when a criterion is not met, else Unchecked when one
// cannot be told, else Met.
func (a Assessment) Verdict() Check {
	v := Met
	for _, r := range a.Results {
		switch r.Verdict {
		case NotMet:
			return NotMet
		case Unchecked:
			v = Unchecked
		}
	}
	return v
}

// VerdictKey is the catalog key of the overall verdict's sentence.
func (a Assessment) VerdictKey() string {
	switch a.Verdict() {
	case Met:
		return "ens.assess.verdict.met"
	case NotMet:
		return "ens.assess.verdict.not-met"
	}
	return "ens.assess.verdict.cannot-tell"
}

// Assess judges the answers on day on (the desk's today): the study permit
// first, then the criteria of Verify in the DIR's order.
func Assess(s SelfAssessment, on domain.Date) Assessment {
	out := Assessment{On: on}
	add := func(rule string, v Check, why string, args ...any) {
		out.Results = append(out.Results, AssessmentResult{Rule: rule, Verdict: v,
			Key: "ens.assess." + rule + "." + why, Args: args})
	}
	switch exp := s.StudyPermitExpires; {
	case s.StudyPermit == No:
		add(StudyPermitRule, NotMet, "none")
	case s.StudyPermit == Yes && !exp.IsZero() && exp.Before(on):
		add(StudyPermitRule, NotMet, "expired", exp)
	case s.StudyPermit == Yes && !exp.IsZero():
		add(StudyPermitRule, Met, "met", exp)
	case s.StudyPermit == Yes:
		add(StudyPermitRule, Unchecked, "date")
	default:
		add(StudyPermitRule, Unchecked, "unsure")
	}
	ft := FullTimeStudent.Code()
	switch {
	case s.Participating == No:
		add(ft, NotMet, "school")
	case s.FullTime == No:
		add(ft, NotMet, "part-time")
	case s.Participating == Yes && s.FullTime == Yes:
		add(ft, Met, "met")
	case s.Participating != Yes: // not sure, or not answered
		add(ft, Unchecked, "school-unsure")
	default:
		add(ft, Unchecked, "unsure")
	}
	six := FullTimeSixOfTwelve.Code()
	since := s.FullTimeSince
	enough := addMonths(since, SixOfTwelveMonths)
	switch {
	case s.FullTime == No:
		add(six, NotMet, "part-time")
	case since.IsZero():
		add(six, Unchecked, "date")
	case on.Before(enough):
		add(six, NotMet, "short", since, enough)
	default:
		add(six, Met, "met", since)
	}
	for _, q := range []struct {
		c Criterion
		a Answer
	}{{AcademicStanding, s.Standing}, {NotExchange, not(s.Exchange)},
		{NotScholarship, not(s.Scholarship)}, {NotLanguageOnly, not(s.LanguageOnly)}} {
		v, why := yesMeets(q.a)
		add(q.c.Code(), v, why)
	}
	return out
}

// yesMeets is the verdict of a criterion met by a yes.
func yesMeets(a Answer) (Check, string) {
	switch a {
	case Yes:
		return Met, "met"
	case No:
		return NotMet, "not-met"
	}
	return Unchecked, "unsure"
}

// not turns a question asked the other way round ("are you an exchange
// student?") into the criterion's ("not an exchange student").
func not(a Answer) Answer {
	switch a {
	case Yes:
		return No
	case No:
		return Yes
	}
	return NotSure
}

// addMonths is the same day n months later, or the month's last day when
// it has no such day (31 August + 6 months is 28 or 29 February).
func addMonths(d domain.Date, n int) domain.Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return domain.Date{Year: first.Year(), Month: first.Month(), Day: min(d.Day, last)}
}

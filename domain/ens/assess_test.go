package ens

import (
	"testing"

	"dossier/domain"
)

// on is the day the tests judge on; every date is built from it.
var assessOn = domain.Date{Year: 2026, Month: 3, Day: 15}

// allYes meets every criterion.
func allYes() SelfAssessment {
	return SelfAssessment{StudyPermit: Yes, StudyPermitExpires: assessOn.AddYears(1), Participating: Yes,
		FullTime: Yes, FullTimeSince: assessOn.AddYears(-1), Standing: Yes, Exchange: No, Scholarship: No, LanguageOnly: No}
}

func resultOf(t *testing.T, a Assessment, rule string) AssessmentResult {
	t.Helper()
	for _, r := range a.Results {
		if r.Rule == rule {
			return r
		}
	}
	t.Fatalf("no result for %s", rule)
	return AssessmentResult{}
}

// TestSelfAssessmentCriteria: one case per criterion and answer, each
// named by the sentence of the source it applies (public CIC guidance,
// 2009, as DOMAIN.md §3 quotes it; the glossary's "the student meets the
// initial eligibility requirements").
func TestSelfAssessmentCriteria(t *testing.T) {
	tests := []struct {
		source string
		rule   string
		change func(*SelfAssessment)
		want   Check
		key    string
	}{
		{"the program is for students who hold a valid study permit", StudyPermitRule,
			func(s *SelfAssessment) {}, Met, "ens.assess.study-permit.met"},
		{"a valid study permit: none held", StudyPermitRule,
			func(s *SelfAssessment) { s.StudyPermit = No }, NotMet, "ens.assess.study-permit.none"},
		{"a valid study permit: expired the day before", StudyPermitRule,
			func(s *SelfAssessment) { s.StudyPermitExpires = assessOn.AddDays(-1) }, NotMet, "ens.assess.study-permit.expired"},
		{"a valid study permit: expires today, still valid", StudyPermitRule,
			func(s *SelfAssessment) { s.StudyPermitExpires = assessOn }, Met, "ens.assess.study-permit.met"},
		{"a valid study permit: held, no date given", StudyPermitRule,
			func(s *SelfAssessment) { s.StudyPermitExpires = domain.Date{} }, Unchecked, "ens.assess.study-permit.date"},
		{"a valid study permit: not sure", StudyPermitRule,
			func(s *SelfAssessment) { s.StudyPermit = NotSure }, Unchecked, "ens.assess.study-permit.unsure"},

		{"full-time student at a participating school", "full-time",
			func(s *SelfAssessment) {}, Met, "ens.assess.full-time.met"},
		{"at a participating school: the school does not take part", "full-time",
			func(s *SelfAssessment) { s.Participating = No }, NotMet, "ens.assess.full-time.school"},
		{"full-time student: studies part time", "full-time",
			func(s *SelfAssessment) { s.FullTime = No }, NotMet, "ens.assess.full-time.part-time"},
		{"at a participating school: not sure", "full-time",
			func(s *SelfAssessment) { s.Participating = NotSure }, Unchecked, "ens.assess.full-time.school-unsure"},
		{"full-time student: not sure", "full-time",
			func(s *SelfAssessment) { s.FullTime = NotSure }, Unchecked, "ens.assess.full-time.unsure"},

		{"full-time for at least 6 of the 12 months before the request: exactly 6 months", "six-of-twelve",
			func(s *SelfAssessment) { s.FullTimeSince = domain.Date{Year: 2025, Month: 9, Day: 15} }, Met, "ens.assess.six-of-twelve.met"},
		{"full-time for at least 6 of the 12 months: one day short", "six-of-twelve",
			func(s *SelfAssessment) { s.FullTimeSince = domain.Date{Year: 2025, Month: 9, Day: 16} }, NotMet, "ens.assess.six-of-twelve.short"},
		{"full-time for at least 6 of the 12 months: 31 August + 6 months is 28 February", "six-of-twelve",
			func(s *SelfAssessment) { s.FullTimeSince = domain.Date{Year: 2025, Month: 8, Day: 31} }, Met, "ens.assess.six-of-twelve.met"},
		{"full-time for at least 6 of the 12 months: no date", "six-of-twelve",
			func(s *SelfAssessment) { s.FullTimeSince = domain.Date{} }, Unchecked, "ens.assess.six-of-twelve.date"},
		{"full-time for at least 6 of the 12 months: part time now", "six-of-twelve",
			func(s *SelfAssessment) { s.FullTime = No }, NotMet, "ens.assess.six-of-twelve.part-time"},

		{"satisfactory academic standing as the school defines it", "standing",
			func(s *SelfAssessment) {}, Met, "ens.assess.standing.met"},
		{"satisfactory academic standing: not in good standing", "standing",
			func(s *SelfAssessment) { s.Standing = No }, NotMet, "ens.assess.standing.not-met"},
		{"satisfactory academic standing: not sure", "standing",
			func(s *SelfAssessment) { s.Standing = NotSure }, Unchecked, "ens.assess.standing.unsure"},

		{"not an exchange student", "not-exchange",
			func(s *SelfAssessment) {}, Met, "ens.assess.not-exchange.met"},
		{"not an exchange student: is one", "not-exchange",
			func(s *SelfAssessment) { s.Exchange = Yes }, NotMet, "ens.assess.not-exchange.not-met"},
		{"not an exchange student: not sure", "not-exchange",
			func(s *SelfAssessment) { s.Exchange = NotSure }, Unchecked, "ens.assess.not-exchange.unsure"},

		{"not on certain government scholarships", "not-scholarship",
			func(s *SelfAssessment) {}, Met, "ens.assess.not-scholarship.met"},
		{"not on certain government scholarships: holds one", "not-scholarship",
			func(s *SelfAssessment) { s.Scholarship = Yes }, NotMet, "ens.assess.not-scholarship.not-met"},

		{"not in an ESL/FSL-only programme", "not-language-only",
			func(s *SelfAssessment) {}, Met, "ens.assess.not-language-only.met"},
		{"not in an ESL/FSL-only programme: is in one", "not-language-only",
			func(s *SelfAssessment) { s.LanguageOnly = Yes }, NotMet, "ens.assess.not-language-only.not-met"},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			s := allYes()
			tt.change(&s)
			r := resultOf(t, Assess(s, assessOn), tt.rule)
			if r.Verdict != tt.want || r.Key != tt.key {
				t.Errorf("got %v %s, want %v %s", r.Verdict, r.Key, tt.want, tt.key)
			}
		})
	}
}

// TestSelfAssessmentCoversEveryVerifyCriterion: the questionnaire judges
// each criterion the DIR confirms on Verify, under the same wording.
func TestSelfAssessmentCoversEveryVerifyCriterion(t *testing.T) {
	a := Assess(SelfAssessment{}, assessOn)
	for _, c := range Criteria {
		if r := resultOf(t, a, c.Code()); r.Title() != c.MessageKey() {
			t.Errorf("%s: title %s, want %s", c.Code(), r.Title(), c.MessageKey())
		}
	}
	if len(a.Results) != len(Criteria)+1 {
		t.Errorf("%d results, want the %d criteria and the study permit", len(a.Results), len(Criteria))
	}
}

func TestSelfAssessmentVerdict(t *testing.T) {
	if v := Assess(allYes(), assessOn); v.Verdict() != Met || v.VerdictKey() != "ens.assess.verdict.met" {
		t.Errorf("all met: %v", v.Verdict())
	}
	s := allYes()
	s.Standing = NotSure
	if v := Assess(s, assessOn).Verdict(); v != Unchecked {
		t.Errorf("one not sure: %v, want cannot tell", v)
	}
	s.Exchange = Yes // a criterion not met outweighs one not known
	if v := Assess(s, assessOn).Verdict(); v != NotMet {
		t.Errorf("one not met: %v", v)
	}
	if v := Assess(SelfAssessment{}, assessOn).Verdict(); v != Unchecked {
		t.Errorf("nothing answered: %v, want cannot tell", v)
	}
}

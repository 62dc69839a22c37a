package ens_test

// The catalog test lives in the external test package: the domain's own
// files import nothing of Dossier's but the domain (internal/layering).

import (
	"strings"
	"testing"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/translations"
)

// TestEverySelfAssessmentKeyReads: every title, mark, explanation and
// verdict the OCWPP self-assessment can give reads in both languages with
// its arguments.
func TestEverySelfAssessmentKeyReads(t *testing.T) {
	on := domain.Date{Year: 2026, Month: 3, Day: 15}
	base := ens.SelfAssessment{StudyPermit: ens.Yes, StudyPermitExpires: on.AddYears(1), Participating: ens.Yes,
		FullTime: ens.Yes, FullTimeSince: on.AddYears(-1), Standing: ens.Yes, Exchange: ens.No, Scholarship: ens.No,
		LanguageOnly: ens.No}
	var cases []ens.SelfAssessment
	fields := func(s *ens.SelfAssessment) []*ens.Answer {
		return []*ens.Answer{&s.StudyPermit, &s.Participating, &s.FullTime, &s.Standing, &s.Exchange, &s.Scholarship, &s.LanguageOnly}
	}
	for i := range fields(&base) {
		for _, a := range ens.Answers {
			c := base
			*fields(&c)[i] = a
			cases = append(cases, c)
		}
	}
	for _, d := range []func(*ens.SelfAssessment){
		func(s *ens.SelfAssessment) { s.StudyPermitExpires = domain.Date{} },
		func(s *ens.SelfAssessment) { s.StudyPermitExpires = on.AddDays(-1) },
		func(s *ens.SelfAssessment) { s.FullTimeSince = domain.Date{} },
		func(s *ens.SelfAssessment) { s.FullTimeSince = on.AddDays(-1) },
	} {
		c := base
		d(&c)
		cases = append(cases, c)
	}
	seen := map[string]bool{}
	for _, c := range cases {
		a := ens.Assess(c, on)
		for _, lang := range []translations.Lang{translations.English, translations.French} {
			tr := translations.New(lang)
			check := func(key string, args ...any) {
				seen[key] = true
				if text := tr.T(key, args...); !tr.Has(key) || strings.Contains(text, "%!") || strings.Contains(text, "{") {
					t.Errorf("%s in %s: %q", key, lang, text)
				}
			}
			check(a.VerdictKey())
			for _, r := range a.Results {
				check(r.Title())
				check(r.MarkKey())
				check(r.Key, r.Args...)
			}
		}
	}
	if len(seen) < 35 {
		t.Errorf("only %d keys reached", len(seen))
	}
}

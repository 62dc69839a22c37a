package oinp

import (
	"slices"
	"testing"

	"dossier/domain"
)

var assessDay = domain.Date{Year: 2026, Month: 3, Day: 15}

// eligibleAnswers answers every question so that every rule it covers
// passes on assessDay.
func eligibleAnswers() Application {
	var a Application
	a.Employer.Offer = JobOffer{NOC: "7441", Province: "ON", FullTime: Yes, Permanent: Yes, Seasonal: No, Agency: No,
		HoursPerWeek: 40, HoursPerYear: 2080, WageCents: 3000, MedianCents: 2500}
	a.Work = []Work{{NOC: "7441", From: assessDay.AddYears(-2), HoursPerWeek: 40, Country: "CA", Province: "ON",
		Paid: Yes, Authorised: Yes}}
	a.Language = []LanguageTest{{Test: IELTS, Taken: assessDay.AddYears(-1), Listening: 6, Reading: 6, Writing: 6, Speaking: 6}}
	a.Education = []Education{{Level: "secondary", Country: "CA", Completed: assessDay.AddYears(-10)}}
	a.Applicant.Marital = Never
	a.Funds.AvailableCents = 5_000_000
	a.Immigration = Immigration{InCanada: Yes, Status: "worker", StatusExpires: assessDay.AddYears(1), Refugee: No}
	return a
}

func TestSelfAssessmentEligibleAnswers(t *testing.T) {
	a := eligibleAnswers()
	s := Assess(&a, assessDay, shippedTables())
	for _, r := range s.Results {
		if r.Outcome != Pass {
			t.Errorf("%s: %s (%s)", r.Rule, r.Outcome, r.Key)
		}
	}
	if s.Verdict() != VerdictEligible || len(s.Missing) != 0 {
		t.Errorf("verdict %s, missing %v", s.Verdict(), s.Missing)
	}
	want := []string{"offer.restrictions", "offer.letter", "offer.necessary", "applicant.licence", "applicant.intent",
		"employer.active", "employer.premises", "employer.compliance", "employer.size", "employer.recruitment", "employer.form"}
	if !slices.Equal(s.Later, want) {
		t.Errorf("later %v, want %v", s.Later, want)
	}
	if len(s.Results)+len(s.Later) != len(RuleIDs()) {
		t.Errorf("%d rules judged or left for later, want every one of %d", len(s.Results)+len(s.Later), len(RuleIDs()))
	}
}

// TestSelfAssessmentSaysWhatIsMissing: partial answers give the exact
// questions still to answer, in the order asked, for the rules that
// cannot be judged yet — and none for a rule already failed or passed.
func TestSelfAssessmentSaysWhatIsMissing(t *testing.T) {
	tests := []struct {
		name    string
		answers func() Application
		verdict Verdict
		missing []string
	}{
		{"nothing answered", func() Application { return Application{} }, VerdictNotYetKnown, []string{
			"employer.offer.noc", "employer.offer.province", "employer.offer.fullTime", "employer.offer.indeterminate",
			"employer.offer.seasonal", "employer.offer.agencyOrSubcontract", "employer.offer.hoursPerWeek",
			"employer.offer.hoursPerYear", "employer.offer.hourlyWageCents", "employer.offer.medianWageCents",
			"work[0].noc", "work[0].from", "work[0].hoursPerWeek", "work[0].country", "work[0].province",
			"work[0].paid", "work[0].authorised", "language[0].test", "language[0].taken", "language[0].listening", "language[0].reading",
			"language[0].writing", "language[0].speaking", "education[0].level", "education[0].country",
			"education[0].completed", "funds.availableCents", "immigration.inCanada", "immigration.status",
			"immigration.statusExpires"}},
		{"the offer and the status known; no experience, test, studies or funds yet", func() Application {
			a := eligibleAnswers()
			a.Work, a.Language, a.Education, a.Funds = nil, nil, nil, Funds{}
			return a
		}, VerdictNotYetKnown, []string{
			"work[0].noc", "work[0].from", "work[0].hoursPerWeek", "work[0].country", "work[0].province",
			"work[0].paid", "work[0].authorised", "language[0].test", "language[0].taken", "language[0].listening", "language[0].reading",
			"language[0].writing", "language[0].speaking", "education[0].level", "education[0].country",
			"education[0].completed", "funds.availableCents"}},
		{"foreign studies: the assessment of them is what is missing", func() Application {
			a := eligibleAnswers()
			a.Education[0].Country = "FR"
			return a
		}, VerdictNotEligible, nil},
		{"foreign studies assessed, its level not said", func() Application {
			a := eligibleAnswers()
			a.Education[0].Country = "FR"
			a.ECA = ECA{Body: "WES", Issued: assessDay.AddYears(-1)}
			return a
		}, VerdictNotYetKnown, []string{"eca.secondaryOrAbove"}},
		{"a language test without its writing and speaking scores: they are needed, not read as 0", func() Application {
			a := eligibleAnswers()
			a.Language[0].Writing, a.Language[0].Speaking = 0, 0
			return a
		}, VerdictNotYetKnown, []string{"language[0].writing", "language[0].speaking"}},
		{"a job whose hours are not said: they are needed, not read as 0", func() Application {
			a := eligibleAnswers()
			a.Work[0].HoursPerWeek = 0
			return a
		}, VerdictNotYetKnown, []string{"work[0].hoursPerWeek"}},
		{"a job outside Canada: no province asked, and it does not count", func() Application {
			a := eligibleAnswers()
			a.Work[0].Country, a.Work[0].Province = "PH", ""
			return a
		}, VerdictNotEligible, nil},
		{"outside Canada: no status asked", func() Application {
			a := eligibleAnswers()
			a.Immigration = Immigration{InCanada: No}
			return a
		}, VerdictEligible, nil},
		{"in Canada, status not said", func() Application {
			a := eligibleAnswers()
			a.Immigration = Immigration{InCanada: Yes}
			return a
		}, VerdictNotYetKnown, []string{"immigration.status", "immigration.statusExpires"}},
		{"an occupation outside the stream", func() Application {
			a := eligibleAnswers()
			a.Employer.Offer.NOC, a.Work[0].NOC = "1111", "1111"
			a.Employer.Offer.MedianCents = 0
			return a
		}, VerdictNotEligible, []string{"employer.offer.medianWageCents"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.answers()
			s := Assess(&a, assessDay, shippedTables())
			if s.Verdict() != tt.verdict {
				t.Errorf("verdict %s, want %s: %+v", s.Verdict(), tt.verdict, s.Results)
			}
			if !slices.Equal(s.Missing, tt.missing) {
				t.Errorf("missing\n%v\nwant\n%v", s.Missing, tt.missing)
			}
		})
	}
}

// TestSelfAssessmentQuestionsAreApplicationFields: every question is a
// field of the application (its label is the field's), and the answers
// kept of an application are exactly the questions.
func TestSelfAssessmentQuestionsAreApplicationFields(t *testing.T) {
	a := eligibleAnswers()
	a.Education[0].Country = "FR"
	a.ECA = ECA{Body: "WES", Issued: assessDay, Secondary: Yes, Number: "not asked"}
	a.Applicant.FamilyName = "not asked"
	kept := AssessmentAnswers(&a)
	got := Fields(&kept)
	for p := range got {
		if !slices.ContainsFunc(AssessmentQuestions, func(q Question) bool { return q.Path == p }) {
			t.Errorf("%s kept but not asked", p)
		}
	}
	for _, q := range AssessmentQuestions {
		if _, ok := got[q.Path]; !ok && q.Path != "work[0].to" {
			t.Errorf("%s asked but not kept", q.Path)
		}
	}
}

func TestPrefillFillsOnlyWhatWasAsked(t *testing.T) {
	answers := eligibleAnswers()
	answers.Work[0].ID = domain.ID{1}
	t.Run("an empty application takes every answer", func(t *testing.T) {
		var app Application
		conflicts, err := Prefill(&app, &answers, false)
		if err != nil || len(conflicts) != 0 {
			t.Fatalf("conflicts %v, %v", conflicts, err)
		}
		got, want := Fields(&app), Fields(&answers)
		if len(got) != len(want) {
			t.Errorf("got %d fields, want %d", len(got), len(want))
		}
		for p, v := range want {
			if got[p] != v {
				t.Errorf("%s = %q, want %q", p, got[p], v)
			}
		}
		if app.Work[0].ID != answers.Work[0].ID {
			t.Error("the line of work lost its ID")
		}
	})
	t.Run("what the application holds is kept unless replaced", func(t *testing.T) {
		app := Application{Applicant: Applicant{FamilyName: "Tremblay"}}
		app.Employer.Offer.NOC = "7521"
		app.Employer.Offer.Position = "Driver"
		app.Work = []Work{{Employer: "Acme", NOC: "7521"}}
		kept := app
		kept.Work = slices.Clone(app.Work)
		conflicts, err := Prefill(&kept, &answers, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"employer.offer.noc", "work"}; !slices.Equal(conflicts, want) {
			t.Errorf("conflicts %v, want %v", conflicts, want)
		}
		if kept.Employer.Offer.NOC != "7521" || len(kept.Work) != 1 || kept.Applicant.FamilyName != "Tremblay" {
			t.Errorf("overwritten without asking: %+v", kept)
		}
		if kept.Employer.Offer.Province != "ON" || kept.Funds.AvailableCents != 5_000_000 {
			t.Error("the empty fields were not filled")
		}
		replaced := app
		replaced.Work = slices.Clone(app.Work)
		if _, err := Prefill(&replaced, &answers, true); err != nil {
			t.Fatal(err)
		}
		if replaced.Employer.Offer.NOC != "7441" || len(replaced.Work) != 2 || replaced.Work[0].Employer != "Acme" ||
			replaced.Employer.Offer.Position != "Driver" || replaced.Applicant.FamilyName != "Tremblay" {
			t.Errorf("replace: %+v", replaced)
		}
	})
	t.Run("a line already there is not added twice", func(t *testing.T) {
		var app Application
		Prefill(&app, &answers, false)
		conflicts, _ := Prefill(&app, &answers, false)
		if len(conflicts) != 0 || len(app.Work) != 1 {
			t.Errorf("conflicts %v, %d lines of work", conflicts, len(app.Work))
		}
	})
}

package oinp

import (
	"slices"
	"testing"
	"time"

	"dossier/domain"
)

// submission is the day the test applications are judged on.
var submission = domain.Date{Year: 2026, Month: 11, Day: 21}

func date(y, m, d int) domain.Date { return domain.Date{Year: y, Month: time.Month(m), Day: d} }

// eligible is an application that passes every rule on submission day: a
// general farm worker in Mississauga, two years in the job already.
func eligible() *Application {
	return &Application{
		Schema:    SchemaVersion,
		Applicant: Applicant{FamilyName: "Nguyen", GivenNames: "Linh", BirthDate: date(1990, 3, 14), Marital: Never},
		Contact:   Contact{Email: "linh@example.ca", Address: Address{Street: "12 Dundas St", City: "Mississauga", Province: "ON", Country: "CA"}},
		Immigration: Immigration{InCanada: Yes, Status: "worker", StatusExpires: date(2027, 6, 30), Refugee: No,
			WorkInOntario: Yes},
		Education: []Education{{Institution: "Trường THPT", Level: "secondary", Country: "VN", From: date(2005, 9, 1),
			To: date(2008, 6, 30), Completed: date(2008, 6, 30)}},
		ECA:      ECA{Body: "WES", Issued: date(2023, 1, 10), Secondary: Yes},
		Language: []LanguageTest{{Test: IELTS, Taken: date(2025, 5, 3), Listening: 5, Reading: 4.5, Writing: 5, Speaking: 5.5}},
		Work: []Work{{Employer: "Peel Greenhouses", NOC: "8431", From: date(2024, 9, 1), HoursPerWeek: 40,
			Country: "CA", Province: "ON", Paid: Yes, Authorised: Yes, LicenceNeeded: No}},
		Intent: Intent{SignedName: "Linh Nguyen", Signed: date(2026, 11, 20)},
		Funds:  Funds{AvailableCents: 5_000_00, ClaimIncome: Yes},
		Employer: EmployerForm{Signed: date(2026, 8, 1), LegalName: "Peel Greenhouses Inc.", ActiveSince: date(2015, 4, 1),
			RevenueCents: 2_500_000_00, FiscalYearEnd: date(2025, 12, 31), OntarioPremises: Yes, Orders: No, EmployeesLocation: 12,
			Address: Address{Street: "400 Derry Rd", City: "Mississauga", Province: "ON", Country: "CA"},
			Offer: JobOffer{NOC: "8431", HoursPerWeek: 40, HoursPerYear: 2080, WageCents: 17_50, MedianCents: 16_00,
				FullTime: Yes, Permanent: Yes, Seasonal: No, Agency: No, LabourDispute: No,
				Municipality: "Mississauga", Province: "ON", LicenceNeeded: No,
				LetterDated: date(2026, 8, 1), LetterSignedApplicant: Yes, LetterSignedEmployer: Yes,
				AlignsWithBusiness: Yes, NeededForActivity: Yes}},
	}
}

func TestEligibleApplicationPassesEveryRule(t *testing.T) {
	rep := Evaluate(eligible(), submission, shippedTables())
	for _, r := range rep.Results {
		if r.Outcome != Pass {
			t.Errorf("%s (§%s): %s %s %v", r.Rule, r.Section, r.Outcome, r.Key, r.Args)
		}
	}
	if !rep.Eligible() || rep.InGTA != Yes || rep.Region != "Peel" || rep.FeeCents != FeeGTACents {
		t.Fatalf("eligible %v, GTA %q %q, fee %d", rep.Eligible(), rep.InGTA, rep.Region, rep.FeeCents)
	}
	if len(rep.Results) != len(RuleIDs()) {
		t.Fatalf("%d results for %d rules", len(rep.Results), len(RuleIDs()))
	}
}

// ruleBoundary changes one thing in the eligible application: rule's
// outcome is then want, explained by key.
type ruleBoundary struct {
	name   string
	rule   string
	change func(a *Application)
	want   Outcome
	key    string
}

// ruleBoundaries are the boundaries the guide's own numbers draw.
func ruleBoundaries() []ruleBoundary {
	return []ruleBoundary{
		{"30 h a week", "offer.full-time", func(a *Application) { a.Employer.Offer.HoursPerWeek = 30 }, Pass, ""},
		{"29.5 h a week", "offer.full-time", func(a *Application) { a.Employer.Offer.HoursPerWeek = 29.5 }, Fail, "hours-week"},
		{"1,560 h a year", "offer.full-time", func(a *Application) { a.Employer.Offer.HoursPerYear = 1560 }, Pass, ""},
		{"1,559 h a year", "offer.full-time", func(a *Application) { a.Employer.Offer.HoursPerYear = 1559 }, Fail, "hours-year"},
		{"seasonal", "offer.full-time", func(a *Application) { a.Employer.Offer.Seasonal = Yes }, Fail, "seasonal"},
		{"agency", "offer.full-time", func(a *Application) { a.Employer.Offer.Agency = Yes }, Fail, "agency"},
		{"part-time offer", "offer.full-time", func(a *Application) { a.Employer.Offer.FullTime = No }, Fail, "part-time"},
		{"hours not entered", "offer.full-time", func(a *Application) { a.Employer.Offer.HoursPerYear = 0 }, Unknown, ""},
		{"each eligible NOC", "offer.noc", func(a *Application) { a.Employer.Offer.NOC = "9462" }, Pass, ""},
		{"NOC 6711 (food counter)", "offer.noc", func(a *Application) { a.Employer.Offer.NOC = "6711" }, Fail, ""},
		{"wage equal to the median", "offer.wage", func(a *Application) { a.Employer.Offer.WageCents = 16_00 }, Pass, ""},
		{"wage a cent below the median", "offer.wage", func(a *Application) { a.Employer.Offer.WageCents = 15_99 }, Fail, "median"},
		{"below the current wage", "offer.wage", func(a *Application) { a.Employer.Offer.CurrentCents = 18_00 }, Fail, "current"},
		{"no median entered", "offer.wage", func(a *Application) { a.Employer.Offer.MedianCents = 0 }, Unknown, ""},
		{"work in Quebec", "offer.ontario", func(a *Application) { a.Employer.Offer.Province = "QC" }, Fail, ""},
		{"labour dispute", "offer.restrictions", func(a *Application) { a.Employer.Offer.LabourDispute = Yes }, Fail, "dispute"},
		{"9.9 % equity as pay", "offer.restrictions", func(a *Application) {
			a.Employer.Offer.EquityPercent, a.Employer.Offer.EquityAsPay = 9.9, Yes
		}, Pass, ""},
		{"10 % equity as pay", "offer.restrictions", func(a *Application) {
			a.Employer.Offer.EquityPercent, a.Employer.Offer.EquityAsPay = 10, Yes
		}, Fail, "equity-share"},
		{"equity bought", "offer.restrictions", func(a *Application) {
			a.Employer.Offer.EquityPercent, a.Employer.Offer.EquityAsPay = 2, No
		}, Fail, "equity"},
		// §2.1: "You must have a job offer signed by yourself and an
		// Ontario employer". Appendix 4 §4: "The job offer letter must not
		// be older than six (6) months." … "If you are currently working
		// for the employer in the same position, you may submit your
		// original job offer … and it can be older than six months.
		// However, you must also include a recent letter from your
		// employer confirming your ongoing employment".
		{"offer letter 6 months old", "offer.letter", func(a *Application) { a.Employer.Offer.LetterDated = date(2026, 5, 21) }, Pass, ""},
		{"offer letter 6 months and a day", "offer.letter", func(a *Application) { a.Employer.Offer.LetterDated = date(2026, 5, 20) }, Fail, "old"},
		{"offer letter dated on submission day", "offer.letter", func(a *Application) { a.Employer.Offer.LetterDated = submission }, Pass, ""},
		{"offer letter dated after submission", "offer.letter", func(a *Application) { a.Employer.Offer.LetterDated = date(2026, 11, 22) }, Fail, "future"},
		{"offer letter not signed by the applicant", "offer.letter", func(a *Application) { a.Employer.Offer.LetterSignedApplicant = No }, Fail, "unsigned-applicant"},
		{"offer letter not signed by the employer", "offer.letter", func(a *Application) { a.Employer.Offer.LetterSignedEmployer = No }, Fail, "unsigned-employer"},
		{"offer letter's signatures not answered", "offer.letter", func(a *Application) { a.Employer.Offer.LetterSignedEmployer = Unanswered }, Unknown, ""},
		{"offer letter's date not entered", "offer.letter", func(a *Application) { a.Employer.Offer.LetterDated = domain.Date{} }, Unknown, ""},
		{"old offer, in the position, ongoing letter", "offer.letter", func(a *Application) {
			o := &a.Employer.Offer
			o.LetterDated, o.InPositionNow, o.OngoingLetter = date(2024, 9, 1), Yes, Yes
		}, Pass, ""},
		{"old offer, in the position, no ongoing letter", "offer.letter", func(a *Application) {
			o := &a.Employer.Offer
			o.LetterDated, o.InPositionNow, o.OngoingLetter = date(2024, 9, 1), Yes, No
		}, Fail, "ongoing"},
		{"old offer, in the position, ongoing letter not answered", "offer.letter", func(a *Application) {
			o := &a.Employer.Offer
			o.LetterDated, o.InPositionNow = date(2024, 9, 1), Yes
		}, Unknown, "ongoing"},
		{"old offer, not in the position", "offer.letter", func(a *Application) {
			o := &a.Employer.Offer
			o.LetterDated, o.InPositionNow, o.OngoingLetter = date(2024, 9, 1), No, Yes
		}, Fail, "old"},
		// §2.1 4.: "the job offer must align with your employer's existing
		// business activities and the position must be needed to grow or
		// maintain ongoing activity."
		{"offer outside the business's activities", "offer.necessary", func(a *Application) { a.Employer.Offer.AlignsWithBusiness = No }, Fail, "aligns"},
		{"position not needed", "offer.necessary", func(a *Application) { a.Employer.Offer.NeededForActivity = No }, Fail, "needed"},
		{"necessity not answered", "offer.necessary", func(a *Application) { a.Employer.Offer.NeededForActivity = Unanswered }, Unknown, ""},
		{"licence needed, held", "applicant.licence", func(a *Application) {
			a.Employer.Offer.LicenceNeeded, a.Employer.Offer.LicenceHeld = Yes, Yes
		}, Pass, ""},
		{"licence needed, not held", "applicant.licence", func(a *Application) {
			a.Employer.Offer.LicenceNeeded, a.Employer.Offer.LicenceHeld = Yes, No
		}, Fail, ""},
		{"IELTS reading 3.5", "applicant.language", func(a *Application) { a.Language[0].Reading = 3.5 }, Pass, ""},
		{"IELTS reading 3.0", "applicant.language", func(a *Application) { a.Language[0].Reading = 3.0 }, Fail, "score"},
		{"TEF writing 181", "applicant.language", func(a *Application) {
			a.Language[0] = LanguageTest{Test: TEF, Taken: date(2025, 5, 3), Listening: 145, Reading: 121, Writing: 181, Speaking: 181}
		}, Pass, ""},
		{"TEF writing 180", "applicant.language", func(a *Application) {
			a.Language[0] = LanguageTest{Test: TEF, Taken: date(2025, 5, 3), Listening: 145, Reading: 121, Writing: 180, Speaking: 181}
		}, Fail, "score"},
		{"CELPIP 4 everywhere", "applicant.language", func(a *Application) {
			a.Language[0] = LanguageTest{Test: CELPIP, Taken: date(2025, 5, 3), Listening: 4, Reading: 4, Writing: 4, Speaking: 4}
		}, Pass, ""},
		{"test taken 2 years before submission", "applicant.language", func(a *Application) { a.Language[0].Taken = date(2024, 11, 21) }, Pass, ""},
		{"test taken 2 years and 1 day before", "applicant.language", func(a *Application) { a.Language[0].Taken = date(2024, 11, 20) }, Fail, "expired"},
		{"an old test and a valid one", "applicant.language", func(a *Application) {
			a.Language = append([]LanguageTest{{Test: IELTS, Taken: date(2020, 1, 1), Listening: 9, Reading: 9, Writing: 9, Speaking: 9}}, a.Language...)
		}, Pass, ""},
		// §2.2.3: "International English Language Testing (IELTS)
		// (General Training Test only) or Canadian English Language
		// Proficiency Index Program (CELPIP) (General Test only)".
		{"IELTS Academic", "applicant.language", func(a *Application) { a.Language[0].Test = IELTSAcademic }, Fail, "version"},
		{"CELPIP General LS", "applicant.language", func(a *Application) {
			a.Language[0] = LanguageTest{Test: CELPIPGeneralLS, Taken: date(2025, 5, 3), Listening: 9, Reading: 9, Writing: 9, Speaking: 9}
		}, Fail, "version"},
		{"an Academic and a General Training", "applicant.language", func(a *Application) {
			a.Language = append([]LanguageTest{{Test: IELTSAcademic, Taken: date(2025, 5, 3), Listening: 9, Reading: 9, Writing: 9, Speaking: 9}}, a.Language...)
		}, Pass, ""},
		// "must have been taken within two years of submitting": a test
		// dated after the submission is not more than two years old.
		{"test dated the day after submission", "applicant.language", func(a *Application) { a.Language[0].Taken = date(2026, 11, 22) }, Fail, "future"},
		{"test taken on submission day", "applicant.language", func(a *Application) { a.Language[0].Taken = submission }, Pass, ""},
		{"no test yet", "applicant.language", func(a *Application) { a.Language = nil }, Unknown, ""},
		{"Canadian secondary", "applicant.education", func(a *Application) {
			a.Education[0].Country, a.ECA = "CA", ECA{}
		}, Pass, ""},
		{"foreign studies without an ECA", "applicant.education", func(a *Application) { a.ECA = ECA{} }, Fail, "eca-missing"},
		{"ECA 5 years old", "applicant.education", func(a *Application) { a.ECA.Issued = date(2021, 11, 21) }, Pass, ""},
		{"ECA 5 years and 1 day old", "applicant.education", func(a *Application) { a.ECA.Issued = date(2021, 11, 20) }, Fail, "eca-old"},
		{"ECA from an undesignated body", "applicant.education", func(a *Application) { a.ECA.Body = "ACME" }, Fail, "eca-body"},
		{"funds short, income not counted", "applicant.funds", func(a *Application) { a.Funds.ClaimIncome = No }, Fail, ""},
		{"funds enough alone", "applicant.funds", func(a *Application) {
			a.Funds = Funds{AvailableCents: 12_475_00, ClaimIncome: No}
		}, Pass, ""},
		{"funds a dollar short", "applicant.funds", func(a *Application) {
			a.Funds = Funds{AvailableCents: 12_474_00, ClaimIncome: No}
		}, Fail, ""},
		{"income, but not allowed to work in Ontario", "applicant.funds", func(a *Application) {
			a.Immigration.WorkInOntario = No
		}, Fail, ""},
		{"a child of 21 counts", "applicant.funds", func(a *Application) {
			// 15,531 for two people: 15,000 is short.
			a.Funds = Funds{AvailableCents: 15_000_00, ClaimIncome: No}
			a.Family = []FamilyMember{{Relationship: "child", BirthDate: date(2004, 11, 22)}}
		}, Fail, ""},
		{"a child of 22 does not", "applicant.funds", func(a *Application) {
			a.Funds = Funds{AvailableCents: 15_000_00, ClaimIncome: No}
			a.Family = []FamilyMember{{Relationship: "child", BirthDate: date(2004, 11, 21)}}
		}, Pass, ""},
		{"intent not signed", "applicant.intent", func(a *Application) { a.Intent = Intent{} }, Unknown, ""},
		{"refugee claimant in Canada", "applicant.status", func(a *Application) { a.Immigration.Refugee = Yes }, Fail, "refugee"},
		{"status expired", "applicant.status", func(a *Application) { a.Immigration.StatusExpires = date(2026, 11, 20) }, Fail, "expired"},
		{"status expired, renewal applied for", "applicant.status", func(a *Application) {
			a.Immigration.StatusExpires, a.Immigration.Implied = date(2026, 10, 1), Yes
		}, Pass, ""},
		{"living abroad", "applicant.status", func(a *Application) { a.Immigration = Immigration{InCanada: No} }, Pass, ""},
		{"active 3 years", "employer.active", func(a *Application) { a.Employer.ActiveSince = date(2023, 11, 21) }, Pass, ""},
		{"active 3 years less a day", "employer.active", func(a *Application) { a.Employer.ActiveSince = date(2023, 11, 22) }, Fail, ""},
		{"no Ontario premises", "employer.premises", func(a *Application) { a.Employer.OntarioPremises = No }, Fail, ""},
		{"outstanding orders", "employer.compliance", func(a *Application) { a.Employer.Orders = Yes }, Fail, ""},
		{"$1,000,000 in the GTA", "employer.size", func(a *Application) { a.Employer.RevenueCents = 1_000_000_00 }, Pass, ""},
		{"$999,999 in the GTA", "employer.size", func(a *Application) { a.Employer.RevenueCents = 999_999_00 }, Fail, "revenue-gta"},
		{"5 employees in the GTA", "employer.size", func(a *Application) { a.Employer.EmployeesLocation = 5 }, Pass, ""},
		{"4 employees in the GTA", "employer.size", func(a *Application) { a.Employer.EmployeesLocation = 4 }, Fail, "staff-gta"},
		{"$999,999 and 4 in Hamilton", "employer.size", func(a *Application) {
			a.Employer.Address.City, a.Employer.RevenueCents, a.Employer.EmployeesLocation = "Hamilton", 999_999_00, 4
		}, Pass, ""},
		{"$499,999 in Hamilton", "employer.size", func(a *Application) {
			a.Employer.Address.City, a.Employer.RevenueCents = "Hamilton", 499_999_00
		}, Fail, "revenue-outside"},
		{"2 employees in Hamilton", "employer.size", func(a *Application) {
			a.Employer.Address.City, a.Employer.EmployeesLocation = "Hamilton", 2
		}, Fail, "staff-outside"},
		// §2.3.4: "If your employer is located inside of the Greater
		// Toronto Area ... your employer must have" the higher thresholds:
		// where the employer is located, not where the job is.
		{"employer in Hamilton, job in Toronto: outside thresholds", "employer.size", func(a *Application) {
			a.Employer.Address.City, a.Employer.Offer.Municipality, a.Employer.RevenueCents = "Hamilton", "Toronto", 600_000_00
		}, Pass, ""},
		{"employer in Scarborough, job in Hamilton: GTA thresholds", "employer.size", func(a *Application) {
			a.Employer.Address.City, a.Employer.Offer.Municipality, a.Employer.RevenueCents = "Scarborough", "Hamilton", 600_000_00
		}, Fail, "revenue-gta"},
		{"employer in Bramalea, $999,999", "employer.size", func(a *Application) {
			a.Employer.Address.City, a.Employer.RevenueCents = "Bramalea", 999_999_00
		}, Fail, "revenue-gta"},
		{"no employer city yet", "employer.size", func(a *Application) { a.Employer.Address.City = "" }, Unknown, "place"},
		{"employer city not known", "employer.size", func(a *Application) { a.Employer.Address.City = "Springfield" }, Unknown, "place-unknown"},
		{"employer city in and outside the GTA", "employer.size", func(a *Application) { a.Employer.Address.City = "Durham" }, Unknown, "place-ambiguous"},
		{"no work municipality yet: thresholds still known", "employer.size", func(a *Application) { a.Employer.Offer.Municipality = "" }, Pass, ""},
		// §2.3.4: "in its most recently completed fiscal year before the
		// date of making the application".
		{"fiscal year ended the day before", "employer.size", func(a *Application) { a.Employer.FiscalYearEnd = date(2026, 11, 20) }, Pass, ""},
		{"fiscal year ends on submission day", "employer.size", func(a *Application) { a.Employer.FiscalYearEnd = submission }, Fail, "fiscal-open"},
		{"fiscal year ended a year before the day before", "employer.size", func(a *Application) { a.Employer.FiscalYearEnd = date(2025, 11, 21) }, Pass, ""},
		{"a later fiscal year has ended", "employer.size", func(a *Application) { a.Employer.FiscalYearEnd = date(2025, 11, 20) }, Fail, "fiscal-old"},
		{"fiscal year not entered", "employer.size", func(a *Application) { a.Employer.FiscalYearEnd = domain.Date{} }, Unknown, "fiscal-year"},
		{"outside Ontario, no recruitment proof", "employer.recruitment", func(a *Application) {
			a.Immigration.WorkInOntario, a.Employer.Offer.RecruitmentProof = No, No
		}, Fail, ""},
		{"outside Ontario, recruitment proven", "employer.recruitment", func(a *Application) {
			a.Immigration.WorkInOntario, a.Employer.Offer.RecruitmentProof = No, Yes
		}, Pass, ""},
		{"Employer Form signed 6 months before", "employer.form", func(a *Application) { a.Employer.Signed = date(2026, 5, 21) }, Pass, ""},
		{"Employer Form 6 months and a day", "employer.form", func(a *Application) { a.Employer.Signed = date(2026, 5, 20) }, Fail, ""},
	}
}

// result is the rule's result once the boundary's change is made.
func (c ruleBoundary) result() (Result, bool) {
	a := eligible()
	c.change(a)
	return find(Evaluate(a, submission, shippedTables()), c.rule)
}

// TestRuleBoundaries changes one thing in the eligible application and
// checks that rule, at the boundaries the guide's own numbers draw. (That
// each explanation reads in both languages, its arguments included, is
// TestEveryRuleExplanationReads in the external test package: the
// domain imports nothing of Dossier's but the domain.)
func TestRuleBoundaries(t *testing.T) {
	for _, c := range ruleBoundaries() {
		t.Run(c.name, func(t *testing.T) {
			got, ok := c.result()
			if !ok {
				t.Fatalf("no result for %s", c.rule)
			}
			want := "oinp.rule." + c.rule + "." + string(c.want)
			if c.key != "" {
				want += "." + c.key
			}
			if !slices.Contains(MessageKeys(), got.Key) {
				t.Errorf("%s is not in MessageKeys", got.Key)
			}
			if got.Outcome != c.want || got.Key != want {
				t.Fatalf("%s: %s (%s %v), want %s (%s)", c.rule, got.Outcome, got.Key, got.Args, c.want, want)
			}
		})
	}
}

func find(rep EligibilityReport, id string) (Result, bool) {
	for _, r := range rep.Results {
		if r.Rule == id {
			return r, true
		}
	}
	return Result{}, false
}

// TestMississaugaIsInTheGTAAndHamiltonIsNot: the work location decides
// the fee (§4.4: "$2,000 for job offers in the Greater Toronto Area, and
// $1,500 for job offers outside of the GTA"), however it is written.
func TestMississaugaIsInTheGTAAndHamiltonIsNot(t *testing.T) {
	tb := shippedTables()
	for _, c := range []struct {
		place, region string
		in            YesNo
		fee           int64
	}{
		{"Mississauga", "Peel", Yes, FeeGTACents}, {"MISSISSAUGA ", "Peel", Yes, FeeGTACents},
		{"Toronto, ON", "Toronto", Yes, FeeGTACents}, {"City of Mississauga", "Peel", Yes, FeeGTACents},
		{"Scarborough", "Toronto", Yes, FeeGTACents}, {"Unionville, Markham", "York", Yes, FeeGTACents},
		{"Hamilton", "", No, FeeOutsideCents}, {"Orléans (Ontario)", "", No, FeeOutsideCents},
		{"Springfield", "", Unanswered, 0}, {"Durham", "", Unanswered, 0}, {"", "", Unanswered, 0},
	} {
		a := eligible()
		a.Employer.Offer.Municipality = c.place
		rep := Evaluate(a, submission, tb)
		if rep.InGTA != c.in || rep.Region != c.region || rep.FeeCents != c.fee {
			t.Errorf("%q: %q %q %d, want %q %q %d", c.place, rep.InGTA, rep.Region, rep.FeeCents, c.in, c.region, c.fee)
		}
	}
}

// TestVerdict: a rule that fails and a rule that cannot be judged yet are
// told apart. The guide (§1.1): applicants "meet all eligibility criteria";
// one criterion not met is enough to be not eligible, while a criterion not
// yet entered leaves the verdict not yet known.
func TestVerdict(t *testing.T) {
	cases := []struct {
		name   string
		change func(a *Application)
		want   Verdict
	}{
		{"every criterion met", func(a *Application) {}, VerdictEligible},
		{"one criterion fails", func(a *Application) { a.Employer.Offer.Seasonal = Yes }, VerdictNotEligible},
		{"one criterion not yet known", func(a *Application) { a.Language = nil }, VerdictNotYetKnown},
		{"one fails and one is not yet known", func(a *Application) {
			a.Language, a.Employer.Orders = nil, Yes
		}, VerdictNotEligible},
		{"nothing entered", func(a *Application) { *a = Application{} }, VerdictNotYetKnown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := eligible()
			c.change(a)
			rep := Evaluate(a, submission, shippedTables())
			if got := rep.Verdict(); got != c.want || rep.Eligible() != (c.want == VerdictEligible) {
				t.Fatalf("verdict %s, eligible %v; want %s", got, rep.Eligible(), c.want)
			}
		})
	}
	if (EligibilityReport{}).Verdict() != VerdictNotYetKnown {
		t.Fatal("a report without results is judged")
	}
}

// TestFailureNamesTheFieldToFix: each failure leads to the field whose
// answer made it fail, not to the rule's first field.
func TestFailureNamesTheFieldToFix(t *testing.T) {
	want := map[string]string{
		"29.5 h a week":                         "employer.offer.hoursPerWeek",
		"1,559 h a year":                        "employer.offer.hoursPerYear",
		"seasonal":                              "employer.offer.seasonal",
		"agency":                                "employer.offer.agencyOrSubcontract",
		"part-time offer":                       "employer.offer.fullTime",
		"NOC 6711 (food counter)":               "employer.offer.noc",
		"wage a cent below the median":          "employer.offer.hourlyWageCents",
		"work in Quebec":                        "employer.offer.province",
		"labour dispute":                        "employer.offer.labourDispute",
		"10 % equity as pay":                    "employer.offer.equityPercent",
		"equity bought":                         "employer.offer.equityAsPay",
		"licence needed, not held":              "employer.offer.licenceHeld",
		"IELTS reading 3.0":                     "language",
		"foreign studies without an ECA":        "eca.body",
		"ECA 5 years and 1 day old":             "eca.issued",
		"ECA from an undesignated body":         "eca.body",
		"funds a dollar short":                  "funds.availableCents",
		"refugee claimant in Canada":            "immigration.refugeeClaimant",
		"status expired":                        "immigration.statusExpires",
		"active 3 years less a day":             "employer.activeSince",
		"no Ontario premises":                   "employer.ontarioPremises",
		"outstanding orders":                    "employer.outstandingOrders",
		"$999,999 in the GTA":                   "employer.revenueCents",
		"4 employees in the GTA":                "employer.employeesAtLocation",
		"$499,999 in Hamilton":                  "employer.revenueCents",
		"2 employees in Hamilton":               "employer.employeesAtLocation",
		"no employer city yet":                  "employer.address.city",
		"outside Ontario, no recruitment proof": "employer.offer.recruitmentProof",
		"Employer Form 6 months and a day":      "employer.signed",
	}
	seen := 0
	for _, c := range ruleBoundaries() {
		field, ok := want[c.name]
		if !ok {
			continue
		}
		seen++
		t.Run(c.name, func(t *testing.T) {
			got, _ := c.result()
			if got.Outcome == Pass || got.Field != field {
				t.Fatalf("%s %s leads to %q, want %q", got.Rule, got.Outcome, got.Field, field)
			}
		})
	}
	if seen != len(want) {
		t.Fatalf("%d of %d cases are boundaries", seen, len(want))
	}
	a := eligible()
	a.Employer.Offer.NOC = ""
	if r, _ := find(Evaluate(a, submission, shippedTables()), "applicant.experience"); r.Field != "employer.offer.noc" {
		t.Fatalf("experience without a NOC leads to %q", r.Field)
	}
}

// TestFixesNameWhatTheRuleSays: a field to fix is declared only for a rule
// there is and an explanation it gives.
func TestFixesNameWhatTheRuleSays(t *testing.T) {
	for id, fixes := range fieldsToFix {
		for says := range fixes {
			if !slices.Contains(ruleSays[id], says) {
				t.Errorf("%s: a field for %q, which it never says", id, says)
			}
		}
	}
	for id := range questions {
		if !slices.Contains(RuleIDs(), id) {
			t.Errorf("no rule %s", id)
		}
	}
}

// TestUnknownLeadsToTheQuestion: a rule not yet known leads to the first
// of its questions still unanswered.
func TestUnknownLeadsToTheQuestion(t *testing.T) {
	cases := []struct {
		name, rule string
		change     func(a *Application)
		field      string
	}{
		{"seasonal unanswered", "offer.full-time", func(a *Application) { a.Employer.Offer.Seasonal = Unanswered }, "employer.offer.seasonal"},
		{"hours a year missing", "offer.full-time", func(a *Application) { a.Employer.Offer.HoursPerYear = 0 }, "employer.offer.hoursPerYear"},
		{"no median", "offer.wage", func(a *Application) { a.Employer.Offer.MedianCents = 0 }, "employer.offer.medianWageCents"},
		{"equity, as pay unanswered", "offer.restrictions", func(a *Application) {
			a.Employer.Offer.EquityPercent, a.Employer.Offer.EquityAsPay = 2, Unanswered
		}, "employer.offer.equityAsPay"},
		{"licence need unanswered", "applicant.licence", func(a *Application) { a.Employer.Offer.LicenceNeeded = Unanswered }, "employer.offer.licenceNeeded"},
		{"licence held unanswered", "applicant.licence", func(a *Application) {
			a.Employer.Offer.LicenceNeeded, a.Employer.Offer.LicenceHeld = Yes, Unanswered
		}, "employer.offer.licenceHeld"},
		{"ECA level unanswered", "applicant.education", func(a *Application) { a.ECA.Secondary = Unanswered }, "eca.secondaryOrAbove"},
		{"no studies", "applicant.education", func(a *Application) { a.Education = nil }, "education"},
		{"intent not dated", "applicant.intent", func(a *Application) { a.Intent.Signed = domain.Date{} }, "intent.signed"},
		{"status expiry missing", "applicant.status", func(a *Application) { a.Immigration.StatusExpires = domain.Date{} }, "immigration.statusExpires"},
		{"work permit unanswered", "employer.recruitment", func(a *Application) { a.Immigration.WorkInOntario = Unanswered }, "immigration.authorisedToWorkInOntario"},
		{"recruitment proof unanswered", "employer.recruitment", func(a *Application) {
			a.Immigration.WorkInOntario, a.Employer.Offer.RecruitmentProof = No, Unanswered
		}, "employer.offer.recruitmentProof"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := eligible()
			c.change(a)
			r, _ := find(Evaluate(a, submission, shippedTables()), c.rule)
			if r.Outcome != Unknown || r.Field != c.field {
				t.Fatalf("%s %s leads to %q, want %q", r.Rule, r.Outcome, r.Field, c.field)
			}
		})
	}
}

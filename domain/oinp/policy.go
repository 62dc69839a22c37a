package oinp

// The program's figures, from the application guide (2018) unless said
// otherwise. Everything that changes by policy is here, in one place, with
// its section; the yearly settlement-funds table and the list of GTA
// municipalities are data files (assets/oinp), read by Tables.
const (
	// §2.1.1: full-time means at least this many hours a week and a year.
	MinHoursPerWeek = 30
	MinHoursPerYear = 1560
	// §2.2.1: part-time equivalent experience is at least this many hours
	// a week in one job (over two years).
	MinPartTimeHoursPerWeek = 15
	// §2.2.1: the experience is counted in the years before submission.
	ExperienceWindowYears = 3
	// §2.2.1 takes its definition of full-time from IRCC, whose convention
	// is that hours beyond 30 in a week do not count: a week of 60 hours
	// is one week of full-time work, not two, so 1,560 hours take a year.
	MaxCountedHoursPerWeek = 30
	// §2.2.3: every skill at CLB 4 or above, the test at most 2 years old.
	MinCLB             = 4
	LanguageValidYears = 2
	// §2.2.4: an ECA report at most 5 years old.
	ECAValidYears = 5
	// §2.2.5: children under 22 (and their children) are dependants.
	DependantAgeLimit = 22
	// §2.1 restrictions: equity held by the applicant and family, only as
	// part of pay and below this percentage.
	MaxEquityPercent = 10
	// §2.3.1: in active business for at least 3 years.
	MinBusinessYears = 3
	// §2.3.4: revenue (without HST/GST) and full-time citizen or permanent
	// resident employees at the work location, in and outside the GTA.
	GTAMinRevenueCents     = 1_000_000_00
	GTAMinEmployees        = 5
	OutsideMinRevenueCents = 500_000_00
	OutsideMinEmployees    = 3
	// §2.3.6: the Employer Form is submitted within 6 months of signing.
	EmployerFormValidMonths = 6
	// Appendix 4 §4: "The job offer letter must not be older than six (6)
	// months."
	OfferLetterValidMonths = 6
	// §2.3.6: employer documents may follow within 2 calendar days.
	EmployerDocumentsDays = 2
	// DOMAIN.md §7: a temporary status that expired may be restored
	// within 90 days.
	RestoreDays = 90
	// §3.1: an application is submitted within 14 calendar days of
	// registering.
	RegistrationDays = 14
	// §7 (fees): $2,000 for a job in the GTA, $1,500 outside.
	FeeGTACents     = 2000_00
	FeeOutsideCents = 1500_00
)

// EligibleNOCs are the seven NOC 2016 occupations of the stream (§2.1.2).
var EligibleNOCs = []string{"7441", "7521", "8431", "8432", "8611", "7611", "9462"}

// ECABodies are the organisations IRCC designates for ECA reports (§2.2.4).
var ECABodies = []string{"CES", "ICAS", "WES", "IQAS", "ICES", "MCC", "PEBC"}

// LanguageTestKind is a language test (§2.2.3): the guide accepts IELTS
// General Training and CELPIP General for English, TEF for French; an
// applicant may still enter the IELTS Academic or the CELPIP General LS,
// which the rule then refuses by name. "IELTS" and "CELPIP" are the
// accepted versions (as files before the versions were told apart meant).
type LanguageTestKind string

// The language tests.
const (
	IELTS           LanguageTestKind = "IELTS"
	CELPIP          LanguageTestKind = "CELPIP"
	TEF             LanguageTestKind = "TEF"
	IELTSAcademic   LanguageTestKind = "IELTS-Academic"
	CELPIPGeneralLS LanguageTestKind = "CELPIP-General-LS"
)

// LanguageTests lists the tests a person may enter, each accepted version
// next to the one the guide does not accept.
var LanguageTests = []LanguageTestKind{IELTS, IELTSAcademic, CELPIP, CELPIPGeneralLS, TEF}

// Accepted reports whether the guide accepts the test (§2.2.3: "IELTS
// (General Training Test only) or … CELPIP (General Test only) … and …
// TEF").
func (k LanguageTestKind) Accepted() bool { return k == IELTS || k == CELPIP || k == TEF }

// Skill is one of the four language competencies.
type Skill int

// The four competencies, in the order the guide lists them.
const (
	Listening Skill = iota
	Reading
	Writing
	Speaking
	numSkills
)

// Code is the skill's stable name, used in translation keys.
func (s Skill) Code() string {
	return [numSkills]string{"listening", "reading", "writing", "speaking"}[s]
}

// clbRow is the lowest score of each skill that reaches a CLB level.
type clbRow struct {
	clb int
	min [numSkills]float64
}

// clbTables are Appendix 3's equivalency charts, highest level first: the
// lowest score of each skill (listening, reading, writing, speaking) that
// reaches each CLB from 10 down to 4. CELPIP levels are the CLB levels.
var clbTables = map[LanguageTestKind][]clbRow{
	IELTS: {
		{10, [numSkills]float64{8.5, 8.0, 7.5, 7.5}},
		{9, [numSkills]float64{8.0, 7.0, 7.0, 7.0}},
		{8, [numSkills]float64{7.5, 6.5, 6.5, 6.5}},
		{7, [numSkills]float64{6.0, 6.0, 6.0, 6.0}},
		{6, [numSkills]float64{5.5, 5.0, 5.5, 5.5}},
		{5, [numSkills]float64{5.0, 4.0, 5.0, 5.0}},
		{4, [numSkills]float64{4.5, 3.5, 4.0, 4.0}},
	},
	CELPIP: {
		{10, [numSkills]float64{10, 10, 10, 10}},
		{9, [numSkills]float64{9, 9, 9, 9}},
		{8, [numSkills]float64{8, 8, 8, 8}},
		{7, [numSkills]float64{7, 7, 7, 7}},
		{6, [numSkills]float64{6, 6, 6, 6}},
		{5, [numSkills]float64{5, 5, 5, 5}},
		{4, [numSkills]float64{4, 4, 4, 4}},
	},
	// The chart lists reading before listening; here it is in skill order.
	TEF: {
		{10, [numSkills]float64{316, 263, 393, 393}},
		{9, [numSkills]float64{298, 248, 371, 371}},
		{8, [numSkills]float64{280, 233, 349, 349}},
		{7, [numSkills]float64{249, 207, 310, 310}},
		{6, [numSkills]float64{217, 181, 271, 271}},
		{5, [numSkills]float64{181, 151, 226, 226}},
		{4, [numSkills]float64{145, 121, 181, 181}},
	},
}

// maxScore is the highest score each test gives in a skill (a higher one
// is a typing error).
var maxScore = map[LanguageTestKind][numSkills]float64{
	IELTS:  {9, 9, 9, 9},
	CELPIP: {12, 12, 12, 12},
	TEF:    {360, 300, 450, 450},
}

// CLB is the Canadian Language Benchmark a score reaches in a skill: 0
// below CLB 4 (the charts stop there), 10 at the top of the chart.
func CLB(test LanguageTestKind, skill Skill, score float64) int {
	for _, row := range clbTables[test] {
		if score >= row.min[skill] {
			return row.clb
		}
	}
	return 0
}

package oinp

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"dossier/domain"
)

// Outcome is what a rule found.
type Outcome string

// The outcomes of a rule: it passes, it fails, or what it needs is not
// entered yet.
const (
	Pass    Outcome = "pass"
	Fail    Outcome = "fail"
	Unknown Outcome = "unknown"
)

// Result is one rule's verdict on an application: the rule, the guide's
// section it comes from, the outcome, and the explanation (a catalog key
// and its arguments) and the field to fix.
type Result struct {
	Rule    string  `json:"id"`
	Section string  `json:"section"`
	Outcome Outcome `json:"result"`
	Key     string  `json:"-"`
	Args    []any   `json:"-"`
	Field   string  `json:"field"`
}

// MarkKey is the catalog key of the outcome's mark (✓, ✗, ?).
func (o Outcome) MarkKey() string {
	switch o {
	case Pass:
		return "oinp.mark.pass"
	case Fail:
		return "oinp.mark.fail"
	}
	return "oinp.mark.unknown"
}

// Title is the catalog key of the rule's name.
func (r Result) Title() string { return "oinp.rule." + r.Rule }

// EligibilityReport is every rule's verdict on an application, judged on
// a day (the submission date, or the day of the check).
type EligibilityReport struct {
	On      domain.Date
	Results []Result
	// InGTA says whether the work is in the Greater Toronto Area (it
	// decides the fee, §4.4); Unanswered while the work location is not
	// entered or not known (Application.InGTA).
	InGTA    YesNo
	Region   string
	FeeCents int64
	// EmployerInGTA says whether the employer is located in the Greater
	// Toronto Area (it decides the employer's thresholds, §2.3.4), as the
	// city of its business address reads; Unanswered while not known.
	EmployerInGTA  YesNo
	EmployerRegion string
	// Members is the family size the settlement funds are judged for.
	Members int
}

// Verdict is what the whole report finds: eligible, not eligible, or not
// yet known.
type Verdict string

// The verdicts: every rule passes; a rule fails (whatever else is not
// known yet, the application cannot be eligible as it stands); or no rule
// fails but some cannot be judged until more is entered.
const (
	VerdictEligible    Verdict = "eligible"
	VerdictNotEligible Verdict = "not-eligible"
	VerdictNotYetKnown Verdict = "not-yet-known"
)

// Verdicts lists every verdict (for the catalog test).
var Verdicts = []Verdict{VerdictEligible, VerdictNotEligible, VerdictNotYetKnown}

// Verdict is the report's verdict: VerdictNotEligible when a rule fails,
// else VerdictNotYetKnown when a rule is unknown, else VerdictEligible.
// A report with no results is not yet known.
func (r EligibilityReport) Verdict() Verdict {
	switch {
	case r.Count(Fail) > 0:
		return VerdictNotEligible
	case r.Count(Unknown) > 0 || len(r.Results) == 0:
		return VerdictNotYetKnown
	}
	return VerdictEligible
}

// SummaryKey is the catalog key of the verdict's sentence on the Summary
// (its arguments: the day judged, the rules failed, the rules unknown).
func (v Verdict) SummaryKey() string { return "oinp.summary." + string(v) }

// Eligible reports whether every rule passes (the verdict is
// VerdictEligible).
func (r EligibilityReport) Eligible() bool { return r.Verdict() == VerdictEligible }

// Count counts the results with an outcome.
func (r EligibilityReport) Count(o Outcome) int {
	n := 0
	for _, x := range r.Results {
		if x.Outcome == o {
			n++
		}
	}
	return n
}

// check is what the rules read: the application, the day judged on, the
// tables and what is worked out once.
type check struct {
	a      *Application
	on     domain.Date
	tables Tables
	inGTA  YesNo
	region string
	// employer is where the employer is located (§2.3.4).
	employer Resolution
	// field, when a test sets it, is the field to fix instead of the
	// rule's own (the employer's city when its place is not known).
	field string
}

// rule is one criterion: its ID, its section of the guide, the field a
// person fixes when it fails, and the test. The test returns the outcome
// and, for a failure or an unknown, the explanation's key suffix and
// arguments (the key is "oinp.rule.ID.SUFFIX"; a pass needs none). When
// another field decides an explanation, fieldsToFix and questions
// (fixes.go) name it.
type rule struct {
	id, section, field string
	test               func(c *check) (Outcome, string, []any)
}

// Evaluate judges the application on a day with every rule, in the
// guide's order.
func Evaluate(a *Application, on domain.Date, t Tables) EligibilityReport {
	c := &check{a: a, on: on, tables: t}
	c.inGTA, c.region = a.InGTA(t)
	c.employer = a.EmployerPlace(t)
	rep := EligibilityReport{On: on, InGTA: c.inGTA, Region: c.region, Members: FamilySize(a, on),
		EmployerInGTA: c.employer.InGTA, EmployerRegion: c.employer.Region}
	rep.FeeCents, _ = Fee(c.inGTA)
	for _, r := range rules {
		c.field = ""
		o, suffix, args := r.test(c)
		says := string(o)
		if suffix != "" {
			says += "." + suffix
		}
		res := Result{Rule: r.id, Section: r.section, Outcome: o, Field: r.fieldFor(a, says), Args: args}
		if c.field != "" {
			res.Field = c.field // the rule named the answer that decides it
		}
		res.Key = res.Title() + "." + says
		rep.Results = append(rep.Results, res)
	}
	return rep
}

// rules are the criteria of §2, in the guide's order.
var rules = []rule{
	{"offer.full-time", "2.1", "employer.offer.hoursPerWeek", offerFullTime},
	{"offer.noc", "2.1", "employer.offer.noc", offerNOC},
	{"offer.wage", "2.1", "employer.offer.hourlyWageCents", offerWage},
	{"offer.ontario", "2.1", "employer.offer.province", offerOntario},
	{"offer.restrictions", "2.1", "employer.offer.labourDispute", offerRestrictions},
	{"offer.letter", "2.1", "employer.offer.letterDated", offerLetter},
	{"offer.necessary", "2.1", "employer.offer.alignsWithBusiness", offerNecessary},
	{"applicant.experience", "2.2.1", "work", applicantExperience},
	{"applicant.licence", "2.2.2", "employer.offer.licenceHeld", applicantLicence},
	{"applicant.language", "2.2.3", "language", applicantLanguage},
	{"applicant.education", "2.2.4", "education", applicantEducation},
	{"applicant.funds", "2.2.5", "funds.availableCents", applicantFunds},
	{"applicant.intent", "2.2.6", "intent.signedName", applicantIntent},
	{"applicant.status", "2.2.7", "immigration.inCanada", applicantStatus},
	{"employer.active", "2.3.1", "employer.activeSince", employerActive},
	{"employer.premises", "2.3.2", "employer.ontarioPremises", employerPremises},
	{"employer.compliance", "2.3.3", "employer.outstandingOrders", employerCompliance},
	{"employer.size", "2.3.4", "employer.revenueCents", employerSize},
	{"employer.recruitment", "2.3.5", "employer.offer.recruitmentProof", employerRecruitment},
	{"employer.form", "2.3.6", "employer.signed", employerForm},
}

// RuleIDs lists every rule, in order (for the catalog test and the docs).
func RuleIDs() []string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.id
	}
	return ids
}

func pass() (Outcome, string, []any)                           { return Pass, "", nil }
func unknown(why string, args ...any) (Outcome, string, []any) { return Unknown, why, args }
func fail(why string, args ...any) (Outcome, string, []any)    { return Fail, why, args }

func hours(h float64) domain.Decimal { return domain.Decimal{Value: h, Places: decimals(h)} }

func decimals(x float64) int {
	if x == float64(int64(x)) {
		return 0
	}
	return 1
}

func offerFullTime(c *check) (Outcome, string, []any) {
	o := c.a.Employer.Offer
	switch {
	case o.FullTime == No:
		return fail("part-time")
	case o.Permanent == No:
		return fail("temporary")
	case o.Seasonal == Yes:
		return fail("seasonal")
	case o.Agency == Yes:
		return fail("agency")
	case o.HoursPerWeek > 0 && o.HoursPerWeek < MinHoursPerWeek:
		return fail("hours-week", hours(o.HoursPerWeek), MinHoursPerWeek)
	case o.HoursPerYear > 0 && o.HoursPerYear < MinHoursPerYear:
		return fail("hours-year", hours(o.HoursPerYear), MinHoursPerYear)
	case o.FullTime == Unanswered || o.Permanent == Unanswered || o.Seasonal == Unanswered ||
		o.Agency == Unanswered || o.HoursPerWeek == 0 || o.HoursPerYear == 0:
		return unknown("")
	}
	return pass()
}

func offerNOC(c *check) (Outcome, string, []any) {
	noc := strings.TrimSpace(c.a.Employer.Offer.NOC)
	switch {
	case noc == "":
		return unknown("")
	case !slices.Contains(EligibleNOCs, noc):
		return fail("", noc)
	}
	return pass()
}

func offerWage(c *check) (Outcome, string, []any) {
	o := c.a.Employer.Offer
	switch {
	case o.WageCents <= 0 || o.MedianCents <= 0:
		return unknown("")
	case o.WageCents < o.MedianCents:
		return fail("median", domain.Money(o.WageCents), domain.Money(o.MedianCents))
	case o.CurrentCents > 0 && o.WageCents < o.CurrentCents:
		return fail("current", domain.Money(o.WageCents), domain.Money(o.CurrentCents))
	}
	return pass()
}

func offerOntario(c *check) (Outcome, string, []any) {
	switch p := c.a.Employer.Offer.Province; {
	case p == "":
		return unknown("")
	case p != "ON":
		return fail("")
	}
	return pass()
}

func offerRestrictions(c *check) (Outcome, string, []any) {
	o := c.a.Employer.Offer
	switch {
	case o.LabourDispute == Yes:
		return fail("dispute")
	case o.EquityPercent > 0 && o.EquityAsPay == No:
		return fail("equity", hours(o.EquityPercent))
	case o.EquityPercent >= MaxEquityPercent:
		return fail("equity-share", hours(o.EquityPercent), MaxEquityPercent)
	case o.LabourDispute == Unanswered || o.EquityPercent > 0 && o.EquityAsPay == Unanswered:
		return unknown("")
	}
	return pass()
}

// offerLetter: "You must have a job offer signed by yourself and an
// Ontario employer" (§2.1); "The job offer letter must not be older than
// six (6) months", unless "you are currently working for the employer in
// the same position": the original offer "can be older than six months.
// However, you must also include a recent letter from your employer
// confirming your ongoing employment" (Appendix 4 §4). The letter's age is
// judged on the day of submission.
func offerLetter(c *check) (Outcome, string, []any) {
	o := c.a.Employer.Offer
	dated := o.LetterDated
	switch {
	case o.LetterSignedApplicant == No:
		return fail("unsigned-applicant")
	case o.LetterSignedEmployer == No:
		return fail("unsigned-employer")
	case !dated.IsZero() && c.on.Before(dated):
		return fail("future", dated, c.on)
	case dated.IsZero() || o.LetterSignedApplicant == Unanswered || o.LetterSignedEmployer == Unanswered:
		return unknown("")
	}
	until := addMonths(dated, OfferLetterValidMonths)
	if !until.Before(c.on) {
		return pass()
	}
	switch {
	case o.InPositionNow == Yes && o.OngoingLetter == Yes:
		return pass()
	case o.InPositionNow == Yes && o.OngoingLetter == No:
		return fail("ongoing", dated)
	case o.InPositionNow == Yes:
		return unknown("ongoing")
	}
	return fail("old", dated, until)
}

// offerNecessary: "The position must be necessary to your employer's
// business. This means that the job offer must align with your
// employer's existing business activities and the position must be
// needed to grow or maintain ongoing activity." (§2.1 4.)
func offerNecessary(c *check) (Outcome, string, []any) {
	o := c.a.Employer.Offer
	switch {
	case o.AlignsWithBusiness == No:
		return fail("aligns")
	case o.NeededForActivity == No:
		return fail("needed")
	case o.AlignsWithBusiness == Unanswered || o.NeededForActivity == Unanswered:
		return unknown("")
	}
	return pass()
}

func applicantExperience(c *check) (Outcome, string, []any) {
	noc := strings.TrimSpace(c.a.Employer.Offer.NOC)
	if noc == "" {
		return unknown("noc")
	}
	strict := WorkExperience(c.a.Work, noc, c.on, true)
	if strict.Qualifies() {
		return pass()
	}
	if WorkExperience(c.a.Work, noc, c.on, false).Qualifies() {
		return unknown("answers")
	}
	h := max(strict.FullTimeHours, strict.PartTimeHours)
	return fail("", domain.Decimal{Value: h, Places: 0}, noc, c.on.AddYears(-ExperienceWindowYears))
}

func applicantLicence(c *check) (Outcome, string, []any) {
	o := c.a.Employer.Offer
	switch {
	case o.LicenceNeeded == No:
		return pass()
	case o.LicenceNeeded == Yes && o.LicenceHeld == No:
		return fail("")
	case o.LicenceNeeded == Yes && o.LicenceHeld == Yes:
		return pass()
	}
	return unknown("")
}

func applicantLanguage(c *check) (Outcome, string, []any) {
	if len(c.a.Language) == 0 {
		return unknown("")
	}
	oldest := c.on.AddYears(-LanguageValidYears)
	var why string
	var args []any
	for _, t := range c.a.Language {
		if t.Test != "" && !t.Test.Accepted() {
			// "IELTS (General Training Test only) or … CELPIP (General
			// Test only)" (§2.2.3).
			if why == "" {
				why, args = "version", []any{testName(t.Test)}
			}
			continue
		}
		if _, ok := clbTables[t.Test]; !ok || t.Taken.IsZero() {
			why = "incomplete"
			continue
		}
		if c.on.Before(t.Taken) {
			// Dated after the day judged: not "more than two years old".
			if why == "" {
				why, args = "future", []any{t.Taken, c.on}
			}
			continue
		}
		if t.Taken.Before(oldest) {
			if why == "" {
				why, args = "expired", []any{t.Taken, oldest}
			}
			continue
		}
		low := numSkills
		for s := Listening; s < numSkills; s++ {
			if CLB(t.Test, s, t.Score(s)) < MinCLB {
				low = s
				break
			}
		}
		if low == numSkills {
			return pass()
		}
		score := domain.Decimal{Value: t.Score(low)}
		if t.Test == IELTS {
			score.Places = 1 // IELTS bands are written 3.0, 3.5
		}
		why, args = "score", []any{skillName(low), score, string(t.Test)}
	}
	if why == "incomplete" {
		return unknown("")
	}
	return fail(why, args...)
}

// skillName is a skill as a message argument, in the reader's language.
type skillName Skill

func (s skillName) MessageKey() string { return "oinp.skill." + Skill(s).Code() }

// testName is a language test as a message argument: its full name, as
// the Language Proficiency tab offers it.
type testName LanguageTestKind

func (t testName) MessageKey() string { return "oinp.choice.test." + string(t) }

func applicantEducation(c *check) (Outcome, string, []any) {
	ed := c.a.Education
	if len(ed) == 0 {
		return unknown("")
	}
	foreign := false
	for _, e := range ed {
		if e.Level == "" || e.Completed.IsZero() || c.on.Before(e.Completed) {
			continue
		}
		if e.Canadian() {
			return pass()
		}
		foreign = true
	}
	if !foreign {
		return unknown("")
	}
	eca := c.a.ECA
	switch {
	case eca.Body == "" || eca.Issued.IsZero():
		return fail("eca-missing")
	case !slices.Contains(ECABodies, eca.Body):
		return fail("eca-body", eca.Body)
	case eca.Issued.Before(c.on.AddYears(-ECAValidYears)):
		return fail("eca-old", eca.Issued, c.on.AddYears(-ECAValidYears))
	case eca.Secondary == No:
		return fail("eca-level")
	case eca.Secondary == Unanswered:
		return unknown("")
	}
	return pass()
}

// FamilySize counts the family the settlement funds are for (§2.2.5): the
// applicant, a spouse or common-law partner, and children under 22 on the
// day judged (and their children).
func FamilySize(a *Application, on domain.Date) int {
	n := 1
	spouse := false
	for _, m := range a.Family {
		switch m.Relationship {
		case "spouse", "partner":
			spouse = true
		case "child":
			if m.BirthDate.IsZero() || age(m.BirthDate, on) < DependantAgeLimit {
				n++
			}
		case "grandchild":
			n++
		}
	}
	if spouse || a.Applicant.Marital.HasSpouse() {
		n++
	}
	return n
}

// age is how many whole years old someone born on birth is on day on.
func age(birth, on domain.Date) int {
	years := on.Year - birth.Year
	if on.Before(birth.AddYears(years)) {
		years--
	}
	return years
}

func applicantFunds(c *check) (Outcome, string, []any) {
	f := c.a.Funds
	members := FamilySize(c.a, c.on)
	need := c.tables.FundsRequired(members)
	have := f.AvailableCents
	if f.ClaimIncome == Yes {
		// Income counts only for someone living in Ontario and allowed
		// to work there (§2.2.5).
		if c.a.Contact.Address.InOntario() && c.a.Immigration.WorkInOntario == Yes {
			o := c.a.Employer.Offer
			perYear := o.HoursPerYear
			if perYear == 0 {
				perYear = o.HoursPerWeek * 52
			}
			have += int64(float64(o.WageCents) * perYear)
		}
	}
	switch {
	case have >= need:
		return pass()
	case f.AvailableCents == 0 && f.ClaimIncome == Unanswered:
		return unknown("")
	}
	return fail("", domain.Money(have), members, domain.Money(need), strconv.Itoa(c.tables.FundsYear))
}

func applicantIntent(c *check) (Outcome, string, []any) {
	if strings.TrimSpace(c.a.Intent.SignedName) == "" || c.a.Intent.Signed.IsZero() {
		return unknown("")
	}
	return pass()
}

func applicantStatus(c *check) (Outcome, string, []any) {
	im := c.a.Immigration
	switch {
	case im.InCanada == No:
		return pass()
	case im.InCanada == Unanswered:
		return unknown("")
	case im.Refugee == Yes:
		return fail("refugee")
	case im.Status == "none":
		return fail("none")
	case im.Implied == Yes:
		return pass()
	case im.StatusExpires.IsZero() || im.Status == "":
		return unknown("")
	case im.StatusExpires.Before(c.on):
		return fail("expired", im.StatusExpires)
	}
	return pass()
}

func employerActive(c *check) (Outcome, string, []any) {
	since := c.a.Employer.ActiveSince
	switch {
	case since.IsZero():
		return unknown("")
	case c.on.AddYears(-MinBusinessYears).Before(since):
		return fail("", since, MinBusinessYears)
	}
	return pass()
}

func employerPremises(c *check) (Outcome, string, []any) {
	return yesPasses(c.a.Employer.OntarioPremises)
}

func employerCompliance(c *check) (Outcome, string, []any) {
	return yesPasses(noToYes(c.a.Employer.Orders))
}

func yesPasses(a YesNo) (Outcome, string, []any) {
	switch a {
	case Yes:
		return pass()
	case No:
		return fail("")
	}
	return unknown("")
}

func noToYes(a YesNo) YesNo {
	switch a {
	case Yes:
		return No
	case No:
		return Yes
	}
	return Unanswered
}

// employerSize: "Your employer's business must have, in its most
// recently completed fiscal year before the date of making the
// application, the following" revenue and employees (§2.3.4). The
// thresholds are those of where the employer is located (its business
// address), the employees counted at the work location (a number the
// employer gives). The revenue's fiscal year ends before the day judged,
// and no later fiscal year has ended since.
func employerSize(c *check) (Outcome, string, []any) {
	e := c.a.Employer
	if c.employer.InGTA == Unanswered {
		c.field = "employer.address.city"
		switch c.employer.Why {
		case PlaceUnknown:
			return unknown("place-unknown", strings.TrimSpace(e.Address.City))
		case PlaceAmbiguous:
			return unknown("place-ambiguous", strings.TrimSpace(e.Address.City), placeLabels(c.employer.Candidates))
		}
		return unknown("place")
	}
	if e.RevenueCents == 0 && e.EmployeesLocation == 0 {
		return unknown("")
	}
	switch end := e.FiscalYearEnd; {
	case end.IsZero():
		return unknown("fiscal-year")
	case !end.Before(c.on):
		return fail("fiscal-open", end, c.on)
	case end.AddYears(1).Before(c.on):
		return fail("fiscal-old", end, end.AddYears(1))
	}
	revenue, staff, where := int64(OutsideMinRevenueCents), OutsideMinEmployees, "outside"
	if c.employer.InGTA == Yes {
		revenue, staff, where = GTAMinRevenueCents, GTAMinEmployees, "gta"
	}
	switch {
	case e.RevenueCents < revenue:
		return fail("revenue-"+where, domain.Money(revenue), domain.Money(e.RevenueCents))
	case e.EmployeesLocation < staff:
		return fail("staff-"+where, staff, e.EmployeesLocation)
	}
	return pass()
}

func employerRecruitment(c *check) (Outcome, string, []any) {
	switch c.a.Immigration.WorkInOntario {
	case Yes:
		return pass() // no proof needed from someone working in Ontario
	case Unanswered:
		return unknown("")
	}
	return yesPasses(c.a.Employer.Offer.RecruitmentProof)
}

func employerForm(c *check) (Outcome, string, []any) {
	signed := c.a.Employer.Signed
	switch {
	case signed.IsZero():
		return unknown("")
	case c.on.Before(signed):
		return fail("future", signed)
	case addMonths(signed, EmployerFormValidMonths).Before(c.on):
		return fail("", signed, addMonths(signed, EmployerFormValidMonths))
	}
	return pass()
}

// addMonths is the same day n months later, or the month's last day when
// it has no such day (31 August + 6 months is 28 or 29 February).
func addMonths(d domain.Date, n int) domain.Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return domain.Date{Year: first.Year(), Month: first.Month(), Day: min(d.Day, last)}
}

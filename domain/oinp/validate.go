package oinp

import (
	"fmt"
	"slices"
	"strings"

	"dossier/domain"
)

// Tab is one tab of the application (guide §4.2), in order.
type Tab string

// The tabs of the application form.
const (
	TabGeneral          Tab = "general"
	TabAssistance       Tab = "assistance"
	TabApplicant        Tab = "applicant"
	TabContact          Tab = "contact"
	TabImmigration      Tab = "immigration"
	TabEducation        Tab = "education"
	TabLanguage         Tab = "language"
	TabWork             Tab = "work"
	TabActivities       Tab = "activities"
	TabIntent           Tab = "intent"
	TabFamily           Tab = "family"
	TabFunds            Tab = "funds"
	TabLearning         Tab = "learning"
	TabEmployerHistory  Tab = "employer-history"
	TabEmployerBusiness Tab = "employer-business"
	TabEmployerOffer    Tab = "employer-offer"
	TabDocuments        Tab = "documents"
	TabSchedules        Tab = "schedules"
	TabSummary          Tab = "summary"
	TabPrivacy          Tab = "privacy"
	TabFee              Tab = "fee"
)

// Tabs lists the tabs in the guide's order.
var Tabs = []Tab{TabGeneral, TabAssistance, TabApplicant, TabContact, TabImmigration, TabEducation,
	TabLanguage, TabWork, TabActivities, TabIntent, TabFamily, TabFunds, TabLearning, TabEmployerHistory,
	TabEmployerBusiness, TabEmployerOffer, TabDocuments, TabSchedules, TabSummary, TabPrivacy, TabFee}

// MessageKey names the tab in the catalog.
func (t Tab) MessageKey() string { return "oinp.tab." + string(t) }

// Problem is an error in the application: the tab and the coded error,
// whose Field is the path of the input to fix ("work[1].noc").
type Problem struct {
	Tab Tab
	Err *domain.Error
}

// Codes of the problems Check for Errors reports.
var (
	ErrAnswer       = domain.NewCode("oinp.answer", domain.KindInvalid)
	ErrChoice       = domain.NewCode("oinp.choice", domain.KindInvalid)
	ErrListEmpty    = domain.NewCode("oinp.list.empty", domain.KindInvalid)
	ErrDateOrder    = domain.NewCode("oinp.date.order", domain.KindInvalid)
	ErrDateFuture   = domain.NewCode("oinp.date.future", domain.KindInvalid)
	ErrNOCFormat    = domain.NewCode("oinp.noc.format", domain.KindInvalid)
	ErrHoursRange   = domain.NewCode("oinp.hours.range", domain.KindInvalid)
	ErrScoreRange   = domain.NewCode("oinp.score.range", domain.KindInvalid)
	ErrPercentRange = domain.NewCode("oinp.percent.range", domain.KindInvalid)
	ErrAmount       = domain.NewCode("oinp.amount", domain.KindInvalid)
	ErrGap          = domain.NewCode("oinp.gap", domain.KindInvalid)
	ErrMembers      = domain.NewCode("oinp.members", domain.KindInvalid)
	ErrSignature    = domain.NewCode("oinp.signature", domain.KindInvalid)
	ErrPaidHelper   = domain.NewCode("oinp.paid-helper", domain.KindInvalid)
	ErrBNFormat     = domain.NewCode("oinp.bn.format", domain.KindInvalid)
	ErrEmployees    = domain.NewCode("oinp.employees", domain.KindInvalid)
	ErrExpired      = domain.NewCode("oinp.expired", domain.KindInvalid)
	ErrRepContact   = domain.NewCode("oinp.rep-contact", domain.KindInvalid)
)

// The choices some fields take.
var (
	Sexes          = []string{"F", "M", "X"}
	Statuses       = []string{"worker", "student", "visitor", "none"}
	EducationKinds = []string{"secondary", "post-secondary", "apprenticeship"}
	Relationships  = []string{"spouse", "partner", "child", "grandchild"}
	PaidCategories = []string{"consultant", "lawyer", "notary"}
	Structures     = []string{"corporation", "llp", "sole-proprietorship"}
	LearnedFrom    = []string{"website", "employer", "family", "event", "representative", "media", "other"}
	ActivityKinds  = []string{"visit", "travel", "training", "unemployment", "volunteer", "leave", "other"}
)

// Validate lists every error in the application on a day, tab by tab, in
// the order of the form: what Check for Errors shows. It says nothing of
// eligibility (Evaluate does); an application with no problems is complete.
func Validate(a *Application, on domain.Date) []Problem {
	v := &validator{on: on}
	v.assistance(a.Assistance)
	v.applicant(a.Applicant)
	v.contact(a.Contact)
	v.repContact(a)
	v.immigration(a.Immigration)
	v.education(a.Education)
	v.language(a.Language)
	v.work(a.Work)
	v.activities(a)
	v.intent(a)
	v.family(a.Family)
	v.funds(a)
	v.tab = TabLearning
	v.choice("learnedFrom", a.LearnedFrom, LearnedFrom)
	v.employer(a.Employer)
	v.countries(a)
	v.problems = append(v.problems, MissingDocuments(a)...)
	v.problems = append(v.problems, MissingAgreements(a, on)...)
	return v.problems
}

// ProblemsIn keeps the problems of one tab.
func ProblemsIn(ps []Problem, tab Tab) []Problem {
	var out []Problem
	for _, p := range ps {
		if p.Tab == tab {
			out = append(out, p)
		}
	}
	return out
}

type validator struct {
	on       domain.Date
	tab      Tab
	problems []Problem
}

func (v *validator) add(field string, c domain.Code, args ...any) {
	v.problems = append(v.problems, Problem{Tab: v.tab, Err: domain.FieldError(c, field, args...)})
}

func (v *validator) addErr(err error) {
	if e, ok := err.(*domain.Error); ok {
		v.problems = append(v.problems, Problem{Tab: v.tab, Err: e})
	}
}

func (v *validator) text(field, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.add(field, domain.ErrRequired)
		return false
	}
	return true
}

func (v *validator) name(field, s string) {
	if _, err := domain.CleanName(field, s, true); err != nil {
		v.addErr(err)
	}
}

func (v *validator) answer(field string, a YesNo) {
	if a != Yes && a != No {
		v.add(field, ErrAnswer)
	}
}

func (v *validator) choice(field, s string, choices []string) {
	switch {
	case s == "":
		v.add(field, domain.ErrRequired)
	case !slices.Contains(choices, s):
		v.add(field, ErrChoice)
	}
}

func (v *validator) date(field string, d domain.Date) bool {
	if d.IsZero() {
		v.add(field, domain.ErrRequired)
		return false
	}
	return true
}

// past requires a date no later than the day judged on.
func (v *validator) past(field string, d domain.Date) {
	if v.date(field, d) && v.on.Before(d) {
		v.add(field, ErrDateFuture, d)
	}
}

// span requires from, and to (when set, or when required) not before it.
func (v *validator) span(prefix string, from, to domain.Date, toRequired bool) {
	v.past(prefix+".from", from)
	switch {
	case to.IsZero() && toRequired:
		v.add(prefix+".to", domain.ErrRequired)
	case !to.IsZero() && !from.IsZero() && to.Before(from):
		v.add(prefix+".to", ErrDateOrder, from, to)
	}
}

func (v *validator) noc(field, s string) {
	if v.text(field, s) && (len(s) != 4 || strings.Trim(s, "0123456789") != "") {
		v.add(field, ErrNOCFormat, s)
	}
}

func (v *validator) hoursPerWeek(field string, h float64) {
	if h <= 0 || h > 168 {
		v.add(field, ErrHoursRange)
	}
}

func item(list string, i int, field string) string { return fmt.Sprintf("%s[%d].%s", list, i, field) }

func (v *validator) assistance(x Assistance) {
	v.tab = TabAssistance
	v.answer("assistance.helped", x.Helped)
	if x.Helped != Yes {
		return
	}
	v.text("assistance.name", x.Name)
	v.text("assistance.relationship", x.Relationship)
	v.answer("assistance.paid", x.Paid)
	if x.Paid == Yes && !slices.Contains(PaidCategories, x.PaidCategory) {
		v.add("assistance.paidCategory", ErrPaidHelper)
	}
}

func (v *validator) applicant(x Applicant) {
	v.tab = TabApplicant
	v.name("applicant.familyName", x.FamilyName)
	v.name("applicant.givenNames", x.GivenNames)
	if v.date("applicant.birthDate", x.BirthDate) {
		if err := domain.CheckBirthDate("applicant.birthDate", x.BirthDate, v.on); err != nil {
			v.addErr(err)
		}
	}
	v.text("applicant.birthPlace", x.BirthPlace)
	v.choice("applicant.sex", x.Sex, Sexes)
	v.text("applicant.citizenship", x.Citizenship)
	v.text("applicant.countryOfResidence", x.Residence)
	v.choice("applicant.maritalStatus", string(x.Marital), maritalCodes())
	v.text("applicant.passportNumber", x.Passport)
	if v.date("applicant.passportExpires", x.PassportTo) && x.PassportTo.Before(v.on) {
		v.add("applicant.passportExpires", ErrExpired, x.PassportTo)
	}
	for i, o := range x.OtherNames {
		if strings.TrimSpace(o.FamilyName+o.GivenNames) == "" {
			v.add(item("applicant.otherNames", i, "familyName"), domain.ErrRequired)
		}
		v.text(item("applicant.otherNames", i, "kind"), o.Kind)
	}
}

func maritalCodes() []string {
	out := make([]string, len(Maritals))
	for i, m := range Maritals {
		out[i] = string(m)
	}
	return out
}

func (v *validator) contact(x Contact) {
	v.tab = TabContact
	if _, err := domain.CleanEmail("contact.email", x.Email); err != nil {
		v.addErr(err)
	}
	v.text("contact.phone", x.Phone)
	v.address("contact.residence", x.Address)
	v.choice("contact.language", x.Language, []string{"en", "fr"})
}

func (v *validator) address(prefix string, x Address) {
	v.text(prefix+".street", x.Street)
	v.text(prefix+".city", x.City)
	if v.text(prefix+".country", x.Country) && x.Country == "CA" {
		v.text(prefix+".province", x.Province)
	}
}

func (v *validator) immigration(x Immigration) {
	v.tab = TabImmigration
	v.answer("immigration.inCanada", x.InCanada)
	if x.InCanada == Yes {
		v.choice("immigration.status", x.Status, Statuses)
		if x.Status != "none" && x.Status != "" {
			v.date("immigration.statusExpires", x.StatusExpires)
		}
		v.answer("immigration.refugeeClaimant", x.Refugee)
		if x.StatusExpires.Before(v.on) && !x.StatusExpires.IsZero() {
			v.answer("immigration.impliedStatus", x.Implied)
		}
	}
	if x.ClientID != "" {
		if _, err := domain.ParseClientID(string(x.ClientID)); err != nil {
			v.add("immigration.clientID", domain.ErrClientIDFormat)
		}
	}
	v.answer("immigration.authorisedToWorkInOntario", x.WorkInOntario)
	v.answer("immigration.otherApplications", x.OtherPR)
}

func (v *validator) education(list []Education) {
	v.tab = TabEducation
	if len(list) == 0 {
		v.add("education", ErrListEmpty)
	}
	for i, e := range list {
		v.text(item("education", i, "institution"), e.Institution)
		v.choice(item("education", i, "level"), e.Level, EducationKinds)
		v.text(item("education", i, "country"), e.Country)
		v.span(fmt.Sprintf("education[%d]", i), e.From, e.To, false)
		if !e.Completed.IsZero() && v.on.Before(e.Completed) {
			v.add(item("education", i, "completed"), ErrDateFuture, e.Completed)
		}
	}
}

func (v *validator) language(list []LanguageTest) {
	v.tab = TabLanguage
	if len(list) == 0 {
		v.add("language", ErrListEmpty)
	}
	for i, t := range list {
		if _, ok := clbTables[t.Test]; !ok {
			v.choice(item("language", i, "test"), string(t.Test), kindCodes(LanguageTests))
			continue
		}
		v.past(item("language", i, "taken"), t.Taken)
		if !t.Results.IsZero() && t.Results.Before(t.Taken) {
			v.add(item("language", i, "results"), ErrDateOrder, t.Taken, t.Results)
		}
		top := maxScore[t.Test]
		for s := Listening; s < numSkills; s++ {
			if sc := t.Score(s); sc <= 0 || sc > top[s] {
				v.add(item("language", i, s.Code()), ErrScoreRange, domain.Decimal{Value: top[s]})
			}
		}
	}
}

func (v *validator) work(list []Work) {
	v.tab = TabWork
	for i, w := range list {
		v.text(item("work", i, "employer"), w.Employer)
		v.text(item("work", i, "title"), w.Title)
		v.noc(item("work", i, "noc"), w.NOC)
		v.span(fmt.Sprintf("work[%d]", i), w.From, w.To, false)
		v.hoursPerWeek(item("work", i, "hoursPerWeek"), w.HoursPerWeek)
		if v.text(item("work", i, "country"), w.Country) && w.Country == "CA" {
			v.text(item("work", i, "province"), w.Province)
		}
		v.answer(item("work", i, "paid"), w.Paid)
		v.answer(item("work", i, "authorised"), w.Authorised)
	}
}

func (v *validator) activities(a *Application) {
	v.tab = TabActivities
	for i, x := range a.Activities {
		v.choice(item("activities", i, "kind"), x.Kind, ActivityKinds)
		v.span(fmt.Sprintf("activities[%d]", i), x.From, x.To, true)
	}
	for _, g := range Gaps(a, v.on) {
		v.add("activities", ErrGap, g.From, g.To)
	}
}

func (v *validator) intent(a *Application) {
	v.tab = TabIntent
	x := a.Intent
	if v.text("intent.signedName", x.SignedName) && a.Applicant.FamilyName != "" {
		full := domain.FoldName(a.Applicant.GivenNames + " " + a.Applicant.FamilyName)
		if domain.FoldName(x.SignedName) != full {
			v.add("intent.signedName", ErrSignature)
		}
	}
	v.past("intent.signed", x.Signed)
}

func (v *validator) family(list []FamilyMember) {
	v.tab = TabFamily
	for i, m := range list {
		v.name(item("family", i, "familyName"), m.FamilyName)
		v.name(item("family", i, "givenNames"), m.GivenNames)
		v.past(item("family", i, "birthDate"), m.BirthDate)
		v.choice(item("family", i, "relationship"), m.Relationship, Relationships)
		v.answer(item("family", i, "citizenOrPR"), m.CitizenOrPR)
	}
}

func (v *validator) funds(a *Application) {
	v.tab = TabFunds
	f := a.Funds
	if f.AvailableCents < 0 {
		v.add("funds.availableCents", ErrAmount)
	}
	v.answer("funds.claimIncome", f.ClaimIncome)
	if n := FamilySize(a, v.on); f.Members != n {
		v.add("funds.members", ErrMembers, f.Members, n)
	}
}

func (v *validator) employer(e EmployerForm) {
	v.tab = TabEmployerHistory
	v.answer("employer.appliedBefore", e.AppliedBefore)
	v.answer("employer.helped", e.Helped)

	v.tab = TabEmployerBusiness
	v.text("employer.legalName", e.LegalName)
	if bn := strings.ReplaceAll(e.BusinessNumber, " ", ""); v.text("employer.businessNumber", bn) &&
		(len(bn) != 9 || strings.Trim(bn, "0123456789") != "") {
		v.add("employer.businessNumber", ErrBNFormat)
	}
	v.choice("employer.structure", e.Structure, Structures)
	v.past("employer.activeSince", e.ActiveSince)
	v.text("employer.sector", e.Sector)
	if e.RevenueCents <= 0 {
		v.add("employer.revenueCents", ErrAmount)
	}
	v.address("employer.address", e.Address)
	v.answer("employer.ontarioPremises", e.OntarioPremises)
	v.answer("employer.outstandingOrders", e.Orders)
	if e.EmployeesTotal < e.EmployeesLocation || e.EmployeesTotal <= 0 {
		v.add("employer.employeesTotal", ErrEmployees)
	}

	v.tab = TabEmployerOffer
	o := e.Offer
	v.text("employer.offer.position", o.Position)
	v.noc("employer.offer.noc", o.NOC)
	v.hoursPerWeek("employer.offer.hoursPerWeek", o.HoursPerWeek)
	if o.HoursPerYear <= 0 || o.HoursPerYear > 8784 {
		v.add("employer.offer.hoursPerYear", ErrHoursRange)
	}
	if o.WageCents <= 0 {
		v.add("employer.offer.hourlyWageCents", ErrAmount)
	}
	if o.MedianCents <= 0 {
		v.add("employer.offer.medianWageCents", ErrAmount)
	}
	for _, q := range []struct {
		field string
		a     YesNo
	}{{"fullTime", o.FullTime}, {"indeterminate", o.Permanent}, {"seasonal", o.Seasonal},
		{"agencyOrSubcontract", o.Agency}, {"labourDispute", o.LabourDispute}, {"licenceNeeded", o.LicenceNeeded},
		{"lmia", o.LMIA}} {
		v.answer("employer.offer."+q.field, q.a)
	}
	if o.LicenceNeeded == Yes {
		v.answer("employer.offer.licenceHeld", o.LicenceHeld)
	}
	if o.EquityPercent < 0 || o.EquityPercent > 100 {
		v.add("employer.offer.equityPercent", ErrPercentRange)
	} else if o.EquityPercent > 0 {
		v.answer("employer.offer.equityAsPay", o.EquityAsPay)
	}
	v.text("employer.offer.municipality", o.Municipality)
	v.text("employer.offer.province", o.Province)
	v.text("employer.offer.signingOfficer", o.SigningOfficer)
	v.text("employer.offer.contactPerson", o.ContactPerson)
	v.past("employer.signed", e.Signed)
}

// repContact refuses a representative's e-mail in the applicant's contact
// information while no representative is appointed (§3.2).
func (v *validator) repContact(a *Application) {
	if _, ok := a.ActiveRepresentative(); ok {
		return
	}
	for _, r := range a.Representatives {
		if r.Email != "" && strings.EqualFold(strings.TrimSpace(r.Email), strings.TrimSpace(a.Contact.Email)) {
			v.add("contact.email", ErrRepContact)
			return
		}
	}
}

// kindCodes are the tests' codes, for a choice.
func kindCodes(kinds []LanguageTestKind) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

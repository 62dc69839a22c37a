package oinp

import (
	"encoding/json"
	"strconv"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/country"
)

// SchemaVersion is the version of the application file (docs/oinp-application.md).
const SchemaVersion = 1

// YesNo is a question's answer: Yes, No, or not answered yet (""), which
// the rules report as not yet known rather than as a failure.
type YesNo string

// The answers to a yes/no question.
const (
	Unanswered YesNo = ""
	Yes        YesNo = "yes"
	No         YesNo = "no"
)

// Application is everything an applicant enters, tab by tab (guide §4.2),
// as it is saved, exported and imported. Amounts are in cents, dates are
// YYYY-MM-DD, hours are per week unless named otherwise.
type Application struct {
	Schema     int         `json:"schema"`
	FileNumber FileNumber  `json:"fileNumber,omitzero"`
	Registered domain.Date `json:"registered,omitzero"`
	Submitted  domain.Date `json:"submitted,omitzero"`

	Assistance  Assistance     `json:"assistance"`
	Applicant   Applicant      `json:"applicant"`
	Contact     Contact        `json:"contact"`
	Immigration Immigration    `json:"immigration"`
	Education   []Education    `json:"education,omitempty"`
	ECA         ECA            `json:"eca"`
	Language    []LanguageTest `json:"language,omitempty"`
	Work        []Work         `json:"work,omitempty"`
	Activities  []Activity     `json:"activities,omitempty"`
	Intent      Intent         `json:"intent"`
	Family      []FamilyMember `json:"family,omitempty"`
	Funds       Funds          `json:"funds"`
	LearnedFrom string         `json:"learnedFrom,omitempty"`
	Employer    EmployerForm   `json:"employer"`
	Documents   []Document     `json:"documents,omitempty"`
	Agreements  []Agreement    `json:"agreements,omitempty"`
	// Payment is the fee's receipt, set with Submitted.
	Payment *Receipt `json:"payment,omitempty"`
	// Withdrawn is the day the applicant withdrew the submitted file.
	Withdrawn domain.Date `json:"withdrawn,omitzero"`
	// Notices are the changes of information sent after submission.
	Notices []Notice `json:"notices,omitempty"`
	// ProcessingStarted is the day the program started processing the
	// submitted file (§5.6: from then on a withdrawal is not refunded).
	ProcessingStarted domain.Date `json:"processingStarted,omitzero"`
	// Incomplete is the program's finding that the file is incomplete
	// (§5.3): it is returned, not processed, and the fee refunded.
	Incomplete *Incompleteness `json:"incomplete,omitempty"`
	// Decision is the program's decision on the submitted file, once
	// made (the officers' workspace records it).
	Decision *Decision `json:"decision,omitempty"`
	// InfoRequests are the program's requests for information (§5.4)
	// and the applicant's answers.
	InfoRequests []InfoRequest `json:"infoRequests,omitempty"`
	// Nomination is the Confirmation of Nomination, once approved.
	Nomination *Nomination `json:"nomination,omitempty"`
	// Review is the internal review of the decision, once asked (§5.7).
	Review *Review `json:"review,omitempty"`
	// Representatives are the people who asked to act for the applicant
	// (§3.2): at most one is active at a time.
	Representatives []Representation `json:"representatives,omitempty"`
	// EmployerSendsDocuments: the employer e-mails its own documents to
	// the program within 2 calendar days of submission (§2.3.6).
	EmployerSendsDocuments YesNo `json:"employerSendsDocuments,omitzero"`
}

// Assistance is the Assistance with Application tab (§4.2.2, §3.2).
type Assistance struct {
	Helped       YesNo  `json:"helped,omitzero"`
	Name         string `json:"name,omitempty"`
	Relationship string `json:"relationship,omitempty"`
	Paid         YesNo  `json:"paid,omitzero"`
	// PaidCategory is the kind of paid representative the program
	// recognises: "consultant", "lawyer" or "notary" (§3.2.1).
	PaidCategory string `json:"paidCategory,omitempty"`
}

// Applicant is the Applicant Information tab (§4.2.3).
type Applicant struct {
	FamilyName   string      `json:"familyName,omitempty"`
	GivenNames   string      `json:"givenNames,omitempty"`
	OtherNames   []OtherName `json:"otherNames,omitempty"`
	BirthDate    domain.Date `json:"birthDate,omitzero"`
	BirthPlace   string      `json:"birthPlace,omitempty"`
	Sex          string      `json:"sex,omitempty"`
	Citizenship  string      `json:"citizenship,omitempty"`
	Residence    string      `json:"countryOfResidence,omitempty"`
	Marital      Marital     `json:"maritalStatus,omitzero"`
	Passport     string      `json:"passportNumber,omitempty"`
	PassportFrom domain.Date `json:"passportIssued,omitzero"`
	PassportTo   domain.Date `json:"passportExpires,omitzero"`
}

// OtherName is a name the applicant uses or used (birth, maiden, alias…).
type OtherName struct {
	// ID tells the line apart from the others when two desks merge the
	// section (domain/fields): it never changes and says nothing.
	ID         domain.ID `json:"id,omitzero"`
	FamilyName string    `json:"familyName,omitempty"`
	GivenNames string    `json:"givenNames,omitempty"`
	Kind       string    `json:"kind,omitempty"`
}

// Marital is one of the eight marital statuses the guide defines (§4.2.3).
type Marital string

// The marital statuses.
const (
	Annulled  Marital = "annulled"
	CommonLaw Marital = "common-law"
	Divorced  Marital = "divorced"
	Separated Marital = "separated"
	Married   Marital = "married"
	Never     Marital = "never-married"
	Partner   Marital = "partner"
	Widowed   Marital = "widowed"
)

// Maritals lists the statuses in the guide's order.
var Maritals = []Marital{Annulled, CommonLaw, Divorced, Separated, Married, Never, Partner, Widowed}

// HasSpouse reports whether the status brings a spouse or common-law
// partner into the family (§2.2.5).
func (m Marital) HasSpouse() bool { return m == Married || m == CommonLaw }

// Contact is the Contact Information tab (§4.2.4).
type Contact struct {
	Email    string  `json:"email,omitempty"`
	Phone    string  `json:"phone,omitempty"`
	AltPhone string  `json:"altPhone,omitempty"`
	Address  Address `json:"residence"`
	Mailing  Address `json:"mailing,omitzero"`
	// Language is the language of correspondence: "en" or "fr".
	Language string `json:"language,omitempty"`
}

// Address is a street address.
type Address struct {
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Province   string `json:"province,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country,omitempty"`
}

// InOntario reports whether the address is in Ontario, Canada.
func (a Address) InOntario() bool {
	return a.Province == "ON" && (a.Country == "" || a.Country == "CA")
}

// Immigration is the Immigration Information tab (§4.2.5, §2.2.7).
type Immigration struct {
	// InCanada: the applicant lives in Canada now.
	InCanada YesNo `json:"inCanada,omitzero"`
	// Status is the temporary status held: "worker", "student",
	// "visitor", or "none".
	Status        string          `json:"status,omitempty"`
	StatusExpires domain.Date     `json:"statusExpires,omitzero"`
	Implied       YesNo           `json:"impliedStatus,omitzero"`
	Refugee       YesNo           `json:"refugeeClaimant,omitzero"`
	ClientID      domain.ClientID `json:"clientID,omitempty"`
	// WorkInOntario: authorised to work in Ontario now (§2.3.5).
	WorkInOntario YesNo `json:"authorisedToWorkInOntario,omitzero"`
	OtherPR       YesNo `json:"otherApplications,omitzero"`
}

// Education is one line of the Education History tab (§4.2.6).
type Education struct {
	// ID tells the line apart from the others when two desks merge the
	// section (domain/fields): it never changes and says nothing.
	ID          domain.ID   `json:"id,omitzero"`
	Institution string      `json:"institution,omitempty"`
	Level       string      `json:"level,omitempty"` // "secondary", "post-secondary", "apprenticeship"
	Country     string      `json:"country,omitempty"`
	From        domain.Date `json:"from,omitzero"`
	To          domain.Date `json:"to,omitzero"`
	FullTime    YesNo       `json:"fullTime,omitzero"`
	Completed   domain.Date `json:"completed,omitzero"`
}

// Canadian reports whether the studies were in Canada.
func (e Education) Canadian() bool { return e.Country == "CA" }

// ECA is an Educational Credential Assessment of foreign studies (§2.2.4).
type ECA struct {
	Body   string      `json:"body,omitempty"` // one of ECABodies
	Number string      `json:"number,omitempty"`
	Issued domain.Date `json:"issued,omitzero"`
	// Secondary: the report finds the studies equal to a Canadian
	// secondary school diploma or above.
	Secondary YesNo `json:"secondaryOrAbove,omitzero"`
}

// LanguageTest is one line of the Language Proficiency tab (§4.2.7).
type LanguageTest struct {
	// ID tells the line apart from the others when two desks merge the
	// section (domain/fields): it never changes and says nothing.
	ID        domain.ID        `json:"id,omitzero"`
	Test      LanguageTestKind `json:"test,omitempty"`
	Taken     domain.Date      `json:"taken,omitzero"`
	Results   domain.Date      `json:"results,omitzero"`
	Listening float64          `json:"listening,omitempty"`
	Reading   float64          `json:"reading,omitempty"`
	Writing   float64          `json:"writing,omitempty"`
	Speaking  float64          `json:"speaking,omitempty"`
}

// Score is the test's score in a skill.
func (l LanguageTest) Score(s Skill) float64 {
	return [numSkills]float64{l.Listening, l.Reading, l.Writing, l.Speaking}[s]
}

// Work is one line of the Work History tab (§4.2.8): paid work in the last
// ten years (or since 18).
type Work struct {
	// ID tells the line apart from the others when two desks merge the
	// section (domain/fields): it never changes and says nothing.
	ID       domain.ID   `json:"id,omitzero"`
	Employer string      `json:"employer,omitempty"`
	Title    string      `json:"title,omitempty"`
	NOC      string      `json:"noc,omitempty"`
	From     domain.Date `json:"from,omitzero"`
	// To is the last day worked; zero while the job goes on.
	To            domain.Date `json:"to,omitzero"`
	HoursPerWeek  float64     `json:"hoursPerWeek,omitempty"`
	Country       string      `json:"country,omitempty"`
	Province      string      `json:"province,omitempty"`
	Paid          YesNo       `json:"paid,omitzero"`
	Authorised    YesNo       `json:"authorised,omitzero"`
	LicenceNeeded YesNo       `json:"licenceNeeded,omitzero"`
	LicenceHeld   YesNo       `json:"licenceHeld,omitzero"`
}

// InOntario reports whether the job was in Ontario.
func (w Work) InOntario() bool { return w.Country == "CA" && w.Province == "ON" }

// Activity is one line of the Travel History and Other Activities tab
// (§4.2.9): a visit to Canada, travel, training, unemployment, leave…
type Activity struct {
	// ID tells the line apart from the others when two desks merge the
	// section (domain/fields): it never changes and says nothing.
	ID          domain.ID   `json:"id,omitzero"`
	Kind        string      `json:"kind,omitempty"`
	Description string      `json:"description,omitempty"`
	From        domain.Date `json:"from,omitzero"`
	To          domain.Date `json:"to,omitzero"`
	Country     string      `json:"country,omitempty"`
}

// Intent is the Intent to Reside in Ontario tab (§4.2.10, §2.2.6).
type Intent struct {
	Ties []string `json:"ties,omitempty"`
	// SignedName and Signed confirm the intention (full name and date).
	SignedName string      `json:"signedName,omitempty"`
	Signed     domain.Date `json:"signed,omitzero"`
}

// FamilyMember is one line of the Family Information tab (§4.2.11).
type FamilyMember struct {
	// ID tells the line apart from the others when two desks merge the
	// section (domain/fields): it never changes and says nothing.
	ID         domain.ID   `json:"id,omitzero"`
	FamilyName string      `json:"familyName,omitempty"`
	GivenNames string      `json:"givenNames,omitempty"`
	BirthDate  domain.Date `json:"birthDate,omitzero"`
	// Relationship: "spouse", "partner" (common-law), "child", "grandchild".
	Relationship string `json:"relationship,omitempty"`
	CitizenOrPR  YesNo  `json:"citizenOrPR,omitzero"`
	Accompanying YesNo  `json:"accompanying,omitzero"`
}

// Funds is the Settlement Funds tab (§4.2.12, §2.2.5).
type Funds struct {
	// AvailableCents are unencumbered, transferable funds.
	AvailableCents int64 `json:"availableCents,omitempty"`
	// ClaimIncome counts the offered (or current) Ontario salary.
	ClaimIncome YesNo `json:"claimIncome,omitzero"`
	// Members is the family size the applicant confirms (prefilled from
	// Family Information).
	Members int `json:"members,omitempty"`
}

// EmployerForm is the three Employer Form tabs (§4.2.14–16), as the
// employer filled and signed them.
type EmployerForm struct {
	Signed domain.Date `json:"signed,omitzero"`
	// History (§4.2.14).
	AppliedBefore  YesNo  `json:"appliedBefore,omitzero"`
	Helped         YesNo  `json:"helped,omitzero"`
	Representative string `json:"representative,omitempty"`
	// Business details (§4.2.15).
	LegalName      string      `json:"legalName,omitempty"`
	OperatingName  string      `json:"operatingName,omitempty"`
	BusinessNumber string      `json:"businessNumber,omitempty"`
	Structure      string      `json:"structure,omitempty"` // "corporation", "llp", "sole-proprietorship"
	Franchisor     YesNo       `json:"franchisor,omitzero"`
	ActiveSince    domain.Date `json:"activeSince,omitzero"`
	Sector         string      `json:"sector,omitempty"`
	RevenueCents   int64       `json:"revenueCents,omitempty"`
	// FiscalYearEnd is the last day of the fiscal year RevenueCents is
	// for: the most recently completed one before the application
	// (§2.3.4).
	FiscalYearEnd domain.Date `json:"fiscalYearEnd,omitzero"`
	Address       Address     `json:"address"`
	// OntarioPremises: a fixed place of business in Ontario (§2.3.2).
	OntarioPremises YesNo `json:"ontarioPremises,omitzero"`
	// Orders: outstanding ESA or OHSA orders (§2.3.3).
	Orders            YesNo `json:"outstandingOrders,omitzero"`
	EmployeesTotal    int   `json:"employeesTotal,omitempty"`
	EmployeesLocation int   `json:"employeesAtLocation,omitempty"`
	// Job offer details (§4.2.16).
	Offer JobOffer `json:"offer"`
}

// JobOffer is the position offered (§2.1, §4.2.16).
type JobOffer struct {
	Position     string  `json:"position,omitempty"`
	NOC          string  `json:"noc,omitempty"`
	HoursPerWeek float64 `json:"hoursPerWeek,omitempty"`
	HoursPerYear float64 `json:"hoursPerYear,omitempty"`
	WageCents    int64   `json:"hourlyWageCents,omitempty"`
	MedianCents  int64   `json:"medianWageCents,omitempty"`
	// MedianRegion is the economic region the median is for, when it
	// came from a Job Bank file.
	MedianRegion  string `json:"medianRegion,omitempty"`
	CurrentCents  int64  `json:"currentWageCents,omitempty"`
	FullTime      YesNo  `json:"fullTime,omitzero"`
	Permanent     YesNo  `json:"indeterminate,omitzero"`
	Seasonal      YesNo  `json:"seasonal,omitzero"`
	Agency        YesNo  `json:"agencyOrSubcontract,omitzero"`
	LabourDispute YesNo  `json:"labourDispute,omitzero"`
	// Equity held by the applicant or family in the business; AsPay when
	// it came as part of pay.
	EquityPercent float64 `json:"equityPercent,omitempty"`
	EquityAsPay   YesNo   `json:"equityAsPay,omitzero"`
	// Where the work is: a municipality (decides the GTA) in a province.
	Municipality  string `json:"municipality,omitempty"`
	Province      string `json:"province,omitempty"`
	LicenceNeeded YesNo  `json:"licenceNeeded,omitzero"`
	LicenceHeld   YesNo  `json:"licenceHeld,omitzero"`
	// RecruitmentProof: the employer's recruitment efforts (§2.3.5).
	RecruitmentProof YesNo  `json:"recruitmentProof,omitzero"`
	LMIA             YesNo  `json:"lmia,omitzero"`
	SigningOfficer   string `json:"signingOfficer,omitempty"`
	ContactPerson    string `json:"contactPerson,omitempty"`
	// The job offer letter (§2.1, Appendix 4 §4): its date, and whether
	// the applicant and the employer both signed it.
	LetterDated           domain.Date `json:"letterDated,omitzero"`
	LetterSignedApplicant YesNo       `json:"letterSignedByApplicant,omitzero"`
	LetterSignedEmployer  YesNo       `json:"letterSignedByEmployer,omitzero"`
	// InPositionNow: the applicant already works for the employer in the
	// position; the original letter may then be older than six months,
	// with a recent letter confirming the ongoing employment
	// (OngoingLetter).
	InPositionNow YesNo `json:"inPositionNow,omitzero"`
	OngoingLetter YesNo `json:"ongoingEmploymentLetter,omitzero"`
	// The position is necessary to the employer's business (§2.1 4.):
	// it aligns with the existing business activities, and it is needed
	// to grow or maintain ongoing activity.
	AlignsWithBusiness YesNo `json:"alignsWithBusiness,omitzero"`
	NeededForActivity  YesNo `json:"neededForActivity,omitzero"`
}

// Notice is a change of information the applicant sent after submitting
// (§5.4): the day and what changed, in their words.
type Notice struct {
	Sent domain.Date `json:"sent"`
	Text string      `json:"text"`
}

// Representation is a representative's standing on an application: asked
// for by the representative (with the file number and the applicant's
// e-mail), then authorised or refused by the applicant, who may cancel it.
type Representation struct {
	Account domain.ID   `json:"account"`
	Name    string      `json:"name"`
	Email   string      `json:"email,omitempty"`
	Status  RepStatus   `json:"status"`
	Asked   domain.Date `json:"asked"`
	Decided domain.Date `json:"decided,omitzero"`
}

// RepStatus is where a representation stands.
type RepStatus string

// The standings of a representative.
const (
	RepPending   RepStatus = "pending"
	RepActive    RepStatus = "active"
	RepRefused   RepStatus = "refused"
	RepCancelled RepStatus = "cancelled"
)

// ActiveRepresentative is the representative acting now, if any.
func (a *Application) ActiveRepresentative() (Representation, bool) {
	for _, r := range a.Representatives {
		if r.Status == RepActive {
			return r, true
		}
	}
	return Representation{}, false
}

// Fields flattens the form into its fields, by path ("work[1].noc" →
// "8431"), leaving out what the store keeps itself (numbers, dates of
// the file, documents, payment, representatives). Empty fields are left
// out.
func Fields(a *Application) map[string]string {
	b, _ := json.Marshal(a)
	var tree map[string]any
	json.Unmarshal(b, &tree)
	for _, k := range []string{"schema", "fileNumber", "registered", "submitted", "documents", "payment",
		"withdrawn", "notices", "representatives", "decision", "infoRequests", "nomination", "review",
		"processingStarted", "incomplete"} {
		delete(tree, k)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if k == "id" {
					// A line's identity is not a field anyone fills.
					continue
				}
				if prefix != "" {
					k = prefix + "." + k
				}
				walk(k, c)
			}
		case []any:
			for i, c := range x {
				walk(prefix+"["+strconv.Itoa(i)+"]", c)
			}
		case string:
			if x != "" {
				out[prefix] = x
			}
		case float64:
			if x != 0 {
				out[prefix] = strconv.FormatFloat(x, 'f', -1, 64)
			}
		case bool:
			if x {
				out[prefix] = "true"
			}
		}
	}
	walk("", tree)
	return out
}

// Decision is the program's decision on a file: approved (nominated) or
// refused, the day the applicant was notified, and the reasons.
type Decision struct {
	Outcome  string      `json:"outcome"` // "approved" or "refused"
	Notified domain.Date `json:"notified"`
	Reasons  []string    `json:"reasons,omitempty"`
	// Officer is the program officer who decided (an internal review
	// goes to another).
	Officer domain.ID `json:"officer,omitzero"`
	// OfficerName is the deciding officer's name as the program's records
	// held it on the day, which the letters of the decision are signed
	// with (empty in files decided before it was kept).
	OfficerName string `json:"officerName,omitempty"`
	// OfficerForm is the form of their role the officer chose (the
	// letters give their title in it; neutral in files decided before).
	OfficerForm account.Form `json:"officerForm,omitempty"`
}

// Days to ask for an internal review of a decision (§5.7): 30 calendar
// days after notice for a resident of Canada, 60 otherwise.
const (
	ReviewDaysResident    = 30
	ReviewDaysNonResident = 60
	// NominationValidMonths is how long a Confirmation of Nomination is
	// valid (§6.1).
	NominationValidMonths = 6
)

// ReviewDeadline is the last day to ask for an internal review of the
// decision; zero before a decision. The country of residence is the code
// the edge resolved ("Canada" typed is "CA": ResolveCountries).
func (a *Application) ReviewDeadline() domain.Date {
	if a.Decision == nil || a.Decision.Notified.IsZero() {
		return domain.Date{}
	}
	days := ReviewDaysNonResident
	if a.Applicant.Residence == country.Canada || a.Immigration.InCanada == Yes {
		days = ReviewDaysResident
	}
	return a.Decision.Notified.AddDays(days)
}

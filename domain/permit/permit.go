package permit

import (
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
)

// Status is where an application is. The numbers are stored and sent:
// never renumber them.
type Status uint8

// The statuses (design: the source names the application, its payment and
// its decision; IRCC's own application reads "submitted", "in review",
// "approved", "refused", and may be withdrawn before it is decided).
const (
	// Pending is an application the student has paid for on a desk that
	// has not yet heard the server take the fee; only a desk holds it.
	Pending   Status = 1
	Submitted Status = 2 // received and paid
	InReview  Status = 3
	Approved  Status = 4
	Refused   Status = 5
	Withdrawn Status = 6
)

var statusCodes = map[Status]string{Pending: "pending", Submitted: "submitted", InReview: "in-review",
	Approved: "approved", Refused: "refused", Withdrawn: "withdrawn"}

// Code is the status's stable name.
func (s Status) Code() string { return statusCodes[s] }

// Valid reports whether s is a status.
func (s Status) Valid() bool { _, ok := statusCodes[s]; return ok }

// MessageKey names the status in the catalog.
func (s Status) MessageKey() string { return "permit.status." + s.Code() }

// Live reports whether an application in status s holds its EVN: one not
// withdrawn or refused. A student applies again with the same EVN only
// after one of those.
func (s Status) Live() bool { return s != Withdrawn && s != Refused }

// Decided reports whether the program has decided.
func (s Status) Decided() bool { return s == Approved || s == Refused }

// Form is what the student fills in: who they are (prefilled from their
// verified request), their passport, their address in Canada and their
// studies, and their consent and declaration. IRCC's own form asks more
// (family, history); the program already holds those through the school,
// so the form asks only what the permit is issued on (design).
type Form struct {
	GivenNames string          `json:"givenNames"`
	FamilyName string          `json:"familyName"`
	BirthDate  domain.Date     `json:"birthDate"`
	ClientID   domain.ClientID `json:"clientID"`
	Email      string          `json:"email"`

	PassportNumber  string      `json:"passportNumber"`
	PassportCountry string      `json:"passportCountry"`
	PassportExpiry  domain.Date `json:"passportExpiry"`

	Street     string `json:"street"`
	City       string `json:"city"`
	Province   string `json:"province"`
	PostalCode string `json:"postalCode"`
	Phone      string `json:"phone,omitempty"`

	Program    string      `json:"program"`
	StudyStart domain.Date `json:"studyStart"`
	StudyEnd   domain.Date `json:"studyEnd"`

	// Consent: the student agrees that the program and the school share
	// what is needed to decide. Declaration: what they wrote is true.
	Consent     bool `json:"consent"`
	Declaration bool `json:"declaration"`
}

// Application is one student's application for an Off-Campus Work
// Permit. Its ID is the ID of the verification whose EVN it carries: one
// application to an EVN at a time.
type Application struct {
	ID      domain.ID `json:"id"`
	Version uint64    `json:"version"`
	Student domain.ID `json:"student"`
	School  domain.ID `json:"school"`
	EVN     ens.EVN   `json:"evn"`
	Form    Form      `json:"form"`
	Status  Status    `json:"status"`
	// Submitted is the day the program received it (the server's day).
	Submitted domain.Date `json:"submitted"`
	// FeeCents is the fee the student agreed to pay; Receipt is the
	// server's processor's, once paid.
	FeeCents int64         `json:"feeCents"`
	Receipt  *oinp.Receipt `json:"receipt,omitempty"`
	// The decision: the day, the officer, and the reason of a refusal
	// (the student reads it).
	Decided     domain.Date `json:"decided"`
	Officer     domain.ID   `json:"officer"`
	OfficerName string      `json:"officerName,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	Updated     time.Time   `json:"updated"`
}

// Prefill is the form as the student's verified request already knows
// it.
func Prefill(r *ens.Request) Form {
	return Form{GivenNames: r.Student.GivenNames, FamilyName: r.Student.FamilyName, BirthDate: r.Student.BirthDate,
		ClientID: r.Student.ClientID, Email: r.Student.Email}
}

// normPostal writes a Canadian postal code as A1A 1A1; ok is false for
// anything else.
func normPostal(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(s) != 6 {
		return s, false
	}
	for i := range 6 {
		c := s[i]
		letter := c >= 'A' && c <= 'Z' && !strings.ContainsRune("DFIOQU", rune(c))
		digit := c >= '0' && c <= '9'
		if i%2 == 0 && !letter || i%2 == 1 && !digit {
			return s, false
		}
	}
	return s[:3] + " " + s[3:], true
}

// Provinces are the codes of Canada's provinces and territories.
var Provinces = []string{"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}

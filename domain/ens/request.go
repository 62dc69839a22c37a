package ens

import (
	"time"

	"dossier/domain"
)

// Request is one item of a school's DIR queue.
type Request struct {
	ID      domain.ID
	Version uint64 // advanced by every change; the base version of a sync command
	Type    Type
	Status  Status
	// School is the school the request is addressed to: the one whose desk
	// works it.
	School domain.ID
	// FromSchool is the student's previous school: the school named in an
	// EVT, or the school an EVN is moved from in a TI.
	FromSchool domain.ID
	// StudentAccount is the student who raised the request; zero for the
	// Annual Compliance requests the program raises.
	StudentAccount domain.ID
	Student        Student
	Received       time.Time
	// Expires is when an open request lapses. Save never changes it [000].
	// Zero for Annual Compliance, which stays until it is reported.
	Expires time.Time
	Updated time.Time
	// EVN is the number a Verify issued (EV, EVT), or the number the student
	// asks to move (TI).
	EVN      EVN
	Assignee domain.ID
	Checks   Checks
	Notes    string
	// Reason is why the request was rejected or the student found
	// ineligible; the student reads it.
	Reason    string
	DecidedBy domain.ID
	DecidedAt time.Time
	// TransferredTo is set on a finished verification once the student's
	// verification has moved to another school (the record is closed as
	// transferred).
	TransferredTo domain.ID
	// ComplianceYear is the year of the 15 October list an AC request
	// belongs to.
	ComplianceYear int
}

// Student is what identifies the student to the desk.
type Student struct {
	GivenNames    string
	FamilyName    string
	BirthDate     domain.Date
	ClientID      domain.ClientID
	StudentNumber string
	Email         string
}

// Check is the desk's answer to one eligibility criterion.
type Check uint8

// The answers.
const (
	Unchecked Check = 0
	Met       Check = 1
	NotMet    Check = 2
)

// Criterion is one condition of student eligibility the DIR confirms before
// verifying (public CIC guidance, 2009; DOMAIN.md §3).
type Criterion uint8

// The criteria, in the order the desk reads them.
const (
	FullTimeStudent     Criterion = iota // full-time at a participating school
	FullTimeSixOfTwelve                  // full-time at least 6 of the last 12 months
	AcademicStanding                     // satisfactory standing as the school defines it
	NotExchange                          // not an exchange student
	NotScholarship                       // not on a government scholarship that excludes work
	NotLanguageOnly                      // not in an ESL/FSL-only programme
	numCriteria
)

// Criteria lists every criterion in display order.
var Criteria = []Criterion{FullTimeStudent, FullTimeSixOfTwelve, AcademicStanding,
	NotExchange, NotScholarship, NotLanguageOnly}

var criterionCodes = [numCriteria]string{"full-time", "six-of-twelve", "standing",
	"not-exchange", "not-scholarship", "not-language-only"}

// Code is the stable name of the criterion, used in translation keys.
func (c Criterion) Code() string { return criterionCodes[c] }

// Checks holds the desk's answer for each criterion.
type Checks [numCriteria]Check

// AllMet reports whether every criterion is confirmed.
func (cs Checks) AllMet() bool {
	for _, c := range cs {
		if c != Met {
			return false
		}
	}
	return true
}

// Draft is what a desk can change and keep with Save: its notes, the student
// number, and the eligibility checklist.
type Draft struct {
	Notes         string
	StudentNumber string
	Checks        Checks
}

// Settings are the program's choices that may change by policy.
type Settings struct {
	// ExpiryDays is how long an unfinished request lives (design: 30).
	ExpiryDays int
}

// DefaultSettings are the settings a new profile starts with.
var DefaultSettings = Settings{ExpiryDays: 30}

// Check refuses settings outside what makes sense.
func (s Settings) Check() error {
	if s.ExpiryDays < 1 || s.ExpiryDays > 365 {
		return domain.FieldError(ErrExpiryDays, "expiryDays", 1, 365)
	}
	return nil
}

// ExpiringWithin reports whether an open request lapses within d of now.
func (r *Request) ExpiringWithin(now time.Time, d time.Duration) bool {
	return r.Status.Open() && !r.Expires.IsZero() && r.Expires.Sub(now) <= d
}

// Lapsed reports whether an open request's time has run out.
func (r *Request) Lapsed(now time.Time) bool {
	return r.Status.Open() && !r.Expires.IsZero() && !now.Before(r.Expires)
}

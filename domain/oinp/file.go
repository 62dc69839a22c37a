package oinp

import (
	"slices"
	"strings"

	"dossier/domain"
)

// FileNumber identifies an application: JOID- and seven digits (§4.0).
type FileNumber string

// ErrFileNumber is a file number not of the form JOID-1234567.
var ErrFileNumber = domain.NewCode("oinp.file-number", domain.KindInvalid)

// ParseFileNumber reads a file number, in any case, with spaces around.
func ParseFileNumber(s string) (FileNumber, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	digits, ok := strings.CutPrefix(s, "JOID-")
	if !ok || len(digits) != 7 || strings.Trim(digits, "0123456789") != "" {
		return "", domain.FieldError(ErrFileNumber, "fileNumber")
	}
	return FileNumber(s), nil
}

// Deadline is the last day to submit: 14 calendar days after registering
// (§3.1); zero before registering.
func (a *Application) Deadline() domain.Date {
	if a.Registered.IsZero() {
		return domain.Date{}
	}
	return a.Registered.AddDays(RegistrationDays)
}

// CheckDate is the day the rules are judged on: the submission date once
// submitted, else the day given (today, or the planned submission).
func (a *Application) CheckDate(today domain.Date) domain.Date {
	if !a.Submitted.IsZero() {
		return a.Submitted
	}
	return today
}

// InGTA says whether the job offered is in the Greater Toronto Area, as
// its work location (the municipality, in the offer's province) reads in
// the tables (WorkPlace), and the region it is in: Yes with the region,
// No, or Unanswered while the place is not entered or not known (never
// "outside" for a place the tables cannot place). It decides the fee
// (§4.4: "$2,000 for job offers in the Greater Toronto Area").
func (a *Application) InGTA(t Tables) (YesNo, string) {
	r := a.WorkPlace(t)
	return r.InGTA, r.Region
}

// WorkPlace is where the job offered is, as the tables read the work
// location (Resolve).
func (a *Application) WorkPlace(t Tables) Resolution {
	return t.Resolve(a.Employer.Offer.Municipality, a.Employer.Offer.Province)
}

// EmployerPlace is where the employer is located (§2.3.4: "If your
// employer is located inside of the Greater Toronto Area"), as the tables
// read the city of its business address (Resolve): an address in another
// country is outside the GTA.
func (a *Application) EmployerPlace(t Tables) Resolution {
	addr := a.Employer.Address
	if strings.TrimSpace(addr.City) != "" && addr.Country != "" && addr.Country != "CA" {
		return Resolution{InGTA: No}
	}
	return t.Resolve(addr.City, addr.Province)
}

// Fee is the processing fee in cents (§7: $2,000 for a job in the GTA,
// $1,500 outside) and whether it is known yet (the work location decides).
func Fee(inGTA YesNo) (int64, bool) {
	switch inGTA {
	case Yes:
		return FeeGTACents, true
	case No:
		return FeeOutsideCents, true
	}
	return 0, false
}

// Deadline is a date that matters for the file (DOMAIN.md §7), with the
// days left from the day it is read on (negative once past).
type Deadline struct {
	// What names it: "submit", "language", "eca", "employer-form",
	// "status", "restore", "employer-documents", "passport", "review",
	// "nomination", "information" (a request for information's due day).
	What     string
	Date     domain.Date
	DaysLeft int
}

// WarnDays is how near a deadline is when the app warns of it.
const WarnDays = 30

// Deadlines lists the dates that matter for the application, soonest
// first: the end of the 14-day window once registered, and the day each
// time-limited piece stops counting (the newest language test, the ECA,
// the Employer Form, the temporary status, the passport).
func Deadlines(a *Application, today domain.Date) []Deadline {
	var out []Deadline
	add := func(what string, d domain.Date) {
		if !d.IsZero() {
			out = append(out, Deadline{What: what, Date: d, DaysLeft: int(d.Days() - today.Days())})
		}
	}
	if a.Submitted.IsZero() {
		add("submit", a.Deadline())
	}
	var newest domain.Date
	for _, t := range a.Language {
		if newest.Before(t.Taken) {
			newest = t.Taken
		}
	}
	if !newest.IsZero() {
		add("language", newest.AddYears(LanguageValidYears))
	}
	if !a.ECA.Issued.IsZero() {
		add("eca", a.ECA.Issued.AddYears(ECAValidYears))
	}
	if !a.Employer.Signed.IsZero() {
		add("employer-form", addMonths(a.Employer.Signed, EmployerFormValidMonths))
	}
	if a.Immigration.InCanada == Yes {
		add("status", a.Immigration.StatusExpires)
		// An expired status may be restored within 90 days (DOMAIN.md §7).
		if e := a.Immigration.StatusExpires; !e.IsZero() && e.Before(today) && a.Immigration.Implied != Yes {
			add("restore", e.AddDays(RestoreDays))
		}
	}
	if !a.Submitted.IsZero() {
		add("employer-documents", a.Submitted.AddDays(EmployerDocumentsDays))
	}
	add("passport", a.Applicant.PassportTo)
	if a.Review == nil && a.Decision != nil && a.Decision.Outcome == OutcomeRefused {
		add("review", a.ReviewDeadline()) // a refusal's, until a review is asked
	}
	switch d := a.Decision; {
	case a.Nomination != nil:
		add("nomination", a.Nomination.Expires) // as extended
	case d != nil && d.Outcome == OutcomeApproved:
		add("nomination", addMonths(d.Notified, NominationValidMonths))
	}
	if a.Withdrawn.IsZero() {
		for _, r := range a.OpenRequests() {
			add("information", r.Due)
		}
	}
	slices.SortStableFunc(out, func(x, y Deadline) int { return int(x.Date.Days() - y.Date.Days()) })
	return out
}

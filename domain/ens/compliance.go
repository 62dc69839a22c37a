package ens

import (
	"slices"
	"strconv"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// The day the annual compliance list is populated [000]: 15 October.
const (
	ComplianceListMonth = time.October
	ComplianceListDay   = 15
)

// ComplianceYearOf is the compliance year whose list stands at now: the
// year of now, open from 15 October of that year (by now's own calendar).
// Before that day, open is false: that year's list is not made yet.
func ComplianceYearOf(now time.Time) (year int, open bool) {
	y := now.Year()
	start := time.Date(y, ComplianceListMonth, ComplianceListDay, 0, 0, 0, 0, now.Location())
	return y, !now.Before(start)
}

// CheckReportYear refuses, with ErrComplianceYear, a compliance year
// that nothing can be reported or chased for at now: one before 2000, or
// one whose list is not drawn up yet (a later year, or this year before
// 15 October). A report submitted before its list would be empty, and
// would close the school's list for that year before anyone is on it.
func CheckReportYear(year int, now time.Time) error {
	current, open := ComplianceYearOf(now)
	if year < 2000 || year > current || year == current && !open {
		return domain.FieldError(ErrComplianceYear, "year")
	}
	return nil
}

// Codes of annual compliance.
var (
	ErrComplianceUnmarked    = domain.NewCode("ens.compliance.unmarked", domain.KindConflict)
	ErrComplianceSubmitted   = domain.NewCode("ens.compliance.submitted", domain.KindConflict)
	ErrComplianceNotReported = domain.NewCode("ens.compliance.not-submitted", domain.KindNotFound)
	ErrAmendmentEmpty        = domain.NewCode("ens.compliance.amendment.empty", domain.KindInvalid)
	ErrAmendmentStudent      = domain.NewCode("ens.compliance.amendment.student", domain.KindInvalid)
	ErrAmendmentNoChange     = domain.NewCode("ens.compliance.amendment.no-change", domain.KindConflict)
	ErrReportThroughSubmit   = domain.NewCode("ens.compliance.report-one", domain.KindConflict)
)

// MaxAmendmentChanges bounds the students one amendment changes.
const MaxAmendmentChanges = 1000

// MaxAmendments bounds the amendments of one report: a school amends its
// report now and then as news of a student arrives, while each amendment
// (up to a megabyte) stays in the report that its school's and its
// province's desks download whole.
const MaxAmendments = 50

// ComplianceReport is a school's Annual Report on Ineligible Students for
// one compliance year, as the DIR submitted it. It is locked once
// submitted: corrections are Amendments appended to it, and the
// submitted lists stay as they were.
type ComplianceReport struct {
	ID       domain.ID `json:"id"`
	School   domain.ID `json:"school"`
	Province string    `json:"province"`
	Year     int       `json:"year"`
	// Submitted is when the DIR submitted it; SubmittedBy their account.
	Submitted   time.Time `json:"submitted"`
	SubmittedBy domain.ID `json:"submittedBy"`
	// Ineligible lists the students marked ineligible, in the order of
	// their requests; Eligible and IneligibleCount count both marks as
	// submitted.
	Ineligible      []IneligibleStudent `json:"ineligible"`
	Eligible        int                 `json:"eligible"`
	IneligibleCount int                 `json:"ineligibleCount"`
	Amendments      []Amendment         `json:"amendments,omitempty"`
	Version         uint64              `json:"version"`
}

// IneligibleStudent is one line of the report: the student's Annual
// Compliance request, their name and why they are no longer eligible.
type IneligibleStudent struct {
	Request    domain.ID `json:"request"`
	GivenNames string    `json:"givenNames,omitempty"`
	FamilyName string    `json:"familyName"`
	Reason     string    `json:"reason"`
}

// Amendment corrects a submitted report: which students' eligibility
// changes, why, who made it and when.
type Amendment struct {
	Number  int                 `json:"number"`
	At      time.Time           `json:"at"`
	By      domain.ID           `json:"by"`
	Reason  string              `json:"reason"`
	Changes []EligibilityChange `json:"changes"`
}

// EligibilityChange is one student's corrected mark: eligible after all,
// or ineligible with the reason (which may also correct the reason of a
// student already listed).
type EligibilityChange struct {
	Request    domain.ID `json:"request"`
	GivenNames string    `json:"givenNames,omitempty"`
	FamilyName string    `json:"familyName,omitempty"`
	Eligible   bool      `json:"eligible"`
	Reason     string    `json:"reason,omitempty"`
}

// ComplianceMark is the function that marks an Annual Compliance request:
// eligible, or ineligible for the reason given (Apply requires it).
func ComplianceMark(eligible bool, reason string) Action {
	if eligible {
		return Action{Function: MarkEligible}
	}
	return Action{Function: MarkIneligible, Reason: reason}
}

// Marked reports whether an Annual Compliance request carries the DIR's
// mark, eligible or ineligible: the report lists it, and submitting it
// moves it to Reported.
func (r *Request) Marked() bool { return r.Status == Eligible || r.Status == Ineligible }

// MaySubmitReport refuses what forbids by to submit school's Annual
// Report on Ineligible Students for year at now, whatever the report
// holds: account.ErrForbidden unless by is a DIR,
// account.ErrOtherOrganisation for another school's, ErrComplianceYear
// for a year whose list is not drawn up (CheckReportYear), and
// ErrComplianceSubmitted once the school's report for the year is on
// record (submitted). The store asks it before it reads the school's
// list, so that a refusal costs no read.
func MaySubmitReport(by account.Actor, school domain.ID, year int, submitted bool, now time.Time) error {
	if err := account.Authorize(by, account.SubmitAnnualReport, school); err != nil {
		return err
	}
	if err := CheckReportYear(year, now); err != nil {
		return err
	}
	if submitted {
		return domain.Errorf(ErrComplianceSubmitted, strconv.Itoa(year))
	}
	return nil
}

// SubmitComplianceReport is by's submission at now of their school's
// Annual Report on Ineligible Students for year, made from list (the
// school's AC requests of the year as the record holds them): refused as
// MaySubmitReport refuses, then with ErrComplianceUnmarked while any
// student is still to mark (NewComplianceReport). The report is locked
// once submitted; each Marked request of list then goes to Reported
// (Apply with Report), which only this submission does.
func SubmitComplianceReport(by account.Actor, school domain.ID, province string, year int, submitted bool, list []Request, now time.Time) (ComplianceReport, error) {
	if err := MaySubmitReport(by, school, year, submitted, now); err != nil {
		return ComplianceReport{}, err
	}
	return NewComplianceReport(ComplianceReportID(school, year), school, province, year, list, by.Account, now)
}

// MayAmendReport refuses what forbids by to amend school's report for
// year: account.ErrForbidden unless by is a DIR,
// account.ErrOtherOrganisation for another school's, and
// ErrComplianceNotReported while the report is not submitted (rep, the
// report on record, is nil). An amendment has no deadline: a report of an
// earlier year can still be corrected.
func MayAmendReport(by account.Actor, school domain.ID, year int, rep *ComplianceReport) error {
	if err := account.Authorize(by, account.SubmitAnnualReport, school); err != nil {
		return err
	}
	if rep == nil || rep.School != school || rep.Year != year {
		return domain.Errorf(ErrComplianceNotReported, strconv.Itoa(year))
	}
	return nil
}

// AmendComplianceReport is by's amendment at now of rep, their school's
// submitted report for year (nil when none is on record): refused as
// MayAmendReport refuses, then as Amend refuses the changes (students
// are the school's AC requests the changes name). It returns the report
// with the amendment appended; the submitted lists never change.
func AmendComplianceReport(by account.Actor, school domain.ID, year int, rep *ComplianceReport, changes []EligibilityChange, reason string, students map[domain.ID]Request, now time.Time) (ComplianceReport, error) {
	if err := MayAmendReport(by, school, year, rep); err != nil {
		return ComplianceReport{}, err
	}
	return rep.Amend(changes, reason, students, by.Account, now)
}

// NewComplianceReport makes the report of the marked AC requests of one
// school and year, each of which must be Eligible or Ineligible: one
// still to mark is refused with ErrComplianceUnmarked (with how many).
func NewComplianceReport(id, school domain.ID, province string, year int, marked []Request, by domain.ID, now time.Time) (ComplianceReport, error) {
	rep := ComplianceReport{ID: id, School: school, Province: province, Year: year, Submitted: now, SubmittedBy: by,
		Ineligible: []IneligibleStudent{}}
	unmarked := 0
	for i := range marked {
		r := &marked[i]
		if r.Type != AC || r.School != school || r.ComplianceYear != year {
			continue
		}
		switch r.Status {
		case Eligible:
			rep.Eligible++
		case Ineligible:
			rep.IneligibleCount++
			rep.Ineligible = append(rep.Ineligible, IneligibleStudent{Request: r.ID, GivenNames: r.Student.GivenNames,
				FamilyName: r.Student.FamilyName, Reason: r.Reason})
		default:
			unmarked++
		}
	}
	if unmarked > 0 {
		return ComplianceReport{}, domain.Errorf(ErrComplianceUnmarked, unmarked)
	}
	return rep, nil
}

// Amend appends an amendment to a submitted report and returns the report
// with it; rep is left as it was. Each change must name a student of the
// report (listed in students, the school's AC requests of the year) and
// change what the report, with its earlier amendments, says of them.
// The amendment's reason is required, and so is the reason of a student
// made ineligible. A report takes at most MaxAmendments
// (domain.ErrListTooLong).
func (rep ComplianceReport) Amend(changes []EligibilityChange, reason string, students map[domain.ID]Request, by domain.ID, now time.Time) (ComplianceReport, error) {
	reason, err := domain.CleanText("reason", reason, MaxReasonLength, true)
	if err != nil {
		return rep, domain.FieldError(ErrReasonRequired, "reason")
	}
	if len(changes) == 0 || len(changes) > MaxAmendmentChanges {
		return rep, domain.FieldError(ErrAmendmentEmpty, "changes", MaxAmendmentChanges)
	}
	if len(rep.Amendments) >= MaxAmendments {
		return rep, domain.FieldError(domain.ErrListTooLong, "amendments", MaxAmendments)
	}
	now = now.UTC()
	current := rep.effective()
	seen := map[domain.ID]bool{}
	clean := make([]EligibilityChange, 0, len(changes))
	for _, c := range changes {
		r, ok := students[c.Request]
		if !ok || seen[c.Request] || r.Type != AC || r.School != rep.School || r.ComplianceYear != rep.Year {
			return rep, domain.FieldError(ErrAmendmentStudent, "changes")
		}
		seen[c.Request] = true
		c.GivenNames, c.FamilyName = r.Student.GivenNames, r.Student.FamilyName
		if c.Eligible {
			c.Reason = ""
		} else if c.Reason, err = domain.CleanText("reason", c.Reason, MaxReasonLength, true); err != nil {
			return rep, domain.FieldError(ErrReasonRequired, "reason")
		}
		was, listed := current[c.Request]
		if c.Eligible && !listed || !c.Eligible && listed && was.Reason == c.Reason {
			return rep, domain.Errorf(ErrAmendmentNoChange, c.FamilyName)
		}
		clean = append(clean, c)
	}
	next := rep
	next.Amendments = append(slices.Clone(rep.Amendments), Amendment{Number: len(rep.Amendments) + 1, At: now, By: by,
		Reason: reason, Changes: clean})
	return next, nil
}

// effective is the ineligible students after every amendment, by request.
func (rep *ComplianceReport) effective() map[domain.ID]IneligibleStudent {
	out := make(map[domain.ID]IneligibleStudent, len(rep.Ineligible))
	for _, s := range rep.Ineligible {
		out[s.Request] = s
	}
	for _, a := range rep.Amendments {
		for _, c := range a.Changes {
			if c.Eligible {
				delete(out, c.Request)
				continue
			}
			out[c.Request] = IneligibleStudent{Request: c.Request, GivenNames: c.GivenNames, FamilyName: c.FamilyName,
				Reason: c.Reason}
		}
	}
	return out
}

// Current is the report as its amendments leave it: the ineligible
// students (those submitted first, in their order, then those amendments
// added), and the counts of eligible and ineligible students. The
// students reported stay the same; only their marks move.
func (rep ComplianceReport) Current() (ineligible []IneligibleStudent, eligible, ineligibleCount int) {
	eff := rep.effective()
	total := rep.Eligible + rep.IneligibleCount
	ineligible = make([]IneligibleStudent, 0, len(eff))
	placed := map[domain.ID]bool{}
	for _, s := range rep.Ineligible {
		if cur, ok := eff[s.Request]; ok {
			ineligible = append(ineligible, cur)
			placed[s.Request] = true
		}
	}
	for _, a := range rep.Amendments {
		for _, c := range a.Changes {
			if cur, ok := eff[c.Request]; ok && !placed[c.Request] {
				ineligible = append(ineligible, cur)
				placed[c.Request] = true
			}
		}
	}
	return ineligible, total - len(ineligible), len(ineligible)
}

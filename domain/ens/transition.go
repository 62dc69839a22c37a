package ens

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// MaxReasonLength bounds a rejection or ineligibility reason.
const MaxReasonLength = 1000

// MaxNotesLength bounds the desk's notes on a request.
const MaxNotesLength = 4000

// Action is one function with what it needs.
type Action struct {
	Function Function
	// Draft is applied with Save, Verify, Accept and the compliance marks;
	// Reject discards it, as the ENS does.
	Draft *Draft
	// Reason is required by Reject and MarkIneligible.
	Reason string
	// EVN is the number the desk issued for a Verify.
	EVN EVN
	// Assignee is the colleague an Assign hands the request to.
	Assignee domain.ID
}

// Allowed reports whether by may use f on r at now, without the arguments
// the function needs: the error says why not. The desk shows only the
// functions for which it returns nil.
func Allowed(r *Request, f Function, by account.Actor, now time.Time) error {
	ru, ok := rules[f]
	if !ok {
		return domain.FieldError(ErrUnknownFunction, "function", int(f))
	}
	if !contains(ru.types, r.Type) {
		return domain.Errorf(ErrNotForType, f, r.Type)
	}
	if !contains(ru.roles, by.Role) {
		return domain.Errorf(ErrRoleNotAllowed, f, by.Role)
	}
	switch {
	case by.Role.InstitutionStaff() && by.Org != r.School:
		return domain.Errorf(ErrOtherSchool)
	case by.Role == account.Student && by.Account != r.StudentAccount:
		return domain.Errorf(ErrNotYourRequest)
	}
	if !contains(ru.from, r.Status) || !contains(statusesOf[r.Type], r.Status) {
		return domain.Errorf(ErrNotInStatus, f, r.Status)
	}
	switch lapsed := r.Lapsed(now); {
	case f == Expire && !lapsed:
		return domain.Errorf(ErrNotYetExpired, r.Expires)
	case f != Expire && lapsed:
		return domain.Errorf(ErrRequestExpired, r.Expires)
	}
	return nil
}

// Legal lists the functions by may use on r at now, in display order.
func Legal(r *Request, by account.Actor, now time.Time) []Function {
	var out []Function
	for _, f := range Functions {
		if Allowed(r, f, by, now) == nil {
			out = append(out, f)
		}
	}
	return out
}

// Apply performs a on r for by at now and returns the changed request; r is
// left as it was. The version advances by one. It returns a coded error when
// the function is not legal (see Allowed) or its arguments are missing:
// ErrReasonRequired, ErrEVNRequired, ErrChecksIncomplete,
// ErrStudentNotEligible, ErrAssigneeRequired.
func Apply(r Request, a Action, by account.Actor, now time.Time) (Request, error) {
	if err := Allowed(&r, a.Function, by, now); err != nil {
		return r, err
	}
	next := r
	if a.Draft != nil && a.Function != Reject {
		d, err := cleanDraft(*a.Draft)
		if err != nil {
			return r, err
		}
		next.Notes, next.Student.StudentNumber, next.Checks = d.Notes, d.StudentNumber, d.Checks
	}
	switch a.Function {
	case Verify:
		if a.EVN == "" {
			return r, domain.FieldError(ErrEVNRequired, "evn")
		}
		if _, err := ParseEVN(string(a.EVN)); err != nil {
			return r, err
		}
		if err := confirmChecks(next.Checks); err != nil {
			return r, err
		}
		next.EVN = a.EVN
	case Reject, MarkIneligible:
		reason, err := domain.CleanText("reason", a.Reason, MaxReasonLength, true)
		if err != nil {
			return r, domain.FieldError(ErrReasonRequired, "reason")
		}
		next.Reason = reason
	case MarkEligible:
		next.Reason = ""
	case Assign:
		if a.Assignee.IsZero() {
			return r, domain.FieldError(ErrAssigneeRequired, "assignee")
		}
		next.Assignee = a.Assignee
	}
	if to := rules[a.Function].to; to != 0 {
		next.Status = to
	}
	// Reporting passes the marks on; it does not decide anything anew.
	if !next.Status.Open() && next.Status != r.Status && next.Status != Reported {
		next.DecidedBy, next.DecidedAt = by.Account, now
	}
	next.Version++
	next.Updated = now
	return next, nil
}

// confirmChecks refuses a Verify unless every criterion is met.
func confirmChecks(cs Checks) error {
	for _, c := range Criteria {
		if cs[c] == NotMet {
			return domain.Errorf(ErrStudentNotEligible, c)
		}
	}
	for _, c := range Criteria {
		if cs[c] != Met {
			return domain.Errorf(ErrChecksIncomplete, c)
		}
	}
	return nil
}

func cleanDraft(d Draft) (Draft, error) {
	var err error
	if d.Notes, err = domain.CleanText("notes", d.Notes, MaxNotesLength, false); err != nil {
		return d, err
	}
	if d.StudentNumber, err = CleanStudentNumber(d.StudentNumber); err != nil {
		return d, err
	}
	for _, c := range d.Checks {
		if c > NotMet {
			return d, domain.FieldError(domain.ErrRequired, "checks")
		}
	}
	return d, nil
}

// CloseAsTransferred marks a finished verification at the old school as
// moved to school to. It is what happens to the old record when an EVT is
// verified or a TI accepted elsewhere. A verification that is not finished,
// or already moved, is refused with ErrNotTransferable.
func CloseAsTransferred(old Request, to domain.ID, now time.Time) (Request, error) {
	if old.Status != Verified && old.Status != Accepted || !old.TransferredTo.IsZero() {
		return old, domain.Errorf(ErrNotTransferable)
	}
	old.TransferredTo = to
	old.Version++
	old.Updated = now
	return old, nil
}

// ActiveVerification reports whether r is a student's standing verification
// at r.School: finished positively and not moved elsewhere. Annual
// Compliance lists these.
func (r *Request) ActiveVerification() bool {
	return (r.Status == Verified || r.Status == Accepted) && r.TransferredTo.IsZero()
}

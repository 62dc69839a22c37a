package oinp

import (
	"slices"
	"strings"

	"dossier/domain"
)

// Codes of representation (§3.2). The strings are the ones the store
// declared: wire and catalog keys.
var (
	// ErrRepNoMatch: the file number and e-mail match no file. It says
	// no more, so that nobody learns which e-mail goes with which file.
	ErrRepNoMatch = domain.NewCode("store.oinp.rep.no-match", domain.KindNotFound)
	// ErrRepActive: another representative acts already (one at a time).
	ErrRepActive = domain.NewCode("store.oinp.rep.active", domain.KindConflict)
	// ErrRepUnknown: no such request to answer, or none in a state that
	// takes this answer.
	ErrRepUnknown = domain.NewCode("store.oinp.rep.unknown", domain.KindNotFound)
	// ErrRepReadOnly: a field the applicant filled, which the
	// representative may read but not change.
	ErrRepReadOnly = domain.NewCode("store.oinp.rep.read-only", domain.KindForbidden)
)

// ApplicantEmail reports whether email is the applicant's, as a
// representative who asks to act on the file gives it (§3.2.2): the
// e-mail on the file's contact tab or the one of the applicant's account
// (accountEmail), case and surrounding spaces aside. An empty e-mail is
// nobody's.
func (a *Application) ApplicantEmail(email, accountEmail string) bool {
	return sameEmail(email, a.Contact.Email) || sameEmail(email, accountEmail)
}

func sameEmail(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// AskRepresentation records r's request to act on the file, made on the
// day on with the applicant's e-mail as the representative gave it
// (email; accountEmail is the applicant account's). A request whose
// e-mail is not the applicant's (ApplicantEmail) is refused with
// ErrRepNoMatch. r goes on the file pending, asked on; asked again while
// pending or active, nothing changes (changed is false); asked again
// after a refusal or a cancellation, the request starts over. r's name
// and e-mail are the representative's account's, never what a request
// says.
func (a *Application) AskRepresentation(r Representation, email, accountEmail string, on domain.Date) (changed bool, err error) {
	if !a.ApplicantEmail(email, accountEmail) {
		return false, domain.Errorf(ErrRepNoMatch)
	}
	r.Status, r.Asked, r.Decided = RepPending, on, domain.Date{}
	reps := slices.Clone(a.Representatives)
	switch i := slices.IndexFunc(reps, func(x Representation) bool { return x.Account == r.Account }); {
	case i < 0:
		reps = append(reps, r)
	case reps[i].Status == RepPending || reps[i].Status == RepActive:
		return false, nil
	default:
		reps[i] = r
	}
	a.Representatives = reps
	return true, nil
}

// DecideRepresentation is the applicant's answer, on the day on, to the
// pending request of the representative rep: authorised, when no other
// acts already (ErrRepActive, with the other's name: one at a time), or
// refused. A representative who did not ask, or whose request is not
// pending, is ErrRepUnknown. It returns the representation as answered.
func (a *Application) DecideRepresentation(rep domain.ID, authorise bool, on domain.Date) (Representation, error) {
	i := slices.IndexFunc(a.Representatives, func(x Representation) bool { return x.Account == rep })
	if i < 0 || a.Representatives[i].Status != RepPending {
		return Representation{}, domain.Errorf(ErrRepUnknown)
	}
	status := RepRefused
	if authorise {
		if other, ok := a.ActiveRepresentative(); ok {
			return Representation{}, domain.Errorf(ErrRepActive, other.Name)
		}
		status = RepActive
	}
	return a.setRepresentation(i, status, on), nil
}

// CancelRepresentation ends, on the day on, the access of the active
// representative rep (§3.2.3). A representative who is not active is
// ErrRepUnknown. It returns the representation as cancelled.
func (a *Application) CancelRepresentation(rep domain.ID, on domain.Date) (Representation, error) {
	i := slices.IndexFunc(a.Representatives, func(x Representation) bool { return x.Account == rep })
	if i < 0 || a.Representatives[i].Status != RepActive {
		return Representation{}, domain.Errorf(ErrRepUnknown)
	}
	return a.setRepresentation(i, RepCancelled, on), nil
}

func (a *Application) setRepresentation(i int, s RepStatus, on domain.Date) Representation {
	a.Representatives = slices.Clone(a.Representatives)
	a.Representatives[i].Status, a.Representatives[i].Decided = s, on
	return a.Representatives[i]
}

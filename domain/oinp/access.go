package oinp

import (
	"dossier/domain"
	"dossier/domain/account"
)

// Codes of who acts on a file. They keep the strings they had when the
// store declared them: they are wire and catalog keys.
var (
	// ErrNotApplicant: only the applicant acts on their own file.
	ErrNotApplicant = domain.NewCode("store.oinp.not-applicant", domain.KindForbidden)
	// ErrNotRep: not a representative, or not the file's active one.
	ErrNotRep = domain.NewCode("store.oinp.rep.not-yours", domain.KindForbidden)
	// ErrSubmitted: a submitted file is locked (§6.4).
	ErrSubmitted = domain.NewCode("store.oinp.submitted", domain.KindConflict)
)

// CheckApplicant refuses, with ErrNotApplicant, anyone who is not an
// applicant: an applicant's own actions (save, register, withdraw, answer
// a representative) are theirs alone.
func CheckApplicant(by account.Actor) error {
	if by.Role != account.Applicant {
		return domain.Errorf(ErrNotApplicant)
	}
	return nil
}

// CheckRepresentative refuses, with ErrNotRep, anyone who is not a
// representative: only they ask to act on a file.
func CheckRepresentative(by account.Actor) error {
	if by.Role != account.Representative {
		return domain.Errorf(ErrNotRep)
	}
	return nil
}

// CheckClient refuses, with ErrNotRep, anyone but the active
// representative of the file a (nil when there is no such file: the
// answer is the same, so that a representative learns nothing of which
// files exist).
func CheckClient(by account.Actor, a *Application) error {
	if by.Role != account.Representative || a == nil {
		return domain.Errorf(ErrNotRep)
	}
	if r, ok := a.ActiveRepresentative(); !ok || r.Account != by.Account {
		return domain.Errorf(ErrNotRep)
	}
	return nil
}

// CheckOnFile refuses anyone but the people who act on the file of
// applicant: a representative must be its active one (CheckClient, a is
// the file as stored, nil when there is none); anyone else must be that
// applicant (ErrNotApplicant). It does not look at the file's state.
func CheckOnFile(by account.Actor, applicant domain.ID, a *Application) error {
	if by.Role == account.Representative {
		return CheckClient(by, a)
	}
	if by.Role != account.Applicant || by.Account != applicant {
		return domain.Errorf(ErrNotApplicant)
	}
	return nil
}

// CheckReader refuses anyone but the applicant (by account) or the active
// representative of the file a of applicant, to read what the file keeps
// (an attached document's content).
func CheckReader(by account.Actor, applicant domain.ID, a *Application) error {
	if by.Role == account.Representative {
		return CheckClient(by, a)
	}
	if by.Account != applicant {
		return domain.Errorf(ErrNotApplicant)
	}
	return nil
}

// ErrNotDocumentReader refuses to open a file's documents to anyone but
// the applicant, their active representative and, once the file is
// submitted, the program's officers. It is the one answer to everyone
// else, whether or not the file exists.
var ErrNotDocumentReader = domain.NewCode("oinp.document.reader", domain.KindForbidden)

// CheckDocumentReader refuses, with ErrNotDocumentReader, anyone who may
// not open the documents of the file a of applicant (nil when there is no
// such file): the applicant (by role and account), their active
// representative, and a program officer once the file is submitted (a
// draft is not the program's to read, InProgram). Employers, other
// applicants and representatives read none of it.
func CheckDocumentReader(by account.Actor, applicant domain.ID, a *Application) error {
	ok := false
	switch {
	case by.Role == account.Applicant:
		ok = by.Account == applicant
	case by.Role == account.Representative:
		ok = CheckClient(by, a) == nil
	case by.Role.Can(account.DecideApplications):
		ok = a != nil && a.InProgram()
	}
	if !ok {
		return domain.Errorf(ErrNotDocumentReader)
	}
	return nil
}

// CheckEditable refuses a change to the file a of applicant by anyone
// CheckOnFile refuses, and by anyone once the file is submitted
// (ErrSubmitted, with its number): from then on it is locked.
func CheckEditable(by account.Actor, applicant domain.ID, a *Application) error {
	if err := CheckOnFile(by, applicant, a); err != nil {
		return err
	}
	if a != nil {
		return a.CheckDraft()
	}
	return nil
}

// CheckDraft refuses, with ErrSubmitted and the file's number, a change
// to a submitted file.
func (a *Application) CheckDraft() error {
	if !a.Submitted.IsZero() {
		return domain.Errorf(ErrSubmitted, a.FileNumber)
	}
	return nil
}

// InProgram reports whether the file is the program's to read: once
// submitted. A draft is its applicant's (and their representative's)
// alone: the officers' queue and files leave it out.
func (a *Application) InProgram() bool { return !a.Submitted.IsZero() }

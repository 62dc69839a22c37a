package ens

import (
	"strings"

	"dossier/domain"
)

// A Transfer IN moves a student's standing verification to a new school
// by its EVN. What the student typed is checked twice: the accepting desk
// checks what it can offline (CheckTransferOffline: the EVN is well formed
// and names another school; the desk shows which school issued it), and
// the program, which
// holds every school's records, confirms the rest before the transfer
// completes (CheckTransfer): it issued that EVN, the verification is still
// active, and it belongs to the same person. The old school's record is
// closed only then.

// TransferSchoolOf is the school code an EVN was issued under: the school
// a Transfer IN of it moves the verification from.
func TransferSchoolOf(evn EVN) SchoolCode {
	school, _, _ := evn.Parts()
	return school
}

// CheckTransferOffline is what a desk can check of a Transfer IN without
// the program: the EVN reads as an EVN (its check character included), and
// the old school the student named is not the new one. Which school issued
// the number the desk reads from its code (TransferSchoolOf) and shows;
// whether the program issued that very number, whether the verification is
// still active and whose it is are to be confirmed by the program
// (CheckTransfer). An EVN moves with its student, so the school that issued
// it need not be the one they leave, nor another than the new one. It
// returns the EVN's format errors or ErrSameSchool.
func CheckTransferOffline(ti *Request) error {
	if ti.Type != TI {
		return nil
	}
	if _, err := ParseEVN(string(ti.EVN)); err != nil {
		return err
	}
	if !ti.FromSchool.IsZero() && ti.FromSchool == ti.School {
		return domain.FieldError(ErrSameSchool, "fromSchool")
	}
	return nil
}

// CheckTransfer is the program's check of a Transfer IN (ti) against the
// verification held carrying its EVN (held; nil when the program issued no
// such number): the verification must be active (verified or accepted, not
// closed, expired or withdrawn, not moved already) at another school, and be
// the same person's — client ID, name and birth date as SameStudent matches
// them. It returns ErrTransferUnknown when there is no such active
// verification, and ErrTransferOtherStudent when it is someone else's: the
// refusal says no more, so that it teaches nothing about the holder.
func CheckTransfer(ti *Request, held *Request) error {
	if held == nil || held.EVN != ti.EVN || held.Type == AC || !held.ActiveVerification() {
		return domain.FieldError(ErrTransferUnknown, "evn")
	}
	if held.School == ti.School {
		return domain.FieldError(ErrSameSchool, "evn")
	}
	if !SameStudent(held.Student, ti.Student) {
		return domain.FieldError(ErrTransferOtherStudent, "evn")
	}
	return nil
}

// SameStudent reports whether two records name the same person as the
// program matches them: the same client ID, the same birth date, and the
// same name once folded (domain.FoldName: accents, case, hyphens and
// spacing aside), given names and family name together.
func SameStudent(a, b Student) bool {
	return a.ClientID != "" && a.ClientID == b.ClientID &&
		!a.BirthDate.IsZero() && a.BirthDate == b.BirthDate &&
		foldedName(a) != "" && foldedName(a) == foldedName(b)
}

func foldedName(s Student) string {
	return strings.Join(domain.NameTokens(domain.FoldName(s.GivenNames+" "+s.FamilyName)), " ")
}

// TransferState is how far a Transfer IN has been confirmed, as the
// request screen shows it.
type TransferState uint8

// The states of a Transfer IN.
const (
	// TransferNotChecked is not a Transfer IN, or one whose offline check
	// failed (the desk shows the error instead).
	TransferNotChecked TransferState = iota
	// TransferToConfirm: checked on the desk; the program has yet to
	// confirm the EVN's holder (open, or accepted here and not yet sent).
	TransferToConfirm
	// TransferConfirmed: the program accepted the transfer.
	TransferConfirmed
)

// TransferStateOf is the state of ti on a desk: pending is whether the desk
// still holds a command about it that the program has not answered.
func TransferStateOf(ti *Request, pending bool) TransferState {
	switch {
	case ti.Type != TI:
		return TransferNotChecked
	case ti.Status == Accepted && !pending:
		return TransferConfirmed
	case ti.Status == Accepted || ti.Status.Open():
		return TransferToConfirm
	}
	return TransferNotChecked
}

// MessageKey is the catalog key of the state's wording.
func (s TransferState) MessageKey() string {
	return [...]string{"request.transfer.unchecked", "request.transfer.to-confirm", "request.transfer.confirmed"}[s]
}

package oinp

import (
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

package ens

import (
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// Raise is what starts a request: a student asking their school (EV), their
// new school (EVT, naming the old one), or a school to take their EVN (TI);
// or the program listing a student for annual compliance (AC).
type Raise struct {
	Type       Type
	School     domain.ID
	FromSchool domain.ID
	// EVN is, for TI, the number to move as the student typed it; for AC,
	// the number of the verification the list checks.
	EVN     string
	Student Student
	// ComplianceYear is the year of the list an AC request belongs to.
	ComplianceYear int
}

// NewRequest checks in and makes the request it raises, with ID id, at now.
// Students raise EV, EVT and TI for themselves; only the program (System)
// raises AC. Student details are cleaned (names trimmed, client ID in its
// canonical form) and checked, and each fault is a coded error naming the
// field.
func NewRequest(id domain.ID, in Raise, by account.Actor, now time.Time, set Settings) (Request, error) {
	if !in.Type.Valid() {
		return Request{}, domain.FieldError(ErrUnknownType, "type", int(in.Type))
	}
	want := account.Student
	if in.Type == AC {
		want = account.System
	}
	if by.Role != want {
		return Request{}, domain.Errorf(ErrRoleNotAllowed, RaiseFunction, by.Role)
	}
	if in.School.IsZero() {
		return Request{}, domain.FieldError(ErrSchoolRequired, "school")
	}
	if err := set.Check(); err != nil {
		return Request{}, err
	}
	st, err := CleanStudent(in.Student, now)
	if err != nil {
		return Request{}, err
	}
	r := Request{
		ID: id, Version: 1, Type: in.Type, Status: New, School: in.School,
		StudentAccount: by.Account, Student: st, Received: now, Updated: now,
	}
	switch in.Type {
	case EVT:
		if in.FromSchool.IsZero() {
			return Request{}, domain.FieldError(ErrSchoolRequired, "fromSchool")
		}
		if in.FromSchool == in.School {
			return Request{}, domain.FieldError(ErrSameSchool, "fromSchool")
		}
		r.FromSchool = in.FromSchool
	case TI:
		if strings.TrimSpace(in.EVN) == "" {
			return Request{}, domain.FieldError(ErrEVNRequired, "evn")
		}
		evn, err := ParseEVN(in.EVN)
		if err != nil {
			return Request{}, err
		}
		r.EVN, r.FromSchool, r.Status = evn, in.FromSchool, AwaitingAcceptance
	case AC:
		if in.ComplianceYear < 2000 || in.ComplianceYear > now.Year()+1 {
			return Request{}, domain.FieldError(ErrComplianceYear, "complianceYear")
		}
		r.ComplianceYear = in.ComplianceYear
		if in.EVN != "" {
			evn, err := ParseEVN(in.EVN)
			if err != nil {
				return Request{}, err
			}
			r.EVN = evn
		}
	}
	if in.Type != AC {
		r.Expires = now.AddDate(0, 0, set.ExpiryDays)
	}
	return r, nil
}

// CleanStudent trims and checks the student's details as of now: family name
// required, given names optional (some people have one name), a real birth
// date, a client ID of 8 or 10 digits, an optional student number and
// e-mail.
func CleanStudent(s Student, now time.Time) (Student, error) {
	if err := domain.Checks(studentChecks(&s, now)).First(); err != nil {
		return s, err
	}
	return s, nil
}

// StudentErrors is every error CleanStudent would find, one per field, in
// the order of the form, for a form to show them all at once.
func StudentErrors(s Student, now time.Time) []error {
	return domain.Checks(studentChecks(&s, now)).All()
}

// studentChecks are CleanStudent's checks, each cleaning its field of s.
func studentChecks(s *Student, now time.Time) []func() error {
	var err error
	return []func() error{
		func() error { s.FamilyName, err = domain.CleanName("familyName", s.FamilyName, true); return err },
		func() error { s.GivenNames, err = domain.CleanName("givenNames", s.GivenNames, false); return err },
		func() error { return domain.CheckBirthDate("birthDate", s.BirthDate, domain.DateOf(now)) },
		func() error { s.ClientID, err = domain.ParseClientID(string(s.ClientID)); return err },
		func() error { s.StudentNumber, err = CleanStudentNumber(s.StudentNumber); return err },
		func() error {
			if s.Email == "" {
				return nil
			}
			s.Email, err = domain.CleanEmail("email", s.Email)
			return err
		},
	}
}

// MaxStudentNumber bounds a school's student number.
const MaxStudentNumber = 20

// CleanStudentNumber trims a school's student number: letters, digits and
// dashes, at most MaxStudentNumber characters; empty is allowed.
func CleanStudentNumber(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > MaxStudentNumber {
		return "", domain.FieldError(ErrStudentNumber, "studentNumber", MaxStudentNumber)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '-') {
			return "", domain.FieldError(ErrStudentNumber, "studentNumber", MaxStudentNumber)
		}
	}
	return s, nil
}

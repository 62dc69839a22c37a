package permit

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"dossier/domain"
	"dossier/domain/ens"
)

// The ways an application is refused. Each has a message in both
// languages under "err." + its code.
var (
	// ErrEVNUnknown: no verification of the program carries the EVN
	// named (a made-up or mistyped number).
	ErrEVNUnknown = domain.NewCode("permit.evn.unknown", domain.KindConflict)
	// ErrEVNOtherStudent: the EVN is another student's.
	ErrEVNOtherStudent = domain.NewCode("permit.evn.other-student", domain.KindForbidden)
	// ErrEVNInactive: the verification that issued the EVN is no longer
	// active (moved to another school, closed), so the EVN has expired.
	ErrEVNInactive = domain.NewCode("permit.evn.inactive", domain.KindConflict)
	// ErrAlreadyApplied: an application with this EVN is already on
	// record and neither withdrawn nor refused.
	ErrAlreadyApplied = domain.NewCode("permit.already-applied", domain.KindConflict)
	// ErrFeeAmount: the amount agreed to is not the program's fee.
	ErrFeeAmount = domain.NewCode("permit.fee.amount", domain.KindConflict)
	// ErrNotInStatus: the action does not apply in the application's
	// status (deciding a withdrawn one, withdrawing a decided one).
	ErrNotInStatus = domain.NewCode("permit.not-in-status", domain.KindConflict)
	// ErrReasonRequired: a refusal says why.
	ErrReasonRequired = domain.NewCode("permit.reason.required", domain.KindInvalid)
	// ErrNotYours: the application is another student's.
	ErrNotYours = domain.NewCode("permit.not-yours", domain.KindForbidden)
	// ErrOutcome: a decision that is none of review, approve, refuse.
	ErrOutcome = domain.NewCode("permit.outcome", domain.KindInvalid)
	// The form's own checks.
	ErrPostalCode    = domain.NewCode("permit.postal-code", domain.KindInvalid)
	ErrProvince      = domain.NewCode("permit.province", domain.KindInvalid)
	ErrPassport      = domain.NewCode("permit.passport.number", domain.KindInvalid)
	ErrPassportValid = domain.NewCode("permit.passport.expired", domain.KindInvalid)
	ErrStudyDates    = domain.NewCode("permit.study.dates", domain.KindInvalid)
	ErrStudyOver     = domain.NewCode("permit.study.over", domain.KindInvalid)
	ErrConsent       = domain.NewCode("permit.consent", domain.KindInvalid)
	ErrDeclaration   = domain.NewCode("permit.declaration", domain.KindInvalid)
	ErrPhone         = domain.NewCode("permit.phone", domain.KindInvalid)
)

// MaxReason bounds a refusal's reason, in characters.
const MaxReason = 1000

// Check cleans the form and lists every fault in it at once, each under
// its field, as the student fixes them (the day on judges the passport
// and the studies). The cleaned form is returned with the faults.
func Check(f Form, on domain.Date) (Form, []*domain.Error) {
	var faults []*domain.Error
	note := func(err error) {
		if err == nil {
			return
		}
		var de *domain.Error
		if !errors.As(err, &de) {
			de = domain.Wrap(domain.ErrRequired, err)
		}
		faults = append(faults, de)
	}
	var err error
	f.GivenNames, err = domain.CleanName("givenNames", f.GivenNames, true)
	note(err)
	f.FamilyName, err = domain.CleanName("familyName", f.FamilyName, true)
	note(err)
	note(domain.CheckBirthDate("birthDate", f.BirthDate, on))
	if f.ClientID, err = domain.ParseClientID(string(f.ClientID)); err != nil {
		note(domain.FieldError(domain.ErrClientIDFormat, "clientID"))
	}
	f.Email, err = domain.CleanEmail("email", f.Email)
	note(err)

	f.PassportNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(f.PassportNumber), " ", ""))
	if n := len(f.PassportNumber); n < 5 || n > 20 || strings.Trim(f.PassportNumber, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		note(domain.FieldError(ErrPassport, "passportNumber"))
	}
	f.PassportCountry, err = domain.CleanLine("passportCountry", f.PassportCountry, 60, true)
	note(err)
	switch {
	case f.PassportExpiry.IsZero():
		note(domain.FieldError(domain.ErrRequired, "passportExpiry"))
	case !on.Before(f.PassportExpiry):
		note(domain.FieldError(ErrPassportValid, "passportExpiry"))
	}

	f.Street, err = domain.CleanLine("street", f.Street, 120, true)
	note(err)
	f.City, err = domain.CleanLine("city", f.City, 60, true)
	note(err)
	f.Province = strings.ToUpper(strings.TrimSpace(f.Province))
	if !slices.Contains(Provinces, f.Province) {
		note(domain.FieldError(ErrProvince, "province"))
	}
	var ok bool
	if f.PostalCode, ok = normPostal(f.PostalCode); !ok {
		note(domain.FieldError(ErrPostalCode, "postalCode"))
	}
	f.Phone = strings.TrimSpace(f.Phone)
	if digits := strings.Map(keepDigit, f.Phone); f.Phone != "" && (len(digits) < 10 || len(digits) > 15 ||
		strings.Trim(f.Phone, "0123456789 +-().") != "") {
		note(domain.FieldError(ErrPhone, "phone"))
	}

	f.Program, err = domain.CleanLine("program", f.Program, 120, true)
	note(err)
	switch {
	case f.StudyStart.IsZero():
		note(domain.FieldError(domain.ErrRequired, "studyStart"))
	case f.StudyEnd.IsZero():
		note(domain.FieldError(domain.ErrRequired, "studyEnd"))
	case !f.StudyStart.Before(f.StudyEnd):
		note(domain.FieldError(ErrStudyDates, "studyEnd"))
	case f.StudyEnd.Before(on):
		note(domain.FieldError(ErrStudyOver, "studyEnd"))
	}
	if !f.Consent {
		note(domain.FieldError(ErrConsent, "consent"))
	}
	if !f.Declaration {
		note(domain.FieldError(ErrDeclaration, "declaration"))
	}
	return f, faults
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// CheckEVN is the program's check of the EVN an application is made
// with, against the verification v that carries it (nil when none does):
// it must exist and carry that number (ErrEVNUnknown), be the student's
// own (ErrEVNOtherStudent) and still active (ErrEVNInactive).
func CheckEVN(v *ens.Request, student domain.ID, evn ens.EVN) error {
	switch {
	case v == nil || v.EVN == "" || !strings.EqualFold(string(v.EVN), strings.TrimSpace(string(evn))) ||
		v.Type == ens.AC || v.Type == ens.TI && v.Status != ens.Accepted:
		return domain.FieldError(ErrEVNUnknown, "evn")
	case v.StudentAccount != student:
		return domain.FieldError(ErrEVNOtherStudent, "evn")
	case !v.ActiveVerification():
		return domain.FieldError(ErrEVNInactive, "evn")
	}
	return nil
}

// CheckFee refuses, with ErrFeeAmount and the fee, an amount agreed to
// that is not the program's fee: the student pays what they read.
func CheckFee(agreedCents int64, fee Fee) error {
	if agreedCents != fee.Cents {
		return domain.FieldError(ErrFeeAmount, "payment", domain.Money(fee.Cents), domain.Money(agreedCents))
	}
	return nil
}

// New makes the application of student with verification v's EVN, on
// day on, at status (Pending on a desk, Submitted on the server once
// paid), after prev (the application already on record with this EVN,
// nil when none): every check at once — the EVN, a live application
// before it (ErrAlreadyApplied), the fee, then the form's faults. The
// first fault is returned as the error; faults lists them all.
func New(v *ens.Request, student domain.ID, prev *Application, f Form, on domain.Date, agreedCents int64, fee Fee,
	status Status) (Application, []*domain.Error, error) {
	if v == nil {
		return Application{}, nil, CheckEVN(nil, student, "")
	}
	if err := CheckEVN(v, student, v.EVN); err != nil {
		return Application{}, nil, err
	}
	if prev != nil && prev.Status.Live() {
		return Application{}, nil, domain.FieldError(ErrAlreadyApplied, "evn", string(v.EVN))
	}
	if err := CheckFee(agreedCents, fee); err != nil {
		return Application{}, nil, err
	}
	clean, faults := Check(f, on)
	if len(faults) > 0 {
		return Application{}, faults, faults[0]
	}
	a := Application{ID: v.ID, Student: student, School: v.School, EVN: v.EVN, Form: clean, Status: status,
		Submitted: on, FeeCents: fee.Cents}
	if prev != nil {
		a.Version = prev.Version
	}
	a.Version++
	return a, nil, nil
}

// Outcome is what an officer decides.
type Outcome string

// The officer's decisions: start the review, approve, refuse.
const (
	Review  Outcome = "review"
	Approve Outcome = "approve"
	Refuse  Outcome = "refuse"
)

// Decide applies an officer's decision on day on: a review starts on a
// submitted application; approve or refuse one submitted or in review; a
// refusal gives its reason (ErrReasonRequired).
func Decide(a Application, o Outcome, reason string, officer domain.ID, officerName string, on domain.Date) (Application, error) {
	reason, err := domain.CleanText("reason", reason, MaxReason, o == Refuse)
	if err != nil {
		if domain.ErrorCode(err) == domain.ErrRequired {
			return a, domain.FieldError(ErrReasonRequired, "reason")
		}
		return a, err
	}
	switch o {
	case Review:
		if a.Status != Submitted {
			return a, domain.Errorf(ErrNotInStatus, a.Status.Code())
		}
		a.Status = InReview
	case Approve, Refuse:
		if a.Status != Submitted && a.Status != InReview {
			return a, domain.Errorf(ErrNotInStatus, a.Status.Code())
		}
		a.Status, a.Decided, a.Officer, a.OfficerName, a.Reason = Approved, on, officer, officerName, ""
		if o == Refuse {
			a.Status, a.Reason = Refused, reason
		}
	default:
		return a, domain.FieldError(ErrOutcome, "outcome")
	}
	a.Version++
	return a, nil
}

// Withdraw is the student's withdrawal of their own application, before
// it is decided (IRCC allows it; the fee is not refunded once the review
// has started).
func Withdraw(a Application, student domain.ID) (Application, error) {
	if a.Student != student {
		return a, domain.Errorf(ErrNotYours)
	}
	if a.Status != Submitted && a.Status != InReview {
		return a, domain.Errorf(ErrNotInStatus, a.Status.Code())
	}
	a.Status = Withdrawn
	a.Version++
	return a, nil
}

// Fee is the program's fee for the application, from its data file.
type Fee struct {
	Cents  int64  `json:"cents"`
	Source string `json:"source"`
}

// ParseFee reads the fee's data file (assets/ocwpp/fee.json).
func ParseFee(b []byte) (Fee, error) {
	var f Fee
	if err := json.Unmarshal(b, &f); err != nil {
		return Fee{}, fmt.Errorf("permit fee: %w", err)
	}
	if f.Cents <= 0 || f.Source == "" {
		return Fee{}, fmt.Errorf("permit fee: amount %d or source missing", f.Cents)
	}
	return f, nil
}

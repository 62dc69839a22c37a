package ens

import "dossier/domain"

// The ways an ENS action can fail. Each has a message in both languages under
// "err." + its code.
var (
	ErrUnknownType        = domain.NewCode("ens.type.unknown", domain.KindInvalid)
	ErrUnknownStatus      = domain.NewCode("ens.status.unknown", domain.KindInvalid)
	ErrUnknownFunction    = domain.NewCode("ens.function.unknown", domain.KindInvalid)
	ErrNotForType         = domain.NewCode("ens.function.not-for-type", domain.KindConflict)
	ErrNotInStatus        = domain.NewCode("ens.function.not-in-status", domain.KindConflict)
	ErrRoleNotAllowed     = domain.NewCode("ens.function.role", domain.KindForbidden)
	ErrOtherSchool        = domain.NewCode("ens.other-school", domain.KindForbidden)
	ErrNotYourRequest     = domain.NewCode("ens.not-your-request", domain.KindForbidden)
	ErrRequestExpired     = domain.NewCode("ens.request.expired", domain.KindConflict)
	ErrNotYetExpired      = domain.NewCode("ens.request.not-yet-expired", domain.KindConflict)
	ErrReasonRequired     = domain.NewCode("ens.reason.required", domain.KindInvalid)
	ErrChecksIncomplete   = domain.NewCode("ens.checks.incomplete", domain.KindConflict)
	ErrStudentNotEligible = domain.NewCode("ens.checks.not-eligible", domain.KindConflict)
	ErrEVNRequired        = domain.NewCode("ens.evn.required", domain.KindInvalid)
	ErrEVNFormat          = domain.NewCode("ens.evn.format", domain.KindInvalid)
	ErrEVNCheck           = domain.NewCode("ens.evn.check", domain.KindInvalid)
	ErrEVNRange           = domain.NewCode("ens.evn.range", domain.KindInvalid)
	ErrSameSchool         = domain.NewCode("ens.transfer.same-school", domain.KindInvalid)
	ErrSchoolRequired     = domain.NewCode("ens.school.required", domain.KindInvalid)
	ErrStudentNumber      = domain.NewCode("ens.student-number.format", domain.KindInvalid)
	ErrAssigneeRequired   = domain.NewCode("ens.assignee.required", domain.KindInvalid)
	ErrSchoolCodeFormat   = domain.NewCode("ens.school-code.format", domain.KindInvalid)
	ErrComplianceYear     = domain.NewCode("ens.compliance-year", domain.KindInvalid)
	ErrExpiryDays         = domain.NewCode("ens.settings.expiry-days", domain.KindInvalid)
	ErrNotTransferable    = domain.NewCode("ens.transfer.not-verified", domain.KindConflict)
	// ErrTransferUnknown is a Transfer IN of an EVN the program never
	// issued, or whose verification is no longer active.
	ErrTransferUnknown = domain.NewCode("ens.transfer.unknown", domain.KindConflict)
	// ErrTransferOtherStudent is a Transfer IN of someone else's EVN.
	ErrTransferOtherStudent = domain.NewCode("ens.transfer.other-student", domain.KindConflict)
)

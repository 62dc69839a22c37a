package account

import "dossier/domain"

// The ways an account action can fail.
var (
	ErrUnknownRole       = domain.NewCode("account.role.unknown", domain.KindInvalid)
	ErrForbidden         = domain.NewCode("account.forbidden", domain.KindForbidden)
	ErrOtherOrganisation = domain.NewCode("account.other-organisation", domain.KindForbidden)
	ErrPINFormat         = domain.NewCode("account.pin.format", domain.KindInvalid)
	ErrPINCheck          = domain.NewCode("account.pin.check", domain.KindInvalid)
	ErrPINUnknown        = domain.NewCode("account.pin.unknown", domain.KindNotFound)
	ErrPINUsed           = domain.NewCode("account.pin.used", domain.KindConflict)
	ErrPINExpired        = domain.NewCode("account.pin.expired", domain.KindConflict)
	ErrPINRevoked        = domain.NewCode("account.pin.revoked", domain.KindConflict)
	ErrPINNameMismatch   = domain.NewCode("account.pin.name-mismatch", domain.KindConflict)
	ErrPINRole           = domain.NewCode("account.pin.role", domain.KindForbidden)
	ErrUserIDFormat      = domain.NewCode("account.user-id.format", domain.KindInvalid)
	ErrUserIDTaken       = domain.NewCode("account.user-id.taken", domain.KindConflict)
	ErrPasswordTooShort  = domain.NewCode("account.password.too-short", domain.KindInvalid)
	ErrPasswordTooLong   = domain.NewCode("account.password.too-long", domain.KindInvalid)
	ErrPasswordWeak      = domain.NewCode("account.password.weak", domain.KindInvalid)
	ErrPasswordIsUserID  = domain.NewCode("account.password.is-user-id", domain.KindInvalid)
	ErrTermsNotAccepted  = domain.NewCode("account.terms.not-accepted", domain.KindInvalid)
	ErrQuestionsCount    = domain.NewCode("account.questions.count", domain.KindInvalid)
	ErrQuestionRepeated  = domain.NewCode("account.questions.repeated", domain.KindInvalid)
	ErrAnswerTooShort    = domain.NewCode("account.questions.answer-short", domain.KindInvalid)
	ErrSignInFailed      = domain.NewCode("account.sign-in.failed", domain.KindUnauthorized)
	ErrDelinked          = domain.NewCode("account.sign-in.delinked", domain.KindUnauthorized)
	// ErrSignInRetry and ErrSignInPaused are the answers of a policy that
	// pauses (Policy.PauseFor) where the program's answers ErrSignInFailed
	// and ErrDelinked; kept for the servers of before issue 15 that
	// answered so (an app may still read them).
	ErrSignInRetry    = domain.NewCode("account.sign-in.retry", domain.KindUnauthorized)
	ErrSignInPaused   = domain.NewCode("account.sign-in.paused", domain.KindUnauthorized)
	ErrSessionExpired = domain.NewCode("account.session.expired", domain.KindUnauthorized)
	ErrPINValidity    = domain.NewCode("account.pin.validity", domain.KindInvalid)
)

package store

import "dossier/domain"

// The ways opening or using a profile can fail, as a person reads them.
var (
	ErrProfileExists    = domain.NewCode("store.profile.exists", domain.KindConflict)
	ErrNoProfile        = domain.NewCode("store.profile.missing", domain.KindNotFound)
	ErrNotAProfile      = domain.NewCode("store.profile.foreign", domain.KindInvalid)
	ErrCorrupt          = domain.NewCode("store.profile.corrupt", domain.KindInternal)
	ErrNewerSchema      = domain.NewCode("store.profile.newer", domain.KindConflict)
	ErrProfileLocked    = domain.NewCode("store.profile.locked", domain.KindConflict)
	ErrWrongPassword    = domain.NewCode("store.password.wrong", domain.KindUnauthorized)
	ErrPasswordRequired = domain.NewCode("store.password.required", domain.KindInvalid)
	ErrPasswordShort    = domain.NewCode("store.password.short", domain.KindInvalid)
	ErrNotFound         = domain.NewCode("store.not-found", domain.KindNotFound)
	ErrStale            = domain.NewCode("store.stale", domain.KindConflict)
	ErrNoDesk           = domain.NewCode("store.desk.none", domain.KindConflict)
	ErrDeskExhausted    = domain.NewCode("store.desk.exhausted", domain.KindConflict)
	ErrSchoolUnknown    = domain.NewCode("store.school.unknown", domain.KindNotFound)
	ErrSchoolCodeTaken  = domain.NewCode("store.school.code-taken", domain.KindConflict)
	ErrUnknownSort      = domain.NewCode("store.sort.unknown", domain.KindInvalid)
	ErrStorage          = domain.NewCode("store.io", domain.KindInternal)
	ErrWrongRole        = domain.NewCode("store.profile.role", domain.KindInvalid)
)

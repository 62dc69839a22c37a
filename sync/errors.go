package sync

import (
	"errors"

	"dossier/domain"
)

func domainAs(err error, e **domain.Error) bool { return errors.As(err, e) }

// The ways syncing can fail, as a person reads them.
var (
	ErrOffline      = domain.NewCode("sync.offline", domain.KindInternal)
	ErrServer       = domain.NewCode("sync.server", domain.KindInternal)
	ErrFingerprint  = domain.NewCode("sync.fingerprint", domain.KindConflict)
	ErrTokenExpired = domain.NewCode("sync.token.expired", domain.KindUnauthorized)
	ErrSignInNeeded = domain.NewCode("sync.sign-in", domain.KindUnauthorized)
	ErrBadRequest   = domain.NewCode("sync.bad-request", domain.KindInvalid)
	ErrTooLarge     = domain.NewCode("sync.too-large", domain.KindInvalid)
	ErrUnknownKind  = domain.NewCode("sync.kind.unknown", domain.KindInvalid)
	ErrNotYourDesk  = domain.NewCode("sync.desk.other", domain.KindForbidden)
	ErrEVNTaken     = domain.NewCode("sync.evn.taken", domain.KindConflict)
	ErrNotSame      = domain.NewCode("sync.actor.other", domain.KindForbidden)
	// ErrProgramCommand answers a command a desk made in the program's
	// name (no person's): older desks queued the expiry of requests so,
	// which the program now does itself on the server. It is answered
	// with the record as the server holds it, and applies nothing.
	ErrProgramCommand = domain.NewCode("sync.command.program", domain.KindConflict)
	// ErrTooMany is an attempt over a rate limit (sign-ins from one
	// address, or for one user ID); its argument is the time from which
	// the next will be taken. The server answers it with HTTP 429.
	ErrTooMany = domain.NewCode("sync.too-many", domain.KindConflict)
	// ErrRateLimited is a request over a limit of what one account may
	// do (create records, wait for news) or one address may ask (look
	// codes up); its argument is the time from which the next will be
	// taken. The server answers it with HTTP 429; a desk sends again
	// after, and loses nothing.
	ErrRateLimited = domain.NewCode("sync.rate.limited", domain.KindConflict)
)

package account

import "time"

// Policy holds the account rules that may change by decision rather than by
// code (DOMAIN.md §2).
type Policy struct {
	// MaxFailures consecutive failed sign-ins de-link the enrolment [000 App. B].
	MaxFailures int
	// Inactivity ends a session after this long without activity [000 App. B].
	Inactivity time.Duration
	// Warning is how long before the inactivity lock the person is warned
	// (design: the original gives no warning and loses unsaved work).
	Warning time.Duration
	// PINValidity is how long a new PIN waits to be used (design: 30 days,
	// time for registered mail); MaxPINValidity bounds what an issuer may choose.
	PINValidity    time.Duration
	MaxPINValidity time.Duration
	// PauseFor, when set, makes MaxFailures consecutive failures pause
	// sign-in for this long instead of de-linking the enrolment; each
	// pause that follows another with no success between lasts twice as
	// long as the one before, up to MaxPause. Neither the desk nor the
	// server sets it: both keep the program's de-link [000 App. B], the
	// server so that it holds from every computer (design decision of
	// issue 15; the per-address and per-user-ID limits bound a stranger's
	// guesses, and a de-link costs the owner a new PIN, as the program
	// has it).
	PauseFor, MaxPause time.Duration
}

// ServerSignInPause and ServerSignInMaxPause are the pauses of a policy
// that pauses (PauseFor): short enough that the person is back within the
// quarter-hour, doubling so that a guesser gets a handful of tries a day
// once the pauses reach a day. dossierd de-links instead; it keeps an
// unknown user ID's stand-in credential for ServerSignInMaxPause.
const (
	ServerSignInPause    = 15 * time.Minute
	ServerSignInMaxPause = 24 * time.Hour
)

// DefaultPolicy is the program's policy.
var DefaultPolicy = Policy{
	MaxFailures:    3,
	Inactivity:     20 * time.Minute,
	Warning:        time.Minute,
	PINValidity:    30 * 24 * time.Hour,
	MaxPINValidity: 90 * 24 * time.Hour,
}

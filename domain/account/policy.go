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
}

// DefaultPolicy is the program's policy.
var DefaultPolicy = Policy{
	MaxFailures:    3,
	Inactivity:     20 * time.Minute,
	Warning:        time.Minute,
	PINValidity:    30 * 24 * time.Hour,
	MaxPINValidity: 90 * 24 * time.Hour,
}

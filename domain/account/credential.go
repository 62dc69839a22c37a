package account

import (
	"time"

	"dossier/domain"
)

// Credential is how a person signs in, and the state of the lock-out rule.
type Credential struct {
	UserID       string
	PasswordHash string
	// Failures counts consecutive failed sign-ins since the last success.
	Failures int
	// Delinked is when the enrolment was de-linked by too many failures;
	// zero while it is linked. Only enrolling again with a new PIN
	// re-links it [000 App. B].
	Delinked   time.Time
	LastSignIn time.Time
	// PausedUntil is when sign-in may be tried again after MaxFailures
	// failures, under a policy that pauses rather than de-links; Pauses
	// counts the pauses since the last success, each twice the last.
	PausedUntil time.Time `json:",omitzero"`
	Pauses      int       `json:",omitzero"`
}

// SignIn checks password against c at now and returns the updated
// credential, which the caller must store whatever the outcome. A wrong
// password counts a failure and returns ErrSignInFailed with the number of
// tries left; the failure that reaches the policy's limit de-links the
// enrolment and returns ErrDelinked, as does any attempt on a de-linked
// enrolment (without checking the password, so guessing gains nothing).
//
// Under a policy with PauseFor set, the failure that reaches the limit
// pauses sign-in instead and returns ErrSignInPaused with the time it
// lifts; until then every attempt gets the same answer without the
// password being checked, and a wrong password counts ErrSignInRetry's
// tries left. A success ends the count and the doubling.
func SignIn(c Credential, password string, now time.Time, pol Policy) (Credential, error) {
	return SignInChecked(c, func() bool { return PasswordMatches(c.PasswordHash, password, c.UserID) }, now, pol)
}

// PasswordMatches reports whether password signs in to the credential
// of userID whose hash is hash: it hashes to it, and CheckPassword allows
// it. A desk checks the rule when the password is set, but the server
// only ever receives a hash: a password the rule forbids (an empty one
// among them) never signs in, and fails as a wrong one does, after the
// same hash check, so that the time taken tells nothing either. A change
// of the rule that forbids passwords it allowed before must come with a
// way for their owners to change them.
func PasswordMatches(hash, password, userID string) bool {
	matched := SecretMatches(hash, password)
	return matched && CheckPassword(password, userID) == nil
}

// SignInChecked is SignIn with the password checked by matches, which it
// calls only when the check is due (not on a de-linked or paused
// enrolment): the server checks the hash before its write transaction
// and passes the answer in.
func SignInChecked(c Credential, matches func() bool, now time.Time, pol Policy) (Credential, error) {
	if !c.Delinked.IsZero() {
		return c, domain.Errorf(ErrDelinked)
	}
	pauses := pol.PauseFor > 0
	if !c.CheckDue(now, pol) {
		return c, domain.Errorf(ErrSignInPaused, c.PausedUntil)
	}
	if !matches() {
		c.Failures++
		switch {
		case c.Failures < pol.MaxFailures && pauses:
			return c, domain.Errorf(ErrSignInRetry, pol.MaxFailures-c.Failures)
		case c.Failures < pol.MaxFailures:
			return c, domain.Errorf(ErrSignInFailed, pol.MaxFailures-c.Failures)
		case pauses:
			c.PausedUntil = now.Add(pauseAfter(c.Pauses, pol))
			c.Pauses++
			c.Failures = 0
			return c, domain.Errorf(ErrSignInPaused, c.PausedUntil)
		}
		c.Delinked = now
		return c, domain.Errorf(ErrDelinked)
	}
	c.Failures, c.Pauses, c.PausedUntil = 0, 0, time.Time{}
	c.LastSignIn = now
	return c, nil
}

// CheckDue reports whether a sign-in at now would check the password:
// not on a de-linked enrolment, nor during a pause.
func (c Credential) CheckDue(now time.Time, pol Policy) bool {
	return c.Delinked.IsZero() && (pol.PauseFor == 0 || !now.Before(c.PausedUntil))
}

// pauseAfter is the length of the pause that follows n earlier ones:
// PauseFor doubled n times, at most MaxPause.
func pauseAfter(n int, pol Policy) time.Duration {
	d := pol.PauseFor
	for ; n > 0 && (pol.MaxPause == 0 || d < pol.MaxPause); n-- {
		d *= 2
	}
	if pol.MaxPause > 0 && d > pol.MaxPause {
		d = pol.MaxPause
	}
	return d
}

// Relink gives a de-linked (or new) enrolment a fresh credential after the
// person enrols again with a new PIN.
func Relink(c Credential, userID, passwordHash string) Credential {
	return Credential{UserID: userID, PasswordHash: passwordHash, LastSignIn: c.LastSignIn}
}

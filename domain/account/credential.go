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
}

// SignIn checks password against c at now and returns the updated
// credential, which the caller must store whatever the outcome. A wrong
// password counts a failure and returns ErrSignInFailed with the number of
// tries left; the failure that reaches the policy's limit de-links the
// enrolment and returns ErrDelinked, as does any attempt on a de-linked
// enrolment (without checking the password, so guessing gains nothing).
func SignIn(c Credential, password string, now time.Time, pol Policy) (Credential, error) {
	if !c.Delinked.IsZero() {
		return c, domain.Errorf(ErrDelinked)
	}
	if !SecretMatches(c.PasswordHash, password) {
		c.Failures++
		if c.Failures >= pol.MaxFailures {
			c.Delinked = now
			return c, domain.Errorf(ErrDelinked)
		}
		return c, domain.Errorf(ErrSignInFailed, pol.MaxFailures-c.Failures)
	}
	c.Failures = 0
	c.LastSignIn = now
	return c, nil
}

// Relink gives a de-linked (or new) enrolment a fresh credential after the
// person enrols again with a new PIN.
func Relink(c Credential, userID, passwordHash string) Credential {
	return Credential{UserID: userID, PasswordHash: passwordHash, LastSignIn: c.LastSignIn}
}

package store

import (
	"crypto/rand"
	"strings"
	gosync "sync"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// dummyHashes holds, for each set of hashing parameters, a hash that is
// checked when a user ID is unknown, so that a sign-in with an unknown
// user ID takes as long as one with a wrong password.
var dummyHashes gosync.Map // account.SecretParams → string

// dummyHash is the dummy hash made with p: the parameters of the hashes
// this store makes and (on the server) accepts.
func dummyHash(p account.SecretParams) string {
	if h, ok := dummyHashes.Load(p); ok {
		return h.(string)
	}
	h, err := account.HashSecret("no one's password", p, rand.Reader)
	if err != nil {
		// Without randomness nothing else works either; a malformed hash
		// matches nothing, quickly.
		return ""
	}
	dummyHashes.Store(p, h)
	return h
}

// SignIn checks a user ID and password and starts a session. Every outcome
// is recorded: a wrong password counts towards the lock-out, and the third
// consecutive failure de-links the enrolment (account.SignIn), on a desk
// as on the server. A desk that de-links an enrolment tells the server
// (KindDelink, in its outbox), which ends the enrolment's access from
// every computer and tells every desk. A password the rule forbids is a
// wrong one (account.PasswordMatches). An unknown user ID gets the same
// answer as a wrong password, after as long.
//
// The password is checked before the write transaction, not in it: the
// check is made slow on purpose (argon2id), and the writer is everyone's,
// so a flood of sign-ins must not hold up the pushes.
func (s *Store) SignIn(userID, password string) (account.Session, Account, error) {
	return s.signIn(userID, password, domain.ID{}, nil)
}

// signIn is SignIn for a caller that has proved to hold a live refresh
// token of the account owner (zero for none): that account's password is
// checked even while its sign-in is paused (the pause is for strangers),
// and a success lifts the pause.
//
// On the server, nothing in the answer nor in the time it takes tells
// whether the user ID names an account: an unknown user ID keeps a
// stand-in of a credential (phantomSignIn) that counts failures and
// de-links as a real one does; every path checks one hash with the same
// parameters; a revoked account answers as a wrong password does unless
// the password is right; and a de-linked one answers ErrDelinked whatever
// the password, as a desk does, so that guessing it gains nothing.
//
// then, when set, makes the right password only the first step: the
// failures before it are kept (a right password followed by a wrong
// security answer is not a fresh start), the sign-in is not recorded as
// made, and then runs in the same transaction (it asks the question).
func (s *Store) signIn(userID, password string, owner domain.ID, then func(tx *Tx, a *Account, now time.Time) error) (account.Session, Account, error) {
	now := s.Now()
	pol := s.opt.Policy
	dummy := dummyHash(s.opt.Secrets)
	uid, err := account.CleanUserID(userID)
	if err != nil {
		account.SecretMatches(dummy, password)
		return account.Session{}, Account{}, domain.Errorf(s.signInFailed(), pol.MaxFailures)
	}
	uh := s.kr.Hash(hashUserID, uid)
	var acct Account
	err = s.db.View(func(tx *Tx) error {
		id := tx.Bucket(ixUserID).Get(uh[:])
		if id == nil {
			return nil
		}
		_, err := s.GetJSON(BucketOf(tx, AccountsBucket), id, &acct)
		return err
	})
	if err != nil {
		return account.Session{}, Account{}, err
	}
	bypass := !owner.IsZero() && acct.ID == owner
	checked, matched := acct.Credential.PasswordHash, false
	if !acct.ID.IsZero() && acct.Credential.CheckDue(now, s.opt.Policy) {
		matched = account.PasswordMatches(checked, password, uid)
	} else {
		account.SecretMatches(dummy, password)
	}
	var outcome error
	err = s.db.Update(func(tx *Tx) error {
		id := tx.Bucket(ixUserID).Get(uh[:])
		if id == nil {
			var err error
			outcome, err = s.phantomSignIn(tx, uh[:], now)
			return err
		}
		if _, err := s.GetJSON(BucketOf(tx, AccountsBucket), id, &acct); err != nil {
			return err
		}
		matches := func() bool {
			if acct.Credential.PasswordHash == checked {
				return matched
			}
			return account.PasswordMatches(acct.Credential.PasswordHash, password, uid) // re-enrolled meanwhile
		}
		var action string
		was := acct.Credential
		acct.Credential, action, outcome = s.checkCredential(acct, matches, bypass, now)
		if was.Delinked.IsZero() && !acct.Credential.Delinked.IsZero() {
			return s.delinked(tx, &acct, now)
		}
		if then != nil && outcome == nil {
			acct.Credential.Failures, acct.Credential.Pauses = was.Failures, was.Pauses
			acct.Credential.LastSignIn = was.LastSignIn
			action = "account.sign-in.password"
			if err := then(tx, &acct, now); err != nil {
				return err
			}
		}
		if err := s.PutAccount(tx, &acct, false); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: acct.Actor(), Action: action, Entity: acct.ID})
	})
	if err != nil {
		return account.Session{}, Account{}, err
	}
	if outcome != nil {
		return account.Session{}, Account{}, outcome
	}
	return account.NewSession(acct.Actor(), now), acct, nil
}

// delinked records that the sign-in just made de-linked a's enrolment:
// the account changes for everyone who reads it (the feed tells every
// desk, which locks it there), and a desk proposes the de-link to the
// server (KindDelink), naming the enrolment it ends.
func (s *Store) delinked(tx *Tx, a *Account, now time.Time) error {
	if err := s.PutAccount(tx, a, true); err != nil {
		return err
	}
	return s.Journal(tx, now, Entry{By: a.Actor(), Kind: KindDelink, Action: "account.delinked", Entity: a.ID,
		Payload: DelinkPayload{UserID: a.Credential.UserID, PIN: a.PIN, At: now}})
}

// checkCredential applies the sign-in rule to a's credential: the
// credential to store, the outcome, and the audit action. bypass skips a
// pause, under a policy that pauses (the owner's desk proved itself); a
// wrong password then counts as ever, and a pause it does not renew is
// kept. Nothing passes a de-link: the owner's refresh token included.
func (s *Store) checkCredential(a Account, matches func() bool, bypass bool, now time.Time) (account.Credential, string, error) {
	pol := s.opt.Policy
	c := a.Credential
	server := s.side.server()
	if !a.Revoked.IsZero() && !server {
		// A desk tells a revoked account whatever the password.
		return c, "account.sign-in.revoked", domain.Errorf(ErrAccountRevoked)
	}
	if bypass {
		c.PausedUntil = time.Time{}
	}
	// On the server only the right password learns that the account is
	// revoked; a wrong one is counted as any other, and de-links as any
	// other does.
	c, outcome := account.SignInChecked(c, matches, now, pol)
	if bypass && outcome != nil && c.PausedUntil.Before(a.Credential.PausedUntil) {
		c.PausedUntil = a.Credential.PausedUntil
	}
	if outcome == nil && !a.Revoked.IsZero() {
		c.LastSignIn = a.Credential.LastSignIn
		return c, "account.sign-in.revoked", domain.Errorf(ErrAccountRevoked)
	}
	switch domain.ErrorCode(outcome) {
	case "":
		return c, "account.sign-in", nil
	case account.ErrDelinked:
		return c, "account.delinked", outcome
	case account.ErrSignInPaused:
		return c, "account.sign-in.paused", outcome
	}
	return c, "account.sign-in.failed", outcome
}

// phantomSignIn answers a sign-in for a user ID no account holds (its
// keyed hash uh). A desk says so inside the failure (ErrNotOnThisDesk:
// the app may then ask the server). The server keeps a stand-in
// credential for it in throttleBucket, which fails and pauses by the same
// rule (account.SignInChecked) as a real one, de-links included, so that
// the answers to a run of guesses are the same whether the user ID exists
// or not;
// SweepSignInLimits forgets it a day after its last failure.
func (s *Store) phantomSignIn(tx *Tx, uh []byte, now time.Time) (error, error) {
	pol := s.opt.Policy
	if !s.side.server() {
		return domain.Wrap(s.signInFailed(), ErrNotOnThisDesk, pol.MaxFailures), nil
	}
	if err := tx.CreateBucketIfNotExists(throttleBucket); err != nil {
		return nil, err
	}
	b := BucketOf(tx, throttleBucket)
	key := phantomKey(uh)
	var c account.Credential
	if _, err := s.GetJSON(b, key, &c); err != nil {
		return nil, err
	}
	c, outcome := account.SignInChecked(c, func() bool { return false }, now, pol)
	c.LastSignIn = now // here: the last failure, for the sweep
	return outcome, s.PutJSON(b, key, c)
}

// phantomKey is the key of an unknown user ID's stand-in credential in
// throttleBucket: apart from the limits' keys by its length.
func phantomKey(uh []byte) []byte { return append([]byte(phantomPrefix), uh...) }

const phantomPrefix = "p"

// isPhantomKey tells a stand-in credential's key from a limit's.
func isPhantomKey(k []byte) bool {
	return len(k) == len(phantomPrefix)+32 && strings.HasPrefix(string(k), phantomPrefix)
}

// signInFailed is the code of a wrong user ID or password: ErrSignInRetry
// under a policy that pauses rather than de-links.
func (s *Store) signInFailed() domain.Code {
	if s.opt.Policy.PauseFor > 0 {
		return account.ErrSignInRetry
	}
	return account.ErrSignInFailed
}

package store

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// Changing a credential and recovering a forgotten password. Both are
// the server's to decide, online only: each needs a secret the server
// checks (the current password, the security answer, an e-mailed code)
// and that no desk keeps in an outbox.
//
// A change ("migrate to a new credential", as the portals call it) takes
// the current password, then the security question the server asks
// (CredentialStart), then the new user ID and password (ChangeCredential).
// Every token of the account then ends, on every computer, and the
// computer that made the change gets new ones.
//
// A recovery takes the user ID, then the security question
// (RecoverStart, RecoverAnswer), then a one-time code the server mails to
// the address on file, then the new password (RecoverReset). Nothing in
// its answers tells whether the user ID names an account: an unknown one
// is asked a stand-in question, the same every time, and every answer is
// told "if it is right, a code was sent". A wrong answer counts towards
// the de-link as at sign-in; a de-linked or revoked enrolment gets no
// code (a new PIN is its only way back).

// Recovery's limits.
const (
	// RecoveryCodeTTL is how long an e-mailed code works.
	RecoveryCodeTTL = 15 * time.Minute
	// RecoveryCodeTries is how many wrong codes end a recovery.
	RecoveryCodeTries = 3
	// recoveryCodeDigits is the length of the code.
	recoveryCodeDigits = 8
)

// Purposes of a challenge (challengeRecord.Purpose): a sign-in's is empty.
const (
	purposeCredential = "credential"
	purposeRecover    = "recover"
)

// Codes of changing and recovering a credential.
var (
	// ErrRecoveryCode is a wrong or unknown e-mailed code; its argument
	// is the tries left.
	ErrRecoveryCode = domain.NewCode("store.recovery.code", domain.KindInvalid)
	// ErrChallengeOther is a challenge of another account than the one
	// signed in, or of another purpose.
	ErrChallengeOther = domain.NewCode("store.signin.challenge.other", domain.KindForbidden)
)

// recoveryRecord is what a recovery keeps beside its challenge: the
// code's hash once mailed, and the wrong codes tried.
type recoveryRecord struct {
	CodeHash    string    `json:"codeHash,omitempty"`
	CodeExpires time.Time `json:"codeExpires,omitzero"`
	Tries       int       `json:"tries,omitempty"`
}

func recoveryKey(token string) []byte { return append([]byte("r"), tokenKey(token)...) }

// standInQuestions are the questions an unknown user ID is asked, one
// chosen by its keyed hash so that it is the same every time.
var standInQuestions = []string{
	"What was the name of your first school?", "In what city were you born?", "What was the name of your first pet?",
	"What is your favourite book?", "What was your childhood nickname?", "What street did you grow up on?",
	"What is your mother's maiden name?", "What was the make of your first car?",
}

// CredentialStart checks the current password of by, who is signed in,
// and asks a security question (the same as a sign-in's, kept until
// answered). A wrong password counts as at sign-in.
func (sv *Server) CredentialStart(by account.Actor, password, from string) (sync.SignInChallenge, error) {
	var acct Account
	if err := sv.st.db.View(func(tx *Tx) error {
		var err error
		acct, err = sv.usableAccount(tx, by.Account)
		return err
	}); err != nil {
		return sync.SignInChallenge{}, err
	}
	if err := sv.admitAttempt(sv.signInLimits(from, acct.Credential.UserID), "signin"); err != nil {
		return sync.SignInChallenge{}, err
	}
	release, err := sv.checkTurn()
	if err != nil {
		return sync.SignInChallenge{}, err
	}
	defer release()
	var ch sync.SignInChallenge
	_, _, err = sv.st.signIn(acct.Credential.UserID, password, domain.ID{}, func(tx *Tx, a *Account, now time.Time) error {
		if a.ID != by.Account { // the user ID moved to another account meanwhile
			return domain.Errorf(ErrChallengeOther)
		}
		var err error
		ch, err = sv.challenge(tx, a, purposeCredential, domain.ID{}, now)
		return err
	})
	return ch, err
}

// challenge asks a its question for purpose, in tx: a new challenge
// token, the question kept until answered.
func (sv *Server) challenge(tx *Tx, a *Account, purpose string, device domain.ID, now time.Time) (sync.SignInChallenge, error) {
	token, err := sv.newToken(nil)
	if err != nil {
		return sync.SignInChallenge{}, err
	}
	rec := challengeRecord{Account: a.ID, Device: device, Expires: now.Add(ChallengeTTL), Purpose: purpose}
	text := ""
	if hasQuestions(a) {
		if rec.Question, err = sv.st.askQuestion(tx, a, now); err != nil {
			return sync.SignInChallenge{}, err
		}
		text = questionText(a, rec.Question)
	}
	if err := sv.st.PutJSON(BucketOf(tx, ChallengesBucket), challengeKey(token), rec); err != nil {
		return sync.SignInChallenge{}, err
	}
	return sync.SignInChallenge{Token: token, Question: text, Expires: rec.Expires}, nil
}

// checkTurn waits for a turn to hash (one per core), or refuses.
func (sv *Server) checkTurn() (func(), error) {
	select {
	case sv.checking <- struct{}{}:
		return func() { <-sv.checking }, nil
	case <-time.After(checkWait):
		return nil, domain.Errorf(sync.ErrTooMany, sv.st.Now().Add(time.Second))
	}
}

// readChallenge reads the live challenge token of purpose and its
// account; found is false when there is none (expired, used, forged).
func (sv *Server) readChallenge(token, purpose string, now time.Time) (rec challengeRecord, a Account, found bool, err error) {
	err = sv.st.db.View(func(tx *Tx) error {
		ok, err := sv.st.GetJSON(BucketOf(tx, ChallengesBucket), challengeKey(token), &rec)
		if err != nil || !ok || !now.Before(rec.Expires) || rec.Purpose != purpose {
			return err
		}
		found = true
		if rec.Account.IsZero() {
			return nil
		}
		_, err = sv.st.GetJSON(BucketOf(tx, AccountsBucket), rec.Account[:], &a)
		return err
	})
	return rec, a, found, err
}

// ChangeCredential answers the question CredentialStart asked by and, when
// right, gives the account the new user ID and password: every token of
// the account ends, and device gets new ones. The new credential is
// checked first (account.CleanUserID, account.CheckPassword, a user ID
// nobody else holds), so that a mistake in it costs no try.
func (sv *Server) ChangeCredential(by account.Actor, device domain.ID, in sync.CredentialRequest, from string) (sync.Tokens, error) {
	if err := sv.admitAttempt(sv.registerLimits(from), "signin"); err != nil {
		return sync.Tokens{}, err
	}
	uid, err := account.CleanUserID(in.UserID)
	if err != nil {
		return sync.Tokens{}, err
	}
	if err := account.CheckPassword(in.Password, uid); err != nil {
		return sync.Tokens{}, err
	}
	now := sv.st.Now()
	rec, acct, found, err := sv.readChallenge(in.Challenge, purposeCredential, now)
	if err != nil {
		return sync.Tokens{}, err
	}
	if !found {
		return sync.Tokens{}, domain.Errorf(ErrChallengeExpired)
	}
	if rec.Account != by.Account {
		_ = sv.Refused(by, "signin", by.Account, ErrChallengeOther)
		return sync.Tokens{}, domain.Errorf(ErrChallengeOther)
	}
	uh := sv.st.kr.Hash(hashUserID, uid)
	if err := sv.st.db.View(func(tx *Tx) error {
		if id := tx.Bucket(ixUserID).Get(uh[:]); id != nil && domain.ID(id) != by.Account {
			return domain.FieldError(account.ErrUserIDTaken, "userID")
		}
		return nil
	}); err != nil {
		return sync.Tokens{}, err
	}
	release, err := sv.checkTurn()
	if err != nil {
		return sync.Tokens{}, err
	}
	defer release()
	matched := sv.st.answerMatches(&acct, rec.Question, in.Answer)
	hash, err := account.HashSecret(in.Password, sv.st.opt.Secrets, sv.st.opt.Rand)
	if err != nil {
		return sync.Tokens{}, domain.Wrap(ErrStorage, err)
	}
	var out sync.Tokens
	var outcome error
	err = sv.st.db.Update(func(tx *Tx) error {
		if _, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), by.Account[:], &acct); err != nil {
			return err
		}
		ch := BucketOf(tx, ChallengesBucket)
		var err error
		if outcome, err = sv.st.checkAnswer(tx, &acct, matched, now); err != nil {
			return err
		}
		if outcome != nil {
			if domain.ErrorCode(outcome) == account.ErrDelinked {
				return ch.Delete(challengeKey(in.Challenge))
			}
			return nil
		}
		ids := tx.Bucket(ixUserID)
		if id := ids.Get(uh[:]); id != nil && domain.ID(id) != acct.ID {
			outcome = domain.FieldError(account.ErrUserIDTaken, "userID")
			return nil
		}
		old := sv.st.kr.Hash(hashUserID, acct.Credential.UserID)
		if err := ids.Delete(old[:]); err != nil {
			return err
		}
		if err := ids.Put(uh[:], acct.ID[:]); err != nil {
			return err
		}
		acct.Credential.UserID, acct.Credential.PasswordHash = uid, hash
		if err := sv.st.PutAccount(tx, &acct, false); err != nil {
			return err
		}
		if err := ch.Delete(challengeKey(in.Challenge)); err != nil {
			return err
		}
		if err := sv.st.endTokens(tx, acct.ID); err != nil {
			return err
		}
		if err := sv.st.Journal(tx, now, Entry{By: acct.Actor(), Action: "account.credential", Entity: acct.ID}); err != nil {
			return err
		}
		out, err = sv.issueTokens(tx, &acct, device, domain.ID{}, nil, now)
		return err
	})
	if err != nil {
		return sync.Tokens{}, err
	}
	return out, outcome
}

// RecoverStart begins the recovery of a forgotten password for userID:
// the security question to answer (RecoverAnswer). An unknown user ID,
// or an account that keeps no answers, is asked a stand-in question, the
// same every time, and goes no further.
func (sv *Server) RecoverStart(userID, from string) (sync.SignInChallenge, error) {
	if err := sv.admitAttempt(sv.signInLimits(from, userID), "signin"); err != nil {
		return sync.SignInChallenge{}, err
	}
	uid, cerr := account.CleanUserID(userID)
	if cerr != nil {
		uid = userID
	}
	uh := sv.st.kr.Hash(hashUserID, uid)
	now := sv.st.Now()
	var out sync.SignInChallenge
	err := sv.st.db.Update(func(tx *Tx) error {
		var a Account
		if id := tx.Bucket(ixUserID).Get(uh[:]); id != nil {
			if _, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), id, &a); err != nil {
				return err
			}
		}
		var err error
		out, err = sv.challenge(tx, &a, purposeRecover, domain.ID{}, now)
		if err != nil || out.Question != "" {
			return err
		}
		// No account, or none that could answer: a stand-in.
		pick := binary.BigEndian.Uint64(uh[:8]) % uint64(len(standInQuestions))
		out.Question = standInQuestions[pick]
		return nil
	})
	return out, err
}

// RecoverAnswer takes the answer to a recovery's question. When it is
// right, the server mails a one-time code to the account's address; the
// answer is the same either way (nil), so that it tells nothing. A wrong
// answer counts towards the de-link as at sign-in.
func (sv *Server) RecoverAnswer(challenge, answer, from string) error {
	if err := sv.admitAttempt(sv.registerLimits(from), "signin"); err != nil {
		return err
	}
	release, err := sv.checkTurn()
	if err != nil {
		return err
	}
	defer release()
	now := sv.st.Now()
	rec, acct, found, err := sv.readChallenge(challenge, purposeRecover, now)
	if err != nil {
		return err
	}
	if !found {
		sv.st.answerMatches(&Account{}, -1, answer) // as long as a real check
		return domain.Errorf(ErrChallengeExpired)
	}
	matched := false
	if acct.ID.IsZero() {
		sv.st.answerMatches(&Account{}, -1, answer)
	} else {
		matched = sv.st.answerMatches(&acct, rec.Question, answer)
	}
	var code, codeHash string
	if matched {
		if code, err = sv.recoveryCode(); err != nil {
			return err
		}
		if codeHash, err = account.HashSecret(code, sv.st.opt.Secrets, sv.st.opt.Rand); err != nil {
			return domain.Wrap(ErrStorage, err)
		}
	}
	return sv.st.db.Update(func(tx *Tx) error {
		ch := BucketOf(tx, ChallengesBucket)
		if acct.ID.IsZero() {
			// A stand-in: it ends as a real one does after a wrong answer
			// (nothing else changes).
			return nil
		}
		if _, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), acct.ID[:], &acct); err != nil {
			return err
		}
		if !acct.Credential.Delinked.IsZero() || !acct.Revoked.IsZero() {
			return nil // no way back but a new PIN
		}
		if !matched {
			// Counted as at sign-in; the answer says nothing of it, nor
			// of a de-link it makes (the challenge stays, as a stand-in's).
			_, err := sv.st.checkAnswer(tx, &acct, false, now)
			return err
		}
		if err := sv.st.answered(tx, acct.ID); err != nil {
			return err
		}
		r := recoveryRecord{CodeHash: codeHash, CodeExpires: now.Add(RecoveryCodeTTL)}
		if err := sv.st.PutJSON(ch, recoveryKey(challenge), r); err != nil {
			return err
		}
		// The challenge lives as long as its code.
		rec.Expires = r.CodeExpires
		if err := sv.st.PutJSON(ch, challengeKey(challenge), rec); err != nil {
			return err
		}
		if err := sv.st.Journal(tx, now, Entry{By: acct.Actor(), Action: "account.recovery.code", Entity: acct.ID}); err != nil {
			return err
		}
		return sv.st.MailAccount(tx, now, acct.ID, "account.recovery.code", code)
	})
}

// recoveryCode draws an e-mailed code: recoveryCodeDigits digits.
func (sv *Server) recoveryCode() (string, error) {
	var raw [8]byte
	if _, err := io.ReadFull(sv.opt.Store.Rand, raw[:]); err != nil {
		return "", domain.Wrap(ErrStorage, err)
	}
	n := binary.BigEndian.Uint64(raw[:]) % 100_000_000
	return fmt.Sprintf("%0*d", recoveryCodeDigits, n), nil
}

// RecoverReset sets the new password of the recovery challenge, given the
// code the server mailed. The code works once, for RecoveryCodeTTL;
// RecoveryCodeTries wrong ones end the recovery. Every token of the
// account ends, and its sign-in failures are forgotten; it signs in next
// with the new password (and its security question).
func (sv *Server) RecoverReset(challenge, code, password, from string) error {
	if err := sv.admitAttempt(sv.registerLimits(from), "signin"); err != nil {
		return err
	}
	release, err := sv.checkTurn()
	if err != nil {
		return err
	}
	defer release()
	now := sv.st.Now()
	_, acct, found, err := sv.readChallenge(challenge, purposeRecover, now)
	if err != nil {
		return err
	}
	var r recoveryRecord
	if found {
		if err := sv.st.db.View(func(tx *Tx) error {
			found, err = sv.st.GetJSON(BucketOf(tx, ChallengesBucket), recoveryKey(challenge), &r)
			return err
		}); err != nil {
			return err
		}
	}
	if !found || acct.ID.IsZero() || !now.Before(r.CodeExpires) {
		account.SecretMatches(dummyHash(sv.st.opt.Secrets), code)
		return domain.Errorf(ErrChallengeExpired)
	}
	if err := account.CheckPassword(password, acct.Credential.UserID); err != nil {
		return err // a mistake in the new password costs no try
	}
	matched := account.SecretMatches(r.CodeHash, normaliseCode(code))
	hash, err := account.HashSecret(password, sv.st.opt.Secrets, sv.st.opt.Rand)
	if err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	var outcome error
	err = sv.st.db.Update(func(tx *Tx) error {
		ch := BucketOf(tx, ChallengesBucket)
		if !matched {
			r.Tries++
			if r.Tries >= RecoveryCodeTries {
				outcome = domain.Errorf(ErrChallengeExpired)
				if err := ch.Delete(recoveryKey(challenge)); err != nil {
					return err
				}
				return ch.Delete(challengeKey(challenge))
			}
			outcome = domain.FieldError(ErrRecoveryCode, "code", RecoveryCodeTries-r.Tries)
			return sv.st.PutJSON(ch, recoveryKey(challenge), r)
		}
		if _, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), acct.ID[:], &acct); err != nil {
			return err
		}
		if !acct.Credential.Delinked.IsZero() || !acct.Revoked.IsZero() {
			outcome = domain.Errorf(ErrChallengeExpired)
			return nil
		}
		acct.Credential.PasswordHash = hash
		acct.Credential.Failures, acct.Credential.Pauses, acct.Credential.PausedUntil = 0, 0, time.Time{}
		if err := sv.st.PutAccount(tx, &acct, false); err != nil {
			return err
		}
		for _, k := range [][]byte{recoveryKey(challenge), challengeKey(challenge)} {
			if err := ch.Delete(k); err != nil {
				return err
			}
		}
		if err := sv.st.endTokens(tx, acct.ID); err != nil {
			return err
		}
		return sv.st.Journal(tx, now, Entry{By: acct.Actor(), Action: "account.recovery.reset", Entity: acct.ID})
	})
	if err != nil {
		return err
	}
	return outcome
}

// normaliseCode keeps the digits of a typed code (spaces and dashes go).
func normaliseCode(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

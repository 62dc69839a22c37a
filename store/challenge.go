package store

import (
	"encoding/binary"
	"io"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// The security question at sign-in. The portals ask one of the person's
// four security questions each time they sign in, after the password.
// The server chooses it (SignIn answers a right password with a
// challenge, not tokens) and keeps it, so that asking again does not
// change it: a guesser who knows the password cannot wait for the
// easiest question. The question stays the account's until it is answered
// right; a challenge lives ChallengeTTL. A wrong answer counts as a wrong
// password does (account.SignInChecked: the third failure in a row,
// passwords and answers together, de-links the enrolment, or pauses it
// under a pausing policy), and a right password does not reset the count
// before the answer: only a whole sign-in does.
//
// A desk that cannot reach the server asks one question chosen the same
// way from the hashed answers it holds (SignInOffline, AnswerOffline).

// ChallengeTTL is how long a sign-in's question waits for its answer.
const ChallengeTTL = 5 * time.Minute

// Codes of the security question.
var (
	// ErrChallengeExpired is an answer to a question that is no longer
	// asked (timed out, answered, or never asked): sign in again.
	ErrChallengeExpired = domain.NewCode("store.signin.challenge.expired", domain.KindUnauthorized)
	// ErrQuestionWrong is a wrong answer to the security question; its
	// argument is the tries left before the enrolment is de-linked.
	ErrQuestionWrong = domain.NewCode("store.signin.question.wrong", domain.KindUnauthorized)
	// ErrQuestionRetry is ErrQuestionWrong under a policy that pauses
	// sign-in rather than de-link the enrolment.
	ErrQuestionRetry = domain.NewCode("store.signin.question.retry", domain.KindUnauthorized)
)

// challengeRecord is what ChallengesBucket keeps of a question asked.
type challengeRecord struct {
	Account  domain.ID `json:"account"`
	Question int       `json:"question"`
	Device   domain.ID `json:"device"`
	Expires  time.Time `json:"expires"`
	// Purpose is what the answer leads to: tokens (a sign-in's, empty),
	// a change of credential, or a recovery's e-mailed code.
	Purpose string `json:"purpose,omitempty"`
}

// askedRecord is the question an account is asked until it answers it.
type askedRecord struct {
	Question int       `json:"question"`
	Since    time.Time `json:"since"`
}

// Keys of ChallengesBucket: "q" and an account ID for the question it is
// being asked, "c" and a token's hash for a challenge.
func askedKey(id domain.ID) []byte          { return append([]byte("q"), id[:]...) }
func challengeKey(token string) []byte      { return append([]byte("c"), tokenKey(token)...) }
func hasQuestions(a *Account) bool          { return len(answerable(a)) > 0 }
func questionText(a *Account, i int) string { return a.Questions[i].Question }

// answerable lists the questions of a that have an answer (an account
// made before answers were kept, or by an administrator, has none).
func answerable(a *Account) []int {
	var out []int
	for i, q := range a.Questions {
		if q.AnswerHash != "" {
			out = append(out, i)
		}
	}
	return out
}

// askQuestion is the question a is asked at now: the one it was asked
// last and has not answered yet, or a new one drawn at random from its
// answered ones, which is then kept.
func (s *Store) askQuestion(tx *Tx, a *Account, now time.Time) (int, error) {
	b := BucketOf(tx, ChallengesBucket)
	var asked askedRecord
	found, err := s.GetJSON(b, askedKey(a.ID), &asked)
	if err != nil {
		return 0, err
	}
	qs := answerable(a)
	if found {
		for _, i := range qs {
			if i == asked.Question {
				return i, nil
			}
		}
	}
	var raw [8]byte
	if _, err := io.ReadFull(s.opt.Rand, raw[:]); err != nil {
		return 0, domain.Wrap(ErrStorage, err)
	}
	asked = askedRecord{Question: qs[binary.BigEndian.Uint64(raw[:])%uint64(len(qs))], Since: now}
	return asked.Question, s.PutJSON(b, askedKey(a.ID), asked)
}

// answered forgets the question a was being asked: the next sign-in draws
// another.
func (s *Store) answered(tx *Tx, a domain.ID) error {
	return tx.Bucket(ChallengesBucket).Delete(askedKey(a))
}

// answerMatches reports whether answer is the one whose hash a keeps for
// its question i (normalised as at registration).
func (s *Store) answerMatches(a *Account, i int, answer string) bool {
	if i < 0 || i >= len(a.Questions) || a.Questions[i].AnswerHash == "" {
		account.SecretMatches(dummyHash(s.opt.Secrets), answer)
		return false
	}
	return account.SecretMatches(a.Questions[i].AnswerHash, account.NormaliseAnswer(answer))
}

// checkAnswer counts an answer to a's question at now, in tx, by the
// sign-in rule: the credential's failures, pause or de-link. A right one
// ends the question. outcome is the answer's refusal; err a failure to
// write.
func (s *Store) checkAnswer(tx *Tx, a *Account, matched bool, now time.Time) (outcome, err error) {
	was := a.Credential
	var action string
	a.Credential, action, outcome = s.checkCredential(*a, func() bool { return matched }, false, now)
	switch domain.ErrorCode(outcome) {
	case account.ErrSignInFailed:
		outcome = domain.Errorf(ErrQuestionWrong, s.opt.Policy.MaxFailures-a.Credential.Failures)
		action = "account.sign-in.question.failed"
	case account.ErrSignInRetry:
		outcome = domain.Errorf(ErrQuestionRetry, s.opt.Policy.MaxFailures-a.Credential.Failures)
		action = "account.sign-in.question.failed"
	}
	if was.Delinked.IsZero() && !a.Credential.Delinked.IsZero() {
		if err := s.answered(tx, a.ID); err != nil {
			return nil, err
		}
		return outcome, s.delinked(tx, a, now)
	}
	if outcome == nil {
		if err := s.answered(tx, a.ID); err != nil {
			return nil, err
		}
		action = "account.sign-in"
	}
	if err := s.PutAccount(tx, a, false); err != nil {
		return nil, err
	}
	return outcome, s.Journal(tx, now, Entry{By: a.Actor(), Action: action, Entity: a.ID})
}

// SignIn checks the password and, when right, asks a security question:
// the challenge to answer (AnswerSignIn) comes back in place of tokens. An
// account with no answers kept gets its tokens at once.
func (sv *Server) signInQuestion(userID, password string, device, owner domain.ID) (sync.Tokens, Account, error) {
	var ch *sync.SignInChallenge
	var noQuestion bool
	_, acct, err := sv.st.signIn(userID, password, owner, func(tx *Tx, a *Account, now time.Time) error {
		if !hasQuestions(a) {
			noQuestion = true
			return nil
		}
		i, err := sv.st.askQuestion(tx, a, now)
		if err != nil {
			return err
		}
		token, err := sv.newToken(nil)
		if err != nil {
			return err
		}
		rec := challengeRecord{Account: a.ID, Question: i, Device: device, Expires: now.Add(ChallengeTTL)}
		if err := sv.st.PutJSON(BucketOf(tx, ChallengesBucket), challengeKey(token), rec); err != nil {
			return err
		}
		ch = &sync.SignInChallenge{Token: token, Question: questionText(a, i), Expires: rec.Expires}
		return nil
	})
	if err != nil || noQuestion {
		return sync.Tokens{}, acct, err
	}
	return sync.Tokens{Challenge: ch}, acct, nil
}

// AnswerSignIn takes the answer to a sign-in's security question
// (challenge, from SignIn) and, when right, hands out the tokens. The
// attempt counts against the limit of the client's address from, as a
// sign-in does, when the challenge is not a live one; a wrong answer
// counts towards the de-link as a wrong password does, and the same
// question stays asked.
func (sv *Server) AnswerSignIn(challenge, answer string, from string) (sync.Tokens, error) {
	now := sv.st.Now()
	var rec challengeRecord
	var acct Account
	found := false
	err := sv.st.db.View(func(tx *Tx) error {
		ok, err := sv.st.GetJSON(BucketOf(tx, ChallengesBucket), challengeKey(challenge), &rec)
		if err != nil || !ok || !now.Before(rec.Expires) || rec.Purpose != "" {
			return err // a recovery's or a change's question gives no tokens
		}
		found, err = sv.st.GetJSON(BucketOf(tx, AccountsBucket), rec.Account[:], &acct)
		return err
	})
	if err != nil {
		return sync.Tokens{}, err
	}
	if !found {
		// Only a right password gets a challenge, so a live one is its
		// own limit (the de-link); a dead or forged one counts against
		// the address's, as a sign-in does.
		if err := sv.admitAttempt(sv.registerLimits(from), "signin"); err != nil {
			return sync.Tokens{}, err
		}
		_ = sv.Refused(account.Actor{}, "signin", domain.ID{}, ErrChallengeExpired)
		return sync.Tokens{}, domain.Errorf(ErrChallengeExpired)
	}
	release, err := sv.checkTurn()
	if err != nil {
		return sync.Tokens{}, err
	}
	defer release()
	matched := sv.st.answerMatches(&acct, rec.Question, answer)
	var out sync.Tokens
	var outcome error
	err = sv.st.db.Update(func(tx *Tx) error {
		if _, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), rec.Account[:], &acct); err != nil {
			return err
		}
		var err error
		if outcome, err = sv.st.checkAnswer(tx, &acct, matched, now); err != nil || outcome != nil {
			if err != nil {
				return err
			}
			if domain.ErrorCode(outcome) == account.ErrDelinked {
				return BucketOf(tx, ChallengesBucket).Delete(challengeKey(challenge))
			}
			return nil
		}
		if err := BucketOf(tx, ChallengesBucket).Delete(challengeKey(challenge)); err != nil {
			return err
		}
		out, err = sv.issueTokens(tx, &acct, rec.Device, domain.ID{}, nil, now)
		return err
	})
	if err != nil {
		return sync.Tokens{}, err
	}
	return out, outcome
}

// SignInOffline is a desk's sign-in when the server cannot be reached: the
// password, then one of the person's questions chosen here from the
// hashed answers this desk holds (AnswerOffline). It returns the account
// and the question; none when the desk holds no answers for the account
// (it signed in here first through the server, which keeps them), and
// the session then starts at once.
func (s *Store) SignInOffline(userID, password string) (account.Session, Account, string, error) {
	var question string
	var noQuestion bool
	_, acct, err := s.signIn(userID, password, domain.ID{}, func(tx *Tx, a *Account, now time.Time) error {
		if !hasQuestions(a) {
			noQuestion = true
			a.Credential.Failures, a.Credential.Pauses, a.Credential.LastSignIn = 0, 0, now
			return nil
		}
		i, err := s.askQuestion(tx, a, now)
		question = questionText(a, i)
		return err
	})
	if err != nil {
		return account.Session{}, Account{}, "", err
	}
	if noQuestion {
		return account.NewSession(acct.Actor(), s.Now()), acct, "", nil
	}
	return account.Session{}, acct, question, nil
}

// AnswerOffline checks the answer to the question SignInOffline asked id
// and starts the session when it is right. A wrong one counts as a wrong
// password, on the desk as on the server.
func (s *Store) AnswerOffline(id domain.ID, answer string) (account.Session, Account, error) {
	now := s.Now()
	var acct Account
	var asked askedRecord
	var found, foundQ bool
	err := s.db.View(func(tx *Tx) error {
		var err error
		if found, err = s.GetJSON(BucketOf(tx, AccountsBucket), id[:], &acct); err != nil || !found {
			return err
		}
		foundQ, err = s.GetJSON(BucketOf(tx, ChallengesBucket), askedKey(id), &asked)
		return err
	})
	if err != nil {
		return account.Session{}, Account{}, err
	}
	if !found || !foundQ {
		return account.Session{}, Account{}, domain.Errorf(ErrChallengeExpired)
	}
	matched := s.answerMatches(&acct, asked.Question, answer)
	var outcome error
	err = s.db.Update(func(tx *Tx) error {
		if _, err := s.GetJSON(BucketOf(tx, AccountsBucket), id[:], &acct); err != nil {
			return err
		}
		var err error
		outcome, err = s.checkAnswer(tx, &acct, matched, now)
		return err
	})
	if err != nil {
		return account.Session{}, Account{}, err
	}
	if outcome != nil {
		return account.Session{}, Account{}, outcome
	}
	return account.NewSession(acct.Actor(), now), acct, nil
}

// SweepChallenges forgets the challenges (and recoveries' codes) whose
// time has passed; the server runs it with SweepSignInLimits. The
// question an account is being asked stays until it is answered.
func (sv *Server) SweepChallenges() (int, error) {
	now := sv.st.Now()
	n := 0
	err := sv.st.db.Update(func(tx *Tx) error {
		b := BucketOf(tx, ChallengesBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var expires time.Time
			switch k[0] {
			case 'c':
				var rec challengeRecord
				if sv.st.OpenJSON(b, k, v, &rec) == nil {
					expires = rec.Expires
				}
			case 'r':
				var rec recoveryRecord
				if sv.st.OpenJSON(b, k, v, &rec) == nil {
					expires = rec.CodeExpires
				}
			default:
				continue
			}
			if now.Before(expires) {
				continue
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

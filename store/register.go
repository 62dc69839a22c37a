package store

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// Codes for registration.
var ErrProgramExists = domain.NewCode("store.program.exists", domain.KindConflict)

// KindRegister is the outbox command of a registration.
const KindRegister sync.Kind = "account.register"

// RegisterStudent creates a student's own account (MyCIC): no PIN, as the
// student signs up for themselves.
func (s *Store) RegisterStudent(r account.Registration) (Account, error) {
	return s.register(r, account.Student)
}

// RegisterApplicant creates an OINP applicant's own account (ONe-key): no
// PIN, as the applicant signs up for themselves.
func (s *Store) RegisterApplicant(r account.Registration) (Account, error) {
	return s.register(r, account.Applicant)
}

// RegisterRepresentative creates the account of a person who helps
// applicants with their OINP applications (§3.2): they act for an
// applicant only once the applicant authorises them.
func (s *Store) RegisterRepresentative(r account.Registration) (Account, error) {
	return s.register(r, account.Representative)
}

// CreateProgramAccount creates the program's first officer on a profile
// that has none. Later officers are made by the server's administrator.
func (s *Store) CreateProgramAccount(r account.Registration) (Account, error) {
	return s.register(r, account.ProgramOfficer)
}

func (s *Store) register(r account.Registration, role account.Role) (Account, error) {
	c, err := s.NewRegistration(r)
	if err != nil {
		return Account{}, err
	}
	var acct Account
	err = s.db.Update(func(tx *Tx) error {
		if role == account.ProgramOfficer && s.hasRole(tx, account.ProgramOfficer) {
			return domain.Errorf(ErrProgramExists) // later officers: AddProgramOfficer
		}
		if acct, err = c.Create(s, tx, role); err != nil {
			return err
		}
		return s.Journal(tx, c.Now, Entry{By: acct.Actor(), Kind: KindRegister, Action: "account.register",
			Entity: c.ID, Payload: sync.EnrolPayload{Account: c.ID, UserID: c.r.UserID, GivenNames: c.r.GivenNames,
				FamilyName: c.r.FamilyName, Password: c.pwHash, Questions: c.questions, At: c.Now, Email: c.r.Email,
				Role: selfRole(role), Lang: MailLang(c.r.Lang), Form: string(c.r.Form)},
			Detail: role.Code()})
	})
	return acct, err
}

// Registration is a new account's checked registration with what its
// transaction needs made beforehand: the password's and answers' hashes
// (argon2id, slow, so kept out of the write transaction), its ID and the
// time.
type Registration struct {
	r         account.Registration
	pwHash    string
	questions [account.QuestionCount]sync.HashedAnswer
	ID        domain.ID
	Now       time.Time
}

func (s *Store) NewRegistration(r account.Registration) (Registration, error) {
	r, err := r.Check()
	if err != nil {
		return Registration{}, err
	}
	c := Registration{r: r, Now: s.Now()}
	if c.pwHash, c.questions, err = s.HashCredential(r.Password, r.Questions); err != nil {
		return c, err
	}
	c.ID, err = s.NewID(c.Now)
	return c, err
}

// Create writes the account with role inside tx.
func (c Registration) Create(s *Store, tx *Tx, role account.Role) (Account, error) {
	return s.RegisterIn(tx, c.r, role, c.pwHash, c.questions, c.ID, c.Now)
}

// selfRole is how a registration names its role on the wire: nothing for
// a student (as before applicants could register).
func selfRole(r account.Role) string {
	if r == account.Student {
		return ""
	}
	return r.Code()
}

// RegisterIn creates the account of a cleaned registration, with ID id and
// the password and answers already hashed.
func (s *Store) RegisterIn(tx *Tx, r account.Registration, role account.Role, pwHash string, questions [account.QuestionCount]sync.HashedAnswer, id domain.ID, now time.Time) (Account, error) {
	ids := tx.Bucket(ixUserID)
	uh := s.kr.Hash(hashUserID, r.UserID)
	if ids.Get(uh[:]) != nil {
		return Account{}, domain.FieldError(account.ErrUserIDTaken, "userID")
	}
	acct := Account{ID: id, Role: role, GivenNames: r.GivenNames, FamilyName: r.FamilyName, Email: r.Email, Lang: MailLang(r.Lang), Form: r.Form,
		Credential: account.Credential{UserID: r.UserID, PasswordHash: pwHash}, Questions: questions, Enrolled: now}
	if err := s.PutAccount(tx, &acct, true); err != nil {
		return acct, err
	}
	return acct, ids.Put(uh[:], id[:])
}

// HashCredential hashes a password and the security answers: each costs
// tens of milliseconds, so callers do it before taking the write lock.
func (s *Store) HashCredential(password string, qs [account.QuestionCount]account.SecurityQuestion) (string, [account.QuestionCount]sync.HashedAnswer, error) {
	var out [account.QuestionCount]sync.HashedAnswer
	pwHash, err := account.HashSecret(password, s.opt.Secrets, s.opt.Rand)
	if err != nil {
		return "", out, domain.Wrap(ErrStorage, err)
	}
	for i, q := range qs {
		h, err := account.HashSecret(account.NormaliseAnswer(q.Answer), s.opt.Secrets, s.opt.Rand)
		if err != nil {
			return "", out, domain.Wrap(ErrStorage, err)
		}
		out[i] = sync.HashedAnswer{Question: q.Question, AnswerHash: h}
	}
	return pwHash, out, nil
}

func (s *Store) hasRole(tx *Tx, role account.Role) bool {
	b := BucketOf(tx, AccountsBucket)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var a Account
		if s.OpenJSON(b, k, v, &a) == nil && a.Role == role {
			return true
		}
	}
	return false
}

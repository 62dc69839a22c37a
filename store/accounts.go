package store

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/sync"
)

// Account is an enrolled person.
type Account struct {
	ID         domain.ID    `json:"id"`
	Role       account.Role `json:"role"`
	Org        domain.ID    `json:"org,omitempty"`
	GivenNames string       `json:"givenNames"`
	FamilyName string       `json:"familyName"`
	Email      string       `json:"email,omitempty"`
	// Lang is the language the person's mail is written in
	// (translations.Lang); English when they have not chosen.
	Lang string `json:"lang,omitempty"`
	// Form is the form the person chose for their role in French
	// (account.Form); neutral until they choose.
	Form       account.Form                             `json:"form,omitempty"`
	Desk       uint16                                   `json:"desk,omitempty"`
	Credential account.Credential                       `json:"credential"`
	Questions  [account.QuestionCount]sync.HashedAnswer `json:"questions"`
	PIN        domain.ID                                `json:"pin"`
	Enrolled   time.Time                                `json:"enrolled"`
	Revoked    time.Time                                `json:"revoked,omitempty"`
	// Version advances with every change the person or their school
	// would see (not with sign-ins).
	Version uint64 `json:"version,omitempty"`
}

// RoleAs is the person's role in the form they chose, as their name is
// shown with it ("account.role.<role>.<form>").
func (a *Account) RoleAs() account.RoleAs { return account.RoleAs{Role: a.Role, Form: a.Form} }

// PutAccount writes a and, on the server, puts it in the change feed;
// changed is false for bookkeeping (sign-in counters) nobody else reads.
func (s *Store) PutAccount(tx *Tx, a *Account, changed bool) error {
	if changed {
		a.Version++
	}
	if err := s.PutJSON(BucketOf(tx, AccountsBucket), a.ID[:], a); err != nil {
		return err
	}
	if err := s.endedSlot(tx, a, a.Credential.UserID); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	return s.feedAccount(tx, a)
}

// putPIN writes a PIN and, on the server, puts it in the feed for the
// school's staff (the DIR's PIN list).
func (s *Store) putPIN(tx *Tx, p *account.PIN) error {
	if err := s.PutJSON(BucketOf(tx, PINsBucket), p.ID[:], p); err != nil {
		return err
	}
	readers := []Reader{OrgReader(p.Org)}
	if p.Role == account.DIR {
		readers = append(readers, AccountReader(p.IssuedBy))
	}
	return s.Feed(tx, sync.EntityPIN, p.ID, 0, readers, p)
}

// Actor is the account as it acts.
func (a *Account) Actor() account.Actor {
	return account.Actor{Account: a.ID, Role: a.Role, Org: a.Org}
}

// Codes for accounts kept in the store.
var (
	ErrAccountRevoked = domain.NewCode("store.account.revoked", domain.KindUnauthorized)
	ErrNotSignatory   = domain.NewCode("store.account.not-signatory", domain.KindConflict)
	// ErrNotOnThisDesk is inside the sign-in failure of a user ID this
	// desk does not hold: the app may then ask the server, which holds
	// every account. The person reads only the failure.
	ErrNotOnThisDesk = domain.NewCode("store.account.not-on-desk", domain.KindNotFound)
)

// Policy is the account rules this store runs (a PIN's validity among
// them), for a form to check against the same.
func (s *Store) Policy() account.Policy { return s.opt.Policy }

// IssuePIN draws a new PIN for req, records its hash, and returns its text:
// the only time the text exists. Desk staff PINs carry the next desk number
// of their school.
func (s *Store) IssuePIN(by account.Actor, req account.PINRequest) (string, account.PIN, error) {
	code, err := account.NewPINCode(s.opt.Rand)
	if err != nil {
		return "", account.PIN{}, domain.Wrap(ErrStorage, err)
	}
	if req, err = s.withParent(req); err != nil {
		return "", account.PIN{}, err
	}
	// Check the rules before paying for the hash.
	if _, err := account.IssuePIN(by, req, domain.ID{}, code, 0, s.Now(), s.opt.Policy); err != nil {
		return "", account.PIN{}, err
	}
	hash, err := account.HashSecret(code, s.opt.Secrets, s.opt.Rand)
	if err != nil {
		return "", account.PIN{}, domain.Wrap(ErrStorage, err)
	}
	now := s.Now()
	var pin account.PIN
	err = s.db.Update(func(tx *Tx) error {
		desk, err := s.nextDesk(tx, req.Org, req.Role)
		if err != nil {
			return err
		}
		id, err := s.NewID(now)
		if err != nil {
			return err
		}
		if pin, err = account.IssuePIN(by, req, id, code, desk, now, s.opt.Policy); err != nil {
			return err
		}
		pin.Hash = hash
		if err := s.putPIN(tx, &pin); err != nil {
			return err
		}
		h := s.kr.Hash(hashPIN, code)
		if err := tx.Bucket(ixPIN).Put(h[:], id[:]); err != nil {
			return err
		}
		if err := s.mailPIN(tx, by, &pin, now); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: by, Kind: sync.KindIssuePIN, Action: "account.pin.issue",
			Entity: id, Payload: sync.IssuePINPayload{PIN: pin, Locator: account.PINLocator(code)}, Detail: req.Role.Code()})
	})
	if err != nil {
		return "", account.PIN{}, err
	}
	return code, pin, nil
}

// findPIN looks a PIN up, by its ID when the enrolment names it (a PIN a
// desk issued, which the server knows only by its hash) or else by its
// text, and checks the text against the hash.
func (s *Store) findPIN(tx *Tx, id domain.ID, code string) (account.PIN, error) {
	var candidates [][]byte
	switch {
	case !id.IsZero():
		candidates = [][]byte{id[:]}
	default:
		h := s.kr.Hash(hashPIN, code)
		if v := tx.Bucket(ixPIN).Get(h[:]); len(v) == 16 {
			candidates = [][]byte{v}
		}
		loc := account.PINLocator(code)
		c := tx.Bucket(ixPINLocator).Cursor()
		for k, _ := c.Seek(loc[:]); k != nil && HasPrefix(k, loc[:]) && len(candidates) < 16; k, _ = c.Next() {
			candidates = append(candidates, k[2:])
		}
	}
	for _, key := range candidates {
		var pin account.PIN
		found, err := s.GetJSON(BucketOf(tx, PINsBucket), key, &pin)
		if err != nil {
			return pin, err
		}
		if found && account.SecretMatches(pin.Hash, code) {
			return pin, nil
		}
	}
	return account.PIN{}, domain.FieldError(account.ErrPINUnknown, "pin")
}

// Enrol creates the account a PIN was issued for, or re-links a de-linked
// enrolment of the same person, school and role. The PIN is used up in the
// same transaction.
func (s *Store) Enrol(e account.Enrolment) (Account, error) {
	e, err := e.Check()
	if err != nil {
		return Account{}, err
	}
	pwHash, questions, err := s.HashCredential(e.Password, e.Questions)
	if err != nil {
		return Account{}, err
	}
	now := s.Now()
	id, err := s.NewID(now)
	if err != nil {
		return Account{}, err
	}
	var acct Account
	err = s.db.Update(func(tx *Tx) error {
		var pin account.PIN
		if acct, pin, err = s.enrol(tx, e, domain.ID{}, pwHash, questions, id, now); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: acct.Actor(), Kind: sync.KindEnrol, Action: "account.enrol",
			Entity: acct.ID, Payload: sync.EnrolPayload{Account: acct.ID, PIN: pin.ID, UserID: e.UserID,
				GivenNames: e.GivenNames, FamilyName: e.FamilyName, Password: pwHash, Questions: questions,
				At: now, PINCode: e.PIN, Lang: MailLang(e.Lang), Form: string(e.Form)}})
	})
	return acct, err
}

// enrol redeems the PIN e names and creates (with ID id) or re-links the
// account, with the password and answers already hashed.
func (s *Store) enrol(tx *Tx, e account.Enrolment, pinID domain.ID, pwHash string, questions [account.QuestionCount]sync.HashedAnswer, id domain.ID, now time.Time) (Account, account.PIN, error) {
	var acct Account
	pin, err := s.findPIN(tx, pinID, e.PIN)
	if err != nil {
		return acct, pin, err
	}
	if err := account.Redeem(&pin, e, now); err != nil {
		return acct, pin, err
	}
	ids := tx.Bucket(ixUserID)
	uh := s.kr.Hash(hashUserID, e.UserID)
	if existing := ids.Get(uh[:]); existing != nil {
		var prev Account
		if _, err := s.GetJSON(BucketOf(tx, AccountsBucket), existing, &prev); err != nil {
			return acct, pin, err
		}
		// The same person (by their names as enrolled and as the PIN was
		// issued to them), school and role: a PIN issued to someone else
		// does not take over a de-linked enrolment and its history.
		relink := !prev.Credential.Delinked.IsZero() && sameRole(prev.Role, pin.Role) && prev.Org == pin.Org &&
			pin.NamesMatch(prev.GivenNames, prev.FamilyName) &&
			domain.FoldName(e.GivenNames) == domain.FoldName(prev.GivenNames) &&
			domain.FoldName(e.FamilyName) == domain.FoldName(prev.FamilyName)
		if !relink {
			return acct, pin, domain.FieldError(account.ErrUserIDTaken, "userID")
		}
		if err := s.endTokens(tx, prev.ID); err != nil {
			return acct, pin, err
		}
		acct = prev
	} else {
		acct.ID = id
	}
	acct.Role, acct.Org, acct.Desk, acct.PIN = pin.Role, pin.Org, pin.Desk, pin.ID
	if pin.Role == account.BranchPrimary {
		// The first holder of a branch's PIN is its primary user, the
		// later ones its secondary users, in the order this store applies
		// them (the server's decides).
		has, err := s.hasBranchPrimary(tx, pin.Org, acct.ID)
		if err != nil {
			return acct, pin, err
		}
		acct.Role = employer.BranchRole(has)
	}
	acct.GivenNames, acct.FamilyName = e.GivenNames, e.FamilyName
	if lang := MailLang(e.Lang); lang != "" {
		acct.Lang = lang
	}
	acct.Form = e.Form
	acct.Credential = account.Relink(acct.Credential, e.UserID, pwHash)
	acct.Questions, acct.Enrolled = questions, now
	if err := s.PutAccount(tx, &acct, true); err != nil {
		return acct, pin, err
	}
	if err := ids.Put(uh[:], acct.ID[:]); err != nil {
		return acct, pin, err
	}
	if err := s.openDesk(tx, &acct); err != nil {
		return acct, pin, err
	}
	pin.Used, pin.UsedBy = now, acct.ID
	return acct, pin, s.putPIN(tx, &pin)
}

// sameRole says whether an enrolment of role prev may be re-linked with
// a PIN for role pin: the same role, or a branch's, whichever of its
// primary and secondary it held.
func sameRole(prev, pin account.Role) bool {
	branch := func(r account.Role) bool { return r == account.BranchPrimary || r == account.BranchSecondary }
	return prev == pin || branch(prev) && branch(pin)
}

// hasBranchPrimary says whether branch has an active primary user other
// than except.
func (s *Store) hasBranchPrimary(tx *Tx, branch, except domain.ID) (bool, error) {
	b := BucketOf(tx, AccountsBucket)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var a Account
		if err := s.OpenJSON(b, k, v, &a); err != nil {
			return false, err
		}
		// A de-linked primary user stays the primary user (a new PIN
		// brings them back); one whose access ended does not.
		if a.Role == account.BranchPrimary && a.Org == branch && a.ID != except && a.Revoked.IsZero() {
			return true, nil
		}
	}
	return false, nil
}

// Account reads one account.
func (s *Store) Account(id domain.ID) (Account, error) {
	var a Account
	err := s.db.View(func(tx *Tx) error {
		found, err := s.GetJSON(BucketOf(tx, AccountsBucket), id[:], &a)
		if err == nil && !found {
			err = domain.Errorf(ErrNotFound)
		}
		return err
	})
	return a, err
}

// Staff lists the accounts of an organisation (a school's DIR and
// signatories), for the DIR's screens and for assigning requests.
func (s *Store) Staff(by account.Actor, org domain.ID) ([]Account, error) {
	if err := account.Authorize(by, account.WorkQueue, org); err != nil {
		return nil, err
	}
	var out []Account
	err := s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, AccountsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var a Account
			if err := s.OpenJSON(b, k, v, &a); err != nil {
				return err
			}
			if a.Org == org && a.Role.InstitutionStaff() {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}

// RevokeSignatory ends a signatory's access to their school. Only the
// school's DIR may.
func (s *Store) RevokeSignatory(by account.Actor, id domain.ID) error { return s.RevokeUser(by, id) }

// RevokeUser ends the access of a signatory (by their DIR) or of an
// employer's user (by the primary user, or their branch's primary user).
func (s *Store) RevokeUser(by account.Actor, id domain.ID) error {
	now := s.Now()
	return s.db.Update(func(tx *Tx) error {
		done, err := s.revoke(tx, by, id, now)
		if err != nil || done {
			return err
		}
		return s.Journal(tx, now, Entry{By: by, Kind: sync.KindRevoke, Action: "account.revoke",
			Entity: id, Payload: sync.RevokePayload{Account: id, At: now}})
	})
}

// revoke ends a signatory's access at now (account.RevokeSignatory), or an
// employer's user's (employer.CanEndAccess); already is true when it had
// ended before.
func (s *Store) revoke(tx *Tx, by account.Actor, id domain.ID, now time.Time) (already bool, err error) {
	var a Account
	found, err := s.GetJSON(BucketOf(tx, AccountsBucket), id[:], &a)
	if err != nil {
		return false, err
	}
	if !found {
		return false, domain.Errorf(ErrNotFound)
	}
	switch a.Role {
	case account.DIR:
		// The program ends a DIR's access (the school's PINs and desks
		// stay as they were; the program issues a new DIR a PIN).
		if err := account.Authorize(by, account.IssueDIRPIN, a.Org); err != nil {
			return false, err
		}
	case account.Signatory:
		if err := account.Authorize(by, account.RevokeSignatory, a.Org); err != nil {
			return false, err
		}
	case account.EmployerSecondary, account.BranchPrimary, account.BranchSecondary:
		if err := employer.CanEndAccess(by, s.userOf(tx, &a)); err != nil {
			return false, err
		}
	default:
		return false, domain.Errorf(ErrNotSignatory)
	}
	if !a.Revoked.IsZero() {
		return true, nil
	}
	a.Revoked = now
	return false, s.PutAccount(tx, &a, true)
}

// KindUpdateEmail is the outbox command of UpdateEmail.
const KindUpdateEmail sync.Kind = "account.email"

// UpdateEmail changes the signed-in person's own e-mail address.
func (s *Store) UpdateEmail(by account.Actor, email string) (Account, error) {
	email, err := domain.CleanEmail("email", email)
	if err != nil {
		return Account{}, err
	}
	now := s.Now()
	var a Account
	err = s.db.Update(func(tx *Tx) error {
		if a, err = s.updateEmail(tx, by, email); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: by, Kind: KindUpdateEmail, Action: "account.email",
			Entity: a.ID, Payload: EmailPayload{email, now}})
	})
	return a, err
}

// KindUpdateForm is the outbox command of UpdateForm.
const KindUpdateForm sync.Kind = "account.form"

// UpdateForm changes the form the signed-in person's role is written in,
// in French (account.Form).
func (s *Store) UpdateForm(by account.Actor, form account.Form) (Account, error) {
	form, err := account.ParseForm(string(form))
	if err != nil {
		return Account{}, err
	}
	now := s.Now()
	var a Account
	err = s.db.Update(func(tx *Tx) error {
		if a, err = s.updateForm(tx, by, form); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: by, Kind: KindUpdateForm, Action: "account.form",
			Entity: a.ID, Payload: FormPayload{form, now}})
	})
	return a, err
}

// FormPayload is the payload of KindUpdateForm.
type FormPayload struct {
	Form account.Form `json:"form"`
	At   time.Time    `json:"at"`
}

func (s *Store) updateForm(tx *Tx, by account.Actor, form account.Form) (Account, error) {
	var a Account
	found, err := s.GetJSON(BucketOf(tx, AccountsBucket), by.Account[:], &a)
	if err != nil {
		return a, err
	}
	if !found {
		return a, domain.Errorf(ErrNotFound)
	}
	a.Form = form
	return a, s.PutAccount(tx, &a, true)
}

// EmailPayload is the payload of KindUpdateEmail.
type EmailPayload struct {
	Email string    `json:"email"`
	At    time.Time `json:"at"`
}

func (s *Store) updateEmail(tx *Tx, by account.Actor, email string) (Account, error) {
	var a Account
	found, err := s.GetJSON(BucketOf(tx, AccountsBucket), by.Account[:], &a)
	if err != nil {
		return a, err
	}
	if !found {
		return a, domain.Errorf(ErrNotFound)
	}
	a.Email = email
	return a, s.PutAccount(tx, &a, true)
}

// withParent fills in the business a PIN's unit belongs to, for the PINs
// of an employer's branches and users.
func (s *Store) withParent(req account.PINRequest) (account.PINRequest, error) {
	if !EmployerRole(req.Role) {
		return req, nil
	}
	err := s.db.View(func(tx *Tx) error {
		var err error
		req.Parent, err = s.BusinessOf(tx, req.Org)
		return err
	})
	return req, err
}

// EmployerRole reports whether a role belongs to an employer's users.
func EmployerRole(r account.Role) bool {
	return r == account.EmployerPrimary || r == account.BranchPrimary || r == account.EmployerSecondary ||
		r == account.BranchSecondary
}

// BusinessOf finds the business a unit (the business itself or one of its
// branches) belongs to.
func (s *Store) BusinessOf(tx *Tx, unit domain.ID) (domain.ID, error) {
	v := tx.Bucket(IxUnit).Get(unit[:])
	if len(v) != len(domain.ID{}) {
		return domain.ID{}, domain.Errorf(ErrNotFound)
	}
	var id domain.ID
	copy(id[:], v)
	return id, nil
}

// userOf is what the employer rules read of an account: its role, unit and
// the unit's business (zero when none), name and standing.
func (s *Store) userOf(tx *Tx, a *Account) employer.User {
	biz, err := s.BusinessOf(tx, a.Org)
	if err != nil || a.Org.IsZero() {
		biz = domain.ID{}
	}
	return employer.User{Account: a.ID, Role: a.Role, Unit: a.Org, Business: biz, GivenNames: a.GivenNames,
		FamilyName: a.FamilyName, Active: a.Revoked.IsZero()}
}

// EmployerUser reads an account and what the employer rules read of it
// (the zero User when the store holds no such account).
func (s *Store) EmployerUser(tx *Tx, id domain.ID) (Account, employer.User, error) {
	var a Account
	found, err := s.GetJSON(BucketOf(tx, AccountsBucket), id[:], &a)
	if err != nil || !found {
		return a, employer.User{}, err
	}
	return a, s.userOf(tx, &a), nil
}

package employers

import (
	"encoding/json"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/store"
	"dossier/sync"
)

// The commands of employers' enrolment.
const (
	KindEnrolBusiness  sync.Kind = "employer.enrol"
	KindDecideBusiness sync.Kind = "employer.decide"
)

// EnrolBusinessPayload is a business's enrolment with its primary user's
// credential (as a registration's, hashed).
type EnrolBusinessPayload struct {
	sync.EnrolPayload
	Business domain.ID          `json:"business"`
	Details  employer.Enrolment `json:"details"`
}

// DecideBusinessPayload is a program officer's decision on an enrolment.
type DecideBusinessPayload struct {
	Business domain.ID `json:"business"`
	Approve  bool      `json:"approve"`
	Reason   string    `json:"reason,omitempty"`
}

// EnrolBusiness enrols a business and its primary user, the person
// enrolling (DOMAIN.md §5): the business waits for a program officer's
// approval. Offline, this desk checks what it can; the server, which
// knows every business, refuses a business number or legal name already
// used, and the person then reads only a neutral notice.
func (s Store) EnrolBusiness(e employer.Enrolment, r account.Registration) (store.Account, employer.Business, error) {
	e, err := e.Check()
	if err != nil {
		return store.Account{}, employer.Business{}, err
	}
	r, err = r.Check()
	if err != nil {
		return store.Account{}, employer.Business{}, err
	}
	pwHash, questions, err := s.HashCredential(r.Password, r.Questions)
	if err != nil {
		return store.Account{}, employer.Business{}, err
	}
	now := s.Now()
	acctID, err := s.NewID(now)
	if err != nil {
		return store.Account{}, employer.Business{}, err
	}
	bizID, err := s.NewID(now)
	if err != nil {
		return store.Account{}, employer.Business{}, err
	}
	var acct store.Account
	var biz employer.Business
	err = s.Update(func(tx *store.Tx) error {
		p := EnrolBusinessPayload{EnrolPayload: sync.EnrolPayload{Account: acctID, UserID: r.UserID, GivenNames: r.GivenNames,
			FamilyName: r.FamilyName, Password: pwHash, Questions: questions, At: now, Email: r.Email,
			Role: account.EmployerPrimary.Code(), Lang: store.MailLang(r.Lang)}, Business: bizID, Details: e}
		var err error
		if acct, biz, err = s.enrolBusiness(tx, p, r, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: acct.Actor(), Kind: KindEnrolBusiness, Action: "employer.enrol",
			Entity: acctID, Payload: p})
	})
	return acct, biz, err
}

// enrolBusiness creates the business (pending) and its primary user, or
// refuses a business number or legal name this store already has
// (employer.Enrol decides; the indexes say what is taken).
func (s Store) enrolBusiness(tx *store.Tx, p EnrolBusinessPayload, r account.Registration, now time.Time) (store.Account, employer.Business, error) {
	bn := s.Keys().Hash(store.HashBN, p.Details.BN)
	name := s.Keys().Hash(store.HashLegalName, employer.FoldLegalName(p.Details.LegalName))
	taken := employer.Taken{BN: tx.Bucket(store.IxBN).Get(bn[:]) != nil, LegalName: tx.Bucket(store.IxLegalName).Get(name[:]) != nil}
	biz, err := employer.Enrol(p.Business, p.Details, p.Account, taken, now)
	if err != nil {
		return store.Account{}, biz, err
	}
	acct, err := s.RegisterIn(tx, r, account.EmployerPrimary, p.Password, p.Questions, p.Account, now)
	if err != nil {
		return acct, employer.Business{}, err
	}
	acct.Org = p.Business
	if err := s.PutAccount(tx, &acct, true); err != nil {
		return acct, employer.Business{}, err
	}
	if err := tx.Bucket(store.IxBN).Put(bn[:], biz.ID[:]); err != nil {
		return acct, biz, err
	}
	if err := tx.Bucket(store.IxLegalName).Put(name[:], biz.ID[:]); err != nil {
		return acct, biz, err
	}
	if err := tx.Bucket(store.IxUnit).Put(biz.ID[:], biz.ID[:]); err != nil {
		return acct, biz, err
	}
	return acct, biz, s.PutBusiness(tx, &biz)
}

// refusedEnrolment keeps, for the program, an enrolment the server
// refused at the door, with its true reason; the person was told only
// that it cannot be accepted.
func (s Store) refusedEnrolment(tx *store.Tx, p EnrolBusinessPayload, why error, now time.Time) error {
	biz := p.Details.Refused(p.Business, why, now)
	if err := s.PutBusiness(tx, &biz); err != nil {
		return err
	}
	// The person is told by e-mail, without the reason, as the Employer
	// Portal does [003]; they have no account, so the letter goes to
	// the address they gave.
	email, err := domain.CleanEmail("email", p.Email)
	if err != nil {
		return nil // an address no relay takes: no letter
	}
	// Anyone may send an enrolment, naming any address: each address
	// gets one such letter a day, however many are sent.
	return s.QueueMailOnce(tx, now, store.Mail{To: email, Name: p.GivenNames + " " + p.FamilyName,
		Lang: mailLang(p.Lang), Kind: "employer.refused", Args: []string{biz.LegalName}}, domain.DateOf(now).String())
}

// mailLang is a letter's language: English when the desk said none.
func mailLang(lang string) string {
	if l := store.MailLang(lang); l != "" {
		return l
	}
	return "en"
}

// PutBusiness writes a business and feeds it to its users (its own key
// and its branches') and to the program.
func (s Store) PutBusiness(tx *store.Tx, b *employer.Business) error {
	b.Version++
	if err := s.PutJSON(store.BucketOf(tx, store.BusinessesBucket), b.ID[:], b); err != nil {
		return err
	}
	readers := []store.Reader{}
	if b.Primary != (domain.ID{}) {
		readers = append(readers, store.OrgReader(b.ID))
		for _, br := range b.Branches {
			readers = append(readers, store.OrgReader(br.ID))
		}
	}
	// The program reads every entry; a business refused at the door has
	// no users to tell.
	return s.Feed(tx, sync.EntityBusiness, b.ID, b.Version, readers, b)
}

// applyBusiness writes a business from the feed.
func (s Store) applyBusiness(tx *store.Tx, c *sync.Change) (bool, error) {
	var b employer.Business
	if err := json.Unmarshal(c.Data, &b); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if b.ID != c.ID {
		return false, nil
	}
	if err := s.indexUnits(tx, &b); err != nil {
		return false, err
	}
	return true, s.PutJSON(store.BucketOf(tx, store.BusinessesBucket), b.ID[:], b)
}

// Business reads a business: its own users' (of the business or a
// branch) and the program's.
func (s Store) Business(by account.Actor, id domain.ID) (employer.Business, error) {
	var b employer.Business
	err := s.View(func(tx *store.Tx) error {
		found, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), id[:], &b)
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(store.ErrNotFound)
		}
		if _, mine := b.Unit(by.Org); !mine && !by.Role.Can(account.ApproveEmployers) {
			return domain.Errorf(account.ErrOtherOrganisation)
		}
		return nil
	})
	return b, err
}

// Businesses lists, for a program officer, the enrolments of a status
// (every one when status is empty), oldest first.
func (s Store) Businesses(by account.Actor, status employer.Status) ([]employer.Business, error) {
	if err := account.Authorize(by, account.ApproveEmployers, domain.ID{}); err != nil {
		return nil, err
	}
	var out []employer.Business
	err := s.View(func(tx *store.Tx) error {
		b := store.BucketOf(tx, store.BusinessesBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var biz employer.Business
			if err := s.OpenJSON(b, k, v, &biz); err != nil {
				return err
			}
			if status == "" || biz.Status == status {
				out = append(out, biz)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b employer.Business) int { return a.Enrolled.Compare(b.Enrolled) })
	return out, err
}

// DecideBusiness approves or refuses a pending enrolment, as a program
// officer (the refusal's reason is the program's; the business reads the
// decision).
func (s Store) DecideBusiness(by account.Actor, id domain.ID, approve bool, reason string) (employer.Business, error) {
	now := s.Now()
	p := DecideBusinessPayload{Business: id, Approve: approve, Reason: reason}
	var b employer.Business
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if b, err = s.decideBusiness(tx, by, p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindDecideBusiness, Action: "employer.decide", Entity: id, Payload: p,
			Detail: string(b.Status)})
	})
	return b, err
}

func (s Store) decideBusiness(tx *store.Tx, by account.Actor, p DecideBusinessPayload, now time.Time) (employer.Business, error) {
	var b employer.Business
	if err := employer.MayDecide(by); err != nil {
		return b, err
	}
	found, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), p.Business[:], &b)
	if err != nil {
		return b, err
	}
	if !found {
		return b, domain.Errorf(store.ErrNotFound)
	}
	if err := b.Decide(by, p.Approve, p.Reason, now); err != nil {
		return b, err
	}
	if err := s.PutBusiness(tx, &b); err != nil {
		return b, err
	}
	// The primary user learns the decision by e-mail [003]; a refusal
	// without its reason, which stays the program's.
	kind := "employer.refused"
	if b.Status == employer.Approved {
		kind = "employer.approved"
	}
	return b, s.MailAccount(tx, now, b.Primary, kind, b.LegalName)
}

// refusedAtTheDoor reports whether an enrolment was refused because its
// business number or legal name is taken (employer.RefusedAtTheDoor).
func refusedAtTheDoor(err error) bool { return employer.RefusedAtTheDoor(err) }

// indexUnits files the business and each of its branches under the
// business, for BusinessOf.
func (s Store) indexUnits(tx *store.Tx, b *employer.Business) error {
	ix := tx.Bucket(store.IxUnit)
	if err := ix.Put(b.ID[:], b.ID[:]); err != nil {
		return err
	}
	for _, br := range b.Branches {
		if err := ix.Put(br.ID[:], b.ID[:]); err != nil {
			return err
		}
	}
	return nil
}

// The commands of an employer's units and users.
const (
	KindCreateBranch sync.Kind = "employer.branch"
	KindHandOver     sync.Kind = "employer.handover"
	// KindBranchHandOver makes a branch's secondary user its primary user.
	KindBranchHandOver sync.Kind = "employer.branch.handover"
)

// BranchHandOverPayload names the branch and its user who becomes its
// primary user.
type BranchHandOverPayload struct {
	Branch domain.ID `json:"branch"`
	To     domain.ID `json:"to"`
}

// BranchPayload is a branch the primary user created.
type BranchPayload struct {
	Business domain.ID       `json:"business"`
	Branch   employer.Branch `json:"branch"`
}

// HandOverPayload names the user who becomes primary.
type HandOverPayload struct {
	Business domain.ID `json:"business"`
	To       domain.ID `json:"to"`
}

// ErrHandOver is employer.ErrHandOver, where other code first found it.
var ErrHandOver = employer.ErrHandOver

// CreateBranch adds a branch to the primary user's business (DOMAIN.md
// §5); the primary user then issues it a PIN.
func (s Store) CreateBranch(by account.Actor, name, city string) (employer.Branch, error) {
	now := s.Now()
	id, err := s.NewID(now)
	if err != nil {
		return employer.Branch{}, err
	}
	var br employer.Branch
	err = s.Update(func(tx *store.Tx) error {
		var err error
		p := BranchPayload{Business: by.Org, Branch: employer.Branch{ID: id, Name: name, City: city}}
		if br, err = s.createBranch(tx, by, p, now); err != nil {
			return err
		}
		p.Branch = br
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindCreateBranch, Action: "employer.branch", Entity: br.ID, Payload: p})
	})
	return br, err
}

func (s Store) createBranch(tx *store.Tx, by account.Actor, p BranchPayload, now time.Time) (employer.Branch, error) {
	if err := employer.MayManage(by, p.Business); err != nil {
		return employer.Branch{}, err
	}
	var b employer.Business
	found, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), p.Business[:], &b)
	if err != nil {
		return employer.Branch{}, err
	}
	if !found {
		return employer.Branch{}, domain.Errorf(store.ErrNotFound)
	}
	br, err := b.AddBranch(by, p.Branch.ID, p.Branch.Name, p.Branch.City, now)
	if err != nil {
		return br, err
	}
	if err := s.indexUnits(tx, &b); err != nil {
		return br, err
	}
	return br, s.PutBusiness(tx, &b)
}

// HandOverPrimary makes another user of the main office the primary user;
// the one handing over stays as a secondary user, and every branch and
// user stays as it was (DOMAIN.md §5, design).
func (s Store) HandOverPrimary(by account.Actor, to domain.ID) error {
	now := s.Now()
	p := HandOverPayload{Business: by.Org, To: to}
	return s.Update(func(tx *store.Tx) error {
		if err := s.handOver(tx, by, p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindHandOver, Action: "employer.handover", Entity: p.Business, Payload: p})
	})
}

func (s Store) handOver(tx *store.Tx, by account.Actor, p HandOverPayload, now time.Time) error {
	if err := employer.MayManage(by, p.Business); err != nil {
		return err
	}
	var b employer.Business
	found, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), p.Business[:], &b)
	if err != nil {
		return err
	}
	if !found {
		return domain.Errorf(store.ErrNotFound)
	}
	from, fromUser, err := s.EmployerUser(tx, by.Account)
	if err != nil {
		return err
	}
	next, nextUser, err := s.EmployerUser(tx, p.To)
	if err != nil {
		return err
	}
	if err := b.HandOver(by, &fromUser, &nextUser); err != nil {
		return err
	}
	from.Role, next.Role = fromUser.Role, nextUser.Role
	if err := s.PutAccount(tx, &from, true); err != nil {
		return err
	}
	if err := s.PutAccount(tx, &next, true); err != nil {
		return err
	}
	return s.PutBusiness(tx, &b)
}

// HandOverBranch makes another user of the branch its primary user; the
// one handing over stays as a secondary user of the branch.
func (s Store) HandOverBranch(by account.Actor, to domain.ID) error {
	now := s.Now()
	p := BranchHandOverPayload{Branch: by.Org, To: to}
	return s.Update(func(tx *store.Tx) error {
		if err := s.handOverBranch(tx, by, p); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindBranchHandOver, Action: "employer.branch.handover",
			Entity: p.Branch, Payload: p})
	})
}

func (s Store) handOverBranch(tx *store.Tx, by account.Actor, p BranchHandOverPayload) error {
	if p.Branch != by.Org {
		return domain.Errorf(account.ErrForbidden)
	}
	from, fromUser, err := s.EmployerUser(tx, by.Account)
	if err != nil {
		return err
	}
	next, nextUser, err := s.EmployerUser(tx, p.To)
	if err != nil {
		return err
	}
	if err := employer.HandOverBranch(by, &fromUser, &nextUser); err != nil {
		return err
	}
	from.Role, next.Role = fromUser.Role, nextUser.Role
	if err := s.PutAccount(tx, &from, true); err != nil {
		return err
	}
	return s.PutAccount(tx, &next, true)
}

// EmployerUsers lists the users a primary user manages (every unit of the
// business) or a branch's primary user (their branch), for the users
// screen.
func (s Store) EmployerUsers(by account.Actor) ([]store.Account, error) {
	if !by.Role.Can(account.ManageEmployerUsers) {
		return nil, domain.Errorf(account.ErrForbidden)
	}
	var out []store.Account
	err := s.View(func(tx *store.Tx) error {
		biz, err := s.BusinessOf(tx, by.Org)
		if err != nil {
			return err
		}
		b := store.BucketOf(tx, store.AccountsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var a store.Account
			if err := s.OpenJSON(b, k, v, &a); err != nil {
				return err
			}
			if !store.EmployerRole(a.Role) {
				continue
			}
			unitBiz, err := s.BusinessOf(tx, a.Org)
			mine := a.Org == by.Org || by.Role == account.EmployerPrimary && err == nil && unitBiz == biz
			if mine {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}

// BusinessOfUnit is the business a unit (the business or a branch)
// belongs to, as this desk knows it.
func (s Store) BusinessOfUnit(unit domain.ID) (domain.ID, error) {
	var id domain.ID
	err := s.View(func(tx *store.Tx) error {
		var err error
		id, err = s.BusinessOf(tx, unit)
		return err
	})
	return id, err
}

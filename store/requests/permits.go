package requests

import (
	"slices"
	"strings"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/store"
	"dossier/sync"
)

// The Off-Campus Work Permit application (issue 17, item 2) lives with
// the requests: it is made with the EVN of a student's verification,
// under that verification's ID, and read by the same people (the student
// and the program). A desk proposes: it checks the form, the EVN as it
// knows it and the card, keeps the application as pending and queues the
// submission; the server decides against its own records — its own
// verification (issued to this student, active), no live application on
// that EVN, its own fee (assets/ocwpp/fee.json), the card charged through
// its own processor (store.Server.Payments, the sandbox Dossier ships),
// its own day. The card is never stored: the desk holds it in memory
// until the submission is pushed (store.HeldCards, as the OINP fee does).

// The permit's command kinds and its record in the change feed.
const (
	KindSubmitPermit   sync.Kind = "ocwp.permit.submit"
	KindDecidePermit   sync.Kind = "ocwp.permit.decide"
	KindWithdrawPermit sync.Kind = "ocwp.permit.withdraw"

	EntityPermit sync.EntityKind = "work-permit"
)

// MailPermitDecided is the kind of the letter that tells a student the
// program has decided their application (catalog mail.ocwp.permit.decided.*).
const MailPermitDecided = "ocwp.permit.decided"

// SubmitPermitPayload is a submission: the EVN and the form, the fee the
// student agreed to pay, the desk's day, and (only as it is pushed,
// never in the outbox) the card.
type SubmitPermitPayload struct {
	EVN      string      `json:"evn"`
	Form     permit.Form `json:"form"`
	FeeCents int64       `json:"feeCents"`
	On       domain.Date `json:"on"`
	Card     *oinp.Card  `json:"card,omitempty"`
}

// DecidePermitPayload is an officer's decision.
type DecidePermitPayload struct {
	Outcome permit.Outcome `json:"outcome"`
	Reason  string         `json:"reason,omitempty"`
}

// SubmitPermit applies for the permit with the EVN of the student's
// verification id, paid by card for agreedCents (the fee the screen
// showed), on a desk with a server: the card checked, then the form
// (every fault at once, in faults) and the EVN as this desk knows it, in
// one transaction with its outbox command, which also marks read the
// server's refusals of an earlier try (store.SeeRefusalsIn). The
// application then waits, Pending, for the server to take the fee.
func (s Store) SubmitPermit(by account.Actor, id domain.ID, f permit.Form, card oinp.Card, agreedCents int64) (permit.Application, []*domain.Error, error) {
	if _, _, err := oinp.CheckCard(card, s.Now()); err != nil {
		return permit.Application{}, nil, err
	}
	// Held before the commit: the push the commit wakes finds it. A
	// refused second try leaves the first one's card as it was.
	engine := s.Engine()
	before, held := permitCards.Get(engine, id)
	permitCards.Keep(engine, id, card)
	a, faults, err := s.submitPermit(by, id, f, agreedCents, nil)
	switch {
	case err != nil && held:
		permitCards.Keep(engine, id, before)
	case err != nil:
		permitCards.Drop(engine, id)
	}
	return a, faults, err
}

// SubmitPermitPaid is SubmitPermit on a profile with no server, whose own
// processor took the fee (receipt): the application is submitted at once.
func (s Store) SubmitPermitPaid(by account.Actor, id domain.ID, f permit.Form, receipt oinp.Receipt) (permit.Application, []*domain.Error, error) {
	return s.submitPermit(by, id, f, receipt.AmountCents, &receipt)
}

func (s Store) submitPermit(by account.Actor, id domain.ID, f permit.Form, agreedCents int64, receipt *oinp.Receipt) (permit.Application, []*domain.Error, error) {
	now := s.Now()
	if by.Role != account.Student {
		return permit.Application{}, nil, domain.Errorf(account.ErrForbidden)
	}
	on := domain.DateOf(now)
	status := permit.Pending
	if receipt != nil {
		status = permit.Submitted
	}
	var out permit.Application
	var faults []*domain.Error
	err := s.Update(func(tx *store.Tx) error {
		v, prev, err := s.permitBasis(tx, id)
		if err != nil {
			return err
		}
		a, fs, err := permit.New(v, by.Account, prev, f, on, agreedCents, assets.PermitFee(), status)
		if err != nil {
			faults = fs
			return err
		}
		a.Receipt, a.Updated = receipt, now
		if err := s.putPermit(tx, &a); err != nil {
			return err
		}
		out = a
		if err := s.SeeRefusalsIn(tx, by.Account, KindSubmitPermit, id); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSubmitPermit, Action: "ocwp.permit.submit", Entity: id,
			Base: a.Version - 1, Payload: SubmitPermitPayload{EVN: string(a.EVN), Form: a.Form, FeeCents: agreedCents, On: on}})
	})
	return out, faults, err
}

// permitBasis reads the verification id and the application already on
// record under it (nil when none).
func (s Store) permitBasis(tx *store.Tx, id domain.ID) (*ens.Request, *permit.Application, error) {
	r, found, err := s.GetRequest(tx, id, nil)
	if err != nil {
		return nil, nil, err
	}
	var v *ens.Request
	if found {
		v = &r
	}
	prev, err := s.getPermit(tx, id)
	return v, prev, err
}

// DecidePermit is an officer's decision on an application, on this desk,
// in one transaction with its outbox command; the server decides it
// again against its own record.
func (s Store) DecidePermit(by account.Actor, id domain.ID, o permit.Outcome, reason string) (permit.Application, error) {
	now := s.Now()
	var out permit.Application
	err := s.Update(func(tx *store.Tx) error {
		a, err := s.decidePermit(tx, by, id, DecidePermitPayload{Outcome: o, Reason: reason}, now)
		if err != nil {
			return err
		}
		out = a
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindDecidePermit, Action: "ocwp.permit.decide", Entity: id,
			Base: a.Version - 1, Payload: DecidePermitPayload{Outcome: o, Reason: a.Reason}, Detail: a.Status.Code()})
	})
	return out, err
}

func (s Store) decidePermit(tx *store.Tx, by account.Actor, id domain.ID, p DecidePermitPayload, now time.Time) (permit.Application, error) {
	if err := account.Authorize(by, account.DecideApplications, domain.ID{}); err != nil {
		return permit.Application{}, err
	}
	a, err := s.getPermit(tx, id)
	if err != nil {
		return permit.Application{}, err
	}
	if a == nil {
		return permit.Application{}, domain.Errorf(store.ErrNotFound)
	}
	var officer store.Account
	if _, err := s.GetJSON(store.BucketOf(tx, store.AccountsBucket), by.Account[:], &officer); err != nil {
		return permit.Application{}, err
	}
	name := strings.TrimSpace(officer.GivenNames + " " + officer.FamilyName)
	next, err := permit.Decide(*a, p.Outcome, p.Reason, by.Account, name, domain.DateOf(now))
	if err != nil {
		return next, err
	}
	next.Updated = now
	if err := s.putPermit(tx, &next); err != nil {
		return next, err
	}
	if next.Status.Decided() {
		// The letter says a decision is waiting, not what it is: the
		// student reads it, and the reason, in their message box.
		return next, s.MailAccount(tx, now, next.Student, MailPermitDecided, string(next.EVN))
	}
	return next, nil
}

// WithdrawPermit withdraws the student's own application before it is
// decided.
func (s Store) WithdrawPermit(by account.Actor, id domain.ID) (permit.Application, error) {
	now := s.Now()
	var out permit.Application
	err := s.Update(func(tx *store.Tx) error {
		a, err := s.withdrawPermit(tx, by, id, now)
		if err != nil {
			return err
		}
		out = a
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindWithdrawPermit, Action: "ocwp.permit.withdraw", Entity: id,
			Base: a.Version - 1, Payload: struct{}{}})
	})
	return out, err
}

func (s Store) withdrawPermit(tx *store.Tx, by account.Actor, id domain.ID, now time.Time) (permit.Application, error) {
	a, err := s.getPermit(tx, id)
	if err != nil {
		return permit.Application{}, err
	}
	if a == nil {
		return permit.Application{}, domain.Errorf(store.ErrNotFound)
	}
	next, err := permit.Withdraw(*a, by.Account)
	if err != nil {
		return next, err
	}
	next.Updated = now
	return next, s.putPermit(tx, &next)
}

// Permit reads one application, when by may: its student or the program.
func (s Store) Permit(by account.Actor, id domain.ID) (permit.Application, error) {
	var out permit.Application
	err := s.View(func(tx *store.Tx) error {
		a, err := s.getPermit(tx, id)
		if err != nil {
			return err
		}
		if a == nil {
			return domain.Errorf(store.ErrNotFound)
		}
		if !mayReadPermit(by, a) {
			return domain.Errorf(permit.ErrNotYours)
		}
		out = *a
		return nil
	})
	return out, err
}

// PermitIn is Permit inside tx (the server vouching for a printed copy).
func (s Store) PermitIn(tx *store.Tx, by account.Actor, id domain.ID) (permit.Application, error) {
	a, err := s.getPermit(tx, id)
	switch {
	case err != nil:
		return permit.Application{}, err
	case a == nil || !mayReadPermit(by, a):
		return permit.Application{}, domain.Errorf(store.ErrNotFound)
	}
	return *a, nil
}

func mayReadPermit(by account.Actor, a *permit.Application) bool {
	return by.Account == a.Student || by.Role.Can(account.DecideApplications) || by.Role == account.System
}

// Permits lists the applications by may read, the latest submitted
// first: a student's own, or every one this desk holds for the program.
func (s Store) Permits(by account.Actor) ([]permit.Application, error) {
	var out []permit.Application
	err := s.View(func(tx *store.Tx) error {
		b := store.BucketOf(tx, store.WorkPermitsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var a permit.Application
			if err := s.OpenJSON(b, k, v, &a); err != nil {
				return err
			}
			if mayReadPermit(by, &a) {
				out = append(out, a)
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b permit.Application) int {
		if c := b.Submitted.Days() - a.Submitted.Days(); c != 0 {
			return int(c)
		}
		return b.Updated.Compare(a.Updated)
	})
	return out, err
}

// PermitFee is the fee this desk shows and the server takes.
func PermitFee() permit.Fee { return assets.PermitFee() }

// HoldsPermitCard reports whether this desk holds, in memory, the card of
// the pending application id.
func (s Store) HoldsPermitCard(id domain.ID) bool {
	_, ok := permitCards.Get(s.Engine(), id)
	return ok
}

func (s Store) getPermit(tx *store.Tx, id domain.ID) (*permit.Application, error) {
	var a permit.Application
	found, err := s.GetJSON(store.BucketOf(tx, store.WorkPermitsBucket), id[:], &a)
	if err != nil || !found {
		return nil, err
	}
	return &a, nil
}

// putPermit writes the application and feeds it to its student (the
// program reads every record).
func (s Store) putPermit(tx *store.Tx, a *permit.Application) error {
	if err := s.PutJSON(store.BucketOf(tx, store.WorkPermitsBucket), a.ID[:], a); err != nil {
		return err
	}
	return s.Feed(tx, EntityPermit, a.ID, a.Version, []store.Reader{store.AccountReader(a.Student)}, a)
}

// permitCards are the cards of this process's pending applications, in
// memory only.
var permitCards = store.NewHeldCards()

// permitEVN is an EVN as the student typed or the desk sent it.
func permitEVN(s string) ens.EVN { return ens.EVN(strings.ToUpper(strings.TrimSpace(s))) }

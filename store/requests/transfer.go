package requests

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// A Transfer IN is checked where it can be: the desks check its EVN and
// its schools when it is raised and when it is accepted
// (checkTransferOffline), and show which school issued the number
// (IssuerOf); the server, which holds every school's
// records, confirms that it issued the EVN, that the verification is
// active and that it is the same student's before it accepts the transfer
// and closes the old school's record (acceptTransfer). A desk never closes
// another school's record itself.

// IssuerOf is the school of the program whose code starts evn, when this
// profile knows it (found is false otherwise).
func (s Store) IssuerOf(evn ens.EVN) (in store.Institution, found bool, err error) {
	err = s.View(func(tx *store.Tx) error {
		in, found, err = s.issuerIn(tx, evn)
		return err
	})
	return in, found, err
}

func (s Store) issuerIn(tx *store.Tx, evn ens.EVN) (store.Institution, bool, error) {
	code := ens.TransferSchoolOf(evn)
	schools, err := s.InstitutionsIn(tx)
	if err != nil {
		return store.Institution{}, false, err
	}
	for _, in := range schools {
		if in.Code == code && !in.ID.IsZero() {
			return in, true, nil
		}
	}
	return store.Institution{}, false, nil
}

// checkTransferOffline runs ens.CheckTransferOffline on a Transfer IN.
func (s Store) checkTransferOffline(ti *ens.Request) error {
	return ens.CheckTransferOffline(ti)
}

// heldVerification is the verification that carries a Transfer IN's EVN
// on the server: at the school the student named as the one they leave, or
// at the school that issued the number (an EVN moves with its student, so
// the two may differ). An active verification is preferred; nil when no
// request of those schools carries the number.
func (s Store) heldVerification(tx *store.Tx, ti *ens.Request) (*ens.Request, error) {
	schools := []domain.ID{ti.FromSchool}
	if issuer, found, err := s.issuerIn(tx, ti.EVN); err != nil {
		return nil, err
	} else if found {
		schools = append(schools, issuer.ID)
	}
	h := s.Keys().Hash(store.HashEVN, string(ti.EVN))
	var held *ens.Request
	for _, school := range schools {
		if school.IsZero() {
			continue
		}
		tag, err := store.OrgTag(tx, school, false)
		if err != nil {
			return nil, err
		}
		if tag == 0 {
			continue
		}
		ids, err := s.lookup(tx, tag, store.IxEVN, h)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			r, found, err := s.GetRequest(tx, id, nil)
			if err != nil {
				return nil, err
			}
			if !found || r.EVN != ti.EVN || r.School != school || r.ID == ti.ID || r.Type == ens.AC {
				continue
			}
			if r.ActiveVerification() {
				return &r, nil
			}
			if held == nil {
				held = &r
			}
		}
	}
	return held, nil
}

// acceptTransfer is the server's Accept of a Transfer IN: the program's
// check (ens.CheckTransfer) against the verification it holds, then the
// Accept itself, with the old school named as the program knows it, and
// the old school's record closed as transferred in the same transaction.
func (s Store) acceptTransfer(tx *store.Tx, by account.Actor, old *ens.Request, a ens.Action, at time.Time) (ens.Request, error) {
	if err := ens.Allowed(old, a.Function, by, at); err != nil {
		return *old, err
	}
	held, err := s.heldVerification(tx, old)
	if err != nil {
		return *old, err
	}
	if err := ens.CheckTransfer(old, held); err != nil {
		return *old, err
	}
	cur := *old
	cur.FromSchool = held.School
	next, err := s.ActIn(tx, by, &cur, a, at)
	if err != nil {
		return next, err
	}
	return next, s.closeTransferred(tx, held, next.School, by, at)
}

// closeTransferred closes the verification old as moved to school to.
func (s Store) closeTransferred(tx *store.Tx, old *ens.Request, to domain.ID, by account.Actor, now time.Time) error {
	closed, err := ens.CloseAsTransferred(*old, to, now)
	if err != nil {
		return err
	}
	if err := s.putRequest(tx, old, &closed); err != nil {
		return err
	}
	return s.Journal(tx, now, store.Entry{By: by, Action: "ens.transferred", Entity: old.ID})
}

package requests

import (
	"fmt"
	"iter"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// bulkBatch is how many requests BulkLoad writes per transaction: large
// enough that commits are a small share of the time, small enough that a
// transaction's dirty pages stay modest.
const bulkBatch = 5000

// BulkLoad writes already-checked requests in large transactions, for demo
// profiles and imports where no person waits on each one. It makes no
// outbox commands (the requests are not news to anyone) and one audit
// entry for the whole load. evnNext sets desks' next EVN sequence numbers
// for the EVNs the loaded requests already carry. The program (or the
// system) only.
func (s Store) BulkLoad(by account.Actor, reqs iter.Seq[ens.Request], evnNext map[domain.ID]uint32) (int, error) {
	if by.Role != account.ProgramOfficer && by.Role != account.System {
		return 0, domain.Errorf(account.ErrForbidden)
	}
	n := 0
	batch := make([]ens.Request, 0, bulkBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.Update(func(tx *store.Tx) error {
			for i := range batch {
				r := &batch[i]
				if !r.Type.Valid() || !r.Status.Valid() || r.School.IsZero() || r.ID.IsZero() {
					return fmt.Errorf("bulk load: request %s is incomplete", r.ID)
				}
				if err := s.putRequest(tx, nil, r); err != nil {
					return err
				}
			}
			return nil
		})
		n += len(batch)
		batch = batch[:0]
		return err
	}
	for r := range reqs {
		batch = append(batch, r)
		if len(batch) == bulkBatch {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	now := s.Now()
	err := s.Update(func(tx *store.Tx) error {
		for acct, next := range evnNext {
			device := s.Device()
			d, ok := s.IssuingDesk(tx, acct, device)
			if !ok {
				// On the server, numbers are given to computers at sign-in,
				// and these EVNs came from none: the number they carry is
				// kept as held by a retired computer (the zero device), so a
				// computer that later signs in as that person takes another
				// and never issues them again.
				var err error
				if d, err = s.pinDesk(tx, acct); err != nil {
					return err
				}
				device = domain.ID{}
			}
			d.Next = max(d.Next, next)
			if err := s.PutIssuingDesk(tx, acct, device, d); err != nil {
				return err
			}
		}
		return s.Journal(tx, now, store.Entry{By: by, Action: "ens.bulk-load", Detail: fmt.Sprint(n)})
	})
	return n, err
}

// pinDesk is the desk of the PIN acct enrolled with: its school's code and
// the PIN's number.
func (s Store) pinDesk(tx *store.Tx, acct domain.ID) (store.DeskState, error) {
	var a store.Account
	found, err := s.GetJSON(store.BucketOf(tx, store.AccountsBucket), acct[:], &a)
	if err == nil && (!found || a.Desk == 0) {
		err = fmt.Errorf("bulk load: account %s has no desk", acct)
	}
	if err != nil {
		return store.DeskState{}, err
	}
	in, err := s.InstitutionIn(tx, a.Org)
	if err != nil {
		return store.DeskState{}, err
	}
	return store.DeskState{School: in.Code, Desk: ens.Desk(a.Desk)}, nil
}

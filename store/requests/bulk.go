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
		desks := tx.Bucket(store.DesksBucket)
		for acct, next := range evnNext {
			d, ok := store.DecodeDesk(desks.Get(acct[:]))
			if !ok {
				return fmt.Errorf("bulk load: account %s has no desk", acct)
			}
			d.Next = max(d.Next, next)
			if err := desks.Put(acct[:], store.EncodeDesk(d)); err != nil {
				return err
			}
		}
		return s.Journal(tx, now, store.Entry{By: by, Action: "ens.bulk-load", Detail: fmt.Sprint(n)})
	})
	return n, err
}

package requests

import (
	"context"
	"encoding/binary"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// Server is dossierd's file as this program's server-side steps use it.
type Server struct{ *store.Server }

// ExpireBatch is how many requests one transaction of ExpireDue closes:
// pushes wait on a write transaction, so each is short.
const ExpireBatch = 500

// ExpireDue closes, as the program, every open request whose time has run
// out by the server's clock (ens.Request.Lapsed: the expiry set when the
// request was received, ens.Settings.ExpiryDays after, which Save never
// moves), and feeds each to its school's desks and its student. Only the
// server expires requests: a desk shows a request past its time as
// expiring today until the program's word arrives, and sends no Expire of
// its own. It works in batches of up to batch requests, each its own
// transaction, looking for them first in a read transaction (a run that
// finds none writes nothing), and stops between two batches once ctx ends,
// returning ctx's error and how many it had expired: the next run goes on
// from there.
func (sv Server) ExpireDue(ctx context.Context, batch int) (int, error) {
	s := of(sv.Server)
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		now := s.Now()
		var due []domain.ID
		if err := s.View(func(tx *store.Tx) error {
			due = dueForExpiry(tx, now, batch)
			return nil
		}); err != nil {
			return total, err
		}
		if len(due) == 0 {
			return total, nil
		}
		n := 0
		err := s.Update(func(tx *store.Tx) error {
			n = 0
			for _, id := range due {
				old, found, err := s.GetRequest(tx, id, nil)
				if err != nil {
					return err
				}
				if !found || !old.Lapsed(now) {
					continue // a desk's action reached it first
				}
				next, err := ens.Apply(old, ens.Action{Function: ens.Expire}, account.SystemActor, now)
				if err != nil {
					// A lapsed request is an open one of a type that expires.
					return domain.Wrap(store.ErrCorrupt, err)
				}
				if err := s.putRequest(tx, &old, &next); err != nil {
					return err
				}
				if err := s.Journal(tx, now, store.Entry{By: account.SystemActor, Action: "ens.expire", Entity: id,
					Detail: old.Status.Code() + "→" + next.Status.Code()}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// dueForExpiry lists up to limit open requests, of any school, whose
// expiry is not after now, from the status index alone.
func dueForExpiry(tx *store.Tx, now time.Time, limit int) []domain.ID {
	var due []domain.ID
	tags := tx.Bucket(store.OrgTagsBucket).Cursor()
	for _, tv := tags.First(); tv != nil && len(due) < limit; _, tv = tags.Next() {
		for _, st := range ens.Statuses {
			if !st.Open() {
				continue
			}
			prefix := store.StatusPrefix(binary.BigEndian.Uint32(tv), st)
			c := tx.Bucket(store.IxStatus).Cursor()
			for k, v := c.Seek(prefix); k != nil && store.HasPrefix(k, prefix) && len(due) < limit; k, v = c.Next() {
				if sv, ok := store.DecodeStatusValue(v); ok && !sv.Expires.IsZero() && !sv.Expires.After(now) {
					due = append(due, store.IDFromKey(k))
				}
			}
		}
	}
	return due
}

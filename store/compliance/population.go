package compliance

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// populateBatch is how many verifications one transaction of
// PopulateCompliance walks: nobody waits on each write, and a batch is
// small enough that a failed one costs little to run again. (A variable,
// so that tests walk many batches.)
var populateBatch = 500

// PopulateCompliance makes the 15 October list (DOMAIN.md §3) of the
// compliance year of now: for every school, one Annual Compliance request,
// raised by the program, for each student with an active verification
// there, fed to the school's desks like any request. Before 15 October it
// does nothing. It can run any number of times: a student already on a
// school's list of that year is not added again, and a school that has
// submitted its report for the year gets no one new (its report is
// locked). It works in batches, each its own transaction and each safe to
// run again, and returns how many requests it raised.
func (sv Server) PopulateCompliance(now time.Time) (created int, err error) {
	return sv.PopulateComplianceContext(context.Background(), now)
}

// PopulateComplianceContext is PopulateCompliance that stops between two
// batches once ctx ends (the server shutting down), returning ctx's error
// and what it raised so far: the next run goes on from there.
func (sv Server) PopulateComplianceContext(ctx context.Context, now time.Time) (created int, err error) {
	year, open := ens.ComplianceYearOf(now)
	if !open {
		return 0, nil
	}
	asOf := now // the list's day is by the caller's calendar
	now = now.UTC().Truncate(time.Millisecond)
	schools, err := of(sv.Server).Institutions()
	if err != nil {
		return 0, err
	}
	for _, in := range schools {
		for _, st := range []ens.Status{ens.Verified, ens.Accepted} {
			n, err := of(sv.Server).populateSchool(ctx, in.ID, st, year, asOf, now)
			created += n
			if err != nil {
				return created, err
			}
		}
	}
	return created, nil
}

// populateSchool lists for year the school's students whose verification
// is in status st, batch by batch, while the list is open as of asOf
// (ens.ComplianceListOpen); they are raised at now.
func (s Store) populateSchool(ctx context.Context, school domain.ID, st ens.Status, year int, asOf, now time.Time) (int, error) {
	created := 0
	var after []byte // the last index key walked
	for {
		if err := ctx.Err(); err != nil {
			return created, err
		}
		n, last, err := s.populateBatch(school, st, year, asOf, now, after)
		created += n
		if err != nil || last == nil {
			return created, err
		}
		after = last
	}
}

// populateBatch walks up to populateBatch verifications after the index
// key after and raises the AC requests missing among them. last is the
// last key walked, nil when the walk is over.
func (s Store) populateBatch(school domain.ID, st ens.Status, year int, asOf, now time.Time, after []byte) (created int, last []byte, err error) {
	walked := 0
	err = s.Update(func(tx *store.Tx) error {
		created, last, walked = 0, nil, 0
		rid := ComplianceReportID(school, year)
		if !ens.ComplianceListOpen(year, tx.Bucket(store.ComplianceBucket).Get(rid[:]) != nil, asOf) {
			return nil // not drawn up yet, or reported: the list takes no one
		}
		tag, err := store.OrgTag(tx, school, false)
		if err != nil || tag == 0 {
			return err
		}
		// Read the batch's IDs first: raising writes to the index the
		// cursor walks, which would move it.
		prefix := store.StatusPrefix(tag, st)
		c := tx.Bucket(store.IxStatus).Cursor()
		k, _ := c.Seek(prefix)
		if after != nil {
			if k, _ = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, _ = c.Next()
			}
		}
		var ids []domain.ID
		for ; k != nil && store.HasPrefix(k, prefix) && len(ids) < populateBatch; k, _ = c.Next() {
			ids = append(ids, store.IDFromKey(k))
			last = slices.Clone(k)
		}
		walked = len(ids)
		ix := tx.Bucket(store.IxCompliance)
		for _, id := range ids {
			r, found, err := s.GetRequest(tx, id, nil)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			listing, ok := ens.ComplianceListing(&r, school, year)
			if !ok {
				continue
			}
			key := complianceKey(school, year, s.Keys().Hash(store.HashComplianceStudent, string(r.Student.ClientID)))
			if ix.Get(key) != nil {
				continue
			}
			acID, err := s.NewID(now)
			if err != nil {
				return err
			}
			ac, _, err := s.RaiseIn(tx, account.SystemActor, listing, acID, now)
			if err != nil {
				return err
			}
			if err := ix.Put(key, ac.ID[:]); err != nil {
				return err
			}
			if err := s.Journal(tx, now, store.Entry{By: account.SystemActor, Action: "ens.raise", Entity: ac.ID,
				Detail: ens.AC.Code()}); err != nil {
				return err
			}
			created++
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	if walked < populateBatch {
		last = nil // the walk ends with this batch
	}
	return created, last, nil
}

// complianceKey is an IxCompliance key.
func complianceKey(school domain.ID, year int, student [8]byte) []byte {
	k := append(make([]byte, 0, 28), school[:]...)
	k = binary.BigEndian.AppendUint32(k, uint32(year))
	return append(k, student[:]...)
}

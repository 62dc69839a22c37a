package store

import (
	"fmt"

	"dossier/domain"
)

// migration brings a file from the version before to its version, inside
// one transaction.
type migration struct {
	to    uint32
	apply func(s *Store, tx *Tx) error
}

// migrations lists every step in order. Version 1 is the first layout:
// reaching it only needs its buckets; version 2 adds the sync buckets, 3
// the OINP applications, 4 the employers, 5 annual compliance reports and
// the program's decisions and printed documents; 6 chains the audit trail
// (and makes the buckets added since); 7, on the server, files the change
// feed by reader namespace and by kind, and claims every record's ID
// (claims.go, migrate7.go); 8, on the server, gives each account's desk
// number to the computer that last used it (desks.go); 9 adds the mail
// outbox, notices, work permit applications, sign-in challenges and
// self-assessments; 10 changes no layout but a rule: every write of a
// request withdraws the saved sort cache's marker (MetaSortClean), which
// a program of version 9 does not know to do, so it must not write the
// file any more (it refuses a newer one untouched); 11, on the server,
// empties the indexes only a desk's search reads (DeskOnlyIndexes), which
// a program of version 10 would fill again.
var migrations = []migration{{to: 1, apply: withBuckets}, {to: 2, apply: withBuckets}, {to: 3, apply: withBuckets},
	{to: 4, apply: withBuckets}, {to: 5, apply: withBuckets}, {to: 6, apply: chainTrail}, {to: 7, apply: namespaceFeed},
	{to: 8, apply: deviceDesks}, {to: 9, apply: withBuckets}, {to: 10, apply: withoutSortMarker},
	{to: 11, apply: withoutDeskIndexes}}

func withBuckets(_ *Store, tx *Tx) error { return createBuckets(tx) }

// withoutSortMarker starts version 10 with no marker: one left by a
// build that wrote it at version 9 may no longer vouch for its cache.
func withoutSortMarker(_ *Store, tx *Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return tx.Bucket(MetaBucket).Delete(MetaSortClean)
}

// withoutDeskIndexes empties, on the server's file, the indexes only a
// desk's search reads; a desk's profile keeps them.
func withoutDeskIndexes(s *Store, tx *Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	if s.Desk() {
		return nil
	}
	for _, b := range DeskOnlyIndexes {
		if err := clearBucket(tx, b); err != nil {
			return err
		}
	}
	return nil
}

func chainTrail(s *Store, tx *Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return s.chainAudit(tx)
}

func createBuckets(tx *Tx) error {
	for _, b := range allBuckets {
		if err := tx.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// migrate runs the steps after version from in one transaction: a failure
// leaves the file at its old version, untouched.
func (s *Store) migrate(from uint32) error {
	return s.migrateWith(from, migrations)
}

func (s *Store) migrateWith(from uint32, steps []migration) error {
	err := s.db.Update(func(tx *Tx) error {
		v := from
		for _, m := range steps {
			if m.to <= v {
				continue
			}
			if m.to != v+1 {
				return fmt.Errorf("no migration from schema %d to %d", v, m.to)
			}
			if err := m.apply(s, tx); err != nil {
				return fmt.Errorf("migrate to schema %d: %w", m.to, err)
			}
			v = m.to
		}
		return tx.Bucket(MetaBucket).Put(MetaSchema, U32(v))
	})
	if err != nil {
		return domain.Wrap(ErrCorrupt, err)
	}
	return nil
}

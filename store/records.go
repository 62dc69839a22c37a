package store

import (
	"dossier/domain"
	"dossier/sync"
)

// The records of the change feed, declared like the commands (commands.go)
// by the program that owns each kind: how a desk writes a record the feed
// brings, and whether its ID is one the server's single namespace claims
// (claims.go).

// RecordSpec declares one kind of record of the change feed.
type RecordSpec struct {
	Kind sync.EntityKind
	// Replay writes on a desk the record a change carries; false when it
	// skipped it (a record it cannot read).
	Replay ReplayFunc
	// Claimed marks the records whose IDs a desk or an operator chooses:
	// one namespace on the server, so that no new record takes an ID that
	// names another of any kind. Records whose IDs are derived (an
	// application has its applicant's, a desk and a representative's
	// access are derived from accounts, compliance reports from the school
	// and year) are filed by kind and ID in the feed, and claim nothing.
	Claimed bool
	// Refeed feeds again, on the server, the record stored under id
	// (schema 7 refeeds what the old filing of the feed had dropped).
	Refeed func(s *Store, tx *Tx, id domain.ID) error
}

// ReplayFunc writes a change's record on a desk; buf, when not nil, is a
// buffer the page's changes share.
type ReplayFunc func(s *Store, tx *Tx, c *sync.Change, buf *[]byte) (bool, error)

// Unbuffered adapts a replay step that needs no buffer.
func Unbuffered(step func(s *Store, tx *Tx, c *sync.Change) (bool, error)) ReplayFunc {
	return func(s *Store, tx *Tx, c *sync.Change, _ *[]byte) (bool, error) { return step(s, tx, c) }
}

// applyChange writes one record from the feed; a kind a newer server
// sends is skipped, not fatal.
func (s *Store) applyChange(tx *Tx, c *sync.Change, buf *[]byte) (bool, error) {
	spec, ok := records[c.Kind]
	if !ok || spec.Replay == nil {
		return false, nil
	}
	return spec.Replay(s, tx, c, buf)
}

// UnbufferedOn adapts a replay step a program writes on its own store type
// (on makes it from the engine's) to the engine's.
func UnbufferedOn[S any](on func(*Store) S, step func(S, *Tx, *sync.Change) (bool, error)) ReplayFunc {
	return func(s *Store, tx *Tx, c *sync.Change, _ *[]byte) (bool, error) { return step(on(s), tx, c) }
}

// ReplayOn adapts a program's replay step that shares the page's buffer.
func ReplayOn[S any](on func(*Store) S, step func(S, *Tx, *sync.Change, *[]byte) (bool, error)) ReplayFunc {
	return func(s *Store, tx *Tx, c *sync.Change, buf *[]byte) (bool, error) { return step(on(s), tx, c, buf) }
}

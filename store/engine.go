package store

import (
	bolt "go.etcd.io/bbolt"

	"io"
	"time"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/sync"
)

// What the engine lends the programs (store/<program>): a transaction,
// its keyring and clock, and on the server the server's clock and bounds.
// Everything else a program reaches is a bucket, the journal (Journal) or
// the feed (Feed).

// Engine is s itself, for a program whose store embeds another's.
func (s *Store) Engine() *Store { return s }

// Update runs fn in one read-write transaction: what fn writes, with its
// journal entries, commits together or not at all.
func (s *Store) Update(fn func(*Tx) error) error { return s.db.Update(fn) }

// UpdateFile runs fn in a write transaction on the bbolt file itself, for
// the maintenance no record's code does (dropping a bucket). On a
// journaled file, every action before it is in the file first, and a
// checkpoint syncs the commit.
func (s *Store) UpdateFile(fn func(*bolt.Tx) error) error { return s.db.updateFile(fn) }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error { return s.db.View(fn) }

// Keys is the keyring that seals this store's values and hashes its index
// keys.
func (s *Store) Keys() *Keyring { return s.kr }

// Desk reports whether this is a desk's profile, not the server's file.
func (s *Store) Desk() bool { return !s.side.server() }

// Rand is the store's source of nonces, IDs and PINs.
func (s *Store) Rand() io.Reader { return s.opt.Rand }

// MaxAhead is how far ahead of the server's clock a desk's may be.
func (sv *Server) MaxAhead() time.Duration { return sv.opt.MaxAhead }

// Payments is the server's processor of the OINP's fees.
func (sv *Server) Payments() oinp.Payments { return sv.opt.Payments }

// side is what a desk's profile and the server's file do differently,
// each its own type: where an action's command goes (a desk's outbox;
// nowhere on the server, whose actions are the commands desks sent),
// whether a record is fed to the other desks, and whether its ID is
// claimed in the server's one namespace (claims.go).
type side interface {
	queue(s *Store, tx *Tx, c Entry, hlc sync.HLC, now time.Time) (domain.ID, error)
	feed(s *Store, tx *Tx, kind sync.EntityKind, id domain.ID, version uint64, readers []Reader, data any) error
	claim(tx *Tx, kind sync.EntityKind, id domain.ID) error
	server() bool
}

type (
	deskSide   struct{}
	serverSide struct{}
)

func (deskSide) server() bool   { return false }
func (serverSide) server() bool { return true }

func sideOf(server bool) side {
	if server {
		return serverSide{}
	}
	return deskSide{}
}

package store

import (
	"io"
	"time"
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

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Tx) error) error { return s.db.View(fn) }

// Keys is the keyring that seals this store's values and hashes its index
// keys.
func (s *Store) Keys() *Keyring { return s.kr }

// Rand is the store's source of nonces, IDs and PINs.
func (s *Store) Rand() io.Reader { return s.opt.Rand }

// OnServer reports whether this is dossierd's file, whose commands go to
// the change feed rather than to an outbox.
func (s *Store) OnServer() bool { return s.onServer }

// MaxAhead is how far ahead of the server's clock a desk's may be.
func (sv *Server) MaxAhead() time.Duration { return sv.opt.MaxAhead }

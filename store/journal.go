package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// AuditEntry records who did what to which record, and when. It holds codes
// and IDs only: no names, no free text, nothing a person typed.
type AuditEntry struct {
	ID      domain.ID    `json:"id"`
	At      time.Time    `json:"at"`
	HLC     sync.HLC     `json:"hlc"`
	Actor   domain.ID    `json:"actor,omitempty"`
	Role    account.Role `json:"role"`
	Org     domain.ID    `json:"org,omitempty"`
	Action  string       `json:"action"`
	Entity  domain.ID    `json:"entity,omitempty"`
	Command domain.ID    `json:"command,omitempty"`
	// Detail is a short coded note, such as "new→verified".
	Detail string `json:"detail,omitempty"`
	// OfflineAt is, on the server, when the desk that sent the command
	// says it made it, when it was made offline (Server.offlineAt): the
	// record's dates are the server's.
	OfflineAt time.Time `json:"offlineAt,omitzero"`
	// Prev is the link of the entry before (audit.go): empty on the
	// trail's first entry.
	Prev []byte `json:"prev,omitempty"`
}

// OutboxEntry is a command waiting to be pushed, with its place in line.
type OutboxEntry struct {
	Seq     uint64
	Command sync.Command
}

// change is what one user action leaves behind besides the record itself.
type Entry struct {
	By      account.Actor
	Kind    sync.Kind // the outbox command; empty for local-only actions
	Action  string    // the audit action
	Entity  domain.ID
	Base    uint64
	Payload any
	Detail  string
	// command is the pushed command the server applied, for its audit.
	Command domain.ID
	// OfflineAt is when the desk made the command, when made offline.
	OfflineAt time.Time
}

// Journal writes the outbox command and the audit entry of a change inside
// tx, so that they commit with the change or not at all.
func (s *Store) Journal(tx *Tx, now time.Time, c Entry) error {
	hlc, err := tick(tx, now)
	if err != nil {
		return err
	}
	entry := AuditEntry{At: now, HLC: hlc, Actor: c.By.Account, Role: c.By.Role, Org: c.By.Org,
		Action: c.Action, Entity: c.Entity, Detail: c.Detail, Command: c.Command, OfflineAt: c.OfflineAt}
	if entry.ID, err = s.NewID(now); err != nil {
		return err
	}
	if c.Kind != "" {
		command, err := s.side.queue(s, tx, c, hlc, now)
		if err != nil {
			return err
		}
		if !command.IsZero() {
			entry.Command = command
		}
	}
	return s.appendAudit(tx, entry)
}

// queue puts an action's command in the outbox, for the next push, and
// rings the bell that wakes the push.
func (deskSide) queue(s *Store, tx *Tx, c Entry, hlc sync.HLC, now time.Time) (domain.ID, error) {
	payload, err := json.Marshal(c.Payload)
	if err != nil {
		return domain.ID{}, fmt.Errorf("journal: %w", err)
	}
	cmd := sync.Command{Kind: c.Kind, Entity: c.Entity, BaseVersion: c.Base, HLC: hlc,
		Device: s.device, Actor: c.By.Account, Payload: payload}
	if cmd.ID, err = s.NewID(now); err != nil {
		return domain.ID{}, err
	}
	ob := BucketOf(tx, outboxBucket)
	ob.FillPercent = AppendFill
	seq, err := ob.NextSequence()
	if err != nil {
		return domain.ID{}, err
	}
	sealed, err := s.kr.Seal(ob.name, U64(seq), cmd.AppendJSON(make([]byte, 0, 256+len(payload))))
	if err != nil {
		return domain.ID{}, err
	}
	if err := ob.Put(U64(seq), sealed); err != nil {
		return domain.ID{}, err
	}
	tx.OnCommit(s.bell.ring)
	return cmd.ID, nil
}

// queue queues nothing on the server: its actions apply commands desks
// sent, answered to them, and reach the other desks by the feed.
func (serverSide) queue(*Store, *Tx, Entry, sync.HLC, time.Time) (domain.ID, error) {
	return domain.ID{}, nil
}

// PutJSON seals v as JSON under key.
func (s *Store) PutJSON(b SealedBucket, key []byte, v any) error {
	plain, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", b.name, err)
	}
	sealed, err := s.kr.Seal(b.name, key, plain)
	if err != nil {
		return err
	}
	return b.Put(key, sealed)
}

// GetJSON opens the sealed JSON under key into v; found is false when there
// is no such key.
func (s *Store) GetJSON(b SealedBucket, key []byte, v any) (found bool, err error) {
	sealed := b.Get(key)
	if sealed == nil {
		return false, nil
	}
	return true, s.OpenJSON(b, key, sealed, v)
}

func (s *Store) OpenJSON(b SealedBucket, key, sealed []byte, v any) error {
	plain, err := s.kr.Open(nil, b.name, key, sealed)
	if err != nil {
		return domain.Wrap(ErrCorrupt, err)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return domain.Wrap(ErrCorrupt, err)
	}
	return nil
}

// bucket is a top-level bucket with its name: sealing binds each value to
// its bucket's name, which a *Bucket does not carry.
type SealedBucket struct {
	*Bucket
	name []byte
}

func BucketOf(tx *Tx, name []byte) SealedBucket { return SealedBucket{tx.Bucket(name), name} }

// Outbox lists up to limit commands waiting to be pushed, oldest first.
func (s *Store) Outbox(limit int) ([]OutboxEntry, error) {
	return s.outbox(limit, func(sync.Command) bool { return true })
}

// outbox lists up to limit waiting commands that keep accepts, oldest first.
func (s *Store) outbox(limit int, keep func(sync.Command) bool) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, outboxBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var cmd sync.Command
			if err := s.OpenJSON(b, k, v, &cmd); err != nil {
				return err
			}
			if keep(cmd) {
				out = append(out, OutboxEntry{Seq: binary.BigEndian.Uint64(k), Command: cmd})
			}
		}
		return nil
	})
	return out, err
}

// OutboxLen counts the commands waiting to be pushed.
func (s *Store) OutboxLen() (int, error) {
	n := 0
	err := s.db.View(func(tx *Tx) error {
		n = tx.Bucket(outboxBucket).Count()
		return nil
	})
	return n, err
}

// Audit calls fn with each audit entry in the trail's order (time order)
// until fn returns false.
func (s *Store) Audit(fn func(AuditEntry) bool) error {
	return s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, auditBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var e AuditEntry
			if err := s.OpenJSON(b, k, v, &e); err != nil {
				return err
			}
			if !fn(e) {
				return nil
			}
		}
		return nil
	})
}

// PutSealed seals raw bytes (an attachment) under key.
func (s *Store) PutSealed(b SealedBucket, key, plain []byte) error {
	sealed, err := s.kr.Seal(b.name, key, plain)
	if err != nil {
		return err
	}
	return b.Put(key, sealed)
}

// GetSealed opens the sealed bytes under key into *out (a copy that
// outlives the transaction); found is false when there are none.
func (s *Store) GetSealed(b SealedBucket, key []byte, out *[]byte) (found bool, err error) {
	sealed := b.Get(key)
	if sealed == nil {
		return false, nil
	}
	plain, err := s.kr.Open(nil, b.name, key, sealed)
	if err != nil {
		return true, domain.Wrap(ErrCorrupt, err)
	}
	*out = plain
	return true, nil
}

package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// The audit trail is a hash chain. Each entry carries the link of the
// entry before it (AuditEntry.Prev), and an entry's own link is an
// HMAC-SHA256 of its plaintext JSON exactly as sealed, Prev included, so
// that each link vouches for the whole trail before it. The chain's head
// (the last entry's ID and link) is kept in MetaBucket and moved in the
// transaction that appends, so that removing the last entries shows too.
// Entries are appended by the store's one writer (bbolt's, or the locked
// row on PostgreSQL), so the chain is a line; an entry's ID is made later
// than the head's, so the bucket's key order is the chain's order.
//
// What each layer catches: sealing binds each entry to its bucket and key,
// so an edit of the stored bytes, or an entry moved to another key, no
// longer opens. The chain adds what sealing cannot see: an entry removed
// (the next one names a link no entry has), entries put in another order,
// and an entry added afterwards, even one sealed with the data key by a
// tool run where the key is.
//
// Why keyed: the head lies in clear text in MetaBucket, and older heads
// survive in backups. With a bare SHA-256, someone without the data key
// who deleted the last entries could put back an older head; and the
// bytes of an entry are IDs, codes and times, several of which travel
// outside the file (in commands, in the change feed, in what dossierd
// admin audit prints) and the rest of which can be guessed, so a link
// could be computed from outside. Under an HMAC keyed from the data key
// (HKDF, "dossier audit v1"), only a holder of the key can make a link, at
// the same cost per entry. What no chain stops is a holder of the data
// key rewriting the trail from some entry on and moving the head, or an
// older copy of the whole file put back: for those, VerifyAudit reports
// the head's link (dossierd logs it at each start) so that it can be
// noted outside the store and compared later.

// The ways an audit trail can be found broken.
var (
	ErrAuditEdited    = domain.NewCode("store.audit.edited", domain.KindConflict)
	ErrAuditRemoved   = domain.NewCode("store.audit.removed", domain.KindConflict)
	ErrAuditForged    = domain.NewCode("store.audit.forged", domain.KindConflict)
	ErrAuditReordered = domain.NewCode("store.audit.reordered", domain.KindConflict)
	ErrAuditTruncated = domain.NewCode("store.audit.truncated", domain.KindConflict)
)

// auditLink is an entry's link: what the next entry's Prev holds.
type auditLink = [sha256.Size]byte

func (k *Keyring) auditLink(plain []byte) auditLink {
	m := hmac.New(sha256.New, k.auditKey)
	m.Write(plain)
	var l auditLink
	m.Sum(l[:0])
	return l
}

// auditHead is the chain's last entry: metaAudit holds its ID (16)
// and its link (32).
type auditHead struct {
	id   domain.ID
	link auditLink
}

func readAuditHead(meta *Bucket) (auditHead, bool) {
	var h auditHead
	v := meta.Get(metaAudit)
	if len(v) != len(h.id)+len(h.link) {
		return h, false
	}
	copy(h.id[:], v)
	copy(h.link[:], v[len(h.id):])
	return h, true
}

func (h auditHead) encode() []byte {
	return append(append(make([]byte, 0, len(h.id)+len(h.link)), h.id[:]...), h.link[:]...)
}

// appendAudit seals e at the end of the trail, chained to the head, and
// moves the head to it.
func (s *Store) appendAudit(tx *Tx, e AuditEntry) error {
	meta := tx.Bucket(MetaBucket)
	if head, ok := readAuditHead(meta); ok {
		e.ID = laterID(head.id, e.ID)
		e.Prev = head.link[:]
	}
	plain := e.appendJSON(make([]byte, 0, 512))
	ab := BucketOf(tx, auditBucket)
	ab.FillPercent = AppendFill
	sealed, err := s.kr.Seal(ab.name, e.ID[:], plain)
	if err != nil {
		return err
	}
	if err := ab.Put(e.ID[:], sealed); err != nil {
		return err
	}
	return meta.Put(metaAudit, auditHead{id: e.ID, link: s.kr.auditLink(plain)}.encode())
}

// laterID is id when it sorts after prev, else the ID just after prev:
// two entries of one millisecond (or a clock set back) keep their order.
func laterID(prev, id domain.ID) domain.ID {
	if bytes.Compare(id[:], prev[:]) > 0 {
		return id
	}
	for i := len(prev) - 1; i >= 0; i-- {
		prev[i]++
		if prev[i] != 0 {
			break
		}
	}
	return prev
}

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	// Entries counts the entries found in place, from the first up to the
	// end of the trail or to the break.
	Entries int
	// Last is the last entry found in place and Link its link: when the
	// trail is intact, its head, worth noting outside the store so that a
	// later copy of the trail can be compared with it.
	Last domain.ID
	Link [sha256.Size]byte
	// Broken is the entry the break is reported at; zero when intact.
	Broken domain.ID
}

// auditRead is one stored entry as the walk finds it: of its fields,
// only those the chain needs are decoded.
type auditRead struct {
	id domain.ID
	e  struct {
		ID   domain.ID `json:"id"`
		Prev []byte    `json:"prev"`
	}
	link  auditLink
	found bool // there is an entry here
	ok    bool // it opened
}

func (s *Store) readAudit(b SealedBucket, k, v []byte) auditRead {
	r := auditRead{found: k != nil}
	if k == nil {
		return r
	}
	copy(r.id[:], k)
	plain, err := s.kr.Open(nil, b.name, k, v)
	if err != nil || json.Unmarshal(plain, &r.e) != nil {
		return r
	}
	r.ok, r.link = true, s.kr.auditLink(plain)
	return r
}

// VerifyAudit walks the audit trail from its first entry and checks each
// link and the head. It returns the report and, when the trail is
// broken, a coded error naming the first break: ErrAuditEdited (an entry
// does not open, or does not read as it was written), ErrAuditRemoved (an
// entry's predecessor is missing), ErrAuditReordered (two entries swapped),
// ErrAuditForged (an entry that is not part of the chain) or
// ErrAuditTruncated (the trail ends before its head).
func (s *Store) VerifyAudit() (AuditReport, error) {
	var r AuditReport
	var broken error
	err := s.db.View(func(tx *Tx) error {
		r, broken = s.verifyAudit(tx)
		return nil
	})
	if err != nil {
		return r, err
	}
	return r, broken
}

func (s *Store) verifyAudit(tx *Tx) (AuditReport, error) {
	var r AuditReport
	head, hasHead := readAuditHead(tx.Bucket(MetaBucket))
	b := BucketOf(tx, auditBucket)
	c := b.Cursor()
	var prev []byte // the link the next entry must carry
	var afterHead domain.ID
	for k, v := c.First(); k != nil; k, v = c.Next() {
		at := s.readAudit(b, k, v)
		if !at.ok {
			r.Broken = at.id
			return r, domain.Errorf(ErrAuditEdited, at.id)
		}
		if !bytes.Equal(at.e.Prev, prev) {
			r.Broken = at.id
			nk, nv := c.Next()
			next := s.readAudit(b, nk, nv)
			return r, auditBreak(r, at, next, prev, head, hasHead)
		}
		if at.e.ID != at.id {
			r.Broken = at.id
			return r, domain.Errorf(ErrAuditEdited, at.id)
		}
		if hasHead && r.Entries > 0 && r.Last == head.id {
			afterHead = at.id
		}
		r.Entries++
		r.Last, r.Link, prev = at.id, at.link, at.link[:]
	}
	switch {
	case !hasHead && r.Entries == 0:
		return r, nil
	case !hasHead:
		r.Broken = r.Last
		return r, domain.Errorf(ErrAuditTruncated, r.Last, "—")
	case head.id == r.Last && head.link != r.Link:
		r.Broken = r.Last
		return r, domain.Errorf(ErrAuditEdited, r.Last)
	case head.id == r.Last:
		return r, nil
	case !afterHead.IsZero():
		r.Broken = afterHead
		return r, domain.Errorf(ErrAuditForged, afterHead)
	}
	r.Broken = head.id
	last := "—"
	if r.Entries > 0 {
		last = r.Last.String()
	}
	return r, domain.Errorf(ErrAuditTruncated, last, head.id)
}

// auditBreak says why entry at does not follow the entries before it
// (whose last link is prev), looking at the entry after it.
func auditBreak(r AuditReport, at, next auditRead, prev []byte, head auditHead, hasHead bool) error {
	switch {
	case next.ok && bytes.Equal(next.e.Prev, prev) && bytes.Equal(at.e.Prev, next.link[:]):
		return domain.Errorf(ErrAuditReordered, at.id, next.id)
	case next.ok && bytes.Equal(next.e.Prev, prev), len(at.e.Prev) == 0:
		// The entry after it follows the one before it, or it names no
		// predecessor at all: it was put in afterwards.
		return domain.Errorf(ErrAuditForged, at.id)
	case !next.found && hasHead && r.Entries > 0 && head.id == r.Last:
		return domain.Errorf(ErrAuditForged, at.id)
	}
	return domain.Errorf(ErrAuditRemoved, at.id)
}

// chainAudit links an unchained trail (schema 5 and before) in key order,
// once, and sets its head. An entry that no longer opens is left as it is
// and the chain goes round it, so that VerifyAudit reports it rather than
// the profile failing to open.
func (s *Store) chainAudit(tx *Tx) error {
	b := BucketOf(tx, auditBucket)
	c := b.Cursor()
	var head auditHead
	has := false
	for k, v := c.First(); k != nil; k, v = c.Next() {
		key := bytes.Clone(k)
		var e AuditEntry
		if err := s.OpenJSON(b, key, v, &e); err != nil {
			continue
		}
		e.Prev = nil
		if has {
			e.Prev = bytes.Clone(head.link[:])
		}
		plain, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode audit: %w", err)
		}
		sealed, err := s.kr.Seal(b.name, key, plain)
		if err != nil {
			return err
		}
		if err := b.Put(key, sealed); err != nil {
			return err
		}
		copy(head.id[:], key)
		head.link, has = s.kr.auditLink(plain), true
		c.Seek(key) // a write moves the cursor's ground: stand on key again
	}
	if !has {
		return nil
	}
	return tx.Bucket(MetaBucket).Put(metaAudit, head.encode())
}

// AuditOf lists, oldest first, the audit entries about one account: those
// it made and those made to it. Only a program officer (or dossierd's
// administrator, as the system) may read them (account.ErrForbidden);
// the reading is itself recorded. Entries hold IDs and codes only.
func (s *Store) AuditOf(by account.Actor, person domain.ID) ([]AuditEntry, error) {
	out, _, err := s.AuditLatest(by, person, 0)
	return out, err
}

// AuditLatest is AuditOf bounded to the newest entries about the account
// (all of them when newest is 0), oldest first, and how many earlier ones
// were left out: what the server answers over the API, whose every answer
// a desk bounds (client.MaxAnswer), while a person's history can grow
// without end. The walk keeps no more than newest entries in memory.
func (s *Store) AuditLatest(by account.Actor, person domain.ID, newest int) (_ []AuditEntry, earlier int, _ error) {
	if err := account.Authorize(by, account.ReadAuditTrail, domain.ID{}); err != nil {
		return nil, 0, err
	}
	if person.IsZero() {
		return nil, 0, domain.Errorf(ErrNotFound)
	}
	var ring []AuditEntry
	n := 0 // entries found; the newest are ring[n%newest], oldest first from there
	err := s.Audit(func(e AuditEntry) bool {
		if e.Actor != person && e.Entity != person {
			return true
		}
		if newest == 0 || len(ring) < newest {
			ring = append(ring, e)
		} else {
			ring[n%newest] = e
		}
		n++
		return true
	})
	if err != nil {
		return nil, 0, err
	}
	out := ring
	if newest > 0 && n > newest {
		at := n % newest
		out = append(slices.Clone(ring[at:]), ring[:at]...)
		earlier = n - newest
	}
	// Recorded in a transaction of its own: the walk above may be long,
	// and the writer is everyone's.
	now := s.Now()
	err = s.db.Update(func(tx *Tx) error {
		return s.Journal(tx, now, Entry{By: by, Action: "audit.read", Entity: person})
	})
	return out, earlier, err
}

// VerifyAudit checks the server's audit trail (Store.VerifyAudit).
func (sv *Server) VerifyAudit() (AuditReport, error) { return sv.st.VerifyAudit() }

// AuditOfUser lists the audit entries about the account with the given
// user ID, read as the system (dossierd admin audit), and returns the
// account's ID. An unknown user ID is ErrNotFound.
func (sv *Server) AuditOfUser(userID string) (domain.ID, []AuditEntry, error) {
	uid, err := account.CleanUserID(userID)
	if err != nil {
		return domain.ID{}, nil, err
	}
	uh := sv.st.kr.Hash(hashUserID, uid)
	var id domain.ID
	err = sv.st.db.View(func(tx *Tx) error {
		if v := tx.Bucket(ixUserID).Get(uh[:]); len(v) == len(id) {
			copy(id[:], v)
		}
		return nil
	})
	if err != nil {
		return id, nil, err
	}
	if id.IsZero() {
		return id, nil, domain.Errorf(ErrNotFound)
	}
	entries, err := sv.st.AuditOf(account.Actor{Role: account.System}, id)
	return id, entries, err
}

// AuditBroken reports whether err is VerifyAudit's finding of a broken
// trail, rather than a failure to read it.
func AuditBroken(err error) bool {
	for _, c := range []domain.Code{ErrAuditEdited, ErrAuditRemoved, ErrAuditForged, ErrAuditReordered, ErrAuditTruncated} {
		if errors.Is(err, c) {
			return true
		}
	}
	return false
}

// MaxAuditAnswer is how many of a person's audit entries the server
// answers over the API: the newest, about 250 KB of JSON. The whole
// history is dossierd's own (dossierd admin audit).
const MaxAuditAnswer = 1000

// AuditOf is a person's audit history as the server gives it to a program
// officer over the API: the newest MaxAuditAnswer entries, oldest first,
// and how many earlier ones were left out.
func (sv *Server) AuditOf(by account.Actor, person domain.ID) ([]sync.AuditEntry, int, error) {
	entries, earlier, err := sv.st.AuditLatest(by, person, MaxAuditAnswer)
	out := make([]sync.AuditEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, sync.AuditEntry{At: e.At, Actor: e.Actor, Role: e.Role.Code(), Action: e.Action,
			Entity: e.Entity, Detail: e.Detail})
	}
	return out, earlier, err
}

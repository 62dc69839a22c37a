package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// A reader is a key of the change feed's visibility index: a class of
// people who may read an entry — an account, the staff of an organisation
// (a school, a business or branch, a province's coordinators), or
// everyone. It is a hash of the reader's namespace and ID, never the ID
// itself, so that an account whose ID equals a school's (IDs are chosen on
// desks, and school IDs are public) reads its own entries and not the
// school's.
type Reader [16]byte

// Reader namespaces, hashed into every reader key.
const (
	readerAccount byte = 'a'
	readerOrg     byte = 'o'
	readerPublic  byte = 'p'
)

func readerKey(ns byte, id domain.ID) Reader {
	var r Reader
	if id.IsZero() && ns != readerPublic {
		return r // no one: skipped by feed
	}
	h := sha256.New()
	h.Write([]byte("dossier.feed.reader/"))
	h.Write([]byte{ns})
	h.Write(id[:])
	copy(r[:], h.Sum(nil))
	return r
}

// AccountReader is the reader key of one person's own entries.
func AccountReader(id domain.ID) Reader { return readerKey(readerAccount, id) }

// OrgReader is the reader key of an organisation's staff: a school's, a
// business's or a branch's users, a province's coordinators.
func OrgReader(id domain.ID) Reader { return readerKey(readerOrg, id) }

// everyone is the reader key of records all may read (schools).
var everyone = readerKey(readerPublic, domain.ID{})

// Everyone is the reader key of records every person reads, whatever
// their role (schools, the program's maintenance notices).
func Everyone() Reader { return everyone }

// latestKey is a record's key in ChangeLatestBucket: its ID then its
// kind, so that records of two kinds that share an ID (an applicant's
// account and application) never take each other's place in the feed.
func latestKey(kind sync.EntityKind, id domain.ID) []byte {
	return append(append(make([]byte, 0, 16+len(kind)), id[:]...), kind...)
}

// Feed records, on the server, that record id of kind now reads data, for
// the readers listed: the change feed keeps only each record's latest
// change, so the older one goes. Sequence numbers are handed out inside
// the one write transaction bbolt allows at a time, so a reader never sees
// a later number before an earlier one has committed. On a desk it does
// nothing.
func (s *Store) Feed(tx *Tx, kind sync.EntityKind, id domain.ID, version uint64, readers []Reader, data any) error {
	return s.side.feed(s, tx, kind, id, version, readers, data)
}

// feed does nothing on a desk: its records reach the others by the
// commands its outbox pushes.
func (deskSide) feed(*Store, *Tx, sync.EntityKind, domain.ID, uint64, []Reader, any) error {
	return nil
}

func (serverSide) feed(s *Store, tx *Tx, kind sync.EntityKind, id domain.ID, version uint64, readers []Reader, data any) error {
	if err := s.claimFed(tx, kind, id); err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("feed %s: %w", kind, err)
	}
	cb := BucketOf(tx, changesBucket)
	cb.FillPercent = AppendFill
	vis := tx.Bucket(changeVisBucket)
	latest := tx.Bucket(ChangeLatestBucket)
	lk := latestKey(kind, id)
	if old := latest.Get(lk); len(old) >= 8 {
		if err := cb.Delete(old[:8]); err != nil {
			return err
		}
		for r := old[8:]; len(r) >= 16; r = r[16:] {
			if err := vis.Delete(append(slices.Clone(r[:16]), old[:8]...)); err != nil {
				return err
			}
		}
	}
	seq, err := cb.NextSequence()
	if err != nil {
		return err
	}
	entry, err := changeJSON(seq, kind, id, version, raw)
	if err != nil {
		return fmt.Errorf("feed %s: %w", kind, err)
	}
	sealed, err := s.kr.Seal(cb.name, U64(seq), entry)
	if err != nil {
		return err
	}
	if err := cb.Put(U64(seq), sealed); err != nil {
		return err
	}
	at := U64(seq)
	for _, r := range readers {
		if r == (Reader{}) {
			continue
		}
		if err := vis.Put(append(r[:len(r):len(r)], at...), nil); err != nil {
			return err
		}
		at = append(at, r[:]...)
	}
	if err := latest.Put(lk, at); err != nil {
		return err
	}
	tx.OnCommit(s.bell.ring)
	tx.notifyOthers()
	return nil
}

// PublicAccount is an account as others may see it: no credential, no
// security answers.
type PublicAccount struct {
	ID         domain.ID    `json:"id"`
	Role       account.Role `json:"role"`
	Org        domain.ID    `json:"org,omitempty"`
	GivenNames string       `json:"givenNames"`
	FamilyName string       `json:"familyName"`
	Email      string       `json:"email,omitempty"`
	Form       account.Form `json:"form,omitempty"`
	Desk       uint16       `json:"desk,omitempty"`
	PIN        domain.ID    `json:"pin"`
	Enrolled   string       `json:"enrolled"`
	Revoked    string       `json:"revoked,omitempty"`
	// Delinked is when three failed sign-ins in a row de-linked the
	// enrolment (on the server or on a desk); empty while it is linked.
	Delinked string `json:"delinked,omitempty"`
	Version  uint64 `json:"version"`
}

func publicAccount(a *Account) PublicAccount {
	p := PublicAccount{ID: a.ID, Role: a.Role, Org: a.Org, GivenNames: a.GivenNames, FamilyName: a.FamilyName,
		Email: a.Email, Form: a.Form, Desk: a.Desk, PIN: a.PIN, Enrolled: a.Enrolled.Format(timeWire), Version: a.Version}
	if !a.Revoked.IsZero() {
		p.Revoked = a.Revoked.Format(timeWire)
	}
	if !a.Credential.Delinked.IsZero() {
		p.Delinked = a.Credential.Delinked.Format(timeWire)
	}
	return p
}

const timeWire = "2006-01-02T15:04:05.000Z07:00"

// feedAccount puts an account (without its secrets) in the feed for the
// person and, for school staff, their colleagues.
func (s *Store) feedAccount(tx *Tx, a *Account) error {
	readers := []Reader{AccountReader(a.ID)}
	switch {
	case a.Role.InstitutionStaff():
		readers = append(readers, OrgReader(a.Org))
	case EmployerRole(a.Role):
		// An employer's users are seen by their unit and, for a branch's,
		// by the business (whose primary user manages them all).
		readers = append(readers, OrgReader(a.Org))
		if biz, err := s.BusinessOf(tx, a.Org); err == nil && biz != a.Org {
			readers = append(readers, OrgReader(biz))
		}
	}
	return s.Feed(tx, sync.EntityAccount, a.ID, a.Version, readers, publicAccount(a))
}

// readersOf lists the reader keys whose entries by may read; nil means
// every entry (the program).
func readersOf(by account.Actor) []Reader {
	switch {
	case by.Role == account.ProgramOfficer || by.Role == account.System:
		return nil
	case by.Role.InstitutionStaff(), by.Role.Can(account.FillEmployerForm), by.Role == account.Coordinator:
		// A coordinator's organisation is their province (ProvinceID):
		// its schools' compliance reports and reminders, nothing else.
		return []Reader{everyone, OrgReader(by.Org), AccountReader(by.Account)}
	default:
		return []Reader{everyone, AccountReader(by.Account)}
	}
}

// changeSeqs lists up to limit sequence numbers after after that by may
// read, in order.
func changeSeqs(tx *Tx, by account.Actor, after uint64, limit int) []uint64 {
	readers := readersOf(by)
	var out []uint64
	if readers == nil {
		c := tx.Bucket(changesBucket).Cursor()
		for k, _ := c.Seek(U64(after + 1)); k != nil && len(out) < limit; k, _ = c.Next() {
			out = append(out, binary.BigEndian.Uint64(k))
		}
		return out
	}
	// Merge the readers' runs: each is in order; take up to limit of each,
	// then keep the first limit overall.
	c := tx.Bucket(changeVisBucket).Cursor()
	for _, r := range readers {
		prefix := r[:]
		n := 0
		for k, _ := c.Seek(append(slices.Clone(prefix), U64(after+1)...)); k != nil && HasPrefix(k, prefix) && n < limit; k, _ = c.Next() {
			out = append(out, binary.BigEndian.Uint64(k[16:]))
			n++
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// countVisible counts the entries by may read after after, for a first
// download's progress bar.
func countVisible(tx *Tx, by account.Actor, after uint64) int {
	readers := readersOf(by)
	if readers == nil {
		if after == 0 {
			return tx.Bucket(changesBucket).Count()
		}
		n := 0
		c := tx.Bucket(changesBucket).Cursor()
		for k, _ := c.Seek(U64(after + 1)); k != nil; k, _ = c.Next() {
			n++
		}
		return n
	}
	n := 0
	c := tx.Bucket(changeVisBucket).Cursor()
	for _, r := range readers {
		for k, _ := c.Seek(append(slices.Clone(r[:]), U64(after+1)...)); k != nil && HasPrefix(k, r[:]); k, _ = c.Next() {
			n++
		}
	}
	return n
}

// changeJSON is sync.Change{seq, kind, id, version, data} as
// encoding/json writes it (TestChangeJSONIsMarshals), built by hand: data
// is json.Marshal's own output, compact and escaped, which Marshal would
// scan again to compact it — about a tenth of a push's work in the group
// commit, where pushes wait for each other. A kind that would need
// escaping (the feed has none) goes through encoding/json.
func changeJSON(seq uint64, kind sync.EntityKind, id domain.ID, version uint64, data []byte) ([]byte, error) {
	for _, c := range []byte(kind) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return json.Marshal(sync.Change{Seq: seq, Kind: kind, ID: id, Version: version, Data: data})
		}
	}
	out := make([]byte, 0, len(data)+len(kind)+96)
	out = append(out, `{"seq":`...)
	out = strconv.AppendUint(out, seq, 10)
	out = append(out, `,"kind":"`...)
	out = append(out, kind...)
	out = append(out, `","id":"`...)
	if !id.IsZero() {
		out = append(out, id.String()...)
	}
	out = append(out, `","version":`...)
	out = strconv.AppendUint(out, version, 10)
	out = append(out, `,"data":`...)
	if len(data) == 0 {
		out = append(out, "null"...)
	} else {
		out = append(out, data...)
	}
	return append(out, '}'), nil
}

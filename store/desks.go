package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/sync"
)

// Desk numbers. An EVN carries the number of the desk that issued it
// (ens.EVN), and each desk numbers its own EVNs in sequence, offline; so
// no two computers may ever issue from one number. The server is the one
// that hands numbers out, to each computer a staff member works on (the
// account and the device, Store.Device), never to the account alone: one
// DIR on two computers issues from two numbers. A computer connected to a
// server issues only from the number the server gave it, which reaches it
// in the change feed after it signs in; before, its Verify is refused
// with ErrNoDesk. A profile that works alone, with no server, is its own
// authority and numbers its desks from the PIN each person enrolled with.
//
// A school's numbers are bounded (ens.MaxDesk): DIRs' PINs and computers
// take 1–31, signatories' 32–1023, and a DIR's computers take from the
// second range once the first is used up. When the school has
// none left, a new computer signs in all the same but has no number: it
// works the queue but cannot verify, says so (ErrNoDesk), and the server
// audits it ("desk.exhausted") for the program to see.

// deviceDeskKey is the DeviceDesksBucket key of acct's desk on device.
func deviceDeskKey(acct, device domain.ID) []byte {
	return append(append(make([]byte, 0, 32), acct[:]...), device[:]...)
}

// DeskOf reads the desk this computer issues by's EVNs from; false when it
// has none (yet).
func (s *Store) DeskOf(by account.Actor) (DeskState, bool, error) {
	var d DeskState
	var ok bool
	err := s.db.View(func(tx *Tx) error {
		d, ok = s.IssuingDesk(tx, by.Account, s.device)
		return nil
	})
	return d, ok, err
}

// IssuingDesk reads the desk acct issues EVNs from on device: on a desk,
// this computer's (device is its own); on the server, the one the server
// gave that computer.
func (s *Store) IssuingDesk(tx *Tx, acct, device domain.ID) (DeskState, bool) {
	if s.side.server() {
		return DecodeDesk(tx.Bucket(DeviceDesksBucket).Get(deviceDeskKey(acct, device)))
	}
	return DecodeDesk(tx.Bucket(DesksBucket).Get(acct[:]))
}

// PutIssuingDesk writes the desk acct issues from on device and, on the
// server, sends it to that person's computers, where only device keeps it.
func (s *Store) PutIssuingDesk(tx *Tx, acct, device domain.ID, d DeskState) error {
	if !s.side.server() {
		return tx.Bucket(DesksBucket).Put(acct[:], EncodeDesk(d))
	}
	if err := tx.Bucket(DeviceDesksBucket).Put(deviceDeskKey(acct, device), EncodeDesk(d)); err != nil {
		return err
	}
	if device.IsZero() {
		return nil // retired: no computer issues from it
	}
	return s.Feed(tx, sync.EntityDeviceDesk, deskEntity(acct, device), uint64(d.Next), []Reader{AccountReader(acct)},
		DeskChange{Account: acct, Device: device, School: d.School, Desk: d.Desk, Next: d.Next})
}

// IssueEVN takes the next EVN of by's desk on device, in tx: the number
// is used once, even by two computers working offline at once, because
// each has its own desk. On the server (the server's own actions, and a
// desk that asks to be numbered) a computer without a desk is given one.
// It returns ErrNoDesk when the computer has no desk and ErrDeskExhausted
// when its desk has issued every number.
func (s *Store) IssueEVN(tx *Tx, by account.Actor, device domain.ID) (ens.EVN, error) {
	d, ok := s.IssuingDesk(tx, by.Account, device)
	if !ok && s.side.server() && !device.IsZero() {
		var a Account
		if _, err := s.GetJSON(BucketOf(tx, AccountsBucket), by.Account[:], &a); err != nil {
			return "", err
		}
		var err error
		if d, ok, err = s.assignDesk(tx, &a, device); err != nil {
			return "", err
		}
	}
	if !ok || d.Desk == 0 {
		return "", domain.Errorf(ErrNoDesk)
	}
	if d.Next > ens.MaxEVNSeq {
		return "", domain.Errorf(ErrDeskExhausted)
	}
	evn, err := ens.IssueEVN(d.School, d.Desk, d.Next)
	if err != nil {
		return "", err
	}
	d.Next++
	return evn, s.PutIssuingDesk(tx, by.Account, device, d)
}

// assignDesk gives a school's staff member a desk number of their own on
// device, when the server has not yet (the server, at each sign-in). The
// first computer takes the number of the PIN the person enrolled with;
// any other computer the next free number of the school. ok is false for
// a person who issues no EVNs.
func (s *Store) assignDesk(tx *Tx, a *Account, device domain.ID) (DeskState, bool, error) {
	if !a.Role.InstitutionStaff() || a.Org.IsZero() || device.IsZero() {
		return DeskState{}, false, nil
	}
	if d, ok := s.IssuingDesk(tx, a.ID, device); ok {
		return d, true, nil
	}
	in, err := s.InstitutionIn(tx, a.Org)
	if err != nil {
		return DeskState{}, false, err
	}
	// The numbers the person holds on their other computers, or held
	// before schema 8: the PIN's number is given once.
	held := false
	c := tx.Bucket(DeviceDesksBucket).Cursor()
	for k, v := c.Seek(a.ID[:]); k != nil && bytes.HasPrefix(k, a.ID[:]); k, v = c.Next() {
		if d, ok := DecodeDesk(v); ok && d.Desk == ens.Desk(a.Desk) {
			held = true
		}
	}
	n := a.Desk
	if n == 0 || held {
		n, err = s.nextDesk(tx, a.Org, a.Role)
		if domain.ErrorCode(err) == ErrDeskNumbers && a.Role == account.DIR {
			n, err = s.nextDesk(tx, a.Org, account.Signatory)
		}
		if err != nil {
			return DeskState{}, false, err
		}
	}
	d := DeskState{School: in.Code, Desk: ens.Desk(n), Next: 1}
	return d, true, s.PutIssuingDesk(tx, a.ID, device, d)
}

// assignAtSignIn gives the computer a person signs in from (or renews
// their tokens on) its desk number (assignDesk). A school with no number
// left does not stop the sign-in: the computer works without issuing
// EVNs, and the server audits it at each sign-in with a password
// (audit), not at each renewal.
func (s *Store) assignAtSignIn(tx *Tx, a *Account, device domain.ID, audit bool) error {
	_, _, err := s.assignDesk(tx, a, device)
	if domain.ErrorCode(err) != ErrDeskNumbers {
		return err
	}
	if !audit {
		return nil
	}
	return s.Journal(tx, s.Now(), Entry{By: a.Actor(), Action: "desk.exhausted", Entity: a.Org,
		Detail: string(ErrDeskNumbers)})
}

// openDesk records, on a profile that works alone, the desk a DIR or
// signatory issues EVNs from when they enrol: their school's code, the
// desk number their PIN carried, and a sequence that starts at 1 (or goes
// on, when they re-enrol with the same number). The server gives numbers
// to computers, not enrolments (assignDesk), and a desk connected to it
// waits for its own.
func (s *Store) openDesk(tx *Tx, a *Account) error {
	if s.side.server() || !a.Role.InstitutionStaff() || a.Desk == 0 {
		return nil
	}
	var st SyncState
	if _, err := s.GetJSON(BucketOf(tx, syncBucket), syncStateKey, &st); err != nil {
		return err
	}
	if st.Server != "" {
		return nil
	}
	in, err := s.InstitutionIn(tx, a.Org)
	if err != nil {
		return err
	}
	desks := tx.Bucket(DesksBucket)
	d, ok := DecodeDesk(desks.Get(a.ID[:]))
	if !ok || d.Desk != ens.Desk(a.Desk) || d.School != in.Code {
		d = DeskState{School: in.Code, Desk: ens.Desk(a.Desk), Next: 1}
	}
	return desks.Put(a.ID[:], EncodeDesk(d))
}

// ForgetDesks drops the desk numbers of a profile as it connects to a
// server it was not connected to: from then on it issues only from the
// numbers that server gives it.
func (s *Store) ForgetDesks() error {
	return s.db.Update(func(tx *Tx) error { return clearBucket(tx, DesksBucket) })
}

// clearBucket deletes every key of a bucket.
func clearBucket(tx *Tx, name []byte) error {
	b := tx.Bucket(name)
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// DeskChange is a computer's desk as the server knows it: its number and
// the next sequence number it may use. It reaches the person's computers,
// and only the one it names keeps it.
type DeskChange struct {
	Account domain.ID `json:"account"`
	// Device is the computer the number is for; zero in the entries of
	// servers before schema 8, which gave numbers to accounts, and which
	// no desk keeps any more.
	Device domain.ID      `json:"device,omitzero"`
	School ens.SchoolCode `json:"school"`
	Desk   ens.Desk       `json:"desk"`
	Next   uint32         `json:"next"`
}

// deskEntity is the change-feed ID of acct's desk on device: a hash of
// both, so that it meets no record's ID and each computer's desk is
// fed on its own.
func deskEntity(acct, device domain.ID) domain.ID {
	h := sha256.New()
	h.Write([]byte("dossier.desk\x00"))
	h.Write(acct[:])
	h.Write(device[:])
	var id domain.ID
	copy(id[:], h.Sum(nil))
	return id
}

// ReplayDesk keeps, on a desk, the number the server gave this computer
// (c, a DeskChange); a number for another computer, or of an older
// server, is not this desk's. The sequence never goes back: numbers this
// computer issued that the server has not seen yet stay used, those it
// issued before schema 8 from the same number too (unconfirmedDesk).
func (s *Store) ReplayDesk(tx *Tx, c *sync.Change) (bool, error) {
	var d DeskChange
	if err := json.Unmarshal(c.Data, &d); err != nil {
		return BadChange(err)
	}
	if d.Device != s.device || d.Account.IsZero() {
		return false, nil
	}
	desks := tx.Bucket(DesksBucket)
	next := d.Next
	for _, k := range [][]byte{d.Account[:], unconfirmedDesk(d.Account)} {
		if cur, ok := DecodeDesk(desks.Get(k)); ok && cur.Desk == d.Desk && cur.School == d.School {
			next = max(next, cur.Next)
		}
	}
	if err := desks.Delete(unconfirmedDesk(d.Account)); err != nil {
		return false, err
	}
	return true, desks.Put(d.Account[:], EncodeDesk(DeskState{School: d.School, Desk: d.Desk, Next: next}))
}

// unconfirmedDesk is the DesksBucket key under which a desk connected to a
// server keeps, from schema 8 until the server's number reaches it, the
// desk an account had on it before: it issues nothing from it, and goes
// on from its sequence if the server gives it the same number.
func unconfirmedDesk(acct domain.ID) []byte {
	return append([]byte("unconfirmed."), acct[:]...)
}

// deviceDesks is schema 8 on the server: each account's desk becomes the
// desk of the computer that signed in last with the account (the device
// of its latest refresh token), its sequence going on; an account with no
// token left has its desk retired (kept under the zero device, so its
// number is never given again, and no computer issues from it). Every
// other computer of the person gets a new number at its next sign-in.
// The old per-account entries of the change feed stay; desks ignore
// them. On a desk, see unconfirmDesks.
func deviceDesks(s *Store, tx *Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	if !s.side.server() {
		return unconfirmDesks(s, tx)
	}
	last, err := lastDevices(s, tx)
	if err != nil {
		return err
	}
	old := tx.Bucket(DesksBucket)
	var accounts []domain.ID
	c := old.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) == 16 {
			var id domain.ID
			copy(id[:], k)
			accounts = append(accounts, id)
		}
	}
	for _, acct := range accounts {
		d, ok := DecodeDesk(old.Get(acct[:]))
		if !ok {
			continue
		}
		if err := s.PutIssuingDesk(tx, acct, last[acct], d); err != nil {
			return fmt.Errorf("desk of %s: %w", acct, err)
		}
	}
	return clearBucket(tx, DesksBucket)
}

// unconfirmDesks is schema 8 on a desk connected to a server: the desks
// it held by account wait for the server to confirm them (ReplayDesk),
// for the server may have given the number to another of the person's
// computers. Until then the desk issues no EVN, rather than one the
// server would refuse. A profile that works alone keeps its desks.
func unconfirmDesks(s *Store, tx *Tx) error {
	var st SyncState
	if _, err := s.GetJSON(BucketOf(tx, syncBucket), syncStateKey, &st); err != nil {
		return err
	}
	if st.Server == "" {
		return nil
	}
	desks := tx.Bucket(DesksBucket)
	type entry struct{ k, v []byte }
	var held []entry
	c := desks.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) == 16 {
			held = append(held, entry{bytes.Clone(k), bytes.Clone(v)})
		}
	}
	for _, e := range held {
		var acct domain.ID
		copy(acct[:], e.k)
		if err := desks.Put(unconfirmedDesk(acct), e.v); err != nil {
			return err
		}
		if err := desks.Delete(e.k); err != nil {
			return err
		}
	}
	return nil
}

// lastDevices finds, for each account, the device of its latest refresh
// token.
func lastDevices(s *Store, tx *Tx) (map[domain.ID]domain.ID, error) {
	type seen struct {
		device domain.ID
		rec    tokenRecord
	}
	latest := map[domain.ID]seen{}
	b := BucketOf(tx, tokensBucket)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var rec tokenRecord
		if err := s.OpenJSON(b, k, v, &rec); err != nil {
			return nil, err
		}
		if !rec.Refresh || rec.Device.IsZero() {
			continue
		}
		if prev, ok := latest[rec.Account]; !ok || rec.Expires.After(prev.rec.Expires) {
			latest[rec.Account] = seen{rec.Device, rec}
		}
	}
	out := make(map[domain.ID]domain.ID, len(latest))
	for acct, s := range latest {
		out[acct] = s.device
	}
	return out, nil
}

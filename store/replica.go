package store

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// SyncState is what a desk remembers of its server between runs.
type SyncState struct {
	// Server is the server's base URL; Fingerprint the SHA-256 of its
	// certificate's public key, as the person confirmed it (empty when an
	// authority vouches for the certificate; the whole certificate's hash
	// in profiles from before, until the client migrates it).
	Server      string `json:"server,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	// Epoch, Cursor and LastSync are where the feed of the person who
	// synced last here (LastAccount) stands, and when it was read: the
	// desk's last sync. Profiles from before kept only this one position,
	// for the account signed in then.
	Epoch    domain.ID `json:"epoch"`
	Cursor   uint64    `json:"cursor"`
	LastSync time.Time `json:"lastSync,omitempty"`
	// LastAccount is the person whose pull moved Epoch and Cursor last.
	LastAccount domain.ID `json:"lastAccount,omitempty"`
	// Cursors is each person's own position in the feed: the server's
	// feed is filtered by who reads it, so on a desk several people share
	// a position reached by one says nothing of what another has read.
	Cursors map[domain.ID]FeedPosition `json:"cursors,omitempty"`
	// Refresh is the refresh token of the person who last signed in to the
	// server here, and Account that person.
	Refresh string    `json:"refresh,omitempty"`
	Account domain.ID `json:"account,omitempty"`
}

// FeedPosition is where one person's change feed stands on this desk:
// the server's epoch, the cursor to ask after, and when it was read.
type FeedPosition struct {
	Epoch    domain.ID `json:"epoch"`
	Cursor   uint64    `json:"cursor"`
	LastSync time.Time `json:"lastSync,omitempty"`
}

// Position is where who's feed stands on this desk: zero for a person
// who never synced here, who is then sent everything they may read. A
// profile from before per-person positions keeps its one cursor as the
// position of the account that synced last (LastAccount, or the account
// signed in when the profile was last written by a desk that knew no
// LastAccount).
func (st *SyncState) Position(who domain.ID) FeedPosition {
	if p, ok := st.Cursors[who]; ok {
		return p
	}
	if last := st.legacyAccount(); who == last && len(st.Cursors) == 0 {
		return FeedPosition{Epoch: st.Epoch, Cursor: st.Cursor, LastSync: st.LastSync}
	}
	return FeedPosition{}
}

func (st *SyncState) legacyAccount() domain.ID {
	if !st.LastAccount.IsZero() {
		return st.LastAccount
	}
	return st.Account
}

// KeepLegacyCursor names the owner of a profile's single cursor from
// before per-person positions (the account signed in then) before the
// signed-in account changes, so that the cursor stays theirs.
func (st *SyncState) KeepLegacyCursor() {
	if len(st.Cursors) == 0 && st.LastAccount.IsZero() {
		st.LastAccount = st.Account
	}
}

// Rejection is a command of this desk that the server refused, kept until
// the person who made it has read why.
type Rejection struct {
	Command domain.ID       `json:"command"`
	Kind    sync.Kind       `json:"kind"`
	Entity  domain.ID       `json:"entity"`
	Actor   domain.ID       `json:"actor"`
	Error   *sync.WireError `json:"error"`
	At      time.Time       `json:"at"`
	Seen    bool            `json:"seen,omitempty"`
}

// SyncState reads the desk's sync state (zero before the first sync).
func (s *Store) SyncState() (SyncState, error) {
	var st SyncState
	err := s.db.View(func(tx *Tx) error {
		_, err := s.GetJSON(BucketOf(tx, syncBucket), syncStateKey, &st)
		return err
	})
	return st, err
}

// UpdateSyncState changes the sync state with fn in one transaction.
func (s *Store) UpdateSyncState(fn func(*SyncState)) error {
	return s.db.Update(func(tx *Tx) error {
		var st SyncState
		b := BucketOf(tx, syncBucket)
		if _, err := s.GetJSON(b, syncStateKey, &st); err != nil {
			return err
		}
		fn(&st)
		return s.PutJSON(b, syncStateKey, st)
	})
}

// PendingFor lists up to limit outbox commands that actor made, oldest
// first: a desk pushes a person's commands with that person's token.
func (s *Store) PendingFor(actor domain.ID, limit int) ([]OutboxEntry, error) {
	return s.outbox(limit, func(cmd sync.Command) bool { return cmd.Actor == actor })
}

// Pending reports whether the outbox holds a command about entity that
// the server has not answered yet: what the desk shows of that record is
// its own proposal, not yet the program's decision.
func (s *Store) Pending(entity domain.ID) (bool, error) {
	found := false
	err := s.db.View(func(tx *Tx) error {
		pending, err := s.pendingEntities(tx)
		found = pending[entity]
		return err
	})
	return found, err
}

// PendingToPush lists up to limit outbox commands the desk pushes while
// actor is signed in, oldest first: actor's own, and the enrolments of
// other people made on this desk (a user an employer added, a signatory
// the DIR issued a PIN to), which the server must know before actor's
// later commands about them — ending that user's access, say. Those
// enrolments would otherwise wait for their person to sign in here. And
// the commands an older version of the desk made in the program's name
// (no person's: the expiry of requests), which the server answers with
// its own record (sync.ErrProgramCommand) so that they leave the outbox.
func (s *Store) PendingToPush(actor domain.ID, limit int) ([]OutboxEntry, error) {
	return s.outbox(limit, func(cmd sync.Command) bool {
		return cmd.Actor == actor || cmd.Actor.IsZero() || CreatesAccount(cmd.Kind)
	})
}

// Acknowledge records the server's answers in one transaction: each
// answered command leaves the outbox; a rejected one is kept as a
// Rejection for its person to read, and the record it changed is put back
// as the server has it. An answer to a command no longer in the outbox (a
// reply that arrived twice) changes nothing.
func (s *Store) Acknowledge(answers []sync.Answer, server sync.HLC) error {
	now := s.Now()
	return s.db.Update(func(tx *Tx) error {
		if err := observe(tx, server, now); err != nil {
			return err
		}
		want, answered := map[domain.ID]sync.Answer{}, map[domain.ID]bool{}
		for _, a := range answers {
			want[a.Command] = a
		}
		ob := BucketOf(tx, outboxBucket)
		c := ob.Cursor()
		for k, v := c.First(); k != nil && len(want) > 0; k, v = c.Next() {
			var cmd sync.Command
			if err := s.OpenJSON(ob, k, v, &cmd); err != nil {
				return err
			}
			ans, ok := want[cmd.ID]
			if !ok {
				continue
			}
			delete(want, cmd.ID)
			if err := c.Delete(); err != nil {
				return err
			}
			answered[cmd.Entity] = true
			if ans.Outcome != sync.Rejected {
				continue
			}
			// A command in the program's name is nobody's to be told
			// about: its record is put back, and the audit keeps why.
			if !cmd.Actor.IsZero() {
				rej := Rejection{Command: cmd.ID, Kind: cmd.Kind, Entity: cmd.Entity, Actor: cmd.Actor, Error: ans.Error, At: now}
				if err := s.PutJSON(BucketOf(tx, rejectionsBucket), cmd.ID[:], rej); err != nil {
					return err
				}
			}
			if err := s.undo(tx, cmd, ans.Current); err != nil {
				return err
			}
			if err := s.Journal(tx, now, Entry{By: account.Actor{Account: cmd.Actor}, Action: "sync.rejected",
				Entity: cmd.Entity, Command: cmd.ID, Detail: string(rejCode(ans))}); err != nil {
				return err
			}
		}
		return s.releaseHeld(tx, answered)
	})
}

// releaseHeld writes the server's copies held for the records whose
// commands have all been answered now (ApplyChanges held them while a
// command was waiting). The latest copy the feed gave is the one held;
// a later one, if any, comes with the next page.
func (s *Store) releaseHeld(tx *Tx, answered map[domain.ID]bool) error {
	if len(answered) == 0 {
		return nil
	}
	pending, err := s.pendingEntities(tx)
	if err != nil {
		return err
	}
	hb := BucketOf(tx, heldBucket)
	var buf []byte
	for id := range answered {
		if pending[id] {
			continue
		}
		var keys [][]byte
		c := hb.Cursor()
		for k, v := c.Seek(id[:]); k != nil && HasPrefix(k, id[:]); k, v = c.Next() {
			var ch sync.Change
			if err := s.OpenJSON(hb, k, v, &ch); err != nil {
				return err
			}
			if _, err := s.applyChange(tx, &ch, &buf); err != nil {
				return err
			}
			keys = append(keys, append([]byte(nil), k...))
		}
		for _, k := range keys {
			if err := hb.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

func rejCode(a sync.Answer) domain.Code {
	if a.Error == nil {
		return domain.ErrInternal
	}
	return a.Error.Code
}

func observe(tx *Tx, remote sync.HLC, now time.Time) error {
	meta := tx.Bucket(MetaBucket)
	var h sync.HLC
	if v := meta.Get(metaHLC); len(v) == 8 {
		h = sync.HLC(binary.BigEndian.Uint64(v))
	}
	next, _ := h.Observe(remote, now, 5*time.Minute)
	return meta.Put(metaHLC, U64(uint64(next)))
}

// ApplyChanges saves one page of who's change feed and who's cursor after
// it in one transaction (each person keeps their own position: the feed
// is filtered by who reads it), so a desk stopped in between either has
// both or neither. The page must answer the question the desk asked from where it
// stands (epoch and after): a page that arrives twice, or late, after the
// cursor has moved, is ignored. A record the desk has unsent commands for
// is left as the desk has it, and the server's copy is held until those
// commands are answered (Acknowledge writes it then). applied counts the
// records written.
func (s *Store) ApplyChanges(who domain.ID, epoch domain.ID, after uint64, page sync.ChangesResponse) (applied int, err error) {
	now := s.Now()
	err = s.db.Update(func(tx *Tx) error {
		sb := BucketOf(tx, syncBucket)
		var st SyncState
		if _, err := s.GetJSON(sb, syncStateKey, &st); err != nil {
			return err
		}
		pos := st.Position(who)
		if pos.Epoch != epoch || pos.Cursor != after || page.After != 0 && page.After != after || page.After == 0 && after != 0 && !page.Reset {
			return nil
		}
		if err := observe(tx, page.HLC, now); err != nil {
			return err
		}
		pending, err := s.pendingEntities(tx)
		if err != nil {
			return err
		}
		var buf []byte
		for i := range page.Changes {
			c := &page.Changes[i]
			if pending[c.ID] {
				// Kept, not lost: the cursor moves past it, and the
				// page may carry the server's answer to the very
				// command still waiting here (a long-poll woken by
				// the push outruns its acknowledgement).
				if err := s.PutJSON(BucketOf(tx, heldBucket), latestKey(c.Kind, c.ID), c); err != nil {
					return err
				}
				continue
			}
			ok, err := s.applyChange(tx, c, &buf)
			if err != nil {
				return err
			}
			if ok {
				applied++
			}
		}
		st.KeepLegacyCursor()
		if st.Cursors == nil {
			st.Cursors = map[domain.ID]FeedPosition{}
			if last := st.LastAccount; last != who && (st.Cursor != 0 || !st.Epoch.IsZero()) {
				// The single cursor of a profile from before stays its
				// owner's.
				st.Cursors[last] = FeedPosition{Epoch: st.Epoch, Cursor: st.Cursor, LastSync: st.LastSync}
			}
		}
		st.Cursors[who] = FeedPosition{Epoch: page.Epoch, Cursor: page.Next, LastSync: now}
		st.Epoch, st.Cursor, st.LastSync, st.LastAccount = page.Epoch, page.Next, now, who
		return s.PutJSON(sb, syncStateKey, st)
	})
	return applied, err
}

func (s *Store) pendingEntities(tx *Tx) (map[domain.ID]bool, error) {
	out := map[domain.ID]bool{}
	ob := BucketOf(tx, outboxBucket)
	c := ob.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var cmd sync.Command
		if err := s.OpenJSON(ob, k, v, &cmd); err != nil {
			return nil, err
		}
		out[cmd.Entity] = true
	}
	return out, nil
}

// Rejections lists who's commands the server refused, newest first:
// nobody reads another person's.
func (s *Store) Rejections(who account.Actor) ([]Rejection, error) {
	var out []Rejection
	err := s.eachSeen(rejectionsBucket, func(v []byte, k []byte, b SealedBucket) error {
		var r Rejection
		if err := s.OpenJSON(b, k, v, &r); err != nil || r.Actor != who.Account {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// Refused is, for each record one of who's commands about it was refused
// by the server (and who has not yet marked the refusal read), the
// reason of the latest refusal: the screens listing records show it on
// the record's row, so that a change the server undid is not lost from
// sight.
func (s *Store) Refused(who account.Actor) (map[domain.ID]error, error) {
	rs, err := s.Rejections(who)
	if err != nil {
		return nil, err
	}
	out := map[domain.ID]error{}
	at := map[domain.ID]time.Time{}
	for _, r := range rs {
		if r.Seen || r.Error == nil {
			continue
		}
		if prev, ok := at[r.Entity]; ok && prev.After(r.At) {
			continue
		}
		out[r.Entity], at[r.Entity] = r.Error.Err(), r.At
	}
	return out, nil
}

// Conflicts lists the field conflicts the server reported on the forms
// who may change (their school's requests, their own application or their
// client's, their business's Employer Forms), newest first.
func (s *Store) Conflicts(who account.Actor) ([]ConflictRecord, error) {
	var out []ConflictRecord
	err := s.eachSeen(ConflictsBucket, func(v []byte, k []byte, b SealedBucket) error {
		var c ConflictRecord
		if err := s.OpenJSON(b, k, v, &c); err != nil || !readsConflicts(who, &c) {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// readsConflicts: the conflicts of a school's requests are its staff's;
// another form's, its people's and its organisations' users'.
func readsConflicts(who account.Actor, c *ConflictRecord) bool {
	if !c.School.IsZero() {
		return who.Role.InstitutionStaff() && who.Org == c.School
	}
	return slices.Contains(c.Accounts, who.Account) ||
		!who.Org.IsZero() && who.Role.Can(account.FillEmployerForm) && slices.Contains(c.Orgs, who.Org)
}

// eachSeen walks a bucket of rejections or conflicts, newest first.
func (s *Store) eachSeen(name []byte, fn func(v, k []byte, b SealedBucket) error) error {
	return s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, name)
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			if err := fn(v, k, b); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarkSeen records that who has read one of their rejections or one of
// their school's conflicts; anything else is refused.
func (s *Store) MarkSeen(who account.Actor, id domain.ID) error {
	return s.db.Update(func(tx *Tx) error {
		rb := BucketOf(tx, rejectionsBucket)
		var r Rejection
		if found, err := s.GetJSON(rb, id[:], &r); err != nil || found {
			if err != nil {
				return err
			}
			if r.Actor != who.Account {
				return domain.Errorf(account.ErrForbidden)
			}
			r.Seen = true
			return s.PutJSON(rb, id[:], r)
		}
		cb := BucketOf(tx, ConflictsBucket)
		var c ConflictRecord
		found, err := s.GetJSON(cb, id[:], &c)
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(ErrNotFound)
		}
		if !readsConflicts(who, &c) {
			return domain.Errorf(account.ErrForbidden)
		}
		c.Seen = true
		return s.PutJSON(cb, id[:], c)
	})
}

// SeeRefusalsIn marks read, inside tx, every refusal of who's commands of
// kind about entity: an action that does the refused thing again (a
// permit applied for anew) has read why it was refused, and the top bar
// stops counting it.
func (s *Store) SeeRefusalsIn(tx *Tx, who domain.ID, kind sync.Kind, entity domain.ID) error {
	b := BucketOf(tx, rejectionsBucket)
	type read struct {
		key []byte
		r   Rejection
	}
	var reads []read
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r Rejection
		if err := s.OpenJSON(b, k, v, &r); err != nil {
			return err
		}
		if !r.Seen && r.Actor == who && r.Kind == kind && r.Entity == entity {
			r.Seen = true
			reads = append(reads, read{slices.Clone(k), r})
		}
	}
	for _, x := range reads {
		if err := s.PutJSON(b, x.key, x.r); err != nil {
			return err
		}
	}
	return nil
}

// SyncCounts are the figures the top bar shows.
type SyncCounts struct {
	Pending, Rejected, Conflicts int
}

// Counts reads the sync figures for who: their commands waiting, and
// the rejections and conflicts of theirs not yet read.
func (s *Store) Counts(who account.Actor) (SyncCounts, error) {
	var n SyncCounts
	mine, err := s.PendingFor(who.Account, math.MaxInt)
	if err != nil {
		return n, err
	}
	n.Pending = len(mine)
	rs, err := s.Rejections(who)
	if err != nil {
		return n, err
	}
	cs, err := s.Conflicts(who)
	for _, r := range rs {
		if !r.Seen {
			n.Rejected++
		}
	}
	for _, c := range cs {
		if !c.Seen {
			n.Conflicts++
		}
	}
	return n, err
}

// AdoptAccount keeps on this desk the account a person just signed in to
// the server with (pub, as the server sent it), with their password hashed
// here, so that they can sign in on this desk offline from now on.
func (s *Store) AdoptAccount(pub json.RawMessage, userID, password string) (Account, error) {
	var p PublicAccount
	if err := json.Unmarshal(pub, &p); err != nil {
		return Account{}, domain.Wrap(sync.ErrServer, err)
	}
	uid, err := account.CleanUserID(userID)
	if err != nil {
		return Account{}, err
	}
	hash, err := account.HashSecret(password, s.opt.Secrets, s.opt.Rand)
	if err != nil {
		return Account{}, domain.Wrap(ErrStorage, err)
	}
	var a Account
	err = s.db.Update(func(tx *Tx) error {
		b := BucketOf(tx, AccountsBucket)
		if _, err := s.GetJSON(b, p.ID[:], &a); err != nil {
			return err
		}
		// A user ID changed elsewhere: the slot of the old one goes (the
		// caller keeps the new one's, slots.go).
		if was := a.Credential.UserID; was != "" && was != uid {
			if err := dropPersonSlot(tx, was); err != nil {
				return err
			}
		}
		raw, _ := json.Marshal(p)
		if _, err := s.applyChange(tx, &sync.Change{Kind: sync.EntityAccount, ID: p.ID, Data: raw}, nil); err != nil {
			return err
		}
		if _, err := s.GetJSON(b, p.ID[:], &a); err != nil {
			return err
		}
		a.Credential = account.Relink(a.Credential, uid, hash)
		if err := s.PutJSON(b, a.ID[:], a); err != nil {
			return err
		}
		uh := s.kr.Hash(hashUserID, uid)
		return tx.Bucket(ixUserID).Put(uh[:], a.ID[:])
	})
	return a, err
}

// LockDelinked locks on this desk the enrolment of account id, which the
// server answered is de-linked (to its refresh token): the person signs in
// here again only after enrolling with a new PIN. The desk proposes
// nothing: the server has decided.
func (s *Store) LockDelinked(id domain.ID) error {
	now := s.Now()
	return s.db.Update(func(tx *Tx) error {
		b := BucketOf(tx, AccountsBucket)
		var a Account
		found, err := s.GetJSON(b, id[:], &a)
		if err != nil || !found || !a.Credential.Delinked.IsZero() || a.Credential.PasswordHash == "" {
			return err
		}
		a.Credential.Delinked = now
		if err := s.PutJSON(b, a.ID[:], a); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: a.Actor(), Action: "account.delinked", Entity: a.ID, Detail: "server"})
	})
}

// EnrolCommand checks an enrolment made on a desk that does not hold the
// PIN (a new desk, online) and builds the command that carries it to the
// server, without writing anything here.
func (s *Store) EnrolCommand(e account.Enrolment) (sync.Command, error) {
	e, err := e.Check()
	if err != nil {
		return sync.Command{}, err
	}
	pwHash, questions, err := s.HashCredential(e.Password, e.Questions)
	if err != nil {
		return sync.Command{}, err
	}
	now := s.Now()
	cmd := sync.Command{Kind: sync.KindEnrol, HLC: sync.MakeHLC(now, 0), Device: s.device}
	if cmd.ID, err = s.NewID(now); err != nil {
		return cmd, err
	}
	if cmd.Entity, err = s.NewID(now); err != nil {
		return cmd, err
	}
	cmd.Actor = cmd.Entity
	cmd.Payload, err = json.Marshal(sync.EnrolPayload{Account: cmd.Entity, UserID: e.UserID, GivenNames: e.GivenNames,
		FamilyName: e.FamilyName, Password: pwHash, Questions: questions, At: now, PINCode: e.PIN, Lang: MailLang(e.Lang), Form: string(e.Form)})
	return cmd, err
}

// ConflictRecord is a form field two machines changed at once: the value
// kept, and the value that lost, which every desk of the form's people
// shows until someone has looked at it. A request's are its school's
// (Request, School); another form's (On, Record) are the people (Accounts)
// and organisations (Orgs) who may change it.
type ConflictRecord struct {
	ID       domain.ID         `json:"id"`
	Request  domain.ID         `json:"request,omitzero"`
	School   domain.ID         `json:"school,omitzero"`
	On       sync.EntityKind   `json:"on,omitempty"`
	Record   domain.ID         `json:"record,omitzero"`
	Accounts []domain.ID       `json:"accounts,omitempty"`
	Orgs     []domain.ID       `json:"orgs,omitempty"`
	Field    string            `json:"field"`
	Kept     sync.FieldVersion `json:"kept"`
	Lost     sync.FieldVersion `json:"lost"`
	At       time.Time         `json:"at"`
	// Seen is set on a desk once the person has dismissed it there.
	Seen bool `json:"seen,omitempty"`
}

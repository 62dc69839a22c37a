package store

import (
	"encoding/json"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/sync"
)

// The Off-Campus Work Permit Program's commands and records: students'
// requests and the school staff's work on them, the schools, the desks
// that issue EVNs and the fields two desks changed at once.

var ocwppCommands = []CommandSpec{
	{Kind: sync.KindRaiseRequest, Senders: []account.Role{account.Student}, Creates: CreatesRequest,
		MaxPayload: MaxPayloadSmall, Apply: with(applyRaise), Current: currentRequest, Undo: undoRequest},
	// The school's staff work the queue; a student withdraws their own.
	{Kind: sync.KindApplyFunction, Senders: append([]account.Role{account.Student}, schoolStaff...),
		MaxPayload: MaxPayloadSmall, Apply: with(applyAct), Current: currentRequest, Undo: undoRequest},
	{Kind: KindCreateInstitution, Senders: theProgram, Creates: CreatesInstitution, MaxPayload: MaxPayloadSmall,
		Apply: with(applyCreateInstitution)},
}

var ocwppRecords = []RecordSpec{
	{Kind: sync.EntityRequest, Replay: replayRequest, Claimed: true},
	{Kind: sync.EntityInstitution, Replay: unbuffered(replayInstitution), Claimed: true},
	{Kind: sync.EntityDesk, Replay: unbuffered(replayDesk)},
	{Kind: sync.EntityConflict, Replay: unbuffered(replayConflict), Claimed: true},
}

// applyRaise records a student's request under the ID their desk chose,
// which must name nothing yet, received on the server's day.
func applyRaise(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p sync.RaisePayload, now time.Time) (sync.Answer, error) {
	if err := sv.s.claim(tx, sync.EntityRequest, cmd.Entity); err != nil {
		return applied(), err
	}
	r, _, err := sv.s.raise(tx, by, p.Raise, cmd.Entity, sv.at(p.At, now))
	return versioned(r.Version, err)
}

// applyAct applies a function (Verify, Reject, Save…) to a request.
func applyAct(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p sync.ApplyPayload, now time.Time) (sync.Answer, error) {
	return sv.applyFunction(tx, by, cmd, p, sv.at(p.At, now))
}

// applyCreateInstitution registers a school under the ID the program's desk
// chose.
func applyCreateInstitution(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, in Institution, _ time.Time) (sync.Answer, error) {
	in, err := checkInstitution(by, in)
	if err != nil {
		return applied(), err
	}
	in.ID = cmd.Entity
	if err := sv.s.claim(tx, sync.EntityInstitution, in.ID); err != nil {
		return applied(), err
	}
	return applied(), sv.s.createInstitution(tx, &in)
}

// currentRequest is the request a refused command was about, when by may
// read it.
func currentRequest(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	r, found, err := sv.s.getRequest(tx, cmd.Entity, nil)
	if err != nil || !found || canRead(by, &r) != nil {
		return nil, err
	}
	return changeOf(sync.EntityRequest, r.ID, r.Version, &r)
}

// undoRequest puts a request back as the server has it, or removes one the
// server refused to create.
func undoRequest(s *Store, tx *Tx, cmd sync.Command, current *sync.Change) error {
	old, found, err := s.getRequest(tx, cmd.Entity, nil)
	if err != nil {
		return err
	}
	if current == nil {
		if found && cmd.Kind == sync.KindRaiseRequest {
			return s.removeRequest(tx, &old)
		}
		return nil
	}
	var r ens.Request
	if err := json.Unmarshal(current.Data, &r); err != nil {
		return domain.Wrap(sync.ErrServer, err)
	}
	if found {
		return s.putRequest(tx, &old, &r)
	}
	return s.putRequest(tx, nil, &r)
}

// replayRequest writes a request from the feed, with its indexes.
func replayRequest(s *Store, tx *Tx, c *sync.Change, buf *[]byte) (bool, error) {
	var r ens.Request
	if err := json.Unmarshal(c.Data, &r); err != nil {
		return badChange(err)
	}
	if r.ID != c.ID || !r.Type.Valid() || !r.Status.Valid() || r.School.IsZero() {
		return false, nil
	}
	if buf == nil {
		buf = new([]byte)
	}
	old, found, err := s.getRequest(tx, r.ID, buf)
	if err != nil {
		return false, err
	}
	if !found {
		return true, s.putRequest(tx, nil, &r)
	}
	return true, s.putRequest(tx, &old, &r)
}

func replayInstitution(s *Store, tx *Tx, c *sync.Change) (bool, error) {
	var in Institution
	if err := json.Unmarshal(c.Data, &in); err != nil {
		return badChange(err)
	}
	return true, s.putInstitution(tx, &in)
}

// replayDesk moves a desk's next EVN sequence to the server's, never back.
func replayDesk(_ *Store, tx *Tx, c *sync.Change) (bool, error) {
	var d DeskChange
	if err := json.Unmarshal(c.Data, &d); err != nil {
		return badChange(err)
	}
	desks := tx.Bucket(desksBucket)
	cur, ok := decodeDesk(desks.Get(d.Account[:]))
	next := d.Next
	if ok && cur.desk == d.Desk && cur.school == d.School {
		next = max(next, cur.next)
	}
	return true, desks.Put(d.Account[:], encodeDesk(deskState{school: d.School, desk: d.Desk, next: next}))
}

// replayConflict keeps a conflict the server recorded, and whether this
// desk's person has read it.
func replayConflict(s *Store, tx *Tx, c *sync.Change) (bool, error) {
	var cr ConflictRecord
	if err := json.Unmarshal(c.Data, &cr); err != nil {
		return badChange(err)
	}
	b := bucketOf(tx, conflictsBucket)
	var prev ConflictRecord
	if found, err := s.getJSON(b, cr.ID[:], &prev); err != nil {
		return false, err
	} else if found {
		cr.Seen = prev.Seen
	}
	return true, s.PutJSON(b, cr.ID[:], cr)
}

func init() {
	Register(Program{Name: "requests", Commands: ocwppCommands, Records: ocwppRecords})
}

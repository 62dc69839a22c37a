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
		MaxPayload: MaxPayloadSmall, Apply: With(applyRaise), Current: currentRequest, Undo: undoRequest},
	// The school's staff work the queue; a student withdraws their own.
	{Kind: sync.KindApplyFunction, Senders: append([]account.Role{account.Student}, SchoolStaff...),
		MaxPayload: MaxPayloadSmall, Apply: With(applyAct), Current: currentRequest, Undo: undoRequest},
	{Kind: KindCreateInstitution, Senders: TheProgram, Creates: CreatesInstitution, MaxPayload: MaxPayloadSmall,
		Apply: With(applyCreateInstitution)},
}

var ocwppRecords = []RecordSpec{
	{Kind: sync.EntityRequest, Replay: replayRequest, Claimed: true},
	{Kind: sync.EntityInstitution, Replay: Unbuffered(replayInstitution), Claimed: true},
	{Kind: sync.EntityDesk, Replay: Unbuffered(replayDesk)},
	{Kind: sync.EntityConflict, Replay: Unbuffered(replayConflict), Claimed: true},
}

// applyRaise records a student's request under the ID their desk chose,
// which must name nothing yet, received on the server's day.
func applyRaise(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p sync.RaisePayload, now time.Time) (sync.Answer, error) {
	if err := sv.st.Claim(tx, sync.EntityRequest, cmd.Entity); err != nil {
		return Applied(), err
	}
	r, _, err := sv.st.raise(tx, by, p.Raise, cmd.Entity, sv.At(p.At, now))
	return Versioned(r.Version, err)
}

// applyAct applies a function (Verify, Reject, Save…) to a request.
func applyAct(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p sync.ApplyPayload, now time.Time) (sync.Answer, error) {
	return sv.applyFunction(tx, by, cmd, p, sv.At(p.At, now))
}

// applyCreateInstitution registers a school under the ID the program's desk
// chose.
func applyCreateInstitution(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, in Institution, _ time.Time) (sync.Answer, error) {
	in, err := CheckInstitution(by, in)
	if err != nil {
		return Applied(), err
	}
	in.ID = cmd.Entity
	if err := sv.st.Claim(tx, sync.EntityInstitution, in.ID); err != nil {
		return Applied(), err
	}
	return Applied(), sv.st.CreateInstitutionIn(tx, &in)
}

// currentRequest is the request a refused command was about, when by may
// read it.
func currentRequest(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	r, found, err := sv.st.getRequest(tx, cmd.Entity, nil)
	if err != nil || !found || canRead(by, &r) != nil {
		return nil, err
	}
	return ChangeOf(sync.EntityRequest, r.ID, r.Version, &r)
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
		return BadChange(err)
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
		return BadChange(err)
	}
	return true, s.PutInstitution(tx, &in)
}

// replayDesk moves a desk's next EVN sequence to the server's, never back.
func replayDesk(_ *Store, tx *Tx, c *sync.Change) (bool, error) {
	var d DeskChange
	if err := json.Unmarshal(c.Data, &d); err != nil {
		return BadChange(err)
	}
	desks := tx.Bucket(DesksBucket)
	cur, ok := DecodeDesk(desks.Get(d.Account[:]))
	next := d.Next
	if ok && cur.Desk == d.Desk && cur.School == d.School {
		next = max(next, cur.Next)
	}
	return true, desks.Put(d.Account[:], EncodeDesk(DeskState{School: d.School, Desk: d.Desk, Next: next}))
}

// replayConflict keeps a conflict the server recorded, and whether this
// desk's person has read it.
func replayConflict(s *Store, tx *Tx, c *sync.Change) (bool, error) {
	var cr ConflictRecord
	if err := json.Unmarshal(c.Data, &cr); err != nil {
		return BadChange(err)
	}
	b := BucketOf(tx, ConflictsBucket)
	var prev ConflictRecord
	if found, err := s.GetJSON(b, cr.ID[:], &prev); err != nil {
		return false, err
	} else if found {
		cr.Seen = prev.Seen
	}
	return true, s.PutJSON(b, cr.ID[:], cr)
}

func init() {
	Register(Program{Name: "requests", Commands: ocwppCommands, Records: ocwppRecords})
}

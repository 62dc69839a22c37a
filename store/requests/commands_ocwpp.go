package requests

import (
	"encoding/json"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// The Off-Campus Work Permit Program's commands and records: students'
// requests and the school staff's work on them, the schools, the desks
// that issue EVNs and the fields two desks changed at once.

var ocwppCommands = []store.CommandSpec{
	{Kind: sync.KindRaiseRequest, Senders: []account.Role{account.Student}, Creates: store.CreatesRequest,
		MaxPayload: store.MaxPayloadSmall, Apply: store.With(applyRaise), Current: currentRequest, Undo: store.UndoOn(On, undoRaise)},
	// The school's staff work the queue; a student withdraws their own.
	{Kind: sync.KindApplyFunction, Senders: append([]account.Role{account.Student}, store.SchoolStaff...),
		MaxPayload: store.MaxPayloadSmall, Apply: store.With(applyAct), Current: currentRequest, Undo: store.UndoOn(On, undoRequest)},
	{Kind: store.KindCreateInstitution, Senders: store.TheProgram, Creates: store.CreatesInstitution, MaxPayload: store.MaxPayloadSmall,
		Apply: store.With(applyCreateInstitution), Undo: store.UndoOn(On, undoInstitution)},
}

var ocwppRecords = []store.RecordSpec{
	{Kind: sync.EntityRequest, Replay: store.ReplayOn(On, replayRequest), Claimed: true},
	{Kind: sync.EntityInstitution, Replay: store.UnbufferedOn(On, replayInstitution), Claimed: true},
	{Kind: sync.EntityDeviceDesk, Replay: store.UnbufferedOn(On, replayDesk)},
	{Kind: sync.EntityConflict, Replay: store.UnbufferedOn(On, replayConflict), Claimed: true},
}

// applyRaise records a student's request under the ID their desk chose,
// which must name nothing yet, received on the server's day.
func applyRaise(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p sync.RaisePayload, now time.Time) (sync.Answer, error) {
	if err := of(sv).Claim(tx, sync.EntityRequest, cmd.Entity); err != nil {
		return store.Applied(), err
	}
	r, _, err := of(sv).RaiseIn(tx, by, p.Raise, cmd.Entity, sv.At(p.At, now))
	return store.Versioned(r.Version, err)
}

// applyAct applies a function (Verify, Reject, Save…) to a request.
func applyAct(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p sync.ApplyPayload, now time.Time) (sync.Answer, error) {
	return applyFunction(sv, tx, by, cmd, p, sv.At(p.At, now))
}

// applyCreateInstitution registers a school under the ID the program's desk
// chose.
func applyCreateInstitution(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, in store.Institution, _ time.Time) (sync.Answer, error) {
	in, err := store.CheckInstitution(by, in)
	if err != nil {
		return store.Applied(), err
	}
	in.ID = cmd.Entity
	if err := of(sv).Claim(tx, sync.EntityInstitution, in.ID); err != nil {
		return store.Applied(), err
	}
	return store.Applied(), of(sv).CreateInstitutionIn(tx, &in)
}

// undoInstitution removes, from the program's desk, a school the server
// refused to register (its code was taken meanwhile, from another desk).
func undoInstitution(s Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
	if current != nil {
		return nil
	}
	return store.BucketOf(tx, store.OrgsBucket).Delete(cmd.Entity[:])
}

// currentRequest is the request a refused command was about, when by may
// read it.
func currentRequest(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	r, found, err := of(sv).GetRequest(tx, cmd.Entity, nil)
	if err != nil || !found || canRead(by, &r) != nil {
		return nil, err
	}
	return store.ChangeOf(sync.EntityRequest, r.ID, r.Version, &r)
}

// undoRaise removes a request the server refused to create, or puts it
// back as the server has it.
func undoRaise(s Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
	if current != nil {
		return undoRequest(s, tx, cmd, current)
	}
	old, found, err := s.GetRequest(tx, cmd.Entity, nil)
	if err != nil || !found {
		return err
	}
	return s.removeRequest(tx, &old)
}

// undoRequest puts a request back as the server has it.
func undoRequest(s Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
	if current == nil {
		return nil
	}
	old, found, err := s.GetRequest(tx, cmd.Entity, nil)
	if err != nil {
		return err
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
func replayRequest(s Store, tx *store.Tx, c *sync.Change, buf *[]byte) (bool, error) {
	var r ens.Request
	if err := json.Unmarshal(c.Data, &r); err != nil {
		return store.BadChange(err)
	}
	if r.ID != c.ID || !r.Type.Valid() || !r.Status.Valid() || r.School.IsZero() {
		return false, nil
	}
	if buf == nil {
		buf = new([]byte)
	}
	old, found, err := s.GetRequest(tx, r.ID, buf)
	if err != nil {
		return false, err
	}
	if !found {
		return true, s.putRequest(tx, nil, &r)
	}
	return true, s.putRequest(tx, &old, &r)
}

func replayInstitution(s Store, tx *store.Tx, c *sync.Change) (bool, error) {
	var in store.Institution
	if err := json.Unmarshal(c.Data, &in); err != nil {
		return store.BadChange(err)
	}
	return true, s.PutInstitution(tx, &in)
}

// replayDesk keeps the desk number the server gave this computer.
func replayDesk(s Store, tx *store.Tx, c *sync.Change) (bool, error) { return s.ReplayDesk(tx, c) }

// replayConflict keeps a conflict the server recorded, and whether this
// desk's person has read it.
func replayConflict(s Store, tx *store.Tx, c *sync.Change) (bool, error) {
	var cr store.ConflictRecord
	if err := json.Unmarshal(c.Data, &cr); err != nil {
		return store.BadChange(err)
	}
	b := store.BucketOf(tx, store.ConflictsBucket)
	var prev store.ConflictRecord
	if found, err := s.GetJSON(b, cr.ID[:], &prev); err != nil {
		return false, err
	} else if found {
		cr.Seen = prev.Seen
	}
	return true, s.PutJSON(b, cr.ID[:], cr)
}

func init() {
	store.Register(store.Program{Name: "requests", Commands: ocwppCommands, Records: ocwppRecords})
}

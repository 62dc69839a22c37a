package notices

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/sync"
)

// The program's notices: only its officers send them (the operator's
// come from dossierd admin, as the system); the server runs the rule on
// its own clock, so a desk whose clock is wrong cannot schedule a window
// that has ended, nor withdraw one that has started.

// MaxPayload bounds a notice's command: two texts of notice.MaxText
// characters (up to four bytes each) and a window.
const MaxPayload = 8 << 10

var noticeCommands = []store.CommandSpec{
	{Kind: KindSchedule, Senders: store.TheProgram, Creates: store.CreatesMaintenance, MaxPayload: MaxPayload,
		Apply: store.With(applySchedule), Current: current, Undo: store.UndoOn(On, Store.undo)},
	{Kind: KindWithdraw, Senders: store.TheProgram, MaxPayload: store.MaxPayloadSmall,
		Apply: store.With(applyWithdraw), Current: current, Undo: store.UndoOn(On, Store.undo)},
}

var noticeRecords = []store.RecordSpec{
	{Kind: EntityNotice, Replay: store.UnbufferedOn(On, Store.replay), Claimed: true},
}

// applySchedule keeps a notice under the ID its desk chose, which must
// name nothing yet.
func applySchedule(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p SchedulePayload, now time.Time) (sync.Answer, error) {
	if p.ID != cmd.Entity {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	if err := of(sv).Claim(tx, EntityNotice, p.ID); err != nil {
		return store.Applied(), err
	}
	n, err := of(sv).schedule(tx, by, p, now)
	return store.Versioned(n.Version, err)
}

func applyWithdraw(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p WithdrawPayload, now time.Time) (sync.Answer, error) {
	if p.ID != cmd.Entity {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	n, err := of(sv).withdraw(tx, by, p.ID, now)
	return store.Versioned(n.Version, err)
}

// current is the notice a refused command was about, as the server
// holds it: every person may read notices.
func current(sv *store.Server, tx *store.Tx, _ account.Actor, cmd sync.Command) (*sync.Change, error) {
	n, found, err := of(sv).get(tx, cmd.Entity)
	if err != nil || !found {
		return nil, err
	}
	return store.ChangeOf(EntityNotice, n.ID, n.Version, n)
}

// undo puts back, on the desk, the notice as the server holds it, or
// removes one the server refused to create.
func (s Store) undo(tx *store.Tx, cmd sync.Command, cur *sync.Change) error {
	if cur == nil {
		return tx.Bucket(store.NoticesBucket).Delete(cmd.Entity[:])
	}
	var n Notice
	if err := store.Decode(cur.Data, &n); err != nil || n.ID != cmd.Entity {
		return err
	}
	return s.PutJSON(store.BucketOf(tx, store.NoticesBucket), n.ID[:], n)
}

func init() {
	store.Register(store.Program{Name: "notices", Commands: noticeCommands, Records: noticeRecords})
}

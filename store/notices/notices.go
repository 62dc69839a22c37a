package notices

import (
	"encoding/json"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/notice"
	"dossier/store"
	"dossier/sync"
)

// Notice is a maintenance notice (notice.Notice).
type Notice = notice.Notice

// The commands and the feed's record of notices.
const (
	KindSchedule sync.Kind       = "notice.schedule"
	KindWithdraw sync.Kind       = "notice.withdraw"
	EntityNotice sync.EntityKind = "notice"
)

// SchedulePayload is what a desk sends to schedule a notice: the ID it
// chose, the window and the two texts. The server runs the rule again
// on its own clock; who scheduled it and when are the server's.
type SchedulePayload struct {
	ID   domain.ID `json:"id"`
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	EN   string    `json:"en"`
	FR   string    `json:"fr"`
}

// WithdrawPayload names the notice to withdraw.
type WithdrawPayload struct {
	ID domain.ID `json:"id"`
}

// ScheduleNotice announces the window from–to with its English and French
// texts, as by (a program officer, or the system for the operator), in
// one transaction that also queues the command for the server.
func (s Store) ScheduleNotice(by account.Actor, from, to time.Time, en, fr string) (Notice, error) {
	now := s.Now()
	id, err := s.NewID(now)
	if err != nil {
		return Notice{}, err
	}
	var n Notice
	err = s.Update(func(tx *store.Tx) error {
		var err error
		if n, err = s.schedule(tx, by, SchedulePayload{ID: id, From: from, To: to, EN: en, FR: fr}, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSchedule, Action: string(KindSchedule), Entity: id,
			Payload: SchedulePayload{ID: id, From: n.From, To: n.To, EN: n.EN, FR: n.FR}})
	})
	return n, err
}

// schedule keeps notice p by the rule (notice.Schedule) and feeds it to
// everyone.
func (s Store) schedule(tx *store.Tx, by account.Actor, p SchedulePayload, now time.Time) (Notice, error) {
	n, err := notice.Schedule(by, p.ID, p.From, p.To, p.EN, p.FR, now)
	if err != nil {
		return n, err
	}
	return n, s.put(tx, n)
}

func (s Store) put(tx *store.Tx, n Notice) error {
	if err := s.PutJSON(store.BucketOf(tx, store.NoticesBucket), n.ID[:], n); err != nil {
		return err
	}
	return s.Feed(tx, EntityNotice, n.ID, n.Version, []store.Reader{store.Everyone()}, n)
}

// WithdrawNotice takes notice id back before its window starts, as by.
func (s Store) WithdrawNotice(by account.Actor, id domain.ID) (Notice, error) {
	now := s.Now()
	var n Notice
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if n, err = s.withdraw(tx, by, id, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindWithdraw, Action: string(KindWithdraw), Entity: id,
			Base: n.Version - 1, Payload: WithdrawPayload{ID: id}})
	})
	return n, err
}

func (s Store) withdraw(tx *store.Tx, by account.Actor, id domain.ID, now time.Time) (Notice, error) {
	if err := notice.MayManage(by); err != nil {
		return Notice{}, err // before the notice is looked up
	}
	n, found, err := s.get(tx, id)
	if err != nil {
		return n, err
	}
	if !found {
		return n, domain.FieldError(notice.ErrUnknown, "id")
	}
	if n, err = n.Withdraw(by, now); err != nil {
		return n, err
	}
	return n, s.put(tx, n)
}

func (s Store) get(tx *store.Tx, id domain.ID) (Notice, bool, error) {
	var n Notice
	found, err := s.GetJSON(store.BucketOf(tx, store.NoticesBucket), id[:], &n)
	return n, found, err
}

// Notices lists every notice the profile holds, the latest window first.
// Anyone may read them, signed in or not: they are the program's public
// announcements.
func (s Store) Notices() ([]Notice, error) {
	var out []Notice
	err := s.View(func(tx *store.Tx) error {
		var err error
		out, err = s.all(tx)
		return err
	})
	slices.SortFunc(out, func(a, b Notice) int { return b.From.Compare(a.From) })
	return out, err
}

func (s Store) all(tx *store.Tx) ([]Notice, error) {
	var out []Notice
	b := store.BucketOf(tx, store.NoticesBucket)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var n Notice
		if err := s.OpenJSON(b, k, v, &n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// replay writes a notice the feed brings; an older version than the one
// held is skipped.
func (s Store) replay(tx *store.Tx, c *sync.Change) (bool, error) {
	var n Notice
	if err := json.Unmarshal(c.Data, &n); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if n.ID != c.ID {
		return false, nil
	}
	return s.keep(tx, n)
}

func (s Store) keep(tx *store.Tx, n Notice) (bool, error) {
	held, found, err := s.get(tx, n.ID)
	if err != nil || found && held.Version > n.Version {
		return false, err
	}
	return true, s.PutJSON(store.BucketOf(tx, store.NoticesBucket), n.ID[:], n)
}

// KeepNotices writes on a desk the notices the server announces to anyone (read
// before anyone signs in: GET /v1/notices), in one transaction.
func (s Store) KeepNotices(list []Notice) error {
	return s.Update(func(tx *store.Tx) error {
		for _, n := range list {
			if n.ID.IsZero() || n.Version == 0 {
				continue
			}
			if _, err := s.keep(tx, n); err != nil {
				return err
			}
		}
		return nil
	})
}

// MaxPublic is the most notices the server announces to a caller that is
// not signed in.
const MaxPublic = 20

// PublicNotices lists, for anyone, the notices whose windows have not ended at
// now (withdrawn ones too, so that a desk holding one drops it), the
// nearest first, at most MaxPublic.
func (sv Server) PublicNotices(now time.Time) ([]Notice, error) {
	all, err := of(sv.Server).Notices()
	if err != nil {
		return nil, err
	}
	var out []Notice
	for i := len(all) - 1; i >= 0 && len(out) < MaxPublic; i-- {
		if all[i].To.After(now) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// Notices is PublicNotices at the server's clock (GET /v1/notices).
func (sv Server) Notices() ([]Notice, error) { return sv.PublicNotices(sv.Store().Now()) }

// ScheduleNotice schedules a notice as the system (dossierd admin notice).
func (sv Server) ScheduleNotice(from, to time.Time, en, fr string) (Notice, error) {
	return of(sv.Server).ScheduleNotice(account.Actor{Role: account.System}, from, to, en, fr)
}

// WithdrawNotice withdraws a notice as the system.
func (sv Server) WithdrawNotice(id domain.ID) (Notice, error) {
	return of(sv.Server).WithdrawNotice(account.Actor{Role: account.System}, id)
}

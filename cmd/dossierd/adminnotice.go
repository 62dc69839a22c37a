package main

import (
	"flag"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/store/programs"
)

// noticeStep schedules or withdraws a maintenance notice: on the store as
// the system, or through the running server as a program officer, whose
// desk proposes the same command the officers' screen does.
func (m *Main) noticeStep(fs *flag.FlagSet) adminStep {
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	en := fs.String("en", "", "")
	fr := fs.String("fr", "", "")
	withdraw := fs.String("withdraw", "", "")
	return adminStep{
		local: func(sv programs.Server) error {
			if *withdraw != "" {
				return m.withdrawNotice(sv, *withdraw)
			}
			return m.scheduleNotice(sv, *from, *to, *en, *fr)
		},
		remote: func(d *officerDesk) (func(), error) {
			if *withdraw != "" {
				id, err := domain.ParseID(*withdraw)
				if err != nil {
					return nil, cli.Bad("cli.flag.value", "--withdraw")
				}
				n, err := d.st.WithdrawNotice(d.by, id)
				return func() { m.say("dossierd.notice.withdrawn", n.ID.String()) }, err
			}
			start, end, err := noticeWindow(*from, *to, *en, *fr)
			if err != nil {
				return nil, err
			}
			n, err := d.st.ScheduleNotice(d.by, start, end, *en, *fr)
			return func() {
				m.say("dossierd.notice.scheduled", n.ID.String(), m.tr.DateTime(n.From.Local()), m.tr.DateTime(n.To.Local()))
			}, err
		},
	}
}

// noticeWindow checks that every flag is given and reads the window.
func noticeWindow(from, to, en, fr string) (time.Time, time.Time, error) {
	for _, f := range []struct{ name, v string }{{"from", from}, {"to", to}, {"en", en}, {"fr", fr}} {
		if f.v == "" {
			return time.Time{}, time.Time{}, cli.Bad("cli.flag.required", f.name)
		}
	}
	start, err := noticeTime(from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	end, err := noticeTime(to)
	return start, end, err
}

// scheduleNotice announces a maintenance window to every desk, as the
// system: the times are the server machine's local time unless they
// carry their offset.
func (m *Main) scheduleNotice(sv programs.Server, from, to, en, fr string) error {
	start, end, err := noticeWindow(from, to, en, fr)
	if err != nil {
		return err
	}
	n, err := sv.ScheduleNotice(start, end, en, fr)
	if err != nil {
		return err
	}
	m.say("dossierd.notice.scheduled", n.ID.String(), m.tr.DateTime(n.From.Local()), m.tr.DateTime(n.To.Local()))
	return nil
}

// withdrawNotice takes a notice back before its window starts.
func (m *Main) withdrawNotice(sv programs.Server, id string) error {
	nid, err := domain.ParseID(id)
	if err != nil {
		return cli.Bad("cli.flag.value", "--withdraw")
	}
	n, err := sv.WithdrawNotice(nid)
	if err != nil {
		return err
	}
	m.say("dossierd.notice.withdrawn", n.ID.String())
	return nil
}

// noticeTime reads a notice's time: 2026-03-07T02:00 (local) or with
// its offset (2026-03-07T02:00-05:00, or Z).
func noticeTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.Bad("dossierd.notice.time")
}

package applications

import (
	"context"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
)

// reminder is a deadline of a file (oinp.Deadlines names it) that the
// server reminds the applicant and their representative of by e-mail,
// once, when it is days away or less.
type reminder struct {
	what string // oinp.Deadline.What
	mail string // the letter's kind
	days int
}

// reminders are the deadlines the server writes about: the 14-day window
// to submit [004 §3.1], a request for information's due day, the window
// to ask for an internal review [004 §5.7], and the nomination
// certificate's expiry [004 §6].
var reminders = []reminder{
	{what: "submit", mail: "oinp.window", days: 3},
	{what: "information", mail: "oinp.information", days: 3},
	{what: "review", mail: "oinp.review", days: 7},
	{what: "nomination", mail: "oinp.certificate", days: 30},
}

// RemindDeadlines queues, for each file not withdrawn, a letter for each
// deadline of reminders that is near and not passed on the server's day,
// unless it was sent before (store.Remind); a deadline that moves (an
// extended certificate) is reminded of again. Each file's letters are
// their own transaction. It returns how many reminders it queued.
func (sv Server) RemindDeadlines(ctx context.Context) (int, error) {
	s := of(sv.Server)
	now := s.Now()
	today := domain.DateOf(now)
	var files []domain.ID
	err := s.View(func(tx *store.Tx) error {
		b := store.BucketOf(tx, store.ApplicationsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec ApplicationRecord
			if err := s.OpenJSON(b, k, v, &rec); err != nil {
				return err
			}
			if len(due(&rec.App, today)) > 0 {
				files = append(files, rec.Applicant)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range files {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		err := s.Update(func(tx *store.Tx) error {
			var rec ApplicationRecord
			found, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), id[:], &rec)
			if err != nil || !found {
				return err
			}
			for _, d := range due(&rec.App, today) {
				key := d.mail + "/" + id.String() + "/" + d.date.String()
				queued, err := s.Remind(tx, now, key, func() error {
					return s.mailFile(tx, &rec, d.mail, now, d.date.String())
				})
				if err != nil {
					return err
				}
				if queued {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

type dueReminder struct {
	mail string
	date domain.Date
}

// due are the reminders of a file that fall today.
func due(a *oinp.Application, today domain.Date) []dueReminder {
	if !a.Withdrawn.IsZero() || a.FileNumber == "" {
		return nil
	}
	var out []dueReminder
	for _, d := range oinp.Deadlines(a, today) {
		for _, r := range reminders {
			if d.What == r.what && d.DaysLeft >= 0 && d.DaysLeft <= r.days {
				out = append(out, dueReminder{mail: r.mail, date: d.Date})
			}
		}
	}
	return out
}

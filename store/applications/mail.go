package applications

import (
	"time"

	"dossier/store"
)

// mailFile tells a file's applicant, and its active representative, by a
// letter of kind (none when kind is empty) naming the file number (and
// args after it, a deadline's date) only: what was decided stays in
// Dossier, behind their sign-in. It runs in the
// action's transaction; a desk queues nothing.
func (s Store) mailFile(tx *store.Tx, rec *ApplicationRecord, kind string, now time.Time, args ...string) error {
	if kind == "" || !s.SendsMail() {
		return nil
	}
	args = append([]string{string(rec.App.FileNumber)}, args...)
	if err := s.MailAccount(tx, now, rec.Applicant, kind, args...); err != nil {
		return err
	}
	if rep, ok := rec.App.ActiveRepresentative(); ok {
		return s.MailAccount(tx, now, rep.Account, kind, args...)
	}
	return nil
}

package store

import (
	"bytes"
	"encoding/hex"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
)

// The mail outbox. An action that tells someone by e-mail queues a Mail in
// the same transaction as the action itself, so that a letter is sent if
// and only if what it announces happened. The server's sender
// (sync/server/mail) renders it in the recipient's language from the
// catalog's "mail.<kind>.subject" and "mail.<kind>.body" messages, with
// Args as their arguments, and hands it to the SMTP relay; a letter the
// relay does not accept waits and is tried again later. A desk queues
// nothing: its commands reach the server, whose own run of the same action
// queues the letter once.

// Mail is one letter waiting for the relay.
type Mail struct {
	ID   domain.ID `json:"id"`
	To   string    `json:"to"`             // the recipient's address
	Name string    `json:"name,omitempty"` // their name, for the To header
	Lang string    `json:"lang"`           // translations.Lang: "en" or "fr-CA"
	// Kind names the letter: its catalog messages are
	// "mail.<Kind>.subject" and "mail.<Kind>.body".
	Kind string   `json:"kind"`
	Args []string `json:"args,omitempty"`

	Queued   time.Time `json:"queued"`
	Attempts int       `json:"attempts,omitempty"`
	// Next is when the sender may try it again after a failure.
	Next time.Time `json:"next,omitzero"`
	// Failure is the relay's last answer, with no address or content in
	// it (an SMTP reply code and its class).
	Failure string `json:"failure,omitempty"`
	// GaveUp is when the sender stopped trying: the relay refused the
	// letter for good (a 5xx reply), or it kept failing for longer than
	// the sender waits. The letter stays in the outbox, not sent, for
	// the operator to see (dossierd admin mail); it is never tried again.
	GaveUp time.Time `json:"gave_up,omitzero"`
}

// QueueMail files m in the outbox within tx, on the server; a desk's
// profile has no outbox for mail and queues nothing. A letter with no
// address is dropped: the person gave none.
func (s *Store) QueueMail(tx *Tx, now time.Time, m Mail) error {
	if !s.side.server() || m.To == "" {
		return nil
	}
	id, err := s.NewID(now)
	if err != nil {
		return err
	}
	m.ID, m.Queued = id, now
	if err := s.PutJSON(BucketOf(tx, MailBucket), id[:], m); err != nil {
		return err
	}
	tx.OnCommit(s.mailBell.ring)
	return nil
}

// MailAccount queues a letter of kind to the account's own address, in its
// language. An account with no address, or none at all, gets nothing.
func (s *Store) MailAccount(tx *Tx, now time.Time, id domain.ID, kind string, args ...string) error {
	if !s.side.server() {
		return nil
	}
	var a Account
	found, err := s.GetJSON(BucketOf(tx, AccountsBucket), id[:], &a)
	if err != nil || !found {
		return err
	}
	lang := a.Lang
	if lang == "" {
		lang = "en"
	}
	return s.QueueMail(tx, now, Mail{To: a.Email, Name: a.GivenNames + " " + a.FamilyName, Lang: lang, Kind: kind, Args: args})
}

// MailBell rings after every commit that queued a letter, so that the
// sender wakes without polling.
func (s *Store) MailBell() <-chan struct{} { return s.mailBell.wait() }

// DueMail lists up to limit letters the sender may try at now, oldest
// first.
func (s *Store) DueMail(now time.Time, limit int) ([]Mail, error) {
	var out []Mail
	err := s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, MailBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var m Mail
			if err := s.OpenJSON(b, k, v, &m); err != nil {
				return err
			}
			if m.Next.After(now) || !m.GaveUp.IsZero() {
				continue
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// MailWaiting counts the letters in the outbox the sender will still try:
// not those it gave up on.
func (s *Store) MailWaiting() (int, error) {
	all, err := s.MailOutbox()
	n := 0
	for _, m := range all {
		if m.GaveUp.IsZero() {
			n++
		}
	}
	return n, err
}

// MailOutbox lists every letter in the outbox, oldest first: those
// waiting and those the sender gave up on.
func (s *Store) MailOutbox() ([]Mail, error) {
	var out []Mail
	err := s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, MailBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var m Mail
			if err := s.OpenJSON(b, k, v, &m); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// MailSent forgets a letter the relay accepted.
func (s *Store) MailSent(id domain.ID) error {
	return s.db.Update(func(tx *Tx) error { return tx.Bucket(MailBucket).Delete(id[:]) })
}

// MailFailed records a failed attempt: the letter waits until next.
func (s *Store) MailFailed(id domain.ID, next time.Time, failure string) error {
	return s.updateMail(id, func(m *Mail) { m.Attempts++; m.Next, m.Failure = next, failure })
}

// MailGaveUp records the sender's last attempt and that it gives the
// letter up at now: kept, never tried again.
func (s *Store) MailGaveUp(id domain.ID, now time.Time, failure string) error {
	return s.updateMail(id, func(m *Mail) { m.Attempts++; m.GaveUp, m.Failure = now, failure })
}

func (s *Store) updateMail(id domain.ID, change func(*Mail)) error {
	return s.db.Update(func(tx *Tx) error {
		b := BucketOf(tx, MailBucket)
		var m Mail
		found, err := s.GetJSON(b, id[:], &m)
		if err != nil || !found {
			return err
		}
		change(&m)
		return s.PutJSON(b, id[:], m)
	})
}

// SendsMail reports whether this store queues letters: the server's
// does, a desk's never. A program checks it before it reads what only a
// letter needs (the school's name, the file's applicant).
func (s *Store) SendsMail() bool { return s.side.server() }

// MailLang is the language a desk said its person reads, as an account
// keeps it: "fr-CA" or "en", and "" for anything else (an old desk that
// says nothing: the letters go in English).
func MailLang(lang string) string {
	switch lang {
	case "fr-CA", "fr":
		return "fr-CA"
	case "en":
		return "en"
	}
	return ""
}

// KeepMailLang records the language the desk of the account userID names
// speaks, after its person signed in there: their letters go in it from
// now on. It writes only when the language changes; a language Dossier
// does not speak changes nothing.
func (sv *Server) KeepMailLang(userID, lang string) error {
	lang = MailLang(lang)
	uid, err := account.CleanUserID(userID)
	if lang == "" || err != nil {
		return nil
	}
	uh := sv.st.kr.Hash(hashUserID, uid)
	var a Account
	var id []byte
	err = sv.st.db.View(func(tx *Tx) error {
		id = bytes.Clone(tx.Bucket(ixUserID).Get(uh[:]))
		if id == nil {
			return nil
		}
		found, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), id, &a)
		if !found {
			id = nil
		}
		return err
	})
	if err != nil || id == nil || a.Lang == lang {
		return err
	}
	return sv.st.db.Update(func(tx *Tx) error {
		found, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), id, &a)
		if err != nil || !found {
			return err
		}
		a.Lang = lang
		return sv.st.PutAccount(tx, &a, false)
	})
}

// Remind runs queue, within tx, unless the reminder key was queued
// before, and records it: a periodic job's reminder is sent once. It
// reports whether queue ran.
func (s *Store) Remind(tx *Tx, now time.Time, key string, queue func() error) (bool, error) {
	b := tx.Bucket(RemindersBucket)
	if b.Get([]byte(key)) != nil {
		return false, nil
	}
	if err := queue(); err != nil {
		return false, err
	}
	v, err := now.MarshalBinary()
	if err != nil {
		return false, err
	}
	return true, b.Put([]byte(key), v)
}

// mailPIN tells the person a PIN was issued for, when its issuer gave
// their address, that it waits for them and for which organisation:
// never the PIN, which reaches them by hand or registered mail [001]. The
// letter goes in the issuer's language, the best guess of theirs.
func (s *Store) mailPIN(tx *Tx, by account.Actor, pin *account.PIN, now time.Time) error {
	if !s.side.server() || pin.Email == "" {
		return nil
	}
	org := ""
	if in, err := s.InstitutionIn(tx, pin.Org); err == nil {
		org = in.Name
	} else if biz, err := s.BusinessOf(tx, pin.Org); err == nil {
		var b employer.Business
		if _, err := s.GetJSON(BucketOf(tx, BusinessesBucket), biz[:], &b); err != nil {
			return err
		}
		org = b.LegalName
	}
	lang := "en"
	var issuer Account
	if found, err := s.GetJSON(BucketOf(tx, AccountsBucket), by.Account[:], &issuer); err != nil {
		return err
	} else if found && issuer.Lang != "" {
		lang = issuer.Lang
	}
	return s.QueueMail(tx, now, Mail{To: pin.Email, Name: pin.GivenNames + " " + pin.FamilyName, Lang: lang,
		Kind: "pin.issued", Args: []string{org}})
}

// QueueMailOnce queues m unless a letter of its kind was queued for its
// address in the same period (a day's date, say): a letter an anonymous
// caller can make the server write to an address of their choosing goes
// there once a period, however often they ask. The record is keyed by a
// keyed hash of the address, never the address.
func (s *Store) QueueMailOnce(tx *Tx, now time.Time, m Mail, period string) error {
	if !s.side.server() || m.To == "" {
		return nil
	}
	h := s.kr.Hash(hashMailTo, strings.ToLower(m.To))
	key := "once/" + m.Kind + "/" + hex.EncodeToString(h[:]) + "/" + period
	_, err := s.Remind(tx, now, key, func() error { return s.QueueMail(tx, now, m) })
	return err
}

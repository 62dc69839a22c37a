package store

import (
	"dossier/domain"
	"dossier/domain/account"
)

// Drafts are what a person was typing when their session locked or the app
// closed: kept sealed in the profile, per account and per form, until the
// form takes them back. They never leave the desk.

func draftKey(by account.Actor, form string) []byte {
	return append(append([]byte{}, by.Account[:]...), form...)
}

// SaveDraft keeps the form's unsaved content for the person.
func (s *Store) SaveDraft(by account.Actor, form string, content []byte) error {
	if by.Account.IsZero() || form == "" {
		return domain.Errorf(account.ErrForbidden)
	}
	return s.db.Update(func(tx *Tx) error {
		key := draftKey(by, form)
		sealed, err := s.kr.Seal(draftsBucket, key, content)
		if err != nil {
			return err
		}
		return tx.Bucket(draftsBucket).Put(key, sealed)
	})
}

// TakeDraft returns the person's draft of the form and forgets it; nil
// when there is none.
func (s *Store) TakeDraft(by account.Actor, form string) ([]byte, error) {
	var out []byte
	err := s.db.Update(func(tx *Tx) error {
		key := draftKey(by, form)
		b := tx.Bucket(draftsBucket)
		sealed := b.Get(key)
		if sealed == nil {
			return nil
		}
		plain, err := s.kr.Open(nil, draftsBucket, key, sealed)
		if err != nil {
			return domain.Wrap(ErrCorrupt, err)
		}
		out = plain
		return b.Delete(key)
	})
	return out, err
}

// PeekDraft returns the person's draft of the form and keeps it; nil
// when there is none. The shell's drafts (ui/drafts.go) stay until the
// record is saved or the changes are discarded.
func (s *Store) PeekDraft(by account.Actor, form string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *Tx) error {
		key := draftKey(by, form)
		sealed := tx.Bucket(draftsBucket).Get(key)
		if sealed == nil {
			return nil
		}
		plain, err := s.kr.Open(nil, draftsBucket, key, sealed)
		if err != nil {
			return domain.Wrap(ErrCorrupt, err)
		}
		out = plain
		return nil
	})
	return out, err
}

// DeleteDraft forgets the person's draft of the form (saved for real, or
// discarded).
func (s *Store) DeleteDraft(by account.Actor, form string) error {
	if by.Account.IsZero() || form == "" {
		return domain.Errorf(account.ErrForbidden)
	}
	return s.db.Update(func(tx *Tx) error {
		return tx.Bucket(draftsBucket).Delete(draftKey(by, form))
	})
}

// metaDemo holds, sealed, what a demo profile was built with (accounts and
// unused PINs), so that the sign-in screen can show them.
var metaDemo = []byte("demo")

// SetDemoNotes records what a demo profile holds.
func (s *Store) SetDemoNotes(content []byte) error {
	return s.db.Update(func(tx *Tx) error {
		sealed, err := s.kr.Seal(MetaBucket, metaDemo, content)
		if err != nil {
			return err
		}
		return tx.Bucket(MetaBucket).Put(metaDemo, sealed)
	})
}

// DemoNotes returns what SetDemoNotes recorded; nil for a real profile.
func (s *Store) DemoNotes() ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *Tx) error {
		sealed := tx.Bucket(MetaBucket).Get(metaDemo)
		if sealed == nil {
			return nil
		}
		plain, err := s.kr.Open(nil, MetaBucket, metaDemo, sealed)
		if err != nil {
			return domain.Wrap(ErrCorrupt, err)
		}
		out = plain
		return nil
	})
	return out, err
}

package store

import (
	"dossier/domain"
	"dossier/domain/account"
)

// Personal settings are how a person left their desk (the queue's
// search, filters, sort, scroll and column widths): kept sealed in the
// profile, per account and per name, and read back each time, unlike a
// draft, which is taken once. A search can be a name: sealed like any
// personal data, never in the plain preferences. They never leave the
// desk.

// SavePersonal keeps the person's setting of name.
func (s *Store) SavePersonal(by account.Actor, name string, content []byte) error {
	if by.Account.IsZero() || name == "" {
		return domain.Errorf(account.ErrForbidden)
	}
	return s.db.Update(func(tx *Tx) error {
		// Files made before the bucket was declared get it here.
		if err := tx.CreateBucketIfNotExists(personalBucket); err != nil {
			return err
		}
		key := draftKey(by, name)
		sealed, err := s.kr.Seal(personalBucket, key, content)
		if err != nil {
			return err
		}
		return tx.Bucket(personalBucket).Put(key, sealed)
	})
}

// Personal returns the person's setting of name; nil when there is none.
func (s *Store) Personal(by account.Actor, name string) ([]byte, error) {
	if by.Account.IsZero() || name == "" {
		return nil, domain.Errorf(account.ErrForbidden)
	}
	var out []byte
	err := s.db.View(func(tx *Tx) error {
		b := tx.Bucket(personalBucket)
		if b == nil {
			return nil
		}
		key := draftKey(by, name)
		sealed := b.Get(key)
		if sealed == nil {
			return nil
		}
		plain, err := s.kr.Open(nil, personalBucket, key, sealed)
		if err != nil {
			return domain.Wrap(ErrCorrupt, err)
		}
		out = plain
		return nil
	})
	return out, err
}

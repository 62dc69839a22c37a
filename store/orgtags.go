package store

import (
	gosync "sync"

	"dossier/domain"
)

// orgTagsKey is the Local key of the tags a store has read.
type orgTagsKey struct{}

// ReadOrgTag is OrgTag for reading: the organisation's tag, 0 while it has
// none. A tag, once given, is never changed nor given to another
// organisation, so the tags a committed state holds are kept in memory for
// the store's life and read from there: every queue page and EVN lookup
// starts by reading one. A tag read inside a write transaction may yet be
// rolled back, and a remote backend's transactions do not say which they
// are: those are read from the store each time.
func (s *Store) ReadOrgTag(tx *Tx, org domain.ID) (uint32, error) {
	tags := s.Local(orgTagsKey{}, func() any { return new(gosync.Map) }).(*gosync.Map)
	if v, ok := tags.Load(org); ok {
		return v.(uint32), nil
	}
	tag, err := OrgTag(tx, org, false)
	if err == nil && tag != 0 && tx.b != nil && !tx.writable() {
		tags.Store(org, tag)
	}
	return tag, err
}

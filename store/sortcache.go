package store

import (
	"bytes"
	"cmp"
	"slices"
	gosync "sync"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
)

// sortCache keeps, in memory only, what the queue sorts by that lives
// inside the sealed records (names, birth dates, client IDs…), so that
// sorting a school's whole queue by name need not decrypt every request
// each time. An entry is dropped whenever its request is written; it is
// rebuilt from the record on the next sort.
type sortCache struct {
	mu gosync.Mutex
	m  map[domain.ID]*sortEntry
}

// sortEntry is one request's sortable values.
type sortEntry struct {
	family, given string
	birth         int32
	client        string
	studentNo     string
	evn           string
	assignee      domain.ID
	// names holds the collation key of "family given" per collation.
	names map[string][]byte
}

func (c *sortCache) put(id domain.ID, e *sortEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[domain.ID]*sortEntry{}
	}
	c.m[id] = e
}

// forget drops a request's entry: called for every write, before commit,
// so a rolled-back write only costs a rebuild.
func (c *sortCache) forget(id domain.ID) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

func entryOf(r *ens.Request) *sortEntry {
	return &sortEntry{family: r.Student.FamilyName, given: r.Student.GivenNames, birth: r.Student.BirthDate.Days(),
		client: string(r.Student.ClientID), studentNo: r.Student.StudentNumber, evn: string(r.EVN),
		assignee: r.Assignee, names: map[string][]byte{}}
}

// sortByRecord orders ids by a column held in the records, using and
// filling the cache; ties go by ID (received order).
func (q *query) sortByRecord(ids []domain.ID) ([]domain.ID, error) {
	entries := make(map[domain.ID]*sortEntry, len(ids))
	q.s.sorts.mu.Lock()
	for _, id := range ids {
		if e := q.s.sorts.m[id]; e != nil {
			entries[id] = e
		}
	}
	q.s.sorts.mu.Unlock()
	for _, id := range ids {
		if entries[id] != nil {
			continue
		}
		r, ok, err := q.load(id)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		e := entryOf(&r)
		q.s.sorts.put(id, e)
		entries[id] = e
	}
	var col *collate.Collator
	var buf collate.Buffer
	tag := q.collation()
	ctag := tag.String()
	keyOf := func(e *sortEntry) []byte {
		q.s.sorts.mu.Lock()
		k, ok := e.names[ctag]
		q.s.sorts.mu.Unlock()
		if ok {
			return k
		}
		if col == nil {
			col = collate.New(tag)
		}
		k = slices.Clone(col.KeyFromString(&buf, e.family+"\x00"+e.given))
		buf.Reset()
		q.s.sorts.mu.Lock()
		e.names[ctag] = k
		q.s.sorts.mu.Unlock()
		return k
	}
	type item struct {
		id  domain.ID
		e   *sortEntry
		key []byte
	}
	items := make([]item, 0, len(entries))
	for _, id := range ids {
		if e, ok := entries[id]; ok {
			it := item{id: id, e: e}
			if q.f.Sort == SortName {
				it.key = keyOf(e)
			}
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		var c int
		switch q.f.Sort {
		case SortName:
			c = bytes.Compare(a.key, b.key)
		case SortBirth:
			c = cmp.Compare(a.e.birth, b.e.birth)
		case SortClientID:
			c = cmp.Compare(a.e.client, b.e.client)
		case SortStudentNo:
			c = cmp.Compare(a.e.studentNo, b.e.studentNo)
		case SortEVN:
			c = cmp.Compare(a.e.evn, b.e.evn)
		case SortAssignee:
			c = bytes.Compare(a.e.assignee[:], b.e.assignee[:])
		}
		if c == 0 {
			c = bytes.Compare(a.id[:], b.id[:])
		}
		if q.f.Desc {
			c = -c
		}
		return c
	})
	out := make([]domain.ID, len(items))
	for i, it := range items {
		out[i] = it.id
	}
	return out, nil
}

// WarmSortKeys fills the in-memory sort cache for a school's queue in the
// given language, so that the first sort by name is as quick as the next.
// The desk calls it in the background after signing in.
func (s *Store) WarmSortKeys(by account.Actor, school domain.ID, lang language.Tag) error {
	if err := s.canReadSchool(by, school); err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error {
		tag, err := orgTag(tx, school, false)
		if err != nil || tag == 0 {
			return err
		}
		q := &query{s: s, tx: tx, tag: tag, now: s.now(),
			f: QueueFilter{School: school, Sort: SortName, Language: lang}}
		_, err = q.sortByRecord(slices.Collect(q.streamIDs()))
		return err
	})
}

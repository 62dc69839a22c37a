package requests

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// sortCache keeps, in memory only, what the queue sorts by that lives
// inside the sealed records (names, birth dates, client IDs…), so that
// sorting a school's whole queue by name need not decrypt every request
// each time. A committed write drops its request's entry; the next sort
// rebuilds it from the record.
type sortCache struct {
	mu gosync.Mutex
	m  map[domain.ID]*sortEntry
	// dirty says m changed since it was loaded or saved (sortsaved.go),
	// and loaded that the saved cache was read (or found missing).
	dirty, loaded bool
	fromDisk      int // entries the load kept, for the tests
	walks         int // stamp walks the load ran, for the tests
	// markerEpoch counts, from 1, the saves that may have put the saved
	// cache's marker in the file (sortsaved.go), each in its transaction;
	// markerGone is the epoch in which a committed write last found it
	// gone. While the two are equal, a write need not look for it.
	markerEpoch, markerGone atomic.Uint64
	// gen counts committed writes. A reader notes it before its read
	// transaction begins and stores what it decrypted only if no write
	// committed since: otherwise its snapshot may be older than the
	// write, and the entry would outlive the change it missed.
	gen uint64
}

// sortEntry is one request's sortable values.
type sortEntry struct {
	received, expires time.Time
	status            ens.Status
	typ               ens.Type
	family, given     string
	birth             int32
	client            string
	studentNo         string
	evn               string
	assignee          domain.ID
	// names holds the collation key of "family given" per collation
	// (one or two: the languages the desk shows).
	names []collationKey
	// stamp is the first bytes of the sealed record the entry was made
	// from, whose random nonce changes at every write: the save keeps the
	// entry only while its record still starts with them (sortsaved.go).
	stamp [sortStamp]byte
}

// collationKey is a name's key under one collation, and where the name
// came in the last sort by name under it (rank+1; 0 when not sorted
// yet): the next sort starts from that order, which it then only checks.
type collationKey struct {
	tag  string
	key  []byte
	rank uint32
}

// collationTags holds one string per collation tag seen, so that every
// collationKey.tag and every query's tag share it: comparing two of them
// is then a pointer comparison, not a walk of 15 bytes, and a sort of
// 50,000 names compares tags about 150,000 times.
var collationTags gosync.Map

// internTag is the one shared string equal to tag.
func internTag(tag string) string {
	if v, ok := collationTags.Load(tag); ok {
		return v.(string)
	}
	// A copy: tag may be a slice of a large decoded buffer, which the
	// map would otherwise keep alive.
	v, _ := collationTags.LoadOrStore(tag, strings.Clone(tag))
	return v.(string)
}

// nameKey is e's key under collation tag, if computed.
func (e *sortEntry) nameKey(tag string) ([]byte, bool) {
	for _, k := range e.names {
		if k.tag == tag {
			return k.key, true
		}
	}
	return nil, false
}

func (c *sortCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps e unless a write committed after generation gen was read.
func (c *sortCache) put(id domain.ID, e *sortEntry, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil {
		c.m = map[domain.ID]*sortEntry{}
	}
	c.m[id] = e
	c.dirty = true
}

// forget drops a request's entry once a write to it has committed.
func (c *sortCache) forget(id domain.ID) {
	c.mu.Lock()
	delete(c.m, id)
	c.gen++
	c.dirty = true
	c.mu.Unlock()
}

func entryOf(r *ens.Request) *sortEntry {
	return &sortEntry{received: r.Received, expires: r.Expires, status: r.Status, typ: r.Type,
		family: r.Student.FamilyName, given: r.Student.GivenNames, birth: r.Student.BirthDate.Days(),
		client: string(r.Student.ClientID), studentNo: r.Student.StudentNumber, evn: string(r.EVN),
		assignee: r.Assignee}
}

// sortByRecord orders ids by the filter's column, using and filling the
// cache; ties go by ID (received order).
func (q *query) sortByRecord(ids []domain.ID) ([]domain.ID, error) {
	q.s.loadSorts(q.tx, q.sorts, q.gen)
	entries := make([]*sortEntry, len(ids))
	q.sorts.mu.Lock()
	for i, id := range ids {
		entries[i] = q.sorts.m[id]
	}
	q.sorts.mu.Unlock()
	order, kept := ids[:0:0], entries[:0]
	for i, id := range ids {
		e := entries[i]
		if e == nil {
			r, ok, err := q.load(id)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			e = entryOf(&r)
			e.stamp = q.reqs.stamp
			q.sorts.put(id, e, q.gen)
		}
		order = append(order, id)
		kept = append(kept, e)
	}
	return q.sortEntries(order, kept), nil
}

// sortRequests orders already decrypted requests by the filter's column.
func (q *query) sortRequests(rows []ens.Request) []domain.ID {
	ids := make([]domain.ID, len(rows))
	entries := make([]*sortEntry, len(rows))
	if q.reqs == nil {
		q.reqs = newRequestReader(q.tx)
	}
	for i := range rows {
		ids[i] = rows[i].ID
		entries[i] = entryOf(&rows[i])
		// The record is in the same snapshot the row was decrypted
		// from: its stamp is the row's.
		q.reqs.sealed(ids[i])
		entries[i].stamp = q.reqs.stamp
		q.sorts.put(ids[i], entries[i], q.gen)
	}
	return q.sortEntries(ids, entries)
}

// sortEntries is the one ordering of the queue's columns for rows whose
// values are at hand: entries[i] is the values of ids[i].
func (q *query) sortEntries(ids []domain.ID, entries []*sortEntry) []domain.ID {
	type item struct {
		id  domain.ID
		e   *sortEntry
		key []byte
	}
	items := make([]item, len(ids))
	for i, id := range ids {
		items[i] = item{id: id, e: entries[i]}
	}
	var ctag string
	if q.f.Sort == SortName {
		// The keys already made are read under one lock, the missing ones
		// made outside it and kept under one more.
		tag := q.collation()
		ctag = internTag(tag.String())
		var missing []int
		q.sorts.mu.Lock()
		for i := range items {
			if k, ok := items[i].e.nameKey(ctag); ok {
				items[i].key = k
			} else {
				missing = append(missing, i)
			}
		}
		q.sorts.mu.Unlock()
		if len(missing) > 0 {
			col := collate.New(tag)
			var buf collate.Buffer
			for _, i := range missing {
				e := items[i].e
				items[i].key = slices.Clone(col.KeyFromString(&buf, e.family+"\x00"+e.given))
				buf.Reset()
			}
			q.sorts.mu.Lock()
			for _, i := range missing {
				if e := items[i].e; !slices.ContainsFunc(e.names, func(k collationKey) bool { return k.tag == ctag }) {
					e.names = append(e.names, collationKey{tag: ctag, key: items[i].key})
				}
			}
			q.sorts.mu.Unlock()
		}
	}
	preordered := false
	if q.f.Sort == SortName {
		ranks := make([]uint32, len(items))
		ranked := true
		q.sorts.mu.Lock()
		for i := range items {
			if ranks[i], ranked = items[i].e.rankFor(ctag); !ranked {
				break
			}
		}
		q.sorts.mu.Unlock()
		if ranked {
			preorder(items, ranks)
			preordered = true
		}
	}
	compare := func(a, b item) int {
		var c int
		switch q.f.Sort {
		case SortName:
			c = bytes.Compare(a.key, b.key)
		case SortReceived:
			c = a.e.received.Compare(b.e.received)
		case SortExpires:
			c = compareTimeZeroLast(a.e.expires, b.e.expires)
		case SortStatus:
			c = cmp.Compare(slices.Index(ens.Statuses, a.e.status), slices.Index(ens.Statuses, b.e.status))
		case SortType:
			c = cmp.Compare(slices.Index(ens.Types, a.e.typ), slices.Index(ens.Types, b.e.typ))
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
	}
	if q.f.Sort == SortName && !q.f.Desc {
		// The common sort, by name A to Z, compares the keys alone.
		compare = func(a, b item) int {
			if c := bytes.Compare(a.key, b.key); c != 0 {
				return c
			}
			return bytes.Compare(a.id[:], b.id[:])
		}
	}
	// Rows preordered by their last sort are usually in order already:
	// one pass says so (other rows are sorted without it).
	if !preordered || !slices.IsSortedFunc(items, compare) {
		slices.SortFunc(items, compare)
	}
	out := make([]domain.ID, len(items))
	for i, it := range items {
		out[i] = it.id
	}
	if q.f.Sort == SortName {
		q.sorts.mu.Lock()
		for i, it := range items {
			r := i
			if q.f.Desc {
				r = len(items) - 1 - i
			}
			it.e.setRank(ctag, uint32(r))
		}
		q.sorts.mu.Unlock()
	}
	return out
}

// rankFor is e's place in the last sort by name under collation tag.
func (e *sortEntry) rankFor(tag string) (uint32, bool) {
	for _, k := range e.names {
		if k.tag == tag && k.rank > 0 {
			return k.rank - 1, true
		}
	}
	return 0, false
}

func (e *sortEntry) setRank(tag string, r uint32) {
	for i := range e.names {
		if e.names[i].tag == tag {
			e.names[i].rank = r + 1
		}
	}
}

// preorder puts items in the order of their last sort, ranks[i] being
// items[i]'s place in it (a queue sorted the same way before, perhaps in
// an earlier session): the sort that follows then finds its input in
// order, which costs it one pass instead of a million comparisons.
func preorder[T any](items []T, ranks []uint32) {
	// Ranks from a sort of the same rows are 0 to n-1, once each: each
	// row goes straight to its place.
	sorted := make([]T, len(items))
	placed := make([]bool, len(items))
	permutation := true
	for i, r := range ranks {
		if int(r) >= len(items) || placed[r] {
			permutation = false
			break
		}
		placed[r] = true
		sorted[r] = items[i]
	}
	if permutation {
		copy(items, sorted)
		return
	}
	idx := make([]int32, len(items))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return cmp.Compare(ranks[a], ranks[b]) })
	for i, j := range idx {
		sorted[i] = items[j]
	}
	copy(items, sorted)
}

// WarmSortKeys fills the in-memory sort cache for a school's queue in the
// given language, so that the first sort by name is as quick as the next.
// The desk calls it in the background after signing in.
func (s Store) WarmSortKeys(by account.Actor, school domain.ID, lang language.Tag) error {
	if err := s.canReadSchool(by, school); err != nil {
		return err
	}
	gen := s.sorts().generation()
	return s.View(func(tx *store.Tx) error {
		tag, err := store.OrgTag(tx, school, false)
		if err != nil || tag == 0 {
			return err
		}
		q := &query{s: s, tx: tx, tag: tag, now: s.Now(), gen: gen, sorts: s.sorts(),
			f: QueueFilter{School: school, Sort: SortName, Language: lang}}
		_, err = q.sortByRecord(slices.Collect(q.streamIDs()))
		return err
	})
}

// sortsKey names the sort cache among the store's locals.
type sortsKey struct{}

// sorts is this store's sort cache.
func (s Store) sorts() *sortCache {
	// (A cache made by a race that LoadOrStore lost stays empty, and an
	// empty cache is not saved.)
	return s.Local(sortsKey{}, func() any {
		c := new(sortCache)
		c.markerEpoch.Store(1) // the last close's marker may be there
		s.keepAtClose(c)
		return c
	}).(*sortCache)
}

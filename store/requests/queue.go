package requests

import (
	"encoding/binary"
	"iter"
	"slices"
	"time"

	"golang.org/x/text/language"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
)

// SortColumn is a column of the DIR queue the rows can be sorted by.
type SortColumn string

// The sortable columns.
const (
	SortReceived  SortColumn = "received"
	SortExpires   SortColumn = "expires"
	SortStatus    SortColumn = "status"
	SortType      SortColumn = "type"
	SortName      SortColumn = "name"
	SortBirth     SortColumn = "birth"
	SortClientID  SortColumn = "client"
	SortStudentNo SortColumn = "studentno"
	SortEVN       SortColumn = "evn"
	SortAssignee  SortColumn = "assignee"
)

// SortColumns lists every sortable column.
var SortColumns = []SortColumn{SortReceived, SortExpires, SortStatus, SortType, SortName,
	SortBirth, SortClientID, SortStudentNo, SortEVN, SortAssignee}

// ParseSortColumn reads a column name.
func ParseSortColumn(s string) (SortColumn, error) {
	if s == "" {
		return SortReceived, nil
	}
	if c := SortColumn(s); slices.Contains(SortColumns, c) {
		return c, nil
	}
	return "", domain.FieldError(store.ErrUnknownSort, "sort", s)
}

// QueueFilter selects and orders a page of a school's DIR queue.
type QueueFilter struct {
	School   domain.ID
	Statuses []ens.Status // none: every status
	Types    []ens.Type   // none: every type
	Assignee domain.ID    // zero: anyone's
	// ExpiringWithin keeps open requests that lapse within this long from
	// now (and those already past their time); zero keeps all.
	ExpiringWithin time.Duration
	// Search finds requests by EVN, client ID, student number, date of
	// birth (YYYY-MM-DD) or the start of any word of the student's name,
	// accents and case aside.
	Search string
	Sort   SortColumn
	Desc   bool
	Offset int
	Limit  int
	// Language orders names as that language does (French collation in
	// French); the zero tag sorts as English.
	Language language.Tag
}

// Queue limits.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// QueuePage is one page of the queue. More reports whether rows follow it.
type QueuePage struct {
	Rows []ens.Request
	More bool
}

// Queue returns the page of the school's queue that f selects, reading only
// what the page needs where an index gives the order (received date,
// status, expiry), and the filtered rows otherwise. by must be staff of the
// school or the program.
func (s Store) Queue(by account.Actor, f QueueFilter) (QueuePage, error) {
	if err := s.canReadSchool(by, f.School); err != nil {
		return QueuePage{}, err
	}
	if _, err := ParseSortColumn(string(f.Sort)); err != nil {
		return QueuePage{}, err
	}
	if f.Sort == "" {
		f.Sort = SortReceived
	}
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	f.Limit = min(f.Limit, MaxPageSize)
	f.Offset = max(f.Offset, 0)
	now, gen := s.Now(), s.sorts().generation()
	var page QueuePage
	err := s.View(func(tx *store.Tx) error {
		tag, err := s.ReadOrgTag(tx, f.School)
		if err != nil || tag == 0 {
			return err
		}
		q := &query{s: s, tx: tx, tag: tag, f: f, now: now, gen: gen, sorts: s.sorts()}
		page, err = q.run()
		return err
	})
	return page, err
}

// QueueIDs lists every request f selects, in f's order, ignoring its
// paging: the desk's table pages through the list with Requests.
func (s Store) QueueIDs(by account.Actor, f QueueFilter) ([]domain.ID, error) {
	if err := s.canReadSchool(by, f.School); err != nil {
		return nil, err
	}
	if _, err := ParseSortColumn(string(f.Sort)); err != nil {
		return nil, err
	}
	if f.Sort == "" {
		f.Sort = SortReceived
	}
	now, gen := s.Now(), s.sorts().generation()
	var ids []domain.ID
	err := s.View(func(tx *store.Tx) error {
		tag, err := s.ReadOrgTag(tx, f.School)
		if err != nil || tag == 0 {
			return err
		}
		q := &query{s: s, tx: tx, tag: tag, f: f, now: now, gen: gen, sorts: s.sorts()}
		ids, err = q.allIDs()
		return err
	})
	return ids, err
}

// Requests reads the requests with the given IDs, in that order, that by may
// see; IDs of requests that no longer exist are skipped.
func (s Store) Requests(by account.Actor, ids []domain.ID) ([]ens.Request, error) {
	out := make([]ens.Request, 0, len(ids))
	err := s.View(func(tx *store.Tx) error {
		rd := newRequestReader(tx)
		for _, id := range ids {
			r, found, err := s.read(rd, id)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			if err := canRead(by, &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// QueueCount counts the rows f selects (ignoring its paging): from the
// kept counts when only status and type filter, by walking an index
// otherwise.
func (s Store) QueueCount(by account.Actor, f QueueFilter) (int, error) {
	if err := s.canReadSchool(by, f.School); err != nil {
		return 0, err
	}
	now := s.Now()
	n := 0
	err := s.View(func(tx *store.Tx) error {
		tag, err := s.ReadOrgTag(tx, f.School)
		if err != nil || tag == 0 {
			return err
		}
		q := &query{s: s, tx: tx, tag: tag, f: f, now: now, sorts: s.sorts()}
		n, err = q.count()
		return err
	})
	return n, err
}

func (s Store) canReadSchool(by account.Actor, school domain.ID) error {
	switch by.Role {
	case account.ProgramOfficer, account.System:
		return nil
	}
	return account.Authorize(by, account.WorkQueue, school)
}

// query is one evaluation of a QueueFilter inside a read transaction.
type query struct {
	s   Store
	tx  *store.Tx
	tag uint32
	f   QueueFilter
	now time.Time
	// term is the parsed search, read once per query.
	term *searchTerm
	// gen is the sort cache's generation before the transaction began.
	gen uint64
	// sorts is the store's sort cache, looked up once per query.
	sorts *sortCache
	// reqs reads the requests, made once per query.
	reqs *requestReader
}

// statuses are the statuses the filter walks: the ones it names (all by
// default), and only the open ones when it asks for what expires soon.
func (q *query) statuses() []ens.Status {
	sts := q.f.Statuses
	if len(sts) == 0 {
		sts = ens.Statuses
	}
	if q.f.ExpiringWithin > 0 {
		sts = slices.DeleteFunc(slices.Clone(sts), func(s ens.Status) bool { return !s.Open() })
	}
	return sts
}

func (q *query) run() (QueuePage, error) {
	if q.f.Search != "" {
		ids, err := q.searchCandidates()
		if err != nil {
			return QueuePage{}, err
		}
		if q.f.Sort == SortReceived {
			// IDs are UUIDv7 made when the request was raised: the sorted
			// IDs are in received order, and only the page is decrypted.
			if q.f.Desc {
				slices.Reverse(ids)
			}
			return q.pageOf(slices.Values(ids), true)
		}
	}
	switch {
	case q.f.Search == "" && (q.f.Sort == SortReceived || q.f.Sort == SortStatus):
		return q.pageOf(q.streamIDs(), false)
	case q.f.Search == "" && (q.f.Sort == SortExpires || q.f.Sort == SortType):
		return q.pageOf(slices.Values(q.valueSortedIDs()), false)
	}
	ids, err := q.allIDs()
	if err != nil {
		return QueuePage{}, err
	}
	return q.pageOf(slices.Values(ids), false)
}

// allIDs lists every request the filter selects, in its order: what a
// scrolling table needs to page through without repeating the query.
func (q *query) allIDs() ([]domain.ID, error) {
	switch {
	case q.f.Search != "":
		ids, err := q.searchCandidates()
		if err != nil {
			return nil, err
		}
		rows, err := q.filtered(slices.Values(ids))
		if err != nil {
			return nil, err
		}
		// The matches are decrypted already: hand them to the sort as
		// they are rather than read them again.
		return q.sortRequests(rows), nil
	case q.f.Sort == SortReceived || q.f.Sort == SortStatus:
		return slices.Collect(q.streamIDs()), nil
	case q.f.Sort == SortExpires || q.f.Sort == SortType:
		return q.valueSortedIDs(), nil
	default:
		// The status index already filtered; the order needs the
		// records, which the sort cache keeps between sorts.
		return q.sortByRecord(slices.Collect(q.streamIDs()))
	}
}

func (q *query) count() (int, error) {
	if q.f.Search != "" {
		ids, err := q.searchCandidates()
		if err != nil {
			return 0, err
		}
		n := 0
		for _, id := range ids {
			r, ok, err := q.load(id)
			if err != nil {
				return 0, err
			}
			if ok && q.matches(&r) {
				n++
			}
		}
		return n, nil
	}
	if q.f.ExpiringWithin > 0 || !q.f.Assignee.IsZero() {
		return countSeq(q.streamIDs()), nil
	}
	types := q.f.Types
	if len(types) == 0 {
		types = ens.Types
	}
	n := 0
	counts := q.tx.Bucket(store.CountsBucket)
	for _, st := range q.statuses() {
		for _, t := range types {
			if v := counts.Get(store.CountKey(q.tag, st, t)); len(v) == 8 {
				n += int(binary.BigEndian.Uint64(v))
			}
		}
	}
	return n, nil
}

// pageOf decrypts the requests of ids in order, keeps those the filter
// matches when check is set (all otherwise), and returns the page. (A
// method called directly, not a func value: the request it is handed
// then stays on the stack.)
func (q *query) pageOf(ids iter.Seq[domain.ID], check bool) (QueuePage, error) {
	var page QueuePage
	skipped := 0
	if q.reqs == nil {
		q.reqs = newRequestReader(q.tx)
	}
	for id := range ids {
		if page.Rows == nil {
			// Requests are large: each is decoded straight into its row,
			// and the page (with room for the row that tells whether more
			// follow) is made once.
			page.Rows = make([]ens.Request, 0, min(q.f.Limit+1, 65))
		}
		page.Rows = append(page.Rows, ens.Request{})
		last := len(page.Rows) - 1
		r := &page.Rows[last]
		ok, err := q.s.readInto(q.reqs, id, r)
		if err != nil {
			return QueuePage{Rows: page.Rows[:last]}, err
		}
		if !ok || check && !q.matches(r) {
			page.Rows = page.Rows[:last]
			continue
		}
		if skipped < q.f.Offset {
			skipped++
			page.Rows = page.Rows[:last]
			continue
		}
		if last == q.f.Limit {
			page.Rows = page.Rows[:last]
			page.More = true
			break
		}
	}
	if len(page.Rows) == 0 {
		page.Rows = nil
	}
	return page, nil
}

func (q *query) load(id domain.ID) (ens.Request, bool, error) {
	if q.reqs == nil {
		q.reqs = newRequestReader(q.tx)
	}
	return q.s.read(q.reqs, id)
}

// matches applies every filter to a decrypted request; it is the check of
// last resort for rows found through hashed indexes.
func (q *query) matches(r *ens.Request) bool {
	if r.School != q.f.School {
		return false
	}
	if len(q.f.Statuses) > 0 && !slices.Contains(q.f.Statuses, r.Status) {
		return false
	}
	if len(q.f.Types) > 0 && !slices.Contains(q.f.Types, r.Type) {
		return false
	}
	if !q.f.Assignee.IsZero() && r.Assignee != q.f.Assignee {
		return false
	}
	if q.f.ExpiringWithin > 0 && !r.ExpiringWithin(q.now, q.f.ExpiringWithin) {
		return false
	}
	return q.f.Search == "" || q.searchMatches(r)
}

// filtered decrypts every candidate and keeps those the filter selects.
func (q *query) filtered(ids iter.Seq[domain.ID]) ([]ens.Request, error) {
	var rows []ens.Request
	for id := range ids {
		r, ok, err := q.load(id)
		if err != nil {
			return nil, err
		}
		if ok && q.matches(&r) {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func (q *query) collation() language.Tag {
	if q.f.Language == (language.Tag{}) {
		return language.English
	}
	base, _ := q.f.Language.Base()
	if base.String() == "fr" {
		// Canadian French orders accents from the end of the word.
		return language.MustParse("fr-CA-u-kb-true")
	}
	return q.f.Language
}

func compareTimeZeroLast(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func countSeq(ids iter.Seq[domain.ID]) int {
	n := 0
	for range ids {
		n++
	}
	return n
}

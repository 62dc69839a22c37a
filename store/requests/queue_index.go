package requests

import (
	"bytes"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
)

// valueOK applies the filters the status index value answers: type,
// assignee and the expiry window.
func (q *query) valueOK(st ens.Status, sv store.StatusValue) bool {
	switch {
	case len(q.f.Types) > 0 && !slices.Contains(q.f.Types, sv.Type):
		return false
	case !q.f.Assignee.IsZero() && !bytes.Equal(sv.Assignee, q.f.Assignee[:]):
		return false
	case q.f.ExpiringWithin > 0:
		return st.Open() && !sv.Expires.IsZero() && sv.Expires.Sub(q.now) <= q.f.ExpiringWithin
	}
	return true
}

// hit is one entry of the status index that passed the filters.
type hit struct {
	id     domain.ID
	status ens.Status
	val    store.StatusValue
}

// streamIDs yields the request IDs of the filter in the order of the sort
// column when it is received or status, from the status index alone.
func (q *query) streamIDs() iter.Seq[domain.ID] {
	return func(yield func(domain.ID) bool) {
		for h := range q.ordered() {
			if !yield(h.id) {
				return
			}
		}
	}
}

// ordered yields the filter's hits by received date, or grouped by status
// (in display order) for the status sort.
func (q *query) ordered() iter.Seq[hit] {
	if q.f.Sort != SortStatus {
		return q.merge(q.statuses())
	}
	return func(yield func(hit) bool) {
		sts := slices.Clone(q.statuses())
		slices.SortFunc(sts, func(a, b ens.Status) int {
			return slices.Index(ens.Statuses, a) - slices.Index(ens.Statuses, b)
		})
		if q.f.Desc {
			slices.Reverse(sts)
		}
		for _, st := range sts {
			for h := range q.merge([]ens.Status{st}) {
				if !yield(h) {
					return
				}
			}
		}
	}
}

// head is one cursor of a merge, positioned on key k.
type head struct {
	c      *store.Cursor
	status ens.Status
	prefix []byte
	k, v   []byte
}

func (h *head) step(desc bool) {
	if desc {
		h.k, h.v = h.c.Prev()
	} else {
		h.k, h.v = h.c.Next()
	}
	if h.k != nil && !store.HasPrefix(h.k, h.prefix) {
		h.k = nil
	}
}

// seekEdge puts a cursor on the first (or, desc, the last) key with prefix.
func seekEdge(c *store.Cursor, prefix []byte, desc bool) (k, v []byte) {
	if !desc {
		k, v = c.Seek(prefix)
	} else {
		end := prefixEnd(prefix)
		if end == nil {
			k, v = c.Last()
		} else if k, _ = c.Seek(end); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	if k != nil && !store.HasPrefix(k, prefix) {
		return nil, nil
	}
	return k, v
}

// prefixEnd is the smallest key greater than every key with prefix, or nil
// when there is none.
func prefixEnd(prefix []byte) []byte {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// merge walks the status index of each status at once and yields the hits
// in received order across them all (a k-way merge on received | id).
func (q *query) merge(sts []ens.Status) iter.Seq[hit] {
	return func(yield func(hit) bool) {
		desc := q.f.Desc
		heads := make([]*head, 0, len(sts))
		for _, st := range sts {
			h := &head{c: q.tx.Bucket(store.IxStatus).Cursor(), status: st, prefix: store.StatusPrefix(q.tag, st)}
			if h.k, h.v = seekEdge(h.c, h.prefix, desc); h.k != nil {
				heads = append(heads, h)
			}
		}
		for {
			var best *head
			for _, h := range heads {
				if h.k == nil {
					continue
				}
				if best == nil {
					best = h
					continue
				}
				c := bytes.Compare(h.k[5:], best.k[5:])
				if desc && c > 0 || !desc && c < 0 {
					best = h
				}
			}
			if best == nil {
				return
			}
			if sv, ok := store.DecodeStatusValue(best.v); ok && q.valueOK(best.status, sv) {
				if !yield(hit{id: store.IDFromKey(best.k), status: best.status, val: sv}) {
					return
				}
			}
			best.step(desc)
		}
	}
}

// valueSortedIDs orders the filter by a column the status index value
// holds (expiry, type), without decrypting anything.
func (q *query) valueSortedIDs() []domain.ID {
	var hits []hit
	for h := range q.merge(q.statuses()) {
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		var c int
		switch q.f.Sort {
		case SortExpires:
			c = compareTimeZeroLast(a.val.Expires, b.val.Expires)
		case SortType:
			c = slices.Index(ens.Types, a.val.Type) - slices.Index(ens.Types, b.val.Type)
		}
		if c == 0 {
			c = bytes.Compare(a.id[:], b.id[:])
		}
		if q.f.Desc {
			c = -c
		}
		return c
	})
	ids := make([]domain.ID, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	return ids
}

// searchTerm is a search box's text read every way it can be meant.
type searchTerm struct {
	evn       ens.EVN
	clientID  domain.ClientID
	birth     domain.Date
	studentNo string
	words     []string // folded name words
}

func parseSearch(text string) (searchTerm, error) {
	var t searchTerm
	text = strings.TrimSpace(text)
	if evn, err := ens.ParseEVN(text); err == nil {
		t.evn = evn
	} else if domain.ErrorCode(err) == ens.ErrEVNCheck && looksLikeEVN(text) {
		return t, err
	}
	if id, err := domain.ParseClientID(text); err == nil {
		t.clientID = id
	}
	if d, err := domain.ParseDate("search", text); err == nil {
		t.birth = d
	}
	if sn, err := ens.CleanStudentNumber(text); err == nil && sn != "" && strings.ContainsAny(sn, "0123456789") {
		t.studentNo = sn
	}
	if strings.ContainsFunc(text, func(r rune) bool { return r > '9' && r != '-' }) {
		t.words = domain.NameTokens(domain.FoldName(text))
	}
	return t, nil
}

// looksLikeEVN reports whether text has the printed EVN's dashes
// (SSS-DD-QQQQ-C), so a failed check means a mistyped EVN rather than some
// other kind of search.
func looksLikeEVN(text string) bool {
	return len(text) == 13 && text[3] == '-' && text[6] == '-' && text[11] == '-'
}

func (q *query) search() (searchTerm, error) {
	if q.term == nil {
		t, err := parseSearch(q.f.Search)
		if err != nil {
			return t, err
		}
		q.term = &t
	}
	return *q.term, nil
}

// searchCandidates lists the requests whose hashed index keys match the
// search; every one is checked against the decrypted record later.
func (q *query) searchCandidates() ([]domain.ID, error) {
	t, err := q.search()
	if err != nil {
		return nil, err
	}
	var out []domain.ID
	add := func(prefix []byte, bucket []byte) {
		c := q.tx.Bucket(bucket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && store.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, store.IDFromKey(k))
		}
	}
	exact := func(bucket []byte, kind byte, v string) {
		if v != "" {
			add(store.HashKey(q.tag, q.s.Keys().Hash(kind, v), domain.ID{})[:12], bucket)
		}
	}
	exact(store.IxEVN, store.HashEVN, string(t.evn))
	exact(store.IxClientID, store.HashClientID, string(t.clientID))
	exact(store.IxBirth, store.HashBirth, t.birth.String())
	exact(store.IxStudentNo, store.HashStudentNo, t.studentNo)
	if len(t.words) > 0 {
		// The longest word narrows the most; the others are checked on the
		// decrypted name.
		w := slices.MaxFunc(t.words, func(a, b string) int {
			return utf8.RuneCountInString(a) - utf8.RuneCountInString(b)
		})
		n := min(utf8.RuneCountInString(w), store.NameChainLen)
		chain := q.s.Keys().NameChain(w)
		add(store.HashKey(q.tag, chain, domain.ID{})[:4+n], store.IxName)
	}
	// A request can be found twice (two words of one name, or a name and
	// a number): sorted, the repeats sit together.
	slices.SortFunc(out, func(a, b domain.ID) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(out), nil
}

// searchMatches checks a decrypted request against the search text.
func (q *query) searchMatches(r *ens.Request) bool {
	t, err := q.search()
	if err != nil {
		return false
	}
	switch {
	case t.evn != "" && r.EVN == t.evn,
		t.clientID != "" && r.Student.ClientID == t.clientID,
		!t.birth.IsZero() && r.Student.BirthDate == t.birth,
		t.studentNo != "" && r.Student.StudentNumber == t.studentNo:
		return true
	}
	if len(t.words) == 0 {
		return false
	}
	name := domain.NameTokens(domain.FoldName(r.Student.GivenNames + " " + r.Student.FamilyName))
	for _, w := range t.words {
		if !slices.ContainsFunc(name, func(n string) bool { return strings.HasPrefix(n, w) }) {
			return false
		}
	}
	return true
}

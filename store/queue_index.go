package store

import (
	"bytes"
	"encoding/binary"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/ens"
)

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// typeOK reports whether an index value's type byte passes the type filter.
func (q *query) typeOK(t byte) bool {
	return len(q.f.Types) == 0 || slices.Contains(q.f.Types, ens.Type(t))
}

func (q *query) statusOK(st byte) bool {
	return len(q.f.Statuses) == 0 || slices.Contains(q.f.Statuses, ens.Status(st))
}

// streamIDs yields the request IDs of the status (or assignee) index in the
// order of the sort column when it is received or status, without
// decrypting anything.
func (q *query) streamIDs() iter.Seq[domain.ID] {
	if !q.f.Assignee.IsZero() {
		return q.assigneeIDs()
	}
	if q.f.Sort == SortStatus {
		return func(yield func(domain.ID) bool) {
			sts := slices.Clone(q.statuses())
			slices.SortFunc(sts, func(a, b ens.Status) int {
				return slices.Index(ens.Statuses, a) - slices.Index(ens.Statuses, b)
			})
			if q.f.Desc {
				slices.Reverse(sts)
			}
			for _, st := range sts {
				for id := range q.mergeStatuses([]ens.Status{st}) {
					if !yield(id) {
						return
					}
				}
			}
		}
	}
	return q.mergeStatuses(q.statuses())
}

// head is one cursor of a merge, positioned on key k.
type head struct {
	c      *bolt.Cursor
	prefix []byte
	k, v   []byte
}

func (h *head) step(desc bool) {
	if desc {
		h.k, h.v = h.c.Prev()
	} else {
		h.k, h.v = h.c.Next()
	}
	if h.k != nil && !hasPrefix(h.k, h.prefix) {
		h.k = nil
	}
}

// seekEdge puts a cursor on the first (or, desc, the last) key with prefix.
func seekEdge(c *bolt.Cursor, prefix []byte, desc bool) (k, v []byte) {
	if !desc {
		k, v = c.Seek(prefix)
	} else {
		end := prefixEnd(prefix)
		if end == nil {
			k, v = c.Last()
		} else if k, v = c.Seek(end); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	if k != nil && !hasPrefix(k, prefix) {
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

// mergeStatuses walks the status index of each status at once and yields
// IDs in received order across them all (a k-way merge on received | id).
func (q *query) mergeStatuses(sts []ens.Status) iter.Seq[domain.ID] {
	return func(yield func(domain.ID) bool) {
		desc := q.f.Desc
		heads := make([]*head, 0, len(sts))
		for _, st := range sts {
			h := &head{c: q.tx.Bucket(ixStatus).Cursor(), prefix: statusPrefix(q.tag, st)}
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
			if len(best.v) > 0 && q.typeOK(best.v[0]) {
				if !yield(idFromKey(best.k)) {
					return
				}
			}
			best.step(desc)
		}
	}
}

// assigneeIDs walks one colleague's requests by received date (or, for the
// status sort, grouped by status).
func (q *query) assigneeIDs() iter.Seq[domain.ID] {
	return func(yield func(domain.ID) bool) {
		prefix := assigneeKey(q.tag, q.f.Assignee, time.Time{}, domain.ID{})[:20]
		c := q.tx.Bucket(ixAssignee).Cursor()
		type hit struct {
			id domain.ID
			st ens.Status
		}
		var byStatus []hit
		for k, v := seekEdge(c, prefix, q.f.Desc); k != nil && hasPrefix(k, prefix); {
			if len(v) == 2 && q.statusOK(v[0]) && q.typeOK(v[1]) {
				if q.f.Sort == SortStatus {
					byStatus = append(byStatus, hit{idFromKey(k), ens.Status(v[0])})
				} else if !yield(idFromKey(k)) {
					return
				}
			}
			if q.f.Desc {
				k, v = c.Prev()
			} else {
				k, v = c.Next()
			}
		}
		slices.SortStableFunc(byStatus, func(a, b hit) int {
			d := slices.Index(ens.Statuses, a.st) - slices.Index(ens.Statuses, b.st)
			if q.f.Desc {
				return -d
			}
			return d
		})
		for _, h := range byStatus {
			if !yield(h.id) {
				return
			}
		}
	}
}

// expiringIDs yields the open requests that lapse within the filter's
// window, soonest first.
func (q *query) expiringIDs() iter.Seq[domain.ID] {
	return q.expiringIDsUntil(q.now.Add(q.f.ExpiringWithin))
}

// expiringIDsUntil walks the expiry index (open requests only) up to limit
// (zero: no limit) in expiry order.
func (q *query) expiringIDsUntil(limit time.Time) iter.Seq[domain.ID] {
	return func(yield func(domain.ID) bool) {
		prefix := u32(q.tag)
		c := q.tx.Bucket(ixExpires).Cursor()
		var k, v []byte
		if q.f.Desc && !limit.IsZero() {
			k, v = c.Seek(expiresKey(q.tag, limit.Add(time.Millisecond), domain.ID{}))
			if k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
			if k != nil && !hasPrefix(k, prefix) {
				k = nil
			}
		} else {
			k, v = seekEdge(c, prefix, q.f.Desc)
		}
		for ; k != nil && hasPrefix(k, prefix); k, v = q.advance(c) {
			if !limit.IsZero() && msFrom(k[4:12]).After(limit) {
				if q.f.Desc {
					continue
				}
				return
			}
			if len(v) >= 2 && q.statusOK(v[0]) && q.typeOK(v[1]) && q.assigneeOK(v[2:]) {
				if !yield(idFromKey(k)) {
					return
				}
			}
		}
	}
}

// assigneeOK reports whether an index value's assignee (empty when none)
// passes the assignee filter.
func (q *query) assigneeOK(a []byte) bool {
	return q.f.Assignee.IsZero() || bytes.Equal(a, q.f.Assignee[:])
}

func (q *query) advance(c *bolt.Cursor) ([]byte, []byte) {
	if q.f.Desc {
		return c.Prev()
	}
	return c.Next()
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
	seen := map[domain.ID]bool{}
	var out []domain.ID
	add := func(prefix []byte, bucket []byte) {
		c := q.tx.Bucket(bucket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && hasPrefix(k, prefix); k, _ = c.Next() {
			if id := idFromKey(k); !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	exact := func(bucket []byte, kind byte, v string) {
		if v != "" {
			add(hashKey(q.tag, q.s.keys.hash(kind, v), domain.ID{})[:12], bucket)
		}
	}
	exact(ixEVN, hashEVN, string(t.evn))
	exact(ixClientID, hashClientID, string(t.clientID))
	exact(ixBirth, hashBirth, t.birth.String())
	exact(ixStudentNo, hashStudentNo, t.studentNo)
	if len(t.words) > 0 {
		// The longest word narrows the most; the others are checked on the
		// decrypted name.
		w := slices.MaxFunc(t.words, func(a, b string) int {
			return utf8.RuneCountInString(a) - utf8.RuneCountInString(b)
		})
		n := min(utf8.RuneCountInString(w), nameChainLen)
		chain := q.s.keys.nameChain(w)
		add(hashKey(q.tag, chain, domain.ID{})[:4+n], ixName)
	}
	return out, nil
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

package requests

import (
	"bytes"
	"encoding/binary"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// indexEntry is one key of one queue index.
type indexEntry struct {
	bucket []byte
	key    []byte
	value  []byte
}

// requestIndexes lists every index key of r under org tag tag. With same
// (another version of r under the same tag), the hashed keys of the
// fields same shares with r are left out: they are the same keys, and
// hashing them is most of an action's index work.
func (s Store) requestIndexes(tag uint32, r, same *ens.Request) []indexEntry {
	out := make([]indexEntry, 0, 10)
	out = append(out, indexEntry{store.IxStatus, store.StatusKey(tag, r.Status, r.Received, r.ID), store.EncodeStatusValue(r)})
	hashed := func(bucket []byte, kind byte, v, was string) {
		if v != "" && (same == nil || v != was) {
			out = append(out, indexEntry{bucket, store.HashKey(tag, s.Keys().Hash(kind, v), r.ID), nil})
		}
	}
	var was ens.Request
	if same != nil {
		was = *same
	}
	hashed(store.IxEVN, store.HashEVN, string(r.EVN), string(was.EVN))
	hashed(store.IxClientID, store.HashClientID, string(r.Student.ClientID), string(was.Student.ClientID))
	if !s.Desk() {
		// The server searches no queue: it finds a request by its ID,
		// its EVN or, for a transfer, its client ID, never by a student
		// number, a birth date or a name (store.DeskOnlyIndexes). Their
		// keys land all over their trees, so each was a leaf the
		// server's file rewrote for every request written, and a hash of
		// a person's particulars it kept for nothing.
		return s.studentIndex(out, r)
	}
	hashed(store.IxStudentNo, store.HashStudentNo, r.Student.StudentNumber, was.Student.StudentNumber)
	hashed(store.IxBirth, store.HashBirth, r.Student.BirthDate.String(), was.Student.BirthDate.String())
	if same != nil && same.Student.GivenNames == r.Student.GivenNames && same.Student.FamilyName == r.Student.FamilyName {
		return s.studentIndex(out, r)
	}
	seen := map[[store.NameChainLen]byte]bool{}
	for _, w := range domain.NameTokens(domain.FoldName(r.Student.GivenNames + " " + r.Student.FamilyName)) {
		chain := s.Keys().NameChain(w)
		if seen[chain] {
			continue
		}
		seen[chain] = true
		out = append(out, indexEntry{store.IxName, store.HashKey(tag, chain, r.ID), nil})
	}
	return s.studentIndex(out, r)
}

// studentIndex appends r's entry in the student's list, if r has one.
func (Store) studentIndex(out []indexEntry, r *ens.Request) []indexEntry {
	if !r.StudentAccount.IsZero() {
		out = append(out, indexEntry{store.IxStudent, store.StudentKey(r.StudentAccount, r.Received, r.ID), nil})
	}
	return out
}

// putRequest writes r and brings its index entries and the queue counts up
// to date; old is the stored version it replaces, nil for a new request.
func (s Store) putRequest(tx *store.Tx, old, r *ens.Request) error {
	tag, err := store.OrgTag(tx, r.School, true)
	if err != nil {
		return err
	}
	id := r.ID
	tx.OnCommit(func() { s.sorts().forget(id) })
	if err := s.unsealSorts(tx); err != nil {
		return err
	}
	sealed, err := s.Keys().Seal(store.RequestsBucket, r.ID[:], encodeRequest(make([]byte, 0, 256), r))
	if err != nil {
		return err
	}
	rb := tx.Bucket(store.RequestsBucket)
	if old == nil {
		// New IDs sort after the others: requests are appended, so pages
		// can be filled rather than split in half.
		rb.FillPercent = store.AppendFill
	}
	if err := rb.Put(r.ID[:], sealed); err != nil {
		return err
	}
	var oldTag uint32
	var prev []indexEntry
	var next []indexEntry
	if old != nil {
		if oldTag, err = store.OrgTag(tx, old.School, true); err != nil {
			return err
		}
	}
	if old != nil && oldTag == tag {
		next, prev = s.requestIndexes(tag, r, old), s.requestIndexes(tag, old, r)
	} else {
		next = s.requestIndexes(tag, r, nil)
	}
	if old != nil {
		if oldTag != tag {
			prev = s.requestIndexes(oldTag, old, nil)
		}
		for _, e := range prev {
			if findEntry(next, e) == nil {
				if err := tx.Bucket(e.bucket).Delete(e.key); err != nil {
					return err
				}
			}
		}
		if err := addCount(tx, store.CountKey(oldTag, old.Status, old.Type), -1); err != nil {
			return err
		}
	}
	// Write only what changed: every page a commit touches is a page it
	// waits on the disk for.
	for _, e := range next {
		if p := findEntry(prev, e); p != nil && bytes.Equal(p.value, e.value) {
			continue
		}
		if err := tx.Bucket(e.bucket).Put(e.key, e.value); err != nil {
			return err
		}
	}
	if err := addCount(tx, store.CountKey(tag, r.Status, r.Type), 1); err != nil {
		return err
	}
	if err := s.mailStudent(tx, old, r); err != nil {
		return err
	}
	return s.FeedRequest(tx, r)
}

// findEntry returns the entry of list with e's bucket and key, or nil.
func findEntry(list []indexEntry, e indexEntry) *indexEntry {
	for i := range list {
		if bytes.Equal(list[i].bucket, e.bucket) && bytes.Equal(list[i].key, e.key) {
			return &list[i]
		}
	}
	return nil
}

func addCount(tx *store.Tx, key []byte, delta int64) error {
	b := tx.Bucket(store.CountsBucket)
	var n int64
	if v := b.Get(key); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += delta
	if n < 0 {
		n = 0
	}
	return b.Put(key, store.U64(uint64(n)))
}

// GetRequest reads and decrypts one request; found is false when there is
// none with that ID. buf, when not nil, is scratch space for the plaintext
// that loops reuse (the decoded request copies what it keeps).
func (s Store) GetRequest(tx *store.Tx, id domain.ID, buf *[]byte) (r ens.Request, found bool, err error) {
	sealed := tx.Bucket(store.RequestsBucket).Get(id[:])
	if sealed == nil {
		return r, false, nil
	}
	var scratch []byte
	if buf != nil {
		scratch = (*buf)[:0]
	}
	plain, err := s.Keys().Open(scratch, store.RequestsBucket, id[:], sealed)
	if buf != nil {
		*buf = plain
	}
	if err != nil {
		return r, true, domain.Wrap(store.ErrCorrupt, err)
	}
	r, err = decodeRequest(id, plain)
	if err != nil {
		return r, true, domain.Wrap(store.ErrCorrupt, err)
	}
	return r, true, nil
}

// requestReader reads many requests in one read transaction, as the queue
// does: the bucket is looked up once, and on a bbolt file every read goes
// through one cursor, whose Seek reuses the path it keeps where each Get
// would make a new one (a remote backend's cursor reads a page per Seek:
// there each read is a Get). The plaintext and the authenticated data are
// built in space the next read reuses.
type requestReader struct {
	b            *store.Bucket
	c            *store.Cursor
	key, buf, ad []byte
	// stamp is the first bytes of the last record read, sealed: what the
	// sort cache's entry made from it carries (sortsaved.go).
	stamp [sortStamp]byte
}

func newRequestReader(tx *store.Tx) *requestReader {
	rd := &requestReader{b: tx.Bucket(store.RequestsBucket)}
	if tx.IsFile() {
		rd.c = rd.b.Cursor()
	}
	return rd
}

// read is GetRequest through the reader.
func (s Store) read(rd *requestReader, id domain.ID) (r ens.Request, found bool, err error) {
	found, err = s.readInto(rd, id, &r)
	return r, found, err
}

// sealed is request id's record as stored, nil if there is none; its
// first bytes become rd.stamp.
func (rd *requestReader) sealed(id domain.ID) []byte {
	// The key is copied into the reader's space: handed to the cursor,
	// id itself would move to the heap on every read.
	rd.key = append(rd.key[:0], id[:]...)
	var sealed []byte
	if rd.c != nil {
		k, v := rd.c.Seek(rd.key)
		if bytes.Equal(k, rd.key) {
			sealed = v
		}
	} else {
		sealed = rd.b.Get(rd.key)
	}
	rd.stamp = [sortStamp]byte{}
	copy(rd.stamp[:], sealed)
	return sealed
}

// readInto is read decoding into *dst.
func (s Store) readInto(rd *requestReader, id domain.ID, dst *ens.Request) (found bool, err error) {
	sealed := rd.sealed(id)
	if sealed == nil {
		return false, nil
	}
	plain, err := s.Keys().OpenReusing(rd.buf[:0], &rd.ad, store.RequestsBucket, rd.key, sealed)
	if err != nil {
		return true, domain.Wrap(store.ErrCorrupt, err)
	}
	rd.buf = plain
	if err := decodeRequestInto(dst, id, plain); err != nil {
		return true, domain.Wrap(store.ErrCorrupt, err)
	}
	return true, nil
}

// removeRequest deletes a request with its index entries and count.
func (s Store) removeRequest(tx *store.Tx, r *ens.Request) error {
	tag, err := store.OrgTag(tx, r.School, true)
	if err != nil {
		return err
	}
	id := r.ID
	tx.OnCommit(func() { s.sorts().forget(id) })
	if err := s.unsealSorts(tx); err != nil {
		return err
	}
	for _, e := range s.requestIndexes(tag, r, nil) {
		if err := tx.Bucket(e.bucket).Delete(e.key); err != nil {
			return err
		}
	}
	if err := addCount(tx, store.CountKey(tag, r.Status, r.Type), -1); err != nil {
		return err
	}
	return tx.Bucket(store.RequestsBucket).Delete(r.ID[:])
}

// FeedRequest puts a request in the feed for its school's staff and the
// student who raised it.
func (s Store) FeedRequest(tx *store.Tx, r *ens.Request) error {
	return s.Feed(tx, sync.EntityRequest, r.ID, r.Version, []store.Reader{store.OrgReader(r.School), store.AccountReader(r.StudentAccount)}, r)
}

package requests

import (
	"bytes"
	"encoding/binary"
	"slices"
	"time"
	"unsafe"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
)

// The sort cache outlives the session: as a desk closes, its entries are
// sealed into the profile (store.MetaSortCache), and the first sort after
// the next open reads them back instead of decrypting every request, so
// sorting a school's 50,000 requests by name is as quick on a profile
// just opened as on one that has been open for hours.
//
// A saved entry is trusted only while its request is the one it was made
// from. Usually no request was written between the close and the next
// open: the save puts a marker beside the cache (store.MetaSortClean),
// which every write of a request deletes in its own transaction, so a
// marker still there vouches for every entry at once. Otherwise (a
// request written by this desk or by sync since the save, then a crash
// before the close saved again) each entry is checked: it carries the
// first bytes of its record's sealed value, whose random nonce changes
// at every write, and the load walks the requests bucket once (no
// decryption) to keep only the entries whose record still starts with
// them. The walk touches every page of the requests (the whole of their
// tens of megabytes), which the marker spares the usual open.
//
// Only a desk saves its cache: the server sorts no queue by name, and
// its writes are not to pay a read of the marker (a round trip on
// PostgreSQL).

// sortSaveMin is the fewest entries worth saving: a smaller cache costs
// less to rebuild than to keep.
var sortSaveMin = 1000

const (
	sortSavedVersion = 1
	sortStamp        = 8  // bytes of the sealed value kept to recognise it
	sortCleanLen     = 24 // bytes of the sealed cache its marker holds: its random nonce
)

// unsealSorts, called in every transaction that writes a request, deletes
// the marker that vouches for the saved cache as a whole: its entries
// are checked one by one at the next load.
//
// It looks for the marker once: a write that committed having found it
// gone records the save epoch it saw, and the writes after it skip the
// look-up (a meta bucket opened and read, 4–5 µs of a Verify) until a
// save begins a new epoch. A save bumps the epoch in its transaction,
// after every write before it and before its marker is written, so a
// write's commit that records an older epoch late only costs a look-up.
func (s Store) unsealSorts(tx *store.Tx) error {
	if !s.Desk() {
		return nil
	}
	c := s.sorts()
	epoch := c.markerEpoch.Load()
	if c.markerGone.Load() == epoch {
		return nil
	}
	tx.OnCommit(func() { c.markerGone.Store(epoch) })
	meta := tx.Bucket(store.MetaBucket)
	if meta.Get(store.MetaSortClean) == nil {
		return nil
	}
	return meta.Delete(store.MetaSortClean)
}

// keepAtClose makes c saved as s closes.
func (s Store) keepAtClose(c *sortCache) {
	// A cache not kept costs time at the next open, never data: its
	// error is not the close's.
	s.OnClose(func() { _ = s.saveSorts(c) })
}

// saveSorts seals c into the profile, if it changed since it was loaded
// or saved.
func (s Store) saveSorts(c *sortCache) error {
	c.mu.Lock()
	if !c.dirty || len(c.m) < sortSaveMin || !s.Desk() {
		c.mu.Unlock()
		return nil
	}
	ids := make([]domain.ID, 0, len(c.m))
	for id := range c.m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b domain.ID) int { return bytes.Compare(a[:], b[:]) })
	entries := make([]*sortEntry, len(ids))
	for i, id := range ids {
		entries[i] = c.m[id]
	}
	gen := c.gen
	c.mu.Unlock()
	return s.Update(func(tx *store.Tx) error {
		// Each entry is saved only if its record still starts with the
		// stamp of the one it was made from, read in the transaction
		// that writes the cache: an entry whose record moved on is left
		// out, even when the write's forget has not run yet (on plain
		// bbolt, a commit's callbacks run after it lets the next writer
		// in).
		//
		// The entries are read under the cache's lock, as a sort going
		// on meanwhile adds keys and ranks under it (the writers' lock,
		// held here, is always taken before the cache's).
		c.mu.Lock()
		if c.gen != gen {
			c.mu.Unlock()
			return nil // written meanwhile: kept at the next close
		}
		reqs := tx.Bucket(store.RequestsBucket)
		buf := binary.AppendUvarint([]byte{sortSavedVersion}, uint64(len(ids)))
		for i, id := range ids {
			v, e := reqs.Get(id[:]), entries[i]
			if len(v) < sortStamp || !bytes.Equal(v[:sortStamp], e.stamp[:]) {
				continue
			}
			buf = append(buf, id[:]...)
			buf = append(buf, e.stamp[:]...)
			buf = e.appendTo(buf)
		}
		c.mu.Unlock()
		sealed, err := s.Keys().Seal(store.MetaBucket, store.MetaSortCache, buf)
		if err != nil {
			return err
		}
		c.markerEpoch.Add(1) // before the marker, under the writers' lock
		meta := tx.Bucket(store.MetaBucket)
		if err := meta.Put(store.MetaSortCache, sealed); err != nil {
			return err
		}
		if err := meta.Put(store.MetaSortClean, sealed[:sortCleanLen]); err != nil {
			return err
		}
		tx.OnCommit(func() {
			c.mu.Lock()
			if c.gen == gen {
				c.dirty = false
			}
			c.mu.Unlock()
		})
		return nil
	})
}

// loadSorts fills c, once per store, from what the last close saved, in
// the read transaction tx. A saved cache that does not open is ignored:
// the sort reads the records instead.
func (s Store) loadSorts(tx *store.Tx, c *sortCache, gen uint64) {
	c.mu.Lock()
	tried := c.loaded
	c.loaded = true
	c.mu.Unlock()
	if tried {
		return
	}
	meta := tx.Bucket(store.MetaBucket)
	sealed := meta.Get(store.MetaSortCache)
	if len(sealed) < sortCleanLen {
		return
	}
	clean := bytes.Equal(meta.Get(store.MetaSortClean), sealed[:sortCleanLen])
	var walk *stampWalk
	if !clean {
		// The walk of the requests bucket runs on another core while
		// the cache is opened and decoded, and tx is left to it
		// meanwhile: the load then takes the longer of the two, not
		// their sum. Every way out waits for it, so tx outlives the
		// walk.
		walk = startStampWalk(tx.Bucket(store.RequestsBucket).Cursor())
		defer walk.end()
		c.mu.Lock()
		c.walks++
		c.mu.Unlock()
	}
	plain, err := s.Keys().Open(nil, store.MetaBucket, store.MetaSortCache, sealed)
	if err != nil || len(plain) < 2 || plain[0] != sortSavedVersion {
		return
	}
	// The strings share plain rather than copy its megabytes: plain is
	// this function's own (Open allocated it) and nothing writes to it.
	d := &decoder{b: plain[1:], all: unsafe.String(&plain[1], len(plain)-1)}
	n := int(d.uvarint())
	n = min(n, len(plain)/32)
	kept := make([]savedEntry, 0, n)
	// One allocation for every entry and one for their keys.
	slab := make([]sortEntry, n)
	keys := make([]collationKey, 0, n)
	for d.err == nil && len(d.b) > 0 {
		if len(d.b) < 16+sortStamp || len(kept) == n {
			return
		}
		var it savedEntry
		copy(it.id[:], d.b)
		it.e = &slab[len(kept)]
		copy(it.e.stamp[:], d.b[16:])
		d.b = d.b[16+sortStamp:]
		keys = decodeSortEntry(d, it.e, keys)
		kept = append(kept, it)
	}
	if d.err != nil {
		return
	}
	fresh := kept
	if walk != nil {
		fresh = stillFresh(kept, walk.wait())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return // a write committed since tx began: its entry may be stale
	}
	if c.m == nil {
		c.m = make(map[domain.ID]*sortEntry, len(fresh))
	}
	for _, it := range fresh {
		if _, ok := c.m[it.id]; !ok {
			c.m[it.id] = it.e
			c.fromDisk++
		}
	}
}

// savedEntry is one entry of the saved cache.
type savedEntry struct {
	id domain.ID
	e  *sortEntry
}

// stillFresh keeps the entries whose record is still the one they were
// made from; both lists are in key order.
func stillFresh(kept []savedEntry, stamps []recordStamp) []savedEntry {
	fresh := kept[:0]
	j := 0
	for _, it := range kept {
		for j < len(stamps) && bytes.Compare(stamps[j].id[:], it.id[:]) < 0 {
			j++
		}
		if j < len(stamps) && stamps[j].id == it.id && stamps[j].stamp == it.e.stamp {
			fresh = append(fresh, it)
		}
	}
	return fresh
}

// recordStamp is a request's key and the first bytes of its sealed record.
type recordStamp struct {
	id    domain.ID
	stamp [sortStamp]byte
}

// stampWalk reads every request's stamp on a goroutine of its own.
type stampWalk struct {
	done   chan struct{}
	stamps []recordStamp
	fault  any // a panic of the walk's (a corrupt page), raised again by wait
}

func startStampWalk(cur *store.Cursor) *stampWalk {
	w := &stampWalk{done: make(chan struct{})}
	go func() {
		defer close(w.done)
		defer func() { w.fault = recover() }()
		for k, v := cur.First(); k != nil; k, v = cur.Next() {
			if len(k) != len(domain.ID{}) || len(v) < sortStamp {
				continue // not a record a saved entry could match
			}
			var r recordStamp
			copy(r.id[:], k)
			copy(r.stamp[:], v)
			w.stamps = append(w.stamps, r)
		}
	}()
	return w
}

// wait returns the stamps once the walk has ended; a fault in the walk is
// raised here, on the transaction's own goroutine, as it would have been
// without the walk's.
func (w *stampWalk) wait() []recordStamp {
	<-w.done
	if w.fault != nil {
		panic(w.fault)
	}
	return w.stamps
}

// end waits for the walk, whose stamps (or fault) are not wanted: the
// cache did not open.
func (w *stampWalk) end() { <-w.done }

// appendTo encodes e for the saved cache.
func (e *sortEntry) appendTo(b []byte) []byte {
	b = binary.AppendVarint(b, timeMs(e.received))
	b = binary.AppendVarint(b, timeMs(e.expires))
	b = append(b, byte(e.status), byte(e.typ))
	b = appendString(b, e.family)
	b = appendString(b, e.given)
	b = binary.AppendVarint(b, int64(e.birth))
	b = appendString(b, e.client)
	b = appendString(b, e.studentNo)
	b = appendString(b, e.evn)
	b = append(b, e.assignee[:]...)
	b = binary.AppendUvarint(b, uint64(len(e.names)))
	for _, k := range e.names {
		b = appendString(b, k.tag)
		b = appendString(b, string(k.key))
		b = binary.AppendUvarint(b, uint64(k.rank))
	}
	return b
}

// decodeSortEntry reads an entry into e, its collation keys taken from
// the free end of keys (whose capacity they may not outgrow: a full keys
// gets a new array).
func decodeSortEntry(d *decoder, e *sortEntry, keys []collationKey) []collationKey {
	e.received, e.expires = msTime(d.varint()), msTime(d.varint())
	if len(d.b) < 2 {
		d.fail()
		return keys
	}
	e.status, e.typ = ens.Status(d.b[0]), ens.Type(d.b[1])
	d.b = d.b[2:]
	e.family, e.given = d.string(), d.string()
	e.birth = int32(d.varint())
	e.client, e.studentNo, e.evn = d.string(), d.string(), d.string()
	copy(e.assignee[:], d.bytes(16))
	n := d.uvarint()
	if n > 4 {
		d.fail()
		return keys
	}
	if len(keys)+int(n) > cap(keys) {
		keys = make([]collationKey, 0, max(cap(keys), 64))
	}
	start := len(keys)
	for range n {
		k := collationKey{tag: internTag(d.string()), key: d.bytesOf()}
		k.rank = uint32(d.uvarint())
		keys = append(keys, k)
	}
	// Full capacity cut: a key added later to this entry goes to a new
	// array, not over the next entry's.
	e.names = keys[start:len(keys):len(keys)]
	return keys
}

// timeMs is t in unix milliseconds, 0 for the zero time.
func timeMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

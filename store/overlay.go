package store

import (
	"bytes"
	"hash/maphash"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"
)

// The overlay: what the journal has made durable but bbolt does not hold
// yet (wal.go). An action's writes are synced to the journal, then kept
// here as one layer, and every later transaction reads through the
// layers to bbolt; the journal's applier writes the layers to bbolt in
// groups, off the action's path, and drops them once bbolt's commit holds
// them. A layer is never changed once published, so a transaction reads
// a snapshot of them without a lock.

// layer is one committed transaction's writes, in journal order.
type layer struct {
	seq     uint64
	buckets map[string]*ovBucket
	// rec is the journal record (its writes in order, in chunks), what
	// the applier replays onto bbolt; size its bytes.
	rec  [][]byte
	size int
}

// ovBucket is a layer's writes to one bucket.
type ovBucket struct {
	at      uint64 // the layer's seq
	entries map[string]ovEntry
	// filter has two of its 256 bits set for each key of entries
	// (keyBits): a key whose bits are not both set is not in the layer.
	// A read of a key no waiting layer holds — most reads — then tests
	// bits instead of looking the key up in every layer's map: up to 128
	// wait for the applier's group (walApplyGroup), and up to 512 while it
	// is behind (walMaxLayers).
	filter  [4]uint64
	seq     uint64 // the bucket's sequence, when hasSeq
	hasSeq  bool
	created bool    // the transaction made the bucket
	fill    float64 // the FillPercent its writes asked for
}

// keySeed seeds the layers' filters (it lives as long as the process,
// as the layers do).
var keySeed = maphash.MakeSeed()

// keyBits are the two filter bits of key.
func keyBits(key []byte) (uint8, uint8) {
	h := maphash.Bytes(keySeed, key)
	return uint8(h), uint8(h >> 8)
}

// note sets key's bits in the filter; only the layer's own transaction
// calls it, before the layer is published.
func (b *ovBucket) note(key []byte) {
	i, j := keyBits(key)
	b.filter[i>>6] |= 1 << (i & 63)
	b.filter[j>>6] |= 1 << (j & 63)
}

// mayHold says whether a key with bits i and j may be in the layer.
func (b *ovBucket) mayHold(i, j uint8) bool {
	return b.filter[i>>6]&(1<<(i&63)) != 0 && b.filter[j>>6]&(1<<(j&63)) != 0
}

// ovEntry is a key's value in a layer; del says it was deleted.
type ovEntry struct {
	value []byte
	del   bool
}

// ovPair is an entry with its key, for cursors.
type ovPair struct {
	key string
	ovEntry
}

func (l *layer) bucket(name []byte) *ovBucket {
	if b := l.buckets[string(name)]; b != nil {
		return b
	}
	if l.buckets == nil {
		l.buckets = map[string]*ovBucket{}
	}
	b := &ovBucket{entries: map[string]ovEntry{}}
	l.buckets[string(name)] = b
	return b
}

// overlay is a snapshot of the layers not yet in bbolt, oldest first,
// and of each bucket's writes in them.
type overlay struct {
	layers   []*layer
	byBucket map[string]*ovList
	bytes    int // the layers' records, together
}

// ovList is one bucket's writes in the layers, oldest first. The overlays
// that follow one another between two settles share their lists, their
// layers' slice and, until a new bucket comes, their map: with appends in
// place, past the length an older overlay knows of, and a reader cuts the
// list at its overlay's last layer (pendingOf). A click's publication so
// allocates almost nothing; copying them cost it 6-7 µs, mostly the
// garbage collector's.
type ovList struct{ bs atomic.Pointer[[]*ovBucket] }

func (l *ovList) add(b *ovBucket) {
	var bs []*ovBucket
	if p := l.bs.Load(); p != nil {
		bs = *p
	}
	bs = append(bs, b)
	l.bs.Store(&bs)
}

func (l *ovList) load() []*ovBucket {
	if p := l.bs.Load(); p != nil {
		return *p
	}
	return nil
}

// newOverlay is the overlay of layers.
func newOverlay(layers []*layer) *overlay {
	o := &overlay{layers: layers, byBucket: map[string]*ovList{}}
	for _, l := range layers {
		o.bytes += l.size
		o.listIn(l)
	}
	return o
}

// listIn adds l's buckets to o's lists, o's own map: newOverlay's, or a
// copy with just made.
func (o *overlay) listIn(l *layer) {
	for name, b := range l.buckets {
		list := o.byBucket[name]
		if list == nil {
			list = &ovList{}
			o.byBucket[name] = list
		}
		list.add(b)
	}
}

// with is o and one more layer, o unchanged as its readers see it. Only
// the writer that publishes (ovMu held) calls it, on the newest overlay,
// so no two overlays ever append to the same list.
func (o *overlay) with(l *layer) *overlay {
	if o == nil {
		return newOverlay([]*layer{l})
	}
	n := &overlay{layers: append(o.layers, l), byBucket: o.byBucket, bytes: o.bytes + l.size}
	for name := range l.buckets {
		if o.byBucket[name] == nil {
			n.byBucket = maps.Clone(o.byBucket)
			break
		}
	}
	n.listIn(l)
	return n
}

// pending is one bucket's view through a transaction's layers: the
// layers that hold writes to it, oldest first, then the transaction's
// own (local, nil in a read).
type pending struct {
	layers []*ovBucket
	local  *ovBucket
}

// pendingOf is bucket name's view through the layers of o after seq (the
// ones bbolt's state lacks) and local.
func pendingOf(o *overlay, seq uint64, local *layer, name []byte) *pending {
	p := &pending{}
	if o != nil && len(o.layers) > 0 {
		var bs []*ovBucket
		if list := o.byBucket[string(name)]; list != nil {
			bs = list.load()
		}
		// The list may hold layers newer than o's (with).
		top := o.layers[len(o.layers)-1].seq
		j := len(bs)
		for j > 0 && bs[j-1].at > top {
			j--
		}
		i := 0
		for i < j && bs[i].at <= seq {
			i++
		}
		p.layers = bs[i:j]
	}
	if local != nil {
		p.local = local.buckets[string(name)]
	}
	return p
}

// exists says some layer made the bucket.
func (p *pending) exists() bool {
	if p.local != nil && p.local.created {
		return true
	}
	for _, b := range p.layers {
		if b.created {
			return true
		}
	}
	return false
}

// find is key's newest pending entry.
func (p *pending) find(key []byte) (ovEntry, bool) {
	if p.local != nil {
		if e, ok := p.local.entries[string(key)]; ok {
			return e, true
		}
	}
	if len(p.layers) == 0 {
		return ovEntry{}, false
	}
	bi, bj := keyBits(key)
	for i := len(p.layers) - 1; i >= 0; i-- {
		l := p.layers[i]
		if !l.mayHold(bi, bj) {
			continue
		}
		if e, ok := l.entries[string(key)]; ok {
			return e, true
		}
	}
	return ovEntry{}, false
}

// sequence is the bucket's newest pending sequence.
func (p *pending) sequence() (uint64, bool) {
	if p.local != nil && p.local.hasSeq {
		return p.local.seq, true
	}
	for i := len(p.layers) - 1; i >= 0; i-- {
		if p.layers[i].hasSeq {
			return p.layers[i].seq, true
		}
	}
	return 0, false
}

// sorted is every pending entry of the bucket, the newest of each key, in
// key order.
func (p *pending) sorted() []ovPair {
	n := 0
	for _, b := range p.layers {
		n += len(b.entries)
	}
	if p.local != nil {
		n += len(p.local.entries)
	}
	if n == 0 {
		return nil
	}
	if len(p.layers) == 1 && p.local == nil || len(p.layers) == 0 {
		b := p.local
		if b == nil {
			b = p.layers[0]
		}
		out := make([]ovPair, 0, len(b.entries))
		for k, e := range b.entries {
			out = append(out, ovPair{k, e})
		}
		slices.SortFunc(out, func(a, b ovPair) int { return strings.Compare(a.key, b.key) })
		return out
	}
	newest := make(map[string]ovEntry, n)
	for _, b := range p.layers {
		for k, e := range b.entries {
			newest[k] = e
		}
	}
	if p.local != nil {
		for k, e := range p.local.entries {
			newest[k] = e
		}
	}
	out := make([]ovPair, 0, len(newest))
	for k, e := range newest {
		out = append(out, ovPair{k, e})
	}
	slices.SortFunc(out, func(a, b ovPair) int { return strings.Compare(a.key, b.key) })
	return out
}

// count is the bucket's number of pairs, bbolt's (b, nil when only the
// layers made it) corrected by what the layers put and deleted.
func (p *pending) count(b *bolt.Bucket) int {
	n := 0
	if b != nil {
		n = b.Stats().KeyN
	}
	for _, e := range p.sorted() {
		inFile := b != nil && b.Get([]byte(e.key)) != nil
		switch {
		case !e.del && !inFile:
			n++
		case e.del && inFile:
			n--
		}
	}
	return n
}

// mixed is a cursor over bbolt's pairs (c, nil when only the layers made
// the bucket) and the pending entries (pend, in key order): a pending
// entry hides bbolt's pair of the same key, and a deleted one hides it
// without showing itself.
//
// Moving forward, bk is bbolt's first key not before the current one and
// pi the first pending entry not before it; moving back, bk is bbolt's
// last key not after it and pi the last pending entry not after it.
//
// Two differences from bbolt's cursor, which no caller meets: once it has
// run off either end it stays off (bbolt's Prev after the end finds the
// last pair again), and it walks the pending entries as they were when it
// was made (a Put made through the bucket during the walk is not met).
type mixed struct {
	c      *bolt.Cursor
	pend   []ovPair
	pi     int
	bk, bv []byte
	cur    []byte
	back   bool
}

func (m *mixed) boltFirst() ([]byte, []byte) {
	if m.c == nil {
		return nil, nil
	}
	return m.c.First()
}

func (m *mixed) boltLast() ([]byte, []byte) {
	if m.c == nil {
		return nil, nil
	}
	return m.c.Last()
}

func (m *mixed) boltSeek(key []byte) ([]byte, []byte) {
	if m.c == nil {
		return nil, nil
	}
	return m.c.Seek(key)
}

func (m *mixed) boltNext() ([]byte, []byte) {
	if m.c == nil {
		return nil, nil
	}
	return m.c.Next()
}

func (m *mixed) boltPrev() ([]byte, []byte) {
	if m.c == nil {
		return nil, nil
	}
	return m.c.Prev()
}

// searchPend is the index of the first pending entry not before key.
func (m *mixed) searchPend(key []byte) int {
	i, _ := slices.BinarySearchFunc(m.pend, key, func(p ovPair, k []byte) int {
		return strings.Compare(p.key, string(k))
	})
	return i
}

func (m *mixed) first() ([]byte, []byte) {
	m.bk, m.bv = m.boltFirst()
	m.pi, m.back = 0, false
	return m.forward()
}

func (m *mixed) last() ([]byte, []byte) {
	m.bk, m.bv = m.boltLast()
	m.pi, m.back = len(m.pend)-1, true
	return m.backward()
}

func (m *mixed) seek(key []byte) ([]byte, []byte) {
	m.bk, m.bv = m.boltSeek(key)
	m.pi, m.back = m.searchPend(key), false
	return m.forward()
}

func (m *mixed) next() ([]byte, []byte) {
	if m.cur == nil {
		return nil, nil
	}
	if m.back {
		// Turned round: both sides again from the current key on.
		m.bk, m.bv = m.boltSeek(m.cur)
		m.pi, m.back = m.searchPend(m.cur), false
	}
	if m.bk != nil && bytes.Equal(m.bk, m.cur) {
		m.bk, m.bv = m.boltNext()
	}
	if m.pi < len(m.pend) && m.pend[m.pi].key == string(m.cur) {
		m.pi++
	}
	return m.forward()
}

func (m *mixed) prev() ([]byte, []byte) {
	if m.cur == nil {
		return nil, nil
	}
	if !m.back {
		// Turned round: both sides again from the current key back.
		m.bk, m.bv = m.boltSeek(m.cur)
		if m.bk == nil {
			m.bk, m.bv = m.boltLast()
		} else if !bytes.Equal(m.bk, m.cur) {
			m.bk, m.bv = m.boltPrev()
		}
		i := m.searchPend(m.cur)
		if i < len(m.pend) && m.pend[i].key == string(m.cur) {
			i++
		}
		m.pi, m.back = i-1, true
	}
	if m.bk != nil && bytes.Equal(m.bk, m.cur) {
		m.bk, m.bv = m.boltPrev()
	}
	if m.pi >= 0 && m.pi < len(m.pend) && m.pend[m.pi].key == string(m.cur) {
		m.pi--
	}
	return m.backward()
}

// forward settles on the first visible pair from the two sides' positions.
func (m *mixed) forward() ([]byte, []byte) {
	for {
		var p *ovPair
		if m.pi < len(m.pend) {
			p = &m.pend[m.pi]
		}
		if p == nil || m.bk != nil && bytes.Compare(m.bk, []byte(p.key)) < 0 {
			m.cur = m.bk
			return m.bk, m.bv
		}
		if m.bk != nil && string(m.bk) == p.key {
			m.bk, m.bv = m.boltNext() // hidden by the pending entry
		}
		if p.del {
			m.pi++
			continue
		}
		m.cur = []byte(p.key)
		return m.cur, p.value
	}
}

// backward settles on the last visible pair from the two sides' positions.
func (m *mixed) backward() ([]byte, []byte) {
	for {
		var p *ovPair
		if m.pi >= 0 && m.pi < len(m.pend) {
			p = &m.pend[m.pi]
		}
		if p == nil || m.bk != nil && bytes.Compare(m.bk, []byte(p.key)) > 0 {
			m.cur = m.bk
			return m.bk, m.bv
		}
		if m.bk != nil && string(m.bk) == p.key {
			m.bk, m.bv = m.boltPrev()
		}
		if p.del {
			m.pi--
			continue
		}
		m.cur = []byte(p.key)
		return m.cur, p.value
	}
}

// mixedBucket is Tx.Bucket on a journaled file: bbolt's bucket read
// through the layers, nil when neither holds it.
func (t *Tx) mixedBucket(name []byte) *Bucket {
	if bk := t.buckets[string(name)]; bk != nil {
		return bk
	}
	p := pendingOf(t.ov, t.applied, t.local, name)
	b := t.b.Bucket(name)
	if b == nil && !p.exists() {
		return nil
	}
	if t.buckets == nil {
		t.buckets = map[string]*Bucket{}
	}
	bk := &Bucket{b: b, t: t, name: name, p: p}
	t.buckets[string(name)] = bk
	return bk
}

// createMixed is CreateBucketIfNotExists on a journaled file: a bucket
// neither bbolt nor the layers hold is made in the transaction's layer.
func (t *Tx) createMixed(name []byte) error {
	if t.Bucket(name) != nil {
		return nil
	}
	if t.local == nil {
		return bolterr.ErrTxNotWritable
	}
	if len(name) == 0 {
		// bbolt refuses it: its record would fail every replay.
		return bolterr.ErrBucketNameRequired
	}
	lb := t.local.bucket(name)
	lb.created = true
	t.log.add(walBucket, name, nil, nil)
	delete(t.buckets, string(name))
	return nil
}

// write is Put (walPut) or Delete (walDelete) on a journaled file: the
// journal's record takes the write, and the transaction's layer points
// into the record.
func (b *Bucket) write(op byte, key, value []byte) error {
	t := b.t
	if t.local == nil {
		return bolterr.ErrTxNotWritable
	}
	if op == walDelete && (len(key) == 0 || len(key) > bolt.MaxKeySize) {
		return nil // no pair has such a key: bbolt deletes nothing
	}
	if len(key) == 0 {
		return bolterr.ErrKeyRequired
	}
	if len(key) > bolt.MaxKeySize {
		return bolterr.ErrKeyTooLarge
	}
	if int64(len(value)) > bolt.MaxValueSize {
		return bolterr.ErrValueTooLarge
	}
	if b.p.local == nil {
		b.p.local = t.local.bucket(b.name)
	}
	if b.FillPercent != 0 {
		b.p.local.fill = b.FillPercent
	}
	k, v := t.log.add(op, b.name, key, value)
	if op == walPut && v == nil {
		v = []byte{} // an empty value is a value, not a missing one
	}
	// The key's bytes in the log never change: the map's key is them,
	// not a copy (a first download holds some 40,000 of them).
	b.p.local.entries[unsafe.String(&k[0], len(k))] = ovEntry{value: v, del: op == walDelete}
	b.p.local.note(k)
	return nil
}

// nextMixed is NextSequence on a journaled file.
func (b *Bucket) nextMixed() (uint64, error) {
	t := b.t
	if t.local == nil {
		return 0, bolterr.ErrTxNotWritable
	}
	n, ok := b.p.sequence()
	if !ok && b.b != nil {
		n = b.b.Sequence()
	}
	n++
	if b.p.local == nil {
		b.p.local = t.local.bucket(b.name)
	}
	b.p.local.seq, b.p.local.hasSeq = n, true
	t.log.add(walSequence, b.name, nil, U64(n))
	return n, nil
}

// sequence is a bbolt file's bucket sequence, through the layers.
func (b *Bucket) sequence() uint64 {
	if b.p != nil {
		if n, ok := b.p.sequence(); ok {
			return n
		}
	}
	if b.b == nil {
		return 0
	}
	return b.b.Sequence()
}

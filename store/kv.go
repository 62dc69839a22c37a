package store

import (
	"bytes"
	"errors"
	gosync "sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The store keeps its records in named buckets of keys and values, read
// and written in transactions: a bbolt file on every desk and, by
// default, on dossierd; on PostgreSQL (store/postgres) for dossierd
// deployments that outgrow one machine. Tx, Bucket and Cursor give every
// record's code one interface over both, with bbolt's names and
// semantics: a transaction sees its own writes, and a writer runs as if
// alone.

// Remote is a key-value backend other than bbolt, for the server.
type Remote interface {
	// Update runs fn in a read-write transaction, committed when fn
	// returns nil; it may run fn again after a conflict with a concurrent
	// transaction, so fn must start from what it reads.
	Update(fn func(RemoteTx) error) error
	// View runs fn in a read-only transaction on a consistent snapshot.
	View(fn func(RemoteTx) error) error
	// Changed is told of every commit that wrote to the change feed, by
	// any process on the same database.
	Changed(ring func())
	Close() error
}

// RemoteTx is one transaction of a Remote.
type RemoteTx interface {
	Get(bucket, key []byte) ([]byte, error)
	Put(bucket, key, value []byte) error
	Delete(bucket, key []byte) error
	// Scan returns up to n pairs of bucket from key on (inclusive) in key
	// order, or, reverse, from key back (inclusive; nil key: the last).
	Scan(bucket, key []byte, n int, reverse bool) (keys, values [][]byte, err error)
	// NextSequence returns the bucket's next sequence number. Two
	// transactions that take one commit in the order of their numbers.
	NextSequence(bucket []byte) (uint64, error)
	// Count counts the bucket's pairs.
	Count(bucket []byte) (int, error)
	// Notify has the commit tell every process's Changed.
	Notify() error
}

// kvdb is an open store's backend.
type kvdb struct {
	bolt   *bolt.DB
	remote Remote
	// wal, on a bbolt file, is the journal every write goes through
	// first (wal.go); nil for a throw-away profile (Options.NoSync).
	wal   *wal
	group groupCommit
	// commits, when set, is told how long each write transaction took
	// from the end of its work to its commit (health.go).
	commits atomic.Pointer[func(time.Duration)]
}

// Update runs fn in a read-write transaction.
func (d *kvdb) Update(fn func(*Tx) error) error {
	fn, end := d.timed(fn)
	err := d.update(fn)
	end(err)
	return err
}

func (d *kvdb) update(fn func(*Tx) error) error {
	if d.wal != nil {
		return d.wal.update(fn)
	}
	if d.remote == nil {
		return d.bolt.Update(func(b *bolt.Tx) error { return run(&Tx{b: b}, fn) })
	}
	var commits []func()
	err := d.remote.Update(func(r RemoteTx) error {
		t := &Tx{r: r}
		if err := run(t, fn); err != nil {
			return err
		}
		commits = t.commits
		return nil
	})
	if err == nil {
		for _, f := range commits {
			f()
		}
	}
	return err
}

// View runs fn in a read-only transaction.
func (d *kvdb) View(fn func(*Tx) error) error {
	if d.wal != nil {
		return d.wal.view(fn)
	}
	if d.remote == nil {
		return d.bolt.View(func(b *bolt.Tx) error { return run(&Tx{b: b}, fn) })
	}
	return d.remote.View(func(r RemoteTx) error { return run(&Tx{r: r}, fn) })
}

// updateFile is Store.UpdateFile.
func (d *kvdb) updateFile(fn func(*bolt.Tx) error) error {
	if d.remote != nil {
		return errors.New("store: not a bbolt file")
	}
	if d.wal != nil {
		return d.wal.updateFile(fn)
	}
	return d.bolt.Update(fn)
}

// settle has bbolt's file hold every action taken so far (wal.go), for
// what reads the file itself: a backup.
func (d *kvdb) settle() error {
	if d.wal == nil {
		return nil
	}
	return d.wal.settle()
}

// Batch is Update for writes that may share a commit with others under
// way (bbolt's Batch): fn may run more than once.
func (d *kvdb) Batch(fn func(*Tx) error) error {
	fn, end := d.timed(fn)
	var err error
	if d.wal != nil {
		err = d.group.join(d.wal.update, groupMax, fn)
	} else if d.remote == nil {
		err = d.bolt.Batch(func(b *bolt.Tx) error { return run(&Tx{b: b}, fn) })
	} else {
		err = d.group.join(d.update, remoteBatchSize, fn)
	}
	end(err)
	return err
}

// timed wraps fn to note when its work ends, and returns end, which tells
// the commits observer how long the commit took after that (the time a
// caller waits for the disk, or the database, once its writes are made).
func (d *kvdb) timed(fn func(*Tx) error) (func(*Tx) error, func(error)) {
	observe := d.commits.Load()
	if observe == nil {
		return fn, func(error) {}
	}
	var worked atomic.Int64
	return func(t *Tx) error {
			err := fn(t)
			worked.Store(time.Now().UnixNano())
			return err
		}, func(err error) {
			if at := worked.Load(); err == nil && at != 0 {
				(*observe)(time.Since(time.Unix(0, at)))
			}
		}
}

// groupCommit is Batch on a journaled file and on a remote backend: the
// calls that arrive while a transaction is under way share the next one
// (up to max), so that many pushes take one commit — on a journaled file
// one journal sync, on PostgreSQL one lock hand-over and one commit. When
// a shared transaction fails, each call runs again alone, so one call's
// error is its own.
type groupCommit struct {
	mu      gosync.Mutex
	pending []groupCall
	leading bool
}

type groupCall struct {
	fn   func(*Tx) error
	done chan error
}

// The most calls one transaction takes: on a journaled file, and on a
// remote backend, where each call's reads are round trips made while the
// transaction holds the writer lock.
const (
	groupMax        = 512
	remoteBatchSize = 256
)

// join runs fn in the next transaction update runs.
func (g *groupCommit) join(update func(func(*Tx) error) error, max int, fn func(*Tx) error) error {
	c := groupCall{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, c)
	if !g.leading {
		g.leading = true
		go g.lead(update, max)
	}
	g.mu.Unlock()
	return <-c.done
}

func (g *groupCommit) lead(update func(func(*Tx) error) error, max int) {
	for {
		g.mu.Lock()
		calls := g.pending
		if len(calls) > max {
			calls, g.pending = calls[:max:max], calls[max:]
		} else {
			g.pending = nil
		}
		if len(calls) == 0 {
			g.leading = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		err := update(func(tx *Tx) error {
			for _, c := range calls {
				if err := c.fn(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil || len(calls) == 1 {
			for _, c := range calls {
				c.done <- err
			}
			continue
		}
		for _, c := range calls {
			c.done <- update(c.fn)
		}
	}
}

func (d *kvdb) Close() error {
	if d.remote != nil {
		return d.remote.Close()
	}
	var err error
	if d.wal != nil {
		err = d.wal.close()
	}
	if cerr := d.bolt.Close(); err == nil {
		err = cerr
	}
	return err
}

// run runs fn, then fails the transaction with the first error the
// backend gave, which fn may not have seen (a Get that failed reads as
// missing).
func run(t *Tx, fn func(*Tx) error) error {
	err := fn(t)
	if t.err != nil {
		return t.err
	}
	return err
}

// Tx is a transaction on the store's buckets.
type Tx struct {
	b        *bolt.Tx
	r        RemoteTx
	err      error
	commits  []func()
	buckets  map[string]*Bucket
	notified bool
	// log gathers a journaled write's writes: its record (wal.go).
	log *walLog
	// On a journaled file, the layers (those of ov after applied, which
	// bbolt's state b lacks), and in a write the transaction's own writes
	// (local), which b, read-only, does not take (overlay.go); mixed says
	// b is read through them.
	ov      *overlay
	applied uint64
	local   *layer
	mixed   bool
}

// writable says the transaction may write.
func (t *Tx) writable() bool {
	if t.mixed {
		return t.local != nil
	}
	return t.r != nil || t.b.Writable()
}

// IsFile says the transaction is on a bbolt file, not a remote backend.
func (t *Tx) IsFile() bool { return t.b != nil }

// Bucket returns the named bucket (nil when a bbolt file lacks it).
func (t *Tx) Bucket(name []byte) *Bucket {
	if t.mixed {
		return t.mixedBucket(name)
	}
	if t.b != nil {
		b := t.b.Bucket(name)
		if b == nil {
			return nil
		}
		return &Bucket{b: b, t: t, name: name}
	}
	if bk := t.buckets[string(name)]; bk != nil {
		return bk
	}
	if t.buckets == nil {
		t.buckets = map[string]*Bucket{}
	}
	bk := &Bucket{t: t, name: name}
	t.buckets[string(name)] = bk
	return bk
}

// OnCommit runs f once the transaction has committed.
func (t *Tx) OnCommit(f func()) {
	if t.b != nil && !t.mixed {
		t.b.OnCommit(f)
		return
	}
	t.commits = append(t.commits, f)
}

// Bolt is the bbolt transaction under t, nil on a remote backend: for the
// maintenance only a file has (backups). On a journaled file it is
// read-only and may lack the newest actions: a backup settles the layers
// first, and writes to the file itself go through Store.UpdateFile.
func (t *Tx) Bolt() *bolt.Tx { return t.b }

// CreateBucketIfNotExists makes a bucket of a bbolt file; a remote
// backend's buckets need no making.
func (t *Tx) CreateBucketIfNotExists(name []byte) error {
	if t.mixed {
		return t.createMixed(name)
	}
	if t.b == nil {
		return nil
	}
	_, err := t.b.CreateBucketIfNotExists(name)
	return err
}

// notifyOthers has the commit wake the other processes on the same
// remote database (their long-polls); a bbolt file has one process.
func (t *Tx) notifyOthers() {
	if t.r == nil || t.notified {
		return
	}
	t.notified = true
	t.fail(t.r.Notify())
}

func (t *Tx) fail(err error) {
	if err != nil && t.err == nil {
		t.err = err
	}
}

// Bucket is a bucket within a transaction.
type Bucket struct {
	b    *bolt.Bucket
	t    *Tx
	name []byte
	// p, on a journaled file, is what the layers hold of the bucket
	// (overlay.go); b is nil when only they made it.
	p *pending
	// FillPercent is how full bbolt fills a page before it splits it:
	// high for buckets written in key order (logs), so their pages are
	// full.
	FillPercent float64
}

// Get returns the value of key, nil when there is none. On bbolt the
// value lives as long as the transaction.
func (b *Bucket) Get(key []byte) []byte {
	if b.p != nil {
		if e, ok := b.p.find(key); ok || b.b == nil {
			return e.value
		}
	}
	if b.b != nil {
		return b.b.Get(key)
	}
	v, err := b.t.r.Get(b.name, key)
	b.t.fail(err)
	return v
}

// Put sets key to value.
func (b *Bucket) Put(key, value []byte) error {
	if b.p != nil {
		return b.write(walPut, key, value)
	}
	if b.b != nil {
		if b.FillPercent != 0 {
			b.b.FillPercent = b.FillPercent
		}
		err := b.b.Put(key, value)
		return err
	}
	err := b.t.r.Put(b.name, key, value)
	b.t.fail(err)
	return err
}

// Delete removes key.
func (b *Bucket) Delete(key []byte) error {
	if b.p != nil {
		return b.write(walDelete, key, nil)
	}
	if b.b != nil {
		err := b.b.Delete(key)
		return err
	}
	err := b.t.r.Delete(b.name, key)
	b.t.fail(err)
	return err
}

// NextSequence returns the bucket's next sequence number.
func (b *Bucket) NextSequence() (uint64, error) {
	if b.p != nil {
		return b.nextMixed()
	}
	if b.b != nil {
		n, err := b.b.NextSequence()
		return n, err
	}
	n, err := b.t.r.NextSequence(b.name)
	b.t.fail(err)
	return n, err
}

// Count counts the bucket's pairs.
func (b *Bucket) Count() int {
	if b.p != nil {
		return b.p.count(b.b)
	}
	if b.b != nil {
		return b.b.Stats().KeyN
	}
	n, err := b.t.r.Count(b.name)
	b.t.fail(err)
	return n
}

// Cursor walks the bucket in key order.
func (b *Bucket) Cursor() *Cursor {
	if b.p != nil {
		m := &mixed{pend: b.p.sorted()}
		if b.b != nil {
			m.c = b.b.Cursor()
		}
		return &Cursor{m: m, b: b}
	}
	if b.b != nil {
		return &Cursor{c: b.b.Cursor(), b: b}
	}
	return &Cursor{b: b}
}

// remotePage is how many pairs a remote cursor reads at a time.
const remotePage = 128

// Cursor is a position in a bucket.
type Cursor struct {
	c *bolt.Cursor
	// m is a cursor through a journaled file's layers (overlay.go).
	m *mixed
	// On a remote backend: the bucket, the page read and the position in
	// it, and which way the page was read.
	b       *Bucket
	keys    [][]byte
	values  [][]byte
	i       int
	reverse bool
}

// First moves to the first pair.
func (c *Cursor) First() (key, value []byte) {
	if c.m != nil {
		return c.m.first()
	}
	if c.c != nil {
		return c.c.First()
	}
	return c.load(nil, false, false)
}

// Last moves to the last pair.
func (c *Cursor) Last() (key, value []byte) {
	if c.m != nil {
		return c.m.last()
	}
	if c.c != nil {
		return c.c.Last()
	}
	return c.load(nil, true, false)
}

// Seek moves to the first pair at or after key.
func (c *Cursor) Seek(key []byte) (k, v []byte) {
	if c.m != nil {
		return c.m.seek(key)
	}
	if c.c != nil {
		return c.c.Seek(key)
	}
	return c.load(key, false, false)
}

// Next moves to the next pair.
func (c *Cursor) Next() (key, value []byte) {
	if c.m != nil {
		return c.m.next()
	}
	if c.c != nil {
		return c.c.Next()
	}
	return c.step(false)
}

// Prev moves to the pair before.
func (c *Cursor) Prev() (key, value []byte) {
	if c.m != nil {
		return c.m.prev()
	}
	if c.c != nil {
		return c.c.Prev()
	}
	return c.step(true)
}

// Delete removes the pair the cursor is on.
func (c *Cursor) Delete() error {
	if c.m != nil {
		if c.m.cur == nil {
			return errNoPosition
		}
		return c.b.Delete(c.m.cur)
	}
	if c.c != nil {
		return c.c.Delete()
	}
	if c.i < 0 || c.i >= len(c.keys) {
		return errNoPosition
	}
	return c.b.Delete(c.keys[c.i])
}

var errNoPosition = errors.New("store: cursor is on no pair")

// load reads a page from key (excluded when after), forward or back.
func (c *Cursor) load(key []byte, reverse, after bool) ([]byte, []byte) {
	n := remotePage
	if after {
		n++ // the key itself comes back first
	}
	keys, values, err := c.b.t.r.Scan(c.b.name, key, n, reverse)
	c.b.t.fail(err)
	if after && len(keys) > 0 && bytes.Equal(keys[0], key) {
		keys, values = keys[1:], values[1:]
	}
	c.keys, c.values, c.i, c.reverse = keys, values, 0, reverse
	return c.current()
}

func (c *Cursor) current() ([]byte, []byte) {
	if c.i < 0 || c.i >= len(c.keys) {
		return nil, nil
	}
	return c.keys[c.i], c.values[c.i]
}

// step moves one pair on, back when back, reading the next page when the
// one read is used up (or was read the other way).
func (c *Cursor) step(back bool) ([]byte, []byte) {
	if c.i < 0 || c.i >= len(c.keys) {
		return nil, nil
	}
	if back == c.reverse && c.i+1 < len(c.keys) {
		c.i++
		return c.current()
	}
	from := c.keys[c.i]
	if back != c.reverse && c.i > 0 {
		c.i--
		return c.current()
	}
	return c.load(from, back, true)
}

// CheckFile walks a bbolt file's pages and reports the first
// inconsistency (a page freed twice, a branch pointing nowhere…): what a
// crash would leave if a commit could be half-written. Nothing on a
// remote backend, which checks itself.
func (s *Store) CheckFile() error {
	if s.db.bolt == nil {
		return nil
	}
	return s.db.bolt.View(func(tx *bolt.Tx) error {
		var first error
		for err := range tx.Check() { // read to the end: the check reads the pages of tx
			if first == nil {
				first = err
			}
		}
		return first
	})
}

func HasPrefix(k, prefix []byte) bool {
	return len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}

// AppendFill is the page fill for buckets written mostly at their end
// (requests, audit, outbox); bbolt's default of one half suits random
// inserts and leaves appended pages half empty.
const AppendFill = 0.9

package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	gosync "sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"

	"dossier/domain"
)

// The write-ahead journal in front of a bbolt file (a desk's profile,
// dossierd's store; PostgreSQL has its own). An action's writes — the
// sealed values it puts and the keys it deletes, so nothing in clear — are
// appended to <file>-journal as one record and synced once (on Linux, one
// direct write that returns once the disk holds it: wal_direct.go); the
// same writes are then readable at once through the layers (overlay.go),
// and written to bbolt later without an fsync. A checkpoint (after a
// second without writes, or once the journal holds its checkpoint bytes)
// fdatasyncs the bbolt file and starts the journal again.
//
// Power loss between checkpoints may leave the bbolt file with pages and
// meta pages written after the checkpoint only partly on disk. The journal
// therefore keeps a copy of the checkpoint's meta page, and a read
// transaction on the checkpoint's state stays open until the next one, so
// bbolt never reuses a page that state reaches. At open after a crash, the
// checkpoint's meta page is written back over both of bbolt's, which
// returns the file to the last synced state, whole, and the journal's
// records are replayed onto it in order (full values: replaying twice
// changes nothing). A record is its length and a CRC-32C over the
// checkpoint's generation and its bytes, so a torn tail, or a record of an
// earlier generation, ends the replay.
//
// dossierd's journal has two halves (walTuning.region), and its
// checkpoints do not hold the writers while bbolt's file syncs
// (turnAside): the writers wait while the state is chosen and pinned,
// then append the next generation in the other half; the header naming
// the new state is written once bbolt's file is synced. Until then a
// replay reads the old generation's records, then the new one's; the old
// state's pin keeps its pages until the header is on disk. A replay ends
// with a header naming the state it made, of a generation after every one
// its records were of (recoverFile): those records are never replayed
// again, nor taken up past a later generation's. A header's slot is its
// generation's parity, as in journals written before, and generations are
// skipped so that the newest header is never overwritten (nextGen).

const (
	walSlot     = 4096        // each of the two header slots
	walData     = 2 * walSlot // where records start
	walPrefill  = 16 << 20    // zeros written once: appends then overwrite allocated blocks, and fdatasync has no size to record
	walMetaSize = 80          // bbolt's page header and meta
	// walCheckpointBytes of records start a checkpoint (dossierd's
	// journal has its own: walServer).
	walCheckpointBytes = 8 << 20
	// walGrowth of bbolt's file since the checkpoint starts a checkpoint:
	// the pages that the checkpoint's state reaches are not reused until
	// the next, so the file grows between them.
	walGrowth = 64 << 20
	// walBigTx of writes make a transaction skip the journal: its commit
	// is synced by a checkpoint instead.
	walBigTx = 16 << 20
	// walMmap is bbolt's initial mapping: a file within it never needs
	// remapping, which waits for every read transaction, the pin included.
	walMmap = min(16<<30, math.MaxInt/2)
	// walMargin is how close to walMmap a file may grow before the journal
	// gives way to bbolt's own fsync per commit.
	walMargin = walMmap / 16
)

var walMagic = []byte("DOSSWAL1")

// walRecordHead is a record's length and checksum, before its writes.
const walRecordHead = 8

// Variables for the tests: walIdle without writes starts a checkpoint, and
// so do walCommits of bbolt's commits since the last (the applier's, each
// of up to walApplyGroup actions): the pages freed since the checkpoint
// wait in bbolt's pending list, which every commit walks, so it is kept
// short.
var (
	walIdle    = time.Second
	walCommits = 128
	// walWriteback of bbolt's commits start the disk writing its dirty
	// pages (startWriteback, outside the lock): the checkpoint's sync,
	// which holds every writer back, then finds little left to write.
	// Under 200 desks a checkpoint that wrote 128 commits' pages itself
	// held the server's writers for up to 300 ms.
	walWriteback = 8
)

// The applier writes the layers to bbolt once walApplyGroup of them (or
// walApplyBytes of records) wait, or after walApplyIdle without a new
// one: in groups, which share the pages they write, and between a
// person's clicks. A writer that finds walMaxLayers waiting, or
// walMaxPending bytes of records, writes them itself: memory stays
// bounded when the disk falls behind (a first download's pages).
//
// A group of 128 rather than 32 made dossierd's applier 10 % cheaper a
// command under 200 desks (its commands append to the same leaves, which
// a bigger group writes once); a desk's Verify, which writes scattered
// keys, and its first download, whose layers pass walApplyBytes one by
// one, measured the same.
var (
	walApplyGroup = 128
	walApplyBytes = 1 << 20
	walApplyIdle  = 2 * time.Millisecond
	walMaxLayers  = 512
	walMaxPending = 4 << 20
)

// walMarks is how many recent bbolt states the marks remember.
const walMarks = 256

// walMark says that bbolt's state txid holds the layers up to seq.
type walMark struct{ txid, seq uint64 }

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// fileSyncs counts every sync the journaled stores ask of the disk, the
// journal's and bbolt's, for the tests.
var fileSyncs atomic.Int64

// fdatasync flushes f's data (and its size, when it grew), not its times.
func fdatasync(f *os.File) error {
	fileSyncs.Add(1)
	if syncFault != nil {
		if err := syncFault(f); err != nil {
			return err
		}
	}
	return fdatasyncFile(f)
}

// applyFault, set by a test, fails the applier's commits, as bbolt would
// on a full disk.
var applyFault func() error

// syncFault, set by a test, fails the syncs it chooses, as a disk that
// reports an error would.
var syncFault func(*os.File) error

// Journal ops.
const (
	walPut byte = iota + 1
	walDelete
	walSequence
	walBucket
)

// JournalPath is the journal file of the bbolt file at path.
func JournalPath(path string) string { return path + "-journal" }

// walLog gathers one transaction's writes, the journal record to be, in
// chunks that never move once written: the transaction's layer points
// into them (overlay.go), and a log that grew by copying would keep every
// copy alive.
type walLog struct {
	chunks [][]byte // the full chunks, before cur
	cur    []byte
	size   int // the record's bytes, its head included
	n      int
	// big says the writes passed walBigTx: a bulk load, which commitBig
	// writes to bbolt at once.
	big bool
}

// A log's first chunk holds a Verify's record (about 2 KiB); later ones
// double, up to walChunkMax.
const (
	walChunk    = 4096
	walChunkMax = 1 << 20
)

// add appends one write whole to the current chunk, and returns where key
// and value now live in the log.
func (l *walLog) add(op byte, bucket, key, value []byte) (k, v []byte) {
	need := 1 + 3*binary.MaxVarintLen64 + len(bucket) + len(key) + len(value)
	switch {
	case l.cur == nil:
		// The record's head first, filled in by append.
		l.cur = make([]byte, walRecordHead, max(walChunk, walRecordHead+need))
		l.size = walRecordHead
	case cap(l.cur)-len(l.cur) < need:
		l.chunks = append(l.chunks, l.cur)
		l.cur = make([]byte, 0, max(need, min(2*cap(l.cur), walChunkMax)))
	}
	before := len(l.cur)
	l.cur = append(l.cur, op)
	l.cur = binary.AppendUvarint(l.cur, uint64(len(bucket)))
	l.cur = append(l.cur, bucket...)
	l.cur = binary.AppendUvarint(l.cur, uint64(len(key)))
	kat := len(l.cur)
	l.cur = append(l.cur, key...)
	k = l.cur[kat:len(l.cur):len(l.cur)]
	l.cur = binary.AppendUvarint(l.cur, uint64(len(value)))
	at := len(l.cur)
	l.cur = append(l.cur, value...)
	l.size += len(l.cur) - before
	l.n++
	l.big = l.big || l.size > walBigTx
	if value != nil {
		v = l.cur[at:len(l.cur):len(l.cur)]
	}
	return k, v
}

// parts are the record's chunks, the first starting with its head.
func (l *walLog) parts() [][]byte {
	return append(l.chunks[:len(l.chunks):len(l.chunks)], l.cur)
}

// body is the record without its head, in its chunks: whole writes each.
func (l *walLog) body() [][]byte {
	parts := l.parts()
	parts[0] = parts[0][walRecordHead:]
	return parts
}

// wal is an open journal.
type wal struct {
	f    *os.File // the journal, locked (flock) for the store's life
	prof *os.File // the bbolt file, to read its meta pages
	db   *bolt.DB
	// direct writes the records, where the system allows (wal_direct.go),
	// opened at the first record: an open that only reads pays nothing.
	direct      *directLog
	directTried bool

	mu  gosync.Mutex // writers and checkpoints
	gen uint64       // the generation appended to
	// off is where the next record goes; base, where the generation's
	// records start (regionStart).
	off, base int64
	// slot is the header slot written last (nextGen: the next header
	// goes in the other, so that the newest is never overwritten).
	slot int
	// pin holds the checkpoint's state; turning is a checkpoint aside
	// whose header is being written (turnAside).
	pin     *bolt.Tx
	turning *walTurn
	size    atomic.Int64 // bbolt's file size at the last commit
	since   atomic.Int64 // bbolt's commits since the checkpoint
	synced  int          // and at the last checkpoint
	last    time.Time
	broken  error
	bypass  bool // the journal gave way to bbolt's fsync (walMargin)
	// unlisted says a commit since the checkpoint left bbolt's freelist
	// unwritten (bolt's NoFreelistSync).
	unlisted atomic.Bool

	// The layers synced to the journal and not yet in bbolt (overlay.go):
	// ov is replaced, never changed, under ovMu; seq numbers them (w.mu).
	ov   atomic.Pointer[overlay]
	ovMu gosync.Mutex
	seq  uint64
	// applyMu is held while the layers are written to bbolt (settle);
	// applyErr is the error that stopped it, after which no write is
	// taken.
	applyMu  gosync.Mutex
	applyErr atomic.Pointer[error]
	// marks say which layers each recent bbolt state holds.
	marks [walMarks]atomic.Pointer[walMark]
	// applyKick tells the applier a layer was published.
	applyKick chan struct{}
	applyDone chan struct{}
	idle      *time.Timer // the applier's, reset by each commit

	// tuning is the desk's or dossierd's (walDesk, walServer);
	// settling counts the settles that wait for applyMu.
	tuning   walTuning
	settling atomic.Int32

	closed bool
	// started says start put the journal in front of bbolt; working,
	// that the applier and the loop run (work).
	started, working bool
	syncs            atomic.Int64 // the journal's syncs, for the tests
	// writebacks counts the loop's startWriteback calls, for the tests.
	writebacks atomic.Int64
	made       bool // openJournal made the file
	// scanned is the header recoverFile found, with no record after it
	// (none was, or the replay cleared them): what start would read again.
	scanned *walHeader

	kick chan struct{}
	// written asks the loop to start the disk writing bbolt's pages.
	written chan struct{}
	stop    chan struct{}
	done    chan struct{}
}

// walHeader is a header slot: which checkpoint the records follow, and
// where.
type walHeader struct {
	gen  uint64
	txid uint64
	meta []byte
	// region is the size of the journal's first half (walTuning.region),
	// 0 for a journal of one: the records of a generation start at
	// regionStart(gen), and those of the next may follow in the other
	// half (a checkpoint aside). Written in a header of its own kind
	// (walMagic2), so that a journal of one keeps the format of old.
	region uint64

	// Not written: the slot the header was read from, and the
	// generation of the last record scan found after it.
	slot int
	last uint64
}

// walMagic2 starts a header that names its region.
var walMagic2 = []byte("DOSSWAL2")

func (h walHeader) marshal() []byte {
	b := make([]byte, 0, 64+walMetaSize)
	if h.region == 0 {
		b = append(b, walMagic...)
	} else {
		b = append(b, walMagic2...)
	}
	b = binary.LittleEndian.AppendUint64(b, h.gen)
	b = binary.LittleEndian.AppendUint64(b, h.txid)
	b = append(b, h.meta...)
	if h.region != 0 {
		b = binary.LittleEndian.AppendUint64(b, h.region)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

func parseHeader(b []byte) (walHeader, bool) {
	n := len(walMagic) + 16 + walMetaSize
	two := len(b) >= len(walMagic2) && string(b[:len(walMagic2)]) == string(walMagic2)
	if two {
		n += 8
	}
	if len(b) < n+4 || !two && string(b[:len(walMagic)]) != string(walMagic) ||
		binary.LittleEndian.Uint32(b[n:]) != crc32.Checksum(b[:n], crcTable) {
		return walHeader{}, false
	}
	o := len(walMagic)
	h := walHeader{gen: binary.LittleEndian.Uint64(b[o:]), txid: binary.LittleEndian.Uint64(b[o+8:]),
		meta: append([]byte(nil), b[o+16:o+16+walMetaSize]...)}
	if two {
		h.region = binary.LittleEndian.Uint64(b[o+16+walMetaSize:])
	}
	return h, true
}

// regionStart is where the records of generation gen start.
func (h walHeader) regionStart(gen uint64) int64 {
	return walData + int64(gen%2)*int64(h.region)
}

// openJournal opens (or makes) the journal of the bbolt file at path and
// locks it: a second process on the same profile is refused here.
func openJournal(path string) (*wal, error) {
	f, err := os.OpenFile(JournalPath(path), os.O_RDWR, 0)
	made := false
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.OpenFile(JournalPath(path), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		made = err == nil
		if errors.Is(err, fs.ErrExist) { // made by another process meanwhile
			f, err = os.OpenFile(JournalPath(path), os.O_RDWR, 0)
		}
	}
	if err != nil {
		return nil, domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, domain.Wrap(ErrProfileLocked, err)
	}
	return &wal{f: f, made: made}, nil
}

// scan reads the newest valid header and the records after it, up to the
// first torn or stale one: those of its generation, then, in a journal of
// two halves, those of the next (appended after a checkpoint aside chose
// its state, before its header was written). It returns where the last
// record found ends.
func (w *wal) scan() (walHeader, [][]byte, int64, error) {
	var hdr walHeader
	var found bool
	// Both slots and the first record's head in one read.
	first := make([]byte, walData+8)
	n, err := w.f.ReadAt(first, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return hdr, nil, 0, domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
	}
	first = first[:n]
	for i := range 2 {
		slot := first[min(i*walSlot, n):min((i+1)*walSlot, n)]
		if h, ok := parseHeader(slot); ok && (!found || h.gen > hdr.gen) {
			hdr, found = h, true
			hdr.slot = i
		}
	}
	if !found {
		return hdr, nil, walData, nil
	}
	hdr.last = hdr.gen
	var firstHead []byte
	if n == len(first) && hdr.regionStart(hdr.gen) == walData {
		firstHead = first[walData:]
	}
	recs, off := w.records(hdr.gen, hdr.regionStart(hdr.gen), firstHead)
	if hdr.region != 0 {
		if next, end := w.records(hdr.gen+1, hdr.regionStart(hdr.gen+1), nil); len(next) > 0 {
			recs, off, hdr.last = append(recs, next...), end, hdr.gen+1
		}
	}
	return hdr, recs, off, nil
}

// records reads the records of generation gen from off on, up to the
// first that is torn or of another generation, and returns where they
// end; head, if known, is the first record's head.
func (w *wal) records(gen uint64, off int64, head []byte) ([][]byte, int64) {
	var recs [][]byte
	buf := make([]byte, 8)
	for {
		if head != nil {
			copy(buf, head)
			head = nil
		} else if _, err := w.f.ReadAt(buf, off); err != nil {
			break
		}
		n := binary.LittleEndian.Uint32(buf)
		if n == 0 || n > 1<<30 {
			break
		}
		rec := make([]byte, n)
		if _, err := w.f.ReadAt(rec, off+8); err != nil {
			break
		}
		if binary.LittleEndian.Uint32(buf[4:]) != recordSum(gen, rec) {
			break
		}
		recs = append(recs, rec)
		off += 8 + int64(n)
	}
	return recs, off
}

func recordSum(gen uint64, rec ...[]byte) uint32 {
	n := 0
	for _, r := range rec {
		n += len(r)
	}
	var g [12]byte
	binary.LittleEndian.PutUint64(g[:], gen)
	binary.LittleEndian.PutUint32(g[8:], uint32(n))
	sum := crc32.Checksum(g[:], crcTable)
	for _, r := range rec {
		sum = crc32.Update(sum, crcTable, r)
	}
	return sum
}

// recoverFile replays what the journal holds after its checkpoint onto the
// (closed) bbolt file at path: the checkpoint's meta page back over both
// of bbolt's, then every record, in one synced commit.
func (w *wal) recoverFile(path string) error {
	hdr, recs, _, err := w.scan()
	if err != nil || len(recs) == 0 {
		if err == nil {
			w.scanned = &hdr
		}
		return err
	}
	pf, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("journal replay: %w", err))
	}
	defer pf.Close()
	if err := restoreMeta(pf, hdr); err != nil {
		return err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 500 * time.Millisecond, FreelistType: bolt.FreelistArrayType})
	if err != nil {
		return boltOpenError(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, rec := range recs {
			if err := replay(tx, rec, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return domain.Wrap(ErrCorrupt, fmt.Errorf("journal replay: %w", err))
	}
	// The records are in the file, synced. One header, written in one
	// sector, names the state they made: none is replayed again (onto a
	// state that has moved on), and the generations they were of are
	// never started again, whatever the open does next (refused, or
	// killed), since their records may lie past any new one's end.
	meta, err := newestMeta(pf, hdr)
	if err != nil {
		return err
	}
	next := walHeader{gen: nextGen(max(hdr.gen, hdr.last), hdr.slot), txid: binary.LittleEndian.Uint64(meta[64:]),
		meta: meta, region: hdr.region}
	next.slot, next.last = int(next.gen%2), next.gen
	if _, err := w.f.WriteAt(next.marshal(), int64(next.slot)*walSlot); err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("journal replay: %w", err))
	}
	if err := fdatasync(w.f); err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("journal replay: %w", err))
	}
	w.scanned = &next
	return nil
}

// nextGen is the generation after gen whose header goes in the slot
// other than newest's: a header's slot is its generation's parity (as in
// journals written before generations could be skipped), and the newest
// header is never overwritten.
func nextGen(gen uint64, newest int) uint64 {
	gen++
	if int(gen%2) == newest {
		gen++
	}
	return gen
}

// newestMeta reads the bbolt file's newest meta page, that of the state a
// replay just committed and synced.
func newestMeta(pf *os.File, hdr walHeader) ([]byte, error) {
	pageSize := int64(binary.LittleEndian.Uint32(hdr.meta[24:]))
	var newest []byte
	for i := range int64(2) {
		m := make([]byte, walMetaSize)
		if _, err := pf.ReadAt(m, i*pageSize); err != nil || binary.LittleEndian.Uint32(m[16:]) != binary.LittleEndian.Uint32(hdr.meta[16:]) {
			continue
		}
		if newest == nil || binary.LittleEndian.Uint64(m[64:]) > binary.LittleEndian.Uint64(newest[64:]) {
			newest = m
		}
	}
	if newest == nil {
		return nil, domain.Wrap(ErrCorrupt, errors.New("journal replay: no meta page after the replay"))
	}
	return newest, nil
}

// restoreMeta writes the checkpoint's meta page over both of bbolt's,
// after checking that the file is the one the journal was written for (a
// file whose meta pages are both older than the checkpoint is not).
func restoreMeta(pf *os.File, hdr walHeader) error {
	meta := hdr.meta
	if len(meta) != walMetaSize || binary.LittleEndian.Uint64(meta[64:]) != hdr.txid {
		return domain.Wrap(ErrCorrupt, errors.New("journal: checkpoint meta page unreadable"))
	}
	pageSize := int64(binary.LittleEndian.Uint32(meta[24:]))
	var newest uint64
	cur := make([]byte, walMetaSize)
	for i := range int64(2) {
		if _, err := pf.ReadAt(cur, i*pageSize); err == nil && binary.LittleEndian.Uint32(cur[16:]) == binary.LittleEndian.Uint32(meta[16:]) {
			newest = max(newest, binary.LittleEndian.Uint64(cur[64:]))
		}
	}
	if newest < hdr.txid {
		return domain.Wrap(ErrCorrupt, fmt.Errorf("journal: written for another file (checkpoint %d, file at %d)", hdr.txid, newest))
	}
	page := append([]byte(nil), meta...)
	for i := range int64(2) {
		binary.LittleEndian.PutUint64(page, uint64(i)) // the page's own id
		if _, err := pf.WriteAt(page, i*pageSize); err != nil {
			return domain.Wrap(ErrStorage, fmt.Errorf("journal replay: %w", err))
		}
	}
	if err := pf.Sync(); err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("journal replay: %w", err))
	}
	return nil
}

// replayParts applies the chunks of one record to tx, each whole writes.
func replayParts(tx *bolt.Tx, parts [][]byte, fill map[string]*ovBucket) error {
	for _, p := range parts {
		if err := replay(tx, p, fill); err != nil {
			return err
		}
	}
	return nil
}

// replay applies one record to tx; fill, when known, holds the
// FillPercent each bucket's writes asked for.
func replay(tx *bolt.Tx, rec []byte, fill map[string]*ovBucket) error {
	field := func() ([]byte, error) {
		n, k := binary.Uvarint(rec)
		if k <= 0 || uint64(len(rec)-k) < n {
			return nil, errors.New("journal: record cut short")
		}
		f := rec[k : k+int(n)]
		rec = rec[k+int(n):]
		return f, nil
	}
	// A record's writes come in runs to one bucket: the bucket is looked
	// up once a run, and found without a copy of its name (bbolt's
	// CreateBucketIfNotExists copies it first, at every call).
	var b *bolt.Bucket
	var bName []byte
	for len(rec) > 0 {
		op := rec[0]
		rec = rec[1:]
		name, err := field()
		if err != nil {
			return err
		}
		key, err := field()
		if err != nil {
			return err
		}
		value, err := field()
		if err != nil {
			return err
		}
		if b == nil || !bytes.Equal(name, bName) {
			if b = tx.Bucket(name); b == nil {
				if b, err = tx.CreateBucketIfNotExists(name); err != nil {
					return err
				}
			}
			bName = name
			if ob := fill[string(name)]; ob != nil && ob.fill != 0 {
				b.FillPercent = ob.fill
			}
		}
		switch op {
		case walPut:
			err = b.Put(key, value)
		case walDelete:
			err = b.Delete(key)
		case walSequence:
			if len(value) != 8 {
				return errors.New("journal: bad sequence")
			}
			err = b.SetSequence(binary.BigEndian.Uint64(value))
		case walBucket:
		default:
			return errors.New("journal: unknown op " + strconv.Itoa(int(op)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// start puts the journal in front of db: bbolt stops syncing, and a first
// checkpoint records db's state as it is.
func (w *wal) start(db *bolt.DB, path string) error {
	if w.prof == nil { // open may have handed it the profile's file
		prof, err := os.Open(path)
		if err != nil {
			return domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
		}
		w.prof = prof
	}
	w.db = db
	var hdr walHeader
	var recs [][]byte
	var err error
	if w.scanned != nil { // recoverFile read it just now
		hdr, w.scanned = *w.scanned, nil
	} else if hdr, recs, _, err = w.scan(); err != nil {
		return err
	}
	// A generation the records reached (a checkpoint aside's) is never
	// started again: its records may lie past the new ones' end.
	w.gen, w.slot = max(hdr.gen, hdr.last), hdr.slot
	if w.tuning == (walTuning{}) {
		w.tuning = walDesk
	}
	prefill := int64(w.tuning.prefill)
	if fi, err := w.f.Stat(); err == nil && fi.Size() < walData+prefill {
		zeros := make([]byte, 1<<20)
		for off := fi.Size(); off < walData+prefill; off += int64(len(zeros)) {
			if _, err := w.f.WriteAt(zeros[:min(int64(len(zeros)), walData+prefill-off)], off); err != nil {
				return domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
			}
		}
		if err := w.f.Sync(); err != nil {
			return domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
		}
	}
	db.NoSync, db.NoGrowSync, db.NoFreelistSync = true, true, true
	w.mu.Lock()
	if w.cleanAt(hdr, len(recs)) {
		err = w.resume(hdr)
	} else {
		// A file left by a crash may lack bbolt's freelist: the
		// checkpoint writes it.
		w.unlisted.Store(true)
		err = w.checkpoint()
	}
	w.mu.Unlock()
	if err != nil {
		return err
	}
	w.kick, w.written = make(chan struct{}, 1), make(chan struct{}, 1)
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	w.applyKick, w.applyDone = make(chan struct{}, 1), make(chan struct{})
	w.idle = time.NewTimer(time.Hour)
	w.idle.Stop()
	w.started = true
	return nil
}

// work starts the applier and the checkpoints' loop at the store's first
// write (w.mu held): a store opened to read, then closed, starts and stops
// no goroutine (the open + first page figure).
func (w *wal) work() {
	if !w.working {
		w.working = true
		go w.loop()
		go w.applier()
	}
}

// cleanAt says the journal's newest header names the bbolt file's state
// as it is, with no record after it: the file was closed cleanly (or
// nothing was acknowledged since its last checkpoint). Its state at that
// checkpoint was synced before the header was written, so opening needs
// no sync at all.
func (w *wal) cleanAt(hdr walHeader, records int) bool {
	if w.made || hdr.meta == nil || records > 0 || hdr.last != hdr.gen || hdr.region != uint64(w.tuning.region) {
		return false
	}
	return w.txid() == hdr.txid
}

// txid is the bbolt file's current transaction ID.
func (w *wal) txid() uint64 {
	tx, err := w.db.Begin(false)
	if err != nil {
		return 0
	}
	defer tx.Rollback()
	return uint64(tx.ID())
}

// resume carries on the generation of hdr, whose state is the file's
// (cleanAt), without a sync: appends start at its region again. No record of
// that generation lies beyond a slot that does not parse (scan found none
// at its start): a generation's records are appended one synced record at a
// time, so only its last can be torn, and a replay or an undo that
// empties it changes the file's state, so the header no longer names it.
func (w *wal) resume(hdr walHeader) error {
	pin, err := w.db.Begin(false)
	if err != nil {
		return w.fail(err)
	}
	w.gen, w.synced = hdr.gen, int(pin.Size())
	w.base = hdr.regionStart(hdr.gen)
	w.off = w.base
	w.since.Store(0)
	w.size.Store(pin.Size())
	w.pin = pin
	w.mark(uint64(pin.ID()), w.seq)
	return nil
}

// walTurn is a checkpoint on its way: bbolt's state pinned, with its meta
// page, and the header that will name it.
type walTurn struct {
	hdr walHeader
	pin *bolt.Tx
	// sealed is closed once the header is on disk (turnAside), or the
	// attempt failed (err).
	sealed chan struct{}
	err    error
}

// checkpoint syncs bbolt and starts a new generation of the journal at its
// state, holding the writers throughout (w.mu held). A checkpoint aside
// on its way is finished first.
func (w *wal) checkpoint() error {
	t, err := w.nextTurn()
	if err != nil {
		return err
	}
	if err := w.seal(t); err != nil {
		t.pin.Rollback()
		return w.fail(err)
	}
	w.turn(t)
	w.install(t)
	return nil
}

// turnAside is the checkpoint of a journal of two halves (w.mu held, and
// let go meanwhile): the writers are held only while the state is chosen
// and the next generation begins in the other half; bbolt's sync and the
// header, which took 1–142 ms under 200 desks, run while they append. A
// crash before the header is on disk replays the old generation, then the
// new one (scan); the old state's pin keeps its pages until then.
func (w *wal) turnAside() error {
	t, err := w.nextTurn()
	if err != nil {
		return err
	}
	t.sealed = make(chan struct{})
	w.turn(t)
	w.turning = t
	w.mu.Unlock()
	if walAsideHook != nil {
		walAsideHook(false)
	}
	t.err = w.seal(t)
	close(t.sealed)
	if walAsideHook != nil {
		walAsideHook(true)
	}
	w.mu.Lock()
	return w.finishTurn()
}

// walAsideHook, set by a test, is called by turnAside with the writers let
// go, before the header is written (false) and after (true).
var walAsideHook func(sealed bool)

// nextTurn finishes a checkpoint aside on its way, then prepares the next
// checkpoint (w.mu held).
func (w *wal) nextTurn() (*walTurn, error) {
	if err := w.finishTurn(); err != nil {
		return nil, err
	}
	return w.prepare()
}

// finishTurn waits for the checkpoint aside on its way, if any, to write
// its header, and makes its state the checkpoint (w.mu held).
func (w *wal) finishTurn() error {
	t := w.turning
	if t == nil {
		return nil
	}
	<-t.sealed
	w.turning = nil
	if t.err != nil {
		t.pin.Rollback()
		return w.fail(t.err)
	}
	w.install(t)
	return nil
}

// prepare writes the layers to bbolt and pins its state, with the meta
// page that the next header keeps (w.mu held: no layer is published
// meanwhile, so the applier makes no commit that would overwrite it).
func (w *wal) prepare() (*walTurn, error) {
	// The new generation drops the records: bbolt must hold them first.
	if err := w.settle(); err != nil {
		return nil, err
	}
	if w.unlisted.Load() {
		// The commits since the last checkpoint left bbolt's list of
		// free pages unwritten (a commit that writes it writes the
		// whole list, several pages, once the pin holds many): one
		// empty commit writes it now, so that the checkpoint's state
		// opens without bbolt walking every page to rebuild it.
		w.db.NoFreelistSync = false
		err := w.db.Update(func(*bolt.Tx) error { return nil })
		w.db.NoFreelistSync = !w.bypass
		if err != nil {
			return nil, w.fail(err)
		}
		w.unlisted.Store(false)
	}
	pin, err := w.db.Begin(false)
	if err != nil {
		return nil, w.fail(err)
	}
	txid := uint64(pin.ID())
	pageSize := int64(w.db.Info().PageSize)
	// Its meta page is the one of the two with its txid (usually txid%2,
	// but a copy made by bbolt's WriteTo has it in page 0).
	var meta []byte
	for _, p := range []uint64{txid % 2, 1 - txid%2} {
		m := make([]byte, walMetaSize)
		if _, err := w.prof.ReadAt(m, int64(p)*pageSize); err == nil && binary.LittleEndian.Uint64(m[64:]) == txid {
			meta = m
			break
		}
	}
	if meta == nil {
		pin.Rollback()
		return nil, w.fail(fmt.Errorf("journal: no meta page of tx %d", txid))
	}
	w.mark(txid, w.seq)
	gen := nextGen(w.gen, w.slot)
	hdr := walHeader{gen: gen, txid: txid, meta: meta, region: uint64(w.tuning.region), slot: int(gen % 2)}
	return &walTurn{hdr: hdr, pin: pin}, nil
}

// seal syncs bbolt's file, then writes t's header and syncs it: from
// then on, a crash comes back to t's state.
func (w *wal) seal(t *walTurn) error {
	fileSyncs.Add(1)
	if err := w.db.Sync(); err != nil {
		return err
	}
	if _, err := w.f.WriteAt(t.hdr.marshal(), int64(t.hdr.slot)*walSlot); err != nil {
		return err
	}
	return fdatasync(w.f)
}

// turn starts t's generation: the records from here on are its (w.mu
// held).
func (w *wal) turn(t *walTurn) {
	w.gen, w.slot = t.hdr.gen, t.hdr.slot
	w.base = t.hdr.regionStart(t.hdr.gen)
	w.off, w.synced = w.base, int(t.pin.Size())
	w.since.Store(0)
	w.size.Store(t.pin.Size())
}

// install makes t's state the checkpoint, once its header is on disk:
// the pages of the one before may be written again (w.mu held).
func (w *wal) install(t *walTurn) {
	if w.pin != nil {
		w.pin.Rollback()
	}
	w.pin = t.pin
}

// fail marks the journal broken: no write is taken after a sync failed.
func (w *wal) fail(err error) error {
	w.broken = domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
	return w.broken
}

// append writes one record and syncs it: the one fdatasync of an action.
func (w *wal) append(l *walLog) error {
	parts := l.parts()
	binary.LittleEndian.PutUint32(parts[0], uint32(l.size-walRecordHead))
	binary.LittleEndian.PutUint32(parts[0][4:], recordSum(w.gen, l.body()...))
	w.syncs.Add(1)
	if !w.directTried {
		w.directTried = true
		w.direct = openDirectLog(w.f)
	}
	if w.direct != nil {
		err := w.appendDirect(parts, l.size)
		if !errors.Is(err, errDirectRefused) {
			return err
		}
		w.direct.close()
		w.direct = nil
	}
	off := w.off
	for _, p := range parts {
		if _, err := w.f.WriteAt(p, off); err != nil {
			return domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
		}
		off += int64(len(p))
	}
	if err := fdatasync(w.f); err != nil {
		// What the disk holds of the record is unknown now.
		return w.fail(err)
	}
	w.off = off
	return nil
}

// appendDirect writes one record and its sync in one direct write.
func (w *wal) appendDirect(parts [][]byte, size int) error {
	if syncFault != nil {
		if err := syncFault(w.f); err != nil {
			return w.fail(err)
		}
	}
	err := w.direct.write(parts, size, w.off)
	if errors.Is(err, errDirectRefused) {
		return err // nothing written: the caller writes it buffered
	}
	fileSyncs.Add(1)
	if err != nil {
		// What the disk holds of the record is unknown now.
		return w.fail(err)
	}
	w.off += int64(size)
	return nil
}

// update runs fn in a transaction read through the layers (overlay.go),
// whose writes are synced to the journal as one record and published as
// a layer: the action's one fdatasync, after which every reader sees
// them. The applier writes them to bbolt later.
func (w *wal) update(fn func(*Tx) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	if w.bypass {
		return w.db.Update(func(b *bolt.Tx) error { return run(&Tx{b: b}, fn) })
	}
	if int(w.size.Load()) > walMmap-walMargin {
		// The file nears bbolt's mapping, whose growth would wait for the
		// pin: from here on, bbolt syncs each commit itself.
		if err := w.checkpoint(); err != nil {
			return err
		}
		w.pin.Rollback()
		w.pin, w.bypass = nil, true
		w.db.NoSync, w.db.NoGrowSync, w.db.NoFreelistSync = false, false, false
		return w.db.Update(func(b *bolt.Tx) error { return run(&Tx{b: b}, fn) })
	}
	b, ov, applied, err := w.snapshot()
	if err != nil {
		return err
	}
	t := &Tx{b: b, ov: ov, applied: applied, local: &layer{}, mixed: true, log: &walLog{}}
	err = run(t, fn)
	b.Rollback()
	if err != nil {
		return err
	}
	if t.log.n > 0 {
		if t.log.big {
			err = w.commitBig(t)
		} else {
			err = w.commit(t)
		}
		if err != nil {
			return err
		}
	}
	for _, f := range t.commits {
		f()
	}
	return nil
}

// usable says why no write is taken, if one is not (w.mu held).
func (w *wal) usable() error {
	if w.broken != nil {
		return w.broken
	}
	if p := w.applyErr.Load(); p != nil {
		return *p
	}
	if w.closed {
		return bolterr.ErrDatabaseNotOpen
	}
	return nil
}

// commit syncs t's writes to the journal and publishes them (w.mu held).
func (w *wal) commit(t *Tx) error {
	w.work()
	if r := int64(w.tuning.region); r > 0 && w.gen%2 == 0 && w.off+int64(t.log.size) > w.base+r {
		// The first half of the journal is full (its checkpoint is
		// late): the records go on in the second, after a checkpoint.
		if err := w.checkpoint(); err != nil {
			return err
		}
	}
	if err := w.append(t.log); err != nil {
		return err
	}
	w.seq++
	l := t.local
	l.seq, l.rec, l.size = w.seq, t.log.body(), t.log.size
	for _, b := range l.buckets {
		b.at = l.seq
	}
	w.ovMu.Lock()
	ov := w.ov.Load().with(l)
	w.ov.Store(ov)
	w.ovMu.Unlock()
	switch n := len(ov.layers); {
	case n >= walMaxLayers || ov.bytes >= walMaxPending:
		// The applier is behind: this writer waits for it. The action
		// is synced and published already: should bbolt refuse the
		// layers, it stands (readers see it, the journal holds it), and
		// the failure, kept in applyErr, refuses the writes after it.
		w.settle()
	case n >= walApplyGroup || ov.bytes >= walApplyBytes:
		select {
		case w.applyKick <- struct{}{}:
		default:
		}
	default:
		// Waking the applier costs the writer more than the timer.
		w.idle.Reset(walApplyIdle)
	}
	w.last = time.Now()
	if w.full() {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// commitBig writes a transaction of more than walBigTx to bbolt itself,
// after the layers, and syncs it with a checkpoint: a bulk load costs less
// so than written twice (w.mu held).
func (w *wal) commitBig(t *Tx) error {
	if err := w.settle(); err != nil {
		return err
	}
	err := w.db.Update(func(tx *bolt.Tx) error {
		return replayParts(tx, t.log.body(), t.local.buckets)
	})
	if err != nil {
		return err
	}
	w.unlisted.Store(true)
	return w.checkpoint()
}

// updateFile runs fn on bbolt itself, after the layers, and syncs it with
// a checkpoint.
func (w *wal) updateFile(fn func(*bolt.Tx) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	if err := w.settle(); err != nil {
		return err
	}
	if err := w.db.Update(fn); err != nil {
		return err
	}
	if w.bypass {
		return nil
	}
	w.unlisted.Store(true)
	return w.checkpoint()
}

// snapshot begins a read of bbolt's state, and returns the overlay and
// the seq of the last layer the state holds: the state lacks the layers
// after it. Should the state be one the marks do not name (a commit made
// beside the applier), the layers are written first.
func (w *wal) snapshot() (*bolt.Tx, *overlay, uint64, error) {
	for {
		ov := w.ov.Load()
		tx, err := w.db.Begin(false)
		if err != nil {
			return nil, nil, 0, err
		}
		if ov == nil || len(ov.layers) == 0 {
			return tx, nil, 0, nil
		}
		id := uint64(tx.ID())
		if m := w.marks[id%walMarks].Load(); m != nil && m.txid == id {
			if m.seq >= ov.layers[len(ov.layers)-1].seq {
				return tx, nil, 0, nil // a state newer than ov
			}
			return tx, ov, m.seq, nil
		}
		tx.Rollback()
		if err := w.settle(); err != nil {
			return nil, nil, 0, err
		}
	}
}

// view runs fn in a read-only transaction through the layers.
func (w *wal) view(fn func(*Tx) error) error {
	b, ov, applied, err := w.snapshot()
	if err != nil {
		return err
	}
	defer b.Rollback()
	t := &Tx{b: b}
	if ov != nil {
		t.ov, t.applied, t.mixed = ov, applied, true
	}
	return run(t, fn)
}

// mark notes that bbolt's state txid holds the layers up to seq. It is
// noted before the commit that makes the state: a reader can only find
// the state once committed.
func (w *wal) mark(txid, seq uint64) {
	w.marks[txid%walMarks].Store(&walMark{txid: txid, seq: seq})
}

// settle writes every published layer to bbolt in one commit, without a
// sync (the journal holds them), and drops them from the overlay.
func (w *wal) settle() error { return w.settleIn(false) }

// settleIn is settle; from the applier (background), on a journal whose
// tuning asks it, it gives way between layers to the work waiting for a
// core (giveWay), unless another settle waits for it (settling): a
// checkpoint, under the writers' lock, or a writer that found the
// applier behind.
func (w *wal) settleIn(background bool) error {
	if !background {
		w.settling.Add(1)
		defer w.settling.Add(-1)
	}
	w.applyMu.Lock()
	defer w.applyMu.Unlock()
	if p := w.applyErr.Load(); p != nil {
		return *p
	}
	ov := w.ov.Load()
	if ov == nil || len(ov.layers) == 0 {
		return nil
	}
	ls := ov.layers
	err := w.db.Update(func(tx *bolt.Tx) error {
		if applyFault != nil {
			if err := applyFault(); err != nil {
				return err
			}
		}
		for _, l := range ls {
			if err := replayParts(tx, l.rec, l.buckets); err != nil {
				return err
			}
			// A group is milliseconds of work on one of the cores: a
			// writer back from its sync, or a push's handler, waits
			// for a core behind it otherwise.
			runtime.Gosched()
			if background && w.tuning.giveWay {
				w.giveWay()
			}
		}
		w.mark(uint64(tx.ID()), ls[len(ls)-1].seq)
		w.size.Store(tx.Size())
		return nil
	})
	if err != nil {
		// The layers stay, and readers read them; the journal holds
		// them for the next open. No write is taken from here.
		err = domain.Wrap(ErrStorage, fmt.Errorf("journal: %w", err))
		w.applyErr.Store(&err)
		return err
	}
	w.unlisted.Store(true)
	if w.since.Add(1)%int64(walWriteback) == 0 {
		select {
		case w.written <- struct{}{}:
		default:
		}
	}
	w.ovMu.Lock()
	// Only settle drops layers, and writers add them at the end.
	w.ov.Store(newOverlay(slices.Clone(w.ov.Load().layers[len(ls):])))
	w.ovMu.Unlock()
	return nil
}

// applier writes the layers to bbolt in groups (walApplyGroup,
// walApplyIdle).
func (w *wal) applier() {
	defer close(w.applyDone)
	for {
		select {
		case <-w.stop:
			w.idle.Stop()
			return
		case <-w.applyKick:
		case <-w.idle.C:
		}
		w.settleIn(true)
	}
}

// full says a checkpoint is due whether or not writes go on.
func (w *wal) full() bool {
	return w.off-w.base >= int64(w.tuning.checkpointBytes) || int(w.size.Load()) > w.synced+walGrowth || w.since.Load() >= int64(walCommits)
}

// loop checkpoints after walIdle without writes, or when the journal is
// full.
func (w *wal) loop() {
	defer close(w.done)
	t := time.NewTicker(walIdle / 2)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-w.written:
			// Without the lock: writers go on while the disk writes.
			if startWriteback(w.prof) == nil {
				w.writebacks.Add(1)
			}
			continue
		case <-w.kick:
			// The layers first, without the writers' lock: the
			// checkpoint's own settle, under it, then finds only those
			// published meanwhile.
			w.settle()
		case <-t.C:
		}
		w.mu.Lock()
		if w.broken == nil && !w.bypass && w.off > w.base && (w.full() || time.Since(w.last) >= walIdle) {
			if w.tuning.region > 0 {
				w.turnAside()
			} else {
				w.checkpoint()
			}
		}
		w.mu.Unlock()
	}
}

// close checkpoints and releases the journal; the bbolt file is closed by
// the caller after.
func (w *wal) close() error {
	w.mu.Lock()
	closed := w.closed
	w.closed = true
	w.mu.Unlock()
	if closed {
		return nil
	}
	var err error
	if w.started {
		w.mu.Lock()
		working := w.working
		w.mu.Unlock()
		if working {
			close(w.stop)
			<-w.done
			<-w.applyDone
		}
		w.mu.Lock()
		// A store that wrote nothing since its checkpoint closes without
		// a sync: the header already names the file's state.
		idle := w.pin != nil && w.off == w.base && w.txid() == uint64(w.pin.ID())
		if w.broken == nil && w.applyErr.Load() == nil && !w.bypass && !idle {
			err = w.checkpoint()
		}
		if w.pin != nil {
			w.pin.Rollback()
			w.pin = nil
		}
		w.mu.Unlock()
	}
	if w.prof != nil {
		w.prof.Close()
	}
	if w.direct != nil {
		w.direct.close()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

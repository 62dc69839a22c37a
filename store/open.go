package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	gosync "sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/sync"
)

// Store is an open profile. Its methods are safe for concurrent use: bbolt
// runs one writer and many readers.
type Store struct {
	db     *kvdb
	kr     *Keyring
	device domain.ID
	opt    Options
	// locals holds what a program keeps in memory for this store (Local).
	locals gosync.Map
	// closers run as the store closes (OnClose).
	closeMu gosync.Mutex
	closers []func()
	bell    bell
	// mailBell rings when a letter is queued (mail.go).
	mailBell bell
	// side is a desk's (commands go to the outbox) or the server's (records
	// go to the change feed, their IDs to one namespace).
	side  side
	epoch domain.ID
	// dataKey is the key the slots wrap (slots.go): a person's own slot
	// is made from it after they sign in.
	dataKey []byte
	// institutions keeps the schools decoded while their stored values
	// are unchanged: every request raised or acted on reads its school.
	institutions decodedCache[Institution]
}

// Options tune a store; the zero value is what the programs use.
type Options struct {
	// Now is the clock. Times are kept to the millisecond in UTC.
	Now func() time.Time
	// Rand is the source of nonces, salts, IDs and PINs.
	Rand io.Reader
	// KDF is the password-derivation cost for a new profile.
	KDF KDFParams
	// Secrets is the cost of hashing account passwords, PINs and answers.
	Secrets account.SecretParams
	// Policy is the account policy; zero means account.DefaultPolicy.
	Policy account.Policy
	// NoSync skips fdatasync: only for building throw-away profiles fast.
	NoSync bool
	// Server makes (or opens) dossierd's file rather than a desk's profile.
	Server bool
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.KDF == (KDFParams{}) {
		o.KDF = DefaultKDF
	}
	if o.Secrets == (account.SecretParams{}) {
		o.Secrets = account.DefaultSecretParams
	}
	if o.Policy == (account.Policy{}) {
		o.Policy = account.DefaultPolicy
	}
	return o
}

// MinPasswordLength is the shortest profile password accepted.
const MinPasswordLength = 8

// profileSlot is the key slot of the profile password.
const profileSlot = "profile"

// Create makes a new encrypted profile at path, unlocked by password. It
// refuses to overwrite anything (ErrProfileExists).
func Create(path, password string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	if password == "" {
		return nil, domain.FieldError(ErrPasswordRequired, "password")
	}
	if len([]rune(password)) < MinPasswordLength {
		return nil, domain.FieldError(ErrPasswordShort, "password", MinPasswordLength)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, domain.Errorf(ErrProfileExists)
	}
	if err != nil {
		return nil, domain.Wrap(ErrStorage, fmt.Errorf("create profile: %w", err))
	}
	f.Close()
	s, err := create(path, password, opt)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return s, nil
}

func create(path, password string, opt Options) (*Store, error) {
	os.Remove(JournalPath(path)) // a journal left by an earlier profile of that name
	db, err := bolt.Open(path, 0o600, boltOptions(opt))
	if err != nil {
		return nil, domain.Wrap(ErrStorage, fmt.Errorf("create profile: %w", err))
	}
	var dataKey []byte
	var device domain.ID
	err = db.Update(func(b *bolt.Tx) error {
		var err error
		dataKey, device, err = initialize(&Tx{b: b}, password, opt)
		return err
	})
	if err != nil {
		db.Close()
		return nil, domain.Wrap(ErrStorage, fmt.Errorf("create profile: %w", err))
	}
	keys, err := newKeyring(dataKey, opt.Rand)
	if err != nil {
		db.Close()
		return nil, domain.Wrap(ErrStorage, err)
	}
	kv, err := journaled(db, path, nil, opt)
	if err != nil {
		return nil, err
	}
	return &Store{db: kv, kr: keys, device: device, opt: opt, side: sideOf(opt.Server), epoch: epochIf(opt.Server, device),
		dataKey: dataKey}, nil
}

// initialize makes a new store's buckets and header inside tx: a data key,
// sealed in a key slot by password, and the device ID (on a server, also
// its first epoch).
func initialize(tx *Tx, password string, opt Options) (dataKey []byte, device domain.ID, err error) {
	dataKey = make([]byte, 32)
	if _, err := io.ReadFull(opt.Rand, dataKey); err != nil {
		return nil, device, err
	}
	now := opt.Now().UTC()
	if device, err = domain.NewID(now, opt.Rand); err != nil {
		return nil, device, err
	}
	slot, err := newKeySlot(profileSlot, dataKey, password, opt.KDF, opt.Rand)
	if err != nil {
		return nil, device, err
	}
	if err := createBuckets(tx); err != nil {
		return nil, device, err
	}
	settings, _ := json.Marshal(ens.DefaultSettings)
	meta := tx.Bucket(MetaBucket)
	for k, v := range map[string][]byte{
		string(metaFormat): formatMarker, string(MetaSchema): U32(SchemaVersion),
		string(metaCreated): U64(uint64(now.UnixMilli())), string(metaDevice): device[:],
		string(metaHLC): U64(0), string(metaSettings): settings, string(metaOrgTag): U32(0),
		slotPrefix + profileSlot: slot.marshal(),
	} {
		if err := meta.Put([]byte(k), v); err != nil {
			return nil, device, err
		}
	}
	if !opt.Server {
		return dataKey, device, nil
	}
	for k, v := range map[string][]byte{string(metaRole): []byte("server"), string(metaEpoch): device[:]} {
		if err := meta.Put([]byte(k), v); err != nil {
			return nil, device, err
		}
	}
	return dataKey, device, nil
}

func epochIf(server bool, id domain.ID) domain.ID {
	if server {
		return id
	}
	return domain.ID{}
}

func boltOptions(opt Options) *bolt.Options {
	// The array freelist hands out the lowest free pages first, which keeps
	// a commit's pages closer together than the hashmap freelist does; the
	// disk flushes neighbouring pages faster.
	o := &bolt.Options{Timeout: 500 * time.Millisecond, FreelistType: bolt.FreelistArrayType,
		NoSync: opt.NoSync, NoGrowSync: opt.NoSync}
	if !opt.NoSync {
		// See wal.go: the journal's pin never waits for a remap, and the
		// file grows by what is written (fdatasync records its size), not
		// by bbolt's truncate and fsync.
		o.InitialMmapSize, o.NoGrowSync = walMmap, true
		// Commits between checkpoints leave bbolt's freelist unwritten
		// (wal.go); opening must not write one either (a clean open
		// syncs nothing).
		o.NoFreelistSync = true
	}
	if !opt.Server {
		o.ColdPages = coldPages
	}
	return o
}

// coldPages is how many pages a desk's profile reads with pread, the first
// it reads after opening, before the mapping serves them (bbolt's
// Options.ColdPages, third_party/bbolt/coldpages.go): opening the profile
// and showing the first page of the queue reads about 30 pages, which
// through the mapping were ten faults of 25–40 µs each on a guest with
// shadowed page tables, and an unmap of the touched mapping of 70–130 µs
// more. 256 pages are at most 1 MiB, kept until the first commit. dossierd's file is left to the mapping: it is
// opened once and read by many at once.
const coldPages = 256

// journaled puts the journal (wal.go) in front of the open bbolt file db
// at path, unless opt.NoSync asks for a throw-away profile. j is the
// journal already open and locked, if any; db is closed on failure.
func journaled(db *bolt.DB, path string, j *wal, opt Options) (*kvdb, error) {
	if opt.NoSync {
		if j != nil {
			j.f.Close()
		}
		return &kvdb{bolt: db}, nil
	}
	var err error
	if j == nil {
		if j, err = openJournal(path); err != nil {
			db.Close()
			return nil, err
		}
	}
	if opt.Server {
		j.tuning = walServer
	}
	if err := j.start(db, path); err != nil {
		j.close()
		db.Close()
		return nil, err
	}
	return &kvdb{bolt: db, wal: j}, nil
}

// recoverJournal replays what a crash left in the journal of the closed
// bbolt file at path, and returns the journal, locked.
func recoverJournal(path string) (*wal, error) {
	j, err := openJournal(path)
	if err != nil {
		return nil, err
	}
	if err := j.recoverFile(path); err != nil {
		j.f.Close()
		return nil, err
	}
	return j, nil
}

// Open unlocks the profile at path with password. A file that is not a
// Dossier profile (ErrNotAProfile), is damaged (ErrCorrupt), was written by a
// newer Dossier (ErrNewerSchema) or does not open with the password
// (ErrWrongPassword) is left exactly as it was. A profile of an older schema
// is migrated in one transaction.
func Open(path, password string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	if password == "" {
		return nil, domain.FieldError(ErrPasswordRequired, "password")
	}
	return openWith(path, opt, func(h header) ([]byte, error) {
		dataKey, err := h.profile.unwrap(profileSlot, password)
		if errors.Is(err, errWrongKey) {
			return nil, domain.FieldError(ErrWrongPassword, "password")
		}
		return dataKey, err
	})
}

// openWith opens the profile at path with the data key unlock finds in
// its header: Open's and OpenAs's common part.
func openWith(path string, opt Options, unlock func(header) ([]byte, error)) (*Store, error) {
	f, err := checkHeaderFile(path)
	if err != nil {
		return nil, err
	}
	// The journal first: what a crash left in it is replayed (sealed
	// values, so without the password), and its lock keeps a second
	// process out from here on.
	j, err := recoverJournal(path)
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, err
	}
	s, err := open(path, f, unlock, j, opt)
	if err != nil {
		j.f.Close()
		if j.made {
			os.Remove(JournalPath(path)) // no litter beside a file refused
		}
	}
	return s, err
}

// open opens the profile at path, whose file checkHeaderFile opened as f
// (nil if it could not open it read-write); f is closed on failure.
func open(path string, f *os.File, unlock func(header) ([]byte, error), j *wal, opt Options) (*Store, error) {
	// One read-write open (openBolt), which writes nothing: a file we
	// refuse is closed as it was, not even bbolt's own bookkeeping written.
	o := boltOptions(opt)
	db, err := openBolt(path, f, o)
	if errors.Is(err, fs.ErrPermission) {
		// A file we may not write: what it is still decides the answer.
		return nil, refuseReadOnly(path, unlock, opt, err)
	}
	if err != nil {
		return nil, err
	}
	h, dataKey, err := accept(db, path, f, unlock, opt)
	if err != nil {
		db.Close()
		return nil, err
	}
	db.NoFreelistSync = o.NoFreelistSync // accepted: commits sync the freelist again
	device, schema := h.device, h.schema
	keys, err := newKeyring(dataKey, opt.Rand)
	if err != nil {
		db.Close()
		return nil, domain.Wrap(ErrCorrupt, err)
	}
	if f != nil && !opt.NoSync {
		// The journal reads the file's meta pages at checkpoints: through
		// a second descriptor of the file bbolt has open, not a new open.
		j.prof = dupFile(f)
	}
	kv, err := journaled(db, path, j, opt)
	if err != nil {
		return nil, err
	}
	s := &Store{db: kv, kr: keys, device: device, opt: opt, side: sideOf(opt.Server), dataKey: dataKey}
	if s.side.server() {
		if err := s.db.View(func(tx *Tx) error {
			copy(s.epoch[:], tx.Bucket(MetaBucket).Get(metaEpoch))
			return nil
		}); err != nil {
			s.db.Close()
			return nil, domain.Wrap(ErrCorrupt, err)
		}
	}
	if schema < SchemaVersion {
		if err := s.migrate(schema); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	return s, nil
}

// accept reads the header of the open file at path (f, or nil) and
// unlocks it: the header and data key of a profile this program may open,
// or why not.
func accept(db *bolt.DB, path string, f *os.File, unlock func(header) ([]byte, error), opt Options) (header, []byte, error) {
	h, err := inspect(db, path, f)
	if err != nil {
		return h, nil, err
	}
	if (h.role == "server") != opt.Server {
		return h, nil, domain.Errorf(ErrWrongRole)
	}
	if h.schema > SchemaVersion {
		return h, nil, domain.Errorf(ErrNewerSchema, h.schema, SchemaVersion)
	}
	dataKey, err := unlock(h)
	if domain.ErrorCode(err) != "" {
		return h, nil, err
	}
	if err != nil {
		return h, nil, domain.Wrap(ErrCorrupt, err)
	}
	return h, dataKey, nil
}

// refuseReadOnly answers for a file that does not open read-write (err):
// what accept says of it read-only, or err when it would be accepted.
func refuseReadOnly(path string, unlock func(header) ([]byte, error), opt Options, err error) error {
	ro, roErr := bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if roErr != nil {
		return boltOpenError(roErr)
	}
	defer ro.Close()
	if _, _, refused := accept(ro, path, nil, unlock, opt); refused != nil {
		return refused
	}
	return err
}

// openBolt opens the existing bbolt file at path read-write with o, on f
// when checkHeaderFile opened it already (bbolt owns it from here, and
// closes it on failure), and writes nothing to it: it makes no file if
// path has gone since checkHeader, and bbolt's Open commits no transaction
// (it would, to a file whose freelist is not synced, unless
// o.NoFreelistSync, which it sets: the caller puts it back once the file
// is accepted). A damaged file that faults or panics in bbolt's Open (its
// freelist is read there) is ErrCorrupt; checkHeader has refused a
// truncated one already.
func openBolt(path string, f *os.File, o *bolt.Options) (db *bolt.DB, err error) {
	opt := *o
	opt.NoFreelistSync = true
	file := f
	var opened atomic.Bool
	opt.OpenFile = func(name string, flag int, mode os.FileMode) (*os.File, error) {
		if opened.Swap(true) { // a later open (WriteTo's) is bbolt's own
			return os.OpenFile(name, flag, mode)
		}
		if f != nil {
			return f, nil
		}
		var err error
		file, err = os.OpenFile(name, flag&^os.O_CREATE, mode)
		return file, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if file != nil {
				// bbolt's DB is lost with its mapping, which stays until
				// exit and holds the file open: its lock is released here.
				unlockFile(file)
				file.Close()
			}
			db, err = nil, domain.Wrap(ErrCorrupt, fmt.Errorf("open profile: %v", p))
		}
	}()
	db, err = bolt.Open(path, 0o600, &opt)
	if errors.Is(err, fs.ErrPermission) {
		return nil, domain.Wrap(ErrStorage, fmt.Errorf("open profile: %w", err))
	}
	if err != nil {
		return nil, boltOpenError(err)
	}
	return db, nil
}

// checkHeader refuses a file that bbolt should not even map: missing, empty,
// too short, without bbolt's magic number in either meta page, or shorter
// than the pages its meta page names (truncated: bbolt would fault reading
// its freelist).
func checkHeader(path string) error {
	f, err := checkHeaderFile(path)
	if f != nil {
		f.Close()
	}
	return err
}

// checkHeaderFile is checkHeader that returns the file it checked, open
// read-write for openBolt (nil when it may only be read).
func checkHeaderFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	rw := err == nil
	if errors.Is(err, fs.ErrPermission) {
		f, err = os.Open(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.Errorf(ErrNoProfile)
	}
	if err != nil {
		return nil, domain.Wrap(ErrStorage, fmt.Errorf("open profile: %w", err))
	}
	if err := checkBoltHeader(f); err != nil || !rw {
		f.Close()
		return nil, err
	}
	return f, nil
}

// checkBoltHeader is checkHeader's look at the open file f.
func checkBoltHeader(f *os.File) error {
	var buf [4096 + boltMetaEnd]byte
	n, _ := f.ReadAt(buf[:], 0) // all of it, or all the file holds
	head := buf[:n]
	var found bool
	for _, off := range []int{0, 4096} {
		if len(head) >= off+20 && binary.LittleEndian.Uint32(head[off+16:]) == boltMagic {
			found = true
		}
	}
	if !found {
		return domain.Errorf(ErrNotAProfile)
	}
	fi, err := f.Stat()
	if err != nil {
		return domain.Wrap(ErrStorage, fmt.Errorf("open profile: %w", err))
	}
	// The meta page bbolt will use: the valid one with the higher txid.
	m0, ok0 := parseBoltMeta(head)
	pageSize := int64(os.Getpagesize())
	if ok0 {
		pageSize = int64(m0.pageSize)
	}
	second := make([]byte, boltMetaEnd)
	if pageSize+boltMetaEnd <= int64(len(head)) {
		second = head[pageSize : pageSize+boltMetaEnd]
	} else if _, err := f.ReadAt(second, pageSize); err != nil {
		second = nil
	}
	m, ok := m0, ok0
	if m1, ok1 := parseBoltMeta(second); ok1 && (!ok0 || m1.txid > m0.txid) {
		m, ok = m1, ok1
	}
	if !ok {
		return nil // bbolt's Open says what is wrong with both
	}
	if need := int64(m.pgid) * int64(m.pageSize); m.pageSize == 0 || need > fi.Size() || need < 0 ||
		(m.freelist != boltNoFreelist && m.freelist >= m.pgid) {
		return domain.Wrap(ErrCorrupt, fmt.Errorf("file holds %d of %d bytes", fi.Size(), need))
	}
	return nil
}

const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltMetaEnd    = 80 // a meta page's header and meta
	boltNoFreelist = ^uint64(0)
)

// boltMeta is what checkHeader reads of a bbolt meta page.
type boltMeta struct {
	pageSize             uint32
	freelist, pgid, txid uint64
}

// parseBoltMeta reads a meta page as bbolt validates it: magic number,
// version and checksum (FNV-64a of the meta before it).
func parseBoltMeta(page []byte) (boltMeta, bool) {
	if len(page) < boltMetaEnd {
		return boltMeta{}, false
	}
	meta := page[16:boltMetaEnd]
	le := binary.LittleEndian
	h := fnv.New64a()
	h.Write(meta[:56])
	if le.Uint32(meta) != boltMagic || le.Uint32(meta[4:]) != boltVersion || le.Uint64(meta[56:]) != h.Sum64() {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(meta[8:]), freelist: le.Uint64(meta[32:]), pgid: le.Uint64(meta[40:]),
		txid: le.Uint64(meta[48:])}, true
}

func boltOpenError(err error) error {
	switch {
	case errors.Is(err, bolterr.ErrTimeout):
		return domain.Wrap(ErrProfileLocked, err)
	case errors.Is(err, bolterr.ErrInvalid), errors.Is(err, bolterr.ErrVersionMismatch):
		return domain.Wrap(ErrNotAProfile, err)
	case errors.Is(err, bolterr.ErrChecksum):
		return domain.Wrap(ErrCorrupt, err)
	}
	return domain.Wrap(ErrCorrupt, fmt.Errorf("open profile: %w", err))
}

// header is what Open reads of a profile before it is unlocked: all in
// the clear in MetaBucket.
type header struct {
	profile keySlot
	device  domain.ID
	schema  uint32
	role    string
	// slotSalt keys the IDs of the people's own slots, and slots holds
	// them by ID (slots.go); both empty until someone has one.
	slotSalt []byte
	slots    map[string][]byte
}

// inspect reads what Open needs from db, the file at path (open as f, or
// nil), before anything is written to it, turning any fault of a damaged
// file (even a memory fault on a truncated one) into ErrCorrupt.
func inspect(db *bolt.DB, path string, f *os.File) (h header, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = domain.Wrap(ErrCorrupt, fmt.Errorf("inspect profile: %v", p))
		}
	}()
	var fi fs.FileInfo
	var statErr error
	if f != nil {
		fi, statErr = f.Stat()
	} else {
		fi, statErr = os.Stat(path)
	}
	if statErr != nil {
		return h, domain.Wrap(ErrStorage, statErr)
	}
	err = db.View(func(b *bolt.Tx) error {
		if b.Size() > fi.Size() {
			return domain.Wrap(ErrCorrupt, fmt.Errorf("file holds %d of %d bytes", fi.Size(), b.Size()))
		}
		meta := (&Tx{b: b}).Bucket(MetaBucket)
		var err error
		h.profile, h.device, h.schema, h.role, err = readHeader(meta)
		if err != nil {
			return err
		}
		h.slotSalt, h.slots = readPersonSlots(meta)
		return nil
	})
	return h, err
}

// readHeader reads a store's header from its meta bucket (nil when the
// file has none).
func readHeader(meta *Bucket) (slot keySlot, device domain.ID, schema uint32, role string, err error) {
	if meta == nil || !bytes.Equal(meta.Get(metaFormat), formatMarker) {
		return slot, device, 0, "", domain.Errorf(ErrNotAProfile)
	}
	v := meta.Get(MetaSchema)
	d := meta.Get(metaDevice)
	raw := meta.Get([]byte(slotPrefix + profileSlot))
	if len(v) != 4 || len(d) != 16 || raw == nil {
		return slot, device, 0, "", domain.Wrap(ErrCorrupt, errors.New("profile header incomplete"))
	}
	schema = binary.BigEndian.Uint32(v)
	role = string(meta.Get(metaRole))
	copy(device[:], d)
	if err := json.Unmarshal(raw, &slot); err != nil {
		return slot, device, 0, "", domain.Wrap(ErrCorrupt, fmt.Errorf("key slot: %w", err))
	}
	return slot, device, schema, role, nil
}

// Close releases the profile file.
func (s *Store) Close() error {
	s.closeMu.Lock()
	closers := s.closers
	s.closers = nil
	s.closeMu.Unlock()
	for _, f := range closers {
		// What a program keeps at close is a cache: failing to keep it
		// costs time at the next open, never data, so it does not stop
		// the close.
		f()
	}
	return s.db.Close()
}

// OnClose runs f as the store closes, before the file does: a program
// keeps there what is worth having at the next open (a cache).
func (s *Store) OnClose(f func()) {
	s.closeMu.Lock()
	s.closers = append(s.closers, f)
	s.closeMu.Unlock()
}

// Path is the file the profile lives in.
func (s *Store) Path() string {
	if s.db.bolt == nil {
		return ""
	}
	return s.db.bolt.Path()
}

// Device is this profile's device ID, stamped on every command it makes.
func (s *Store) Device() domain.ID { return s.device }

// Now is the store's clock, to the millisecond, in UTC, so that what is
// stored reads back equal.
func (s *Store) Now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

func (s *Store) NewID(now time.Time) (domain.ID, error) { return domain.NewID(now, s.opt.Rand) }

// tick advances the profile's hybrid logical clock within tx.
func tick(tx *Tx, now time.Time) (sync.HLC, error) {
	meta := tx.Bucket(MetaBucket)
	var last sync.HLC
	if v := meta.Get(metaHLC); len(v) == 8 {
		last = sync.HLC(binary.BigEndian.Uint64(v))
	}
	next := last.Tick(now)
	return next, meta.Put(metaHLC, U64(uint64(next)))
}

// Settings are the program settings kept in the profile.
func (s *Store) Settings() (ens.Settings, error) {
	var set ens.Settings
	err := s.db.View(func(tx *Tx) error { return ReadSettings(tx, &set) })
	return set, err
}

func ReadSettings(tx *Tx, set *ens.Settings) error {
	raw := tx.Bucket(MetaBucket).Get(metaSettings)
	if last := lastSettings.Load(); last != nil && bytes.Equal(last.raw, raw) {
		*set = last.set
		return nil
	}
	if err := json.Unmarshal(raw, set); err != nil {
		return domain.Wrap(ErrCorrupt, fmt.Errorf("settings: %w", err))
	}
	lastSettings.Store(&settingsRead{raw: bytes.Clone(raw), set: *set})
	return nil
}

// lastSettings is the settings' text last decoded and what it decoded to:
// every request raised reads them, and they seldom change. The text
// itself is the key, so any store's, and any change, is read right.
var lastSettings atomic.Pointer[settingsRead]

type settingsRead struct {
	raw []byte
	set ens.Settings
}

// SetSettings changes the program settings after checking them.
func (s *Store) SetSettings(set ens.Settings) error {
	if err := set.Check(); err != nil {
		return err
	}
	b, _ := json.Marshal(set)
	return s.db.Update(func(tx *Tx) error { return tx.Bucket(MetaBucket).Put(metaSettings, b) })
}

// OrgTag returns the short tag that prefixes the queue index keys of an
// organisation, handing out the next one the first time an organisation is
// seen. Tags are local to this file.
func OrgTag(tx *Tx, org domain.ID, create bool) (uint32, error) {
	b := tx.Bucket(OrgTagsBucket)
	if v := b.Get(org[:]); len(v) == 4 {
		return binary.BigEndian.Uint32(v), nil
	}
	if !create {
		return 0, nil
	}
	meta := tx.Bucket(MetaBucket)
	next := binary.BigEndian.Uint32(meta.Get(metaOrgTag)) + 1
	if err := meta.Put(metaOrgTag, U32(next)); err != nil {
		return 0, err
	}
	return next, b.Put(org[:], U32(next))
}

// ProfileFileName is the name of the profile file in a data folder.
const ProfileFileName = "profile.dossier"

// ProfilePath is the profile file of the data folder dir.
func ProfilePath(dir string) string { return filepath.Join(dir, ProfileFileName) }

// Sync flushes the file to disk, for profiles built with Options.NoSync.
func (s *Store) Sync() error {
	if s.db.bolt == nil {
		return nil
	}
	if err := s.db.bolt.Sync(); err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	return nil
}

// Local is what a program keeps in memory for this store under key (a
// value of a type of its own), made by make the first time it is asked
// for: a cache, never the record.
func (s *Store) Local(key any, make func() any) any {
	if v, ok := s.locals.Load(key); ok {
		return v
	}
	v, _ := s.locals.LoadOrStore(key, make())
	return v
}

package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/sync"
)

// Server is dossierd's store: the authoritative record of every school,
// account and request, the change feed the desks pull, the stored answer
// to every command pushed, and the sign-in tokens. It is a Store opened in
// server mode, so the same service steps (the same domain rules and
// permissions) apply a pushed command as applied it on the desk.
type Server struct {
	st  *Store
	opt ServerOptions

	mu  gosync.Mutex // guards hlc
	hlc sync.HLC
	// pushing counts the pushes applying now (applyAll).
	pushing atomic.Int32
	// checking holds a place for each password being checked (SignIn).
	checking chan struct{}
	// refusals counts the refusals to callers not signed in (Refused).
	refusals refusalCounts
	// creates, repMisses and verifies count in memory what each account
	// creates, each representative's unmatched requests, and the
	// verification look-ups from each address (limits.go); refused the
	// refusals each signed-in account's pushes had recorded; fetches the
	// documents each account downloaded.
	creates, repMisses, verifies, refused, fetches *memLimits
	// backingUp is set while a backup is taken through the API (BackupTo).
	backingUp atomic.Bool
	// tokens and standings keep the access tokens' records and the
	// accounts' standing every signed-in request reads (Authenticate).
	tokens    decodedCache[tokenRecord]
	standings decodedCache[standing]
}

// ServerOptions tune the server's store. Store.Secrets
// (account.DefaultSecretParams unless set) are the argon2id parameters
// the server hashes with and the only ones it accepts in a hash a desk
// sends (account.CheckSecretHash): tests set account.TestSecretParams, on
// the server and on its desks alike.
type ServerOptions struct {
	Store Options
	// AccessTTL is how long an access token lasts (15 minutes); RefreshTTL
	// how long a refresh token waits to be used (30 days).
	AccessTTL, RefreshTTL time.Duration
	// MaxAhead is how far ahead of the server's clock a desk's clock may
	// be before its readings are clamped (5 minutes).
	MaxAhead time.Duration
	// AddressLimit and AccountLimit bound the sign-in attempts from one
	// client address and for one user ID (DefaultAddressLimit,
	// DefaultAccountLimit). They live in the store, so every process on
	// one database counts the same attempts.
	AddressLimit, AccountLimit Limit
	// Creates bounds what one account creates, by class
	// (DefaultCreateLimits for a class not set); RepMisses the
	// representation requests that match no file (DefaultRepMissLimit);
	// VerifyLimit the verification look-ups from one address
	// (DefaultVerifyLimit); Refusals the refused commands recorded for
	// one account (DefaultRefusalLimit); Fetches the documents one
	// account downloads (DefaultFetchLimit). Counted in memory, by this
	// process.
	Creates                                   CreateLimits
	RepMisses, VerifyLimit, Refusals, Fetches Limit
	// Payments is the processor that takes the OINP's fees, in the
	// submission's server step (oinp.Sandbox when not set: no money
	// moves, and every receipt says so).
	Payments oinp.Payments
}

func (o ServerOptions) withDefaults() ServerOptions {
	o.Store = o.Store.withDefaults()
	o.Store.Server = true
	if o.AccessTTL == 0 {
		o.AccessTTL = 15 * time.Minute
	}
	if o.RefreshTTL == 0 {
		o.RefreshTTL = 30 * 24 * time.Hour
	}
	if o.MaxAhead == 0 {
		o.MaxAhead = 5 * time.Minute
	}
	if o.AddressLimit == (Limit{}) {
		o.AddressLimit = DefaultAddressLimit
	}
	if o.AccountLimit == (Limit{}) {
		o.AccountLimit = DefaultAccountLimit
	}
	if o.RepMisses == (Limit{}) {
		o.RepMisses = DefaultRepMissLimit
	}
	if o.VerifyLimit == (Limit{}) {
		o.VerifyLimit = DefaultVerifyLimit
	}
	if o.Refusals == (Limit{}) {
		o.Refusals = DefaultRefusalLimit
	}
	if o.Fetches == (Limit{}) {
		o.Fetches = DefaultFetchLimit
	}
	if o.Payments == nil {
		o.Payments = oinp.Sandbox{}
	}
	// Three failures in a row de-link the enrolment on the server as on
	// a desk (the program's rule): the server is where the de-link holds
	// for every computer. The per-address and per-user-ID limits above
	// bound the guessing before that.
	return o
}

// The files of a server's data folder.
const (
	ServerFileName = "dossierd.db"
	ServerKeyName  = "dossierd.key"
)

// serverKDF is cheap: the server's key file holds 32 random bytes, which
// no password guessing can reach, so stretching it buys nothing.
var serverKDF = KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}

// OpenServer opens the server store in dir, creating it (and its key file,
// readable by its owner only) on first start. The key file unlocks the
// data key: keep it apart from backups of the store.
func OpenServer(dir string, opt ServerOptions) (*Server, error) {
	customKDF := opt.Store.KDF != (KDFParams{})
	opt = opt.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, domain.Wrap(ErrStorage, err)
	}
	key, err := serverKey(dir, opt.Store.Rand)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, ServerFileName)
	so := opt.Store
	if !customKDF {
		so.KDF = serverKDF
	}
	var s *Store
	if _, statErr := os.Stat(path); errors.Is(statErr, fs.ErrNotExist) {
		s, err = Create(path, key, so)
	} else {
		s, err = Open(path, key, so)
	}
	if err != nil {
		return nil, err
	}
	// Pushes arriving together share one commit (Push); a push alone
	// waits this long for company.
	s.db.bolt.MaxBatchDelay = pushBatchDelay
	return newServer(s, opt), nil
}

func newServer(s *Store, opt ServerOptions) *Server {
	return &Server{st: s, opt: opt, checking: make(chan struct{}, runtime.GOMAXPROCS(0)),
		creates: newMemLimits(), repMisses: newMemLimits(), verifies: newMemLimits(),
		refused: newMemLimits(), fetches: newMemLimits()}
}

// pushBatchDelay is how long a push waits for others to share its commit:
// short next to a round trip, long next to a burst of desks.
const pushBatchDelay = time.Millisecond

func serverKey(dir string, rnd io.Reader) (string, error) {
	path := filepath.Join(dir, ServerKeyName)
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", domain.Wrap(ErrStorage, err)
	}
	raw := make([]byte, 32)
	if _, err := io.ReadFull(rnd, raw); err != nil {
		return "", domain.Wrap(ErrStorage, err)
	}
	key := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", domain.Wrap(ErrStorage, err)
	}
	return key, nil
}

// Close releases the store.
func (sv *Server) Close() error { return sv.st.Close() }

// Epoch names this copy of the record; it changes when the server is
// restored from a backup, which tells desks to download again.
func (sv *Server) Epoch() domain.ID { return sv.st.epoch }

// Changed returns a channel closed when the change feed next grows.
func (sv *Server) Changed() <-chan struct{} { return sv.st.Changed() }

// Store is the underlying store, for the admin commands' reads.
func (sv *Server) Store() *Store { return sv.st }

// clock advances the server's hybrid clock past a desk's reading, clamping
// a reading too far ahead, and returns the reading to stamp the desk's
// command with (clamped the same way) and the server's new reading.
func (sv *Server) clock(remote sync.HLC, now time.Time) (stamp, server sync.HLC) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.hlc, _ = sv.hlc.Observe(remote, now, sv.opt.MaxAhead)
	stamp = remote
	if limit := sync.MakeHLC(now.Add(sv.opt.MaxAhead), 0); stamp > limit {
		stamp = limit
	}
	return stamp, sv.hlc
}

// HLC is the server's current clock reading.
func (sv *Server) HLC() sync.HLC {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	sv.hlc = sv.hlc.Tick(sv.st.Now())
	return sv.hlc
}

// ErrBackupRemote is a backup asked of a server on PostgreSQL, whose
// database has its own tools (pg_dump).
var ErrBackupRemote = domain.NewCode("store.backup.remote", domain.KindInvalid)

// Backup writes a consistent copy of the store to path (the key file is
// not included: keep it elsewhere).
func (sv *Server) Backup(path string) error {
	if sv.st.db.bolt == nil {
		return domain.Errorf(ErrBackupRemote)
	}
	if err := sv.st.db.settle(); err != nil { // the copy holds every action up to here
		return err
	}
	return sv.st.db.View(func(tx *Tx) error {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return domain.Wrap(ErrStorage, err)
		}
		if _, err := tx.Bolt().WriteTo(f); err != nil {
			f.Close()
			return domain.Wrap(ErrStorage, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return domain.Wrap(ErrStorage, err)
		}
		return f.Close()
	})
}

// RestoreServer puts the backup at from in place of dir's store (which must
// not be open) and gives it a new epoch, so that every desk downloads the
// record again and replays what the backup lacks.
func RestoreServer(dir, from string, opt ServerOptions) error {
	opt = opt.withDefaults()
	path := filepath.Join(dir, ServerFileName)
	// A running server holds the file (bbolt's lock) and would go on
	// serving the one the restore replaced, losing every later write:
	// refused while it runs.
	if _, err := os.Stat(path); err == nil {
		sv, err := OpenServer(dir, opt)
		if errors.Is(err, ErrProfileLocked) {
			return err
		}
		if err == nil {
			sv.Close()
		}
	}
	b, err := os.ReadFile(from)
	if err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	tmp := path + ".restoring"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	// The journal of the store replaced (wal.go) must not be replayed onto
	// the backup.
	if err := os.Remove(JournalPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return domain.Wrap(ErrStorage, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	sv, err := OpenServer(dir, opt)
	if err != nil {
		return err
	}
	defer sv.Close()
	return sv.NewEpoch()
}

// NewEpoch names the record anew, as after a restore: every desk downloads
// it again and sends what the restored record lacks. Tokens issued after
// the backup was taken are gone with it; those it holds stay valid until
// they expire. Processes already serving read the epoch at start: restart
// them.
func (sv *Server) NewEpoch() error {
	epoch, err := domain.NewID(sv.st.Now(), rand.Reader)
	if err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	err = sv.st.db.Update(func(tx *Tx) error {
		if err := tx.Bucket(MetaBucket).Put(metaEpoch, epoch[:]); err != nil {
			return fmt.Errorf("new epoch: %w", err)
		}
		return nil
	})
	if err == nil {
		sv.st.epoch = epoch
	}
	return err
}

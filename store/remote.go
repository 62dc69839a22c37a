package store

import (
	"errors"
	"os"

	"dossier/domain"
)

// OpenServerOn opens dossierd's store on a remote backend (PostgreSQL),
// making it the first time: the backend holds every record, sealed as in
// a file; the key that unlocks them stays in dir (dossierd.key), and every
// dossierd process on the same database needs a copy of that one file.
// A process with another key is refused (ErrWrongPassword) rather than
// starting a second store.
func OpenServerOn(r Remote, dir string, opt ServerOptions) (*Server, error) {
	customKDF := opt.Store.KDF != (KDFParams{})
	opt = opt.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, domain.Wrap(ErrStorage, err)
	}
	key, err := serverKey(dir, opt.Store.Rand)
	if err != nil {
		return nil, err
	}
	so := opt.Store
	if !customKDF {
		so.KDF = serverKDF
	}
	s, err := openRemote(r, key, so)
	if err != nil {
		return nil, err
	}
	sv := newServer(s, opt)
	// Another process's commit wakes this one's long-polls.
	r.Changed(s.bell.ring)
	return sv, nil
}

// openRemote opens (or first makes) a store on r, unlocked by password.
func openRemote(r Remote, password string, opt Options) (*Store, error) {
	db := &kvdb{remote: r}
	var (
		slot    keySlot
		device  domain.ID
		schema  uint32
		role    string
		dataKey []byte
	)
	err := db.Update(func(tx *Tx) error {
		var err error
		slot, device, schema, role, err = readHeader(tx.Bucket(MetaBucket))
		if errors.Is(err, ErrNotAProfile) && tx.Bucket(MetaBucket).Get(metaFormat) == nil {
			// An empty database: this process makes the store.
			dataKey, device, err = initialize(tx, password, opt)
			schema, role = SchemaVersion, roleOf(opt)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if (role == "server") != opt.Server {
		return nil, domain.Errorf(ErrWrongRole)
	}
	if schema > SchemaVersion {
		return nil, domain.Errorf(ErrNewerSchema, schema, SchemaVersion)
	}
	if dataKey == nil {
		if dataKey, err = slot.unwrap(profileSlot, password); errors.Is(err, errWrongKey) {
			return nil, domain.FieldError(ErrWrongPassword, "password")
		} else if err != nil {
			return nil, domain.Wrap(ErrCorrupt, err)
		}
	}
	keys, err := newKeyring(dataKey, opt.Rand)
	if err != nil {
		return nil, domain.Wrap(ErrCorrupt, err)
	}
	s := &Store{db: db, kr: keys, device: device, opt: opt, side: sideOf(opt.Server)}
	if err := s.db.View(func(tx *Tx) error {
		copy(s.epoch[:], tx.Bucket(MetaBucket).Get(metaEpoch))
		return nil
	}); err != nil {
		return nil, err
	}
	if schema < SchemaVersion {
		if err := s.migrate(schema); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func roleOf(opt Options) string {
	if opt.Server {
		return "server"
	}
	return ""
}

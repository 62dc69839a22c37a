package store

import (
	"context"
	"errors"
	"time"

	"dossier/domain"
)

// What dossierd's /healthz and its metrics read of the store.

// errNoHeader is a store whose header cannot be read.
var errNoHeader = errors.New("store: no header")

// Check reports whether the store answers: on PostgreSQL a ping of the
// database (within ctx), then, on either backend, a read-only
// transaction that reads the store's header. ErrStorage when either
// fails (a closed file, a database gone).
func (sv *Server) Check(ctx context.Context) error {
	if p, ok := sv.st.db.remote.(interface{ Ping(context.Context) error }); ok {
		if err := p.Ping(ctx); err != nil {
			return domain.Wrap(ErrStorage, err)
		}
	}
	err := sv.st.db.View(func(tx *Tx) error {
		if b := tx.Bucket(MetaBucket); b == nil || b.Get(metaFormat) == nil {
			return errNoHeader
		}
		return nil
	})
	if err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	return ctx.Err()
}

// ObserveCommits has fn told, for every write transaction from now on,
// how long its commit took once its work was done: a bbolt file's
// fdatasync, or PostgreSQL's COMMIT. fn must be quick and safe for
// concurrent use; nil stops it.
func (sv *Server) ObserveCommits(fn func(time.Duration)) {
	if fn == nil {
		sv.st.db.commits.Store(nil)
		return
	}
	sv.st.db.commits.Store(&fn)
}

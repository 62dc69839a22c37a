package store

import (
	"io"

	"dossier/domain"
	"dossier/domain/account"
)

// ErrBackupBusy is a backup asked while another is being taken: one at a
// time, for each holds a read transaction (bbolt keeps every page it
// reaches until it ends) and streams the whole store.
var ErrBackupBusy = domain.NewCode("store.backup.busy", domain.KindConflict)

// BackupTo writes a consistent copy of the store, while it serves, to the
// writer open gives once the copy's size is known (bbolt only; the key
// file is not in it). by must be a program officer (account.TakeBackup);
// the backup is audited before it starts, so the copy holds its own entry.
//
// The copy is one bbolt read transaction's WriteTo: it sees every commit
// made before it began and none after, without stopping writers. With the
// write-ahead journal (wal.go) a commit is not fsync'd, but its pages are
// written to the file (the page cache) before the action is answered, and
// the read transaction reads them from there: every action acknowledged
// before the backup began is in it.
func (sv *Server) BackupTo(by account.Actor, open func(size int64) io.Writer) (int64, error) {
	if err := account.Authorize(by, account.TakeBackup, domain.ID{}); err != nil {
		return 0, err
	}
	if sv.st.db.bolt == nil {
		return 0, domain.Errorf(ErrBackupRemote)
	}
	if !sv.backingUp.CompareAndSwap(false, true) {
		return 0, domain.Errorf(ErrBackupBusy)
	}
	defer sv.backingUp.Store(false)
	now := sv.st.Now()
	if err := sv.st.db.Update(func(tx *Tx) error {
		return sv.st.Journal(tx, now, Entry{By: by, Action: "backup.taken"})
	}); err != nil {
		return 0, err
	}
	var n int64
	if err := sv.st.db.settle(); err != nil { // the copy holds every action up to here
		return 0, err
	}
	err := sv.st.db.View(func(tx *Tx) error {
		var err error
		n, err = tx.Bolt().WriteTo(open(tx.Bolt().Size()))
		if err != nil {
			return domain.Wrap(ErrStorage, err)
		}
		return nil
	})
	return n, err
}

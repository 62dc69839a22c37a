package ui

import (
	"os"

	"fyne.io/fyne/v2"

	"dossier/domain"
	"dossier/store"
)

// Files the app writes hold printed documents and personal data: they are
// readable by their owner only (0600), in folders only the owner opens
// (0700), whatever the umask.

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return domain.Wrap(store.ErrStorage, err)
	}
	return nil
}

// createPrivate opens path for writing with flag (os.O_CREATE and the
// like), mode 0600; a file that was there already is made 0600 too.
func createPrivate(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// keepPrivate makes a file a save dialog created (Fyne creates it
// world-readable) readable by its owner only, before anything is written
// to it. A location that is not a local file is left to its own rules.
func keepPrivate(w fyne.URIWriteCloser) error {
	if w.URI().Scheme() != "file" {
		return nil
	}
	return os.Chmod(w.URI().Path(), 0o600)
}

func removeFile(path string) { os.Remove(path) }

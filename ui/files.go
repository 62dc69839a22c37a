package ui

import (
	"os"

	"dossier/domain"
	"dossier/store"
)

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return domain.Wrap(store.ErrStorage, err)
	}
	return nil
}

func removeFile(path string) { os.Remove(path) }

package ui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"dossier/store/demo"
)

// mode is a file's permission bits.
func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestPrintedFilesAreTheOwnersOnly: a printed PDF, its preview and the
// folder they are in are readable by their owner only, whatever the
// umask; so is a file of that name that was there before, and a file a
// save dialog created.
func TestPrintedFilesAreTheOwnersOnly(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	test.Tap(q.print)
	p := waitPrinted(t, e)
	if p.err != nil {
		t.Fatal(p.err)
	}
	if m := mode(t, p.path); m != 0o600 {
		t.Errorf("printed PDF %s: mode %o, want 600", p.path, m)
	}
	if m := mode(t, filepath.Dir(p.path)); m != 0o700 {
		t.Errorf("printed folder: mode %o, want 700", m)
	}
	if p.preview != "" {
		if m := mode(t, p.preview); m != 0o600 {
			t.Errorf("preview %s: mode %o, want 600", p.preview, m)
		}
	}

	old := filepath.Join(t.TempDir(), "there-before.pdf")
	if err := os.WriteFile(old, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := createPrivate(old, os.O_CREATE|os.O_TRUNC)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if m := mode(t, old); m != 0o600 {
		t.Errorf("a file there before: mode %o, want 600", m)
	}

	saved := filepath.Join(t.TempDir(), "export.json")
	w, err := storage.Writer(storage.NewFileURI(saved))
	if err != nil {
		t.Fatal(err)
	}
	if err := keepPrivate(w); err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("{}"))
	w.Close()
	if m := mode(t, saved); m != 0o600 {
		t.Errorf("a file saved from a dialog: mode %o, want 600", m)
	}
}

// Package desklog is the desktop app's local log, for support: a file in
// the app's data folder (logs/dossier.log), rotated when it reaches its
// size to dossier.log.1, .2 … and the oldest dropped, so that it never
// takes more than MaxSize × (Keep + 1). What goes in it is the app's
// business (ui): versions, screens by their catalog key, roles, error
// codes and counts — never a name, an e-mail address, a user ID, an EVN
// or anything typed.
package desklog

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
)

// Defaults: a megabyte a file, the current one and three before it.
const (
	MaxSize = 1 << 20
	Keep    = 3
	// Name is the current file's name in the folder.
	Name = "dossier.log"
)

// Writer is a log file that rotates at a size. Its methods are safe for
// concurrent use.
type Writer struct {
	dir       string
	max       int64
	keep      int
	mu        gosync.Mutex
	f         *os.File
	size      int64
	lastError error
}

// Open opens (or makes) the log in dir, appending; max is the size at
// which a file is rotated, keep how many rotated files stay.
func Open(dir string, max int64, keep int) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, max: max, keep: keep}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) open() error {
	f, err := os.OpenFile(w.Path(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	w.f, w.size = f, st.Size()
	return nil
}

// Path is the current file.
func (w *Writer) Path() string { return filepath.Join(w.dir, Name) }

// Dir is the log's folder.
func (w *Writer) Dir() string { return w.dir }

func (w *Writer) rotated(i int) string { return fmt.Sprintf("%s.%d", w.Path(), i) }

// Write appends p, rotating first when p would take the file past its
// size. A log that cannot be written loses the line, not the app.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return len(p), nil
	}
	if w.size > 0 && w.size+int64(len(p)) > w.max {
		if err := w.rotate(); err != nil {
			w.lastError = err
			return len(p), nil
		}
	}
	n, err := w.f.Write(p)
	w.size += int64(n)
	if err != nil {
		w.lastError = err
	}
	return len(p), nil
}

// rotate moves dossier.log to .1, .1 to .2 … dropping the oldest, and
// starts a new file.
func (w *Writer) rotate() error {
	w.f.Close()
	w.f = nil
	os.Remove(w.rotated(w.keep))
	for i := w.keep - 1; i >= 1; i-- {
		os.Rename(w.rotated(i), w.rotated(i+1))
	}
	if w.keep > 0 {
		if err := os.Rename(w.Path(), w.rotated(1)); err != nil {
			return err
		}
	} else {
		os.Remove(w.Path())
	}
	return w.open()
}

// Close closes the file; later writes are dropped.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// Tail is the last n lines of the log, oldest first, reading back into
// the rotated files when the current one holds fewer.
func (w *Writer) Tail(n int) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for i := 0; i <= w.keep && len(out) < n; i++ {
		path := w.Path()
		if i > 0 {
			path = w.rotated(i)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			break
		}
		var lines []string
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				lines = append(lines, l)
			}
		}
		if k := n - len(out); len(lines) > k {
			lines = lines[len(lines)-k:]
		}
		out = append(lines, out...)
	}
	return out
}

// Logger is a text logger writing to w at level and above; a nil w gives
// a logger that writes nothing.
func Logger(w *Writer, level slog.Level) *slog.Logger {
	if w == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// Package testlog collects what the test suite's servers log: with
// DOSSIER_TEST_LOG naming a file, every dossierd the tests start (in
// process or as a child) appends its log lines there, and
// TestLogsHoldNoSecrets (run after the suite, make test) reads them for
// the names, client IDs, PINs, passwords and card numbers the tests use.
// Without it, the lines go nowhere, as before.
package testlog

import (
	"io"
	"log/slog"
	"os"
	gosync "sync"
)

// Env names the file the suite's log lines go to.
const Env = "DOSSIER_TEST_LOG"

var (
	once gosync.Once
	file io.Writer = io.Discard
)

// Writer is where a test's server writes its log: the suite's log file,
// or nowhere.
func Writer() io.Writer {
	once.Do(func() {
		path := os.Getenv(Env)
		if path == "" {
			return
		}
		// O_APPEND: each line is one write, and lines from the suite's
		// processes interleave whole.
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			file = f
		}
	})
	return file
}

// Logger is a server logger writing JSON lines to Writer, as dossierd's.
func Logger() *slog.Logger { return slog.New(slog.NewJSONHandler(Writer(), nil)) }

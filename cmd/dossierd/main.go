// Command dossierd is Dossier's central server: the authoritative record,
// accounts and sign-in, and the sync API the desks push to and pull from.
//
//	dossierd serve --data DIR [--addr :8443] [--cert F --key F]
//	dossierd admin create-program|create-coordinator|add-school|issue-pin|schools|notice|populate-compliance|settings|backup|restore|audit|audit-verify --data DIR …
package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"os"

	"dossier/cmd/internal/cli"
	"dossier/domain/account"
	"dossier/internal/version"
	"dossier/store"
	"dossier/store/programs"
	"dossier/translations"
)

func main() {
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv}
	os.Exit(m.Run(os.Args[1:]))
}

// Main is one run of dossierd, its world passed in so tests can run it.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          *os.File
	Getenv         func(string) string
	// Ready, when set, receives the address the server listens on.
	Ready chan<- string
	// Stop, when set, stops the server as a signal would.
	Stop <-chan struct{}
	// bounds, when set, replace defaultConnBounds (tests of slow clients).
	bounds connBounds
	// secrets, when set, replace account.DefaultSecretParams as the
	// hashing parameters the server makes and accepts (tests, whose desks
	// hash with account.TestSecretParams). No flag sets it: a server
	// that accepted cheaper hashes would be easier to guess against.
	secrets account.SecretParams
	// creates, when set, replace the store's creation limits (tests and
	// benchmarks that create many records on purpose).
	creates store.CreateLimits
	// conns is the listener serve accepts on, with its counts (tests).
	conns *cappedListener
	// loadTest lifts the limits per account and per address (serve
	// --load-test: make load, never a real server).
	loadTest bool
	// store is the store serve opened (tests of /healthz close it).
	store programs.Server
	// metricsReady, when set, receives the address of --metrics.
	metricsReady chan<- string
	// serveArgs are more flags for serve (tests' harness).
	serveArgs []string
	// mailTLS, when set, is the TLS configuration the sender checks the
	// SMTP relay with instead of the system's roots (tests, whose relay
	// has a certificate of its own).
	mailTLS *tls.Config
	tr      *translations.Translator
}

// Run runs the command in args and returns the exit status.
func (m *Main) Run(args []string) int {
	m.tr = translations.New(cli.Language(args, m.Getenv))
	return cli.Exit(m.tr, m.Stderr, "dossierd", m.dispatch(args))
}

func (m *Main) dispatch(args []string) error {
	if len(args) == 0 {
		return cli.Bad("dossierd.command.missing")
	}
	switch args[0] {
	case "serve":
		return m.serve(args[1:])
	case "admin":
		return m.admin(args[1:])
	case "version", "--version", "-version":
		fmt.Fprintln(m.Stdout, m.tr.T("cli.version", "dossierd", version.Version))
		return nil
	case "help", "-h", "--help", "-help":
		m.say("dossierd.usage")
		return nil
	}
	return cli.Bad("cli.command.unknown", args[0])
}

func (m *Main) say(key string, args ...any) {
	io.WriteString(m.Stdout, m.tr.T(key, args...)+"\n")
}

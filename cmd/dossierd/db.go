package main

import (
	"context"
	"strings"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/store"
	"dossier/store/postgres"
	"dossier/store/programs"
)

// openStore opens the server's store: the bbolt file in data, or, with a
// database URL (--db, else DOSSIERD_DB, so that a password in it need not
// show in the process list), the PostgreSQL database, with the key file
// (and the TLS certificate) still in data. The URL is never logged.
func (m *Main) openStore(data, dbURL string) (programs.Server, error) {
	if dbURL == "" {
		dbURL = m.Getenv("DOSSIERD_DB")
	}
	if dbURL == "" {
		return programs.OpenServer(data, m.serverOptions())
	}
	if !strings.HasPrefix(dbURL, "postgres://") && !strings.HasPrefix(dbURL, "postgresql://") {
		return programs.Server{}, cli.Bad("dossierd.db.url")
	}
	db, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		// The cause names the database's host, not the URL's password.
		return programs.Server{}, domain.Wrap(store.ErrStorage, err)
	}
	sv, err := programs.OpenServerOn(db, data, m.serverOptions())
	if err != nil {
		db.Close()
	}
	return sv, err
}

// serverOptions are the store's options: the production limits, but for
// a load test (serve --load-test), whose simulated desks all sign in and
// raise their thousands of requests from one address as a few accounts.
func (m *Main) serverOptions() store.ServerOptions {
	opt := store.ServerOptions{Store: store.Options{Secrets: m.secrets}, Creates: m.creates}
	if m.loadTest {
		opt.Creates = store.NoCreateLimits()
		opt.AddressLimit, opt.AccountLimit = store.NoLimit, store.NoLimit
		opt.RepMisses, opt.VerifyLimit, opt.Refusals = store.NoLimit, store.NoLimit, store.NoLimit
	}
	return opt
}

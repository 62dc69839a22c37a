// Package pgtest gives tests a PostgreSQL database of their own, on the
// server DOSSIER_TEST_POSTGRES names (scripts/postgres starts a throw-away
// one); without it, the PostgreSQL suite is skipped, and says so.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test database server.
const Env = "DOSSIER_TEST_POSTGRES"

// URL is the test database server's URL, "" when there is none.
func URL() string { return os.Getenv(Env) }

// Skip skips tb, loudly, when there is no test database server.
func Skip(tb testing.TB) {
	tb.Helper()
	if URL() == "" {
		tb.Skip("SKIPPED: the PostgreSQL suite needs " + Env + " (scripts/postgres start DIR prints one)")
	}
}

// NewDatabase creates an empty database for tb on the test server, dropped
// when tb ends, and returns its URL.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	Skip(tb)
	base, err := url.Parse(URL())
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base.String())
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	defer admin.Close(ctx)
	raw := make([]byte, 6)
	rand.Read(raw)
	name := "dossier_t_" + hex.EncodeToString(raw)
	// Identifiers cannot be parameters; the name is ours, hex only.
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base.String())
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	db := *base
	db.Path = "/" + name
	return db.String()
}

package main

import (
	"context"
	"testing"

	"dossier/domain"
	"dossier/store"
	"dossier/store/postgres"
	"dossier/store/postgres/pgtest"
	"dossier/store/programs"
)

// TestHealthOnPostgres: on PostgreSQL, /healthz's check pings the
// database and reads the store; once the database cannot be reached
// (its pool closed here), the check fails with store.storage.
func TestHealthOnPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := programs.OpenServerOn(db, t.TempDir(), store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.Check(ctx); err != nil {
		t.Fatalf("a live database: %v", err)
	}
	db.Close()
	if err := sv.Check(ctx); domain.ErrorCode(err) != store.ErrStorage {
		t.Fatalf("a closed database: %v", err)
	}
}

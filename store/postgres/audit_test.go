package postgres

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/postgres/pgtest"
	"dossier/store/programs"
)

// schema5OnPostgres copies, row for row, the schema 5 server store of
// store/testdata into a new database, with its key file in a folder of its
// own, as if dossierd at schema 5 had written it there.
func schema5OnPostgres(t *testing.T) (db *DB, dir, url string) {
	t.Helper()
	url = pgtest.NewDatabase(t)
	db = open(t, url)
	dir = t.TempDir()
	from := filepath.Join("..", "testdata", "schema5")
	key, err := os.ReadFile(filepath.Join(from, "dossierd.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dossierd.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := bolt.Open(filepath.Join(from, store.ServerFileName), 0o400, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	err = src.View(func(btx *bolt.Tx) error {
		return db.Update(func(tx store.RemoteTx) error {
			return btx.ForEach(func(name []byte, b *bolt.Bucket) error {
				return b.ForEach(func(k, v []byte) error { return tx.Put(name, k, v) })
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, dir, url
}

// TestAuditTrailOnPostgres: a schema 5 store on PostgreSQL is chained in
// its migration and verifies; two processes' pools writing at once keep
// one chain; a row removed in the middle, and the last rows removed, are
// each found with their reason.
func TestAuditTrailOnPostgres(t *testing.T) {
	db, dir, url := schema5OnPostgres(t)
	sv, err := programs.OpenServerOn(db, dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	r, err := sv.VerifyAudit()
	if err != nil || r.Entries < 6 {
		t.Fatalf("migrated on PostgreSQL: %+v %v", r, err)
	}
	n := r.Entries
	// Writers at once, in two processes' worth of pools: one chain.
	other, err := programs.OpenServerOn(open(t, url), dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	// A signed-in person's refusals are audited (an anonymous caller's are
	// only counted).
	officer := account.Actor{Account: domain.ID{0xa0}, Role: account.ProgramOfficer}
	var wg gosync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for range 5 {
				if err := []programs.Server{sv, other}[g%2].Refused(officer, "test", domain.ID{}, store.ErrNotFound); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if r, err = sv.VerifyAudit(); err != nil || r.Entries != n+30 {
		t.Fatalf("after thirty more: %+v %v", r, err)
	}

	ctx := context.Background()
	var keys [][]byte
	rows, err := db.pool.Query(ctx, `SELECT k FROM dossier_kv WHERE bucket = 'audit' ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k []byte
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if rows.Err() != nil || len(keys) != n+30 {
		t.Fatalf("%d rows: %v", len(keys), rows.Err())
	}
	var middle []byte
	k := keys[len(keys)/2]
	if err := db.pool.QueryRow(ctx, `DELETE FROM dossier_kv WHERE bucket = 'audit' AND k = $1 RETURNING v`, k).Scan(&middle); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.VerifyAudit(); !errors.Is(err, store.ErrAuditRemoved) {
		t.Fatalf("a row removed in the middle: %v", err)
	}
	if _, err := db.pool.Exec(ctx, `INSERT INTO dossier_kv (bucket, k, v) VALUES ('audit', $1, $2)`, k, middle); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.VerifyAudit(); err != nil {
		t.Fatalf("the row put back: %v", err)
	}
	if _, err := db.pool.Exec(ctx, `DELETE FROM dossier_kv WHERE bucket = 'audit' AND k >= $1`, keys[len(keys)-2]); err != nil {
		t.Fatal(err)
	}
	var head domain.ID
	copy(head[:], keys[len(keys)-1])
	if r, err := sv.VerifyAudit(); !errors.Is(err, store.ErrAuditTruncated) || r.Broken != head {
		t.Fatalf("the last rows removed: %+v %v", r, err)
	}
}

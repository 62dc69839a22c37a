package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dossier/domain/account"
	"dossier/store"
	"dossier/store/postgres/pgtest"
	"dossier/store/programs"
)

func open(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrationsRunOnce: processes starting together on an empty database
// apply each migration once, and opening again applies nothing.
func TestMigrationsRunOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	var wg gosync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := Open(context.Background(), url)
			if err == nil {
				db.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db := open(t, url)
	var n int
	if err := db.pool.QueryRow(context.Background(), `SELECT count(*) FROM dossier_migrations`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("migrations applied: %d %v", n, err)
	}
}

// TestReadersNeverSkipAChange is the change feed's promise under
// concurrent writers in two processes (pools): a reader that has read up
// to sequence n never later finds a change numbered below n that it had
// not seen — a writer holding n-1 cannot commit after n. Writers that take
// their numbers from a PostgreSQL SEQUENCE (nextval, which no transaction
// holds) outside the store's transactions do leave such late changes, so
// the test can tell.
func TestReadersNeverSkipAChange(t *testing.T) {
	url := pgtest.NewDatabase(t)
	a, b := open(t, url), open(t, url)
	bucket := []byte("race.ours")
	ours := func(db *DB) error {
		return db.Update(func(tx store.RemoteTx) error {
			n, err := tx.NextSequence(bucket)
			if err != nil {
				return err
			}
			time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
			return tx.Put(bucket, binary.BigEndian.AppendUint64(nil, n), []byte("x"))
		})
	}
	if skipped := feedRace(t, bucket, ours, a, b); skipped != 0 {
		t.Fatalf("a reader skipped %d changes committed late", skipped)
	}
	ctx := context.Background()
	if _, err := a.pool.Exec(ctx, `CREATE SEQUENCE race_seq`); err != nil {
		t.Fatal(err)
	}
	naiveBucket := []byte("race.naive")
	naive := func(db *DB) error {
		return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			var n int64
			if err := tx.QueryRow(ctx, `SELECT nextval('race_seq')`).Scan(&n); err != nil {
				return err
			}
			time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
			_, err := tx.Exec(ctx, `INSERT INTO dossier_kv (bucket, k, v) VALUES ($1, $2, $3)`,
				string(naiveBucket), binary.BigEndian.AppendUint64(nil, uint64(n)), []byte("x"))
			return err
		})
	}
	if skipped := feedRace(t, naiveBucket, naive, a, b); skipped == 0 {
		t.Fatal("numbers from nextval came in order: the test cannot tell")
	}
}

// feedRace runs eight writers and a reader following the log in bucket;
// it returns how many changes the reader found below what it had already
// read.
func feedRace(t *testing.T, bucket []byte, write func(*DB) error, dbs ...*DB) (skipped int) {
	stop := make(chan struct{})
	var wg gosync.WaitGroup
	var wrote atomic.Int64
	for i := range 8 {
		db := dbs[i%len(dbs)]
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := write(db); err != nil {
					t.Error(err)
					return
				}
				wrote.Add(1)
			}
		})
	}
	seen := map[uint64]bool{}
	var high uint64
	deadline := time.Now().Add(1500 * time.Millisecond)
	for time.Now().Before(deadline) {
		err := dbs[0].View(func(tx store.RemoteTx) error {
			keys, _, err := tx.Scan(bucket, nil, 1<<20, false)
			for _, k := range keys {
				n := binary.BigEndian.Uint64(k)
				if !seen[n] && n < high {
					skipped++
				}
				seen[n] = true
				high = max(high, n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if wrote.Load() < 50 {
		t.Fatalf("only %d writes", wrote.Load())
	}
	return skipped
}

// TestTwoProcessesOneStore: two dossierd processes on one database share
// the store: an account one makes signs in on the other, and a process
// with another key is refused instead of starting a second store.
func TestTwoProcessesOneStore(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dir := t.TempDir()
	opt := store.ServerOptions{Store: store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams}}
	one, err := programs.OpenServerOn(open(t, url), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	two, err := programs.OpenServerOn(open(t, url), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if one.Epoch() != two.Epoch() {
		t.Fatal("two epochs for one store")
	}
	// Once the other process listens (its first ring is behind it), a
	// commit here must wake it.
	var woke <-chan struct{}
	for quiet := false; !quiet; {
		woke = two.Changed()
		select {
		case <-woke:
		case <-time.After(300 * time.Millisecond):
			quiet = true
		}
	}
	if _, err := one.CreateProgramAccount(account.Registration{UserID: "program", Password: "a long password 1",
		GivenNames: "Pat", FamilyName: "Ouellet", AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{
			{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"}, {Question: "d", Answer: "ddd"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := two.SignIn("program", "a long password 1", [16]byte{1}, "", "127.0.0.1"); err != nil {
		t.Fatalf("the other process: %v", err)
	}
	if _, err := one.Store().Institutions(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-woke: // the other process's commit, through NOTIFY
	case <-time.After(5 * time.Second):
		t.Fatal("a commit in one process did not wake the other's long-polls")
	}
	if _, err := programs.OpenServerOn(open(t, url), t.TempDir(), opt); !errors.Is(err, store.ErrWrongPassword) {
		t.Fatalf("a process with another key: %v", err)
	}
}

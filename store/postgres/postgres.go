// Package postgres is dossierd's store on PostgreSQL: the store's buckets
// of sealed keys and values, one row a pair, behind store.Remote, so the
// server runs the very same record code as on its bbolt file. Several
// dossierd processes share one database: tokens, stored answers, lock-outs
// and the change feed are rows; a commit that feeds the change log wakes
// every process's long-polls through LISTEN/NOTIFY.
//
// Transactions: a writer first locks the one row of dossier_writer, so
// writers run one at a time (as on bbolt) under READ COMMITTED, and every
// statement of a writer sees all that committed before it; a reader runs
// on a REPEATABLE READ snapshot and never waits. Every statement is
// parameterised.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"dossier/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// channel is the NOTIFY channel of the change feed.
const channel = "dossier_changes"

// DB is an open database.
type DB struct {
	pool   *pgxpool.Pool
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

var _ store.Remote = (*DB)(nil)

// Open connects to the database at url (postgres://…) and brings its
// schema up to date, each migration in one transaction.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	c, cancel := context.WithCancel(context.Background())
	return &DB{pool: pool, ctx: c, cancel: cancel}, nil
}

// migrate applies the embedded migrations not yet applied, in order, each
// in its own transaction; concurrent processes take turns (an advisory
// lock) so each migration runs once.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS dossier_migrations (
		version int PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("postgres: migration %s: no version", name)
		}
		var done bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM dossier_migrations WHERE version = $1)`, version).Scan(&done); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		if done {
			continue
		}
		sql, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO dossier_migrations (version) VALUES ($1)`, version)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// migrationLock is the advisory lock key of schema migrations.
const migrationLock = 0x646f7373 // "doss"

// Close stops listening and closes the pool.
func (d *DB) Close() error {
	d.cancel()
	if d.done != nil {
		<-d.done
	}
	d.pool.Close()
	return nil
}

// Update runs fn in a writing transaction, after the writer lock.
func (d *DB) Update(fn func(store.RemoteTx) error) error {
	for attempt := 0; ; attempt++ {
		err := pgx.BeginTxFunc(d.ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
			if _, err := tx.Exec(d.ctx, `SELECT id FROM dossier_writer WHERE id = 1 FOR UPDATE`); err != nil {
				return err
			}
			r := newRtx(d.ctx, tx)
			if err := fn(r); err != nil {
				return err
			}
			return r.flush()
		})
		if !retryable(err) || attempt >= 5 {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
}

// View runs fn on a consistent snapshot.
func (d *DB) View(fn func(store.RemoteTx) error) error {
	return pgx.BeginTxFunc(d.ctx, d.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error { return fn(newRtx(d.ctx, tx)) })
}

// retryable is a failure worth trying the transaction again for: a
// serialization failure or deadlock (neither should happen behind the
// writer lock, but a database that orders writers its own way may give
// them), or a connection that broke before the commit.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}

// Changed has ring called after every commit that fed the change log, in
// any process on the database, until Close.
func (d *DB) Changed(ring func()) {
	d.done = make(chan struct{})
	go func() {
		defer close(d.done)
		for d.ctx.Err() == nil {
			if err := d.listen(ring); err != nil && d.ctx.Err() == nil {
				time.Sleep(time.Second) // the database went away: try again
			}
		}
	}()
}

func (d *DB) listen(ring func()) error {
	conn, err := d.pool.Acquire(d.ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(d.ctx, "LISTEN "+channel); err != nil {
		return err
	}
	// A commit may have been missed while not listening: ring once.
	ring()
	for {
		if _, err := conn.Conn().WaitForNotification(d.ctx); err != nil {
			conn.Conn().Close(context.Background()) // not back to the pool still listening
			return err
		}
		ring()
	}
}

// rtx is one transaction. It keeps what it read and holds its writes
// until it must show them to a query (a scan, a count) or commit, then
// sends them in two statements: a command's many small writes cost two
// round trips rather than one each.
type rtx struct {
	ctx     context.Context
	tx      pgx.Tx
	cache   map[string][]byte // bucket \x00 key → value; absent: nil, and absent from the map: not read
	known   map[string]bool
	pending map[string]write
}

type write struct {
	bucket string
	key    []byte
	value  []byte // nil: delete
}

func newRtx(ctx context.Context, tx pgx.Tx) *rtx {
	return &rtx{ctx: ctx, tx: tx, cache: map[string][]byte{}, known: map[string]bool{}, pending: map[string]write{}}
}

func cacheKey(bucket, key []byte) string { return string(bucket) + "\x00" + string(key) }

func (t *rtx) Get(bucket, key []byte) ([]byte, error) {
	ck := cacheKey(bucket, key)
	if t.known[ck] {
		return t.cache[ck], nil
	}
	var v []byte
	err := t.tx.QueryRow(t.ctx, `SELECT v FROM dossier_kv WHERE bucket = $1 AND k = $2`, string(bucket), key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		v, err = nil, nil
	}
	if err == nil {
		t.known[ck], t.cache[ck] = true, v
	}
	return v, err
}

func (t *rtx) Put(bucket, key, value []byte) error {
	if value == nil {
		value = []byte{} // an index entry: present, empty (bbolt's nil)
	}
	ck := cacheKey(bucket, key)
	v := append([]byte{}, value...)
	t.known[ck], t.cache[ck] = true, v
	t.pending[ck] = write{bucket: string(bucket), key: append([]byte{}, key...), value: v}
	return nil
}

func (t *rtx) Delete(bucket, key []byte) error {
	ck := cacheKey(bucket, key)
	t.known[ck], t.cache[ck] = true, nil
	t.pending[ck] = write{bucket: string(bucket), key: append([]byte{}, key...)}
	return nil
}

// flush sends the writes held: the puts in one statement, the deletes in
// another.
func (t *rtx) flush() error {
	if len(t.pending) == 0 {
		return nil
	}
	var pb, db []string
	var pk, pv, dk [][]byte
	for _, w := range t.pending {
		if w.value == nil {
			db, dk = append(db, w.bucket), append(dk, w.key)
		} else {
			pb, pk, pv = append(pb, w.bucket), append(pk, w.key), append(pv, w.value)
		}
	}
	clear(t.pending)
	if len(pb) > 0 {
		if _, err := t.tx.Exec(t.ctx, `INSERT INTO dossier_kv (bucket, k, v)
			SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[])
			ON CONFLICT (bucket, k) DO UPDATE SET v = EXCLUDED.v`, pb, pk, pv); err != nil {
			return err
		}
	}
	if len(db) > 0 {
		if _, err := t.tx.Exec(t.ctx, `DELETE FROM dossier_kv WHERE (bucket, k) IN
			(SELECT * FROM unnest($1::text[], $2::bytea[]))`, db, dk); err != nil {
			return err
		}
	}
	return nil
}

func (t *rtx) Scan(bucket, key []byte, n int, reverse bool) (keys, values [][]byte, err error) {
	if err := t.flush(); err != nil {
		return nil, nil, err
	}
	var rows pgx.Rows
	switch {
	case !reverse && key == nil:
		rows, err = t.tx.Query(t.ctx, `SELECT k, v FROM dossier_kv WHERE bucket = $1 ORDER BY k LIMIT $2`, string(bucket), n)
	case !reverse:
		rows, err = t.tx.Query(t.ctx, `SELECT k, v FROM dossier_kv WHERE bucket = $1 AND k >= $2 ORDER BY k LIMIT $3`,
			string(bucket), key, n)
	case key == nil:
		rows, err = t.tx.Query(t.ctx, `SELECT k, v FROM dossier_kv WHERE bucket = $1 ORDER BY k DESC LIMIT $2`, string(bucket), n)
	default:
		rows, err = t.tx.Query(t.ctx, `SELECT k, v FROM dossier_kv WHERE bucket = $1 AND k <= $2 ORDER BY k DESC LIMIT $3`,
			string(bucket), key, n)
	}
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, nil, err
		}
		keys, values = append(keys, k), append(values, v)
	}
	return keys, values, rows.Err()
}

func (t *rtx) NextSequence(bucket []byte) (uint64, error) {
	var n int64
	err := t.tx.QueryRow(t.ctx, `INSERT INTO dossier_seq (bucket, n) VALUES ($1, 1)
		ON CONFLICT (bucket) DO UPDATE SET n = dossier_seq.n + 1 RETURNING n`, string(bucket)).Scan(&n)
	return uint64(n), err
}

func (t *rtx) Count(bucket []byte) (int, error) {
	if err := t.flush(); err != nil {
		return 0, err
	}
	var n int
	err := t.tx.QueryRow(t.ctx, `SELECT count(*) FROM dossier_kv WHERE bucket = $1`, string(bucket)).Scan(&n)
	return n, err
}

func (t *rtx) Notify() error {
	_, err := t.tx.Exec(t.ctx, `SELECT pg_notify($1, '')`, channel)
	return err
}

// Ping checks that the database answers (dossierd's /healthz).
func (d *DB) Ping(ctx context.Context) error { return d.pool.Ping(ctx) }

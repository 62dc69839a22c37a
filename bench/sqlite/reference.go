// Package sqlite is the SQLite reference of `make bench`: the same 100,000
// demo requests as Dossier's benchmarks, in one SQLite database (WAL,
// synchronous=FULL, an index for every way the queue reads), and the same
// five operations. It is a module of its own so that the product never
// depends on SQLite.
//
// What it stores is what a careful SQLite application would: each request
// as one sealed record (the very bytes Dossier stores, sealed with the same
// XChaCha20-Poly1305) beside the columns its indexes need. Those columns
// are in clear (folded name words, EVN, status, dates): the reference gets
// the cheapest indexes SQLite can have, where Dossier pays for keyed hashes.
package sqlite

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/chacha20poly1305"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store/requests"
)

// DSN opens path in WAL mode with durable commits.
func DSN(path string) string {
	return "file:" + path + "?_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_txlock=immediate&cache=private"
}

const schema = `
CREATE TABLE requests(
  id BLOB PRIMARY KEY, school BLOB NOT NULL, status INTEGER NOT NULL, type INTEGER NOT NULL,
  received INTEGER NOT NULL, expires INTEGER NOT NULL, assignee BLOB, evn TEXT NOT NULL,
  client TEXT NOT NULL, student_no TEXT NOT NULL, birth INTEGER NOT NULL,
  version INTEGER NOT NULL, record BLOB NOT NULL) WITHOUT ROWID;
CREATE INDEX requests_status ON requests(school, status, received, id);
CREATE INDEX requests_evn ON requests(school, evn);
CREATE INDEX requests_client ON requests(school, client);
CREATE INDEX requests_student_no ON requests(school, student_no);
CREATE INDEX requests_birth ON requests(school, birth);
CREATE TABLE names(school BLOB NOT NULL, word TEXT NOT NULL, id BLOB NOT NULL, PRIMARY KEY(school, word, id)) WITHOUT ROWID;
CREATE TABLE evn_seq(school BLOB PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor BLOB NOT NULL, action TEXT NOT NULL, entity BLOB NOT NULL, detail TEXT NOT NULL);
CREATE TABLE outbox(seq INTEGER PRIMARY KEY, id BLOB NOT NULL, kind TEXT NOT NULL, entity BLOB NOT NULL, base INTEGER NOT NULL, at INTEGER NOT NULL, payload BLOB NOT NULL);
`

// DB is the reference database with its sealing key.
type DB struct {
	SQL  *sql.DB
	aead interface {
		Seal(dst, nonce, plain, ad []byte) []byte
		Open(dst, nonce, ct, ad []byte) ([]byte, error)
		Overhead() int
	}
	firstPage, byEVN, prefix *sql.Stmt
}

// Open opens (or creates, empty) the database at path with key.
func Open(path string, key []byte) (*DB, error) {
	db, err := sql.Open("sqlite3", DSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &DB{SQL: db, aead: aead}, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.SQL.Close() }

func (d *DB) seal(id domain.ID, plain []byte) []byte {
	out := make([]byte, 24, 24+len(plain)+d.aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		panic(err)
	}
	return d.aead.Seal(out, out, plain, id[:])
}

func (d *DB) open(id domain.ID, sealed []byte) (ens.Request, error) {
	if len(sealed) < 24 {
		return ens.Request{}, fmt.Errorf("short record")
	}
	plain, err := d.aead.Open(nil, sealed[:24], sealed[24:], id[:])
	if err != nil {
		return ens.Request{}, err
	}
	return requests.DecodeRecord(id, plain)
}

// Load creates the schema and writes every request in one transaction.
func (d *DB) Load(all []ens.Request) error {
	if _, err := d.SQL.Exec(schema); err != nil {
		return err
	}
	tx, err := d.SQL.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.Prepare(`INSERT INTO requests VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	name, err := tx.Prepare(`INSERT OR IGNORE INTO names VALUES(?,?,?)`)
	if err != nil {
		return err
	}
	for i := range all {
		if err := d.put(ins, name, &all[i]); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = d.SQL.Exec(`ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

func (d *DB) put(ins, name *sql.Stmt, r *ens.Request) error {
	var assignee []byte
	if !r.Assignee.IsZero() {
		assignee = r.Assignee[:]
	}
	if _, err := ins.Exec(r.ID[:], r.School[:], int(r.Status), int(r.Type), r.Received.UnixMilli(), r.Expires.UnixMilli(),
		assignee, string(r.EVN), string(r.Student.ClientID), r.Student.StudentNumber, r.Student.BirthDate.Days(), r.Version,
		d.seal(r.ID, requests.EncodeRecord(nil, r))); err != nil {
		return err
	}
	for _, w := range domain.NameTokens(domain.FoldName(r.Student.GivenNames + " " + r.Student.FamilyName)) {
		if _, err := name.Exec(r.School[:], w, r.ID[:]); err != nil {
			return err
		}
	}
	return nil
}

// Prepare readies the read statements, as an application keeps them.
func (d *DB) Prepare() error {
	var err error
	if d.firstPage, err = d.SQL.Prepare(`SELECT id, record FROM requests WHERE school = ? AND status = ? ORDER BY received, id LIMIT ?`); err != nil {
		return err
	}
	if d.byEVN, err = d.SQL.Prepare(`SELECT id, record FROM requests WHERE school = ? AND evn = ?`); err != nil {
		return err
	}
	d.prefix, err = d.SQL.Prepare(`SELECT id, record FROM requests WHERE id IN
		(SELECT id FROM names WHERE school = ? AND word >= ? AND word < ?) ORDER BY id LIMIT ?`)
	return err
}

func (d *DB) rows(stmt *sql.Stmt, args ...any) ([]ens.Request, error) {
	rows, err := stmt.Query(args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ens.Request
	for rows.Next() {
		var id domain.ID
		var idb, rec []byte
		if err := rows.Scan(&idb, &rec); err != nil {
			return nil, err
		}
		copy(id[:], idb)
		r, err := d.open(id, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FirstPage is the first n requests of one status by received date.
func (d *DB) FirstPage(school domain.ID, st ens.Status, n int) ([]ens.Request, error) {
	return d.rows(d.firstPage, school[:], int(st), n)
}

// FindByEVN is the request with that EVN.
func (d *DB) FindByEVN(school domain.ID, evn string) ([]ens.Request, error) {
	return d.rows(d.byEVN, school[:], evn)
}

// NamePrefix is the first n requests, by received date, with a name word
// that starts with prefix (folded as Dossier folds it).
func (d *DB) NamePrefix(school domain.ID, prefix string, n int) ([]ens.Request, error) {
	p := domain.FoldName(prefix)
	if p == "" {
		return nil, fmt.Errorf("empty prefix")
	}
	end := p[:len(p)-1] + string(p[len(p)-1]+1)
	return d.rows(d.prefix, school[:], p, end, n)
}

// Verify is one Verify, committed durably: the same rule as Dossier's
// (ens.Allowed, the EVN from the school's sequence, ens.Apply), then the
// record, its index columns, the audit entry and the outbox command in one
// transaction.
func (d *DB) Verify(by account.Actor, code ens.SchoolCode, id domain.ID, a ens.Action, now time.Time) (ens.Request, error) {
	tx, err := d.SQL.Begin()
	if err != nil {
		return ens.Request{}, err
	}
	defer tx.Rollback()
	var rec []byte
	if err := tx.QueryRow(`SELECT record FROM requests WHERE id = ?`, id[:]).Scan(&rec); err != nil {
		return ens.Request{}, err
	}
	old, err := d.open(id, rec)
	if err != nil {
		return old, err
	}
	if err := ens.Allowed(&old, a.Function, by, now); err != nil {
		return old, err
	}
	var next uint32
	err = tx.QueryRow(`SELECT next FROM evn_seq WHERE school = ?`, old.School[:]).Scan(&next)
	if err == sql.ErrNoRows {
		next, err = 1, nil
	}
	if err != nil {
		return old, err
	}
	if _, err := tx.Exec(`INSERT INTO evn_seq VALUES(?,?) ON CONFLICT(school) DO UPDATE SET next = excluded.next`,
		old.School[:], next+1); err != nil {
		return old, err
	}
	if a.EVN, err = ens.IssueEVN(code, evnDesk, next); err != nil {
		return old, err
	}
	nr, err := ens.Apply(old, a, by, now)
	if err != nil {
		return old, err
	}
	if _, err := tx.Exec(`UPDATE requests SET status = ?, expires = ?, evn = ?, assignee = ?, version = ?, record = ? WHERE id = ?`,
		int(nr.Status), nr.Expires.UnixMilli(), string(nr.EVN), nr.Assignee[:], nr.Version, d.seal(id, requests.EncodeRecord(nil, &nr)), id[:]); err != nil {
		return old, err
	}
	if _, err := tx.Exec(`INSERT INTO audit(at, actor, action, entity, detail) VALUES(?,?,?,?,?)`,
		now.UnixMilli(), by.Account[:], "ens."+a.Function.Code(), id[:], old.Status.Code()+"→"+nr.Status.Code()); err != nil {
		return old, err
	}
	payload, err := json.Marshal(struct {
		Action ens.Action `json:"action"`
		At     time.Time  `json:"at"`
	}{a, now})
	if err != nil {
		return old, err
	}
	cmd, err := domain.NewID(now, rand.Reader)
	if err != nil {
		return old, err
	}
	if _, err := tx.Exec(`INSERT INTO outbox(id, kind, entity, base, at, payload) VALUES(?,?,?,?,?,?)`,
		cmd[:], "apply", id[:], old.Version, now.UnixMilli(), d.seal(cmd, payload)); err != nil {
		return old, err
	}
	return nr, tx.Commit()
}

// evnDesk is the reference's desk number in the EVNs it issues.
const evnDesk = 7

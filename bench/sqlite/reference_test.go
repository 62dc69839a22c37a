package sqlite

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/store/requests"
)

// The same demo as Dossier's benchmarks (store/programs/bench_test.go):
// 100,000 requests, seed 1, built on the same day.
const benchRequests = 100_000

var benchToday = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// benchNow is the benchmarks' clock: it starts on the demo's day, so that
// no benchmark depends on today's date.
func benchNow() func() time.Time {
	start := time.Now()
	return func() time.Time { return benchToday.Add(time.Since(start)) }
}

const benchPassword = "bench password"

func benchOptions() store.Options {
	return store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader, Now: benchNow()}
}

type fixture struct {
	dir    string
	key    []byte
	school domain.ID
	code   ens.SchoolCode
	actor  account.Actor
	built  time.Duration
}

var (
	benchOnce gosync.Once
	bench     fixture
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" && os.Getenv("DOSSIER_BENCH_CACHE") == "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// build makes Dossier's demo of n requests, reads every request back and
// loads them into a new SQLite database, in dir (a new temporary directory
// when empty).
func build(n int, dir string) (fixture, error) {
	f := fixture{dir: dir, key: make([]byte, 32)}
	var err error
	if dir != "" {
		err = os.MkdirAll(dir, 0o700)
	} else {
		f.dir, err = os.MkdirTemp("", "dossier-sqlite-bench")
	}
	if err != nil {
		return f, err
	}
	rand.Read(f.key)
	opt := benchOptions()
	opt.NoSync = true
	s, err := programs.Create(store.ProfilePath(f.dir), benchPassword, opt)
	if err != nil {
		return f, err
	}
	defer s.Close()
	if _, err := demo.Build(s, demo.Options{Requests: n, Seed: 1, Today: domain.DateOf(benchToday)}); err != nil {
		return f, err
	}
	_, acct, err := s.SignIn("dir.beaulieu", demo.Password)
	if err != nil {
		return f, err
	}
	f.actor, f.school = acct.Actor(), acct.Org
	schools, err := s.Institutions()
	if err != nil {
		return f, err
	}
	var all []ens.Request
	for _, in := range schools {
		if in.ID == f.school {
			f.code = in.Code
		}
		ids, err := s.QueueIDs(account.SystemActor, requests.QueueFilter{School: in.ID})
		if err != nil {
			return f, err
		}
		for len(ids) > 0 {
			n := min(len(ids), requests.MaxPageSize)
			rows, err := s.Requests(account.SystemActor, ids[:n])
			if err != nil {
				return f, err
			}
			all = append(all, rows...)
			ids = ids[n:]
		}
	}
	if len(all) != n {
		return f, fmt.Errorf("read %d requests of %d", len(all), n)
	}
	start := time.Now()
	db, err := Open(filepath.Join(f.dir, "bench.sqlite"), f.key)
	if err != nil {
		return f, err
	}
	if err := db.Load(all); err != nil {
		db.Close()
		return f, err
	}
	f.built = time.Since(start)
	return f, db.Close()
}

// cached is build, kept in DOSSIER_BENCH_CACHE when it names a directory
// (make bench-side alternates many short runs): the fixture is saved
// beside the database and read back by the next run.
func cached(n int) (fixture, error) {
	dir := os.Getenv("DOSSIER_BENCH_CACHE")
	if dir == "" {
		return build(n, "")
	}
	meta := filepath.Join(dir, "fixture.json")
	type saved struct {
		Dir    string
		Key    []byte
		School domain.ID
		Code   ens.SchoolCode
		Actor  account.Actor
		Built  time.Duration
	}
	var sv saved
	if b, err := os.ReadFile(meta); err == nil && json.Unmarshal(b, &sv) == nil {
		return fixture{dir: sv.Dir, key: sv.Key, school: sv.School, code: sv.Code, actor: sv.Actor, built: sv.Built}, nil
	}
	f, err := build(n, filepath.Join(dir, "data"))
	if err != nil {
		return f, err
	}
	b, err := json.Marshal(saved{f.dir, f.key, f.school, f.code, f.actor, f.built})
	if err == nil {
		err = os.WriteFile(meta, b, 0o600)
	}
	return f, err
}

// benchDB opens a fresh copy of the reference database.
func benchDB(b *testing.B) (*DB, string) {
	b.Helper()
	benchOnce.Do(func() { bench, benchErr = cached(benchRequests) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	dst := filepath.Join(b.TempDir(), "bench.sqlite")
	if err := copyFile(dst, filepath.Join(bench.dir, "bench.sqlite")); err != nil {
		b.Fatal(err)
	}
	db, err := Open(dst, bench.key)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Prepare(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db, dst
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkDemoBuild100k reports how long loading the 100,000 requests
// took and how many bytes each costs on disk.
func BenchmarkDemoBuild100k(b *testing.B) {
	_, path := benchDB(b)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
	}
	b.ReportMetric(bench.built.Seconds(), "s-build")
	b.ReportMetric(float64(fi.Size())/benchRequests, "bytes/request")
}

// BenchmarkOpenFirstPage opens the database and reads the first page.
func BenchmarkOpenFirstPage(b *testing.B) {
	db, path := benchDB(b)
	db.Close()
	b.ResetTimer()
	for range b.N {
		db, err := Open(path, bench.key)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Prepare(); err != nil {
			b.Fatal(err)
		}
		page, err := db.FirstPage(bench.school, ens.New, 50)
		if err != nil || len(page) != 50 {
			b.Fatal(len(page), err)
		}
		db.Close()
	}
}

// BenchmarkFirstPage is the first 50 rows of one status, by received date.
func BenchmarkFirstPage(b *testing.B) {
	db, _ := benchDB(b)
	b.ResetTimer()
	for range b.N {
		page, err := db.FirstPage(bench.school, ens.InProgress, 50)
		if err != nil || len(page) != 50 {
			b.Fatal(len(page), err)
		}
	}
}

// BenchmarkEVNLookup finds one request by its EVN.
func BenchmarkEVNLookup(b *testing.B) {
	db, _ := benchDB(b)
	page, err := db.FirstPage(bench.school, ens.Verified, 200)
	if err != nil {
		b.Fatal(err)
	}
	var evns []string
	for _, r := range page {
		if r.Type != ens.TI {
			evns = append(evns, string(r.EVN))
		}
	}
	b.ResetTimer()
	for i := range b.N {
		got, err := db.FindByEVN(bench.school, evns[i%len(evns)])
		if err != nil || len(got) != 1 {
			b.Fatal(len(got), err)
		}
	}
}

// BenchmarkNamePrefix searches the start of a name and reads the first 50
// matches by received date.
func BenchmarkNamePrefix(b *testing.B) {
	db, _ := benchDB(b)
	b.ResetTimer()
	for range b.N {
		page, err := db.NamePrefix(bench.school, "Trem", 50)
		if err != nil || len(page) != 50 {
			b.Fatal(len(page), err)
		}
	}
}

// BenchmarkVerify commits one Verify durably.
func BenchmarkVerify(b *testing.B) {
	db, _ := benchDB(b)
	rows, err := db.SQL.Query(`SELECT id FROM requests WHERE school = ? AND status IN (?, ?) AND type IN (?, ?) ORDER BY received, id LIMIT ?`,
		bench.school[:], int(ens.New), int(ens.InProgress), int(ens.EV), int(ens.EVT), b.N)
	if err != nil {
		b.Fatal(err)
	}
	var ids []domain.ID
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, domain.ID(raw))
	}
	rows.Close()
	if len(ids) < b.N {
		b.Fatalf("only %d open requests for %d verifies", len(ids), b.N)
	}
	var checks ens.Checks
	for i := range checks {
		checks[i] = ens.Met
	}
	now := benchNow()
	b.ResetTimer()
	for i := range b.N {
		if _, err := db.Verify(bench.actor, bench.code, ids[i], ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: checks}}, now()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReferenceAgrees: on a small demo, the reference's pages, search and
// lookup find the very requests Dossier's do, and its Verify verifies.
func TestReferenceAgrees(t *testing.T) {
	f, err := build(3000, "")
	if f.dir != "" {
		defer os.RemoveAll(f.dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := programs.Open(store.ProfilePath(f.dir), benchPassword, benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := Open(filepath.Join(f.dir, "bench.sqlite"), f.key)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Prepare(); err != nil {
		t.Fatal(err)
	}
	ids := func(rows []ens.Request) []domain.ID {
		var out []domain.ID
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	same := func(what string, want []ens.Request, got []ens.Request, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(what, err)
		}
		if len(want) == 0 || !slices.Equal(ids(want), ids(got)) {
			t.Fatalf("%s: Dossier %d rows, SQLite %d, or in another order", what, len(want), len(got))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: row %d differs:\n%+v\n%+v", what, i, got[i], want[i])
			}
		}
	}
	for _, st := range []ens.Status{ens.New, ens.InProgress, ens.Verified} {
		page, err := s.Queue(f.actor, requests.QueueFilter{School: f.school, Statuses: []ens.Status{st}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FirstPage(f.school, st, 50)
		same("first page "+st.Code(), page.Rows, got, err)
	}
	for _, prefix := range []string{"Trem", "cot", "Ng"} {
		page, err := s.Queue(f.actor, requests.QueueFilter{School: f.school, Search: prefix, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.NamePrefix(f.school, prefix, 50)
		same("name prefix "+prefix, page.Rows, got, err)
	}
	verified, err := db.FirstPage(f.school, ens.Verified, 5)
	if err != nil || len(verified) == 0 {
		t.Fatal(len(verified), err)
	}
	for _, r := range verified {
		if r.Type == ens.TI {
			continue
		}
		want, err := s.FindByEVN(f.actor, f.school, string(r.EVN))
		got, gerr := db.FindByEVN(f.school, string(r.EVN))
		if err != nil || gerr != nil || len(want) != 1 || len(got) != 1 || got[0] != want[0] {
			t.Fatalf("EVN %s: Dossier %d (%v), SQLite %d (%v)", r.EVN, len(want), err, len(got), gerr)
		}
	}
	var open []ens.Request
	for _, st := range []ens.Status{ens.New, ens.InProgress} {
		page, err := s.Queue(f.actor, requests.QueueFilter{School: f.school, Statuses: []ens.Status{st}, Types: []ens.Type{ens.EV, ens.EVT}, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, page.Rows...)
	}
	var checks ens.Checks
	for i := range checks {
		checks[i] = ens.Met
	}
	for _, r := range open {
		if r.Type != ens.EV && r.Type != ens.EVT {
			continue
		}
		next, err := db.Verify(f.actor, f.code, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: checks}}, benchToday)
		if err != nil {
			t.Fatal(err)
		}
		if _, perr := ens.ParseEVN(string(next.EVN)); next.Status != ens.Verified || perr != nil {
			t.Fatalf("verified as %v with EVN %q (%v)", next.Status, next.EVN, perr)
		}
		if got, err := db.FindByEVN(f.school, string(next.EVN)); err != nil || len(got) != 1 || got[0].Status != ens.Verified {
			t.Fatalf("the new EVN finds %d (%v)", len(got), err)
		}
		var audits, commands int
		if err := db.SQL.QueryRow(`SELECT (SELECT count(*) FROM audit), (SELECT count(*) FROM outbox)`).Scan(&audits, &commands); err != nil || audits != 1 || commands != 1 {
			t.Fatalf("%d audit rows, %d commands (%v)", audits, commands, err)
		}
		return
	}
	t.Fatal("no open request to verify")
}

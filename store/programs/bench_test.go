package programs_test

import (
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/language"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/internal/heapfloor"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/store/requests"
)

// The benchmarks run on a 100,000-request demo profile, built once per run.
const benchRequests = 100_000

var (
	benchOnce  gosync.Once
	benchDir   string
	benchBuilt time.Duration
	benchErr   error
	// benchCached is set when benchDir is kept between runs.
	benchCached bool
)

// childMain, when set (crash_test.go), is what the test binary runs as
// the crash loop's child instead of the tests.
var childMain func()

// TestMain removes the benchmarks' demo profile when the run ends, or
// runs the crash loop's child.
func TestMain(m *testing.M) {
	if childMain != nil && os.Getenv("DOSSIER_CRASH_CHILD") != "" {
		childMain()
		return
	}
	// The benchmarks collect garbage as the desk does (cmd/dossier).
	stop := heapfloor.Keep(heapfloor.Desk, os.Getenv)
	code := m.Run()
	stop()
	if benchDir != "" && !benchCached {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchOptions are the programs' options except for the password costs:
// the key derivation is measured on its own (BenchmarkKeyDerivation), and
// leaving it out of the others shows what the store itself costs.
//
// Their clock starts on the demo's day (benchToday) and runs from there, so
// that a benchmark never depends on today's date: the demo's open requests
// would otherwise expire as the calendar moves on (a Verify refused with
// ens.request.expired).
func benchOptions() store.Options {
	start := time.Now()
	return store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader,
		Now: func() time.Time { return benchToday.Add(time.Since(start)) }}
}

// benchToday is the day the benchmarks' demo profile is built on.
var benchToday = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

const benchPassword = "bench password"

// benchProfile returns the path of a fresh copy of the 100k demo profile.
func benchProfile(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		// DOSSIER_BENCH_CACHE names a directory that keeps the demo
		// between runs (make bench-side alternates many short runs).
		if dir := os.Getenv("DOSSIER_BENCH_CACHE"); dir != "" {
			benchDir, benchCached = dir, true
			if _, err := os.Stat(store.ProfilePath(dir)); err == nil {
				return
			}
			if benchErr = os.MkdirAll(dir, 0o700); benchErr != nil {
				return
			}
		} else if benchDir, benchErr = os.MkdirTemp("", "dossier-bench"); benchErr != nil {
			return
		}
		start := time.Now()
		benchErr = buildDemo(store.ProfilePath(benchDir), benchRequests)
		benchBuilt = time.Since(start)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	dst := filepath.Join(b.TempDir(), store.ProfileFileName)
	if err := copyFile(dst, store.ProfilePath(benchDir)); err != nil {
		b.Fatal(err)
	}
	return dst
}

// buildDemo builds a demo profile as `dossierctl demo` does.
func buildDemo(path string, n int) error {
	opt := benchOptions()
	opt.NoSync = true
	s, err := programs.Create(path, benchPassword, opt)
	if err != nil {
		return err
	}
	_, err = demo.Build(s, demo.Options{Requests: n, Seed: 1, Today: domain.DateOf(benchToday)})
	if err == nil {
		err = s.Sync()
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = store.Compact(path)
	}
	return err
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

func openBench(b *testing.B, path string) programs.Desk {
	b.Helper()
	s, err := programs.Open(path, benchPassword, benchOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// benchSchool is the first demo school and a DIR who works its queue.
func benchSchool(b *testing.B, s programs.Desk) (domain.ID, account.Actor) {
	b.Helper()
	schools, err := s.Institutions()
	if err != nil || len(schools) == 0 {
		b.Fatal(err)
	}
	_, acct, err := s.SignIn("dir.beaulieu", demo.Password)
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range schools {
		if in.ID == acct.Org {
			return in.ID, acct.Actor()
		}
	}
	b.Fatal("no school for the DIR")
	return domain.ID{}, account.Actor{}
}

// BenchmarkDemoBuild100k reports how long the 100,000-request demo took to
// build and how many bytes each request costs on disk.
func BenchmarkDemoBuild100k(b *testing.B) {
	path := benchProfile(b)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
	}
	b.ReportMetric(benchBuilt.Seconds(), "s-build")
	b.ReportMetric(float64(fi.Size())/benchRequests, "bytes/request")
}

// BenchmarkOpenFirstPage opens the profile (key derivation aside) and reads
// the first page of the queue.
func BenchmarkOpenFirstPage(b *testing.B) {
	path := benchProfile(b)
	var school domain.ID
	{
		s := openBench(b, path)
		school, _ = benchSchool(b, s)
		s.Close()
	}
	f := requests.QueueFilter{School: school, Statuses: []ens.Status{ens.New}, Limit: 50}
	b.ResetTimer()
	for range b.N {
		s, err := programs.Open(path, benchPassword, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		page, err := s.Queue(account.SystemActor, f)
		if err != nil || len(page.Rows) != 50 {
			b.Fatal(len(page.Rows), err)
		}
		s.Close()
	}
}

// BenchmarkKeyDerivation is the argon2id cost of opening a profile with the
// programs' settings: what a password guess costs an attacker.
func BenchmarkKeyDerivation(b *testing.B) {
	path := filepath.Join(b.TempDir(), "kdf.dossier")
	s, err := programs.Create(path, benchPassword, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for range b.N {
		s, err := programs.Open(path, benchPassword, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkFirstPage is the first 50 rows of one status, by received date.
func BenchmarkFirstPage(b *testing.B) {
	s := openBench(b, benchProfile(b))
	school, dir := benchSchool(b, s)
	f := requests.QueueFilter{School: school, Statuses: []ens.Status{ens.InProgress}, Limit: 50}
	b.ResetTimer()
	for range b.N {
		page, err := s.Queue(dir, f)
		if err != nil || len(page.Rows) != 50 {
			b.Fatal(len(page.Rows), err)
		}
	}
}

// BenchmarkEVNLookup finds one request by its EVN.
func BenchmarkEVNLookup(b *testing.B) {
	s := openBench(b, benchProfile(b))
	school, dir := benchSchool(b, s)
	page, err := s.Queue(dir, requests.QueueFilter{School: school, Statuses: []ens.Status{ens.Verified}, Limit: 200})
	if err != nil {
		b.Fatal(err)
	}
	var evns []string
	for _, r := range page.Rows {
		if r.Type != ens.TI {
			evns = append(evns, string(r.EVN))
		}
	}
	b.ResetTimer()
	for i := range b.N {
		got, err := s.FindByEVN(dir, school, evns[i%len(evns)])
		if err != nil || len(got) != 1 {
			b.Fatal(len(got), err)
		}
	}
}

// BenchmarkNamePrefix searches the start of a family name and reads the
// first 50 matches.
func BenchmarkNamePrefix(b *testing.B) {
	s := openBench(b, benchProfile(b))
	school, dir := benchSchool(b, s)
	f := requests.QueueFilter{School: school, Search: "Trem", Limit: 50}
	b.ResetTimer()
	for range b.N {
		page, err := s.Queue(dir, f)
		if err != nil || len(page.Rows) != 50 {
			b.Fatal(len(page.Rows), err)
		}
	}
}

// BenchmarkNamePrefixSorted is the same search with every match sorted by
// name (French collation): all matches are decrypted.
func BenchmarkNamePrefixSorted(b *testing.B) {
	s := openBench(b, benchProfile(b))
	school, dir := benchSchool(b, s)
	f := requests.QueueFilter{School: school, Search: "Trem", Limit: 50, Sort: requests.SortName}
	n, _ := s.QueueCount(dir, f)
	b.ReportMetric(float64(n), "matches")
	b.ResetTimer()
	for range b.N {
		page, err := s.Queue(dir, f)
		if err != nil || len(page.Rows) != 50 {
			b.Fatal(len(page.Rows), err)
		}
	}
}

// BenchmarkVerify commits one Verify, durably: the request, its indexes,
// the EVN sequence, the audit entry and the outbox command in one
// transaction. Each acts on an open request; once the demo's (about
// 10,000) are all verified, the benchmark goes on with a fresh copy of
// the profile, outside the timer: a quiet disk asks for more Verifies in
// a second than one profile holds.
func BenchmarkVerify(b *testing.B) {
	s, dir, ids := openVerifyBench(b)
	var checks ens.Checks
	for i := range checks {
		checks[i] = ens.Met
	}
	b.ResetTimer()
	before := cpuTime()
	var reopening time.Duration
	next := 0
	for range b.N {
		if next == len(ids) {
			b.StopTimer()
			at := cpuTime()
			s.Close()
			s, dir, ids = openVerifyBench(b)
			next = 0
			reopening += cpuTime() - at
			b.StartTimer()
		}
		if _, err := s.Act(dir, ids[next], ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: checks}}, 0); err != nil {
			b.Fatal(err)
		}
		next++
	}
	b.ReportMetric(float64((cpuTime()-before-reopening).Microseconds())/float64(b.N), "cpu-µs/op")
}

// openVerifyBench opens a fresh copy of the demo profile, and lists the
// open requests of the first school's queue that a Verify may act on.
func openVerifyBench(b *testing.B) (programs.Desk, account.Actor, []domain.ID) {
	b.Helper()
	s := openBench(b, benchProfile(b))
	school, dir := benchSchool(b, s)
	var ids []domain.ID
	for off := 0; ; off += requests.MaxPageSize {
		page, err := s.Queue(dir, requests.QueueFilter{School: school, Statuses: []ens.Status{ens.New, ens.InProgress},
			Types: []ens.Type{ens.EV, ens.EVT}, Offset: off, Limit: requests.MaxPageSize})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range page.Rows {
			ids = append(ids, r.ID)
		}
		if !page.More {
			break
		}
	}
	if len(ids) == 0 {
		b.Fatal("no open request to verify")
	}
	return s, dir, ids
}

// The desk's table asks for the whole ordered list of a filter, then reads
// the rows it shows. These are the filter changes a person makes.
func benchQueueIDs(b *testing.B, f requests.QueueFilter) {
	s := openBench(b, benchProfile(b))
	school, dir := benchSchool(b, s)
	f.School = school
	ids, err := s.QueueIDs(dir, f)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(ids)), "rows")
	b.ResetTimer()
	for range b.N {
		ids, err := s.QueueIDs(dir, f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Requests(dir, ids[:min(len(ids), 50)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFilterOpenByReceived(b *testing.B) {
	benchQueueIDs(b, requests.QueueFilter{Statuses: []ens.Status{ens.New, ens.InProgress, ens.AwaitingAcceptance}})
}

func BenchmarkFilterAllByReceived(b *testing.B) { benchQueueIDs(b, requests.QueueFilter{}) }

func BenchmarkFilterExpiringByExpiry(b *testing.B) {
	benchQueueIDs(b, requests.QueueFilter{ExpiringWithin: 7 * 24 * time.Hour, Sort: requests.SortExpires})
}

func BenchmarkFilterSearchName(b *testing.B) {
	benchQueueIDs(b, requests.QueueFilter{Search: "tremblay", Sort: requests.SortName})
}

func BenchmarkFilterOpenByName(b *testing.B) {
	benchQueueIDs(b, requests.QueueFilter{Statuses: []ens.Status{ens.New, ens.InProgress, ens.AwaitingAcceptance}, Sort: requests.SortName})
}

func BenchmarkFilterAllByName(b *testing.B) {
	benchQueueIDs(b, requests.QueueFilter{Sort: requests.SortName})
}

// BenchmarkNameSortCold sorts a school's whole queue (about 50,000
// requests) by name in French on a profile just opened, before the
// background cache is warm: the open is outside the timer. The profile's
// last session sorted it (as a DIR's every session does), so the sort
// cache it kept at close is there to read.
func BenchmarkNameSortCold(b *testing.B) { benchNameSort(b, true) }

// BenchmarkNameSortNeverSorted is the same on a profile whose queue was
// never sorted by name: every request is decrypted once.
func BenchmarkNameSortNeverSorted(b *testing.B) { benchNameSort(b, false) }

func benchNameSort(b *testing.B, sortedBefore bool) {
	path := benchProfile(b)
	var school domain.ID
	var dir account.Actor
	f := requests.QueueFilter{Sort: requests.SortName, Language: language.CanadianFrench}
	{
		s := openBench(b, path)
		school, dir = benchSchool(b, s)
		f.School = school
		if sortedBefore {
			if _, err := s.QueueIDs(dir, f); err != nil {
				b.Fatal(err)
			}
		}
		s.Close()
	}
	var cpu time.Duration
	defer func() { b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op") }()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if !sortedBefore {
			path = benchProfile(b) // a fresh copy: no cache kept
		}
		s, err := programs.Open(path, benchPassword, benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		before := cpuTime()
		ids, err := s.QueueIDs(dir, f)
		if err != nil || len(ids) < 40_000 {
			b.Fatal(len(ids), err)
		}
		cpu += cpuTime() - before
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkPopulateCompliance raises the 15 October list on a server
// holding the 100,000-request demo: one Annual Compliance request for each
// active verification, in batches, each new request written, indexed, fed
// to its school and audited.
func BenchmarkPopulateCompliance(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		opt := benchOptions()
		sv, err := programs.OpenServer(b.TempDir(), store.ServerOptions{Store: opt})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := demo.Build(sv.Store(), demo.Options{Requests: 100_000, Seed: 1, Today: domain.Date{Year: 2026, Month: 9, Day: 30}}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n, err := sv.PopulateCompliance(time.Date(2026, 10, 15, 6, 0, 0, 0, time.UTC))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "AC-requests")
		b.ReportMetric(time.Since(start).Seconds(), "s/list")
		again, err := sv.PopulateCompliance(time.Date(2026, 10, 16, 6, 0, 0, 0, time.UTC))
		if err != nil || again != 0 {
			b.Fatalf("a second run raised %d (%v)", again, err)
		}
		b.StopTimer()
		sv.Close()
		b.StartTimer()
	}
}

// cpuTime is the CPU time the process has used, user and system: on a
// machine shared with other work, a figure that the others' load does not
// inflate as it does the wall clock's.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

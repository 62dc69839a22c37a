package client_test

import (
	"context"
	"crypto/rand"
	"fmt"

	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/postgres"
	"dossier/store/postgres/pgtest"
	"dossier/store/programs"
	"dossier/store/storetest"
	"dossier/sync/client"
	"dossier/sync/server"
)

const password = "correct-horse-9"

var questions = [account.QuestionCount]account.SecurityQuestion{
	{Question: "First school?", Answer: "test school"},
	{Question: "Birth city?", Answer: "test city"},
	{Question: "First pet?", Answer: "test pet"},
	{Question: "Favourite book?", Answer: "test book"},
}

// answerer answers the security questions of the harness's people, as
// they would at the desk.
var answerer = storetest.Answerer(questions)

func storeOptions() store.Options {
	return store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader}
}

// fault, when set, runs before the real handler: it may answer (or drop
// the connection) itself and return true.
type fault func(w http.ResponseWriter, r *http.Request, next http.Handler) bool

// testServer is dossierd's store and API on a TLS loopback listener, which
// a test can stop and start again on the same address (a restart).
type testServer struct {
	t     testing.TB
	dir   string
	addr  string
	sv    programs.Server
	hs    *httptest.Server
	URL   string
	fault atomic.Pointer[fault]
	opt   store.ServerOptions
	// pg is the test's own PostgreSQL database when the suite runs on
	// PostgreSQL (DOSSIER_TEST_BACKEND=postgres), "" on the bbolt file.
	pg string
}

// onPostgres is set when this run of the suite is the PostgreSQL one.
var onPostgres = os.Getenv("DOSSIER_TEST_BACKEND") == "postgres"

func startServer(t testing.TB) *testServer {
	t.Helper()
	// Every desk of a test comes from 127.0.0.1, as a whole school behind
	// one address, and the randomised test restarts apps (each signing in
	// again) many times a second: the sign-in limits are the hostile
	// tests' subject (cmd/dossierd), not these. So are the limits on
	// what one account creates: the randomised test and the benchmarks
	// (BenchmarkServerPush50) raise thousands of requests as a few
	// students, far faster than any person.
	loose := store.Limit{Burst: 10000, Every: time.Millisecond}
	ts := &testServer{t: t, dir: t.TempDir(), opt: store.ServerOptions{Store: storeOptions(),
		AddressLimit: loose, AccountLimit: loose, Creates: store.NoCreateLimits(), RepMisses: store.NoLimit,
		VerifyLimit: store.NoLimit}}
	if onPostgres {
		ts.pg = pgtest.NewDatabase(t)
	}
	ts.start()
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) start() {
	ts.t.Helper()
	sv, err := ts.open()
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.sv = sv
	api := server.New(sv, testlog.Logger())
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := ts.fault.Load(); f != nil && (*f)(w, r, api) {
			return
		}
		api.ServeHTTP(w, r)
	})
	hs := httptest.NewUnstartedServer(h)
	// A port below Linux's ephemeral range (32768 on), so that no client's
	// outgoing connection can hold it while the server is down (a TCP
	// connection to a closed loopback port can connect to itself).
	if ts.addr == "" {
		ts.addr = fmt.Sprintf("127.0.0.1:%d", 20000+mrand.IntN(12000))
	}
	var ln net.Listener
	for i := 0; i < 100; i++ {
		if ln, err = net.Listen("tcp", ts.addr); err == nil {
			break
		}
		if i%10 == 9 && ts.hs == nil && ts.URL == "" {
			ts.addr = fmt.Sprintf("127.0.0.1:%d", 20000+mrand.IntN(12000))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		ts.t.Fatal(err)
	}
	hs.Listener.Close()
	hs.Listener = ln
	hs.StartTLS()
	ts.hs, ts.addr, ts.URL = hs, hs.Listener.Addr().String(), hs.URL
}

// open opens the server's store: its bbolt file, or its PostgreSQL database.
func (ts *testServer) open() (programs.Server, error) {
	if ts.pg == "" {
		return programs.OpenServer(ts.dir, ts.opt)
	}
	db, err := postgres.Open(context.Background(), ts.pg)
	if err != nil {
		return programs.Server{}, err
	}
	sv, err := programs.OpenServerOn(db, ts.dir, ts.opt)
	if err != nil {
		db.Close()
	}
	return sv, err
}

func (ts *testServer) stop() {
	if ts.hs == nil {
		return
	}
	ts.hs.CloseClientConnections()
	ts.hs.Close()
	ts.sv.Close()
	ts.hs = nil
}

func (ts *testServer) restart() {
	ts.stop()
	ts.start()
}

func (ts *testServer) setFault(f fault) {
	if f == nil {
		ts.fault.Store(nil)
		return
	}
	ts.fault.Store(&f)
}

// school adds a school and returns it with a DIR PIN for it.
func (ts *testServer) school(code, name string) (store.Institution, string) {
	ts.t.Helper()
	c, err := ens.ParseSchoolCode(code)
	if err != nil {
		ts.t.Fatal(err)
	}
	in, err := ts.sv.CreateInstitution(store.Institution{Name: name, Code: c, Province: "ON"})
	if err != nil {
		ts.t.Fatal(err)
	}
	pin, _, err := ts.sv.IssueDIRPIN(in.ID, "", "")
	if err != nil {
		ts.t.Fatal(err)
	}
	return in, pin
}

// desk is one computer: a profile and its sync client.
type desk struct {
	t    testing.TB
	name string
	st   programs.Desk
	c    *client.Client
	by   account.Actor
	path string
	opt  store.Options
}

func newDesk(t testing.TB, ts *testServer, name string) *desk {
	t.Helper()
	return newDeskWith(t, ts, name, storeOptions())
}

func newDeskWith(t testing.TB, ts *testServer, name string, opt store.Options) *desk {
	t.Helper()
	d := &desk{t: t, name: name, path: filepath.Join(t.TempDir(), "profile.dossier"), opt: opt}
	st, err := programs.Create(d.path, password, d.opt)
	if err != nil {
		t.Fatal(err)
	}
	d.st = st
	t.Cleanup(func() { d.st.Close() })
	if d.c, err = client.Connect(context.Background(), st, ts.URL, client.Fingerprint(ts.hs.Certificate().Raw)); err != nil {
		t.Fatal(err)
	}
	d.c.SetAnswerer(answerer)
	return d
}

// reopen closes and opens the desk's profile and client, as a restart of
// the app does.
func (d *desk) reopen() {
	d.t.Helper()
	d.st.Close()
	st, err := programs.Open(d.path, password, d.opt)
	if err != nil {
		d.t.Fatal(err)
	}
	d.st = st
	if d.c, err = client.Open(st); err != nil || d.c == nil {
		d.t.Fatalf("client after reopen: %v", err)
	}
	d.c.SetAnswerer(answerer)
}

// enrolDIR enrols the desk's DIR online with the PIN the server issued.
func (d *desk) enrolDIR(user, pin string) {
	d.t.Helper()
	err := d.c.Enrol(context.Background(), account.Enrolment{UserID: user, Password: password, GivenNames: "Dana",
		FamilyName: "Roy-" + d.name, PIN: pin, AcceptTerms: true, Questions: questions})
	if err != nil {
		d.t.Fatalf("%s: enrol: %v", d.name, err)
	}
	d.signedIn(user)
}

func (d *desk) signedIn(user string) {
	d.t.Helper()
	_, a, err := d.st.SignIn(user, password)
	if err != nil {
		d.t.Fatalf("%s: local sign-in after enrolment: %v", d.name, err)
	}
	d.by = a.Actor()
	d.sync()
}

// student registers a student on this desk (offline) and signs them in to
// the server, which sends the registration first.
func (d *desk) student(user, given, family string) {
	d.t.Helper()
	a, err := d.st.RegisterStudent(account.Registration{UserID: user, Password: password, GivenNames: given,
		FamilyName: family, AcceptTerms: true, Questions: questions})
	if err != nil {
		d.t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, password); err != nil {
		d.t.Fatalf("%s: server sign-in: %v", d.name, err)
	}
	d.by = a.Actor()
	d.sync()
}

func (d *desk) sync() {
	d.t.Helper()
	if err := d.c.Sync(context.Background()); err != nil {
		d.t.Fatalf("%s: sync: %v", d.name, err)
	}
}

func (d *desk) raise(school domain.ID, n int) ens.Request {
	d.t.Helper()
	r, err := d.st.RaiseRequest(d.by, ens.Raise{Type: ens.EV, School: school, Student: ens.Student{
		GivenNames: "Élodie", FamilyName: "Côté-" + letters(n), BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
		ClientID: domain.ClientID(fmt.Sprintf("%08d", 10000000+n)), Email: "e@example.ca"}})
	if err != nil {
		d.t.Fatal(err)
	}
	return r
}

func (d *desk) request(id domain.ID) ens.Request {
	d.t.Helper()
	r, err := d.st.Request(d.by, id)
	if err != nil {
		d.t.Fatalf("%s: request %s: %v", d.name, id, err)
	}
	return r
}

func allMet() *ens.Draft {
	var d ens.Draft
	for _, c := range ens.Criteria {
		d.Checks[c] = ens.Met
	}
	return &d
}

// letters spells n in letters (names hold no digits).
func letters(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}

// fixture is a server with one school, its DIR's desk, a signatory's desk
// and a student's computer, all signed in and synced.
type fixture struct {
	ts            *testServer
	school        store.Institution
	dir, sig, stu *desk
}

func newFixture(t *testing.T) *fixture { return newFixtureB(t) }

func newFixtureB(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{ts: startServer(t)}
	var pin string
	f.school, pin = f.ts.school("A01", "Collège Boréal")
	f.dir = newDesk(t, f.ts, "dir")
	f.dir.enrolDIR("dir.a", pin)
	code, _, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	f.sig = newDesk(t, f.ts, "sig")
	f.sig.enrolDIR("sig.a", code)
	f.stu = newDesk(t, f.ts, "student")
	f.stu.student("eleve1", "Élodie", "Côté")
	return f
}

// raised has the student raise n requests and every desk sync.
func (f *fixture) raised(n int) []ens.Request { return f.raisedB(n) }

func (f *fixture) raisedB(n int) []ens.Request {
	f.t().Helper()
	var out []ens.Request
	for i := 0; i < n; i++ {
		out = append(out, f.stu.raise(f.school.ID, i))
	}
	f.syncAll()
	return out
}

func (f *fixture) t() testing.TB { return f.dir.t }

func (f *fixture) syncAll() {
	f.t().Helper()
	for _, d := range []*desk{f.stu, f.dir, f.sig, f.stu, f.dir, f.sig} {
		d.sync()
	}
}

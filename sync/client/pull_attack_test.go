package client_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/internal/heapfloor"
	"dossier/sync"
	"dossier/sync/client"
)

// The tests below attack the catch-up's hold on the heap, the pull's two
// pages ahead, and the pooled answer buffers, through the real server.

// loadSchool puts n requests of the fixture's school on the server, and
// returns them.
func loadSchool(t *testing.T, f *fixture, n int) []ens.Request {
	t.Helper()
	reqs := slices.Collect(benchRequests(f.school.ID, n))
	if _, err := f.ts.sv.Store().BulkLoad(account.SystemActor, slices.Values(reqs), nil); err != nil {
		t.Fatal(err)
	}
	return reqs
}

// keepTuner runs the heap tuner, as the desk does, so that Hold holds;
// it returns the memory limit with no hold.
func keepTuner(t *testing.T) int64 {
	t.Helper()
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set: the tuner stands aside")
	}
	// A floor of 1 MiB leaves the test's heap unraised: its memory limit
	// is the holds' alone.
	stop := heapfloor.Keep(heapfloor.Bounds{Floor: 1 << 20}, os.Getenv)
	t.Cleanup(stop)
	runtime.GC()
	time.Sleep(20 * time.Millisecond)
	return debug.SetMemoryLimit(-1)
}

// pullGoroutines are the goroutines still running the pull's code.
func pullGoroutines() []string {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "sync/client.(*Client).Pull") {
			out = append(out, g)
		}
	}
	return out
}

// noPullLeft fails when a pull's fetcher outlives its pull.
func noPullLeft(t *testing.T, what string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		gs := pullGoroutines()
		if len(gs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s: %d goroutines of the pull outlive it:\n%s", what, len(gs), gs[0])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// onChanges counts the server's /v1/changes calls; from the nth on it
// runs do (which may answer itself and return true). (From the nth on: the
// transport sends a GET again on a connection dropped before an answer.)
func onChanges(f *fixture, nth int64, do func(w http.ResponseWriter, r *http.Request, next http.Handler) bool) {
	var calls atomic.Int64
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !strings.HasPrefix(r.URL.Path, "/v1/changes") {
			return false
		}
		if calls.Add(1) < nth {
			return false
		}
		return do(w, r, next)
	})
}

// checkDesk has every request on the desk as the server made it.
func checkDesk(t *testing.T, d *desk, reqs []ens.Request) {
	t.Helper()
	bad := 0
	for _, want := range reqs {
		got, err := d.st.Request(account.SystemActor, want.ID)
		if err != nil || got.Student.FamilyName != want.Student.FamilyName || got.Student.ClientID != want.Student.ClientID ||
			got.Version != want.Version {
			if bad++; bad <= 3 {
				t.Errorf("%s: request %s: %q %q v%d, %v; want %q %q v%d", d.name, want.ID, got.Student.FamilyName,
					got.Student.ClientID, got.Version, err, want.Student.FamilyName, want.Student.ClientID, want.Version)
			}
		}
	}
	if bad > 3 {
		t.Errorf("%s: %d requests wrong in all", d.name, bad)
	}
}

func freshDesk(t *testing.T, f *fixture, name, user string) *desk {
	t.Helper()
	d := newDesk(t, f.ts, name)
	if err := d.c.SignIn(context.Background(), domain.ID{}, user, password); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAttackPullFailureReleasesHold: a catch-up that fails after its first
// page (a server error, the pull's context cancelled, another person
// signing in on the desk) must let go of its hold on the heap (the memory
// limit back to exactly what it was), and leave no fetcher running; the
// next pull must then bring every record, as the server has it.
func TestAttackPullFailureReleasesHold(t *testing.T) {
	f := newFixture(t)
	reqs := loadSchool(t, f, 2*client.PageSize+500) // three pages
	before := keepTuner(t)
	cases := []struct {
		name    string
		fail    func(ctx context.Context, cancel context.CancelFunc, d *desk) func(w http.ResponseWriter, r *http.Request, next http.Handler) bool
		wantErr bool // checked unless anyErr
		anyErr  bool
	}{
		{"server error", func(context.Context, context.CancelFunc, *desk) func(http.ResponseWriter, *http.Request, http.Handler) bool {
			return func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
				w.WriteHeader(http.StatusInternalServerError)
				return true
			}
		}, true, false},
		{"dropped connection", func(context.Context, context.CancelFunc, *desk) func(http.ResponseWriter, *http.Request, http.Handler) bool {
			return func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
				panic(http.ErrAbortHandler)
			}
		}, true, false},
		{"context cancelled", func(_ context.Context, cancel context.CancelFunc, _ *desk) func(http.ResponseWriter, *http.Request, http.Handler) bool {
			return func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
				cancel()
				time.Sleep(50 * time.Millisecond)
				return false
			}
			// (Whether it reports the cancel: TestAttackCancelledPullIsNoSuccess.)
		}, true, true},
		{"another person signs in", func(_ context.Context, _ context.CancelFunc, d *desk) func(http.ResponseWriter, *http.Request, http.Handler) bool {
			return func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
				done := make(chan error, 1)
				go func() { done <- d.c.SignIn(context.Background(), domain.ID{}, "dir.a", password) }()
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("sign-in meanwhile: %v", err)
					}
				case <-time.After(10 * time.Second):
					t.Error("sign-in meanwhile never ended")
				}
				return false
			}
		}, false, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := freshDesk(t, f, fmt.Sprintf("fresh%d", i), "sig.a")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var mu gosync.Mutex
			var during []int64
			d.c.OnStatus(func(s client.Status) {
				if s.Done > 0 {
					mu.Lock()
					during = append(during, debug.SetMemoryLimit(-1))
					mu.Unlock()
				}
			})
			// The second page's call fails: the first said more.
			onChanges(f, 2, tc.fail(ctx, cancel, d))
			n, err := d.c.Pull(ctx, 0)
			f.ts.setFault(nil)
			if !tc.anyErr && (err != nil) != tc.wantErr {
				t.Errorf("pull: %d, %v; want an error: %v", n, err, tc.wantErr)
			}
			if n == 0 || n > client.PageSize {
				t.Errorf("pulled %d before the fault, want the first page's (at most %d)", n, client.PageSize)
			}
			mu.Lock()
			held := slices.ContainsFunc(during, func(l int64) bool { return l <= client.CatchUpCeiling+64<<20 })
			mu.Unlock()
			if !held {
				t.Errorf("no hold while the first page was applied (limits %v)", during)
			}
			if l := debug.SetMemoryLimit(-1); l != before {
				t.Errorf("memory limit after the failed pull: %d, want %d as before", l, before)
			}
			noPullLeft(t, tc.name)
			// The next pull (as whoever is signed in now) completes.
			if tc.name == "another person signs in" {
				d.c.SignIn(context.Background(), domain.ID{}, "sig.a", password)
			}
			if _, err := d.c.Pull(context.Background(), 0); err != nil {
				t.Fatalf("next pull: %v", err)
			}
			if l := debug.SetMemoryLimit(-1); l != before {
				t.Errorf("memory limit after the next pull: %d, want %d", l, before)
			}
			checkDesk(t, d, reqs)
			noPullLeft(t, tc.name+", next pull")
		})
	}
}

// TestAttackCancelledPullIsNoSuccess: a pull whose own context is
// cancelled has not caught up, and must say so (an error, and the status's
// Err), as the pull's loop intends (only a pull ended by a hurried one is
// no failure). The fetcher, on a failed fetch with its context done,
// chooses at random between handing the error on and returning without
// it; without it, pages closes and Pull reports success (nil, and
// c.result(nil) clears the status's error).
func TestAttackCancelledPullIsNoSuccess(t *testing.T) {
	f := newFixture(t)
	loadSchool(t, f, client.PageSize+10)
	d := freshDesk(t, f, "fresh", "sig.a")
	if _, err := d.c.Pull(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	ok := 0
	for range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.c.Pull(ctx, 0); err == nil {
			ok++
		}
	}
	if ok > 0 {
		t.Errorf("%d of 20 pulls with their context cancelled returned no error (status Err %v)", ok, d.c.Status().Err)
	}
	// Cancelled mid-way, through the second page's call.
	for i := range 6 {
		loadSchool(t, f, client.PageSize+10)
		ctx, cancel := context.WithCancel(context.Background())
		onChanges(f, 2, func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			cancel()
			time.Sleep(20 * time.Millisecond)
			return false
		})
		n, err := d.c.Pull(ctx, 0)
		f.ts.setFault(nil)
		if err == nil {
			t.Errorf("round %d: a pull cancelled after its first page (%d applied, more to come) returned no error", i, n)
		}
		cancel()
		if _, err := d.c.Pull(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAttackPullTwoAheadKeepsOrder: with the pages ahead fetched while a
// slow apply runs, and the server's answers delayed at random, the pages
// must be applied in the feed's order (Done grows a page at a time), every
// record must arrive as the server has it, and a pull right after must
// find nothing new.
func TestAttackPullTwoAheadKeepsOrder(t *testing.T) {
	f := newFixture(t)
	n := 4*client.PageSize + 321
	reqs := loadSchool(t, f, n)
	var calls atomic.Int64
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if strings.HasPrefix(r.URL.Path, "/v1/changes") {
			// Later pages sometimes faster than earlier ones.
			time.Sleep(time.Duration((5-calls.Add(1))%3*15) * time.Millisecond)
		}
		return false
	})
	d := freshDesk(t, f, "fresh", "sig.a")
	var mu gosync.Mutex
	var dones []int
	d.c.OnStatus(func(s client.Status) {
		mu.Lock()
		if len(dones) == 0 || dones[len(dones)-1] != s.Done {
			dones = append(dones, s.Done)
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond) // a slow apply: the fetcher runs ahead
	})
	got, err := d.c.Pull(context.Background(), 0)
	if err != nil || got < n {
		t.Fatalf("pulled %d, %v; want at least %d", got, err, n)
	}
	noPullLeft(t, "a whole pull")
	mu.Lock()
	for i := 1; i < len(dones); i++ {
		if dones[i] != 0 && dones[i] != dones[i-1]+client.PageSize && dones[i] < dones[i-1] {
			t.Errorf("pages applied out of order: Done went %v", dones)
			break
		}
	}
	mu.Unlock()
	checkDesk(t, d, reqs)
	if again, err := d.c.Pull(context.Background(), 0); err != nil || again != 0 {
		t.Errorf("pull after catching up: %d, %v; want 0", again, err)
	}
}

// TestAttackConcurrentDesksPullWhole: several desks catching up at once
// from one server (the server's pooled gzip writers, each desk's pooled
// answer buffers, holds taken and released in turn) must each get every
// record whole, and the memory limit must be back once all are done.
func TestAttackConcurrentDesksPullWhole(t *testing.T) {
	f := newFixture(t)
	reqs := loadSchool(t, f, 2*client.PageSize+700)
	before := keepTuner(t)
	var desks []*desk
	for i := range 4 {
		desks = append(desks, freshDesk(t, f, fmt.Sprintf("fresh%d", i), []string{"sig.a", "dir.a"}[i%2]))
	}
	var wg gosync.WaitGroup
	for _, d := range desks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, err := d.c.Pull(context.Background(), 0); err != nil || got < len(reqs) {
				t.Errorf("%s: pulled %d, %v", d.name, got, err)
			}
		}()
	}
	wg.Wait()
	for _, d := range desks {
		checkDesk(t, d, reqs)
	}
	if l := debug.SetMemoryLimit(-1); l != before {
		t.Errorf("memory limit after the pulls: %d, want %d", l, before)
	}
	noPullLeft(t, "concurrent pulls")
}

// TestAttackAnswerBufferAfterBadBodies: an answer cut off mid-body (its
// read fails with the buffer half full) and an answer larger than the
// pool keeps (9 MiB of padding) must not leave their bytes in the next
// answer: the pulls after each must bring every record whole.
func TestAttackAnswerBufferAfterBadBodies(t *testing.T) {
	f := newFixture(t)
	reqs := loadSchool(t, f, client.PageSize+300)
	d := freshDesk(t, f, "fresh", "sig.a")
	// A cut-off answer: the page's first half, then the connection goes.
	onChanges(f, 2, func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		body := realAnswer(r, next)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})
	if _, err := d.c.Pull(context.Background(), 0); err == nil {
		t.Fatal("a pull whose second page was cut off succeeded")
	}
	f.ts.setFault(nil)
	if _, err := d.c.Pull(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	checkDesk(t, d, reqs)

	// A huge answer: the page, then 9 MiB of JSON white space.
	d2 := freshDesk(t, f, "fresh2", "sig.a")
	onChanges(f, 1, func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		body := realAnswer(r, next)
		body = append(body, bytes.Repeat([]byte(" "), 9<<20)...)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(body)
		return true
	})
	if _, err := d2.c.Pull(context.Background(), 0); err != nil {
		t.Fatalf("a pull with a 9 MiB page: %v", err)
	}
	f.ts.setFault(nil)
	checkDesk(t, d2, reqs)
	if again, err := d2.c.Pull(context.Background(), 0); err != nil || again != 0 {
		t.Errorf("pull after catching up: %d, %v; want 0", again, err)
	}
}

// realAnswer is the server's own answer to r, uncompressed.
func realAnswer(r *http.Request, next http.Handler) []byte {
	rec := httptest.NewRecorder()
	r2 := r.Clone(r.Context())
	r2.Header.Del("Accept-Encoding")
	next.ServeHTTP(rec, r2)
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, _ := gzip.NewReader(bytes.NewReader(body))
		body, _ = io.ReadAll(zr)
	}
	return body
}

// TestAttackUnmarshalCopiesRawMessages: the answer buffer is used again
// once once() returns; every json.RawMessage (and string) the sync types
// keep must be a copy of the buffer's bytes, not a view of them.
func TestAttackUnmarshalCopiesRawMessages(t *testing.T) {
	page := sync.ChangesResponse{Changes: []sync.Change{{Seq: 1, Kind: "request", Version: 3,
		Data: json.RawMessage(`{"a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}`)}}, More: true, Next: 7}
	tok := sync.Tokens{Access: "acc", Refresh: "ref", Account: json.RawMessage(`{"id":"someone","name":"x"}`)}
	push := sync.PushRequest{Commands: []sync.Command{{Payload: json.RawMessage(`{"p":[1,2,3]}`)}}}
	for _, v := range []struct {
		in, out any
	}{{page, &sync.ChangesResponse{}}, {tok, &sync.Tokens{}}, {push, &sync.PushRequest{}}} {
		b, _ := json.Marshal(v.in)
		var buf bytes.Buffer
		buf.Write(b)
		if err := json.Unmarshal(buf.Bytes(), v.out); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(v.out)
		// The buffer used again for another answer.
		raw := buf.Bytes()
		for i := range raw {
			raw[i] = 'x'
		}
		if got, _ := json.Marshal(v.out); !bytes.Equal(got, want) {
			t.Errorf("%T changed with the buffer: %s, want %s", v.out, got, want)
		}
	}
	_ = math.MaxInt64
}

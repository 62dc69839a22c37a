package client_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"dossier/domain/account"
	"dossier/internal/version"
	"dossier/store"
	"dossier/sync"
	"dossier/sync/client"
	"dossier/sync/server"
)

// BenchmarkServerPush200 is the server alone under 200 desks, each pushing
// one command a request (the common case: a push right after each local
// write), over loopback TLS to one dossierd handler (bbolt with its
// journal, every commit durable; PostgreSQL when DOSSIER_TEST_BACKEND=postgres).
//
// The desks' own work is done before the measured window: each raises
// perDesk requests in its encrypted profile, and each command's push body
// is encoded, as the bytes the desk's client would write (deskConn). In
// the window, 200 goroutines — one a desk, each on its own kept-alive TLS
// connection — send their commands one a request, each waiting for its
// answer before the next: a closed loop, so the server is
// saturated and the rate is its capacity. Its round trip is then 200
// divided by that rate on average (Little's law), so its p99 says how busy
// the machine is, not how long a desk waits: BenchmarkServerPush200Paced
// measures that. The answers are checked (every command applied, once)
// and recorded in the desks' outboxes after the window. A first window,
// the same, warms the server up and is not counted: its p99 is reported
// as cold-p99-ms. It reports
// commands/s and the push round trip's p50 and p99, and the process's CPU
// time per command (the load generator's TLS and HTTP share the machine's
// cores with the server, and are counted in it). The process collects
// garbage as dossierd does (server.TuneGC), the load generator with it.
func BenchmarkServerPush200(b *testing.B) {
	benchPush200(b, 0)
}

// BenchmarkServerPush200Paced is the same 200 desks pushing at a rate
// they would, 5,000 commands/s in all (DOSSIER_PUSH_RATE sets another):
// each desk's 25 pushes start at random instants of the window that
// carries that rate (one second at 5,000/s; seeded), whatever the answers
// to the earlier ones: the pushes of all desks together arrive as a
// Poisson process does, bursts included.
// Each round trip is timed from the instant its push was due, so a desk
// that fell behind counts its wait. Its p99 is what a desk waits for its
// answer while the server carries that load.
func BenchmarkServerPush200Paced(b *testing.B) {
	rate := 5000.0
	if v := os.Getenv("DOSSIER_PUSH_RATE"); v != "" {
		if _, err := fmt.Sscan(v, &rate); err != nil || rate <= 0 {
			b.Fatalf("DOSSIER_PUSH_RATE=%q: a rate of commands a second", v)
		}
	}
	benchPush200(b, rate)
}

// benchPush200 runs b.N windows of 200 desks × 25 pushes of one command,
// closed (rate 0: each push after the last answer) or at rate commands a
// second in all, after a first window that warms the server up.
func benchPush200(b *testing.B, rate float64) {
	const clients, perDesk = 200, 25
	defer server.TuneGC(os.Getenv)() // as dossierd runs (the desks here too)
	ts := startServer(b)
	school, _ := ts.school("A01", "Collège Boréal")
	desks := make([]*desk, clients)
	conns := make([]*deskConn, clients)
	for i := range desks {
		desks[i] = newDeskWith(b, ts, "desk"+itoa(i), store.Options{KDF: store.TestKDF,
			Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true})
		desks[i].student("eleve"+itoa(i), "Élodie", "Côté")
		// The connection is open and its TLS session made, as a desk that
		// has synced holds it.
		conns[i] = dialDesk(b, ts)
	}
	arrivals := mrand.New(mrand.NewPCG(19, 200))
	var lat, cold []time.Duration
	var wall, cpu time.Duration
	var busy, ticks uint64 // the machine's, in the windows (machineTicks)
	var mu gosync.Mutex
	n := 0
	b.ResetTimer()
	// Window 0 is the server's first: its heap and its file grow from
	// nothing, and the collector, whose target follows the live heap,
	// runs every few milliseconds until they have. dossierd runs for
	// months, so the figures are the windows after it; its own p99 is
	// reported apart (cold-p99-ms), not hidden.
	for it := 0; it <= b.N; it++ {
		warm := it > 0
		b.StopTimer()
		pushes := make([][][]byte, clients)
		var wg gosync.WaitGroup
		for i, d := range desks {
			wg.Go(func() {
				for k := 0; k < perDesk; k++ {
					d.raise(school.ID, (it*clients+i)*perDesk+k)
				}
			})
		}
		wg.Wait()
		due := make([][]time.Duration, clients) // each push's instant in the window
		for i, d := range desks {
			tok, err := client.AccessToken(context.Background(), d.c)
			if err != nil {
				b.Fatal(err)
			}
			for _, body := range pushBodies(b, d, perDesk) {
				pushes[i] = append(pushes[i], conns[i].request(b, http.MethodPost, "/v1/push", tok, body))
			}
			if rate > 0 {
				// perDesk instants at random in the window that
				// carries the rate: a Poisson arrival of that count.
				window := float64(clients*perDesk) / rate * float64(time.Second)
				for range perDesk {
					due[i] = append(due[i], time.Duration(arrivals.Float64()*window))
				}
				slices.Sort(due[i])
			}
		}
		answers := make([][][]byte, clients)
		stopProfile := func() {}
		if it == 1 {
			stopProfile = windowProfile(b)
		}
		if warm {
			b.StartTimer()
		}
		cpu0, start := cpuTime(), time.Now()
		busy0, total0 := machineTicks()
		for i := range desks {
			wg.Go(func() {
				mine := make([]time.Duration, 0, perDesk)
				for k, push := range pushes[i] {
					t0 := time.Now()
					if rate > 0 {
						t0 = start.Add(due[i][k])
						time.Sleep(time.Until(t0))
					}
					ans, err := conns[i].roundTrip(push)
					if err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
					answers[i] = append(answers[i], ans)
				}
				mu.Lock()
				if warm {
					lat = append(lat, mine...)
				} else {
					cold = append(cold, mine...)
				}
				mu.Unlock()
			})
		}
		wg.Wait()
		if warm {
			wall += time.Since(start)
			cpu += cpuTime() - cpu0
			busy1, total1 := machineTicks()
			busy, ticks = busy+busy1-busy0, ticks+total1-total0
		}
		b.StopTimer()
		stopProfile()
		for i, d := range desks {
			for _, raw := range answers[i] {
				var resp sync.PushResponse
				if err := json.Unmarshal(raw, &resp); err != nil {
					b.Fatal(err)
				}
				if len(resp.Answers) != 1 || resp.Answers[0].Outcome != sync.Applied {
					b.Fatalf("%s: answers %+v", d.name, resp.Answers)
				}
				if err := d.st.Acknowledge(resp.Answers, resp.HLC); err != nil {
					b.Fatal(err)
				}
			}
			if left, _ := d.st.PendingFor(d.by.Account, 1); len(left) != 0 {
				b.Fatalf("%s still has commands to send", d.name)
			}
		}
		if warm {
			n += clients * perDesk
		}
		b.StartTimer()
	}
	b.StopTimer()
	if len(lat) != n {
		b.Fatalf("%d round trips for %d commands", len(lat), n)
	}
	slices.Sort(lat)
	if rate > 0 {
		b.ReportMetric(rate, "offered/s")
	}
	b.ReportMetric(float64(n)/wall.Seconds(), "commands/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	slices.Sort(cold)
	b.ReportMetric(float64(cold[len(cold)*99/100].Microseconds())/1000, "cold-p99-ms")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/command")
	if ticks > 0 {
		b.ReportMetric(100*float64(busy)/float64(ticks), "machine-busy-%")
	}
}

// machineTicks reads how busy the whole machine has been since it started
// (/proc/stat: every core's ticks, and those not idle), or zeros where
// there is no such file. Over a window, busy ÷ total is the share of the
// cores that the server, the load generator and the kernel's work for
// them (writeback, loopback networking) kept busy: a p99 measured on a
// machine 90 % busy is a queue's, whatever the code does.
func machineTicks() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 5 || fields[0] != "cpu" {
		return 0, 0
	}
	// user, nice, system, idle, iowait, irq, softirq, steal: the guest
	// times after them are counted in user and nice already.
	for i, f := range fields[1:min(len(fields), 9)] {
		var v uint64
		if _, err := fmt.Sscan(f, &v); err != nil {
			return 0, 0
		}
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// cpuTime is the CPU time this process has used, server and desks
// together: on a machine others share, the CPU a command costs moves
// less than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// windowProfile writes a CPU profile of the first measured window alone
// to the file DOSSIER_PUSH_PROFILE names (go test's -cpuprofile would take
// in the desks' own work before it); it returns what ends it.
func windowProfile(b *testing.B) func() {
	path := os.Getenv("DOSSIER_PUSH_PROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// pushBodies encodes the first n commands of d's outbox as n push
// requests of one command each, as the desk's client sends them.
func pushBodies(b *testing.B, d *desk, n int) [][]byte {
	b.Helper()
	pending, err := d.st.PendingToPush(d.by.Account, n)
	if err != nil || len(pending) != n {
		b.Fatalf("%s: %d commands waiting, want %d (%v)", d.name, len(pending), n, err)
	}
	out := make([][]byte, n)
	for i, e := range pending {
		cmd, err := d.st.ExpandCommand(e.Command)
		if err != nil {
			b.Fatal(err)
		}
		if out[i], err = json.Marshal(sync.PushRequest{Commands: []sync.Command{cmd}}); err != nil {
			b.Fatal(err)
		}
	}
	return out
}

// deskConn is a desk's kept-alive TLS connection as the benchmark drives
// it: each request's bytes are what net/http's client writes (made by
// Request.Write before the window, with the headers the desk's client
// sets and the Accept-Encoding its transport adds), and each answer is
// read with http.ReadResponse. The server sees the desk's own bytes; the
// load generator, which shares the machine's two cores with the server,
// saves the transport's two goroutines a connection and their hand-offs:
// 30–50 µs of CPU a push (docs/performance.md, "The server under 200
// desks").
type deskConn struct {
	base string
	c    *tls.Conn
	br   *bufio.Reader
}

// dialDesk opens a desk's connection to ts, TLS made, HTTP/1.1 as the
// desk's client speaks it.
func dialDesk(b *testing.B, ts *testServer) *deskConn {
	b.Helper()
	conf := ts.hs.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	conf.NextProtos = []string{"http/1.1"}
	c, err := tls.Dial("tcp", strings.TrimPrefix(ts.URL, "https://"), conf)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	d := &deskConn{base: ts.URL, c: c, br: bufio.NewReader(c)}
	if _, err := d.roundTrip(d.request(b, http.MethodGet, "/healthz", "", nil)); err != nil {
		b.Fatal(err)
	}
	return d
}

// request is one call's bytes as a desk's client sends them (its
// version, its token).
func (d *deskConn) request(b *testing.B, method, path, token string, body []byte) []byte {
	b.Helper()
	req, err := http.NewRequest(method, d.base+path, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sync.HeaderDeskVersion, version.Version)
	req.Header.Set("Accept-Encoding", "gzip")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	var out bytes.Buffer
	if err := req.Write(&out); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

// roundTrip sends a request's bytes and returns the answer's body, which
// must be 200 OK.
func (d *deskConn) roundTrip(req []byte) ([]byte, error) {
	if err := d.c.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		return nil, err
	}
	if _, err := d.c.Write(req); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(d.br, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, err
		}
		body = zr
	}
	out, err := io.ReadAll(body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, out)
	}
	return out, err
}

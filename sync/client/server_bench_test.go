package client_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
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
// is encoded. In the window, 200 goroutines — one a desk, each on its own
// kept-alive TLS connection — send their commands one a request, each
// waiting for its answer before the next: a closed loop, so the server is
// saturated and the rate is its capacity. Its round trip is then 200
// divided by that rate on average (Little's law), so its p99 says how busy
// the machine is, not how long a desk waits: BenchmarkServerPush200Paced
// measures that. The answers are checked (every command applied, once)
// and recorded in the desks' outboxes after the window. It reports
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
// second in all.
func benchPush200(b *testing.B, rate float64) {
	const clients, perDesk = 200, 25
	defer server.TuneGC(os.Getenv)() // as dossierd runs (the desks here too)
	ts := startServer(b)
	school, _ := ts.school("A01", "Collège Boréal")
	desks := make([]*desk, clients)
	conns := make([]*http.Client, clients)
	base := ts.hs.Client().Transport.(*http.Transport)
	for i := range desks {
		desks[i] = newDeskWith(b, ts, "desk"+itoa(i), store.Options{KDF: store.TestKDF,
			Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true})
		desks[i].student("eleve"+itoa(i), "Élodie", "Côté")
		tr := base.Clone()
		tr.MaxIdleConnsPerHost = 1
		conns[i] = &http.Client{Transport: tr, Timeout: time.Minute}
		b.Cleanup(tr.CloseIdleConnections)
	}
	arrivals := mrand.New(mrand.NewPCG(19, 200))
	var lat []time.Duration
	var wall, cpu time.Duration
	var mu gosync.Mutex
	n := 0
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		bodies := make([][][]byte, clients)
		tokens := make([]string, clients)
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
			bodies[i] = pushBodies(b, d, perDesk)
			tok, err := client.AccessToken(context.Background(), d.c)
			if err != nil {
				b.Fatal(err)
			}
			tokens[i] = tok
			// The connection is open and its TLS session made, as a desk
			// that has synced holds it.
			if _, err := send(conns[i], ts.URL, http.MethodGet, "/healthz", "", nil); err != nil {
				b.Fatal(err)
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
		stopProfile := windowProfile(b, it)
		b.StartTimer()
		cpu0, start := cpuTime(), time.Now()
		for i := range desks {
			wg.Go(func() {
				mine := make([]time.Duration, 0, perDesk)
				for k, body := range bodies[i] {
					t0 := time.Now()
					if rate > 0 {
						t0 = start.Add(due[i][k])
						time.Sleep(time.Until(t0))
					}
					ans, err := send(conns[i], ts.URL, http.MethodPost, "/v1/push", tokens[i], body)
					if err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
					answers[i] = append(answers[i], ans)
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
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
		n += clients * perDesk
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
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/command")
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
func windowProfile(b *testing.B, it int) func() {
	path := os.Getenv("DOSSIER_PUSH_PROFILE")
	if path == "" || it > 0 {
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

// send makes one call as a desk's client does (its version, its token)
// and returns the answer's body, which must be 200 OK.
func send(hc *http.Client, base, method, path, token string, body []byte) ([]byte, error) {
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sync.HeaderDeskVersion, version.Version)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, out)
	}
	return out, err
}

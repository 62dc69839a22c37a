package client_test

import (
	"context"
	"crypto/rand"
	"iter"
	"os"
	"runtime"
	"slices"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/internal/heapfloor"
	"dossier/store"
)

// benchRequests makes n New requests addressed to school, with IDs in time
// order, as a school's year of requests would be.
func benchRequests(school domain.ID, n int) iter.Seq[ens.Request] {
	return func(yield func(ens.Request) bool) {
		t0 := time.Now().Add(-24 * time.Hour)
		for i := 0; i < n; i++ {
			at := t0.Add(time.Duration(i) * time.Millisecond).UTC().Truncate(time.Millisecond)
			id, _ := domain.NewID(at, randReader{})
			r := ens.Request{ID: id, Version: 1, Type: ens.EV, Status: ens.New, School: school, Received: at, Updated: at,
				Expires: at.Add(30 * 24 * time.Hour), Student: ens.Student{GivenNames: "Élodie", FamilyName: "Côté-" + letters(i),
					BirthDate: domain.Date{Year: 2000 + i%8, Month: time.Month(1 + i%12), Day: 1 + i%28},
					ClientID:  domain.ClientID(padded(i)), Email: "e@example.ca"}}
			if !yield(r) {
				return
			}
		}
	}
}

type randReader struct{}

var seq atomic.Uint64

func (randReader) Read(b []byte) (int, error) {
	n := seq.Add(1)
	for i := range b {
		b[i] = byte(n >> (8 * (i % 8)))
	}
	return len(b), nil
}

func padded(i int) string {
	s := "00000000" + itoa(i)
	return s[len(s)-8:]
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// BenchmarkInitialSync100k is a new desk's first download of a school with
// 100,000 requests over TLS on loopback: sign-in, every page, every record
// written and indexed in the desk's encrypted store. peak-MB is the
// process's highest heap in use during the download (server included, so
// the desk's share is less).
func BenchmarkInitialSync100k(b *testing.B) {
	defer heapfloor.Keep(heapfloor.Desk, os.Getenv)() // as the desk runs
	f := newFixtureB(b)
	if _, err := f.ts.sv.Store().BulkLoad(account.SystemActor, benchRequests(f.school.ID, 100_000), nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := newDesk(f.t(), f.ts, "fresh")
		runtime.GC()
		var peak atomic.Uint64
		stop := make(chan struct{})
		go func() {
			var ms runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
					runtime.ReadMemStats(&ms)
					if ms.HeapInuse > peak.Load() {
						peak.Store(ms.HeapInuse)
					}
				}
			}
		}()
		b.StartTimer()
		start := time.Now()
		if err := d.c.SignIn(context.Background(), domain.ID{}, "sig.a", password); err != nil {
			b.Fatal(err)
		}
		n, err := d.c.Pull(context.Background(), 0)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		close(stop)
		if n < 100_000 {
			b.Fatalf("downloaded %d records", n)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/download")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MB")
		d.st.Close()
		b.StartTimer()
	}
}

// BenchmarkSecondDeskSees is one local action on a desk until a second
// desk, online and long-polling, holds it: push right after the write, the
// server's feed wakes the waiting pull, the page is written.
func BenchmarkSecondDeskSees(b *testing.B) {
	f := newFixtureB(b)
	r := f.raisedB(1)[0]
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.dir.c.Run(ctx)
	go f.sig.c.Run(ctx)
	time.Sleep(200 * time.Millisecond)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next, err := f.dir.st.Act(f.dir.by, r.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "n " + letters(i)}}, 0)
		if err != nil {
			b.Fatal(err)
		}
		for {
			got, err := f.sig.st.Request(f.sig.by, r.ID)
			if err == nil && got.Version >= next.Version {
				break
			}
			time.Sleep(50 * time.Microsecond)
		}
	}
}

// BenchmarkServerPush50 is the server's throughput with 50 desks pushing
// at once over loopback TLS to one dossierd (bbolt, every commit synced to
// disk): each desk is a student on their own computer raising requests.
// "each-write" pushes after every local write, as the app does (one
// command a request; the wall time includes the desks' own writes);
// "batched" pushes 200 waiting commands a request, as after a day offline.
// It reports commands/s and the push round trip's p50 and p99.
func BenchmarkServerPush50(b *testing.B) {
	const clients = 50
	for _, mode := range []struct {
		name    string
		perDesk int
		batched bool
	}{{"each-write", 40, false}, {"batched", 200, true}} {
		b.Run(mode.name, func(b *testing.B) {
			ts := startServer(b)
			school, _ := ts.school("A01", "Collège Boréal")
			desks := make([]*desk, clients)
			for i := range desks {
				desks[i] = newDeskWith(b, ts, "desk"+itoa(i), store.Options{KDF: store.TestKDF,
					Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true})
				desks[i].student("eleve"+itoa(i), "Élodie", "Côté")
			}
			var next atomic.Int64
			raise := func(d *desk, n int) {
				for k := 0; k < n; k++ {
					d.raise(school.ID, int(next.Add(1)))
				}
			}
			var lat []time.Duration
			var wall time.Duration
			var mu gosync.Mutex
			b.ResetTimer()
			for it := 0; it < b.N; it++ {
				if mode.batched {
					b.StopTimer()
					var wg gosync.WaitGroup
					for _, d := range desks {
						wg.Go(func() { raise(d, mode.perDesk) })
					}
					wg.Wait()
					b.StartTimer()
				}
				start := time.Now()
				var wg gosync.WaitGroup
				for _, d := range desks {
					wg.Go(func() {
						var mine []time.Duration
						for k := 0; k < mode.perDesk; k++ {
							if !mode.batched {
								raise(d, 1)
							} else if k > 0 {
								break
							}
							t0 := time.Now()
							if _, err := d.c.Push(context.Background()); err != nil {
								b.Error(err)
								return
							}
							mine = append(mine, time.Since(t0))
						}
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
					})
				}
				wg.Wait()
				wall += time.Since(start)
			}
			b.StopTimer()
			for _, d := range desks {
				if left, _ := d.st.PendingFor(d.by.Account, 1); len(left) != 0 {
					b.Fatalf("%s still has commands to send", d.name)
				}
			}
			slices.Sort(lat)
			total := clients * mode.perDesk * b.N
			b.ReportMetric(float64(total)/wall.Seconds(), "commands/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

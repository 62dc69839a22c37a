package report

import (
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"dossier/translations"
)

// peakHeap samples the heap in use while fn runs and returns its peak in
// megabytes: what printing a document costs the person's computer.
func peakHeap(fn func()) float64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return float64(peak.Load()) / (1 << 20)
}

func benchPrint(b *testing.B, doc Document) {
	tr := translations.New(translations.French)
	peak := 0.0
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if _, err := Print(io.Discard, tr, KeySealer(testKey), printedOn, doc); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(peak, "peak-MB")
}

// BenchmarkComplianceList10k: a school's list of 10,000 students (target
// ≤ 0.5 s, < 100 MB).
func BenchmarkComplianceList10k(b *testing.B) {
	benchPrint(b, ComplianceList{School: "Lakeshore Polytechnic", SchoolCode: "LP", Year: 2026, Count: 10_000, Rows: complianceRows(10_000)})
}

// BenchmarkQueueExport100k: a DIR's queue of 100,000 requests (target
// ≤ 5 s, < 400 MB).
func BenchmarkQueueExport100k(b *testing.B) {
	benchPrint(b, QueueExport{School: "Lakeshore Polytechnic", SchoolCode: "LP", Count: 100_000, Rows: queueRows(100_000)})
}

// BenchmarkNominationLetter: one Letter of Nomination (target < 50 ms).
func BenchmarkNominationLetter(b *testing.B) {
	benchPrint(b, NominationLetter{demoNominee(b)})
}

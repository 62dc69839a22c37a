package server

import (
	"runtime/debug"
	"testing"
)

func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTuneGC: dossierd collects at GCPercent unless the operator set
// GOGC, and the previous target comes back.
func TestTuneGC(t *testing.T) {
	before := gcPercent()
	restore := TuneGC(func(string) string { return "" })
	if got := gcPercent(); got != GCPercent {
		t.Fatalf("GOGC unset: collecting at %d, want %d", got, GCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Fatalf("restored: %d, want %d", got, before)
	}
	restore = TuneGC(func(k string) string { return map[string]string{"GOGC": "50"}[k] })
	if got := gcPercent(); got != before {
		t.Fatalf("GOGC=50 set by the operator: collecting at %d, want it left at %d", got, before)
	}
	restore()
}

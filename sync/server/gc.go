package server

import "runtime/debug"

// GCPercent is the garbage collector's target (GOGC) dossierd runs with
// when its environment sets none. Under 200 desks pushing one command a
// request, Go's default of 100 spent about a sixth of the process's CPU
// collecting (BenchmarkServerPush200's profile); at 400 the heap may grow
// to five times what is live between collections — tens of megabytes on
// a server whose live heap is a few dozen — and the server gives that CPU
// back to the pushes.
const GCPercent = 400

// TuneGC has the process collect at GCPercent, unless getenv names a GOGC
// of the operator's own, and returns what puts the previous target back.
func TuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(GCPercent)
	return func() { debug.SetGCPercent(old) }
}

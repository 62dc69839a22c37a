package server

import "runtime/debug"

// GCPercent is the garbage collector's target (GOGC) dossierd runs with
// when its environment sets none. Under 200 desks pushing one command a
// request, Go's default of 100 spent about a sixth of the process's CPU
// collecting (BenchmarkServerPush200's profile). At 400 the heap grew to
// 230 MB between collections there (the load generator's own included,
// 35–40 MB live); at 800 to 560 MB, for 5–18 % less CPU a command than at
// 400 in three alternated runs of the paced benchmark, and a lower p99 in
// each (docs/performance.md). A server that holds 200 desks has that
// memory; a smaller one sets GOGC or GOMEMLIMIT (docs/operations.md).
const GCPercent = 800

// TuneGC has the process collect at GCPercent, unless getenv names a GOGC
// of the operator's own, and returns what puts the previous target back.
func TuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(GCPercent)
	return func() { debug.SetGCPercent(old) }
}

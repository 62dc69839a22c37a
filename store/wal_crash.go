//go:build crash

package store

import "time"

// Under the crash loops (make crash: the crash tag), a checkpoint comes
// after each of the applier's commits and after 20 ms without writes,
// and one taken aside (dossierd's) lingers 15 ms before its header is
// written and 15 ms after, while the pushes go on: so that the kills land
// inside checkpoints too, where a replay reads two generations.
func init() {
	walCommits, walIdle = 1, 20*time.Millisecond
	walAsideHook = func(bool) { time.Sleep(15 * time.Millisecond) }
}

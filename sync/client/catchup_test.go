package client_test

import (
	"context"
	"math"
	"os"
	"runtime/debug"
	gosync "sync"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/internal/heapfloor"
	"dossier/sync/client"
)

// TestCatchUpHoldsCeiling: a pull of more than one page holds the heap
// under client.CatchUpCeiling while it applies them, and lets go once it
// has.
func TestCatchUpHoldsCeiling(t *testing.T) {
	f := newFixture(t)
	const n = 2*client.PageSize + 500 // three pages
	if _, err := f.ts.sv.Store().BulkLoad(account.SystemActor, benchRequests(f.school.ID, n), nil); err != nil {
		t.Fatal(err)
	}
	// A floor of 1 MiB leaves the test's heap unraised: its memory limit
	// is the ceiling's alone.
	defer heapfloor.Keep(heapfloor.Bounds{Floor: 1 << 20}, os.Getenv)()
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set: the tuner stands aside")
	}
	before := debug.SetMemoryLimit(-1)
	d := newDesk(t, f.ts, "fresh")
	var mu gosync.Mutex
	var during []int64
	d.c.OnStatus(func(s client.Status) {
		if s.Total > 0 && s.Done > 0 {
			mu.Lock()
			during = append(during, debug.SetMemoryLimit(-1))
			mu.Unlock()
		}
	})
	if err := d.c.SignIn(context.Background(), domain.ID{}, "sig.a", password); err != nil {
		t.Fatal(err)
	}
	got, err := d.c.Pull(context.Background(), 0)
	if err != nil || got < n {
		t.Fatalf("pulled %d, %v; want at least %d", got, err, n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(during) == 0 {
		t.Fatal("no page applied while the pull went on")
	}
	for _, l := range during {
		if l < client.CatchUpCeiling || l > client.CatchUpCeiling+64<<20 {
			t.Errorf("memory limit while catching up: %d MB, want the %d MB ceiling and the runtime's own", l>>20, client.CatchUpCeiling>>20)
		}
	}
	if after := debug.SetMemoryLimit(-1); after != before || after != math.MaxInt64 {
		t.Errorf("memory limit after the pull: %d, want none, as before (%d)", after, before)
	}
}

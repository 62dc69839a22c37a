package client_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain/ens"
)

// TestRetryAfterIsHonoured: a server over its limit answers a push with
// 429 and Retry-After. The desk sends nothing more before that time, not
// on each new write nor on "Sync now", then sends everything that waited
// in one go, and nothing is lost.
func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFixture(t)
	r := f.raised(3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var limited atomic.Bool
	var pushes, refused atomic.Int64
	var lastRefusal atomic.Int64
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !strings.HasPrefix(r.URL.Path, "/v1/push") {
			return false
		}
		pushes.Add(1)
		if limited.Load() {
			refused.Add(1)
			lastRefusal.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "2")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return true
		}
		return false
	})
	limited.Store(true)
	go f.dir.c.Run(ctx)
	if _, err := f.dir.st.Act(f.dir.by, r[0].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "first"}}, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first refusal", func() bool { return refused.Load() == 1 })
	limited.Store(false)
	refusedAt := time.Unix(0, lastRefusal.Load())
	// Writes and nudges during the wait send nothing.
	for i, note := range []string{"second", "third"} {
		if _, err := f.dir.st.Act(f.dir.by, r[1+i].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: note}}, 0); err != nil {
			t.Fatal(err)
		}
		f.dir.c.Nudge()
		time.Sleep(300 * time.Millisecond)
	}
	if n := pushes.Load(); n != 1 {
		t.Fatalf("%d pushes within the server's Retry-After", n)
	}
	waitFor(t, "everything sent after the wait", func() bool {
		for _, req := range r {
			if got, err := f.sig.st.Request(f.sig.by, req.ID); err != nil || got.Version == req.Version {
				f.sig.sync()
				return false
			}
		}
		return true
	})
	if wait := time.Duration(pushes.Load()); wait < 2 {
		t.Fatalf("%d pushes", wait)
	}
	if first := time.Since(refusedAt); first < 2*time.Second {
		t.Errorf("sent again %v after the refusal, within its Retry-After of 2 s", first)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !ok(); {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

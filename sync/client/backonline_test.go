package client_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain/ens"
)

// TestBackOnlineTheNewsComesAtOnce: while the server was away the desk's
// pull backed off (1 s, 2 s, 4 s…); when a push goes through again, the
// pull is woken, so what a colleague did meanwhile arrives at once rather
// than after the pull's pause.
func TestBackOnlineTheNewsComesAtOnce(t *testing.T) {
	f := newFixture(t)
	r := f.raised(2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var away atomic.Bool
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if away.Load() {
			http.Error(w, "away", http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	away.Store(true)
	go f.dir.c.Run(ctx)
	// Long enough for the pull's pause to reach 8 s: 1 + 2 + 4 s of failures.
	time.Sleep(7500 * time.Millisecond)
	away.Store(false)
	// The colleague works on the other request, and the DIR's desk pushes
	// a change of its own: that push goes through at once.
	theirs, err := f.sig.st.Act(f.sig.by, r[1].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "the colleague's note"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.sig.sync()
	if _, err := f.dir.st.Act(f.dir.by, r[0].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "mine"}}, 0); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		got, err := f.dir.st.Request(f.dir.by, r[1].ID)
		if err == nil && got.Version >= theirs.Version {
			break
		}
		if time.Since(start) > 4*time.Second {
			t.Fatalf("the colleague's change had not arrived %v after the push went through", time.Since(start).Round(time.Millisecond))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the colleague's change arrived %v after the push", time.Since(start).Round(time.Millisecond))
}

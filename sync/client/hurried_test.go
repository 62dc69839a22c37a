package client_test

import (
	"context"
	"dossier/sync/client"
	"testing"
	"time"
)

// TestSyncDoesNotWaitBehindTheLongPoll: a desk's background pull keeps a
// long-poll open for up to LongPoll; a Sync (paying waits on one, with a
// deadline) must not queue behind it, nor behind the next one the
// background starts. Before, it waited out one or two long-polls (25 to
// 50 s) and then failed its own deadline: the fee screens froze.
func TestSyncDoesNotWaitBehindTheLongPoll(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); f.dir.c.Run(ctx) }()
	defer func() { cancel(); <-done }()
	// Let the background settle into its long-poll.
	time.Sleep(300 * time.Millisecond)
	for i := range 5 {
		sctx, scancel := context.WithTimeout(context.Background(), client.LongPoll/2)
		err := f.dir.c.Sync(sctx)
		scancel()
		if err != nil {
			t.Fatalf("sync %d behind the long-poll: %v", i, err)
		}
	}
}

package client

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"dossier/domain"
	"dossier/internal/heapfloor"
	"dossier/store"
	"dossier/sync"
)

// Push sends the signed-in person's outbox (and the enrolments of others
// made on this desk), oldest first, in batches, and
// records each answer as it comes: a command leaves the outbox only in the
// transaction that records its answer. It returns how many were answered.
func (c *Client) Push(ctx context.Context) (int, error) {
	c.pushMu.Lock()
	defer c.pushMu.Unlock()
	acct := c.Account()
	if acct.IsZero() {
		return 0, c.result(domain.Errorf(sync.ErrSignInNeeded))
	}
	n := 0
	for {
		batch, err := c.st.PendingToPush(acct, PushBatch)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		// Another person's enrolment made on this desk goes at its place
		// in the outbox's order, without a token. A command an older
		// version of the desk made in the program's name goes with the
		// signed-in person's, for the server to answer.
		pushes := func(cmd sync.Command) bool { return cmd.Actor == acct || cmd.Actor.IsZero() }
		if first := batch[0]; !pushes(first.Command) {
			if err := c.register(ctx, first); err != nil {
				return n, err
			}
			n++
			continue
		}
		for i, e := range batch {
			if !pushes(e.Command) {
				batch = batch[:i]
				break
			}
		}
		if batch, err = c.withinBytes(batch, PushBytes); err != nil {
			return n, err
		}
		req := sync.PushRequest{Commands: make([]sync.Command, len(batch))}
		for i, e := range batch {
			req.Commands[i] = e.Command
		}
		var resp sync.PushResponse
		if err := c.do(ctx, http.MethodPost, "/v1/push", req, &resp, true); err != nil {
			return n, c.result(err)
		}
		if err := c.st.Acknowledge(resp.Answers, resp.HLC); err != nil {
			return n, err
		}
		n += len(resp.Answers)
		c.result(nil)
		if len(resp.Answers) < len(batch) {
			return n, c.result(domain.Wrap(sync.ErrServer, fmt.Errorf("%d answers to %d commands", len(resp.Answers), len(batch))))
		}
	}
}

// Pull reads the change feed from the saved cursor until it has caught up,
// fetching the next page while the last one is being written. wait makes
// the first request a long-poll: it returns when the server has news, or
// after wait. It returns how many records were written.
func (c *Client) Pull(ctx context.Context, wait time.Duration) (int, error) {
	if wait == 0 {
		// A long-poll in flight holds the feed until the server has news
		// or LongPoll passes: end it; one about to start does not wait
		// (hurried); either starts again after us. Both under waitMu,
		// where a long-poll also decides to wait: it sees us, or we
		// see its cancel.
		c.waitMu.Lock()
		c.hurried.Add(1)
		if c.ending != nil {
			c.ending()
		}
		c.waitMu.Unlock()
		defer c.hurried.Add(-1)
	}
	c.pullMu.Lock()
	defer c.pullMu.Unlock()
	state, err := c.st.SyncState()
	if err != nil {
		return 0, err
	}
	// Each person reads the feed from their own position: what the
	// server sends is filtered by who asks.
	who := c.Account()
	pos := state.Position(who)
	type fetched struct {
		epoch domain.ID
		after uint64
		page  sync.ChangesResponse
		err   error
	}
	outer := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if wait > 0 {
		c.waitMu.Lock()
		if c.hurried.Load() > 0 {
			wait = 0 // a pull that must not wait came meanwhile
		} else {
			c.ending = cancel
		}
		c.waitMu.Unlock()
		defer func() {
			c.waitMu.Lock()
			c.ending = nil
			c.waitMu.Unlock()
		}()
	}
	// Two pages ahead: the next are fetched while this one is applied.
	// A catch-up holds the heap under CatchUpCeiling, so the pages ahead
	// do not lift it past its budget (BenchmarkInitialSync100k: 44-48 MB,
	// as fast as before; one page ahead without the ceiling, 44-63 MB and
	// 4 % slower).
	pages := make(chan fetched, 1)
	go func() {
		defer close(pages)
		epoch, after := pos.Epoch, pos.Cursor
		w := wait
		for {
			q := fmt.Sprintf("/v1/changes?epoch=%s&after=%d&limit=%d", epochText(epoch), after, PageSize)
			if w > 0 {
				q += fmt.Sprintf("&wait=%d", int(w/time.Second))
			}
			var page sync.ChangesResponse
			err := c.do(ctx, http.MethodGet, q, nil, &page, true)
			select {
			case pages <- fetched{epoch, after, page, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !page.More {
				return
			}
			epoch, after, w = page.Epoch, page.Next, 0
		}
	}()
	n, done, complete := 0, 0, false
	held, release := false, func() {}
	defer func() { release() }()
	for f := range pages {
		if f.err != nil && ctx.Err() != nil && outer.Err() == nil {
			// Ended by a pull that could not wait: not a failure.
			return n, nil
		}
		if f.err != nil {
			c.setStatus(func(s *Status) { s.Total = 0 })
			return n, c.result(f.err)
		}
		if f.page.Total >= PageSize {
			c.setStatus(func(s *Status) { s.Total = f.page.Total })
		}
		if f.page.More && !held {
			// A catch-up of more than one page (a first download): its
			// heap is held under a ceiling until the pull ends.
			held, release = true, heapfloor.Hold(CatchUpCeiling)
		}
		if c.Account() != who {
			// Another person signed in meanwhile: this page was read
			// for the one before, and the next pull starts from the
			// new person's own position.
			return n, c.result(nil)
		}
		applied, err := c.st.ApplyChanges(who, f.epoch, f.after, f.page)
		if err != nil {
			return n, c.result(err)
		}
		n += applied
		done += len(f.page.Changes)
		c.setStatus(func(s *Status) {
			s.Received += applied
			s.Done = done
			if !f.page.More {
				s.Total, s.Done = 0, 0
			}
		})
		complete = !f.page.More
	}
	if !complete && outer.Err() != nil {
		// The caller's context ended the pull before its last page: the
		// fetcher, finding it done, may return without handing on its
		// error, and the desk is not caught up.
		return n, c.result(domain.Wrap(sync.ErrOffline, outer.Err()))
	}
	return n, c.result(nil)
}

func epochText(e domain.ID) string {
	if e.IsZero() {
		return ""
	}
	return e.String()
}

// Sync pushes, then pulls until caught up.
func (c *Client) Sync(ctx context.Context) error {
	if _, err := c.Push(ctx); err != nil {
		return err
	}
	_, err := c.Pull(ctx, 0)
	return err
}

// Nudge asks Run to sync now ("Sync now"): push at once, and pull at once
// if the feed was waiting out a failure.
func (c *Client) Nudge() {
	wake(c.nudge)
	wake(c.retry)
}

// wake signals ch without waiting: a signal already pending is enough.
func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Run syncs until ctx ends: it pushes right after each local write, on
// the timer, on a nudge and on reconnecting, and it keeps a long-poll open
// so that the server's news arrives as it happens. Failures (offline,
// signed out) are reported in the status and retried with a growing pause.
func (c *Client) Run(ctx context.Context) {
	go c.pullLoop(ctx)
	timer := time.NewTimer(0)
	defer timer.Stop()
	backoff := time.Second
	written := c.st.Changed()
	var hold time.Time // the server's Retry-After: nothing is sent before
	for {
		select {
		case <-ctx.Done():
			return
		case <-written:
		case <-c.nudge:
		case <-timer.C:
		}
		// The next bell is taken before the outbox is read, so that a
		// write committed during this push rings it.
		written = c.st.Changed()
		if wait := time.Until(hold); wait > 0 {
			// A write or a nudge while the server asked to wait: the
			// push goes when the wait is over, with everything since.
			timer.Reset(wait)
			continue
		}
		pushed, err := c.Push(ctx)
		pause := Every
		if err != nil && ctx.Err() == nil {
			pause, backoff = backoff, min(backoff*2, Every)
			if at := RetryAt(err); time.Until(at) > pause {
				hold, pause = at, time.Until(at)
			}
		} else {
			if pushed > 0 {
				// The server answered: a pull waiting out its back-off
				// (the server was away) goes now, so the news comes
				// with the answer, not after the pause.
				wake(c.retry)
			}
			backoff = time.Second
		}
		timer.Reset(pause)
	}
}

func (c *Client) pullLoop(ctx context.Context) {
	backoff := time.Second
	wasOnline := true
	for ctx.Err() == nil {
		if c.Account().IsZero() {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		_, err := c.Pull(ctx, LongPoll)
		if err == nil {
			if !wasOnline {
				c.Nudge() // reconnected: push what waited
			}
			wasOnline, backoff = true, time.Second
			continue
		}
		wasOnline = false
		if wait := time.Until(RetryAt(err)); wait > backoff {
			// The server said when to come back: not before, nudged
			// or not.
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-c.retry:
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, Every)
	}
}

// withinBytes gives the first commands of a batch what the outbox keeps
// elsewhere (an attachment's content) and keeps those whose payloads fit
// in limit, and always the first: documents are megabytes.
func (c *Client) withinBytes(batch []store.OutboxEntry, limit int) ([]store.OutboxEntry, error) {
	total := 0
	for i := range batch {
		cmd, err := c.st.ExpandCommand(batch[i].Command)
		if err != nil {
			return nil, err
		}
		total += len(cmd.Payload)
		if i > 0 && total > limit {
			return batch[:i], nil
		}
		batch[i].Command = cmd
	}
	return batch, nil
}

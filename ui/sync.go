package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
)

// useStore makes s the open profile, with its link to its server when it
// has one.
func (e *Env) useStore(s programs.Desk) {
	e.Store = s
	e.slotOpened = ""
	// What was typed before signing in belonged to the profile open then.
	e.memDrafts = nil
	e.rememberProfile(s.Path())
	e.attachSync()
	e.Log.Info("profile", "schema", store.SchemaVersion, "linked", e.Sync != nil)
	e.keepPendingAssessments()
}

// Close stops syncing and closes the open profile (the sign-in screen's
// Close, and the window closing).
func (e *Env) Close() {
	e.Closing()
	e.stopSync()
	e.forgetOpened()
	e.Sync = nil
	if e.Store.Engine() != nil {
		e.Store.Close()
		e.Store = programs.Desk{}
	}
}

// attachSync opens the profile's link to the server it was connected to.
// A profile that never was stays offline-only; a link that cannot be read
// is shown as an error on the sync screen, and the desk still works.
func (e *Env) attachSync() {
	e.Sync, e.syncStatus = nil, client.Status{}
	c, err := client.Open(e.Store)
	if err != nil {
		e.syncStatus.Err = err
		return
	}
	e.Sync = c
	if c != nil {
		e.syncStatus = c.Status()
	}
}

// goOnline starts syncing for the person who just signed in on this desk:
// it signs them in to the server with the password they typed (retrying
// while the server cannot be reached — the password is held only by that
// retry, and only until it succeeds or the session ends) and runs the
// client: push after every local write, a long-poll on the change feed,
// the timer. An empty password skips the sign-in (the person has just
// signed in to the server). A desk whose last online person was someone else forgets
// that person's tokens first, so nobody syncs under another's name.
func (e *Env) goOnline(userID, password string) {
	e.stopSync()
	c := e.Sync
	if c == nil || e.Session == nil {
		return
	}
	me := e.Account.ID
	if got := c.Account(); !got.IsZero() && got != me {
		if err := c.SignOut(); err != nil {
			e.syncStatus.Err = err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.syncStop = cancel
	// The server's security question, for the sign-ins made from here:
	// answered from what the person just typed (an enrolment), or by
	// them, in a dialog.
	if answer := e.answerWith; answer != nil {
		c.SetAnswerer(func(_ context.Context, q string) (string, error) { return answer(q), nil })
	} else {
		c.SetAnswerer(e.askQuestion)
	}
	e.answerWith = nil
	received := c.Status().Received
	c.OnStatus(func(s client.Status) {
		e.post(func() {
			if ctx.Err() != nil {
				return // a status from a session that has ended
			}
			if s.Received != received {
				e.loadNotices() // before the status: the bar may say "maintenance"
				e.CheckNotices()
			}
			e.showSyncStatus(s)
			if s.Received != received {
				received = s.Received
				if e.refresh != nil {
					e.refresh()
				}
			}
		})
	})
	e.syncStatus = c.Status()
	e.logSync(client.Status{}, e.syncStatus)
	go c.Run(ctx)
	if password == "" {
		return // already signed in to the server (the sync screen did it)
	}
	lang := string(e.Tr().Lang())
	go func() {
		backoff := time.Second
		for {
			c.SpeakLang(lang)
			err := c.SignIn(ctx, me, userID, password)
			if err == nil {
				c.Nudge()
				return
			}
			if !errors.Is(err, sync.ErrOffline) || ctx.Err() != nil {
				return // the status shows why; the sync screen signs in again
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, client.Every)
		}
	}()
}

// stopSync ends the running sync, if any. The tokens stay: the same
// person signing in again goes on where they were.
func (e *Env) stopSync() {
	if e.syncStop != nil {
		e.syncStop()
		e.syncStop = nil
	}
	if e.Sync != nil {
		e.Sync.OnStatus(nil)
	}
	// No loop talks to the server now: the bar must not go on saying
	// "Online" from the last status the loop sent.
	if e.syncStatus.Online {
		e.syncStatus.Online = false
		if e.bar != nil {
			e.bar.showSync(e)
		}
	}
}

// SyncNow asks for a sync at once ("Sync now").
func (e *Env) SyncNow() {
	e.Touch()
	if e.Sync != nil {
		e.Sync.Nudge()
	}
}

// post runs f on the UI goroutine. Under Inline (headless tests) it is
// kept until Drain, so that background goroutines never touch widgets
// beside the test's goroutine.
func (e *Env) post(f func()) {
	if !e.Inline {
		fyne.Do(f)
		return
	}
	e.postMu.Lock()
	e.posted = append(e.posted, f)
	e.postMu.Unlock()
}

// Drain runs the updates background work has posted (tests call it).
func (e *Env) Drain() {
	e.postMu.Lock()
	fs := e.posted
	e.posted = nil
	e.postMu.Unlock()
	for _, f := range fs {
		f()
	}
}

// showSyncStatus keeps the last status and shows it in the top bar and,
// when it is on show, on the sync screen.
func (e *Env) showSyncStatus(s client.Status) {
	e.logSync(e.syncStatus, s)
	e.syncStatus = s
	if e.Session != nil && errors.Is(s.Err, account.ErrDelinked) {
		// De-linked on the server or another desk: the session ends
		// here too, keeping what was being typed, and the sign-in screen
		// says to enrol again with a new PIN.
		e.lockSessionFor("err.account.sign-in.delinked")
		return
	}
	if e.bar != nil {
		e.bar.showSync(e)
	}
	if v, ok := e.view.(*syncView); ok {
		v.showStatus()
	}
}

// showSync writes the sync status into the bar: whether the desk is
// connected and online, what waits to be sent, when it last synced, and
// what the person has to read (refusals, conflicts).
func (b *topBar) showSync(e *Env) {
	s := e.syncStatus
	text, warn := syncSummary(e, s)
	b.sync.SetText(text)
	b.sync.Importance = widget.LowImportance
	if warn {
		b.sync.Importance = widget.WarningImportance
	}
	b.sync.Refresh()
	if e.Sync != nil && e.Session != nil {
		b.syncNow.Show()
	} else {
		b.syncNow.Hide()
	}
	if s.Total > 0 {
		b.download.Max = float64(s.Total)
		b.download.SetValue(float64(min(s.Done, s.Total)))
		b.downloadBox.Show()
	} else {
		b.downloadBox.Hide()
	}
}

// syncSummary is the one-line sync status, and whether it asks for the
// person's attention.
func syncSummary(e *Env, s client.Status) (string, bool) {
	if e.Sync == nil {
		return e.T("sync.bar.local"), s.Err != nil
	}
	var parts []string
	switch {
	case e.Session == nil:
		parts = append(parts, e.T("sync.bar.ready"))
	case !s.SignedIn:
		parts = append(parts, e.T("sync.bar.signed-out"))
	case s.Online:
		parts = append(parts, e.T("sync.bar.online"))
	case e.covered():
		parts = append(parts, e.T("sync.bar.maintenance"))
	default:
		parts = append(parts, e.T("sync.bar.offline"))
	}
	if s.Pending > 0 {
		parts = append(parts, e.T("sync.bar.pending", s.Pending))
	}
	if !s.LastSync.IsZero() {
		parts = append(parts, lastSync(e, s.LastSync))
	}
	if s.Rejected > 0 {
		parts = append(parts, e.T("sync.bar.rejected", s.Rejected))
	}
	if s.Conflicts > 0 {
		parts = append(parts, e.T("sync.bar.conflicts", s.Conflicts))
	}
	if s.Total > 0 {
		parts = append(parts, e.T("sync.bar.download", s.Done, s.Total))
	}
	warn := s.Rejected > 0 || s.Conflicts > 0 || (s.Err != nil && !errors.Is(s.Err, sync.ErrOffline))
	return strings.Join(parts, " · "), warn
}

// lastSync says when the desk last synced: the time alone when it was
// today, else the date and time.
func lastSync(e *Env, t time.Time) string {
	t = t.Local()
	if domain.DateOf(t) == domain.DateOf(e.Now().Local()) {
		return e.T("sync.bar.last.time", e.Tr().Time(t))
	}
	return e.T("sync.bar.last", e.Tr().DateTime(t))
}

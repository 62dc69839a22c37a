package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/account"
	"dossier/store"
)

// idleBanner warns, a minute ahead, that the session is about to lock.
type idleBanner struct {
	content fyne.CanvasObject
	text    *widget.Label
	stay    *widget.Button
	left    time.Duration
}

func newIdleBanner(e *Env) *idleBanner {
	b := &idleBanner{text: widget.NewLabel(""), stay: widget.NewButton("", e.Touch)}
	b.text.Importance = widget.WarningImportance
	b.text.Wrapping = fyne.TextWrapWord
	b.stay.Importance = widget.WarningImportance
	b.content = container.NewBorder(nil, nil, nil, b.stay, b.text)
	b.content.Hide()
	e.OnRelabel(func() {
		b.text.SetText(e.T("idle.warning", int(b.left.Round(time.Second)/time.Second)))
		b.stay.SetText(e.T("idle.stay"))
	})
	return b
}

// StartIdleWatch checks the inactivity rule every second until the window
// closes.
func (e *Env) StartIdleWatch() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			fyne.Do(func() { e.tickDrafts(); e.CheckIdle(); e.tickNotices() })
		}
	}()
}

// CheckIdle applies the inactivity rule now: a warning in the last minute,
// and at 20 minutes the lock, which first keeps what the person was typing.
func (e *Env) CheckIdle() {
	if e.Session == nil {
		return
	}
	state, left := e.Session.State(e.Now(), e.Policy)
	switch state {
	case account.Active:
		if e.idle.content.Visible() {
			e.idle.content.Hide()
		}
	case account.Warning:
		e.idle.left = left
		e.idle.text.SetText(e.T("idle.warning", int(left.Round(time.Second)/time.Second)))
		e.idle.content.Show()
	case account.Locked:
		e.lockSession()
	}
}

// lockNotice is what the sign-in screen says after a lock.
type lockNotice struct {
	userID string
	screen string
	// reason is the catalog key of why (the time-out when empty).
	reason string
}

// lockSession saves the current form as a draft, ends the session and asks
// the same person to sign in again.
func (e *Env) lockSession() { e.lockSessionFor("") }

// lockSessionFor is lockSession with the reason the sign-in screen shows
// (a catalog key; the time-out's when empty).
func (e *Env) lockSessionFor(reason string) {
	// Nothing typed is lost: if the draft cannot be kept, the session
	// stays open rather than throw the work away.
	if e.Store.Engine() != nil {
		if err := e.keepDrafts(); err != nil {
			e.Session.Touch(e.Now())
			return
		}
	}
	e.lockedOut = &lockNotice{userID: e.Account.Credential.UserID, screen: e.screen.ID, reason: reason}
	e.stopSync()
	e.application = nil // its unsaved part is the draft just kept
	e.forgetOpened()
	e.closeDialogs()
	e.Session = nil
	e.Account = store.Account{}
	e.Show(ScreenSignIn)
}

package account

import "time"

// Session is a signed-in person's time at the desk.
type Session struct {
	Actor        Actor
	Started      time.Time
	LastActivity time.Time
}

// SessionState is where a session stands against the inactivity rule.
type SessionState int

// The states.
const (
	Active  SessionState = iota
	Warning              // the lock is less than Policy.Warning away
	Locked               // Policy.Inactivity has passed without activity
)

// NewSession starts a session at now.
func NewSession(a Actor, now time.Time) Session {
	return Session{Actor: a, Started: now, LastActivity: now}
}

// Touch records activity at now: a screen change, a save, a submission
// [000 App. B]. Time never runs backwards for a session.
func (s *Session) Touch(now time.Time) {
	if now.After(s.LastActivity) {
		s.LastActivity = now
	}
}

// State says whether the session at now is active, about to lock, or locked,
// and how long remains before the lock.
func (s Session) State(now time.Time, pol Policy) (SessionState, time.Duration) {
	left := s.LastActivity.Add(pol.Inactivity).Sub(now)
	switch {
	case left <= 0:
		return Locked, 0
	case left <= pol.Warning:
		return Warning, left
	}
	return Active, left
}

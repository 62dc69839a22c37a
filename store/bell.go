package store

import gosync "sync"

// bell tells waiters that something was committed: the server's long-polls
// wake when the change feed grows, and a desk's sync client pushes right
// after each local write. Waiters take the current channel; a ring closes
// it and hangs up a new one.
type bell struct {
	mu gosync.Mutex
	ch chan struct{}
}

func (b *bell) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

func (b *bell) ring() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}

// Changed returns a channel closed at the next commit of a change: a local
// action (on a desk) or a new entry in the change feed (on the server).
func (s *Store) Changed() <-chan struct{} { return s.bell.wait() }

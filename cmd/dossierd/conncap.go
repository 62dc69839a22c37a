package main

import (
	"log/slog"
	"net"
	gosync "sync"
	"sync/atomic"
	"time"

	"dossier/store"
)

// The connection caps (design). A desk holds one connection to the
// server (HTTP/2 carries its pushes and its long-poll together), two
// for a moment while one is set up; 200 desks hold a few hundred. A
// school's office behind one address (NAT) holds a few dozen: 64 per
// address leaves room for thirty desks there, and a flood of idle
// connections from one address stops at 64. 4,096 overall is ten times
// what 200 desks hold; it is lowered to what the process's file
// descriptors leave room for (descriptorRoom), so that a flood from many
// addresses fills the cap and is closed at once while the store's files
// and the log keep their descriptors.
const (
	DefaultConnsPerAddress = 64
	DefaultConnsTotal      = 4096
)

// cappedListener accepts at most perAddress open connections from one
// address (store.AddressKey: an IPv4 address, an IPv6 /64) and total
// overall; a connection over either cap is closed as soon as it is
// accepted, before its TLS handshake costs anything. A connection counts
// until it is closed.
type cappedListener struct {
	net.Listener
	perAddress, total int
	log               *slog.Logger

	mu      gosync.Mutex
	open    map[string]int
	n       int
	refused atomic.Int64
	noted   time.Time // when refusals were last logged
}

func capConns(ln net.Listener, perAddress, total int, log *slog.Logger) *cappedListener {
	return &cappedListener{Listener: ln, perAddress: perAddress, total: total, log: log, open: map[string]int{}}
}

// Accept returns the next connection within the caps.
func (l *cappedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := store.AddressKey(c.RemoteAddr().String())
		if l.admit(key) {
			return &cappedConn{Conn: c, l: l, key: key}, nil
		}
		c.Close()
	}
}

func (l *cappedListener) admit(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n >= l.total || l.open[key] >= l.perAddress {
		l.refused.Add(1)
		// A count a minute at most: the log is not flooded with the
		// flood (and holds no address).
		if now := time.Now(); now.Sub(l.noted) >= time.Minute {
			l.noted = now
			l.log.Warn("connections refused", "refused", l.refused.Load(), "open", l.n)
		}
		return false
	}
	l.n++
	l.open[key]++
	return true
}

func (l *cappedListener) release(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n--
	if l.open[key]--; l.open[key] <= 0 {
		delete(l.open, key)
	}
}

// counts are the connections open, overall and from the address key.
func (l *cappedListener) counts(key string) (total, fromKey int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.open[key]
}

// cappedConn gives its place back when it is closed (once).
type cappedConn struct {
	net.Conn
	l    *cappedListener
	key  string
	once gosync.Once
}

func (c *cappedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	return err
}

package main

import (
	"io"
	"log/slog"
	"net"
	"testing"
	"time"
)

// TestConnCapTotal: the overall cap holds whatever the addresses, and a
// place comes back when a connection closes.
func TestConnCapTotal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	capped := capConns(ln, 3, 5, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer capped.Close()
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := capped.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	dial := func(ip string) net.Conn {
		c, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// closed reports whether the server closed c at once.
	closed := func(c net.Conn) bool {
		c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		_, err := c.Read(make([]byte, 1))
		return err == io.EOF || (err != nil && !readTimedOut(err))
	}
	var held []net.Conn
	for _, ip := range []string{"127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.4"} {
		c := dial(ip)
		if closed(c) {
			c.Close()
			continue
		}
		held = append(held, c)
	}
	if len(held) != 5 {
		t.Fatalf("%d held; want 3 from the first address and 2 more", len(held))
	}
	if total, n := capped.counts("127.0.0.2"); total != 5 || n != 3 {
		t.Fatalf("counts %d, %d", total, n)
	}
	(<-accepted).Close() // the server ends one of the first address's
	c := dial("127.0.0.4")
	if closed(c) {
		t.Fatal("no place after one closed")
	}
	c.Close()
	for _, c := range held {
		c.Close()
	}
}

func readTimedOut(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

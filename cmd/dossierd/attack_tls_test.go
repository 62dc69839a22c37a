package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	gosync "sync"
	"testing"

	"dossier/domain"
	"dossier/store"
	"dossier/sync"
	"dossier/sync/client"
)

// mitmProxy is someone in between: a TLS server on loopback with its own
// certificate (httptest's, another key than dossierd's) that reads every
// request a desk sends it and passes it on to the real dossierd.
type mitmProxy struct {
	URL string
	fp  string // its key's fingerprint

	mu       gosync.Mutex
	requests int
	captured bytes.Buffer // every request body it read
}

func startMITM(t *testing.T, hs *hostileServer) *mitmProxy {
	t.Helper()
	p := &mitmProxy{}
	real := &url.URL{Scheme: "https", Host: hs.addr}
	fwd := httputil.NewSingleHostReverseProxy(real)
	fwd.Transport = &http.Transport{TLSClientConfig: insecure()}
	fwd.ErrorLog = log.New(io.Discard, "", 0)
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.requests++
		p.captured.Write(body)
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		fwd.ServeHTTP(w, r)
	}))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the desk's refused handshakes
	ts.StartTLS()
	t.Cleanup(ts.Close)
	p.URL, p.fp = ts.URL, client.Fingerprint(ts.Certificate().Raw)
	if p.fp == hs.fp {
		t.Fatal("the proxy has the server's key")
	}
	// The proxy works: a client that trusts anything goes through it to
	// dossierd, and the proxy reads what it sends.
	resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}).
		Post(p.URL+"/v1/signin", "application/json", bytes.NewReader([]byte(`{"userID":"probe","password":"probe-secret"}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !bytes.Contains(p.seen(), []byte("probe-secret")) {
		t.Fatalf("the proxy does not relay: HTTP %d, read %q", resp.StatusCode, p.seen())
	}
	p.mu.Lock()
	p.requests = 0
	p.captured.Reset()
	p.mu.Unlock()
	return p
}

func (p *mitmProxy) seen() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.captured.Bytes())
}

// assertNothingCaptured fails when the proxy read any request.
func (p *mitmProxy) assertNothingCaptured(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.requests != 0 || p.captured.Len() != 0 {
		t.Fatalf("the proxy read %d requests: %q", p.requests, p.captured.String())
	}
}

// redirectedDesk is a desk connected to the real server whose traffic now
// reaches the proxy (a hijacked name, a hostile Wi-Fi), pinning pin.
func redirectedDesk(t *testing.T, hs *hostileServer, p *mitmProxy, pin string) *client.Client {
	t.Helper()
	d := hs.desk("victim")
	if err := d.st.UpdateSyncState(func(s *store.SyncState) { s.Server, s.Fingerprint = p.URL, pin }); err != nil {
		t.Fatal(err)
	}
	c, err := client.Open(d.st)
	if err != nil || c == nil {
		t.Fatalf("open: %v", err)
	}
	c.SetAnswerer(hostileAnswers)
	return c
}

// stillServes proves the real server signs the real person in afterwards,
// through a desk holding the real pin.
func stillServes(t *testing.T, hs *hostileServer) {
	t.Helper()
	if _, a := hs.signIn(hostileUser, hostilePassword); a.status != http.StatusOK {
		t.Fatalf("sign-in at the real server afterwards: HTTP %d %s", a.status, a.code)
	}
	d := hs.desk("afterwards")
	if err := d.c.SignIn(context.Background(), domain.ID{}, hostileUser, hostilePassword); err != nil {
		t.Fatalf("desk sign-in at the real server afterwards: %v", err)
	}
}

// TestAttackTLSProxyWithPin: a desk that holds the real server's pin is
// led to a man in the middle. The proxy's key is not the pinned one: the
// handshake fails with sync.fingerprint, so the desk neither connects nor
// sends its sign-in — the proxy reads no request and no password.
func TestAttackTLSProxyWithPin(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	p := startMITM(t, hs)
	ctx := context.Background()

	c := redirectedDesk(t, hs, p, hs.fp)
	if err := c.SignIn(ctx, domain.ID{}, hostileUser, hostilePassword); domain.ErrorCode(err) != sync.ErrFingerprint {
		t.Fatalf("sign-in through the proxy: %v, want %s", err, sync.ErrFingerprint)
	}
	if err := c.Sync(ctx); domain.ErrorCode(err) != sync.ErrFingerprint && domain.ErrorCode(err) != sync.ErrSignInNeeded {
		t.Fatalf("sync through the proxy: %v", err)
	}
	d := hs.desk("fresh")
	if _, err := client.Connect(ctx, d.st, p.URL, hs.fp); domain.ErrorCode(err) != sync.ErrFingerprint {
		t.Fatalf("connect through the proxy with the real fingerprint: %v, want %s", err, sync.ErrFingerprint)
	}
	p.assertNothingCaptured(t)
	stillServes(t, hs)
}

// TestAttackTLSProxyWithoutPin: a desk given no fingerprint (the case
// that used to trust the first certificate seen) meets the proxy. It
// does not trust it: sync.tls.unconfirmed carries the proxy's key's
// fingerprint — which is not the one dossierd printed, so the person
// comparing refuses — and nothing is sent, neither by Connect nor by a
// sign-in from a profile holding no pin.
func TestAttackTLSProxyWithoutPin(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	p := startMITM(t, hs)
	ctx := context.Background()

	d := hs.desk("fresh")
	_, err := client.Connect(ctx, d.st, p.URL, "")
	fp, ok := client.UnconfirmedFingerprint(err)
	if domain.ErrorCode(err) != client.ErrUnconfirmed || !ok {
		t.Fatalf("connect through the proxy without a fingerprint: %v, want %s", err, client.ErrUnconfirmed)
	}
	if fp != p.fp || fp == hs.fp {
		t.Fatalf("fingerprint shown %s: want the proxy's %s, which differs from the server's %s", fp, p.fp, hs.fp)
	}
	c := redirectedDesk(t, hs, p, "")
	if err := c.SignIn(ctx, domain.ID{}, hostileUser, hostilePassword); domain.ErrorCode(err) != client.ErrUnconfirmed {
		t.Fatalf("sign-in through the proxy with no pin: %v, want %s", err, client.ErrUnconfirmed)
	}
	p.assertNothingCaptured(t)
	stillServes(t, hs)
}

package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
)

// tlsServer is a TLS server on loopback that answers every request with
// "{}" and counts them; its certificate can be swapped (a renewal).
type tlsServer struct {
	URL      string
	requests atomic.Int64
	bodies   atomic.Int64 // requests that carried a body (a password, a push)
	cert     atomic.Pointer[tls.Certificate]
}

func startTLSServer(t *testing.T, cert tls.Certificate) *tlsServer {
	t.Helper()
	s := &tlsServer{}
	s.cert.Store(&cert)
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if n, _ := io.Copy(io.Discard, r.Body); n > 0 {
			s.bodies.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	}))
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	// Called on every handshake, with or without a server name.
	hs.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		return &tls.Config{Certificates: []tls.Certificate{*s.cert.Load()}}, nil
	}}
	hs.StartTLS()
	t.Cleanup(hs.Close)
	s.URL = hs.URL
	return s
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// issue makes a certificate for 127.0.0.1 with key, signed by parent's
// key (self-signed when parent is nil); ca makes it an authority.
func issue(t *testing.T, key *ecdsa.PrivateKey, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, serial int64, ca bool) tls.Certificate {
	t.Helper()
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: "dossierd test"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(time.Duration(serial) * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.Subject.CommonName = "Dossier test authority"
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func spki(c tls.Certificate) string {
	sum := sha256.Sum256(c.Leaf.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

func newProfile(t *testing.T) programs.Desk {
	t.Helper()
	st, err := programs.Create(filepath.Join(t.TempDir(), "p.dossier"), password, storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func storedPin(t *testing.T, st programs.Desk) string {
	t.Helper()
	s, err := st.SyncState()
	if err != nil {
		t.Fatal(err)
	}
	return s.Fingerprint
}

// TestFingerprintIsThePublicKeys: the fingerprint dossierd prints and
// desks pin is the SHA-256 of the certificate's SubjectPublicKeyInfo.
func TestFingerprintIsThePublicKeys(t *testing.T) {
	c := issue(t, newKey(t), nil, nil, 1, false)
	if got := client.Fingerprint(c.Certificate[0]); got != spki(c) {
		t.Fatalf("Fingerprint = %s, want the key's %s", got, spki(c))
	}
	if got := client.Fingerprint([]byte("not a certificate")); got != "" {
		t.Fatalf("Fingerprint of garbage = %q", got)
	}
}

// TestFirstContactSendsNothingUnconfirmed: with no fingerprint typed, a
// self-signed server's key is not trusted: Connect fails with
// sync.tls.unconfirmed carrying the key's fingerprint, and the server
// sees no request at all — not even /healthz, let alone a password. A
// profile left with no pin sends no sign-in either.
func TestFirstContactSendsNothingUnconfirmed(t *testing.T) {
	cert := issue(t, newKey(t), nil, nil, 1, false)
	srv := startTLSServer(t, cert)
	st := newProfile(t)
	_, err := client.Connect(context.Background(), st, srv.URL, "")
	if domain.ErrorCode(err) != client.ErrUnconfirmed {
		t.Fatalf("Connect with no fingerprint: %v, want %s", err, client.ErrUnconfirmed)
	}
	fp, ok := client.UnconfirmedFingerprint(err)
	if !ok || fp != spki(cert) {
		t.Fatalf("fingerprint shown %q (%v), want %s", fp, ok, spki(cert))
	}
	if s, _ := st.SyncState(); s.Server != "" || s.Fingerprint != "" {
		t.Fatalf("an unconfirmed server was remembered: %+v", s)
	}

	// A profile that knows the server but holds no pin (as one connected
	// to a server an authority vouched for): the sign-in is not sent.
	if err := st.UpdateSyncState(func(s *store.SyncState) { s.Server = srv.URL }); err != nil {
		t.Fatal(err)
	}
	c, err := client.Open(st)
	if err != nil || c == nil {
		t.Fatalf("open: %v", err)
	}
	err = c.SignIn(context.Background(), domain.ID{}, "dir.a", "the password")
	if domain.ErrorCode(err) != client.ErrUnconfirmed {
		t.Fatalf("sign-in without a pin: %v", err)
	}
	if n := srv.requests.Load(); n != 0 {
		t.Fatalf("the server saw %d requests before the fingerprint was confirmed", n)
	}

	// Confirmed: the same fingerprint now connects, and is kept.
	if _, err := client.Connect(context.Background(), st, srv.URL, fp); err != nil {
		t.Fatalf("connect with the confirmed fingerprint: %v", err)
	}
	if got := storedPin(t, st); got != fp {
		t.Fatalf("stored pin %q, want %q", got, fp)
	}
	if srv.requests.Load() != 1 {
		t.Fatalf("requests after confirming: %d, want 1 (/healthz)", srv.requests.Load())
	}
}

// TestPinnedKey: a pinned key (typed with colons and capitals, as people
// copy it) is trusted; a certificate renewed with the same key still is;
// a certificate with another key is refused with sync.fingerprint and
// nothing is sent.
func TestPinnedKey(t *testing.T) {
	key := newKey(t)
	first := issue(t, key, nil, nil, 1, false)
	srv := startTLSServer(t, first)
	st := newProfile(t)
	typed := ""
	for i, r := range spki(first) {
		if i > 0 && i%2 == 0 {
			typed += ":"
		}
		typed += string(r)
	}
	ctx := context.Background()
	if _, err := client.Connect(ctx, st, srv.URL, typed); err != nil {
		t.Fatalf("connect with the pin: %v", err)
	}
	if got := storedPin(t, st); got != spki(first) {
		t.Fatalf("stored pin %q", got)
	}

	code := printcode.Key("k").Code("test", nil)
	renewed := issue(t, key, nil, nil, 2, false)
	if renewed.Leaf.Equal(first.Leaf) {
		t.Fatal("the renewed certificate is the same certificate")
	}
	srv.cert.Store(&renewed)
	c, err := client.Open(st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(ctx, code); err != nil {
		t.Fatalf("renewed certificate, same key: %v", err)
	}

	other := issue(t, newKey(t), nil, nil, 3, false)
	srv.cert.Store(&other)
	before := srv.requests.Load()
	c, err = client.Open(st) // a new connection: a new handshake
	if err != nil {
		t.Fatal(err)
	}
	err = c.SignIn(ctx, domain.ID{}, "dir.a", "the password")
	if domain.ErrorCode(err) != sync.ErrFingerprint {
		t.Fatalf("another key: %v, want %s", err, sync.ErrFingerprint)
	}
	if _, err := client.Connect(ctx, newProfile(t), srv.URL, spki(first)); domain.ErrorCode(err) != sync.ErrFingerprint {
		t.Fatalf("connect to another key: %v", err)
	}
	if n := srv.requests.Load() - before; n != 0 || srv.bodies.Load() != 0 {
		t.Fatalf("another key received %d requests (%d with a body)", n, srv.bodies.Load())
	}
}

// TestCertificatePinMigrates: a profile connected before pins named the
// key holds the hash of the whole certificate; that certificate is still
// trusted, and the pin stored becomes its key's, so that a renewal with
// the same key then works. Another certificate is not trusted by it.
func TestCertificatePinMigrates(t *testing.T) {
	key := newKey(t)
	cert := issue(t, key, nil, nil, 1, false)
	srv := startTLSServer(t, cert)
	sum := sha256.Sum256(cert.Certificate[0])
	old := hex.EncodeToString(sum[:])
	ctx := context.Background()
	code := printcode.Key("k").Code("test", nil)

	st := newProfile(t)
	if err := st.UpdateSyncState(func(s *store.SyncState) { s.Server, s.Fingerprint, s.Refresh = srv.URL, old, "kept" }); err != nil {
		t.Fatal(err)
	}
	c, err := client.Open(st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(ctx, code); err != nil {
		t.Fatalf("old certificate pin: %v", err)
	}
	if s, _ := st.SyncState(); s.Fingerprint != spki(cert) || s.Refresh != "kept" {
		t.Fatalf("after migration: pin %q refresh %q, want the key's %s and the session kept", s.Fingerprint, s.Refresh, spki(cert))
	}
	renewed := issue(t, key, nil, nil, 2, false)
	srv.cert.Store(&renewed)
	if c, err = client.Open(st); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(ctx, code); err != nil {
		t.Fatalf("renewal after migration: %v", err)
	}

	// Typed as an old note has it, on Connect: the same migration.
	srv.cert.Store(&cert)
	st2 := newProfile(t)
	if _, err := client.Connect(ctx, st2, srv.URL, old); err != nil {
		t.Fatalf("connect with a certificate pin: %v", err)
	}
	if got := storedPin(t, st2); got != spki(cert) {
		t.Fatalf("connect stored %q, want the key's", got)
	}

	// An old pin of another certificate is no pin of this one.
	other := issue(t, newKey(t), nil, nil, 3, false)
	srv.cert.Store(&other)
	if _, err := client.Connect(ctx, newProfile(t), srv.URL, old); domain.ErrorCode(err) != sync.ErrFingerprint {
		t.Fatalf("old pin, other certificate: %v", err)
	}
}

// TestAuthorityVouches: a certificate that verifies with the roots for
// the host dialled needs no fingerprint (and none is pinned, so that a
// renewal with a new key goes on working); the same certificate without
// the authority among the roots is unconfirmed.
func TestAuthorityVouches(t *testing.T) {
	caKey := newKey(t)
	ca := issue(t, caKey, nil, nil, 100, true)
	leaf := issue(t, newKey(t), ca.Leaf, caKey, 1, false)
	leaf.Certificate = append(leaf.Certificate, ca.Certificate[0])
	srv := startTLSServer(t, leaf)
	roots := x509.NewCertPool()
	roots.AddCert(ca.Leaf)
	ctx := context.Background()

	st := newProfile(t)
	c, err := client.ConnectWith(ctx, st, srv.URL, "", client.Options{Roots: roots})
	if err != nil {
		t.Fatalf("a certificate the authority issued: %v", err)
	}
	if got := storedPin(t, st); got != "" {
		t.Fatalf("pinned %q for a vouched certificate", got)
	}
	if _, err := c.Verify(ctx, printcode.Key("k").Code("test", nil)); err != nil {
		t.Fatalf("a call after connecting: %v", err)
	}
	rekeyed := issue(t, newKey(t), ca.Leaf, caKey, 2, false)
	srv.cert.Store(&rekeyed)
	if c, err = client.OpenWith(st, client.Options{Roots: roots}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(ctx, printcode.Key("k").Code("test", nil)); err != nil {
		t.Fatalf("renewed with a new key, still vouched: %v", err)
	}

	// Another authority's roots: not vouched, so asked.
	before := srv.requests.Load()
	_, err = client.ConnectWith(ctx, newProfile(t), srv.URL, "", client.Options{Roots: x509.NewCertPool()})
	if fp, ok := client.UnconfirmedFingerprint(err); !ok || fp != spki(rekeyed) {
		t.Fatalf("unvouched: %v", err)
	}
	// Vouched, but for another host name.
	_, err = client.ConnectWith(ctx, newProfile(t), "https://localhost:"+srv.URL[len("https://127.0.0.1:"):], "",
		client.Options{Roots: roots})
	if domain.ErrorCode(err) != client.ErrUnconfirmed {
		t.Fatalf("certificate for another host: %v", err)
	}
	if n := srv.requests.Load() - before; n != 0 {
		t.Fatalf("unvouched server received %d requests", n)
	}
}

// Package client is a desk's side of sync: it pushes the outbox to dossierd
// and pulls the change feed into the desk's store, on a timer, on
// reconnect, right after each local write, and whenever the server has
// news (long-poll).
package client

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"strings"
	gosync "sync"
	"time"

	"dossier/domain"
	"dossier/sync"
)

// Fingerprint is the SHA-256 of a certificate's public key (its
// SubjectPublicKeyInfo), in hex, as dossierd prints it at start; cert is
// the certificate in DER. Pinning the key rather than the certificate lets
// a certificate renewed with the same key go on working. It is empty when
// cert cannot be read.
func Fingerprint(cert []byte) string {
	c, err := x509.ParseCertificate(cert)
	if err != nil {
		return ""
	}
	return spkiFingerprint(c)
}

func spkiFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// certFingerprint is the SHA-256 of the whole certificate: what desks
// pinned, and dossierd printed, before pins named the key.
func certFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// Options are how a client decides whom to trust.
type Options struct {
	// Roots are the authorities that may vouch for a server's
	// certificate when no fingerprint is pinned; nil is the system's.
	Roots *x509.CertPool
}

// pinnedTransport trusts a server whose public key is pinned or, with no
// pin, whose certificate an authority in the roots vouches for, for the
// host dialled. Anything else fails the handshake, before a byte of a
// request is sent: dossierd's certificate is usually self-signed, so the
// person must confirm its fingerprint (given by the server's operator)
// before the desk sends a password. A different key is either a new
// server or someone in between.
func pinnedTransport(p *pin) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
		TLSClientConfig: &tls.Config{
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: true, // replaced by VerifyConnection below
			VerifyConnection:   p.verify,
		},
	}
}

// pin is the fingerprint a desk trusts; empty when none was confirmed, in
// which case only a certificate an authority vouches for is trusted.
type pin struct {
	roots *x509.CertPool // nil: the system's
	// host is the server's name or address, as in its URL: the name a
	// vouched certificate must be for. (The handshake's ServerName is
	// empty for an IP address, which is sent no SNI.)
	host string

	mu gosync.Mutex
	v  string
	// migrated is the legacy pin just replaced by the key's, until the
	// client has stored the new one in the profile.
	migrated string
}

// verify checks the server's certificate during the handshake.
func (p *pin) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errNoCertificate
	}
	leaf := cs.PeerCertificates[0]
	got := spkiFingerprint(leaf)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.v == "":
		// No fingerprint confirmed: an authority must vouch for the
		// certificate; otherwise the person is shown the fingerprint
		// and asked, and nothing is sent meanwhile.
		if p.vouched(cs) {
			return nil
		}
		return domain.Errorf(ErrUnconfirmed, got)
	case strings.EqualFold(p.v, got):
		return nil
	case strings.EqualFold(p.v, certFingerprint(leaf.Raw)):
		// Migration: profiles connected before pins named the key hold
		// the hash of the whole certificate. This is that very
		// certificate, so its key is the one the person trusted: pin the
		// key from now on (the client stores it in the profile).
		p.migrated, p.v = p.v, got
		return nil
	}
	return domain.Errorf(sync.ErrFingerprint)
}

// vouched reports whether the certificate chain verifies with the roots
// for the host dialled, as any HTTPS client would check it.
func (p *pin) vouched(cs tls.ConnectionState) bool {
	if p.host == "" {
		return false
	}
	opts := x509.VerifyOptions{Roots: p.roots, DNSName: p.host, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(opts)
	return err == nil
}

func (p *pin) get() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.v
}

// takeMigrated returns the legacy pin replaced since the last call, and
// the key's pin that replaced it.
func (p *pin) takeMigrated() (old, now string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	old, p.migrated = p.migrated, ""
	return old, p.v
}

// UnconfirmedFingerprint is the fingerprint of the server's key carried
// by an ErrUnconfirmed, for the person to compare with the one the
// server's operator gave them.
func UnconfirmedFingerprint(err error) (string, bool) {
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != ErrUnconfirmed || len(e.Args) == 0 {
		return "", false
	}
	fp, ok := e.Args[0].(string)
	return fp, ok
}

// normalFingerprint is a fingerprint as typed (pairs perhaps separated by
// colons, any case) in the form pins are compared in; ErrFingerprintFormat
// when it is not 64 hexadecimal digits. Empty stays empty.
func normalFingerprint(fp string) (string, error) {
	fp = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(fp), ":", ""))
	if fp == "" {
		return "", nil
	}
	if b, err := hex.DecodeString(fp); err != nil || len(b) != sha256.Size {
		return "", domain.FieldError(ErrFingerprintFormat, "fingerprint")
	}
	return fp, nil
}

var errNoCertificate = errors.New("server sent no certificate")

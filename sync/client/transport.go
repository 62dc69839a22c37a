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

// Fingerprint is the SHA-256 of a certificate, in hex, as dossierd prints
// it at start.
func Fingerprint(cert []byte) string {
	sum := sha256.Sum256(cert)
	return hex.EncodeToString(sum[:])
}

// pinnedTransport trusts exactly the certificate whose fingerprint is
// pinned. dossierd's certificate is usually self-signed, so no authority
// vouches for it: the desk pins it on first contact instead (or is given
// it), and refuses any other afterwards — a different certificate is
// either a new server or someone in between.
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
			InsecureSkipVerify: true, // replaced by the pin check below
			VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
				if len(raw) == 0 {
					return errNoCertificate
				}
				return p.check(Fingerprint(raw[0]))
			},
		},
	}
}

// pin is the fingerprint a desk trusts; empty until first contact.
type pin struct {
	mu gosync.Mutex
	v  string
}

func (p *pin) check(got string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.v == "" {
		p.v = got // first contact: trust on first use
		return nil
	}
	if !strings.EqualFold(got, p.v) {
		return domain.Errorf(sync.ErrFingerprint)
	}
	return nil
}

func (p *pin) get() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.v
}

var errNoCertificate = errors.New("server sent no certificate")

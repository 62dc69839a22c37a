// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp)
// on loopback for tests, with STARTTLS or implicit TLS on a certificate of
// its own, and keeps every letter it accepts, decoded. A test tells it to
// answer a letter with a reply of its choosing (451, 550).
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Letter is one message the relay accepted.
type Letter struct {
	From    string   // the envelope's sender
	To      []string // the envelope's recipients
	Header  mail.Header
	Subject string // decoded
	Body    string // decoded
	Raw     []byte
}

// Relay is the SMTP server.
type Relay struct {
	Addr string
	// Client is the TLS configuration that trusts the relay's certificate.
	Client *tls.Config
	// User and Password, when set before the first letter, are the only
	// credentials the relay accepts (AUTH PLAIN); the relay then refuses a
	// letter from a client that did not authenticate.
	User, Password string

	srv     *smtp.Server
	mu      gosync.Mutex
	letters []Letter
	offered int
	answer  func(n int) *smtp.SMTPError
	arrived chan struct{}
}

// Start runs a relay on loopback: with STARTTLS when implicit is false,
// TLS from the first byte when it is true. It stops at the test's end.
func Start(t testing.TB, implicit bool) *Relay {
	t.Helper()
	cert, pool := certificate(t)
	r := &Relay{Client: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12},
		arrived: make(chan struct{}, 1024)}
	s := smtp.NewServer(r)
	s.Domain = "relay.test"
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxRecipients = 10
	s.ErrorLog = discard{}
	var ln net.Listener
	var err error
	if implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", s.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	r.srv, r.Addr = s, ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return r
}

type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}

// Answer sets what the relay replies to the nth letter offered to it
// (1 for the first; counted over the relay's life): nil accepts it.
func (r *Relay) Answer(f func(n int) *smtp.SMTPError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.answer = f
}

// Offered is how many letters were offered (accepted or not).
func (r *Relay) Offered() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.offered
}

// Letters are the letters accepted so far.
func (r *Relay) Letters() []Letter {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Letter(nil), r.letters...)
}

// Wait returns once n letters have been accepted, or fails the test after
// timeout.
func (r *Relay) Wait(t testing.TB, n int, timeout time.Duration) []Letter {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if l := r.Letters(); len(l) >= n {
			return l
		}
		select {
		case <-r.arrived:
		case <-deadline:
			t.Fatalf("the relay received %d letters, want %d", len(r.Letters()), n)
		}
	}
}

// Reply is an SMTP reply a test's Answer returns: Reply(451) asks the
// sender to try later, Reply(550) refuses the letter for good.
func Reply(code int) *smtp.SMTPError {
	return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "test reply"}
}

// NewSession is the go-smtp backend.
func (r *Relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }

type session struct {
	r      *Relay
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if s.r.User == "" || user != s.r.User || pass != s.r.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.User != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(rd io.Reader) error {
	raw, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	s.r.offered++
	answer, n := s.r.answer, s.r.offered
	s.r.mu.Unlock()
	if answer != nil {
		if e := answer(n); e != nil {
			return e
		}
	}
	l, err := decode(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	l.From, l.To = s.from, s.to
	s.r.mu.Lock()
	s.r.letters = append(s.r.letters, l)
	s.r.mu.Unlock()
	s.r.arrived <- struct{}{}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// decode reads the letter's headers, and its subject and plain-text body
// out of their transfer encodings.
func decode(raw []byte) (Letter, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Letter{}, err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return Letter{}, err
	}
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		if body, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err != nil {
			return Letter{}, err
		}
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return Letter{}, err
	}
	return Letter{Header: m.Header, Subject: subject, Body: strings.ReplaceAll(string(body), "\r\n", "\n"), Raw: raw}, nil
}

// certificate makes a self-signed certificate for 127.0.0.1 and the pool
// that trusts it.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.test"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, pool
}

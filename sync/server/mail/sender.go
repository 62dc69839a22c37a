// Package mail is dossierd's e-mail sender: it takes the letters the
// server's actions queued in the store's mail outbox (store/mail.go),
// writes each in its recipient's language from the catalog, and hands
// them to an SMTP relay, trying again with back-off when the relay says
// "later". Its log names a letter by ID and kind, and the relay's reply
// by code: never an address, a name or a word of the letter.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"dossier/store"
)

// TLS is how the connection to the relay is protected.
type TLS string

const (
	// StartTLS connects in clear and requires the relay to offer
	// STARTTLS: no letter goes out unencrypted (port 587).
	StartTLS TLS = "starttls"
	// Implicit speaks TLS from the first byte (port 465).
	Implicit TLS = "implicit"
	// NoTLS sends in clear: only for a relay on the same host.
	NoTLS TLS = "none"
)

// ParseTLS reads the --smtp-tls flag.
func ParseTLS(s string) (TLS, error) {
	switch t := TLS(s); t {
	case StartTLS, Implicit, NoTLS:
		return t, nil
	}
	return "", fmt.Errorf("mail: %q is not starttls, implicit or none", s)
}

// Relay is the SMTP relay dossierd hands its letters to.
type Relay struct {
	Addr string // host:port
	From string // the sender's address, in the From header and the envelope
	TLS  TLS
	// User and Password authenticate to the relay when User is set.
	User, Password string
	// TLSConfig, when set, is used instead of the system's roots (a test
	// relay with its own certificate).
	TLSConfig *tls.Config
}

// Back-off: a letter the relay put off is tried again after First, then
// twice as long each time up to Cap; after GiveUp since it was queued the
// sender stops trying and keeps it, marked, for the operator.
type Backoff struct {
	First, Cap, GiveUp time.Duration
}

// DefaultBackoff tries again after a minute, then at most every six hours,
// for five days: the time a relay's own queue usually keeps a message.
var DefaultBackoff = Backoff{First: time.Minute, Cap: 6 * time.Hour, GiveUp: 5 * 24 * time.Hour}

// Delay is how long to wait after the attempts-th failed attempt (1 for
// the first).
func (b Backoff) Delay(attempts int) time.Duration {
	d := b.First
	for i := 1; i < attempts && d < b.Cap; i++ {
		d *= 2
	}
	return min(d, b.Cap)
}

// Sender empties the mail outbox into the relay.
type Sender struct {
	Store   *store.Store
	Relay   Relay
	Log     *slog.Logger
	Now     func() time.Time
	Backoff Backoff
	// Every is how often it looks at the outbox without being woken (for
	// the letters whose back-off has passed).
	Every time.Duration
	// Batch is the most letters sent over one connection.
	Batch int
}

// sendTimeout bounds one connection to the relay.
const sendTimeout = 60 * time.Second

// Run sends what is due at start, then each time an action queues a
// letter and every s.Every, until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		bell := s.Store.MailBell()
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("mail", "err", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-bell:
		case <-t.C:
		}
	}
}

// SendDue sends every letter due now, in batches, and returns how many
// the relay accepted. A relay that cannot be reached puts every letter of
// the batch off; an error is the store's.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	batch := s.Batch
	if batch <= 0 {
		batch = 50
	}
	sent := 0
	for ctx.Err() == nil {
		due, err := s.Store.DueMail(s.now(), batch)
		if err != nil || len(due) == 0 {
			return sent, err
		}
		n, err := s.sendBatch(ctx, due)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) backoff() Backoff {
	if s.Backoff == (Backoff{}) {
		return DefaultBackoff
	}
	return s.Backoff
}

// errBadAddress is an address the mail library refuses to write: no
// relay will ever take it.
var errBadAddress = errors.New("mail: the address is not valid")

// sendBatch sends due over one connection and records each outcome.
func (s *Sender) sendBatch(ctx context.Context, due []store.Mail) (int, error) {
	now := s.now()
	msgs := make([]*gomail.Msg, 0, len(due))
	letters := make([]store.Mail, 0, len(due))
	for _, m := range due {
		l, err := Render(m)
		var msg *gomail.Msg
		if err == nil {
			msg, err = message(m, l, s.Relay.From, now)
		}
		if err != nil {
			// The letter cannot be written (a kind the catalog lost, an
			// address no relay takes): trying again changes nothing.
			if err := s.giveUp(m, now, "unwritable"); err != nil {
				return 0, err
			}
			continue
		}
		msgs, letters = append(msgs, msg), append(letters, m)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	c, err := s.client()
	if err != nil {
		return 0, err
	}
	dial, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := c.DialWithContext(dial); err != nil {
		// No letter was offered, so none was refused: even a permanent
		// reply here (a wrong password, 535) is the relay's or its
		// configuration's, and each letter is put off, until it has
		// waited its longest.
		code, _ := replyCode(err)
		for _, m := range letters {
			if err := s.failed(m, now, code, true, "connect"); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}
	defer c.Close()
	sent := 0
	for i, msg := range msgs {
		m := letters[i]
		if err := c.Send(msg); err != nil {
			code, temp := replyCode(err)
			if code == 0 {
				temp = true // the connection broke: no answer came
			}
			if err := s.failed(m, now, code, temp, "send"); err != nil {
				return sent, err
			}
			continue
		}
		if err := s.Store.MailSent(m.ID); err != nil {
			return sent, err
		}
		s.Log.Info("mail sent", "mail", m.ID.String(), "kind", m.Kind, "attempts", m.Attempts+1)
		sent++
	}
	return sent, nil
}

// replyCode is the SMTP reply code in err (0 when the relay gave none)
// and whether it is transient (4xx).
func replyCode(err error) (int, bool) {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode(), se.ErrorCode()/100 == 4 || (se.ErrorCode() == 0 && se.IsTemp())
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return 0, true
	}
	s := err.Error()
	if len(s) >= 3 && (s[0] == '4' || s[0] == '5') {
		if n, err := strconv.Atoi(s[:3]); err == nil {
			return n, s[0] == '4'
		}
	}
	return 0, false
}

// failed records a failed attempt on m: a permanent refusal (5xx) is given
// up at once, as SMTP means it; a transient one waits its back-off, until
// the letter has waited GiveUp.
func (s *Sender) failed(m store.Mail, now time.Time, code int, temp bool, stage string) error {
	failure := stage
	if code != 0 {
		failure += " " + strconv.Itoa(code)
	}
	b := s.backoff()
	if !temp || now.Sub(m.Queued) >= b.GiveUp {
		return s.giveUp(m, now, failure)
	}
	next := now.Add(b.Delay(m.Attempts + 1))
	s.Log.Warn("mail put off", "mail", m.ID.String(), "kind", m.Kind, "reply", code, "stage", stage,
		"attempts", m.Attempts+1, "next", next.UTC().Format(time.RFC3339))
	return s.Store.MailFailed(m.ID, next, failure)
}

func (s *Sender) giveUp(m store.Mail, now time.Time, failure string) error {
	s.Log.Error("mail given up", "mail", m.ID.String(), "kind", m.Kind, "failure", failure, "attempts", m.Attempts+1)
	return s.Store.MailGaveUp(m.ID, now, failure)
}

// client is a go-mail client for the relay.
func (s *Sender) client() (*gomail.Client, error) {
	host, portText, err := net.SplitHostPort(s.Relay.Addr)
	if err != nil {
		return nil, fmt.Errorf("mail: relay %q: %w", s.Relay.Addr, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("mail: relay port %q: %w", portText, err)
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(sendTimeout)}
	switch s.Relay.TLS {
	case Implicit:
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.Relay.TLSConfig != nil {
		cfg := s.Relay.TLSConfig.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		opts = append(opts, gomail.WithTLSConfig(cfg))
	}
	if s.Relay.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.Relay.User), gomail.WithPassword(s.Relay.Password))
	}
	return gomail.NewClient(host, opts...)
}

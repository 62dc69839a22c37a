package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"dossier/store"
	"dossier/store/storetest"
	"dossier/sync/server/mail"
	"dossier/sync/server/mail/mailtest"
	"dossier/translations"
)

// logBuffer is the sender's log, kept for the test to read.
type logBuffer struct {
	mu gosync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rig is a server store, a relay and a sender between them, on a clock the
// test moves.
type rig struct {
	st     *store.Store
	clock  *storetest.Clock
	relay  *mailtest.Relay
	sender *mail.Sender
	log    *logBuffer
}

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newRig(t *testing.T, implicit bool) *rig {
	t.Helper()
	clock := storetest.NewClock(start)
	sv := storetest.MustServer(t, clock)
	relay := mailtest.Start(t, implicit)
	relay.User, relay.Password = "dossierd", "relay-secret-1"
	tlsMode := mail.StartTLS
	if implicit {
		tlsMode = mail.Implicit
	}
	lb := &logBuffer{}
	r := &rig{st: sv.Store(), clock: clock, relay: relay, log: lb}
	r.sender = &mail.Sender{Store: sv.Store(), Now: clock.Now, Log: slog.New(slog.NewJSONHandler(lb, nil)),
		Relay: mail.Relay{Addr: relay.Addr, From: "no-reply@dossier.test", TLS: tlsMode,
			User: relay.User, Password: relay.Password, TLSConfig: relay.Client}}
	return r
}

func (r *rig) queue(t *testing.T, m store.Mail) {
	t.Helper()
	if err := r.st.Update(func(tx *store.Tx) error { return r.st.QueueMail(tx, r.clock.Now(), m) }); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) send(t *testing.T) int {
	t.Helper()
	n, err := r.sender.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// kinds are every letter in the catalog: each "mail.<kind>.subject".
func kinds(t *testing.T) []string {
	var out []string
	for _, k := range translations.Keys("mail.") {
		if kind, ok := strings.CutSuffix(strings.TrimPrefix(k, "mail."), ".subject"); ok {
			out = append(out, kind)
		}
	}
	if len(out) < 9 {
		t.Fatalf("the catalog has %d letters: %v", len(out), out)
	}
	return out
}

// TestEveryLetterInBothLanguages renders every kind of letter the catalog
// has, in English and French, sends it through a real SMTP relay with
// STARTTLS and authentication, and reads what the relay received: the
// headers, the subject and body in the recipient's language with every
// argument in place and no placeholder left.
func TestEveryLetterInBothLanguages(t *testing.T) {
	r := newRig(t, false)
	type sent struct {
		kind, lang, to, name string
		args                 []string
	}
	var want []sent
	for _, kind := range kinds(t) {
		for _, lang := range translations.Langs {
			i := len(want)
			// As many arguments as the letter takes, and one more that it
			// must not show.
			tr := translations.New(lang)
			var args []string
			for j := range max(tr.Args("mail."+kind+".subject"), tr.Args("mail."+kind+".body")) + 1 {
				args = append(args, fmt.Sprintf("ARG-%d-%d-", i, j))
			}
			s := sent{kind: kind, lang: string(lang), to: fmt.Sprintf("person%d@example.test", i),
				name: fmt.Sprintf("Personne%d Nom%d", i, i), args: args}
			want = append(want, s)
			r.queue(t, store.Mail{To: s.to, Name: s.name, Lang: s.lang, Kind: kind, Args: args})
		}
	}
	if n := r.send(t); n != len(want) {
		t.Fatalf("sent %d letters, want %d", n, len(want))
	}
	got := r.relay.Wait(t, len(want), 10*time.Second)
	byTo := map[string]mailtest.Letter{}
	for _, l := range got {
		if len(l.To) != 1 {
			t.Fatalf("a letter to %d recipients", len(l.To))
		}
		byTo[l.To[0]] = l
	}
	for _, w := range want {
		l, ok := byTo[w.to]
		if !ok {
			t.Errorf("%s in %s: not received", w.kind, w.lang)
			continue
		}
		tr := translations.New(translations.Lang(w.lang))
		name := "mail." + w.kind
		if l.From != "no-reply@dossier.test" {
			t.Errorf("%s: envelope from %q", w.kind, l.From)
		}
		from := l.Header.Get("From")
		if dec, err := decodeHeader(from); err != nil || !strings.Contains(dec, tr.T("mailer.from")) || !strings.Contains(dec, "<no-reply@dossier.test>") {
			t.Errorf("%s in %s: From %q (%q)", w.kind, w.lang, dec, from)
		}
		if to, _ := decodeHeader(l.Header.Get("To")); !strings.Contains(to, w.name) || !strings.Contains(to, w.to) {
			t.Errorf("%s in %s: To %q", w.kind, w.lang, to)
		}
		if got := l.Header.Get("Content-Language"); got != w.lang {
			t.Errorf("%s: Content-Language %q, want %q", w.kind, got, w.lang)
		}
		if d, err := l.Header.Date(); err != nil || !d.Equal(start) {
			t.Errorf("%s: Date %v (%v), want %v", w.kind, d, err, start)
		}
		if id := l.Header.Get("Message-Id"); !strings.HasSuffix(id, "@dossier.test>") {
			t.Errorf("%s: Message-ID %q", w.kind, id)
		}
		if ct := l.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
			t.Errorf("%s: Content-Type %q", w.kind, ct)
		}
		subjectArgs, bodyArgs := tr.Args(name+".subject"), tr.Args(name+".body")
		if wantSubject := tr.T(name+".subject", anys(w.args[:subjectArgs])...); l.Subject != wantSubject {
			t.Errorf("%s in %s: subject %q, want %q", w.kind, w.lang, l.Subject, wantSubject)
		}
		for _, part := range []string{tr.T("mailer.greeting", w.name), tr.T(name+".body", anys(w.args[:bodyArgs])...), tr.T("mailer.footer")} {
			if !strings.Contains(l.Body, part) {
				t.Errorf("%s in %s: the body lacks %q:\n%s", w.kind, w.lang, part, l.Body)
			}
		}
		for i, a := range w.args {
			if i < bodyArgs != strings.Contains(l.Body, a) {
				t.Errorf("%s in %s: argument %d (%q) in the body: %v", w.kind, w.lang, i+1, a, !(i < bodyArgs))
			}
		}
		if strings.Contains(l.Subject+l.Body, "%!") || strings.Contains(l.Subject+l.Body, "{") {
			t.Errorf("%s in %s: a placeholder left: %q %q", w.kind, w.lang, l.Subject, l.Body)
		}
		// The letter is in its language: the French one is not the
		// English one.
		if w.lang == string(translations.French) && tr.T(name+".body", anys(w.args)...) == translations.New(translations.English).T(name+".body", anys(w.args)...) {
			t.Errorf("%s: the French body is the English one", w.kind)
		}
	}
	if n, err := r.st.MailWaiting(); err != nil || n != 0 {
		t.Errorf("waiting after sending: %d, %v", n, err)
	}
	assertLogClean(t, r.log.String(), want[0].to, want[0].name, "person", "Personne", "ARG-")
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// TestImplicitTLS sends over TLS from the first byte (port 465's way).
func TestImplicitTLS(t *testing.T) {
	r := newRig(t, true)
	r.queue(t, store.Mail{To: "a@example.test", Name: "A B", Lang: "fr-CA", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	if n := r.send(t); n != 1 {
		t.Fatalf("sent %d", n)
	}
	l := r.relay.Wait(t, 1, 5*time.Second)[0]
	if !strings.Contains(l.Subject, "JOID-1234567") || l.Header.Get("Content-Language") != "fr-CA" {
		t.Errorf("received %q %q", l.Subject, l.Header.Get("Content-Language"))
	}
}

// TestTransientThenAccepted: a relay that answers 451 (try later) gets the
// letter again after its back-off, and receives it once.
func TestTransientThenAccepted(t *testing.T) {
	r := newRig(t, false)
	r.relay.Answer(func(n int) *smtp.SMTPError {
		if n == 1 {
			return mailtest.Reply(451)
		}
		return nil
	})
	r.queue(t, store.Mail{To: "a@example.test", Name: "A B", Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	if n := r.send(t); n != 0 {
		t.Fatalf("sent %d on a 451", n)
	}
	all, _ := r.st.MailOutbox()
	if len(all) != 1 || all[0].Attempts != 1 || !all[0].GaveUp.IsZero() || all[0].Failure != "send 451" ||
		!all[0].Next.Equal(start.Add(mail.DefaultBackoff.First)) {
		t.Fatalf("after a 451: %+v", all)
	}
	// Before the back-off has passed, nothing is tried.
	r.clock.Add(mail.DefaultBackoff.First - time.Second)
	if n := r.send(t); n != 0 || r.relay.Offered() != 1 {
		t.Fatalf("tried again before the back-off: sent %d, offered %d", n, r.relay.Offered())
	}
	r.clock.Add(time.Second)
	if n := r.send(t); n != 1 {
		t.Fatalf("sent %d after the back-off", n)
	}
	if got := r.relay.Wait(t, 1, 5*time.Second); len(got) != 1 || r.relay.Offered() != 2 {
		t.Fatalf("received %d, offered %d", len(got), r.relay.Offered())
	}
	if n := r.send(t); n != 0 || len(r.relay.Letters()) != 1 {
		t.Fatalf("sent again: %d", n)
	}
	if !strings.Contains(r.log.String(), `"reply":451`) {
		t.Errorf("the log does not give the reply code: %s", r.log.String())
	}
	assertLogClean(t, r.log.String(), "a@example.test", "A B", "JOID-1234567")
}

// TestPermanentRefusal: a 550 is not tried again; the letter stays in the
// outbox marked given up, for the operator, and no longer counts as
// waiting.
func TestPermanentRefusal(t *testing.T) {
	r := newRig(t, false)
	r.relay.Answer(func(int) *smtp.SMTPError { return mailtest.Reply(550) })
	r.queue(t, store.Mail{To: "gone@example.test", Name: "A B", Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	r.send(t)
	for range 3 {
		r.clock.Add(24 * time.Hour)
		r.send(t)
	}
	if r.relay.Offered() != 1 {
		t.Fatalf("a 550 was offered %d times", r.relay.Offered())
	}
	all, _ := r.st.MailOutbox()
	if len(all) != 1 || all[0].GaveUp.IsZero() || all[0].Failure != "send 550" {
		t.Fatalf("outbox after a 550: %+v", all)
	}
	if n, _ := r.st.MailWaiting(); n != 0 {
		t.Errorf("waiting: %d", n)
	}
}

// TestGivesUpAfterDays: a relay that keeps answering 451 is tried with a
// growing, capped back-off, and given up after DefaultBackoff.GiveUp.
func TestGivesUpAfterDays(t *testing.T) {
	r := newRig(t, false)
	r.relay.Answer(func(int) *smtp.SMTPError { return mailtest.Reply(421) })
	r.queue(t, store.Mail{To: "a@example.test", Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	b := mail.DefaultBackoff
	for i := 0; i < 200; i++ {
		r.send(t)
		all, _ := r.st.MailOutbox()
		if !all[0].GaveUp.IsZero() {
			break
		}
		if d := all[0].Next.Sub(r.clock.Now()); d > b.Cap || d <= 0 {
			t.Fatalf("back-off %v after %d attempts", d, all[0].Attempts)
		}
		r.clock.Set(all[0].Next)
	}
	all, _ := r.st.MailOutbox()
	if all[0].GaveUp.IsZero() || all[0].GaveUp.Sub(start) < b.GiveUp || all[0].GaveUp.Sub(start) > b.GiveUp+b.Cap {
		t.Fatalf("given up at %v after %d attempts", all[0].GaveUp, all[0].Attempts)
	}
	if got := b.Delay(1); got != b.First {
		t.Errorf("first delay %v", got)
	}
	if got := b.Delay(3); got != 4*b.First {
		t.Errorf("third delay %v", got)
	}
}

// TestRelayDownWaits: with no relay listening, the letter waits (no
// attempt is lost), and goes once the relay is back.
func TestRelayDownWaits(t *testing.T) {
	r := newRig(t, false)
	relay := r.sender.Relay.Addr
	r.sender.Relay.Addr = "127.0.0.1:1"
	r.queue(t, store.Mail{To: "a@example.test", Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	r.send(t)
	all, _ := r.st.MailOutbox()
	if len(all) != 1 || !all[0].GaveUp.IsZero() || all[0].Failure != "connect" {
		t.Fatalf("relay down: %+v", all)
	}
	r.sender.Relay.Addr = relay
	r.clock.Add(time.Hour)
	if n := r.send(t); n != 1 {
		t.Fatalf("sent %d once the relay is back", n)
	}
}

// TestRunWakesOnTheBell: a running sender sends a letter as soon as it is
// queued, without waiting for its timer.
func TestRunWakesOnTheBell(t *testing.T) {
	r := newRig(t, false)
	r.sender.Every = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.sender.Run(ctx) }()
	defer func() { cancel(); <-done }()
	time.Sleep(50 * time.Millisecond)
	r.queue(t, store.Mail{To: "a@example.test", Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	r.relay.Wait(t, 1, 5*time.Second)
}

// TestRestartSendsWhatWaits: letters queued by a server that stopped
// before sending them are sent by the next start (the outbox is in the
// store, not in memory).
func TestRestartSendsWhatWaits(t *testing.T) {
	clock := storetest.NewClock(start)
	dir := t.TempDir()
	sv, err := store.OpenServer(dir, store.ServerOptions{Store: storetest.Options(clock)})
	if err != nil {
		t.Fatal(err)
	}
	st := sv.Store()
	for i := range 3 {
		m := store.Mail{To: fmt.Sprintf("p%d@example.test", i), Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}}
		if err := st.Update(func(tx *store.Tx) error { return st.QueueMail(tx, clock.Now(), m) }); err != nil {
			t.Fatal(err)
		}
	}
	sv.Close()
	sv, err = store.OpenServer(dir, store.ServerOptions{Store: storetest.Options(clock)})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if n, _ := sv.Store().MailWaiting(); n != 3 {
		t.Fatalf("waiting after the restart: %d", n)
	}
	relay := mailtest.Start(t, false)
	s := &mail.Sender{Store: sv.Store(), Now: clock.Now, Log: slog.New(slog.DiscardHandler),
		Relay: mail.Relay{Addr: relay.Addr, From: "no-reply@dossier.test", TLS: mail.StartTLS, TLSConfig: relay.Client}}
	if n, err := s.SendDue(context.Background()); err != nil || n != 3 {
		t.Fatalf("sent %d, %v", n, err)
	}
	relay.Wait(t, 3, 5*time.Second)
}

// TestRelayCertificateChecked: the relay's certificate is checked; one the
// sender cannot trust gets no letter (it waits).
func TestRelayCertificateChecked(t *testing.T) {
	r := newRig(t, false)
	r.sender.Relay.TLSConfig = nil // the system's roots do not know the relay's certificate
	r.queue(t, store.Mail{To: "a@example.test", Lang: "en", Kind: "oinp.decided", Args: []string{"JOID-1234567"}})
	if n := r.send(t); n != 0 || r.relay.Offered() != 0 {
		t.Fatalf("sent %d to a relay whose certificate is unknown", n)
	}
}

func assertLogClean(t *testing.T, log string, secrets ...string) {
	t.Helper()
	if log == "" {
		t.Fatal("the sender logged nothing")
	}
	for _, s := range append(secrets, "@example.test", "relay-secret-1") {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q:\n%s", s, log)
		}
	}
}

func decodeHeader(h string) (string, error) { return new(mime.WordDecoder).DecodeHeader(h) }

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync/server/mail/mailtest"
)

// queueLetters files letters in the server's outbox at dir, as the
// server's own steps do, while no dossierd runs.
func queueLetters(t *testing.T, dir string, letters ...store.Mail) {
	t.Helper()
	m := &Main{Getenv: func(string) string { return "" }}
	sv, err := m.openStore(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	st := sv.Store().Engine()
	for _, l := range letters {
		if err := st.Update(func(tx *store.Tx) error { return st.QueueMail(tx, st.Now(), l) }); err != nil {
			t.Fatal(err)
		}
	}
}

// serveFor runs dossierd serve with args until stop is closed, and
// returns its exit code and log.
func serveFor(t *testing.T, m *Main, args []string, while func()) (int, string) {
	t.Helper()
	var logs bytes.Buffer
	ready, stop := make(chan string, 1), make(chan struct{})
	m.Stdout, m.Stderr, m.Ready, m.Stop, m.secrets = &bytes.Buffer{}, &logs, ready, stop, account.TestSecretParams
	served := make(chan int, 1)
	go func() { served <- m.Run(append([]string{"serve", "--addr", "127.0.0.1:0", "--lang", "en"}, args...)) }()
	select {
	case <-ready:
	case code := <-served:
		return code, logs.String()
	case <-time.After(20 * time.Second):
		t.Fatal("dossierd did not start")
	}
	while()
	close(stop)
	select {
	case code := <-served:
		return code, logs.String()
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful stop")
	}
	return 0, ""
}

// TestServeSendsTheOutbox: letters waiting in the store when dossierd
// starts go to the relay its flags name (STARTTLS, a user whose password
// comes from the environment, never the command line); the log says how
// many waited and names no one.
func TestServeSendsTheOutbox(t *testing.T) {
	dir := t.TempDir()
	queueLetters(t, dir,
		store.Mail{To: "elodie@example.ca", Name: "Élodie Côté", Lang: "fr-CA", Kind: "oinp.decided", Args: []string{"JOID-7654321"}},
		store.Mail{To: "brandon@example.ca", Name: "Brandon Smith", Lang: "en", Kind: "request.expired", Args: []string{"Collège Boréal"}})
	relay := mailtest.Start(t, false)
	relay.User, relay.Password = "dossierd", "relay-pass-7"
	m := &Main{Getenv: func(k string) string {
		if k == smtpPasswordEnv {
			return "relay-pass-7"
		}
		return ""
	}, mailTLS: relay.Client}
	code, log := serveFor(t, m, []string{"--data", dir, "--smtp", relay.Addr, "--smtp-from", "no-reply@dossier.test",
		"--smtp-user", "dossierd"}, func() { relay.Wait(t, 2, 15*time.Second) })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	for _, l := range relay.Letters() {
		switch l.To[0] {
		case "elodie@example.ca":
			if !strings.Contains(l.Subject, "JOID-7654321") || l.Header.Get("Content-Language") != "fr-CA" {
				t.Errorf("Élodie's letter: %q %q", l.Subject, l.Header.Get("Content-Language"))
			}
		case "brandon@example.ca":
			if !strings.Contains(l.Body, "Collège Boréal") || l.Header.Get("Content-Language") != "en" {
				t.Errorf("Brandon's letter: %q", l.Body)
			}
		default:
			t.Errorf("a letter to %v", l.To)
		}
	}
	if !strings.Contains(log, `"waiting":2`) || !strings.Contains(log, `"mail sent"`) {
		t.Errorf("the log does not say what waited and went:\n%s", log)
	}
	for _, s := range []string{"example.ca", "Élodie", "Brandon", "JOID", "relay-pass-7"} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q", s)
		}
	}
	// Sent letters leave the outbox.
	var out bytes.Buffer
	am := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := am.Run([]string{"admin", "mail", "--data", dir, "--lang", "en"}); code != 0 || !strings.Contains(out.String(), "empty") {
		t.Errorf("admin mail after sending: %d %s", code, out.String())
	}
}

// TestServeWithoutRelay: with no --smtp, dossierd serves, says in one log
// line that letters wait and how many, and keeps them; dossierd admin
// mail lists them by kind, without address, name or content.
func TestServeWithoutRelay(t *testing.T) {
	dir := t.TempDir()
	queueLetters(t, dir, store.Mail{To: "elodie@example.ca", Name: "Élodie Côté", Lang: "fr-CA", Kind: "oinp.decided",
		Args: []string{"JOID-7654321"}})
	code, log := serveFor(t, &Main{Getenv: func(string) string { return "" }}, []string{"--data", dir}, func() {})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	if strings.Count(log, "no SMTP relay configured") != 1 || !strings.Contains(log, `"waiting":1`) {
		t.Fatalf("the log does not say the letters wait:\n%s", log)
	}
	var out bytes.Buffer
	am := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := am.Run([]string{"admin", "mail", "--data", dir, "--lang", "en"}); code != 0 {
		t.Fatalf("admin mail: %d %s", code, out.String())
	}
	if !strings.Contains(out.String(), "oinp.decided") || strings.Count(strings.TrimSpace(out.String()), "\n") != 0 {
		t.Errorf("admin mail lists %q", out.String())
	}
	for _, s := range []string{"example.ca", "Élodie", "JOID"} {
		if strings.Contains(out.String(), s) {
			t.Errorf("admin mail shows %q", s)
		}
	}
	sv, err := programs.OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if n, _ := sv.Store().Engine().MailWaiting(); n != 1 {
		t.Errorf("waiting after a serve with no relay: %d", n)
	}
}

// TestServeSMTPFlags: a relay with no sender address, a TLS mode that
// does not exist, or a user with no password is refused before serving;
// the password is read from the file --smtp-password-file names.
func TestServeSMTPFlags(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		ok   bool
	}{
		{"no from", []string{"--smtp", "127.0.0.1:25"}, false},
		{"bad tls", []string{"--smtp", "127.0.0.1:25", "--smtp-from", "a@b.test", "--smtp-tls", "sometimes"}, false},
		{"user without password", []string{"--smtp", "127.0.0.1:25", "--smtp-from", "a@b.test", "--smtp-user", "u"}, false},
		{"password from file", []string{"--smtp", "127.0.0.1:25", "--smtp-from", "a@b.test", "--smtp-user", "u", "--smtp-password-file", pwFile}, true},
	} {
		m := &Main{Getenv: func(string) string { return "" }}
		r, on, err := m.relay(parseMailFlags(t, c.args))
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.ok && (!on || r.Password != "from-file") {
			t.Errorf("%s: relay %v, password %q", c.name, on, r.Password)
		}
	}
}

func parseMailFlags(t *testing.T, args []string) mailFlags {
	t.Helper()
	fs := cli.NewFlags("serve")
	f := addMailFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f
}

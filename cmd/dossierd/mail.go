package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"strings"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/store/programs"
	"dossier/sync/server/mail"
)

// smtpPasswordEnv holds the relay's password when --smtp-password-file
// does not name a file: never on the command line, where every user of
// the machine reads it.
const smtpPasswordEnv = "DOSSIERD_SMTP_PASSWORD"

// mailFlags are serve's flags for the SMTP relay.
type mailFlags struct {
	addr, from, tls, user, passwordFile *string
}

func addMailFlags(fs *flag.FlagSet) mailFlags {
	return mailFlags{
		addr:         fs.String("smtp", "", ""),
		from:         fs.String("smtp-from", "", ""),
		tls:          fs.String("smtp-tls", string(mail.StartTLS), ""),
		user:         fs.String("smtp-user", "", ""),
		passwordFile: fs.String("smtp-password-file", "", ""),
	}
}

// relay reads the flags: ok is false when no relay is configured (no
// --smtp), and the letters then wait in the outbox.
func (m *Main) relay(f mailFlags) (r mail.Relay, ok bool, err error) {
	if *f.addr == "" {
		return mail.Relay{}, false, nil
	}
	t, err := mail.ParseTLS(*f.tls)
	if err != nil {
		return r, false, cli.Bad("cli.flag.value", "--smtp-tls")
	}
	if *f.from == "" || !strings.Contains(*f.from, "@") {
		return r, false, cli.Bad("cli.flag.required", "smtp-from")
	}
	r = mail.Relay{Addr: *f.addr, From: *f.from, TLS: t, User: *f.user, TLSConfig: m.mailTLS}
	if r.User != "" {
		switch {
		case *f.passwordFile != "":
			b, err := os.ReadFile(*f.passwordFile)
			if err != nil {
				return r, false, cli.Failure{Key: "cli.file.open", Args: []any{*f.passwordFile}}
			}
			r.Password = strings.TrimRight(string(b), "\r\n")
		default:
			r.Password = m.Getenv(smtpPasswordEnv)
		}
		if r.Password == "" {
			return r, false, cli.Bad("dossierd.smtp.password")
		}
	}
	return r, true, nil
}

// sendMail runs the sender until ctx ends; with no relay it only says, in
// one log line, how many letters wait.
func sendMail(ctx context.Context, sv programs.Server, r mail.Relay, configured bool, log *slog.Logger) {
	waiting, err := sv.Store().MailWaiting()
	if err != nil {
		log.Error("mail", "err", err.Error())
	}
	if !configured {
		log.Warn("mail: no SMTP relay configured (--smtp): letters wait in the outbox", "waiting", waiting)
		return
	}
	log.Info("mail", "relay", r.Addr, "tls", string(r.TLS), "waiting", waiting)
	s := &mail.Sender{Store: sv.Store().Engine(), Relay: r, Log: log, Now: time.Now}
	s.Run(ctx)
}

// listMail prints the outbox for the operator: each letter's kind, age,
// attempts and the relay's last answer, and whether the sender gave it
// up; never its address or content.
func (m *Main) listMail(sv programs.Server) error {
	all, err := sv.Store().MailOutbox()
	if err != nil {
		return err
	}
	now := time.Now()
	for _, l := range all {
		age := now.Sub(l.Queued).Truncate(time.Minute).String()
		failure := l.Failure
		if failure == "" {
			failure = "-"
		}
		if l.GaveUp.IsZero() {
			m.say("dossierd.mail.waiting", l.ID.String(), l.Kind, age, l.Attempts, failure)
		} else {
			m.say("dossierd.mail.given-up", l.ID.String(), l.Kind, age, l.Attempts, failure)
		}
	}
	if len(all) == 0 {
		m.say("dossierd.mail.none")
	}
	return nil
}

// remindEvery is how often dossierd looks for deadlines to remind people
// of: a reminder is due on a day, and each is sent once.
const remindEvery = time.Hour

// remind queues the reminders of the deadlines near on the server's day
// (applications.Server.RemindDeadlines), at start and then every
// interval, until ctx ends. The log holds counts only.
func remind(ctx context.Context, sv programs.Server, log *slog.Logger, every time.Duration) {
	run := func() {
		n, err := sv.RemindDeadlines(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("reminders", "err", err.Error())
		}
		if n > 0 {
			log.Info("reminders", "queued", n)
		}
	}
	repeat(ctx, every, run)
}

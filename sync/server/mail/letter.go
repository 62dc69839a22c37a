package mail

import (
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"dossier/store"
	"dossier/translations"
)

// Letter is a Mail rendered in its recipient's language: what the relay
// receives.
type Letter struct {
	Subject string
	Body    string
}

// Render writes m in its language from the catalog: the subject is
// "mail.<kind>.subject", the body a greeting with the recipient's name,
// "mail.<kind>.body" and the footer. Args go to each message in order,
// each message taking as many as it names. A kind the catalog does not
// know is an error: the letter cannot be written.
func Render(m store.Mail) (Letter, error) {
	tr := translations.New(translations.Lang(m.Lang))
	subject, body := "mail."+m.Kind+".subject", "mail."+m.Kind+".body"
	if !tr.Has(subject) || !tr.Has(body) {
		return Letter{}, fmt.Errorf("mail: no letter %q in the catalog", m.Kind)
	}
	var b strings.Builder
	if name := strings.TrimSpace(m.Name); name != "" {
		b.WriteString(tr.T("mailer.greeting", name))
		b.WriteString("\n\n")
	}
	b.WriteString(tr.T(body, args(tr, body, m.Args)...))
	b.WriteString("\n\n-- \n")
	b.WriteString(tr.T("mailer.footer"))
	b.WriteString("\n")
	return Letter{Subject: tr.T(subject, args(tr, subject, m.Args)...), Body: b.String()}, nil
}

// args are the first of values that the message key names.
func args(tr *translations.Translator, key string, values []string) []any {
	n := min(tr.Args(key), len(values))
	out := make([]any, n)
	for i := range n {
		out[i] = values[i]
	}
	return out
}

// message is m as the relay receives it, from the address from with the
// program's name in the recipient's language, dated now. Its Message-ID
// is the letter's own ID, so that a letter sent again after a crash (the
// relay had taken it, the outbox did not yet know) is the same message to
// the receiving side.
func message(m store.Mail, l Letter, from string, now time.Time) (*gomail.Msg, error) {
	tr := translations.New(translations.Lang(m.Lang))
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(tr.T("mailer.from"), from); err != nil {
		return nil, fmt.Errorf("mail: the sender's address: %w", err)
	}
	if err := msg.AddToFormat(strings.TrimSpace(m.Name), m.To); err != nil {
		return nil, errBadAddress
	}
	msg.Subject(l.Subject)
	msg.SetDateWithValue(now)
	domain := from[strings.LastIndexByte(from, '@')+1:]
	msg.SetMessageIDWithValue(m.ID.String() + "@" + domain)
	msg.SetGenHeader(gomail.HeaderContentLang, string(tr.Lang()))
	msg.SetBodyString(gomail.TypeTextPlain, l.Body)
	return msg, nil
}

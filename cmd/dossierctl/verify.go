package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/report"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
)

// verify checks a printed document's code: the server (or, offline, the
// profile's own record of what it printed) says what the document was
// issued for; with --text (the document's words, as pdftotext -layout or
// a person gives them, or the PDF itself) it says Genuine only when every
// line of the copy is the document's as printed, and otherwise which
// lines differ. Exit 0 genuine, 1 not.
func (m *Main) verify(args []string) error {
	fs := cli.NewFlags("verify")
	server := fs.String("server", "", "")
	fingerprint := fs.String("fingerprint", "", "")
	data := fs.String("data", "", "")
	textPath := fs.String("text", "", "")
	codes, rest := cli.Operands(fs, args)
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}
	if len(codes) != 1 || (*server == "") == (*data == "") {
		return cli.Bad("cli.verify.usage")
	}
	code, err := printcode.ParseCode(codes[0])
	if err != nil {
		return err
	}
	var text string
	if *textPath != "" {
		if text, err = m.readText(*textPath); err != nil {
			return err
		}
	}
	p, err := m.lookUp(code, *server, *fingerprint, *data)
	if err != nil {
		return err
	}
	title, day := m.tr.T(report.TitleKey(p.Kind)), m.tr.Date(p.Printed)
	if *textPath != "" && len(p.Lines) > 0 {
		if c := printcode.CompareText(p.Kind, p.Code, p.Lines, text); !c.Genuine() {
			m.textDiffers(title, day, c)
			return domain.FieldError(printcode.ErrCodeFalse, "text")
		}
	}
	fmt.Fprintln(m.Stdout, m.tr.T("cli.verify.genuine", title, day))
	for _, f := range p.Facts {
		fmt.Fprintln(m.Stdout, "  "+m.tr.T("print.fact.line", m.tr.T(report.FactKey(f.Name)), f.Value))
	}
	switch {
	case *textPath == "":
	case len(p.Lines) == 0:
		fmt.Fprintln(m.Stdout, m.tr.T("cli.verify.facts-only"))
	default:
		fmt.Fprintln(m.Stdout, m.tr.T("cli.verify.text"))
	}
	return nil
}

// textDiffers says which lines of a copy are not the document's.
func (m *Main) textDiffers(title, day string, c printcode.TextCheck) {
	fmt.Fprintln(m.Stdout, m.tr.T("cli.verify.differs", title, day))
	for _, l := range c.Changed {
		fmt.Fprintln(m.Stdout, "  "+m.tr.T("cli.verify.changed", m.tr.Number(l.N), l.Text))
	}
	if c.Missing > 0 {
		after := make([]string, len(c.MissingAfter))
		for i, n := range c.MissingAfter {
			after[i] = m.tr.Number(n)
		}
		fmt.Fprintln(m.Stdout, "  "+m.tr.T("cli.verify.missing", strings.Join(after, ", "), m.tr.Number(c.Missing)))
	}
}

// readText reads the copy to check: a file of its words, or the PDF
// itself (PDFText), or the standard input for "-".
func (m *Main) readText(path string) (string, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(m.Stdin, 64<<20))
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", cli.Failure{Key: "cli.file.open", Args: []any{path}}
	}
	if bytes.HasPrefix(b, []byte("%PDF-")) {
		return report.PDFText(b)
	}
	return string(b), nil
}

// lookUp asks the server, or the profile: its server when it is connected
// and reachable, else its own record.
func (m *Main) lookUp(code, server, fingerprint, data string) (sync.Printed, error) {
	ctx := context.Background()
	if server != "" {
		return client.VerifyAt(ctx, server, fingerprint, code)
	}
	pw, err := m.password(false)
	if err != nil {
		return sync.Printed{}, err
	}
	s, err := programs.Open(store.ProfilePath(data), pw, store.Options{})
	if err != nil {
		return sync.Printed{}, err
	}
	defer s.Close()
	if c, err := client.Open(s); err == nil && c != nil {
		p, err := c.Verify(ctx, code)
		if domain.ErrorCode(err) != sync.ErrOffline {
			return p, err
		}
	}
	p, err := s.Verify(code)
	return p.Wire(), err
}

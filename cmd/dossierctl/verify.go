package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/report"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
	"dossier/translations"
)

// verify checks a printed document's code: the server (or, offline, the
// profile's own record of what it printed) says what the document was
// issued for; with --text (the document's words, as pdftotext or a
// person gives them) it also says whether the copy in hand still states
// every one of those facts. Exit 0 genuine, 1 not.
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
	var text []byte
	if *textPath != "" {
		if text, err = m.readText(*textPath); err != nil {
			return err
		}
	}
	p, err := m.lookUp(code, *server, *fingerprint, *data)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.tr.T("cli.verify.genuine", m.tr.T(report.TitleKey(p.Kind)), m.tr.Date(p.Printed)))
	for _, f := range p.Facts {
		fmt.Fprintln(m.Stdout, "  "+m.tr.T("print.fact.line", m.tr.T(report.FactKey(f.Name)), report.FactValue(m.tr, f)))
	}
	if text == nil {
		return nil
	}
	if err := checkText(p.Facts, string(text)); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.tr.T("cli.verify.text"))
	return nil
}

// checkText is printcode.CheckText of the facts as the document shows
// them (amounts in dollars), in whichever language it was printed.
func checkText(facts []printcode.Fact, text string) error {
	var err error
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		tr := translations.New(lang)
		shown := make([]printcode.Fact, len(facts))
		for i, f := range facts {
			shown[i] = printcode.Fact{Name: f.Name, Value: report.FactValue(tr, f)}
		}
		if err = printcode.CheckText(shown, text); err == nil {
			return nil
		}
	}
	return err
}

func (m *Main) readText(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(m.Stdin, 16<<20))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, cli.Failure{Key: "cli.file.open", Args: []any{path}}
	}
	return b, nil
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
	return sync.Printed{Code: p.Code, Kind: p.Kind, Facts: p.Facts, Printed: p.Printed}, err
}

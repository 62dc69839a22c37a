package main

import (
	"encoding/hex"
	"fmt"
	"os"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/store"
	"dossier/store/programs"
)

// audit checks a profile's audit trail, chained entry to entry: exit 0
// when intact, 1 when broken, with the first break in words.
//
//	dossierctl audit verify --data DIR
func (m *Main) audit(args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return cli.Bad("cli.audit.usage")
	}
	fs := cli.NewFlags("audit verify")
	data := fs.String("data", "", "")
	if err := cli.Parse(fs, args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return cli.Bad("cli.flag.required", "--data")
	}
	if _, err := os.Stat(store.ProfilePath(*data)); err != nil {
		return domain.Errorf(store.ErrNoProfile)
	}
	pw, err := m.password(false)
	if err != nil {
		return err
	}
	s, err := programs.Open(store.ProfilePath(*data), pw, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.VerifyAudit()
	if store.AuditBroken(err) {
		fmt.Fprintln(m.Stdout, m.tr.T("cli.audit.broken", r.Entries))
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.tr.T("cli.audit.intact", r.Entries))
	if r.Entries > 0 {
		fmt.Fprintln(m.Stdout, m.tr.T("cli.audit.link", r.Last, hex.EncodeToString(r.Link[:])))
	}
	return nil
}

package main

import (
	"encoding/hex"
	"errors"
	"log/slog"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/store"
	"dossier/store/programs"
)

// auditVerify checks the server's audit trail (dossierd admin
// audit-verify): exit 0 intact, 1 broken, with the first break in words.
func (m *Main) auditVerify(sv programs.Server) error {
	r, err := sv.VerifyAudit()
	if store.AuditBroken(err) {
		m.say("cli.audit.broken", r.Entries)
		return err
	}
	if err != nil {
		return err
	}
	m.say("cli.audit.intact", r.Entries)
	if r.Entries > 0 {
		m.say("cli.audit.link", r.Last, hex.EncodeToString(r.Link[:]))
	}
	return nil
}

// auditOf prints the audit history of the account with the given user ID
// (dossierd admin audit): when, what, by which role and account, on which
// record, with its coded note. Entries hold IDs and codes, never names.
// The reading is itself recorded in the trail.
func (m *Main) auditOf(sv programs.Server, user string) error {
	if user == "" {
		return cli.Bad("cli.flag.required", "--user")
	}
	id, entries, err := sv.AuditOfUser(user)
	if errors.Is(err, store.ErrNotFound) {
		return cli.Failure{Key: "dossierd.audit.no-user", Args: []any{user}}
	}
	if err != nil {
		return err
	}
	m.say("dossierd.audit.header", user, id, len(entries))
	for _, e := range entries {
		m.say("dossierd.audit.line", e.At.UTC().Format("2006-01-02 15:04:05.000Z"), e.Action, e.Role,
			orDash(e.Actor), orDash(e.Entity), orNone(e.Detail))
	}
	return nil
}

func orDash(id domain.ID) string {
	if id.IsZero() {
		return "—"
	}
	return id.String()
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// checkAudit checks the trail as dossierd starts and logs what it found:
// the count and the head's link (to note elsewhere) when intact. A broken
// trail is said loudly, in the log and on the console, but the server
// starts: the record it serves is intact (each value is authenticated on
// its own), schools and students have deadlines that an outage would
// make them miss, and refusing to start would hand whoever can delete one
// entry a way to stop the program. The break cannot heal meanwhile: new
// entries chain on from the head the store holds, so every later check
// still reports it. A failure to read the trail at all is an error.
func (m *Main) checkAudit(sv programs.Server, log *slog.Logger) error {
	r, err := sv.VerifyAudit()
	switch {
	case store.AuditBroken(err):
		log.Error("audit", "broken", string(domain.ErrorCode(err)), "entry", r.Broken.String(), "checked", r.Entries)
		m.say("dossierd.audit.broken-start", m.tr.Error(err))
		return nil
	case err != nil:
		return err
	}
	log.Info("audit", "entries", r.Entries, "head", r.Last.String(), "link", hex.EncodeToString(r.Link[:]))
	return nil
}

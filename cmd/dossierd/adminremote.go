package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
)

// Admin steps while the server runs. The bbolt store is one file that
// one program opens at a time, so while dossierd serve holds it an admin
// step that changes data goes through the server's API instead (--server):
// it signs a program officer in on a throwaway desk, which pulls what an
// officer's desk holds, makes the change as the program's desk does (the
// same command, journalled in the desk's outbox) and pushes it; the server
// decides with the same rules as for any officer's desk, and a refusal is
// reported with its code. On PostgreSQL (--db) every admin step opens the
// database itself and runs beside the server, each in its own
// transactions.
//
// adminSteps is the table of the admin subcommands that change data and
// can run through the API: each reads its own flags and gives its step on
// the store (local) and on an officer's desk (remote). A new subcommand
// joins by adding its entry.
var adminSteps = map[string]func(m *Main, fs *flag.FlagSet) adminStep{
	"add-school": (*Main).addSchoolStep,
	"issue-pin":  (*Main).issuePINStep,
	"settings":   (*Main).settingsStep,
	"notice":     (*Main).noticeStep,
	// The accounts the program makes: their credential comes as for
	// create-program (DOSSIERD_ADMIN_PASSWORD or the terminal, and the
	// questions and answers on standard input).
	"add-program-officer": staffStep(account.ProgramOfficer),
	"create-coordinator":  staffStep(account.Coordinator),
}

// adminStep is one subcommand's step, on the store itself (local, the
// server stopped or on PostgreSQL) and through a running server (remote).
type adminStep struct {
	local  func(programs.Server) error
	remote func(d *officerDesk) (done func(), err error)
}

// needsStop lists the steps that cannot run while the server runs, with
// why (the message dossierd.admin.stop.<name>).
var needsStop = map[string]bool{"restore": true, "new-epoch": true, "demo": true}

// doneByServe lists the steps a running server does itself, with how
// (the message dossierd.admin.served.<name>): nothing to run while it
// serves.
var doneByServe = map[string]bool{"populate-compliance": true}

// officerDesk is a program officer signed in on a throwaway desk.
type officerDesk struct {
	st programs.Desk
	by account.Actor
}

// remoteFlags are the flags of a step through the API.
type remoteFlags struct {
	server, user, fingerprint, passwordFile, answerFile *string
}

func addRemoteFlags(fs *flag.FlagSet) remoteFlags {
	r := remoteFlags{server: fs.String("server", "", ""), fingerprint: fs.String("fingerprint", "", ""),
		passwordFile: fs.String("password-file", "", ""), answerFile: fs.String("answer-file", "", "")}
	if fs.Lookup("user") == nil {
		r.user = fs.String("user", "", "")
	} else {
		r.user = new(string)
	}
	return r
}

// runRemote runs step through the server at f.server as the officer
// f.user, whose password comes from f.passwordFile, DOSSIERD_ADMIN_PASSWORD
// or the terminal.
func (m *Main) runRemote(name string, f remoteFlags, step func(d *officerDesk) (func(), error)) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, c, acct, done, err := m.signInOfficer(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	if _, err := c.Pull(ctx, 0); err != nil {
		return err
	}
	d := &officerDesk{st: st, by: acct.Actor()}
	said, err := step(d)
	if err != nil {
		return err
	}
	if _, err := c.Push(ctx); err != nil {
		return err
	}
	if err := refusal(st, d.by); err != nil {
		return err
	}
	if out, err := st.Outbox(10); err != nil || len(out) > 0 {
		return cli.Failure{Key: "dossierd.admin.not-sent", Args: []any{name}}
	}
	said()
	return nil
}

// signInOfficer signs the officer f.user in on a throwaway desk
// connected to the server at f.server; done closes and removes the desk.
// The officer's password comes from f.passwordFile,
// DOSSIERD_OFFICER_PASSWORD or the terminal.
func (m *Main) signInOfficer(ctx context.Context, f remoteFlags) (programs.Desk, *client.Client, store.Account, func(), error) {
	var st programs.Desk
	var acct store.Account
	if *f.user == "" {
		return st, nil, acct, nil, cli.Bad("cli.flag.required", "--user")
	}
	pw, err := m.officerPassword(*f.passwordFile)
	if err != nil {
		return st, nil, acct, nil, err
	}
	dir, err := os.MkdirTemp("", "dossierd-admin-")
	if err != nil {
		return st, nil, acct, nil, domain.Wrap(store.ErrStorage, err)
	}
	fail := func(err error) (programs.Desk, *client.Client, store.Account, func(), error) {
		if st.Engine() != nil {
			st.Close()
		}
		os.RemoveAll(dir)
		return programs.Desk{}, nil, acct, nil, err
	}
	key := make([]byte, 24)
	if _, err := rand.Read(key); err != nil {
		return fail(domain.Wrap(store.ErrStorage, err))
	}
	st, err = programs.Create(filepath.Join(dir, "admin.dossier"), hex.EncodeToString(key),
		store.Options{KDF: m.deskKDF, Secrets: m.secrets})
	if err != nil {
		return fail(err)
	}
	c, err := client.Connect(ctx, st, *f.server, *f.fingerprint)
	if fp, ok := client.UnconfirmedFingerprint(err); ok {
		return fail(cli.Failure{Key: "cli.sync.unconfirmed", Args: []any{fp}})
	}
	if err != nil {
		return fail(err)
	}
	c.SetAnswerer(m.officerAnswer(*f.answerFile))
	if err := c.SignIn(ctx, domain.ID{}, *f.user, pw); err != nil {
		return fail(err)
	}
	if _, acct, err = st.SignIn(*f.user, pw); err != nil {
		return fail(err)
	}
	if acct.Role != account.ProgramOfficer {
		return fail(cli.Failure{Key: "dossierd.admin.not-officer", Args: []any{*f.user}})
	}
	return st, c, acct, func() { st.Close(); os.RemoveAll(dir) }, nil
}

// backupRemote takes a backup through the server at f.server, while it
// serves (bbolt): the store as one read transaction sees it, streamed to
// the new file to (never over an existing one; removed if the copy fails).
// The key file is not in it.
func (m *Main) backupRemote(f remoteFlags, to string) error {
	if to == "" {
		return cli.Bad("cli.flag.required", "--to")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Hour)
	defer cancel()
	_, c, _, done, err := m.signInOfficer(ctx, f)
	if err != nil {
		return err
	}
	defer done()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return domain.Wrap(store.ErrStorage, err)
	}
	if _, err = c.Backup(ctx, out); err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil && cerr != nil {
		err = domain.Wrap(store.ErrStorage, cerr)
	}
	if err != nil {
		os.Remove(to)
		return err
	}
	m.say("dossierd.backup.done", to)
	return nil
}

// refusal is the server's refusal of what the desk pushed, if it refused.
func refusal(st programs.Desk, by account.Actor) error {
	rs, err := st.Rejections(by)
	if err != nil || len(rs) == 0 {
		return err
	}
	r := rs[len(rs)-1]
	if r.Error == nil {
		return domain.Errorf(sync.ErrServer)
	}
	return r.Error.Err()
}

// officerPassword reads the officer's password from file (its first
// line), else DOSSIERD_OFFICER_PASSWORD or the terminal
// (DOSSIERD_ADMIN_PASSWORD is the password of an account the step makes).
func (m *Main) officerPassword(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", cli.Failure{Key: "dossierd.admin.password-file", Args: []any{file}}
		}
		pw, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimRight(pw, "\r"), nil
	}
	return cli.Secret(m.tr, m.Stdin, m.Stderr, m.Getenv, "DOSSIERD_OFFICER_PASSWORD", "dossierd.officer.prompt",
		"dossierd.officer.none", false)
}

// officerAnswer answers the security question the server asks the
// officer: from file (lines "question = answer"), else
// DOSSIERD_OFFICER_ANSWER, else typed at the terminal after the question.
func (m *Main) officerAnswer(file string) client.Answerer {
	return func(_ context.Context, question string) (string, error) {
		if file != "" {
			b, err := os.ReadFile(file)
			if err != nil {
				return "", cli.Failure{Key: "dossierd.admin.password-file", Args: []any{file}}
			}
			for _, line := range strings.Split(string(b), "\n") {
				q, a, ok := strings.Cut(line, "=")
				if ok && strings.TrimSpace(q) == strings.TrimSpace(question) {
					return strings.TrimSpace(a), nil
				}
			}
			return "", cli.Failure{Key: "dossierd.officer.no-answer", Args: []any{question}}
		}
		fmt.Fprintln(m.Stderr, m.tr.T("dossierd.officer.question", question))
		return cli.Secret(m.tr, m.Stdin, m.Stderr, m.Getenv, "DOSSIERD_OFFICER_ANSWER", "dossierd.officer.answer",
			"dossierd.officer.no-answer", false)
	}
}

// storeBusy words the failure to open a bbolt store the server holds:
// how to run the step through the server, or why it must wait for the
// server to stop.
func storeBusy(name string, err error, remote bool) error {
	if !errors.Is(err, store.ErrProfileLocked) {
		return err
	}
	switch {
	case doneByServe[name]:
		return cli.Failure{Key: "dossierd.admin.served." + name}
	case needsStop[name]:
		return cli.Failure{Key: "dossierd.admin.stop." + name}
	case remote:
		return cli.Failure{Key: "dossierd.admin.running.remote", Args: []any{name}}
	}
	return cli.Failure{Key: "dossierd.admin.running", Args: []any{name}}
}

// addSchoolStep registers a school: as the system on the store, as the
// officer through the server.
func (m *Main) addSchoolStep(fs *flag.FlagSet) adminStep {
	name := fs.String("name", "", "")
	code := fs.String("code", "", "")
	province := fs.String("province", "", "")
	zone := fs.String("zone", "", "")
	school := func() (store.Institution, error) {
		c, err := ens.ParseSchoolCode(*code)
		return store.Institution{Name: *name, Code: c, Province: *province, TimeZone: *zone}, err
	}
	added := func(in store.Institution) func() {
		return func() { m.say("dossierd.school.added", in.Code.String(), in.Name) }
	}
	return adminStep{
		local: func(sv programs.Server) error {
			in, err := school()
			if err != nil {
				return err
			}
			if in, err = sv.CreateInstitution(in); err != nil {
				return err
			}
			added(in)()
			return nil
		},
		remote: func(d *officerDesk) (func(), error) {
			in, err := school()
			if err != nil {
				return nil, err
			}
			in, err = d.st.CreateInstitution(d.by, in)
			return added(in), err
		},
	}
}

// issuePINStep issues a school's DIR a PIN, shown once; with --email, the
// server writes to that address that a PIN sheet is on its way (in
// --mail-lang, en or fr), never the PIN.
func (m *Main) issuePINStep(fs *flag.FlagSet) adminStep {
	code := fs.String("school", "", "")
	given := fs.String("given-names", "", "")
	family := fs.String("family-name", "", "")
	email := fs.String("email", "", "")
	lang := fs.String("mail-lang", "en", "")
	req := func(school domain.ID) account.PINRequest {
		l := "en"
		if strings.HasPrefix(strings.ToLower(*lang), "fr") {
			l = "fr-CA"
		}
		return account.PINRequest{Role: account.DIR, Org: school, GivenNames: *given, FamilyName: *family, Email: *email, Lang: l}
	}
	issued := func(school store.Institution, pin string, p account.PIN) func() {
		return func() { m.say("dossierd.pin.issued", school.Code.String(), pin, m.tr.Date(domain.DateOf(p.Expires))) }
	}
	return adminStep{
		local: func(sv programs.Server) error {
			all, err := sv.Institutions()
			if err != nil {
				return err
			}
			school, err := schoolIn(all, *code)
			if err != nil {
				return err
			}
			pin, rec, err := sv.IssuePINAsSystem(req(school.ID))
			if err != nil {
				return err
			}
			issued(school, pin, rec)()
			return nil
		},
		remote: func(d *officerDesk) (func(), error) {
			all, err := d.st.Institutions()
			if err != nil {
				return nil, err
			}
			school, err := schoolIn(all, *code)
			if err != nil {
				return nil, err
			}
			pin, rec, err := d.st.IssuePIN(d.by, req(school.ID))
			return issued(school, pin, rec), err
		},
	}
}

// settingsStep shows the program's settings after changing how many days
// an unfinished request lives (--expiry-days, when not zero); through
// the server it changes them only (the desk holds none to show).
func (m *Main) settingsStep(fs *flag.FlagSet) adminStep {
	days := fs.Int("expiry-days", 0, "")
	return adminStep{
		local: func(sv programs.Server) error { return m.settings(sv, *days) },
		remote: func(d *officerDesk) (func(), error) {
			if *days == 0 {
				return nil, cli.Bad("cli.flag.required", "--expiry-days")
			}
			err := d.st.ProposeSettings(d.by, ens.Settings{ExpiryDays: *days})
			return func() { m.say("dossierd.settings.expiry", *days) }, err
		},
	}
}

// staffStep makes another program officer's account, or a province's
// coordinator's (--province), as the administrator on the store or as an
// officer through the server.
func staffStep(role account.Role) func(m *Main, fs *flag.FlagSet) adminStep {
	return func(m *Main, fs *flag.FlagSet) adminStep {
		var province *string
		if role == account.Coordinator {
			province = fs.String("province", "", "")
		} else {
			province = new(string)
		}
		p := personFlags(fs)
		check := func() error {
			if role == account.Coordinator && *province == "" {
				return cli.Bad("cli.flag.required", "province")
			}
			return nil
		}
		return adminStep{
			local: func(sv programs.Server) error {
				if err := check(); err != nil {
					return err
				}
				if role == account.Coordinator {
					return m.createCoordinator(sv, *province, *p.user, *p.given, *p.family, *p.email)
				}
				return m.addProgramOfficer(sv, *p.user, *p.given, *p.family, *p.email)
			},
			remote: func(d *officerDesk) (func(), error) {
				if err := check(); err != nil {
					return nil, err
				}
				reg, err := m.registration(*p.user, *p.given, *p.family, *p.email)
				if err != nil {
					return nil, err
				}
				_, err = d.st.ProposeStaffAccount(d.by, reg, role, *province)
				return func() {
					if role == account.Coordinator {
						m.say("dossierd.coordinator.created", reg.UserID, strings.ToUpper(strings.TrimSpace(*province)))
					} else {
						m.say("dossierd.officer.added", reg.UserID)
					}
				}, err
			},
		}
	}
}

// schoolIn finds the school whose code is code.
func schoolIn(all []store.Institution, code string) (store.Institution, error) {
	c, err := ens.ParseSchoolCode(code)
	if err != nil {
		return store.Institution{}, err
	}
	for _, in := range all {
		if in.Code == c {
			return in, nil
		}
	}
	return store.Institution{}, cli.Failure{Key: "cli.school.unknown", Args: []any{code}}
}

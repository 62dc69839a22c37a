package main

import (
	"bufio"
	"flag"
	"strconv"
	"strings"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
)

// admin runs the steps that set a server up and keep it. On bbolt the
// store is one file one program opens at a time: a step that changes data
// runs through a running server's API (--server, adminremote.go), any
// other with the server stopped; on PostgreSQL every step runs beside
// the server.
func (m *Main) admin(args []string) error {
	if len(args) == 0 {
		return cli.Bad("dossierd.admin.missing")
	}
	fs := cli.NewFlags("admin " + args[0])
	data := fs.String("data", "", "")
	dbURL := fs.String("db", "", "")
	var run func(programs.Server) error
	var remote func(d *officerDesk) (func(), error)
	var backupTo *string // admin backup: through a running server too
	step, table := adminSteps[args[0]]
	if table {
		s := step(m, fs)
		run, remote = s.local, s.remote
	}
	switch args[0] {
	case "create-program":
		p := personFlags(fs)
		run = func(sv programs.Server) error { return m.createProgram(sv, *p.user, *p.given, *p.family, *p.email) }
	case "populate-compliance":
		date := fs.String("date", "", "")
		run = func(sv programs.Server) error {
			now := time.Now()
			if *date != "" {
				d, err := time.Parse(time.DateOnly, *date)
				if err != nil {
					return cli.Bad("dossierd.date.format")
				}
				now = d.Add(12 * time.Hour)
			}
			return m.populateCompliance(sv, now)
		}
	case "demo":
		date := fs.String("date", "", "")
		students := fs.Int("students", 6, "")
		run = func(sv programs.Server) error {
			now := time.Now()
			if *date != "" {
				d, err := time.Parse(time.DateOnly, *date)
				if err != nil {
					return cli.Bad("dossierd.date.format")
				}
				now = d.Add(12 * time.Hour)
			}
			if *students < 1 || *students > 1000 {
				return cli.Bad("cli.flag.value", "--students")
			}
			return m.demo(sv, now, *students)
		}
	case "new-epoch":
		run = func(sv programs.Server) error {
			if err := sv.NewEpoch(); err != nil {
				return err
			}
			m.say("dossierd.epoch.new")
			return nil
		}
	case "schools":
		run = func(sv programs.Server) error {
			all, err := sv.Institutions()
			if err != nil {
				return err
			}
			for _, in := range all {
				m.say("dossierd.school.line", in.Code.String(), in.Province, in.Name)
			}
			if len(all) == 0 {
				m.say("cli.school.none")
			}
			return nil
		}
	case "mail":
		run = m.listMail
	case "audit-verify":
		run = m.auditVerify
	case "audit":
		var user string
		fs.StringVar(&user, "user", "", "")
		fs.StringVar(&user, "user-id", "", "")
		run = func(sv programs.Server) error { return m.auditOf(sv, user) }
	case "backup":
		to := fs.String("to", "", "")
		backupTo = to
		run = func(sv programs.Server) error {
			if *to == "" {
				return cli.Bad("cli.flag.required", "--to")
			}
			if err := sv.Backup(*to); err != nil {
				return err
			}
			m.say("dossierd.backup.done", *to)
			return nil
		}
	case "restore":
		from := fs.String("from", "", "")
		if err := cli.Parse(fs, args[1:]); err != nil {
			return err
		}
		if *data == "" || *from == "" {
			return cli.Bad("cli.flag.required", "--data --from")
		}
		if err := store.RestoreServer(*data, *from, store.ServerOptions{}); err != nil {
			return storeBusy("restore", err, false)
		}
		m.say("dossierd.restore.done")
		return nil
	default:
		if !table {
			return cli.Bad("cli.command.unknown", "admin "+args[0])
		}
	}
	rf := addRemoteFlags(fs)
	if err := cli.Parse(fs, args[1:]); err != nil {
		return err
	}
	if *rf.server != "" {
		if doneByServe[args[0]] {
			return cli.Failure{Key: "dossierd.admin.served." + args[0]}
		}
		if backupTo != nil {
			return m.backupRemote(rf, *backupTo)
		}
		if remote == nil {
			return cli.Failure{Key: "dossierd.admin.local-only", Args: []any{args[0]}}
		}
		return m.runRemote(args[0], rf, remote)
	}
	if *data == "" {
		return cli.Bad("cli.flag.required", "--data")
	}
	sv, err := m.openStore(*data, *dbURL)
	if err != nil {
		return storeBusy(args[0], err, remote != nil)
	}
	defer sv.Close()
	return run(sv)
}

// createProgram makes the program's first account. The password comes
// from DOSSIERD_ADMIN_PASSWORD or the terminal; the four security
// questions and answers are read from standard input, one per line.
func (m *Main) createProgram(sv programs.Server, user, given, family, email string) error {
	reg, err := m.registration(user, given, family, email)
	if err != nil {
		return err
	}
	a, err := sv.CreateProgramAccount(reg)
	if err != nil {
		return err
	}
	m.say("dossierd.program.created", a.Credential.UserID)
	return nil
}

// addProgramOfficer adds a program officer once the program's first
// account exists (refused before, with store.ErrNoProgram). The
// credential is read as createProgram reads it.
func (m *Main) addProgramOfficer(sv programs.Server, user, given, family, email string) error {
	reg, err := m.registration(user, given, family, email)
	if err != nil {
		return err
	}
	a, err := sv.AddProgramOfficer(reg)
	if err != nil {
		return err
	}
	m.say("dossierd.officer.added", a.Credential.UserID)
	return nil
}

// createCoordinator makes a province's or territory's coordinator, who
// reads the compliance reports of that province's schools only. The
// credential is read as createProgram reads it.
func (m *Main) createCoordinator(sv programs.Server, province, user, given, family, email string) error {
	reg, err := m.registration(user, given, family, email)
	if err != nil {
		return err
	}
	a, err := sv.CreateCoordinatorAccount(reg, province)
	if err != nil {
		return err
	}
	code, _ := store.ProvinceOf(a.Org)
	m.say("dossierd.coordinator.created", a.Credential.UserID, code)
	return nil
}

// populateCompliance makes the Annual Compliance list of now's year (from
// 15 October); run again, it adds only students not yet listed.
func (m *Main) populateCompliance(sv programs.Server, now time.Time) error {
	year, open := ens.ComplianceYearOf(now)
	if !open {
		m.say("dossierd.compliance.not-yet", strconv.Itoa(year))
		return nil
	}
	n, err := sv.PopulateCompliance(now)
	if err != nil {
		return err
	}
	m.say("dossierd.compliance.populated", strconv.Itoa(year), n)
	return nil
}

// registration reads an administrator-made account's password (from
// DOSSIERD_ADMIN_PASSWORD or the terminal) and its four security
// questions and answers (from standard input, one per line).
// settings shows the program's settings, after changing how many days an
// unfinished request lives when days is not zero (ens.Settings.Check
// bounds it). A new value applies to the requests received from then on:
// each request's expiry is set when the program receives it.
func (m *Main) settings(sv programs.Server, days int) error {
	s := sv.Store()
	set, err := s.Settings()
	if err != nil {
		return err
	}
	if days != 0 {
		set.ExpiryDays = days
		if err := s.SetSettings(set); err != nil {
			return err
		}
	}
	m.say("dossierd.settings.expiry", set.ExpiryDays)
	return nil
}

func (m *Main) registration(user, given, family, email string) (account.Registration, error) {
	pw, err := cli.Secret(m.tr, m.Stdin, m.Stderr, m.Getenv, "DOSSIERD_ADMIN_PASSWORD", "cli.password.prompt",
		"dossierd.password.none", true)
	if err != nil {
		return account.Registration{}, err
	}
	reg := account.Registration{UserID: user, Password: pw, GivenNames: given, FamilyName: family,
		Email: email, AcceptTerms: true}
	if m.Stdin == nil {
		return reg, cli.Failure{Key: "dossierd.questions.none"}
	}
	in := bufio.NewScanner(m.Stdin)
	for i := range reg.Questions {
		m.prompt("dossierd.question.prompt", i+1)
		if !in.Scan() {
			return reg, cli.Failure{Key: "dossierd.questions.none"}
		}
		reg.Questions[i].Question = strings.TrimSpace(in.Text())
		m.prompt("dossierd.answer.prompt", i+1)
		if !in.Scan() {
			return reg, cli.Failure{Key: "dossierd.questions.none"}
		}
		reg.Questions[i].Answer = strings.TrimSpace(in.Text())
	}
	return reg, nil
}

func (m *Main) prompt(key string, args ...any) {
	m.Stderr.Write([]byte(m.tr.T(key, args...)))
}

// demo fills an empty server with the demo a program, a coordinator, DIRs
// and applicants run a compliance year and a nomination with, and lists
// who can sign in.
func (m *Main) demo(sv programs.Server, now time.Time, students int) error {
	res, err := demo.BuildServer(sv, demo.ServerOptions{Now: now, Students: students})
	if err != nil {
		return err
	}
	m.say("dossierd.demo.done", len(res.Schools), len(res.Accounts), res.Compliance, demo.Password)
	for _, a := range res.Accounts {
		m.say("dossierd.demo.account", m.tr.T(a.Role.MessageKey()), a.UserID, a.School)
	}
	return nil
}

// person is the flags naming an account the administrator makes.
type person struct{ user, given, family, email *string }

func personFlags(fs *flag.FlagSet) person {
	return person{user: fs.String("user-id", "", ""), given: fs.String("given-names", "", ""),
		family: fs.String("family-name", "", ""), email: fs.String("email", "", "")}
}

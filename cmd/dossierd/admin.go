package main

import (
	"bufio"
	"flag"
	"strconv"
	"strings"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
)

// admin runs the steps that set a server up; run them while the server is
// stopped (the store is one file, opened by one program at a time).
func (m *Main) admin(args []string) error {
	if len(args) == 0 {
		return cli.Bad("dossierd.admin.missing")
	}
	fs := cli.NewFlags("admin " + args[0])
	data := fs.String("data", "", "")
	dbURL := fs.String("db", "", "")
	var run func(programs.Server) error
	switch args[0] {
	case "create-program":
		p := personFlags(fs)
		run = func(sv programs.Server) error { return m.createProgram(sv, *p.user, *p.given, *p.family, *p.email) }
	case "add-program-officer":
		p := personFlags(fs)
		run = func(sv programs.Server) error { return m.addProgramOfficer(sv, *p.user, *p.given, *p.family, *p.email) }
	case "create-coordinator":
		province := fs.String("province", "", "")
		p := personFlags(fs)
		run = func(sv programs.Server) error {
			if *province == "" {
				return cli.Bad("cli.flag.required", "province")
			}
			return m.createCoordinator(sv, *province, *p.user, *p.given, *p.family, *p.email)
		}
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
	case "settings":
		days := fs.Int("expiry-days", 0, "")
		run = func(sv programs.Server) error { return m.settings(sv, *days) }
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
	case "add-school":
		name := fs.String("name", "", "")
		code := fs.String("code", "", "")
		province := fs.String("province", "", "")
		run = func(sv programs.Server) error {
			c, err := ens.ParseSchoolCode(*code)
			if err != nil {
				return err
			}
			in, err := sv.CreateInstitution(store.Institution{Name: *name, Code: c, Province: *province})
			if err != nil {
				return err
			}
			m.say("dossierd.school.added", in.Code.String(), in.Name)
			return nil
		}
	case "issue-pin":
		code := fs.String("school", "", "")
		given := fs.String("given-names", "", "")
		family := fs.String("family-name", "", "")
		run = func(sv programs.Server) error {
			school, err := schoolByCode(sv, *code)
			if err != nil {
				return err
			}
			pin, rec, err := sv.IssueDIRPIN(school.ID, *given, *family)
			if err != nil {
				return err
			}
			m.say("dossierd.pin.issued", school.Code.String(), pin, m.tr.Date(domain.DateOf(rec.Expires)))
			return nil
		}
	case "notice":
		from := fs.String("from", "", "")
		to := fs.String("to", "", "")
		en := fs.String("en", "", "")
		fr := fs.String("fr", "", "")
		withdraw := fs.String("withdraw", "", "")
		run = func(sv programs.Server) error {
			if *withdraw != "" {
				return m.withdrawNotice(sv, *withdraw)
			}
			return m.scheduleNotice(sv, *from, *to, *en, *fr)
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
			return err
		}
		m.say("dossierd.restore.done")
		return nil
	default:
		return cli.Bad("cli.command.unknown", "admin "+args[0])
	}
	if err := cli.Parse(fs, args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return cli.Bad("cli.flag.required", "--data")
	}
	sv, err := m.openStore(*data, *dbURL)
	if err != nil {
		return err
	}
	defer sv.Close()
	return run(sv)
}

// scheduleNotice announces a maintenance window to every desk, as the
// system: the times are the server machine's local time unless they
// carry their offset.
func (m *Main) scheduleNotice(sv programs.Server, from, to, en, fr string) error {
	for _, f := range []struct{ name, v string }{{"from", from}, {"to", to}, {"en", en}, {"fr", fr}} {
		if f.v == "" {
			return cli.Bad("cli.flag.required", f.name)
		}
	}
	start, err := noticeTime(from)
	if err != nil {
		return err
	}
	end, err := noticeTime(to)
	if err != nil {
		return err
	}
	n, err := sv.ScheduleNotice(start, end, en, fr)
	if err != nil {
		return err
	}
	m.say("dossierd.notice.scheduled", n.ID.String(), m.tr.DateTime(n.From.Local()), m.tr.DateTime(n.To.Local()))
	return nil
}

// withdrawNotice takes a notice back before its window starts.
func (m *Main) withdrawNotice(sv programs.Server, id string) error {
	nid, err := domain.ParseID(id)
	if err != nil {
		return cli.Bad("cli.flag.value", "--withdraw")
	}
	n, err := sv.WithdrawNotice(nid)
	if err != nil {
		return err
	}
	m.say("dossierd.notice.withdrawn", n.ID.String())
	return nil
}

// noticeTime reads a notice's time: 2026-03-07T02:00 (local) or with
// its offset (2026-03-07T02:00-05:00, or Z).
func noticeTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.Bad("dossierd.notice.time")
}

func schoolByCode(sv programs.Server, code string) (store.Institution, error) {
	c, err := ens.ParseSchoolCode(code)
	if err != nil {
		return store.Institution{}, err
	}
	all, err := sv.Institutions()
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

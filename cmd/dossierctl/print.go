package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/report"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/translations"
)

// print prints one of Dossier's documents from a profile, as the person
// in DOSSIER_USER (signed in on the profile) would from the app: the same
// records, day and key give the same bytes. The printing is recorded and
// reaches the server at the profile's next sync, where its code can then
// be verified.
func (m *Main) print(args []string) error {
	fs := cli.NewFlags("print")
	data := fs.String("data", "", "")
	out := fs.String("out", "", "")
	dateFlag := fs.String("date", "", "")
	file := fs.String("file", "", "")
	schoolCode := fs.String("school", "", "")
	year := fs.Int("year", 0, "")
	statuses := fs.String("status", "", "")
	types := fs.String("type", "", "")
	search := fs.String("search", "", "")
	request := fs.String("request", "", "")
	gta := fs.String("gta", "", "")
	kinds, rest := cli.Operands(fs, args)
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}
	if len(kinds) != 1 || *data == "" || *out == "" {
		return cli.Bad("cli.print.usage")
	}
	kind := report.Kind(kinds[0])
	today := domain.DateOf(time.Now())
	if *dateFlag != "" {
		var err error
		if today, err = domain.ParseDate("date", *dateFlag); err != nil {
			return cli.Bad("cli.flag.value", "--date")
		}
	}
	s, by, err := m.signedIn(*data)
	if err != nil {
		return err
	}
	defer s.Close()
	sel := selection{file: *file, school: *schoolCode, year: *year, statuses: *statuses, types: *types, search: *search,
		request: *request, gta: *gta}
	doc, tr, err := m.document(s, by, kind, sel, today)
	if err != nil {
		return err
	}
	// A printed document is readable by its owner only (0600), even
	// where a file of that name was there before.
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err == nil {
		if err = f.Chmod(0o600); err != nil {
			f.Close()
		}
	}
	if err != nil {
		return cli.Failure{Key: "cli.file.create", Args: []any{*out}}
	}
	w := bufio.NewWriter(f)
	code, err := report.Print(w, tr, report.StoreSealer(s, by, today), today, doc)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return err
	}
	fmt.Fprintln(m.Stdout, m.tr.T("cli.print.done", m.tr.T(report.TitleKey(kind)), *out, code))
	return nil
}

// selection is what the command line says to print.
type selection struct {
	file, school            string
	year                    int
	statuses, types, search string
	request, gta            string
}

// signedIn opens the profile and signs the person in on it.
func (m *Main) signedIn(data string) (programs.Desk, account.Actor, error) {
	pw, err := m.password(false)
	if err != nil {
		return programs.Desk{}, account.Actor{}, err
	}
	user, userPW := m.Getenv("DOSSIER_USER"), m.Getenv("DOSSIER_USER_PASSWORD")
	if user == "" || userPW == "" {
		return programs.Desk{}, account.Actor{}, cli.Failure{Key: "cli.sync.user"}
	}
	s, err := programs.Open(store.ProfilePath(data), pw, store.Options{})
	if err != nil {
		return programs.Desk{}, account.Actor{}, err
	}
	_, acct, err := s.SignIn(user, userPW)
	if err != nil {
		s.Close()
		return programs.Desk{}, account.Actor{}, err
	}
	return s, acct.Actor(), nil
}

// document builds the document kind names from the profile's records,
// and says which language it is printed in: letters go in the
// applicant's language of correspondence, everything else in the
// person's.
func (m *Main) document(s programs.Desk, by account.Actor, kind report.Kind, sel selection, today domain.Date) (report.Document, *translations.Translator, error) {
	tr := m.tr
	year := sel.year
	if year == 0 {
		year, _ = ens.ComplianceYearOf(time.Date(today.Year, today.Month, today.Day, 12, 0, 0, 0, time.UTC))
	}
	switch kind {
	case report.KindQueueExport:
		f := requests.QueueFilter{Search: sel.search, Language: tr.Lang().Tag()}
		var err error
		if f.School, err = m.schoolOf(s, by, sel.school); err != nil {
			return nil, nil, err
		}
		for _, x := range splitList(sel.statuses) {
			st, err := ens.ParseStatus(x)
			if err != nil {
				return nil, nil, err
			}
			f.Statuses = append(f.Statuses, st)
		}
		for _, x := range splitList(sel.types) {
			t, err := ens.ParseType(x)
			if err != nil {
				return nil, nil, err
			}
			f.Types = append(f.Types, t)
		}
		doc, err := report.QueueExportOf(s, by, f, report.FilterText(tr, f))
		return doc, tr, err
	case report.KindComplianceList:
		doc, err := report.ComplianceListOf(s, by, year)
		return doc, tr, err
	case report.KindRequestRecord:
		if sel.request == "" {
			return nil, nil, cli.Bad("cli.flag.required", "--request")
		}
		id, err := domain.ParseID(sel.request)
		if err != nil {
			return nil, nil, cli.Bad("cli.flag.value", "--request")
		}
		doc, err := report.RequestRecordOf(s, by, id)
		return doc, tr, err
	case report.KindPermitApplication, report.KindPermitReceipt:
		// The application's ID is its verification's (--request).
		if sel.request == "" {
			return nil, nil, cli.Bad("cli.flag.required", "--request")
		}
		id, err := domain.ParseID(sel.request)
		if err != nil {
			return nil, nil, cli.Bad("cli.flag.value", "--request")
		}
		a, err := s.Permit(by, id)
		if err != nil {
			return nil, nil, err
		}
		school := ""
		if in, err := s.Institution(a.School); err == nil {
			school = in.Name
		}
		doc, err := report.PermitDocument(kind, a, school)
		return doc, tr, err
	case report.KindFilesList:
		return m.filesList(s, by, sel)
	case report.KindEnrolments:
		doc, err := report.EnrolmentListOf(s, by, tr)
		return doc, tr, err
	case report.KindIneligibleReport:
		school, err := m.schoolOf(s, by, sel.school)
		if err != nil {
			return nil, nil, err
		}
		doc, err := report.IneligibleReportOf(s, by, tr, school, year)
		return doc, tr, err
	case report.KindProvincialReport:
		doc, err := report.ProvincialReportOf(s, by, tr, year, today)
		return doc, tr, err
	}
	applicant := domain.ID{}
	if by.Role == account.ProgramOfficer {
		if sel.file == "" {
			return nil, nil, cli.Bad("cli.flag.required", "--file")
		}
		files, err := s.ProcessingQueue(by, applications.FileFilter{Search: sel.file})
		if err != nil {
			return nil, nil, err
		}
		if len(files) != 1 {
			return nil, nil, cli.Failure{Key: "cli.print.file", Args: []any{sel.file}}
		}
		applicant = files[0].Applicant
	}
	rec, err := report.FileOf(s, by, applicant)
	if err != nil {
		return nil, nil, err
	}
	if kind != report.KindApplicationSummary {
		tr = translations.New(report.LanguageOf(&rec.App))
	}
	doc, err := report.ApplicationDocument(kind, rec, tr, today)
	return doc, tr, err
}

// schoolOf is the school a staff member prints for: their own, or for the
// program the one --school names.
func (m *Main) schoolOf(s programs.Desk, by account.Actor, code string) (domain.ID, error) {
	if by.Role.InstitutionStaff() {
		return by.Org, nil
	}
	return pickSchool(s, code)
}

// filesList is the processing queue as --status, --gta and --search
// filter it, as the officer's screen does.
func (m *Main) filesList(s programs.Desk, by account.Actor, sel selection) (report.Document, *translations.Translator, error) {
	f := applications.FileFilter{Search: sel.search}
	for _, x := range splitList(sel.statuses) {
		st := oinp.FileStatus(x)
		if !slices.Contains(oinp.FileStatuses, st) {
			return nil, nil, cli.Bad("cli.flag.value", "--status")
		}
		f.Statuses = append(f.Statuses, st)
	}
	switch sel.gta {
	case "":
	case "yes":
		f.GTA = oinp.Yes
	case "no":
		f.GTA = oinp.No
	case "unknown":
		f.GTAUnknown = true
	default:
		return nil, nil, cli.Bad("cli.flag.value", "--gta")
	}
	rows, err := s.ProcessingQueue(by, f)
	if err != nil {
		return nil, nil, err
	}
	return report.FilesListFrom(rows, report.FilesFilterText(m.tr, f)), m.tr, nil
}

package printing

import (
	"slices"
	"strconv"

	"golang.org/x/text/unicode/norm"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/permit"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/compliance"
	"dossier/store/requests"
)

// The documents whose codes the server registers, each with who may
// print it and how the server computes its facts from its own record: a
// desk names the document's kind and the record it was printed from, and
// the server keeps the code only when the facts it computes are the ones
// the code vouches for. A list printed under a filter at a moment (a
// school's queue, the program's files, the employers' enrolments) is
// vouched for by the printing desk's own record alone: its code is not
// sent, and the server does not know it.

// Codes of registering a printed document.
var (
	// ErrPrintKind is a document the sender's role does not print, or
	// one the server does not vouch for.
	ErrPrintKind = domain.NewCode("store.print.kind", domain.KindForbidden)
	// ErrPrintRecord is a record the server does not hold, or one the
	// sender may not read (the two are told apart to nobody).
	ErrPrintRecord = domain.NewCode("store.print.record", domain.KindForbidden)
	// ErrPrintChanged is a document whose facts are not those the
	// server's record gives: made up, or printed from a record that has
	// changed since. The code is not registered.
	ErrPrintChanged = domain.NewCode("store.print.changed", domain.KindConflict)
)

// printSource is how the server vouches for one kind of document.
type printSource struct {
	// may says whether a role prints the document at all.
	may func(account.Role) bool
	// facts computes, as of the day printed, the facts of the document
	// printed from record by by; stated are the facts the desk printed
	// (read only for the list's year).
	facts func(s Store, tx *store.Tx, by account.Actor, record domain.ID, stated []printcode.Fact, printed domain.Date) ([]printcode.Fact, error)
}

func roles(rs ...account.Role) func(account.Role) bool {
	return func(r account.Role) bool { return slices.Contains(rs, r) }
}

// printSources are the documents the server vouches for.
var printSources = map[printcode.Kind]printSource{
	printcode.KindRequestRecord:      {may: roles(account.DIR, account.Signatory), facts: requestFacts},
	printcode.KindComplianceList:     {may: roles(account.DIR, account.Signatory), facts: complianceListFacts},
	printcode.KindIneligibleReport:   {may: roles(account.DIR, account.Signatory, account.Coordinator, account.ProgramOfficer), facts: ineligibleReportFacts},
	printcode.KindProvincialReport:   {may: roles(account.Coordinator), facts: provincialReportFacts},
	printcode.KindApplicationSummary: {may: roles(account.Applicant, account.Representative, account.ProgramOfficer), facts: fileFacts(printcode.KindApplicationSummary)},
	printcode.KindFeeReceipt:         {may: roles(account.Applicant, account.Representative, account.ProgramOfficer), facts: fileFacts(printcode.KindFeeReceipt)},
	printcode.KindNominationLetter:   {may: roles(account.ProgramOfficer), facts: fileFacts(printcode.KindNominationLetter)},
	printcode.KindWorkPermitLetter:   {may: roles(account.ProgramOfficer), facts: fileFacts(printcode.KindWorkPermitLetter)},
	printcode.KindCertificate:        {may: roles(account.ProgramOfficer), facts: fileFacts(printcode.KindCertificate)},
	printcode.KindRefusalLetter:      {may: roles(account.ProgramOfficer), facts: fileFacts(printcode.KindRefusalLetter)},
	printcode.KindPermitApplication:  {may: roles(account.Student, account.ProgramOfficer), facts: permitFacts(printcode.PermitApplicationFacts)},
	printcode.KindPermitReceipt:      {may: roles(account.Student, account.ProgramOfficer), facts: permitFacts(printcode.PermitReceiptFacts)},
}

// permitFacts: a student prints their own work permit application (and
// its receipt once paid), an officer anyone's.
func permitFacts(of func(*permit.Application) []printcode.Fact) func(Store, *store.Tx, account.Actor, domain.ID, []printcode.Fact, domain.Date) ([]printcode.Fact, error) {
	return func(s Store, tx *store.Tx, by account.Actor, record domain.ID, _ []printcode.Fact, _ domain.Date) ([]printcode.Fact, error) {
		a, err := requests.On(s.Engine()).PermitIn(tx, by, record)
		if err != nil {
			return nil, domain.FieldError(ErrPrintRecord, "record")
		}
		return of(&a), nil
	}
}

// Vouched reports whether the server registers the codes of documents of
// kind printed by role: only those are sent when printed.
func Vouched(kind printcode.Kind, role account.Role) bool {
	src, ok := printSources[kind]
	return ok && src.may(role)
}

// printedFacts are the facts of a document of kind printed from record by
// by, as the server's record gives them, or why by may not register it.
func (s Store) printedFacts(tx *store.Tx, by account.Actor, kind printcode.Kind, record domain.ID, stated []printcode.Fact, printed domain.Date) ([]printcode.Fact, error) {
	src, ok := printSources[kind]
	if !ok || !src.may(by.Role) {
		return nil, domain.FieldError(ErrPrintKind, "kind", string(kind))
	}
	if record.IsZero() {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	return src.facts(s, tx, by, record, stated, printed)
}

// requestFacts: a school's staff print their own school's requests.
func requestFacts(s Store, tx *store.Tx, by account.Actor, record domain.ID, _ []printcode.Fact, _ domain.Date) ([]printcode.Fact, error) {
	r, found, err := requests.On(s.Engine()).GetRequest(tx, record, nil)
	if err != nil {
		return nil, err
	}
	if !found || !by.Role.InstitutionStaff() || by.Org != r.School {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	in, err := s.InstitutionIn(tx, r.School)
	if err != nil {
		return nil, err
	}
	return printcode.RequestFactsOf(in.Code.String(), in.Name, &r), nil
}

// complianceListFacts: a school's staff print their own school's list of
// a year (the year the list states).
func complianceListFacts(s Store, tx *store.Tx, by account.Actor, record domain.ID, stated []printcode.Fact, _ domain.Date) ([]printcode.Fact, error) {
	if !by.Role.InstitutionStaff() || by.Org != record {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	if account.Authorize(by, account.WorkQueue, record) != nil {
		return nil, domain.FieldError(ErrPrintKind, "kind", string(printcode.KindComplianceList))
	}
	year, err := statedYear(stated)
	if err != nil {
		return nil, err
	}
	in, err := s.InstitutionIn(tx, record)
	if err != nil {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	reqs, err := compliance.On(s.Engine()).ComplianceRequestsIn(tx, record, year)
	if err != nil {
		return nil, err
	}
	return printcode.ComplianceListFacts(in.Code.String()+" "+in.Name, year, len(reqs)), nil
}

// statedYear is the year a yearly list or report states it is of: the
// document's choice, which the facts computed for that year then check.
func statedYear(stated []printcode.Fact) (int, error) {
	for _, f := range stated {
		if f.Name == "year" {
			if year, err := strconv.Atoi(f.Value); err == nil && year >= 2000 && year <= 9999 {
				return year, nil
			}
		}
	}
	return 0, domain.FieldError(ErrPrintChanged, "year")
}

// ineligibleReportFacts: a school's report as submitted (its staff, its
// province's coordinators and the program print it), or its staff's
// draft from the school's list before it is.
func ineligibleReportFacts(s Store, tx *store.Tx, by account.Actor, record domain.ID, stated []printcode.Fact, _ domain.Date) ([]printcode.Fact, error) {
	year, err := statedYear(stated)
	if err != nil {
		return nil, err
	}
	in, err := s.InstitutionIn(tx, record)
	if err != nil || compliance.CanReadCompliance(by, record, in.Province) != nil {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	school := in.Code.String() + " " + in.Name
	id := compliance.ComplianceReportID(record, year)
	var rep ens.ComplianceReport
	found, err := s.GetJSON(store.BucketOf(tx, store.ComplianceBucket), id[:], &rep)
	if err != nil {
		return nil, err
	}
	if found {
		ineligible, eligible, _ := rep.Current()
		return printcode.IneligibleReportFacts(school, year, domain.DateOf(rep.Submitted.UTC()), eligible, len(ineligible),
			len(rep.Amendments)), nil
	}
	if !by.Role.InstitutionStaff() || by.Org != record {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	reqs, err := compliance.On(s.Engine()).ComplianceRequestsIn(tx, record, year)
	if err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	eligible, ineligible := 0, 0
	for _, r := range reqs {
		switch r.Status {
		case ens.Eligible:
			eligible++
		case ens.Ineligible:
			ineligible++
		}
	}
	return printcode.IneligibleReportFacts(school, year, domain.Date{}, eligible, ineligible, 0), nil
}

// provincialReportFacts: a coordinator prints their province's report,
// as submitted or as compiled on the day printed.
func provincialReportFacts(s Store, tx *store.Tx, by account.Actor, record domain.ID, stated []printcode.Fact, printed domain.Date) ([]printcode.Fact, error) {
	province, ok := store.ProvinceOf(by.Org)
	if !ok || record != by.Org || account.Authorize(by, account.CompileReports, domain.ID{}) != nil {
		return nil, domain.FieldError(ErrPrintRecord, "record")
	}
	year, err := statedYear(stated)
	if err != nil {
		return nil, err
	}
	id := compliance.ProvincialReportID(province, year)
	var pc compliance.ProvincialCompilation
	found, err := s.GetJSON(store.BucketOf(tx, store.ProvincialBucket), id[:], &pc)
	if err != nil {
		return nil, err
	}
	if !found {
		if pc, err = compliance.On(s.Engine()).CompileIn(tx, province, year, s.Now()); err != nil {
			return nil, err
		}
	}
	compiled := printed
	if !pc.Submitted.IsZero() {
		compiled = domain.DateOf(pc.Submitted.UTC())
	}
	submitted, eligible, ineligible := 0, 0, 0
	for _, sc := range pc.Schools {
		if sc.Reported() {
			submitted++
		}
		eligible += sc.Eligible
		ineligible += sc.Ineligible
	}
	return printcode.ProvincialReportFacts(pc.Province, year, compiled, len(pc.Schools), submitted, eligible, ineligible), nil
}

// fileFacts: the applicant and their active representative print from
// their own file, a program officer from any submitted file.
func fileFacts(kind printcode.Kind) func(Store, *store.Tx, account.Actor, domain.ID, []printcode.Fact, domain.Date) ([]printcode.Fact, error) {
	return func(s Store, tx *store.Tx, by account.Actor, record domain.ID, _ []printcode.Fact, printed domain.Date) ([]printcode.Fact, error) {
		var rec applications.ApplicationRecord
		found, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), record[:], &rec)
		if err != nil {
			return nil, err
		}
		if !found || !readsFile(by, &rec) {
			return nil, domain.FieldError(ErrPrintRecord, "record")
		}
		return printcode.FileFacts(kind, &rec.App, printed, assets.OINPTables())
	}
}

// readsFile reports whether by may read an OINP file: its applicant, their
// active representative, or a program officer once it is submitted.
func readsFile(by account.Actor, rec *applications.ApplicationRecord) bool {
	if by.Role == account.Applicant && by.Account == rec.Applicant {
		return true
	}
	if r, ok := rec.App.ActiveRepresentative(); ok && by.Role == account.Representative && r.Account == by.Account {
		return true
	}
	return by.Role.Can(account.DecideApplications) && !rec.App.Submitted.IsZero()
}

// sameFacts reports whether two lists state the same facts, in the same
// order, as a code reads them.
func sameFacts(a, b []printcode.Fact) bool {
	return slices.EqualFunc(a, b, func(x, y printcode.Fact) bool {
		return x.Name == y.Name && norm.NFC.String(x.Value) == norm.NFC.String(y.Value)
	})
}

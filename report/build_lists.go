package report

import (
	"strings"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/translations"
)

// FilesListFrom is the processing queue as the officer sees it: the rows
// the screen (or dossierctl) read with its filter, which filter words.
func FilesListFrom(rows []applications.FileSummary, filter string) FilesList {
	l := FilesList{Filter: filter, Rows: make([]FileRow, len(rows))}
	for i, r := range rows {
		l.Rows[i] = FileRow{FileNumber: string(r.FileNumber), Name: strings.TrimSpace(r.FamilyName + ", " + r.GivenNames),
			Status: r.Status, Submitted: r.Submitted, NextDue: r.NextDue, InGTA: r.InGTA, Region: r.Region}
	}
	return l
}

// FilesFilterText says in the reader's words what a processing-queue
// filter selects; empty for every submitted file.
func FilesFilterText(tr *translations.Translator, f applications.FileFilter) string {
	var parts []string
	if len(f.Statuses) > 0 {
		var names []string
		for _, s := range f.Statuses {
			names = append(names, tr.T(s.MessageKey()))
		}
		parts = append(parts, tr.T("print.filter.status", strings.Join(names, ", ")))
	}
	if f.Stream != "" {
		parts = append(parts, tr.T("print.filter.stream", tr.T(f.Stream.MessageKey())))
	}
	switch {
	case f.GTAUnknown:
		parts = append(parts, tr.T("print.filter.gta", tr.T(gtaKey(oinp.Unanswered))))
	case f.GTA != oinp.Unanswered:
		parts = append(parts, tr.T("print.filter.gta", tr.T(gtaKey(f.GTA))))
	}
	if !f.From.IsZero() {
		parts = append(parts, tr.T("print.filter.from", tr.ShortDate(f.From)))
	}
	if !f.To.IsZero() {
		parts = append(parts, tr.T("print.filter.to", tr.ShortDate(f.To)))
	}
	if f.Search != "" {
		parts = append(parts, tr.T("print.filter.search", f.Search))
	}
	return strings.Join(parts, " · ")
}

// EnrolmentListOf is the program's queue of employers' enrolments, each
// refusal's reason in tr's words.
func EnrolmentListOf(st programs.Desk, by account.Actor, tr *translations.Translator) (EnrolmentList, error) {
	all, err := st.Businesses(by, "")
	if err != nil {
		return EnrolmentList{}, err
	}
	l := EnrolmentList{Rows: make([]EnrolmentRow, len(all))}
	for i, b := range all {
		l.Rows[i] = EnrolmentRow{LegalName: b.LegalName, BN: b.BN.String(), Status: b.Status,
			Enrolled: domain.DateOf(b.Enrolled.In(assets.OINPOffice().Zone)), Reason: RefusalReason(tr, b.Reason)}
	}
	return l, nil
}

// RefusalReason words an enrolment's refusal: a code the server recorded
// (a business number or legal name already used), or the officer's own
// words.
func RefusalReason(tr *translations.Translator, reason string) string {
	switch reason {
	case string(employer.ErrBNTaken):
		return tr.T("officer.employers.reason.bn")
	case string(employer.ErrLegalNameTaken):
		return tr.T("officer.employers.reason.name")
	}
	return reason
}

// RequestRecordOf is one request of by's school, for the school's file.
func RequestRecordOf(st programs.Desk, by account.Actor, id domain.ID) (RequestRecord, error) {
	r, err := st.Request(by, id)
	if err != nil {
		return RequestRecord{}, err
	}
	in, err := st.Institution(r.School)
	if err != nil {
		return RequestRecord{}, err
	}
	zone := SchoolZone(in)
	rec := RequestRecord{School: in.Name, SchoolCode: in.Code.String(), Type: r.Type, Status: r.Status,
		Name: fullName(r.Student.GivenNames, r.Student.FamilyName), StudentNo: r.Student.StudentNumber, EVN: string(r.EVN),
		FromSchool: schoolName(st, r.FromSchool), TransferredTo: schoolName(st, r.TransferredTo), Received: domain.DateOf(r.Received.In(zone)),
		Assignee: nameOf(st, r.Assignee), DecidedBy: nameOf(st, r.DecidedBy), Reason: r.Reason, Notes: r.Notes, Record: r.ID, Time: zone}
	if !r.Expires.IsZero() && r.Status.Open() {
		rec.Expires = domain.DateOf(r.Expires.In(zone))
	}
	if !r.DecidedAt.IsZero() {
		rec.Decided, rec.FactDecided = domain.DateOf(r.DecidedAt.In(zone)), domain.DateOf(r.DecidedAt.UTC())
	}
	if r.Type == ens.AC {
		rec.ComplianceYear = r.ComplianceYear
	}
	if r.Type == ens.EV || r.Type == ens.EVT {
		checks := r.Checks
		rec.Checks = &checks
	}
	return rec, nil
}

// SchoolZone is the time zone a school's records are dated in: the one it
// names, else its province's.
func SchoolZone(in store.Institution) *time.Location { return assets.Zone(in.TimeZone, in.Province) }

// schoolName is a school's name, "" when there is none or this profile
// does not hold it.
func schoolName(st programs.Desk, id domain.ID) string {
	if id.IsZero() {
		return ""
	}
	in, err := st.Institution(id)
	if err != nil {
		return ""
	}
	return in.Name
}

package report

import (
	"iter"
	"strings"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/translations"
)

// Building documents from the store, the same way for the app and for
// dossierctl, so that both print the same bytes for the same records and
// day.

// Codes of a document that cannot be printed yet.
var (
	ErrNotNominated = printcode.ErrNotNominated
	ErrNotRefused   = printcode.ErrNotRefused
	ErrNotPaid      = printcode.ErrNotPaid
	ErrKind         = printcode.ErrKind
)

// FileOf is the application a person may print from: an officer's any
// submitted file, an applicant's own (applicant is then ignored).
func FileOf(st programs.Desk, by account.Actor, applicant domain.ID) (applications.ApplicationRecord, error) {
	if by.Role == account.ProgramOfficer {
		return st.FileFor(by, applicant)
	}
	rec, found, err := st.Application(by)
	if err == nil && !found {
		err = domain.Errorf(store.ErrNotFound)
	}
	return rec, err
}

// ApplicationDocument builds one of the OINP's documents from a file, as
// checked on today (the submission day once submitted).
func ApplicationDocument(kind Kind, rec applications.ApplicationRecord, tr *translations.Translator, today domain.Date) (Document, error) {
	a := &rec.App
	switch kind {
	case KindApplicationSummary:
		rep := oinp.Evaluate(a, a.CheckDate(today), assets.OINPTables())
		return ApplicationSummary{App: a, Report: rep, Status: tr.T(a.ProcessingStatus().MessageKey()), Record: rec.Applicant}, nil
	case KindNominationLetter, KindWorkPermitLetter, KindCertificate:
		n, err := nomineeOf(a)
		n.Record = rec.Applicant
		switch kind {
		case KindNominationLetter:
			return NominationLetter{n}, err
		case KindWorkPermitLetter:
			return WorkPermitLetter{n}, err
		}
		return Certificate{n}, err
	case KindRefusalLetter:
		if a.Decision == nil || a.Decision.Outcome != oinp.OutcomeRefused {
			return nil, domain.Errorf(ErrNotRefused)
		}
		l := RefusalFrom(a)
		l.Record = rec.Applicant
		return l, nil
	case KindFeeReceipt:
		if a.Payment == nil {
			return nil, domain.Errorf(ErrNotPaid)
		}
		rep := oinp.Evaluate(a, a.CheckDate(today), assets.OINPTables())
		return FeeReceipt{FileNumber: string(a.FileNumber), Name: fullName(a.Applicant.GivenNames, a.Applicant.FamilyName),
			Receipt: *a.Payment, InGTA: rep.InGTA == oinp.Yes, Record: rec.Applicant}, nil
	}
	return nil, domain.FieldError(ErrKind, "kind", string(kind))
}

// nomineeOf fills the letters of a nominated file, with the latest
// extension's day when there is one.
func nomineeOf(a *oinp.Application) (Nominee, error) {
	nom := a.Nomination
	if nom == nil {
		return Nominee{}, domain.Errorf(ErrNotNominated)
	}
	n := NomineeFrom(a)
	n.Nominated, n.Certificate, n.Expires = nom.Nominated, nom.Certificate, nom.Expires
	if k := len(nom.Extensions); k > 0 {
		n.Extended = nom.Extensions[k-1].Granted
	}
	return n, nil
}

// QueueExportOf is a school's queue as the filter f selects it (its
// offset and limit aside), read a page at a time as the PDF fills.
// filter says in the reader's words what f selects.
func QueueExportOf(st programs.Desk, by account.Actor, f requests.QueueFilter, filter string) (QueueExport, error) {
	in, err := st.Institution(f.School)
	if err != nil {
		return QueueExport{}, err
	}
	count, err := st.QueueCount(by, f)
	if err != nil {
		return QueueExport{}, err
	}
	zone := SchoolZone(in)
	names := map[domain.ID]string{}
	if staff, err := st.Staff(by, f.School); err == nil {
		for _, a := range staff {
			names[a.ID] = fullName(a.GivenNames, a.FamilyName)
		}
	}
	rows := func(yield func(QueueRow) bool) {
		page := f
		page.Offset, page.Limit = 0, requests.MaxPageSize
		for {
			p, err := st.Queue(by, page)
			if err != nil {
				return
			}
			for _, r := range p.Rows {
				row := QueueRow{Type: r.Type, Status: r.Status, Received: domain.DateOf(r.Received.In(zone)),
					Name: fullName(r.Student.GivenNames, r.Student.FamilyName), StudentNo: r.Student.StudentNumber,
					EVN: string(r.EVN), Assignee: names[r.Assignee]}
				if !r.Expires.IsZero() {
					row.Expires = domain.DateOf(r.Expires.In(zone))
				}
				if !yield(row) {
					return
				}
			}
			if !p.More {
				return
			}
			page.Offset += len(p.Rows)
		}
	}
	return QueueExport{School: in.Name, SchoolCode: in.Code.String(), Filter: filter, Count: count, Rows: iter.Seq[QueueRow](rows), Time: zone}, nil
}

// FilterText says in the reader's words what a queue filter selects:
// "Type: EV, TI · Status: New · Search: côté"; empty for the whole queue.
func FilterText(tr *translations.Translator, f requests.QueueFilter) string {
	var parts []string
	if len(f.Types) > 0 {
		var codes []string
		for _, t := range f.Types {
			codes = append(codes, t.Code())
		}
		parts = append(parts, tr.T("print.filter.type", strings.Join(codes, ", ")))
	}
	if len(f.Statuses) > 0 {
		var names []string
		for _, st := range f.Statuses {
			names = append(names, tr.T(statusKey(st)))
		}
		parts = append(parts, tr.T("print.filter.state", strings.Join(names, ", ")))
	}
	if f.Search != "" {
		parts = append(parts, tr.T("print.filter.search", f.Search))
	}
	return strings.Join(parts, " · ")
}

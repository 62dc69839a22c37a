package report

import (
	"slices"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/programs"
	"dossier/translations"
)

// ComplianceListOf is the DIR's (or signatory's) school's Annual
// Compliance list for year, as marked so far.
func ComplianceListOf(st programs.Desk, by account.Actor, year int) (ComplianceList, error) {
	in, err := st.Institution(by.Org)
	if err != nil {
		return ComplianceList{}, err
	}
	reqs, err := st.ComplianceRequests(by, year)
	if err != nil {
		return ComplianceList{}, err
	}
	rows := func(yield func(ComplianceRow) bool) {
		for _, r := range reqs {
			if !yield(ComplianceRow{Name: fullName(r.Student.GivenNames, r.Student.FamilyName), StudentNo: r.Student.StudentNumber,
				EVN: string(r.EVN), Status: r.Status, Reason: r.Reason}) {
				return
			}
		}
	}
	return ComplianceList{School: in.Name, SchoolCode: in.Code.String(), Year: year, Count: len(reqs), Rows: rows, Record: by.Org}, nil
}

// IneligibleReportOf is a school's Annual Report on Ineligible Students for
// year: as submitted, with its amendments (the students it lists are the
// ones ineligible once the amendments apply); before submission, a draft
// from the marks so far (the school's staff only).
func IneligibleReportOf(st programs.Desk, by account.Actor, tr *translations.Translator, school domain.ID, year int) (IneligibleReport, error) {
	in, err := st.Institution(school)
	if err != nil {
		return IneligibleReport{}, err
	}
	zone := SchoolZone(in)
	out := IneligibleReport{School: in.Name, SchoolCode: in.Code.String(), Province: in.Province, Year: year, Record: school, Time: zone}
	// The school's own staff see the students' numbers and EVNs; the
	// coordinator and the program, the report's names and reasons.
	requests := map[domain.ID]ens.Request{}
	if by.Role.InstitutionStaff() && by.Org == school {
		reqs, err := st.ComplianceRequests(by, year)
		if err != nil {
			return out, err
		}
		for _, r := range reqs {
			requests[r.ID] = r
		}
	}
	rep, err := st.ComplianceReport(by, school, year)
	if domain.ErrorCode(err) == ens.ErrComplianceNotReported && len(requests) > 0 {
		for _, r := range requests {
			switch r.Status {
			case ens.Eligible:
				out.Eligible++
			case ens.Ineligible:
				out.Students = append(out.Students, IneligibleStudent{Name: fullName(r.Student.GivenNames, r.Student.FamilyName),
					StudentNo: r.Student.StudentNumber, EVN: string(r.EVN), Reason: r.Reason})
			}
		}
		sortStudents(tr, out.Students)
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Submitted, out.SubmittedBy = domain.DateOf(rep.Submitted.In(zone)), nameOf(st, rep.SubmittedBy)
	out.FactSubmitted = domain.DateOf(rep.Submitted.UTC())
	ineligible, eligible, _ := rep.Current()
	out.Eligible = eligible
	for _, s := range ineligible {
		r := requests[s.Request]
		out.Students = append(out.Students, IneligibleStudent{Name: fullName(s.GivenNames, s.FamilyName),
			StudentNo: r.Student.StudentNumber, EVN: string(r.EVN), Reason: s.Reason})
	}
	sortStudents(tr, out.Students)
	for _, a := range rep.Amendments {
		out.Amendments = append(out.Amendments, Amendment{On: domain.DateOf(a.At.In(zone)), By: nameOf(st, a.By),
			Text: tr.T("print.amendment.text", a.Reason, len(a.Changes))})
	}
	return out, nil
}

// ProvincialReportOf is the coordinator's compilation of their province's
// reports for year.
func ProvincialReportOf(st programs.Desk, by account.Actor, tr *translations.Translator, year int, today domain.Date) (ProvincialReport, error) {
	pc, err := st.CompileProvince(by, year)
	if err != nil {
		return ProvincialReport{}, err
	}
	return provincialReport(st, pc, by.Account, by.Org, today), nil
}

// SubmittedReportOf is, for the program, the compilation province's
// coordinator submitted for year, as its coordinator printed it
// (store.ErrNotFound when none was submitted).
func SubmittedReportOf(st programs.Desk, by account.Actor, province string, year int, today domain.Date) (ProvincialReport, error) {
	all, err := st.ProvincialReports(by, year)
	if err != nil {
		return ProvincialReport{}, err
	}
	for _, pc := range all {
		if pc.Province == province {
			return provincialReport(st, pc, pc.SubmittedBy, store.ProvinceID(province), today), nil
		}
	}
	return ProvincialReport{}, domain.Errorf(store.ErrNotFound)
}

func provincialReport(st programs.Desk, pc ens.ProvincialCompilation, coordinator, record domain.ID, today domain.Date) ProvincialReport {
	year := pc.Year
	zone := assets.Zone("", pc.Province)
	out := ProvincialReport{Province: pc.Province, Year: year, Compiled: today, Coordinator: nameOf(st, coordinator), Record: record, Time: zone}
	if !pc.Submitted.IsZero() {
		out.Compiled, out.FactCompiled = domain.DateOf(pc.Submitted.In(zone)), domain.DateOf(pc.Submitted.UTC())
	}
	for _, s := range pc.Schools {
		line := SchoolLine{Name: s.Name, Code: s.Code.String(), Eligible: s.Eligible, Ineligible: s.Ineligible}
		if s.Reported() {
			line.Submitted = domain.DateOf(s.Submitted.In(zone))
		}
		out.Schools = append(out.Schools, line)
		for _, x := range s.Students {
			out.Students = append(out.Students, ProvincialStudent{SchoolCode: line.Code, Name: fullName(x.GivenNames, x.FamilyName),
				Reason: x.Reason})
		}
	}
	return out
}

// nameOf is an account's name, or nothing when this profile does not hold it.
func nameOf(st programs.Desk, id domain.ID) string {
	a, err := st.Account(id)
	if err != nil {
		return ""
	}
	return fullName(a.GivenNames, a.FamilyName)
}

// sortStudents orders students by name the reader's way.
func sortStudents(tr *translations.Translator, list []IneligibleStudent) {
	c := tr.Collator()
	slices.SortStableFunc(list, func(a, b IneligibleStudent) int { return c.CompareString(a.Name, b.Name) })
}

package ens

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// Codes of the coordinators' work. (Their strings name the store, where
// they were first declared: they are wire and catalog keys.)
var (
	ErrProvinceSubmitted = domain.NewCode("store.compliance.province.submitted", domain.KindConflict)
	ErrChaseNote         = domain.NewCode("store.compliance.chase.note", domain.KindInvalid)
)

// MaxChaseNote bounds a coordinator's note to a school.
const MaxChaseNote = 1000

// MayReadCompliance refuses the roles that read no compliance record:
// only a school's staff, the coordinators and the program read any.
func MayReadCompliance(by account.Actor) error {
	switch {
	case by.Role.InstitutionStaff(), by.Role == account.Coordinator, by.Role == account.ProgramOfficer,
		by.Role == account.System:
		return nil
	}
	return domain.Errorf(account.ErrForbidden)
}

// MayReadSchoolCompliance refuses by a school's compliance records
// (report, reminders): they are its staff's, its province's
// coordinators' and the program's.
func MayReadSchoolCompliance(by account.Actor, school domain.ID, province string) error {
	if err := MayReadCompliance(by); err != nil {
		return err
	}
	switch {
	case by.Role.InstitutionStaff() && by.Org != school,
		by.Role == account.Coordinator && by.Org != ProvinceID(province):
		return domain.Errorf(account.ErrOtherOrganisation)
	}
	return nil
}

// MayReadCompilations refuses, with account.ErrForbidden, anyone but
// the program the provinces' submitted compilations, all of them.
func MayReadCompilations(by account.Actor) error {
	if by.Role != account.ProgramOfficer && by.Role != account.System {
		return domain.Errorf(account.ErrForbidden)
	}
	return nil
}

// MayCoordinate refuses by the work of province's coordinators (chasing
// its schools, compiling and submitting its report):
// account.ErrForbidden unless by is a coordinator, and
// account.ErrOtherOrganisation unless province (its postal abbreviation,
// as written on its schools) is the one whose organisation by belongs
// to.
func MayCoordinate(by account.Actor, province string) error {
	if err := account.Authorize(by, account.CompileReports, domain.ID{}); err != nil {
		return err
	}
	if province == "" || province != strings.ToUpper(province) || by.Org != ProvinceID(province) {
		return domain.Errorf(account.ErrOtherOrganisation)
	}
	return nil
}

// ComplianceChase is a coordinator's reminder to a school that has not
// submitted its report for a year; the school's staff read it.
type ComplianceChase struct {
	ID       domain.ID `json:"id"`
	School   domain.ID `json:"school"`
	Province string    `json:"province"`
	Year     int       `json:"year"`
	Note     string    `json:"note,omitempty"`
	By       domain.ID `json:"by"`
	At       time.Time `json:"at"`
}

// ChaseSchool is by's reminder id, at now, to school (of province) that
// its report for year is due, with an optional note. It is refused as
// MayCoordinate refuses (only the coordinator of the school's province
// chases it), with ErrComplianceYear for a year whose list is not drawn
// up, ErrComplianceSubmitted once the school has reported (reported),
// and ErrChaseNote for a note over MaxChaseNote characters.
func ChaseSchool(by account.Actor, id, school domain.ID, province string, year int, reported bool, note string, now time.Time) (ComplianceChase, error) {
	if err := MayCoordinate(by, province); err != nil {
		return ComplianceChase{}, err
	}
	if err := CheckReportYear(year, now); err != nil {
		return ComplianceChase{}, err
	}
	if reported {
		return ComplianceChase{}, domain.Errorf(ErrComplianceSubmitted, strconv.Itoa(year))
	}
	note, err := domain.CleanText("note", note, MaxChaseNote, false)
	if err != nil {
		return ComplianceChase{}, domain.FieldError(ErrChaseNote, "note", MaxChaseNote)
	}
	return ComplianceChase{ID: id, School: school, Province: province, Year: year, Note: note, By: by.Account, At: now}, nil
}

// School is what a province's compilation reads of one of its schools.
type School struct {
	ID       domain.ID
	Name     string
	Code     SchoolCode
	Province string
}

// SchoolCompliance is where one school of a province stands for a year:
// its report's counts (with its amendments applied) once submitted, and
// how often the coordinator has chased it.
type SchoolCompliance struct {
	School domain.ID  `json:"school"`
	Name   string     `json:"name"`
	Code   SchoolCode `json:"code"`
	// Submitted is when the report was submitted; zero while it is not.
	Submitted   time.Time `json:"submitted,omitzero"`
	SubmittedBy domain.ID `json:"submittedBy,omitzero"`
	Eligible    int       `json:"eligible"`
	Ineligible  int       `json:"ineligible"`
	Amendments  int       `json:"amendments,omitempty"`
	// Students are the ineligible students, in a compilation only.
	Students   []IneligibleStudent `json:"students,omitempty"`
	Chased     int                 `json:"chased,omitempty"`
	LastChased time.Time           `json:"lastChased,omitzero"`
}

// Reported reports whether the school has submitted its report.
func (sc SchoolCompliance) Reported() bool { return !sc.Submitted.IsZero() }

// ProvincialCompilation is a province's report for a year: every school,
// submitted or not, with its counts and ineligible students, and the
// province's totals, which are the sums of the schools' reports with
// their amendments applied. Submitted is set once the coordinator has
// submitted it to the program, which locks it.
type ProvincialCompilation struct {
	ID          domain.ID          `json:"id"`
	Province    string             `json:"province"`
	Year        int                `json:"year"`
	Compiled    time.Time          `json:"compiled"`
	Schools     []SchoolCompliance `json:"schools"`
	Reported    int                `json:"reported"`
	Missing     int                `json:"missing"`
	Eligible    int                `json:"eligible"`
	Ineligible  int                `json:"ineligible"`
	Submitted   time.Time          `json:"submitted,omitzero"`
	SubmittedBy domain.ID          `json:"submittedBy,omitzero"`
	Version     uint64             `json:"version"`
}

// Compile adds up, at now, province's report for year: every school of
// the province (schools of others are left out), by name, with its
// report for the year (with its amendments applied) once submitted and
// the reminders it was sent for the year; and the province's totals,
// the sums of the reports. Reports and reminders of other schools or
// years are left out.
func Compile(province string, year int, schools []School, reports []ComplianceReport, chases []ComplianceChase, now time.Time) ProvincialCompilation {
	pc := ProvincialCompilation{ID: ProvincialReportID(province, year), Province: province, Year: year, Compiled: now,
		Schools: []SchoolCompliance{}}
	mine := slices.DeleteFunc(slices.Clone(schools), func(s School) bool { return s.Province != province })
	slices.SortStableFunc(mine, func(a, b School) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	for _, in := range mine {
		sc := SchoolCompliance{School: in.ID, Name: in.Name, Code: in.Code}
		for _, ch := range chases {
			if ch.School == in.ID && ch.Year == year {
				sc.Chased++
				if ch.At.After(sc.LastChased) {
					sc.LastChased = ch.At
				}
			}
		}
		if i := slices.IndexFunc(reports, func(r ComplianceReport) bool { return r.School == in.ID && r.Year == year }); i >= 0 {
			rep := &reports[i]
			list, eligible, ineligible := rep.Current()
			sc.Submitted, sc.SubmittedBy, sc.Eligible, sc.Ineligible = rep.Submitted, rep.SubmittedBy, eligible, ineligible
			sc.Amendments = len(rep.Amendments)
			sc.Students = list
			pc.Reported++
			pc.Eligible += eligible
			pc.Ineligible += ineligible
		} else {
			pc.Missing++
		}
		pc.Schools = append(pc.Schools, sc)
	}
	return pc
}

// Standing is where each school stands in the compilation, without its
// students' names: what a coordinator's overview shows.
func (pc ProvincialCompilation) Standing() []SchoolCompliance {
	out := slices.Clone(pc.Schools)
	for i := range out {
		out[i].Students = nil
	}
	return out
}

// MaySubmitCompilation refuses what forbids by to submit province's
// compilation for year at now, whatever it holds: as MayCoordinate
// refuses (only the province's own coordinator), ErrComplianceYear for a
// year whose list is not drawn up, and ErrProvinceSubmitted once a
// compilation for the province and year is on record (submitted): it is
// submitted once. Schools that have not reported do not stop it; the
// compilation lists them as missing. The store asks it before it
// compiles, so that a refusal costs no read.
func MaySubmitCompilation(by account.Actor, province string, year int, submitted bool, now time.Time) error {
	if err := MayCoordinate(by, province); err != nil {
		return err
	}
	if err := CheckReportYear(year, now); err != nil {
		return err
	}
	if submitted {
		return domain.Errorf(ErrProvinceSubmitted, strconv.Itoa(year))
	}
	return nil
}

// SubmitCompilation is by's submission at now of pc, their province's
// compilation (Compile), to the program: refused as MaySubmitCompilation
// refuses; the returned compilation is stamped as submitted, and locked.
func SubmitCompilation(by account.Actor, pc ProvincialCompilation, submitted bool, now time.Time) (ProvincialCompilation, error) {
	if err := MaySubmitCompilation(by, pc.Province, pc.Year, submitted, now); err != nil {
		return ProvincialCompilation{}, err
	}
	pc.Submitted, pc.SubmittedBy = now, by.Account
	return pc, nil
}

package store

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/sync"
)

// The commands of provincial and territorial coordinators.
const (
	KindChaseSchool            sync.Kind = "ens.compliance.chase"
	KindSubmitProvincialReport sync.Kind = "ens.compliance.province"
)

// Codes of the coordinators' work.
var (
	ErrProvinceSubmitted = domain.NewCode("store.compliance.province.submitted", domain.KindConflict)
	ErrChaseNote         = domain.NewCode("store.compliance.chase.note", domain.KindInvalid)
)

// MaxChaseNote bounds a coordinator's note to a school.
const MaxChaseNote = 1000

// ProvinceID is the organisation of a province's or territory's
// coordinators (code as in Provinces): the same on every machine, so it
// names their share of the change feed.
func ProvinceID(code string) domain.ID {
	return derivedID("province", []byte(strings.ToUpper(code)), 0)
}

// ProvinceOf is the province or territory whose coordinators' organisation
// is org; ok is false for any other organisation.
func ProvinceOf(org domain.ID) (code string, ok bool) {
	for _, p := range Provinces {
		if ProvinceID(p) == org {
			return p, true
		}
	}
	return "", false
}

// CreateCoordinatorAccount makes a province's or territory's coordinator
// (DOMAIN.md §1: a program account), whose organisation is the
// province's: they read the compliance records of its schools only.
func (s *Store) CreateCoordinatorAccount(r account.Registration, province string) (Account, error) {
	province = strings.ToUpper(strings.TrimSpace(province))
	if !slices.Contains(Provinces, province) {
		return Account{}, domain.FieldError(ErrProvince, "province")
	}
	c, err := s.newRegistration(r)
	if err != nil {
		return Account{}, err
	}
	var acct Account
	err = s.db.Update(func(tx *Tx) error {
		if acct, err = c.create(s, tx, account.Coordinator); err != nil {
			return err
		}
		acct.Org = ProvinceID(province)
		if err := s.putAccount(tx, &acct, true); err != nil {
			return err
		}
		return s.journal(tx, c.now, change{by: account.SystemActor, action: "account.coordinator", entity: c.id,
			detail: province})
	})
	return acct, err
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

// ChaseSchool records, as the coordinator of the school's province, a
// reminder to a school whose report for year is not submitted; the
// school's staff see it after their next sync. A school of another
// province is refused, and so is one that has reported.
func (s *Store) ChaseSchool(by account.Actor, school domain.ID, year int, note string) (ComplianceChase, error) {
	now := s.now()
	id, err := s.newID(now)
	if err != nil {
		return ComplianceChase{}, err
	}
	var ch ComplianceChase
	err = s.db.Update(func(tx *Tx) error {
		var err error
		if ch, err = s.chaseSchool(tx, by, ComplianceChase{ID: id, School: school, Year: year, Note: note, At: now}, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindChaseSchool, action: "compliance.chase", entity: id,
			payload: ch, detail: strconv.Itoa(year)})
	})
	return ch, err
}

func (s *Store) chaseSchool(tx *Tx, by account.Actor, p ComplianceChase, now time.Time) (ComplianceChase, error) {
	if err := account.Authorize(by, account.CompileReports, domain.ID{}); err != nil {
		return p, err
	}
	in, err := s.institution(tx, p.School)
	if err != nil {
		return p, err
	}
	if by.Org != ProvinceID(in.Province) {
		return p, domain.Errorf(account.ErrOtherOrganisation)
	}
	if err := checkYear(p.Year, now); err != nil {
		return p, err
	}
	if rid := ComplianceReportID(p.School, p.Year); tx.Bucket(complianceBucket).Get(rid[:]) != nil {
		return p, domain.Errorf(ens.ErrComplianceSubmitted, strconv.Itoa(p.Year))
	}
	note, err := domain.CleanText("note", p.Note, MaxChaseNote, false)
	if err != nil {
		return p, domain.FieldError(ErrChaseNote, "note", MaxChaseNote)
	}
	ch := ComplianceChase{ID: p.ID, School: p.School, Province: in.Province, Year: p.Year, Note: note, By: by.Account, At: now}
	if err := s.putJSON(bucketOf(tx, chasesBucket), ch.ID[:], ch); err != nil {
		return ch, err
	}
	return ch, s.feed(tx, sync.EntityComplianceChase, ch.ID, 1, []reader{orgReader(ch.School), orgReader(by.Org)}, ch)
}

// checkYear refuses a compliance year that cannot have a list yet.
func checkYear(year int, now time.Time) error {
	if year < 2000 || year > now.Year()+1 {
		return domain.FieldError(ens.ErrComplianceYear, "year")
	}
	return nil
}

func (s *Store) applyChase(tx *Tx, c *sync.Change) (bool, error) {
	var ch ComplianceChase
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if ch.ID != c.ID {
		return false, nil
	}
	return true, s.putJSON(bucketOf(tx, chasesBucket), ch.ID[:], ch)
}

// ComplianceChases lists the reminders for year (every year when 0) that
// by may read: a school's staff theirs, a coordinator their province's,
// the program all; newest first.
func (s *Store) ComplianceChases(by account.Actor, year int) ([]ComplianceChase, error) {
	if err := readsCompliance(by); err != nil {
		return nil, err
	}
	out := []ComplianceChase{}
	err := s.db.View(func(tx *Tx) error {
		var err error
		out, err = s.chases(tx, by, year)
		return err
	})
	return out, err
}

func (s *Store) chases(tx *Tx, by account.Actor, year int) ([]ComplianceChase, error) {
	out := []ComplianceChase{}
	b := bucketOf(tx, chasesBucket)
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var ch ComplianceChase
		if err := s.openJSON(b, k, v, &ch); err != nil {
			return nil, err
		}
		if (year == 0 || ch.Year == year) && canReadCompliance(by, ch.School, ch.Province) == nil {
			out = append(out, ch)
		}
	}
	return out, nil
}

// SchoolCompliance is where one school of a province stands for a year:
// its report's counts (with its amendments applied) once submitted, and
// how often the coordinator has chased it.
type SchoolCompliance struct {
	School domain.ID      `json:"school"`
	Name   string         `json:"name"`
	Code   ens.SchoolCode `json:"code"`
	// Submitted is when the report was submitted; zero while it is not.
	Submitted   time.Time `json:"submitted,omitzero"`
	SubmittedBy domain.ID `json:"submittedBy,omitzero"`
	Eligible    int       `json:"eligible"`
	Ineligible  int       `json:"ineligible"`
	Amendments  int       `json:"amendments,omitempty"`
	// Students are the ineligible students, in a compilation only.
	Students   []ens.IneligibleStudent `json:"students,omitempty"`
	Chased     int                     `json:"chased,omitempty"`
	LastChased time.Time               `json:"lastChased,omitzero"`
}

// Reported reports whether the school has submitted its report.
func (sc SchoolCompliance) Reported() bool { return !sc.Submitted.IsZero() }

// ComplianceStatus lists, for a coordinator, every school of their
// province for year, by name: which have submitted (when, with their
// counts) and which have not (and how often they were chased).
func (s *Store) ComplianceStatus(by account.Actor, year int) ([]SchoolCompliance, error) {
	pc, err := s.compileFor(by, year, false)
	return pc.Schools, err
}

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

// ProvincialReportID is the ID of a province's compilation for a year.
func ProvincialReportID(province string, year int) domain.ID {
	return derivedID("provincial-report", []byte(strings.ToUpper(province)), year)
}

// CompileProvince compiles, for a coordinator, their province's report
// for year from the schools' reports this profile holds. Once the
// coordinator has submitted it, the submitted compilation is returned.
func (s *Store) CompileProvince(by account.Actor, year int) (ProvincialCompilation, error) {
	return s.compileFor(by, year, true)
}

func (s *Store) compileFor(by account.Actor, year int, students bool) (ProvincialCompilation, error) {
	if err := account.Authorize(by, account.CompileReports, domain.ID{}); err != nil {
		return ProvincialCompilation{}, err
	}
	province, ok := ProvinceOf(by.Org)
	if !ok {
		return ProvincialCompilation{}, domain.Errorf(account.ErrOtherOrganisation)
	}
	var pc ProvincialCompilation
	err := s.db.View(func(tx *Tx) error {
		if students {
			id := ProvincialReportID(province, year)
			if found, err := s.getJSON(bucketOf(tx, provincialBucket), id[:], &pc); err != nil || found {
				return err
			}
		}
		var err error
		pc, err = s.compile(tx, province, year, s.now(), students)
		return err
	})
	return pc, err
}

// compile adds up the reports of the province's schools for year.
func (s *Store) compile(tx *Tx, province string, year int, now time.Time, students bool) (ProvincialCompilation, error) {
	pc := ProvincialCompilation{ID: ProvincialReportID(province, year), Province: province, Year: year, Compiled: now,
		Schools: []SchoolCompliance{}}
	all, err := s.institutions(tx)
	if err != nil {
		return pc, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	chases, err := s.chases(tx, account.Actor{Role: account.Coordinator, Org: ProvinceID(province)}, year)
	if err != nil {
		return pc, err
	}
	for _, in := range all {
		if in.Province != province {
			continue
		}
		sc := SchoolCompliance{School: in.ID, Name: in.Name, Code: in.Code}
		for _, ch := range chases {
			if ch.School == in.ID {
				sc.Chased++
				if ch.At.After(sc.LastChased) {
					sc.LastChased = ch.At
				}
			}
		}
		var rep ens.ComplianceReport
		id := ComplianceReportID(in.ID, year)
		found, err := s.getJSON(bucketOf(tx, complianceBucket), id[:], &rep)
		if err != nil {
			return pc, err
		}
		if found {
			list, eligible, ineligible := rep.Current()
			sc.Submitted, sc.SubmittedBy, sc.Eligible, sc.Ineligible = rep.Submitted, rep.SubmittedBy, eligible, ineligible
			sc.Amendments = len(rep.Amendments)
			if students {
				sc.Students = list
			}
			pc.Reported++
			pc.Eligible += eligible
			pc.Ineligible += ineligible
		} else {
			pc.Missing++
		}
		pc.Schools = append(pc.Schools, sc)
	}
	return pc, nil
}

// ProvincialSubmitPayload is a coordinator's submission of their
// province's compilation; the server compiles it again from its record.
type ProvincialSubmitPayload struct {
	Province string    `json:"province"`
	Year     int       `json:"year"`
	At       time.Time `json:"at"`
}

// SubmitProvincialReport submits the coordinator's compilation of their
// province for year to the program and locks it: a second submission is
// refused with ErrProvinceSubmitted. Schools that have not reported are
// listed as such.
func (s *Store) SubmitProvincialReport(by account.Actor, year int) (ProvincialCompilation, error) {
	province, _ := ProvinceOf(by.Org)
	now := s.now()
	p := ProvincialSubmitPayload{Province: province, Year: year, At: now}
	var pc ProvincialCompilation
	err := s.db.Update(func(tx *Tx) error {
		var err error
		if pc, err = s.submitProvincial(tx, by, p, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindSubmitProvincialReport, action: "compliance.province",
			entity: pc.ID, payload: p, detail: province + ":" + strconv.Itoa(year)})
	})
	return pc, err
}

func (s *Store) submitProvincial(tx *Tx, by account.Actor, p ProvincialSubmitPayload, now time.Time) (ProvincialCompilation, error) {
	if err := account.Authorize(by, account.CompileReports, domain.ID{}); err != nil {
		return ProvincialCompilation{}, err
	}
	if province, ok := ProvinceOf(by.Org); !ok || province != p.Province {
		return ProvincialCompilation{}, domain.Errorf(account.ErrOtherOrganisation)
	}
	if err := checkYear(p.Year, now); err != nil {
		return ProvincialCompilation{}, err
	}
	id := ProvincialReportID(p.Province, p.Year)
	if tx.Bucket(provincialBucket).Get(id[:]) != nil {
		return ProvincialCompilation{}, domain.Errorf(ErrProvinceSubmitted, strconv.Itoa(p.Year))
	}
	pc, err := s.compile(tx, p.Province, p.Year, now, true)
	if err != nil {
		return pc, err
	}
	pc.Submitted, pc.SubmittedBy, pc.Version = now, by.Account, 1
	if err := s.putJSON(bucketOf(tx, provincialBucket), pc.ID[:], pc); err != nil {
		return pc, err
	}
	return pc, s.feed(tx, sync.EntityProvincialReport, pc.ID, pc.Version, []reader{orgReader(by.Org)}, pc)
}

func (s *Store) applyProvincial(tx *Tx, c *sync.Change) (bool, error) {
	var pc ProvincialCompilation
	if err := json.Unmarshal(c.Data, &pc); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if pc.ID != c.ID || pc.ID != ProvincialReportID(pc.Province, pc.Year) {
		return false, nil
	}
	return true, s.putJSON(bucketOf(tx, provincialBucket), pc.ID[:], pc)
}

// ProvincialReports lists, for the program, the compilations the
// coordinators submitted for year (every year when 0).
func (s *Store) ProvincialReports(by account.Actor, year int) ([]ProvincialCompilation, error) {
	if by.Role != account.ProgramOfficer && by.Role != account.System {
		return nil, domain.Errorf(account.ErrForbidden)
	}
	out := []ProvincialCompilation{}
	err := s.db.View(func(tx *Tx) error {
		b := bucketOf(tx, provincialBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var pc ProvincialCompilation
			if err := s.openJSON(b, k, v, &pc); err != nil {
				return err
			}
			if year == 0 || pc.Year == year {
				out = append(out, pc)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b ProvincialCompilation) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		return strings.Compare(a.Province, b.Province)
	})
	return out, err
}

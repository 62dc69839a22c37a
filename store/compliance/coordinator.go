package compliance

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// The commands of provincial and territorial coordinators.
const (
	KindChaseSchool            sync.Kind = "ens.compliance.chase"
	KindSubmitProvincialReport sync.Kind = "ens.compliance.province"
)

// Codes of the coordinators' work (declared in ens, with their rules).
var (
	ErrProvinceSubmitted = ens.ErrProvinceSubmitted
	ErrChaseNote         = ens.ErrChaseNote
)

// MaxChaseNote bounds a coordinator's note to a school.
const MaxChaseNote = ens.MaxChaseNote

// CreateCoordinatorAccount makes a province's or territory's coordinator
// (DOMAIN.md §1: a program account), whose organisation is the
// province's: they read the compliance records of its schools only.
func (s Store) CreateCoordinatorAccount(r account.Registration, province string) (store.Account, error) {
	province = strings.ToUpper(strings.TrimSpace(province))
	if !slices.Contains(store.Provinces, province) {
		return store.Account{}, domain.FieldError(store.ErrProvince, "province")
	}
	c, err := s.NewRegistration(r)
	if err != nil {
		return store.Account{}, err
	}
	var acct store.Account
	err = s.Update(func(tx *store.Tx) error {
		if acct, err = c.Create(s.Engine(), tx, account.Coordinator); err != nil {
			return err
		}
		acct.Org = store.ProvinceID(province)
		if err := s.PutAccount(tx, &acct, true); err != nil {
			return err
		}
		return s.Journal(tx, c.Now, store.Entry{By: account.SystemActor, Action: "account.coordinator", Entity: c.ID,
			Detail: province})
	})
	return acct, err
}

// ComplianceChase is a coordinator's reminder to a school that has not
// submitted its report for a year (ens.ComplianceChase).
type ComplianceChase = ens.ComplianceChase

// ChaseSchool records, as the coordinator of the school's province, a
// reminder to a school whose report for year is not submitted; the
// school's staff see it after their next sync. A school of another
// province is refused, and so is one that has reported, or a year whose
// list is not drawn up (the rules: ens.ChaseSchool).
func (s Store) ChaseSchool(by account.Actor, school domain.ID, year int, note string) (ComplianceChase, error) {
	now := s.Now()
	id, err := s.NewID(now)
	if err != nil {
		return ComplianceChase{}, err
	}
	var ch ComplianceChase
	err = s.Update(func(tx *store.Tx) error {
		var err error
		if ch, err = s.chaseSchool(tx, by, ComplianceChase{ID: id, School: school, Year: year, Note: note, At: now}, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindChaseSchool, Action: "compliance.chase", Entity: id,
			Payload: ch, Detail: strconv.Itoa(year)})
	})
	return ch, err
}

// chaseSchool records p, a reminder, with the rule of ens.ChaseSchool.
func (s Store) chaseSchool(tx *store.Tx, by account.Actor, p ComplianceChase, now time.Time) (ComplianceChase, error) {
	if err := account.Authorize(by, account.CompileReports, domain.ID{}); err != nil {
		return p, err // before the school is looked up: a refusal tells nothing of it
	}
	in, err := s.InstitutionIn(tx, p.School)
	if err != nil {
		return p, err
	}
	rid := ComplianceReportID(p.School, p.Year)
	reported := tx.Bucket(store.ComplianceBucket).Get(rid[:]) != nil
	ch, err := ens.ChaseSchool(by, p.ID, p.School, in.Province, p.Year, reported, p.Note, now)
	if err != nil {
		return p, err
	}
	if err := s.PutJSON(store.BucketOf(tx, store.ChasesBucket), ch.ID[:], ch); err != nil {
		return ch, err
	}
	return ch, s.Feed(tx, sync.EntityComplianceChase, ch.ID, 1, []store.Reader{store.OrgReader(ch.School), store.OrgReader(by.Org)}, ch)
}

func (s Store) applyChase(tx *store.Tx, c *sync.Change) (bool, error) {
	var ch ComplianceChase
	if err := json.Unmarshal(c.Data, &ch); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if ch.ID != c.ID {
		return false, nil
	}
	return true, s.PutJSON(store.BucketOf(tx, store.ChasesBucket), ch.ID[:], ch)
}

// ComplianceChases lists the reminders for year (every year when 0) that
// by may read: a school's staff theirs, a coordinator their province's,
// the program all; newest first.
func (s Store) ComplianceChases(by account.Actor, year int) ([]ComplianceChase, error) {
	if err := readsCompliance(by); err != nil {
		return nil, err
	}
	out := []ComplianceChase{}
	err := s.View(func(tx *store.Tx) error {
		var err error
		out, err = s.chases(tx, by, year)
		return err
	})
	return out, err
}

func (s Store) chases(tx *store.Tx, by account.Actor, year int) ([]ComplianceChase, error) {
	out := []ComplianceChase{}
	b := store.BucketOf(tx, store.ChasesBucket)
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var ch ComplianceChase
		if err := s.OpenJSON(b, k, v, &ch); err != nil {
			return nil, err
		}
		if (year == 0 || ch.Year == year) && CanReadCompliance(by, ch.School, ch.Province) == nil {
			out = append(out, ch)
		}
	}
	return out, nil
}

// SchoolCompliance is where one school of a province stands for a year
// (ens.SchoolCompliance).
type SchoolCompliance = ens.SchoolCompliance

// ComplianceStatus lists, for a coordinator, every school of their
// province for year, by name: which have submitted (when, with their
// counts) and which have not (and how often they were chased).
func (s Store) ComplianceStatus(by account.Actor, year int) ([]SchoolCompliance, error) {
	pc, err := s.compileFor(by, year, false)
	return pc.Standing(), err
}

// ProvincialCompilation is a province's report for a year
// (ens.ProvincialCompilation).
type ProvincialCompilation = ens.ProvincialCompilation

// ProvincialReportID is the ID of a province's compilation for a year
// (ens.ProvincialReportID).
func ProvincialReportID(province string, year int) domain.ID {
	return ens.ProvincialReportID(province, year)
}

// CompileProvince compiles, for a coordinator, their province's report
// for year from the schools' reports this profile holds. Once the
// coordinator has submitted it, the submitted compilation is returned.
func (s Store) CompileProvince(by account.Actor, year int) (ProvincialCompilation, error) {
	return s.compileFor(by, year, true)
}

// compileFor is the compilation of by's province for year: the submitted
// one when students is set and there is one, else one compiled now.
func (s Store) compileFor(by account.Actor, year int, students bool) (ProvincialCompilation, error) {
	province, _ := store.ProvinceOf(by.Org)
	if err := ens.MayCoordinate(by, province); err != nil {
		return ProvincialCompilation{}, err
	}
	var pc ProvincialCompilation
	err := s.View(func(tx *store.Tx) error {
		if students {
			id := ProvincialReportID(province, year)
			if found, err := s.GetJSON(store.BucketOf(tx, store.ProvincialBucket), id[:], &pc); err != nil || found {
				return err
			}
		}
		var err error
		pc, err = s.CompileIn(tx, province, year, s.Now())
		return err
	})
	return pc, err
}

// compile reads what ens.Compile adds up for the province's report of
// year: its schools, their reports and the reminders they were sent.
func (s Store) CompileIn(tx *store.Tx, province string, year int, now time.Time) (ProvincialCompilation, error) {
	all, err := s.InstitutionsIn(tx)
	if err != nil {
		return ProvincialCompilation{}, err
	}
	chases, err := s.chases(tx, account.Actor{Role: account.Coordinator, Org: store.ProvinceID(province)}, year)
	if err != nil {
		return ProvincialCompilation{}, err
	}
	var schools []ens.School
	var reports []ens.ComplianceReport
	for _, in := range all {
		if in.Province != province {
			continue
		}
		schools = append(schools, ens.School{ID: in.ID, Name: in.Name, Code: in.Code, Province: in.Province})
		var rep ens.ComplianceReport
		id := ComplianceReportID(in.ID, year)
		found, err := s.GetJSON(store.BucketOf(tx, store.ComplianceBucket), id[:], &rep)
		if err != nil {
			return ProvincialCompilation{}, err
		}
		if found {
			reports = append(reports, rep)
		}
	}
	return ens.Compile(province, year, schools, reports, chases, now), nil
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
// refused with ErrProvinceSubmitted, and a year whose list is not drawn
// up with ens.ErrComplianceYear (the rules: ens.SubmitCompilation).
// Schools that have not reported are listed as such.
func (s Store) SubmitProvincialReport(by account.Actor, year int) (ProvincialCompilation, error) {
	province, _ := store.ProvinceOf(by.Org)
	now := s.Now()
	p := ProvincialSubmitPayload{Province: province, Year: year, At: now}
	var pc ProvincialCompilation
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if pc, err = s.submitProvincial(tx, by, p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSubmitProvincialReport, Action: "compliance.province",
			Entity: pc.ID, Payload: p, Detail: province + ":" + strconv.Itoa(year)})
	})
	return pc, err
}

// submitProvincial compiles and submits the province's report with the
// rule of ens.SubmitCompilation, asked before anything is compiled.
func (s Store) submitProvincial(tx *store.Tx, by account.Actor, p ProvincialSubmitPayload, now time.Time) (ProvincialCompilation, error) {
	id := ProvincialReportID(p.Province, p.Year)
	submitted := tx.Bucket(store.ProvincialBucket).Get(id[:]) != nil
	if err := ens.MaySubmitCompilation(by, p.Province, p.Year, submitted, now); err != nil {
		return ProvincialCompilation{}, err
	}
	compiled, err := s.CompileIn(tx, p.Province, p.Year, now)
	if err != nil {
		return compiled, err
	}
	pc, err := ens.SubmitCompilation(by, compiled, submitted, now)
	if err != nil {
		return pc, err
	}
	pc.Version = 1
	if err := s.PutJSON(store.BucketOf(tx, store.ProvincialBucket), pc.ID[:], pc); err != nil {
		return pc, err
	}
	return pc, s.Feed(tx, sync.EntityProvincialReport, pc.ID, pc.Version, []store.Reader{store.OrgReader(by.Org)}, pc)
}

func (s Store) applyProvincial(tx *store.Tx, c *sync.Change) (bool, error) {
	var pc ProvincialCompilation
	if err := json.Unmarshal(c.Data, &pc); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if pc.ID != c.ID || pc.ID != ProvincialReportID(pc.Province, pc.Year) {
		return false, nil
	}
	return true, s.PutJSON(store.BucketOf(tx, store.ProvincialBucket), pc.ID[:], pc)
}

// ProvincialReports lists, for the program, the compilations the
// coordinators submitted for year (every year when 0).
func (s Store) ProvincialReports(by account.Actor, year int) ([]ProvincialCompilation, error) {
	if err := ens.MayReadCompilations(by); err != nil {
		return nil, err
	}
	out := []ProvincialCompilation{}
	err := s.View(func(tx *store.Tx) error {
		b := store.BucketOf(tx, store.ProvincialBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var pc ProvincialCompilation
			if err := s.OpenJSON(b, k, v, &pc); err != nil {
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

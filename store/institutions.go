package store

import (
	"slices"
	"sort"
	"strings"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/sync"
)

// Institution is a school that takes part in the program.
type Institution struct {
	ID       domain.ID      `json:"id"`
	Name     string         `json:"name"`
	Code     ens.SchoolCode `json:"code"`
	Province string         `json:"province"`
	// TimeZone is the IANA zone the school's documents date their
	// requests in ("America/Vancouver"); empty, its province's
	// (assets.Zone), so a request received late in the evening is printed
	// on the day the school received it.
	TimeZone string `json:"timeZone,omitempty"`
	// NextDIRDesk and NextSignatoryDesk number the desks of the school's
	// staff. The program numbers DIR desks (1–31) and the DIR numbers
	// signatory desks (32 on), so two issuers never hand out one number.
	NextDIRDesk       uint16 `json:"nextDIRDesk"`
	NextSignatoryDesk uint16 `json:"nextSignatoryDesk"`
}

// Desk number ranges.
const (
	firstDIRDesk       = 1
	lastDIRDesk        = 31
	FirstSignatoryDesk = 32
)

// Provinces and territories, by their postal abbreviations.
var Provinces = []string{"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}

// Codes for institutions.
var (
	ErrInstitutionName = domain.NewCode("store.school.name", domain.KindInvalid)
	ErrProvince        = domain.NewCode("store.school.province", domain.KindInvalid)
	ErrDeskNumbers     = domain.NewCode("store.school.desks-exhausted", domain.KindConflict)
	ErrTimeZone        = domain.NewCode("store.school.time-zone", domain.KindInvalid)
)

// SchoolZones are the time zones a school may name instead of its
// province's: Canada's.
var SchoolZones = []string{"America/St_Johns", "America/Halifax", "America/Glace_Bay", "America/Moncton",
	"America/Goose_Bay", "America/Toronto", "America/Iqaluit", "America/Atikokan", "America/Winnipeg",
	"America/Rankin_Inlet", "America/Resolute", "America/Regina", "America/Swift_Current", "America/Edmonton",
	"America/Cambridge_Bay", "America/Inuvik", "America/Creston", "America/Dawson_Creek", "America/Fort_Nelson",
	"America/Whitehorse", "America/Dawson", "America/Vancouver"}

// KindCreateInstitution is the outbox command of CreateInstitution.
const KindCreateInstitution sync.Kind = "ens.institution.create"

// CreateInstitution registers a participating school. Only the program may;
// the school code must be unused.
func (s *Store) CreateInstitution(by account.Actor, in Institution) (Institution, error) {
	in, err := CheckInstitution(by, in)
	if err != nil {
		return in, err
	}
	now := s.Now()
	if in.ID, err = s.NewID(now); err != nil {
		return in, err
	}
	err = s.db.Update(func(tx *Tx) error {
		if err := s.CreateInstitutionIn(tx, &in); err != nil {
			return err
		}
		return s.Journal(tx, now, Entry{By: by, Kind: KindCreateInstitution, Action: "institution.create",
			Entity: in.ID, Payload: in})
	})
	return in, err
}

// CheckInstitution checks that by may register in and cleans it.
func CheckInstitution(by account.Actor, in Institution) (Institution, error) {
	if err := account.Authorize(by, account.ManageInstitutions, domain.ID{}); err != nil {
		return in, err
	}
	if err := domain.Checks(in.checks()).First(); err != nil {
		return in, err
	}
	return in, nil
}

// InstitutionErrors is every fault CheckInstitution would find in in's
// fields, one per field, for a form to show them all at once; the checks
// are CheckInstitution's own.
func InstitutionErrors(in Institution) []error {
	return domain.Checks(in.checks()).All()
}

// checks are CheckInstitution's checks of the fields, each cleaning its
// field of in.
func (in *Institution) checks() []func() error {
	return []func() error{
		func() error {
			in.Name = strings.Join(strings.Fields(domain.StripInvisible(in.Name, false)), " ")
			if in.Name == "" || len(in.Name) > 200 {
				return domain.FieldError(ErrInstitutionName, "name")
			}
			return nil
		},
		func() error {
			in.Province = strings.ToUpper(strings.TrimSpace(in.Province))
			if !slices.Contains(Provinces, in.Province) {
				return domain.FieldError(ErrProvince, "province")
			}
			return nil
		},
		func() error {
			in.TimeZone = strings.TrimSpace(in.TimeZone)
			if in.TimeZone != "" && !slices.Contains(SchoolZones, in.TimeZone) {
				return domain.FieldError(ErrTimeZone, "timeZone")
			}
			return nil
		},
		func() error {
			if in.Code > ens.MaxSchoolCode {
				return domain.FieldError(ens.ErrSchoolCodeFormat, "code")
			}
			return nil
		},
	}
}

// CreateInstitutionIn writes a new, checked school whose code must be unused.
func (s *Store) CreateInstitutionIn(tx *Tx, in *Institution) error {
	all, err := s.InstitutionsIn(tx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.Code == in.Code {
			return domain.FieldError(ErrSchoolCodeTaken, "code", in.Code.String())
		}
	}
	in.NextDIRDesk, in.NextSignatoryDesk = firstDIRDesk, FirstSignatoryDesk
	return s.PutInstitution(tx, in)
}

// Institutions lists the participating schools by name.
func (s *Store) Institutions() ([]Institution, error) {
	var out []Institution
	err := s.db.View(func(tx *Tx) error {
		var err error
		out, err = s.InstitutionsIn(tx)
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

func (s *Store) InstitutionsIn(tx *Tx) ([]Institution, error) {
	var out []Institution
	b := BucketOf(tx, OrgsBucket)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var in Institution
		if err := s.OpenJSON(b, k, v, &in); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func (s *Store) InstitutionIn(tx *Tx, id domain.ID) (Institution, error) {
	var in Institution
	found, err := s.institutions.get(s, BucketOf(tx, OrgsBucket), id[:], &in)
	if err == nil && !found {
		err = domain.FieldError(ErrSchoolUnknown, "school")
	}
	return in, err
}

// Institution reads one school.
func (s *Store) Institution(id domain.ID) (Institution, error) {
	var in Institution
	err := s.db.View(func(tx *Tx) error {
		var err error
		in, err = s.InstitutionIn(tx, id)
		return err
	})
	return in, err
}

// nextDesk hands out the next desk number of the school for a PIN of role.
func (s *Store) nextDesk(tx *Tx, org domain.ID, role account.Role) (uint16, error) {
	if role != account.DIR && role != account.Signatory {
		return 0, nil // only a school's desks issue EVNs
	}
	in, err := s.InstitutionIn(tx, org)
	if err != nil {
		return 0, err
	}
	var desk uint16
	switch role {
	case account.DIR:
		desk = in.NextDIRDesk
		if desk > lastDIRDesk {
			return 0, domain.Errorf(ErrDeskNumbers)
		}
		in.NextDIRDesk++
	case account.Signatory:
		desk = in.NextSignatoryDesk
		if desk > ens.MaxDesk {
			return 0, domain.Errorf(ErrDeskNumbers)
		}
		in.NextSignatoryDesk++
	default:
		return 0, nil
	}
	return desk, s.PutInstitution(tx, &in)
}

// PutInstitution writes a school (with its index tag) and, on the server,
// puts it in the feed for everyone: students choose schools from it.
func (s *Store) PutInstitution(tx *Tx, in *Institution) error {
	if err := s.PutJSON(BucketOf(tx, OrgsBucket), in.ID[:], in); err != nil {
		return err
	}
	if _, err := OrgTag(tx, in.ID, true); err != nil {
		return err
	}
	return s.Feed(tx, sync.EntityInstitution, in.ID, 0, []Reader{everyone}, in)
}

// ProvinceID is the organisation of a province's or territory's
// coordinators (code as in Provinces; ens.ProvinceID): the same on every
// machine, so it names their share of the change feed.
func ProvinceID(code string) domain.ID { return ens.ProvinceID(code) }

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

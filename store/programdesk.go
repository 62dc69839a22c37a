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

// The program's own desk: the PINs it issued to the schools' DIRs, which
// it may withdraw while unused, the DIRs whose access it ends, the
// accounts of its officers and coordinators, and its settings. (The
// letter that tells a person a PIN waits for them is mailPIN's, mail.go.)

// KindRevokePIN is the command that withdraws an unused PIN (payload:
// RevokePINPayload; entity: the PIN).
const KindRevokePIN sync.Kind = "account.pin.revoke"

// RevokePINPayload names the PIN withdrawn, and when (the desk's clock;
// the server records its own).
type RevokePINPayload struct {
	PIN domain.ID `json:"pin"`
	At  time.Time `json:"at"`
}

// RevokePIN withdraws an unused PIN (account.RevokePIN): the program a
// DIR's, a DIR a signatory's of their school.
func (s *Store) RevokePIN(by account.Actor, id domain.ID) (account.PIN, error) {
	now := s.Now()
	var p account.PIN
	err := s.db.Update(func(tx *Tx) error {
		var already bool
		var err error
		if p, already, err = s.revokePIN(tx, by, id, now); err != nil || already {
			return err
		}
		return s.Journal(tx, now, Entry{By: by, Kind: KindRevokePIN, Action: "account.pin.revoke", Entity: id,
			Payload: RevokePINPayload{PIN: id, At: now}, Detail: p.Role.Code()})
	})
	return p, err
}

func (s *Store) revokePIN(tx *Tx, by account.Actor, id domain.ID, now time.Time) (account.PIN, bool, error) {
	var p account.PIN
	found, err := s.GetJSON(BucketOf(tx, PINsBucket), id[:], &p)
	if err != nil {
		return p, false, err
	}
	if !found {
		return p, false, domain.FieldError(account.ErrPINUnknown, "pin")
	}
	already, err := account.RevokePIN(by, &p, now)
	if err != nil || already {
		return p, already, err
	}
	return p, false, s.putPIN(tx, &p)
}

// PINsOf lists the PINs issued for a school, newest first: for the
// program, its DIRs' (with IssueDIRPIN); for its DIR, every one.
func (s *Store) PINsOf(by account.Actor, org domain.ID) ([]account.PIN, error) {
	dirs := by.Role.Can(account.IssueDIRPIN)
	if !dirs {
		if err := account.Authorize(by, account.IssueSignatoryPIN, org); err != nil {
			return nil, err
		}
	}
	var out []account.PIN
	err := s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, PINsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var p account.PIN
			if err := s.OpenJSON(b, k, v, &p); err != nil {
				return err
			}
			if p.Org == org && (!dirs || p.Role == account.DIR) {
				p.Hash = ""
				out = append(out, p)
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Issued.After(out[j].Issued) })
	return out, err
}

func applyRevokePIN(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p RevokePINPayload, now time.Time) (sync.Answer, error) {
	if p.PIN != cmd.Entity {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	// The server's clock: the time a PIN stopped working is its own.
	_, _, err := sv.st.revokePIN(tx, by, p.PIN, now)
	return Applied(), err
}

// currentPIN is the PIN a refused withdrawal was about, as the server
// holds it, for whom may withdraw it (no hash).
func currentPIN(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var p account.PIN
	found, err := sv.st.GetJSON(BucketOf(tx, PINsBucket), cmd.Entity[:], &p)
	if err != nil || !found {
		return nil, err
	}
	probe := p
	probe.Used, probe.Revoked = time.Time{}, time.Time{}
	if _, err := account.RevokePIN(by, &probe, p.Issued); err != nil {
		return nil, nil
	}
	p.Hash = ""
	return ChangeOf(sync.EntityPIN, p.ID, 0, p)
}

// undoPIN puts a PIN whose withdrawal the server refused back as the
// server has it (used, most likely), its hash as the desk had it.
func undoPIN(s *Store, tx *Tx, cmd sync.Command, current *sync.Change) error {
	if current == nil {
		return nil
	}
	var p, old account.PIN
	if err := json.Unmarshal(current.Data, &p); err != nil {
		return domain.Wrap(sync.ErrServer, err)
	}
	if p.ID != cmd.Entity {
		return nil
	}
	if _, err := s.GetJSON(BucketOf(tx, PINsBucket), p.ID[:], &old); err != nil {
		return err
	}
	p.Hash = old.Hash
	return s.PutJSON(BucketOf(tx, PINsBucket), p.ID[:], p)
}

// KindSetSettings is the command that changes the program's settings on
// the server (payload: SettingsPayload): how many days an unfinished
// request lives. The program's desk keeps no settings of its own.
const KindSetSettings sync.Kind = "program.settings"

// SettingsPayload is the payload of KindSetSettings.
type SettingsPayload struct {
	ExpiryDays int `json:"expiryDays"`
}

// ProposeSettings journals, on a program officer's desk, new settings for
// the server to apply (ens.Settings.Check bounds them; the server checks
// again).
func (s *Store) ProposeSettings(by account.Actor, set ens.Settings) error {
	if err := account.Authorize(by, account.ManageInstitutions, domain.ID{}); err != nil {
		return err
	}
	if err := set.Check(); err != nil {
		return err
	}
	now := s.Now()
	id, err := s.NewID(now)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *Tx) error {
		return s.Journal(tx, now, Entry{By: by, Kind: KindSetSettings, Action: "program.settings", Entity: id,
			Payload: SettingsPayload{ExpiryDays: set.ExpiryDays}, Detail: strconv.Itoa(set.ExpiryDays)})
	})
}

func applySetSettings(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p SettingsPayload, _ time.Time) (sync.Answer, error) {
	if err := account.Authorize(by, account.ManageInstitutions, domain.ID{}); err != nil {
		return Applied(), err
	}
	var set ens.Settings
	if err := ReadSettings(tx, &set); err != nil {
		return Applied(), err
	}
	set.ExpiryDays = p.ExpiryDays
	if err := set.Check(); err != nil {
		return Applied(), err
	}
	b, err := json.Marshal(set)
	if err != nil {
		return Applied(), err
	}
	return Applied(), tx.Bucket(MetaBucket).Put(metaSettings, b)
}

// KindCreateStaff is the command a program officer's desk sends to make
// another program officer's or a coordinator's account (payload:
// StaffPayload; entity: the new account). The password and answers travel
// hashed, as in a registration.
const KindCreateStaff sync.Kind = "account.staff.create"

// StaffPayload is the payload of KindCreateStaff: a registration whose
// Role is "program-officer" or "coordinator", and a coordinator's
// province.
type StaffPayload struct {
	sync.EnrolPayload
	Province string `json:"province,omitempty"`
}

// staffRole is the role a program officer may make an account for, and
// the coordinator's province, cleaned.
func staffRole(code, province string) (account.Role, string, error) {
	switch code {
	case account.ProgramOfficer.Code():
		return account.ProgramOfficer, "", nil
	case account.Coordinator.Code():
		province = strings.ToUpper(strings.TrimSpace(province))
		if !slices.Contains(Provinces, province) {
			return 0, "", domain.FieldError(ErrProvince, "province")
		}
		return account.Coordinator, province, nil
	}
	return 0, "", domain.Errorf(account.ErrPINRole, code)
}

// ProposeStaffAccount journals, on a program officer's desk, the account
// of another program officer or of a province's coordinator, for the
// server to make (the desk holds it once the server has: its feed brings
// it back). It returns the new account's ID.
func (s *Store) ProposeStaffAccount(by account.Actor, r account.Registration, role account.Role, province string) (domain.ID, error) {
	if err := account.Authorize(by, account.ManageInstitutions, domain.ID{}); err != nil {
		return domain.ID{}, err
	}
	if _, _, err := staffRole(role.Code(), province); err != nil {
		return domain.ID{}, err
	}
	c, err := s.NewRegistration(r)
	if err != nil {
		return domain.ID{}, err
	}
	p := StaffPayload{EnrolPayload: sync.EnrolPayload{Account: c.ID, UserID: c.r.UserID, GivenNames: c.r.GivenNames,
		FamilyName: c.r.FamilyName, Password: c.pwHash, Questions: c.questions, At: c.Now, Email: c.r.Email,
		Role: role.Code()}, Province: province}
	return c.ID, s.db.Update(func(tx *Tx) error {
		return s.Journal(tx, c.Now, Entry{By: by, Kind: KindCreateStaff, Action: "account.staff.create", Entity: c.ID,
			Payload: p, Detail: role.Code()})
	})
}

// applyCreateStaff makes, for a program officer, another officer's or a
// coordinator's account under the ID their desk chose, with the same
// checks as a registration's.
func applyCreateStaff(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p StaffPayload, now time.Time) (sync.Answer, error) {
	if err := account.Authorize(by, account.ManageInstitutions, domain.ID{}); err != nil {
		return Applied(), err
	}
	role, province, err := staffRole(p.Role, p.Province)
	if err != nil {
		return Applied(), err
	}
	if p.Account != cmd.Entity {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	r, err := sv.CleanRegistration(&p.EnrolPayload)
	if err != nil {
		return Applied(), err
	}
	if err := sv.st.Claim(tx, sync.EntityAccount, cmd.Entity); err != nil {
		return Applied(), err
	}
	a, err := sv.st.RegisterIn(tx, r, role, p.Password, p.Questions, cmd.Entity, now)
	if err != nil {
		return Applied(), err
	}
	if role == account.Coordinator {
		a.Org = ProvinceID(province)
		if err := sv.st.PutAccount(tx, &a, true); err != nil {
			return Applied(), err
		}
	}
	return Versioned(a.Version, nil)
}

func init() {
	Register(Program{Name: "program", Commands: []CommandSpec{
		// Accounts the program makes count at the rate of the PINs it issues.
		{Kind: KindCreateStaff, Senders: TheProgram, Creates: CreatesPIN, MaxPayload: MaxPayloadSmall, Apply: With(applyCreateStaff)},
		{Kind: KindSetSettings, Senders: TheProgram, MaxPayload: MaxPayloadSmall, Apply: With(applySetSettings)},
		{Kind: KindRevokePIN, Senders: []account.Role{account.ProgramOfficer, account.DIR}, MaxPayload: MaxPayloadSmall,
			Apply: With(applyRevokePIN), Current: currentPIN, Undo: undoPIN},
	}})
}

// IssuePINAsSystem issues a PIN as the system (dossierd admin issue-pin
// with the store itself): a DIR's, with its letter when req names an
// address.
func (sv *Server) IssuePINAsSystem(req account.PINRequest) (string, account.PIN, error) {
	return sv.st.IssuePIN(account.SystemActor, req)
}

// DIRsOf lists, for the program, the DIRs a school has had, by name:
// whose access it may end.
func (s *Store) DIRsOf(by account.Actor, org domain.ID) ([]Account, error) {
	if err := account.Authorize(by, account.IssueDIRPIN, org); err != nil {
		return nil, err
	}
	var out []Account
	err := s.db.View(func(tx *Tx) error {
		b := BucketOf(tx, AccountsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var a Account
			if err := s.OpenJSON(b, k, v, &a); err != nil {
				return err
			}
			if a.Org == org && a.Role == account.DIR {
				out = append(out, a)
			}
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].FamilyName+" "+out[i].GivenNames < out[j].FamilyName+" "+out[j].GivenNames
	})
	return out, err
}

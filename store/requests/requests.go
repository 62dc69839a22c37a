package requests

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// RaiseRequest records a request a student raises (or, for annual
// compliance, the program). The school, and for a transfer the old school,
// must be known to the profile.
func (s Store) RaiseRequest(by account.Actor, in ens.Raise) (ens.Request, error) {
	now := s.Now()
	id, err := s.NewID(now)
	if err != nil {
		return ens.Request{}, err
	}
	var out ens.Request
	err = s.Update(func(tx *store.Tx) error {
		r, cleaned, err := s.RaiseIn(tx, by, in, id, now)
		if err != nil {
			return err
		}
		out = r
		return s.Journal(tx, now, store.Entry{By: by, Kind: sync.KindRaiseRequest, Action: "ens.raise",
			Entity: r.ID, Payload: sync.RaisePayload{Raise: cleaned, At: now}, Detail: r.Type.Code()})
	})
	return out, err
}

// raise makes and writes the request in, with ID id, at now, and returns
// it with in in its cleaned form (what travels to the server).
func (s Store) RaiseIn(tx *store.Tx, by account.Actor, in ens.Raise, id domain.ID, now time.Time) (ens.Request, ens.Raise, error) {
	var set ens.Settings
	if err := store.ReadSettings(tx, &set); err != nil {
		return ens.Request{}, in, err
	}
	for _, school := range []domain.ID{in.School, in.FromSchool} {
		if !school.IsZero() {
			if _, err := s.InstitutionIn(tx, school); err != nil {
				return ens.Request{}, in, err
			}
		}
	}
	r, err := ens.NewRequest(id, in, by, now, set)
	if err != nil {
		return ens.Request{}, in, err
	}
	if err := s.checkTransferOffline(&r); err != nil {
		return ens.Request{}, in, err
	}
	if err := s.putRequest(tx, nil, &r); err != nil {
		return ens.Request{}, in, err
	}
	in.Student, in.EVN = r.Student, string(r.EVN)
	return r, in, nil
}

// Act applies one function to a request for by, in one transaction: the
// rule check, the new state and its indexes, the EVN for a Verify (from the
// acting desk's own sequence), the old school's record closed when an EVT
// is verified, the audit entry and the outbox command. An Accept of a
// Transfer IN is checked as far as the desk can (checkTransferOffline); the
// program confirms the rest, and closes the old school's record, when the
// command reaches it (acceptTransfer). base is the
// version the person was looking at; if the request has changed since, the
// action is refused with ErrStale rather than applied to something they did
// not see (zero skips the check).
func (s Store) Act(by account.Actor, id domain.ID, a ens.Action, base uint64) (ens.Request, error) {
	now := s.Now()
	var out ens.Request
	err := s.Update(func(tx *store.Tx) error {
		old, found, err := s.GetRequest(tx, id, nil)
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(store.ErrNotFound)
		}
		if base != 0 && base != old.Version {
			return domain.Errorf(store.ErrStale, old.Status)
		}
		if a.Function == ens.Report {
			return domain.Errorf(ens.ErrReportThroughSubmit)
		}
		a.EVN = ""
		if a.Function == ens.Verify {
			// Check legality first, so that a refused Verify uses no number.
			if err := ens.Allowed(&old, a.Function, by, now); err != nil {
				return err
			}
			if a.EVN, err = s.issueEVN(tx, by, old.School); err != nil {
				return err
			}
		}
		if a.Function == ens.Accept {
			// What the desk can check of a transfer; the program
			// confirms the rest when the Accept reaches it.
			if err := s.checkTransferOffline(&old); err != nil {
				return err
			}
		}
		next, err := s.ActIn(tx, by, &old, a, now)
		if err != nil {
			return err
		}
		out = next
		return s.Journal(tx, now, store.Entry{By: by, Kind: sync.KindApplyFunction, Action: "ens." + a.Function.Code(),
			Entity: id, Base: old.Version, Payload: sync.ApplyPayload{Action: a, At: now, Changed: ChangedFields(&old, &next)},
			Detail: old.Status.Code() + "→" + next.Status.Code()})
	})
	return out, err
}

// ActIn applies a (its EVN already decided) to old and writes the result,
// closing the old school's record when an EVT is verified.
func (s Store) ActIn(tx *store.Tx, by account.Actor, old *ens.Request, a ens.Action, now time.Time) (ens.Request, error) {
	next, err := ens.Apply(*old, a, by, now)
	if err != nil {
		return next, err
	}
	if err := s.putRequest(tx, old, &next); err != nil {
		return next, err
	}
	if transferCompletes(&next, a.Function) {
		if err := s.closeOldVerification(tx, &next, by, now); err != nil {
			return next, err
		}
	}
	return next, nil
}

// transferCompletes: a verification with transfer closes the old
// school's record as it is verified. A Transfer IN's does so only on the
// server, once the program has confirmed the transfer (acceptTransfer).
func transferCompletes(r *ens.Request, f ens.Function) bool {
	return f == ens.Verify && r.Type == ens.EVT
}

// issueEVN takes the next number of the acting person's desk on this
// computer (store.IssueEVN): each computer has its own desk number, and
// its sequence advances in the same transaction as the Verify, so a
// number is never given twice, even by two computers working offline at
// once. A desk issues only for its own school.
func (s Store) issueEVN(tx *store.Tx, by account.Actor, school domain.ID) (ens.EVN, error) {
	if by.Org != school {
		return "", domain.Errorf(store.ErrNoDesk)
	}
	return s.IssueEVN(tx, by, s.Device())
}

// closeOldVerification finds the student's standing verification at the
// school an EVT names as the one they leave — the same student's, by
// client ID, birth date and name (ens.SameStudent) — and closes it as
// transferred, when this profile holds it
// (a desk holds only its own school's records; the server holds all and does
// the same when it applies the command).
func (s Store) closeOldVerification(tx *store.Tx, r *ens.Request, by account.Actor, now time.Time) error {
	if r.FromSchool.IsZero() {
		return nil
	}
	tag, err := store.OrgTag(tx, r.FromSchool, false)
	if err != nil || tag == 0 {
		return err
	}
	ids, err := s.lookup(tx, tag, store.IxClientID, s.Keys().Hash(store.HashClientID, string(r.Student.ClientID)))
	if err != nil {
		return err
	}
	for _, id := range ids {
		old, _, err := s.GetRequest(tx, id, nil)
		if err != nil {
			return err
		}
		// Only the same student's, as the program matches them: a client
		// ID typed by someone else closes nobody's verification.
		if old.School != r.FromSchool || !ens.SameStudent(old.Student, r.Student) || !old.ActiveVerification() {
			continue
		}
		if err := s.closeTransferred(tx, &old, r.School, by, now); err != nil {
			return err
		}
	}
	return nil
}

// lookup lists the request IDs under one keyed hash of an index.
func (s Store) lookup(tx *store.Tx, tag uint32, index []byte, h [8]byte) ([]domain.ID, error) {
	prefix := store.HashKey(tag, h, domain.ID{})[:12]
	var out []domain.ID
	c := tx.Bucket(index).Cursor()
	for k, _ := c.Seek(prefix); k != nil && store.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, store.IDFromKey(k))
	}
	return out, nil
}

// Request reads one request, if by may see it: the desk of the school it
// is addressed to, the student who raised it, or the program.
func (s Store) Request(by account.Actor, id domain.ID) (ens.Request, error) {
	var r ens.Request
	err := s.View(func(tx *store.Tx) error {
		var found bool
		var err error
		r, found, err = s.GetRequest(tx, id, nil)
		if err != nil {
			return err
		}
		if !found {
			return domain.Errorf(store.ErrNotFound)
		}
		return canRead(by, &r)
	})
	if err != nil {
		return ens.Request{}, err
	}
	return r, nil
}

func canRead(by account.Actor, r *ens.Request) error {
	switch by.Role {
	case account.DIR, account.Signatory:
		if by.Org != r.School {
			return domain.Errorf(account.ErrOtherOrganisation)
		}
	case account.Student:
		if by.Account != r.StudentAccount {
			return domain.Errorf(ens.ErrNotYourRequest)
		}
	case account.ProgramOfficer, account.System:
	default:
		// Coordinators read schools' reports, not students' requests.
		return domain.Errorf(account.ErrForbidden)
	}
	return nil
}

// StudentRequests lists a student's own requests, newest first.
func (s Store) StudentRequests(by account.Actor) ([]ens.Request, error) {
	if by.Role != account.Student {
		return nil, domain.Errorf(account.ErrForbidden)
	}
	var out []ens.Request
	err := s.View(func(tx *store.Tx) error {
		c := tx.Bucket(store.IxStudent).Cursor()
		prefix := by.Account[:]
		var buf []byte
		for k, _ := c.Seek(prefix); k != nil && store.HasPrefix(k, prefix); k, _ = c.Next() {
			r, _, err := s.GetRequest(tx, store.IDFromKey(k), &buf)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// FindByEVN returns the school's requests carrying an EVN (normally one: the
// verification that issued it, and any transfer of it). A mistyped EVN is
// refused with ens.ErrEVNCheck before anything is read.
func (s Store) FindByEVN(by account.Actor, school domain.ID, text string) ([]ens.Request, error) {
	evn, err := ens.ParseEVN(text)
	if err != nil {
		return nil, err
	}
	if err := s.canReadSchool(by, school); err != nil {
		return nil, err
	}
	h := s.Keys().Hash(store.HashEVN, string(evn))
	var out []ens.Request
	err = s.View(func(tx *store.Tx) error {
		tag, err := s.ReadOrgTag(tx, school)
		if err != nil || tag == 0 {
			return err
		}
		prefix := store.HashKey(tag, h, domain.ID{})[:12]
		c := tx.Bucket(store.IxEVN).Cursor()
		for k, _ := c.Seek(prefix); k != nil && store.HasPrefix(k, prefix); k, _ = c.Next() {
			r, found, err := s.GetRequest(tx, store.IDFromKey(k), nil)
			if err != nil {
				return err
			}
			if found && r.EVN == evn {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// Refusal is one request a bulk action left as it was, and why.
type Refusal struct {
	ID  domain.ID
	Err error
}

// RowError is the refusal of an action on several requests that takes
// all of them or none (MarkCompliance): the request refused, and why.
type RowError struct {
	ID  domain.ID
	Err error
}

func (e RowError) Error() string { return e.Err.Error() }

// Unwrap is the reason, coded.
func (e RowError) Unwrap() error { return e.Err }

// ActMany applies one function to several requests as one user action, in
// one transaction: each request changed gets its own audit entry and
// outbox command, the same command Act would make for it (the fields it
// changed named, so that the server merges them as it merges one
// request's: an Assign carries its assignee); those the function does not
// suit (another status, a lapsed request) are left as they were and
// listed. Verify is not offered in bulk: each verification is a decision
// about one student.
func (s Store) ActMany(by account.Actor, ids []domain.ID, a ens.Action) ([]ens.Request, []Refusal, error) {
	if a.Function == ens.Verify {
		return nil, nil, domain.Errorf(ens.ErrUnknownFunction, a.Function)
	}
	if a.Function == ens.Report {
		return nil, nil, domain.Errorf(ens.ErrReportThroughSubmit)
	}
	now := s.Now()
	var done []ens.Request
	var refused []Refusal
	err := s.Update(func(tx *store.Tx) error {
		done, refused = done[:0], refused[:0]
		for _, id := range ids {
			old, found, err := s.GetRequest(tx, id, nil)
			if err != nil {
				return err
			}
			if !found {
				refused = append(refused, Refusal{id, domain.Errorf(store.ErrNotFound)})
				continue
			}
			if _, err := ens.Apply(old, a, by, now); err != nil {
				refused = append(refused, Refusal{id, err})
				continue
			}
			next, err := s.ActIn(tx, by, &old, a, now)
			if err != nil {
				return err
			}
			if err := s.Journal(tx, now, store.Entry{By: by, Kind: sync.KindApplyFunction, Action: "ens." + a.Function.Code(),
				Entity: id, Base: old.Version, Payload: sync.ApplyPayload{Action: a, At: now, Changed: ChangedFields(&old, &next)},
				Detail: old.Status.Code() + "→" + next.Status.Code()}); err != nil {
				return err
			}
			done = append(done, next)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return done, refused, nil
}

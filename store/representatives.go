package store

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/sync"
)

// The commands of representatives (§3.2).
const (
	KindRepRequest sync.Kind = "oinp.rep.request"
	KindRepDecide  sync.Kind = "oinp.rep.decide"
	KindRepCancel  sync.Kind = "oinp.rep.cancel"
)

// Codes of representation.
var (
	ErrRepNoMatch  = domain.NewCode("store.oinp.rep.no-match", domain.KindNotFound)
	ErrRepActive   = domain.NewCode("store.oinp.rep.active", domain.KindConflict)
	ErrRepUnknown  = domain.NewCode("store.oinp.rep.unknown", domain.KindNotFound)
	ErrRepReadOnly = domain.NewCode("store.oinp.rep.read-only", domain.KindForbidden)
	ErrNotRep      = domain.NewCode("store.oinp.rep.not-yours", domain.KindForbidden)
)

// RepRequestPayload is a representative asking to act on a file.
type RepRequestPayload struct {
	FileNumber oinp.FileNumber `json:"fileNumber"`
	Email      string          `json:"email"`
	Name       string          `json:"name"`
	RepEmail   string          `json:"repEmail,omitempty"`
	On         domain.Date     `json:"on"`
}

// RepDecisionPayload is the applicant's answer, or cancellation.
type RepDecisionPayload struct {
	Rep       domain.ID   `json:"rep"`
	Authorise bool        `json:"authorise"`
	On        domain.Date `json:"on"`
}

// RequestRepresentation asks, as a representative, to act on the file of
// the applicant whose file number and e-mail are given (§3.2.2). Only the
// server holds every application: the request goes in the outbox, and the
// applicant is asked when it arrives; a file number and e-mail that match
// nothing come back refused, saying no more than that.
func (s *Store) RequestRepresentation(by account.Actor, file, email string) error {
	if by.Role != account.Representative {
		return domain.Errorf(ErrNotRep)
	}
	n, err := oinp.ParseFileNumber(file)
	if err != nil {
		return err
	}
	if email, err = domain.CleanEmail("email", email); err != nil {
		return err
	}
	now := s.now()
	return s.db.Update(func(tx *Tx) error {
		var me Account
		if _, err := s.getJSON(bucketOf(tx, accountsBucket), by.Account[:], &me); err != nil {
			return err
		}
		p := RepRequestPayload{FileNumber: n, Email: email, Name: me.GivenNames + " " + me.FamilyName,
			RepEmail: me.Email, On: domain.DateOf(now)}
		return s.journal(tx, now, change{by: by, kind: KindRepRequest, action: "oinp.rep.request", entity: by.Account, payload: p})
	})
}

// requestRepresentation records the request on the matching file (server),
// on the server's day, under the name and e-mail of the representative's
// own account: the payload's name and e-mail are not read, so nobody
// asks in another's name.
func (s *Store) requestRepresentation(tx *Tx, by account.Actor, p RepRequestPayload, now time.Time) error {
	if by.Role != account.Representative {
		return domain.Errorf(ErrNotRep)
	}
	var me Account
	if found, err := s.getJSON(bucketOf(tx, accountsBucket), by.Account[:], &me); err != nil || !found || me.Role != account.Representative {
		if err == nil {
			err = domain.Errorf(ErrNotRep)
		}
		return err
	}
	p.Name, p.RepEmail, p.On = strings.TrimSpace(me.GivenNames+" "+me.FamilyName), me.Email, domain.DateOf(now)
	h := s.keys.hash(hashFileNumber, string(p.FileNumber))
	id := tx.Bucket(ixFileNumber).Get(h[:])
	if id == nil {
		return domain.Errorf(ErrRepNoMatch)
	}
	var rec ApplicationRecord
	if _, err := s.getJSON(bucketOf(tx, applicationsBucket), id, &rec); err != nil {
		return err
	}
	var applicant Account
	if _, err := s.getJSON(bucketOf(tx, accountsBucket), id, &applicant); err != nil {
		return err
	}
	if !sameEmail(p.Email, rec.App.Contact.Email) && !sameEmail(p.Email, applicant.Email) {
		return domain.Errorf(ErrRepNoMatch)
	}
	// The applicant reads who asks: the representative's name and e-mail
	// as their account holds them (cleaned when it was made), never as
	// the payload says.
	r := oinp.Representation{Account: by.Account, Name: p.Name, Email: p.RepEmail, Status: oinp.RepPending, Asked: p.On}
	i := slices.IndexFunc(rec.App.Representatives, func(x oinp.Representation) bool { return x.Account == by.Account })
	switch {
	case i < 0:
		rec.App.Representatives = append(rec.App.Representatives, r)
	case rec.App.Representatives[i].Status == oinp.RepPending || rec.App.Representatives[i].Status == oinp.RepActive:
		return nil // asked twice: nothing new
	default:
		rec.App.Representatives[i] = r
	}
	rec.Version++
	rec.Updated = now
	return s.putApplication(tx, &rec)
}

func sameEmail(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// DecideRepresentation is the applicant's answer to a representative's
// request: authorised (when no other acts already: one at a time) or
// refused.
func (s *Store) DecideRepresentation(by account.Actor, rep domain.ID, authorise bool) (ApplicationRecord, error) {
	return s.repChange(by, KindRepDecide, "oinp.rep.decide", RepDecisionPayload{Rep: rep, Authorise: authorise})
}

// CancelRepresentation ends an active representative's access (§3.2.3).
func (s *Store) CancelRepresentation(by account.Actor, rep domain.ID) (ApplicationRecord, error) {
	return s.repChange(by, KindRepCancel, "oinp.rep.cancel", RepDecisionPayload{Rep: rep})
}

func (s *Store) repChange(by account.Actor, kind sync.Kind, action string, p RepDecisionPayload) (ApplicationRecord, error) {
	now := s.now()
	p.On = domain.DateOf(now)
	var rec ApplicationRecord
	err := s.db.Update(func(tx *Tx) error {
		var err error
		if rec, err = s.decideRepresentation(tx, by, kind, p, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: kind, action: action, entity: by.Account, base: rec.Version - 1, payload: p})
	})
	return rec, err
}

func (s *Store) decideRepresentation(tx *Tx, by account.Actor, kind sync.Kind, p RepDecisionPayload, now time.Time) (ApplicationRecord, error) {
	var rec ApplicationRecord
	if by.Role != account.Applicant {
		return rec, domain.Errorf(ErrNotApplicant)
	}
	if _, err := s.getJSON(bucketOf(tx, applicationsBucket), by.Account[:], &rec); err != nil {
		return rec, err
	}
	reps := rec.App.Representatives
	i := slices.IndexFunc(reps, func(x oinp.Representation) bool { return x.Account == p.Rep })
	if i < 0 {
		return rec, domain.Errorf(ErrRepUnknown)
	}
	switch {
	case kind == KindRepCancel && reps[i].Status == oinp.RepActive:
		reps[i].Status = oinp.RepCancelled
	case kind == KindRepDecide && reps[i].Status == oinp.RepPending && !p.Authorise:
		reps[i].Status = oinp.RepRefused
	case kind == KindRepDecide && reps[i].Status == oinp.RepPending:
		if other, ok := rec.App.ActiveRepresentative(); ok {
			return rec, domain.Errorf(ErrRepActive, other.Name)
		}
		reps[i].Status = oinp.RepActive
	default:
		return rec, domain.Errorf(ErrRepUnknown)
	}
	reps[i].Decided = p.On
	rec.Version++
	rec.Updated = now
	if err := s.putApplication(tx, &rec); err != nil {
		return rec, err
	}
	return rec, s.feedRepAccess(tx, &rec, reps[i])
}

// RepAccess tells a representative's desk whether they may still see an
// applicant's file: when not, the desk removes its copy.
type RepAccess struct {
	Applicant domain.ID      `json:"applicant"`
	Rep       domain.ID      `json:"rep"`
	Status    oinp.RepStatus `json:"status"`
}

// feedRepAccess puts a representative's standing on a file in the feed,
// for them alone (server).
func (s *Store) feedRepAccess(tx *Tx, rec *ApplicationRecord, r oinp.Representation) error {
	if !s.server {
		return nil
	}
	// One record per representative and file: its ID mixes both.
	var id domain.ID
	for i := range id {
		id[i] = rec.Applicant[i] ^ r.Account[i] ^ 0x5a
	}
	return s.feed(tx, sync.EntityRepAccess, id, rec.Version, []reader{accountReader(r.Account)},
		RepAccess{Applicant: rec.Applicant, Rep: r.Account, Status: r.Status})
}

// applyRepAccess removes a file from the desk of a representative who may
// no longer see it.
func (s *Store) applyRepAccess(tx *Tx, c *sync.Change) (bool, error) {
	var a RepAccess
	if err := json.Unmarshal(c.Data, &a); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if a.Status == oinp.RepActive {
		return true, nil
	}
	return true, bucketOf(tx, applicationsBucket).Delete(a.Applicant[:])
}

// ClientApplications lists the files the representative acts on.
func (s *Store) ClientApplications(by account.Actor) ([]ApplicationRecord, error) {
	if by.Role != account.Representative {
		return nil, domain.Errorf(ErrNotRep)
	}
	var out []ApplicationRecord
	err := s.db.View(func(tx *Tx) error {
		b := bucketOf(tx, applicationsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec ApplicationRecord
			if err := s.openJSON(b, k, v, &rec); err != nil {
				return err
			}
			if r, ok := rec.App.ActiveRepresentative(); ok && r.Account == by.Account {
				out = append(out, rec)
			}
		}
		return nil
	})
	return out, err
}

// ClientApplication reads one client's file, for their active
// representative only.
func (s *Store) ClientApplication(by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	var rec ApplicationRecord
	err := s.db.View(func(tx *Tx) error {
		var err error
		rec, err = s.clientRecord(tx, by, applicant)
		return err
	})
	return rec, err
}

func (s *Store) clientRecord(tx *Tx, by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	var rec ApplicationRecord
	found, err := s.getJSON(bucketOf(tx, applicationsBucket), applicant[:], &rec)
	if err != nil {
		return rec, err
	}
	if r, ok := rec.App.ActiveRepresentative(); !found || !ok || r.Account != by.Account || by.Role != account.Representative {
		return rec, domain.Errorf(ErrNotRep)
	}
	return rec, nil
}

// SaveClientApplication saves, as the active representative, a client's
// form: what the applicant filled stays theirs (§3.2.2: read-only to the
// representative); the representative fills the rest.
func (s *Store) SaveClientApplication(by account.Actor, applicant domain.ID, app oinp.Application) (ApplicationRecord, error) {
	now := s.now()
	var rec ApplicationRecord
	err := s.db.Update(func(tx *Tx) error {
		var err error
		if rec, err = s.saveClientApplication(tx, by, applicant, app, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindSaveApplication, action: "oinp.save", entity: applicant,
			base: rec.Version - 1, payload: SaveApplicationPayload{App: rec.App, At: now}})
	})
	return rec, err
}

func (s *Store) saveClientApplication(tx *Tx, by account.Actor, applicant domain.ID, app oinp.Application, now time.Time) (ApplicationRecord, error) {
	rec, err := s.clientRecord(tx, by, applicant)
	if err != nil {
		return rec, err
	}
	if err := domain.CleanStrings(&app, MaxFormField); err != nil {
		return rec, err
	}
	if !rec.App.Submitted.IsZero() {
		return rec, domain.Errorf(ErrSubmitted, rec.App.FileNumber)
	}
	before, after := oinp.Fields(&rec.App), oinp.Fields(&app)
	for path, old := range before {
		if old != "" && after[path] != old && !rec.RepFilled[path] {
			return rec, domain.FieldError(ErrRepReadOnly, path)
		}
	}
	if rec.RepFilled == nil {
		rec.RepFilled = map[string]bool{}
	}
	for path, v := range after {
		if v != before[path] {
			rec.RepFilled[path] = true
		}
	}
	// What the store keeps itself stays as it is.
	app.Schema = oinp.SchemaVersion
	app.FileNumber, app.Registered, app.Submitted = rec.App.FileNumber, rec.App.Registered, rec.App.Submitted
	app.Documents, app.Representatives, app.Payment = rec.App.Documents, rec.App.Representatives, rec.App.Payment
	app.Withdrawn, app.Notices, app.Decision = rec.App.Withdrawn, rec.App.Notices, rec.App.Decision
	app.InfoRequests, app.Nomination, app.Review = rec.App.InfoRequests, rec.App.Nomination, rec.App.Review
	rec.App, rec.Updated = app, now
	rec.Version++
	return rec, s.putApplication(tx, &rec)
}

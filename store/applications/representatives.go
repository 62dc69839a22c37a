package applications

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The commands of representatives (§3.2).
const (
	KindRepRequest sync.Kind = "oinp.rep.request"
	KindRepDecide  sync.Kind = "oinp.rep.decide"
	KindRepCancel  sync.Kind = "oinp.rep.cancel"
)

// Codes of representation: declared in domain/oinp with the strings they
// had here.
var (
	ErrRepNoMatch  = oinp.ErrRepNoMatch
	ErrRepActive   = oinp.ErrRepActive
	ErrRepUnknown  = oinp.ErrRepUnknown
	ErrRepReadOnly = oinp.ErrRepReadOnly
	ErrNotRep      = oinp.ErrNotRep
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
func (s Store) RequestRepresentation(by account.Actor, file, email string) error {
	if err := oinp.CheckRepresentative(by); err != nil {
		return err
	}
	var n oinp.FileNumber
	if err := domain.Checks(representationChecks(&file, &email, &n)).First(); err != nil {
		return err
	}
	now := s.Now()
	return s.Update(func(tx *store.Tx) error {
		var me store.Account
		if _, err := s.GetJSON(store.BucketOf(tx, store.AccountsBucket), by.Account[:], &me); err != nil {
			return err
		}
		p := RepRequestPayload{FileNumber: n, Email: email, Name: me.GivenNames + " " + me.FamilyName,
			RepEmail: me.Email, On: domain.DateOf(now)}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindRepRequest, Action: "oinp.rep.request", Entity: by.Account, Payload: p})
	})
}

// RepresentationErrors is every fault RequestRepresentation would find in
// its file number and e-mail, one per field, for a form to show them all
// at once; the checks are its own.
func RepresentationErrors(file, email string) []error {
	var n oinp.FileNumber
	return domain.Checks(representationChecks(&file, &email, &n)).All()
}

// representationChecks are RequestRepresentation's checks of the file
// number (read into n) and the e-mail (cleaned).
func representationChecks(file, email *string, n *oinp.FileNumber) []func() error {
	return []func() error{
		func() error {
			var err error
			*n, err = oinp.ParseFileNumber(*file)
			return err
		},
		func() error {
			var err error
			*email, err = domain.CleanEmail("email", *email)
			return err
		},
	}
}

// requestRepresentation records the request on the matching file (server,
// oinp.AskRepresentation), on the server's day, under the name and e-mail
// of the representative's own account: the payload's name and e-mail are
// not read, so nobody asks in another's name.
func (s Store) requestRepresentation(tx *store.Tx, by account.Actor, p RepRequestPayload, now time.Time) error {
	if err := oinp.CheckRepresentative(by); err != nil {
		return err
	}
	var me store.Account
	found, err := s.GetJSON(store.BucketOf(tx, store.AccountsBucket), by.Account[:], &me)
	if err != nil {
		return err
	}
	if !found || me.Role != account.Representative {
		return domain.Errorf(ErrNotRep) // the account as the server holds it, not only the token's role
	}
	h := s.Keys().Hash(store.HashFileNumber, string(p.FileNumber))
	id := tx.Bucket(store.IxFileNumber).Get(h[:])
	if id == nil {
		return domain.Errorf(ErrRepNoMatch)
	}
	var rec ApplicationRecord
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), id, &rec); err != nil {
		return err
	}
	var applicant store.Account
	if _, err := s.GetJSON(store.BucketOf(tx, store.AccountsBucket), id, &applicant); err != nil {
		return err
	}
	// The applicant reads who asks: the representative's name and e-mail
	// as their account holds them (cleaned when it was made), never as
	// the payload says.
	r := oinp.Representation{Account: by.Account, Name: strings.TrimSpace(me.GivenNames + " " + me.FamilyName), Email: me.Email}
	changed, err := rec.App.AskRepresentation(r, p.Email, applicant.Email, domain.DateOf(now))
	if err != nil || !changed {
		return err // asked twice: nothing new
	}
	rec.Version++
	rec.Updated = now
	return s.putApplication(tx, &rec)
}

// DecideRepresentation is the applicant's answer to a representative's
// request: authorised (when no other acts already: one at a time) or
// refused.
func (s Store) DecideRepresentation(by account.Actor, rep domain.ID, authorise bool) (ApplicationRecord, error) {
	return s.repChange(by, KindRepDecide, "oinp.rep.decide", RepDecisionPayload{Rep: rep, Authorise: authorise})
}

// CancelRepresentation ends an active representative's access (§3.2.3).
func (s Store) CancelRepresentation(by account.Actor, rep domain.ID) (ApplicationRecord, error) {
	return s.repChange(by, KindRepCancel, "oinp.rep.cancel", RepDecisionPayload{Rep: rep})
}

func (s Store) repChange(by account.Actor, kind sync.Kind, action string, p RepDecisionPayload) (ApplicationRecord, error) {
	now := s.Now()
	p.On = domain.DateOf(now)
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.decideRepresentation(tx, by, kind, p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: kind, Action: action, Entity: by.Account, Base: rec.Version - 1, Payload: p})
	})
	return rec, err
}

// decideRepresentation applies the applicant's answer to their own file
// (oinp.DecideRepresentation, oinp.CancelRepresentation) on the day p.On.
func (s Store) decideRepresentation(tx *store.Tx, by account.Actor, kind sync.Kind, p RepDecisionPayload, now time.Time) (ApplicationRecord, error) {
	var rec ApplicationRecord
	if err := oinp.CheckApplicant(by); err != nil {
		return rec, err
	}
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), by.Account[:], &rec); err != nil {
		return rec, err
	}
	var r oinp.Representation
	var err error
	if kind == KindRepCancel {
		r, err = rec.App.CancelRepresentation(p.Rep, p.On)
	} else {
		r, err = rec.App.DecideRepresentation(p.Rep, p.Authorise, p.On)
	}
	if err != nil {
		return rec, err
	}
	rec.Version++
	rec.Updated = now
	if err := s.putApplication(tx, &rec); err != nil {
		return rec, err
	}
	return rec, s.feedRepAccess(tx, &rec, r)
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
func (s Store) feedRepAccess(tx *store.Tx, rec *ApplicationRecord, r oinp.Representation) error {
	// One record per representative and file: its ID mixes both.
	var id domain.ID
	for i := range id {
		id[i] = rec.Applicant[i] ^ r.Account[i] ^ 0x5a
	}
	return s.Feed(tx, sync.EntityRepAccess, id, rec.Version, []store.Reader{store.AccountReader(r.Account)},
		RepAccess{Applicant: rec.Applicant, Rep: r.Account, Status: r.Status})
}

// applyRepAccess removes a file from the desk of a representative who may
// no longer see it.
func (s Store) applyRepAccess(tx *store.Tx, c *sync.Change) (bool, error) {
	var a RepAccess
	if err := json.Unmarshal(c.Data, &a); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if a.Status == oinp.RepActive {
		return true, nil
	}
	if err := s.forgetDocuments(tx, a.Applicant); err != nil {
		return false, err
	}
	if err := s.unindexApplication(tx, a.Applicant); err != nil {
		return false, err
	}
	return true, store.BucketOf(tx, store.ApplicationsBucket).Delete(a.Applicant[:])
}

// ClientApplications lists the files the representative acts on.
func (s Store) ClientApplications(by account.Actor) ([]ApplicationRecord, error) {
	if by.Role != account.Representative {
		return nil, domain.Errorf(ErrNotRep)
	}
	if err := s.ensureFileIndex(); err != nil {
		return nil, err
	}
	var out []ApplicationRecord
	err := s.View(func(tx *store.Tx) error {
		// Only the files that name this representative (the index), each
		// checked on its record.
		b := store.BucketOf(tx, store.ApplicationsBucket)
		prefix := append([]byte{repFilePrefix}, by.Account[:]...)
		c := tx.Bucket(store.IxApplications).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			var rec ApplicationRecord
			found, err := s.GetJSON(b, k[17:33], &rec)
			if err != nil {
				return err
			}
			if found && oinp.CheckClient(by, &rec.App) == nil {
				out = append(out, rec)
			}
		}
		return nil
	})
	return out, err
}

// ClientApplication reads one client's file, for their active
// representative only.
func (s Store) ClientApplication(by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	var rec ApplicationRecord
	err := s.View(func(tx *store.Tx) error {
		var err error
		rec, err = s.clientRecord(tx, by, applicant)
		return err
	})
	return rec, err
}

// clientRecord reads a client's record for their active representative
// (oinp.CheckClient).
func (s Store) clientRecord(tx *store.Tx, by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	rec, _, err := s.fileFor(tx, by, applicant, func(by account.Actor, _ domain.ID, a *oinp.Application) error {
		return oinp.CheckClient(by, a)
	})
	return rec, err
}

// SaveClientApplication saves, as the active representative, a client's
// form: what the applicant filled stays theirs (§3.2.2: read-only to the
// representative); the representative fills the rest.
func (s Store) SaveClientApplication(by account.Actor, applicant domain.ID, app oinp.Application) (ApplicationRecord, error) {
	now := s.Now()
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		var edits []fields.Edit
		if rec, edits, err = s.saveClientApplication(tx, by, applicant, app, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindEditApplication, Action: "oinp.save", Entity: applicant,
			Base: rec.Version - 1, Payload: EditPayload{Seen: rec.Seen, Edits: edits, At: now}})
	})
	return rec, err
}

func (s Store) saveClientApplication(tx *store.Tx, by account.Actor, applicant domain.ID, app oinp.Application, now time.Time) (ApplicationRecord, []fields.Edit, error) {
	rec, err := s.clientRecord(tx, by, applicant)
	if err != nil {
		return rec, nil, err
	}
	if err := domain.CleanStrings(&app, store.MaxFormField); err != nil {
		return rec, nil, err
	}
	app.NameLines(applicant)
	base := rec.App
	if rec.RepFilled, err = rec.App.SaveByRepresentative(app, rec.signedEmployerForm(), rec.RepFilled); err != nil {
		return rec, nil, err
	}
	edits, err := oinp.EditsOf(&base, &rec.App)
	if err != nil {
		return rec, nil, err
	}
	rec.Updated = now
	rec.Version++
	return rec, edits, s.putApplication(tx, &rec)
}

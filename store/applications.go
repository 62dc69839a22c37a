package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/sync"
)

// The commands of an OINP application.
const (
	KindSaveApplication     sync.Kind = "oinp.save"
	KindRegisterApplication sync.Kind = "oinp.register"
)

// Codes of the application store.
var (
	ErrNotApplicant      = domain.NewCode("store.oinp.not-applicant", domain.KindForbidden)
	ErrAlreadyRegistered = domain.NewCode("store.oinp.registered", domain.KindConflict)
	ErrSubmitted         = domain.NewCode("store.oinp.submitted", domain.KindConflict)
)

// ApplicationRecord is an applicant's OINP application as stored: the form,
// its version (one more at every save) and when it was last saved.
type ApplicationRecord struct {
	Applicant domain.ID        `json:"applicant"`
	Version   uint64           `json:"version"`
	Updated   time.Time        `json:"updated"`
	App       oinp.Application `json:"application"`
}

// SaveApplicationPayload is the command of a save: the whole form.
type SaveApplicationPayload struct {
	App oinp.Application `json:"application"`
	At  time.Time        `json:"at"`
}

// RegisterApplicationPayload is the command of a registration: the file
// number this desk chose (the server keeps it unless another file has it)
// and the day.
type RegisterApplicationPayload struct {
	FileNumber oinp.FileNumber `json:"fileNumber"`
	Registered domain.Date     `json:"registered"`
}

// Application returns the signed-in applicant's application; found is
// false before the first save.
func (s *Store) Application(by account.Actor) (rec ApplicationRecord, found bool, err error) {
	if by.Role != account.Applicant {
		return rec, false, domain.Errorf(ErrNotApplicant)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		found, err = s.getJSON(bucketOf(tx, applicationsBucket), by.Account[:], &rec)
		return err
	})
	return rec, found, err
}

// SaveApplication saves the applicant's form in one transaction, with its
// outbox command and audit entry. The file number, registration and
// submission dates are not the form's to change: they stay as stored. A
// submitted application is locked (§6.4: no changes after payment).
func (s *Store) SaveApplication(by account.Actor, app oinp.Application) (ApplicationRecord, error) {
	now := s.now()
	var rec ApplicationRecord
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		if rec, err = s.saveApplication(tx, by, app, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindSaveApplication, action: "oinp.save",
			entity: by.Account, base: rec.Version - 1, payload: SaveApplicationPayload{App: rec.App, At: now}})
	})
	return rec, err
}

func (s *Store) saveApplication(tx *bolt.Tx, by account.Actor, app oinp.Application, now time.Time) (ApplicationRecord, error) {
	if by.Role != account.Applicant {
		return ApplicationRecord{}, domain.Errorf(ErrNotApplicant)
	}
	b := bucketOf(tx, applicationsBucket)
	var rec ApplicationRecord
	if _, err := s.getJSON(b, by.Account[:], &rec); err != nil {
		return rec, err
	}
	if !rec.App.Submitted.IsZero() {
		return rec, domain.Errorf(ErrSubmitted, rec.App.FileNumber)
	}
	app.Schema = oinp.SchemaVersion
	app.FileNumber, app.Registered, app.Submitted = rec.App.FileNumber, rec.App.Registered, rec.App.Submitted
	rec.Applicant, rec.App, rec.Updated = by.Account, app, now
	rec.Version++
	return rec, s.putApplication(tx, &rec)
}

// RegisterApplication registers the applicant for the stream (§3.1): the
// file gets its number and the 14-day window opens today. An applicant
// registers once.
func (s *Store) RegisterApplication(by account.Actor) (ApplicationRecord, error) {
	now := s.now()
	var rec ApplicationRecord
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		var number oinp.FileNumber
		if number, err = s.freeFileNumber(tx); err != nil {
			return err
		}
		p := RegisterApplicationPayload{FileNumber: number, Registered: domain.DateOf(now)}
		if rec, _, err = s.registerApplication(tx, by, p, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindRegisterApplication, action: "oinp.register",
			entity: by.Account, base: rec.Version - 1, payload: p})
	})
	return rec, err
}

// registerApplication gives the applicant's file its number (another one
// when the one asked for is taken: merged reports that) and its day.
func (s *Store) registerApplication(tx *bolt.Tx, by account.Actor, p RegisterApplicationPayload, now time.Time) (rec ApplicationRecord, merged bool, err error) {
	if by.Role != account.Applicant {
		return rec, false, domain.Errorf(ErrNotApplicant)
	}
	b := bucketOf(tx, applicationsBucket)
	if _, err := s.getJSON(b, by.Account[:], &rec); err != nil {
		return rec, false, err
	}
	if rec.App.FileNumber != "" {
		return rec, false, domain.Errorf(ErrAlreadyRegistered, rec.App.FileNumber)
	}
	if _, err := oinp.ParseFileNumber(string(p.FileNumber)); err != nil || s.fileNumberTaken(tx, p.FileNumber) {
		if p.FileNumber, err = s.freeFileNumber(tx); err != nil {
			return rec, false, err
		}
		merged = true
	}
	if rec.Version == 0 {
		rec.App.Schema = oinp.SchemaVersion
	}
	rec.Applicant, rec.Updated = by.Account, now
	rec.App.FileNumber, rec.App.Registered = p.FileNumber, p.Registered
	rec.Version++
	if err := s.indexFileNumber(tx, p.FileNumber, by.Account); err != nil {
		return rec, merged, err
	}
	return rec, merged, s.putApplication(tx, &rec)
}

// freeFileNumber draws a file number no application here has. Seven
// random digits: a desk offline cannot ask anyone, and the server hands
// out another number in the rare case two desks drew the same.
func (s *Store) freeFileNumber(tx *bolt.Tx) (oinp.FileNumber, error) {
	for range 100 {
		var b [4]byte
		if _, err := s.opt.Rand.Read(b[:]); err != nil {
			return "", domain.Wrap(ErrStorage, err)
		}
		n := (uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])) % 10_000_000
		number := oinp.FileNumber(fmt.Sprintf("JOID-%07d", n))
		if !s.fileNumberTaken(tx, number) {
			return number, nil
		}
	}
	return "", domain.Wrap(ErrStorage, fmt.Errorf("no free file number in 100 draws"))
}

// putApplication writes the record and feeds it to its applicant.
func (s *Store) putApplication(tx *bolt.Tx, rec *ApplicationRecord) error {
	if err := s.putJSON(bucketOf(tx, applicationsBucket), rec.Applicant[:], rec); err != nil {
		return err
	}
	if !s.server {
		return nil
	}
	return s.feed(tx, sync.EntityApplication, rec.Applicant, rec.Version, []domain.ID{rec.Applicant}, rec)
}

// applyApplication writes an application from the feed.
func (s *Store) applyApplication(tx *bolt.Tx, c *sync.Change) (bool, error) {
	var rec ApplicationRecord
	if err := json.Unmarshal(c.Data, &rec); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if rec.Applicant != c.ID {
		return false, nil
	}
	if rec.App.FileNumber != "" {
		if err := s.indexFileNumber(tx, rec.App.FileNumber, rec.Applicant); err != nil {
			return false, err
		}
	}
	return true, s.putJSON(bucketOf(tx, applicationsBucket), rec.Applicant[:], rec)
}

// dispatchApplication applies the pushed commands of an application on
// the server: only the applicant acts on their own file.
func (sv *Server) dispatchApplication(tx *bolt.Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
	ans := sync.Answer{Outcome: sync.Applied}
	if cmd.Entity != by.Account {
		return ans, domain.Errorf(ErrNotApplicant)
	}
	switch cmd.Kind {
	case KindSaveApplication:
		var p SaveApplicationPayload
		if err := decode(cmd.Payload, &p); err != nil {
			return ans, err
		}
		rec, err := sv.s.saveApplication(tx, by, p.App, sv.at(p.At, now))
		ans.Version = rec.Version
		return ans, err
	default:
		var p RegisterApplicationPayload
		if err := decode(cmd.Payload, &p); err != nil {
			return ans, err
		}
		rec, merged, err := sv.s.registerApplication(tx, by, p, now)
		if merged {
			ans.Outcome = sync.Merged
		}
		ans.Version = rec.Version
		return ans, err
	}
}

// The file-number index is keyed by a keyed hash, like every index of
// something a person could be found by.
func (s *Store) fileNumberTaken(tx *bolt.Tx, n oinp.FileNumber) bool {
	h := s.keys.hash(hashFileNumber, string(n))
	return tx.Bucket(ixFileNumber).Get(h[:]) != nil
}

func (s *Store) indexFileNumber(tx *bolt.Tx, n oinp.FileNumber, applicant domain.ID) error {
	h := s.keys.hash(hashFileNumber, string(n))
	return tx.Bucket(ixFileNumber).Put(h[:], applicant[:])
}

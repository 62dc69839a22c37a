package applications

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The commands of an OINP application.
const (
	KindSaveApplication     sync.Kind = "oinp.save"
	KindRegisterApplication sync.Kind = "oinp.register"
)

// Codes of the application store: the rules' own, declared in
// domain/oinp with the strings they had here.
var (
	ErrNotApplicant      = oinp.ErrNotApplicant
	ErrAlreadyRegistered = oinp.ErrAlreadyRegistered
	ErrSubmitted         = oinp.ErrSubmitted
)

// ApplicationRecord is an applicant's OINP application as stored: the form,
// its version (one more at every save) and when it was last saved.
type ApplicationRecord struct {
	Applicant domain.ID        `json:"applicant"`
	Version   uint64           `json:"version"`
	Updated   time.Time        `json:"updated"`
	App       oinp.Application `json:"application"`
	// RepFilled are the fields the representative filled (paths of
	// oinp.Fields): theirs to change; the rest the applicant filled.
	RepFilled map[string]bool `json:"repFilled,omitempty"`
	// EmployerForm is the signed Employer Form the employer linked to the
	// file (or the applicant imported): the Employer Form tabs come from
	// it and are read-only.
	EmployerForm *employer.SignedForm `json:"employerForm,omitempty"`
	// Seen is, on a desk, the version of the record as the server last
	// sent it: a save's changes are relative to it (EditPayload.Seen).
	Seen uint64 `json:"seen,omitempty"`
}

// SaveApplicationPayload is the command of a save from a desk of before
// field-level merge (KindSaveApplication): the whole form. The server
// still takes it, as the changes from the version that desk had
// (legacyEdits); desks now send KindEditApplication.
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
func (s Store) Application(by account.Actor) (rec ApplicationRecord, found bool, err error) {
	if err := oinp.CheckApplicant(by); err != nil {
		return rec, false, err
	}
	err = s.View(func(tx *store.Tx) error {
		found, err = s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), by.Account[:], &rec)
		return err
	})
	rec.App.NameLines(by.Account)
	return rec, found, err
}

// SaveApplication saves the applicant's form in one transaction, with its
// outbox command and audit entry. The file number, registration and
// submission dates are not the form's to change: they stay as stored. A
// submitted application is locked (§6.4: no changes after payment). The
// command carries what changed, field by field (KindEditApplication), for
// the server to merge with what other desks changed meanwhile.
func (s Store) SaveApplication(by account.Actor, app oinp.Application) (ApplicationRecord, error) {
	now := s.Now()
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		var edits []fields.Edit
		if rec, edits, err = s.saveApplication(tx, by, app, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindEditApplication, Action: "oinp.save",
			Entity: by.Account, Base: rec.Version - 1, Payload: EditPayload{Seen: rec.Seen, Edits: edits, At: now}})
	})
	return rec, err
}

func (s Store) saveApplication(tx *store.Tx, by account.Actor, app oinp.Application, now time.Time) (ApplicationRecord, []fields.Edit, error) {
	if err := oinp.CheckApplicant(by); err != nil {
		return ApplicationRecord{}, nil, err
	}
	if err := domain.CleanStrings(&app, store.MaxFormField); err != nil {
		return ApplicationRecord{}, nil, err
	}
	var rec ApplicationRecord
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), by.Account[:], &rec); err != nil {
		return rec, nil, err
	}
	rec.App.NameLines(by.Account)
	app.NameLines(by.Account)
	base := rec.App
	if err := rec.App.SaveByApplicant(app, rec.signedEmployerForm(), rec.RepFilled); err != nil {
		return rec, nil, err
	}
	edits, err := oinp.EditsOf(&base, &rec.App)
	if err != nil {
		return rec, nil, err
	}
	rec.Applicant, rec.Updated = by.Account, now
	rec.Version++
	return rec, edits, s.putApplication(tx, &rec)
}

// signedEmployerForm is the Employer Form tabs the employer signed for
// the file, nil when none is linked.
func (rec *ApplicationRecord) signedEmployerForm() *oinp.EmployerForm {
	if rec.EmployerForm == nil {
		return nil
	}
	return &rec.EmployerForm.Form
}

// RegisterApplication registers the applicant for the stream (§3.1): the
// file gets its number and the 14-day window opens today. An applicant
// registers once.
func (s Store) RegisterApplication(by account.Actor) (ApplicationRecord, error) {
	now := s.Now()
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		var number oinp.FileNumber
		if number, err = s.freeFileNumber(tx); err != nil {
			return err
		}
		p := RegisterApplicationPayload{FileNumber: number, Registered: domain.DateOf(now)}
		if rec, _, err = s.registerApplication(tx, by, p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindRegisterApplication, Action: "oinp.register",
			Entity: by.Account, Base: rec.Version - 1, Payload: p})
	})
	return rec, err
}

// registerApplication gives the applicant's file its number (another one
// when the one asked for is taken: merged reports that) and its day.
func (s Store) registerApplication(tx *store.Tx, by account.Actor, p RegisterApplicationPayload, now time.Time) (rec ApplicationRecord, merged bool, err error) {
	if err := oinp.CheckApplicant(by); err != nil {
		return rec, false, err
	}
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), by.Account[:], &rec); err != nil {
		return rec, false, err
	}
	number := p.FileNumber
	if _, err := oinp.ParseFileNumber(string(number)); err != nil || s.fileNumberTaken(tx, number) {
		if number, err = s.freeFileNumber(tx); err != nil {
			return rec, false, err
		}
	}
	if err := rec.App.Register(number, p.Registered); err != nil {
		return rec, false, err
	}
	merged, p.FileNumber = number != p.FileNumber, number
	if rec.Version == 0 {
		rec.App.Schema = oinp.SchemaVersion
	}
	rec.Applicant, rec.Updated = by.Account, now
	rec.Version++
	if err := s.indexFileNumber(tx, p.FileNumber, by.Account); err != nil {
		return rec, merged, err
	}
	return rec, merged, s.putApplication(tx, &rec)
}

// freeFileNumber draws a file number no application here has. Seven
// random digits: a desk offline cannot ask anyone, and the server hands
// out another number in the rare case two desks drew the same.
func (s Store) freeFileNumber(tx *store.Tx) (oinp.FileNumber, error) {
	for range 100 {
		var b [4]byte
		if _, err := s.Rand().Read(b[:]); err != nil {
			return "", domain.Wrap(store.ErrStorage, err)
		}
		n := (uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])) % 10_000_000
		number := oinp.FileNumber(fmt.Sprintf("JOID-%07d", n))
		if !s.fileNumberTaken(tx, number) {
			return number, nil
		}
	}
	return "", domain.Wrap(store.ErrStorage, fmt.Errorf("no free file number in 100 draws"))
}

// putApplication writes the record and feeds it to its applicant.
func (s Store) putApplication(tx *store.Tx, rec *ApplicationRecord) error {
	if err := s.PutJSON(store.BucketOf(tx, store.ApplicationsBucket), rec.Applicant[:], rec); err != nil {
		return err
	}
	if err := s.indexApplication(tx, rec); err != nil {
		return err
	}
	return s.feedApplication(tx, rec)
}

// feedApplication puts an application in the feed for its applicant and
// their active representative (server).
func (s Store) feedApplication(tx *store.Tx, rec *ApplicationRecord) error {
	readers := []store.Reader{store.AccountReader(rec.Applicant)}
	if r, ok := rec.App.ActiveRepresentative(); ok {
		readers = append(readers, store.AccountReader(r.Account))
	}
	return s.Feed(tx, sync.EntityApplication, rec.Applicant, rec.Version, readers, rec)
}

// applyApplication writes an application from the feed.
func (s Store) applyApplication(tx *store.Tx, c *sync.Change) (bool, error) {
	var rec ApplicationRecord
	if err := json.Unmarshal(c.Data, &rec); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if rec.Applicant != c.ID {
		return false, nil
	}
	rec.Seen = rec.Version
	if rec.App.FileNumber != "" {
		if err := s.indexFileNumber(tx, rec.App.FileNumber, rec.Applicant); err != nil {
			return false, err
		}
	}
	if rec.App.Payment != nil {
		held.Drop(s.Engine(), rec.Applicant) // the server took the fee
	}
	if err := s.PutJSON(store.BucketOf(tx, store.ApplicationsBucket), rec.Applicant[:], rec); err != nil {
		return false, err
	}
	return true, s.indexApplication(tx, &rec)
}

// The file-number index is keyed by a keyed hash, like every index of
// something a person could be found by.
func (s Store) fileNumberTaken(tx *store.Tx, n oinp.FileNumber) bool {
	h := s.Keys().Hash(store.HashFileNumber, string(n))
	return tx.Bucket(store.IxFileNumber).Get(h[:]) != nil
}

func (s Store) indexFileNumber(tx *store.Tx, n oinp.FileNumber, applicant domain.ID) error {
	h := s.Keys().Hash(store.HashFileNumber, string(n))
	return tx.Bucket(store.IxFileNumber).Put(h[:], applicant[:])
}

// The commands of the documents of an application.
const (
	KindAttachDocument sync.Kind = "oinp.attach"
	KindRemoveDocument sync.Kind = "oinp.detach"
)

// AttachPayload carries an attached document and its content.
type AttachPayload struct {
	Doc     oinp.Document `json:"document"`
	Content []byte        `json:"content"`
}

// RemovePayload names the document removed.
type RemovePayload struct {
	ID domain.ID `json:"id"`
}

// AttachDocument checks a file (type by content, size, a photo's pixels),
// keeps its content encrypted beside the application and lists it in the
// application, in one transaction with its outbox command (which carries
// the content to the server). A submitted application is locked.
func (s Store) AttachDocument(by account.Actor, doc oinp.Document, content []byte) (ApplicationRecord, oinp.Document, error) {
	return s.AttachDocumentFor(by, by.Account, doc, content)
}

// AttachDocumentFor attaches a document to an applicant's file, as the
// applicant or their active representative.
func (s Store) AttachDocumentFor(by account.Actor, applicant domain.ID, doc oinp.Document, content []byte) (ApplicationRecord, oinp.Document, error) {
	t, err := oinp.CheckAttachment(doc.Kind, doc.Name, content)
	if err != nil {
		return ApplicationRecord{}, doc, err
	}
	now := s.Now()
	if doc.ID, err = s.NewID(now); err != nil {
		return ApplicationRecord{}, doc, err
	}
	sum := sha256.Sum256(content)
	doc.Type, doc.Size, doc.SHA256, doc.Added = t, int64(len(content)), hex.EncodeToString(sum[:]), domain.DateOf(now)
	var rec ApplicationRecord
	err = s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.attachDocument(tx, by, applicant, doc, content, now); err != nil {
			return err
		}
		// The outbox command names the document; its content, kept once
		// in the attachments, joins it when it is pushed (expandAttachment).
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindAttachDocument, Action: "oinp.attach", Entity: applicant,
			Base: rec.Version - 1, Payload: AttachPayload{Doc: doc}, Detail: doc.Kind})
	})
	return rec, doc, err
}

func (s Store) attachDocument(tx *store.Tx, by account.Actor, applicant domain.ID, doc oinp.Document, content []byte, now time.Time) (ApplicationRecord, error) {
	rec, err := s.editableFor(tx, by, applicant)
	if err != nil {
		return rec, err
	}
	if _, err := oinp.CheckAttachment(doc.Kind, doc.Name, content); err != nil {
		return rec, err
	}
	// A document the file lists keeps its bytes: another under its ID
	// would replace them while the file still listed the first one's
	// type, size and SHA-256 (or, for the employer's, put the applicant's
	// bytes under the employer's document).
	if slices.ContainsFunc(rec.App.Documents, func(d oinp.Document) bool { return d.ID == doc.ID }) {
		return rec, domain.Errorf(store.ErrEntityExists)
	}
	// The employer's documents count on their form, not here.
	own := 0
	for _, d := range rec.App.Documents {
		if !d.FromEmployer {
			own++
		}
	}
	if err := oinp.CheckDocumentRoom(own); err != nil {
		return rec, err
	}
	rec.App.AddDocument(doc)
	if err := s.PutSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(applicant, doc.ID), content); err != nil {
		return rec, err
	}
	rec.Version++
	rec.Updated = now
	return rec, s.putApplication(tx, &rec)
}

// ErrAttachmentMismatch is an attachment whose declared type, size or
// SHA-256 are not those of the bytes the server received.
var ErrAttachmentMismatch = domain.NewCode("store.oinp.attach.mismatch", domain.KindInvalid)

// receivedDocument is a document as the server lists it: its type (from
// the bytes, by the same check as the desk's), size and SHA-256 computed
// from the bytes received, which must be what the desk declared (a
// mismatch is refused, not corrected: the desk listed something else);
// attached on the server's day; from the employer only when fromEmployer
// (the sender is the employer's user).
func receivedDocument(doc oinp.Document, content []byte, fromEmployer bool, now time.Time) (oinp.Document, error) {
	t, err := oinp.CheckAttachment(doc.Kind, doc.Name, content)
	if err != nil {
		return doc, err
	}
	switch {
	case doc.ID.IsZero():
		return doc, domain.FieldError(sync.ErrBadRequest, "document")
	case doc.Type != t:
		return doc, domain.FieldError(ErrAttachmentMismatch, "type")
	case doc.Size != int64(len(content)):
		return doc, domain.FieldError(ErrAttachmentMismatch, "size")
	case !strings.EqualFold(doc.SHA256, sha256Hex(content)):
		return doc, domain.FieldError(ErrAttachmentMismatch, "sha256")
	}
	doc.Type, doc.Size, doc.SHA256 = t, int64(len(content)), sha256Hex(content)
	doc.Added, doc.FromEmployer = domain.DateOf(now), fromEmployer
	return doc, nil
}

// RemoveDocument takes a document off the application, and its content
// and any translation of it with it.
func (s Store) RemoveDocument(by account.Actor, id domain.ID) (ApplicationRecord, error) {
	return s.RemoveDocumentFor(by, by.Account, id)
}

// RemoveDocumentFor removes a document from an applicant's file, as the
// applicant or their active representative.
func (s Store) RemoveDocumentFor(by account.Actor, applicant, id domain.ID) (ApplicationRecord, error) {
	now := s.Now()
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.removeDocument(tx, by, applicant, id, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindRemoveDocument, Action: "oinp.detach", Entity: applicant,
			Base: rec.Version - 1, Payload: RemovePayload{ID: id}})
	})
	return rec, err
}

func (s Store) removeDocument(tx *store.Tx, by account.Actor, applicant, id domain.ID, now time.Time) (ApplicationRecord, error) {
	rec, err := s.editableFor(tx, by, applicant)
	if err != nil {
		return rec, err
	}
	gone, err := rec.App.RemoveDocument(id)
	if err != nil {
		return rec, err
	}
	for _, d := range gone {
		if err := store.BucketOf(tx, store.AttachmentsBucket).Delete(attachmentKey(applicant, d)); err != nil {
			return rec, err
		}
	}
	rec.Version++
	rec.Updated = now
	return rec, s.putApplication(tx, &rec)
}

// DocumentContent reads an attached document of the applicant's own
// application. A document attached on another computer is listed but its
// content stays with the server (ErrNotFound here).
func (s Store) DocumentContent(by account.Actor, id domain.ID) ([]byte, error) {
	if err := oinp.CheckApplicant(by); err != nil {
		return nil, err
	}
	return s.DocumentContentFor(by, by.Account, id)
}

// DocumentContentFor reads a document of an applicant's file, as the
// applicant, their active representative or, once it is submitted, a
// program officer (oinp.CheckDocumentReader): what this store holds of
// it (LocalDocument also checks it against the file's list).
func (s Store) DocumentContentFor(by account.Actor, applicant, id domain.ID) ([]byte, error) {
	var out []byte
	err := s.View(func(tx *store.Tx) error {
		if _, _, err := s.fileFor(tx, by, applicant, oinp.CheckDocumentReader); err != nil {
			return err
		}
		found, err := s.GetSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(applicant, id), &out)
		if err == nil && !found {
			err = domain.Errorf(store.ErrNotFound)
		}
		return err
	})
	return out, err
}

// editableFor reads an applicant's record for a change, as
// oinp.CheckEditable allows it: by the applicant or their active
// representative only, never once submitted.
func (s Store) editableFor(tx *store.Tx, by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	rec, _, err := s.fileFor(tx, by, applicant, oinp.CheckEditable)
	if err != nil {
		return rec, err
	}
	if rec.Version == 0 {
		rec.App.Schema = oinp.SchemaVersion
	}
	rec.Applicant = applicant
	return rec, nil
}

// fileFor reads the record of applicant's file and asks check whether by
// may have it (check reads nil when there is no file). A caller who may
// not has an empty record back.
func (s Store) fileFor(tx *store.Tx, by account.Actor, applicant domain.ID,
	check func(account.Actor, domain.ID, *oinp.Application) error) (rec ApplicationRecord, found bool, err error) {
	if found, err = s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant[:], &rec); err != nil {
		return ApplicationRecord{}, false, err
	}
	var app *oinp.Application
	if found {
		app = &rec.App
	}
	if err := check(by, applicant, app); err != nil {
		return ApplicationRecord{}, false, err
	}
	rec.App.NameLines(applicant)
	return rec, found, nil
}

func attachmentKey(applicant, doc domain.ID) []byte {
	return append(applicant[:len(applicant):len(applicant)], doc[:]...)
}

// expandAttachment gives an attachment's command the document's content,
// which the outbox keeps in the attachments, as it is pushed (a document
// removed since goes without, and the server refuses it as empty; the
// removal follows it).
func (s Store) expandAttachment(cmd sync.Command) (sync.Command, error) {
	var p AttachPayload
	if err := json.Unmarshal(cmd.Payload, &p); err != nil || len(p.Content) > 0 {
		return cmd, err
	}
	err := s.View(func(tx *store.Tx) error {
		_, err := s.GetSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(cmd.Entity, p.Doc.ID), &p.Content)
		return err
	})
	if err != nil {
		return cmd, err
	}
	if cmd.Payload, err = json.Marshal(p); err != nil {
		return cmd, fmt.Errorf("expand %s: %w", cmd.ID, err)
	}
	return cmd, nil
}

// The commands of a submitted application.
const (
	KindSubmitApplication   sync.Kind = "oinp.submit"
	KindWithdrawApplication sync.Kind = "oinp.withdraw"
	KindNoticeApplication   sync.Kind = "oinp.notice"
)

// Codes of a submission refused, and of a change after it: declared in
// domain/oinp with the strings they had here.
var (
	ErrNotRegistered       = oinp.ErrNotRegistered
	ErrRegistrationExpired = oinp.ErrRegistrationExpired
	ErrIncomplete          = oinp.ErrIncomplete
	ErrNotSubmitted        = oinp.ErrNotSubmitted
	ErrWithdrawn           = oinp.ErrWithdrawn
	ErrNoticeEmpty         = oinp.ErrNoticeEmpty
)

// NoticePayload is a change of information.
type NoticePayload struct {
	Notice oinp.Notice `json:"notice"`
}

// WithdrawApplication withdraws a submitted application (§6.5).
func (s Store) WithdrawApplication(by account.Actor) (ApplicationRecord, error) {
	return s.afterSubmission(by, KindWithdrawApplication, "oinp.withdraw", NoticePayload{Notice: oinp.Notice{Sent: domain.DateOf(s.Now())}})
}

// NotifyChange sends a change of information about a submitted
// application (§5.4).
func (s Store) NotifyChange(by account.Actor, text string) (ApplicationRecord, error) {
	n, err := oinp.NewNotice(text, domain.DateOf(s.Now()))
	if err != nil {
		return ApplicationRecord{}, err
	}
	return s.afterSubmission(by, KindNoticeApplication, "oinp.notice", NoticePayload{Notice: n})
}

func (s Store) afterSubmission(by account.Actor, kind sync.Kind, action string, p NoticePayload) (ApplicationRecord, error) {
	now := s.Now()
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.changeSubmitted(tx, by, kind, p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: kind, Action: action, Entity: by.Account, Base: rec.Version - 1, Payload: p})
	})
	return rec, err
}

// changeSubmitted withdraws the applicant's own file or adds a notice to
// it (oinp.Withdraw, oinp.AddNotice: the server cleans and bounds what the
// program's officers read), on the day p.Notice.Sent.
func (s Store) changeSubmitted(tx *store.Tx, by account.Actor, kind sync.Kind, p NoticePayload, now time.Time) (ApplicationRecord, error) {
	var rec ApplicationRecord
	if err := oinp.CheckApplicant(by); err != nil {
		return rec, err
	}
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), by.Account[:], &rec); err != nil {
		return rec, err
	}
	var err error
	if kind == KindWithdrawApplication {
		err = rec.App.Withdraw(p.Notice.Sent)
	} else {
		_, err = rec.App.AddNotice(p.Notice.Text, p.Notice.Sent)
	}
	if err != nil {
		return rec, err
	}
	rec.Version++
	rec.Updated = now
	if err := s.putApplication(tx, &rec); err != nil {
		return rec, err
	}
	if kind == KindNoticeApplication {
		// The program acknowledges the notice to the applicant, under
		// the subject the program's guide gives it [004 §5.4].
		return rec, s.MailAccount(tx, now, by.Account, "oinp.notice", string(rec.App.FileNumber))
	}
	return rec, nil
}

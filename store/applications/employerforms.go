package applications

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The commands of Employer Forms.
const (
	KindSaveEmployerForm   sync.Kind = "employer.form.save"
	KindSignEmployerForm   sync.Kind = "employer.form.sign"
	KindLinkEmployerForm   sync.Kind = "employer.form.link"
	KindImportEmployerForm sync.Kind = "oinp.employer-form"
)

// Codes of Employer Forms, declared with their rules in domain/employer
// (the same strings).
var (
	ErrFormNotSigned  = employer.ErrFormNotSigned
	ErrFormIncomplete = employer.ErrFormIncomplete
	ErrFormKey        = employer.ErrFormKey
	ErrFormLinked     = employer.ErrFormLinked
	ErrFormBusiness   = employer.ErrFormBusiness
	ErrFormSigner     = employer.ErrFormSigner
	ErrFormDate       = employer.ErrFormDate
	ErrFormConsent    = employer.ErrFormConsent
)

// EmployerFormRecord is an Employer Form as its business keeps it
// (employer.FormRecord, whose methods are its rules).
type EmployerFormRecord = employer.FormRecord

// LinkPayload links a signed form to an applicant's file.
type LinkPayload struct {
	Form       domain.ID       `json:"form"`
	FileNumber oinp.FileNumber `json:"fileNumber"`
}

// SignedPayload carries a signed form.
type SignedPayload struct {
	Signed employer.SignedForm `json:"signed"`
}

// SaveEmployerForm saves an Employer Form of the person's business (a new
// one when id is zero), in one transaction with its outbox command, which
// carries what changed, field by field (KindEditEmployerForm). A change
// after signing clears the signature: the form is signed again.
func (s Store) SaveEmployerForm(by account.Actor, id domain.ID, form oinp.EmployerForm) (EmployerFormRecord, error) {
	now := s.Now()
	var rec EmployerFormRecord
	err := s.Update(func(tx *store.Tx) error {
		if id.IsZero() {
			var err error
			if id, err = s.NewID(now); err != nil {
				return err
			}
		}
		var err error
		var edits []fields.Edit
		if rec, edits, err = s.saveEmployerForm(tx, by, id, form, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindEditEmployerForm, Action: "employer.form.save", Entity: id,
			Base: rec.Version - 1, Payload: EditPayload{Seen: rec.Seen, Edits: edits, At: now}})
	})
	return rec, err
}

func (s Store) saveEmployerForm(tx *store.Tx, by account.Actor, id domain.ID, form oinp.EmployerForm, now time.Time) (EmployerFormRecord, []fields.Edit, error) {
	rec, err := s.employerFormFor(tx, by, id, true)
	if err != nil {
		return rec, nil, err
	}
	if err := domain.CleanStrings(&form, store.MaxFormField); err != nil {
		return rec, nil, err
	}
	base := rec.Form
	if err := rec.Edit(form, now); err != nil {
		return rec, nil, err
	}
	edits, err := employerFormEdits(&base, &rec.Form)
	if err != nil {
		return rec, nil, err
	}
	rec.Version++
	return rec, edits, s.putEmployerForm(tx, &rec)
}

// employerFormFor reads a form for one of its business's users (a new
// record when create is set and there is none), as
// employer.CheckFormAccess allows.
func (s Store) employerFormFor(tx *store.Tx, by account.Actor, id domain.ID, create bool) (EmployerFormRecord, error) {
	var rec EmployerFormRecord
	b, err := s.businessOfActor(tx, by)
	if err != nil {
		return rec, err
	}
	if err := employer.CheckFormAccess(by, b, nil); err != nil {
		return rec, err
	}
	found, err := s.GetJSON(store.BucketOf(tx, store.EmployerFormsBucket), id[:], &rec)
	switch {
	case err != nil:
		return rec, err
	case !found && !create:
		return rec, domain.Errorf(store.ErrNotFound)
	case !found:
		return employer.NewForm(id, by, b), nil
	}
	return rec, employer.CheckFormAccess(by, b, &rec)
}

// businessOfActor reads the business of the actor's unit; nil when the
// store holds none.
func (s Store) businessOfActor(tx *store.Tx, by account.Actor) (*employer.Business, error) {
	biz, err := s.BusinessOf(tx, by.Org)
	if err != nil || by.Org.IsZero() {
		return nil, nil
	}
	var b employer.Business
	found, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), biz[:], &b)
	if err != nil || !found {
		return nil, err
	}
	return &b, nil
}

// putEmployerForm writes a form and feeds it to its business and unit.
func (s Store) putEmployerForm(tx *store.Tx, rec *EmployerFormRecord) error {
	if err := s.PutJSON(store.BucketOf(tx, store.EmployerFormsBucket), rec.ID[:], rec); err != nil {
		return err
	}
	return s.Feed(tx, sync.EntityEmployerForm, rec.ID, rec.Version, []store.Reader{store.OrgReader(rec.Business), store.OrgReader(rec.Unit)}, rec)
}

// applyEmployerForm writes a form from the feed.
func (s Store) applyEmployerForm(tx *store.Tx, c *sync.Change) (bool, error) {
	var rec EmployerFormRecord
	if err := json.Unmarshal(c.Data, &rec); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if rec.ID != c.ID {
		return false, nil
	}
	rec.Seen = rec.Version
	return true, s.PutJSON(store.BucketOf(tx, store.EmployerFormsBucket), rec.ID[:], rec)
}

// EmployerForms lists the forms of the person's business.
func (s Store) EmployerForms(by account.Actor) ([]EmployerFormRecord, error) {
	var out []EmployerFormRecord
	err := s.View(func(tx *store.Tx) error {
		biz, err := s.BusinessOf(tx, by.Org)
		if err != nil || !by.Role.Can(account.FillEmployerForm) {
			return domain.Errorf(account.ErrForbidden)
		}
		b := store.BucketOf(tx, store.EmployerFormsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec EmployerFormRecord
			if err := s.OpenJSON(b, k, v, &rec); err != nil {
				return err
			}
			if rec.Business == biz {
				out = append(out, rec)
			}
		}
		return nil
	})
	return out, err
}

// SignEmployerForm signs a complete form today, with the signer's own key
// (made on their first signature and kept sealed on this desk; its public
// half goes on the business's record).
func (s Store) SignEmployerForm(by account.Actor, id domain.ID) (EmployerFormRecord, employer.SignedForm, error) {
	now := s.Now()
	var rec EmployerFormRecord
	var signed employer.SignedForm
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.employerFormFor(tx, by, id, false); err != nil {
			return err
		}
		var b employer.Business
		if _, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), rec.Business[:], &b); err != nil {
			return err
		}
		_, me, err := s.EmployerUser(tx, by.Account)
		if err != nil {
			return err
		}
		// The business signs as the program knows it.
		unsigned, err := rec.ToSign(&b, me, now)
		if err != nil {
			return err
		}
		key, err := s.signingKey(tx, by.Account)
		if err != nil {
			return err
		}
		signed = unsigned.Sign(key)
		if rec, err = s.signEmployerForm(tx, by, signed, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSignEmployerForm, Action: "employer.form.sign", Entity: id,
			Base: rec.Version - 1, Payload: SignedPayload{Signed: signed}})
	})
	return rec, signed, err
}

// signEmployerForm records a signature (checked) on its form and the
// signer's key on the business.
func (s Store) signEmployerForm(tx *store.Tx, by account.Actor, signed employer.SignedForm, now time.Time) (EmployerFormRecord, error) {
	rec, err := s.employerFormFor(tx, by, signed.FormID, false)
	if err != nil {
		return rec, err
	}
	if err := rec.CheckSignedBy(by, signed); err != nil {
		return rec, err
	}
	if err := domain.CheckStrings(&signed, store.MaxFormField); err != nil {
		return rec, err
	}
	var b employer.Business
	if _, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), rec.Business[:], &b); err != nil {
		return rec, err
	}
	_, signer, err := s.EmployerUser(tx, signed.Signer)
	if err != nil {
		return rec, err
	}
	if err := signed.CheckSigned(&b, signer); err != nil {
		return rec, err
	}
	if b.AddKey(by.Account, signed.PublicKey) {
		if err := s.PutBusiness(tx, &b); err != nil {
			return rec, err
		}
	}
	rec.Sign(signed, now)
	rec.Version++
	return rec, s.putEmployerForm(tx, &rec)
}

// signedWithin checks the day a form says it was signed against the
// server's clock (employer.SignedForm.SignedWithin): no later than now
// and the clock's leeway, no earlier than earliest (zero: any day).
//
// TODO(rules): which window applies — a desk's signature within the
// offline window, an imported file any day — is chosen in dispatch
// (push.go); it belongs with the commands' declarations.
func signedWithin(sv *store.Server, signed employer.SignedForm, now, earliest time.Time) error {
	return signed.SignedWithin(earliest, now.Add(sv.MaxAhead()))
}

// signingKey is the person's Ed25519 key, made the first time.
func (s Store) signingKey(tx *store.Tx, acct domain.ID) (ed25519.PrivateKey, error) {
	b := store.BucketOf(tx, store.SigningKeysBucket)
	var seed []byte
	found, err := s.GetSealed(b, acct[:], &seed)
	if err != nil {
		return nil, err
	}
	if !found {
		seed = make([]byte, ed25519.SeedSize)
		if _, err := s.Rand().Read(seed); err != nil {
			return nil, domain.Wrap(store.ErrStorage, err)
		}
		if err := s.PutSealed(b, acct[:], seed); err != nil {
			return nil, err
		}
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ExportSignedForm is the signed form as a file for an applicant who is
// offline.
func (s Store) ExportSignedForm(by account.Actor, id domain.ID) ([]byte, error) {
	var out []byte
	err := s.View(func(tx *store.Tx) error {
		rec, err := s.employerFormFor(tx, by, id, false)
		if err != nil {
			return err
		}
		if rec.Signed == nil {
			return domain.Errorf(ErrFormNotSigned)
		}
		out, err = json.MarshalIndent(rec.Signed, "", "  ")
		return err
	})
	return out, err
}

// LinkEmployerForm links a signed form to an applicant's file, by its
// number: the server, which holds the file, fills the applicant's
// Employer Form tabs from it (read-only to them).
func (s Store) LinkEmployerForm(by account.Actor, id domain.ID, file string) (EmployerFormRecord, error) {
	n, err := oinp.ParseFileNumber(file)
	if err != nil {
		return EmployerFormRecord{}, err
	}
	now := s.Now()
	var rec EmployerFormRecord
	err = s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.employerFormFor(tx, by, id, false); err != nil {
			return err
		}
		// This desk does not hold the applicant's file: the server checks
		// their consent (linkEmployerForm).
		if err := rec.CheckLinkable(n); err != nil {
			return err
		}
		rec.Linked = n
		rec.Version++
		if err := s.putEmployerForm(tx, &rec); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindLinkEmployerForm, Action: "employer.form.link", Entity: id,
			Payload: LinkPayload{Form: id, FileNumber: n}})
	})
	return rec, err
}

// linkEmployerForm fills the linked application's Employer Form (server).
func (s Store) linkEmployerForm(tx *store.Tx, by account.Actor, p LinkPayload, now time.Time) error {
	rec, err := s.employerFormFor(tx, by, p.Form, false)
	if err != nil {
		return err
	}
	if err := rec.CheckLinkable(p.FileNumber); err != nil {
		return err
	}
	h := s.Keys().Hash(store.HashFileNumber, string(p.FileNumber))
	applicant := tx.Bucket(store.IxFileNumber).Get(h[:])
	if applicant == nil {
		return domain.Errorf(ErrRepNoMatch)
	}
	var app ApplicationRecord
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant, &app); err != nil {
		return err
	}
	if !app.App.Submitted.IsZero() {
		return domain.Errorf(ErrSubmitted, app.App.FileNumber)
	}
	if err := rec.Link(p.FileNumber, app.App.Employer.BusinessNumber); err != nil {
		return err
	}
	app.App.Employer, app.EmployerForm = rec.Signed.Form, rec.Signed
	app.Version++
	app.Updated = now
	if err := s.putApplication(tx, &app); err != nil {
		return err
	}
	rec.Version++
	if err := s.putEmployerForm(tx, &rec); err != nil {
		return err
	}
	return s.shareEmployerDocuments(tx, &rec, now)
}

// ImportSignedForm fills the applicant's Employer Form tabs from a signed
// file the employer gave them (offline): refused when edited after
// signing; the server checks the key is one of the business's.
func (s Store) ImportSignedForm(by account.Actor, b []byte) (ApplicationRecord, error) {
	signed, err := employer.ReadSignedForm(b)
	if err != nil {
		return ApplicationRecord{}, err
	}
	now := s.Now()
	var rec ApplicationRecord
	err = s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.importSignedForm(tx, by, signed, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindImportEmployerForm, Action: "oinp.employer-form",
			Entity: by.Account, Base: rec.Version - 1, Payload: SignedPayload{Signed: signed}})
	})
	return rec, err
}

func (s Store) importSignedForm(tx *store.Tx, by account.Actor, signed employer.SignedForm, now time.Time) (ApplicationRecord, error) {
	if err := signed.Verify(); err != nil {
		return ApplicationRecord{}, err
	}
	// The signature covers the text as it is: what it cannot clean, the
	// store refuses.
	if err := domain.CheckStrings(&signed, store.MaxFormField); err != nil {
		return ApplicationRecord{}, err
	}
	rec, err := s.editableFor(tx, by, by.Account)
	if err != nil {
		return rec, err
	}
	rec.App.Employer, rec.EmployerForm = signed.Form, &signed
	rec.Version++
	rec.Updated = now
	return rec, s.putApplication(tx, &rec)
}

// signedByItsBusiness checks, on the server, that a signed form was signed
// with its business's own key by a real user of it: the desk that imports
// the form cannot know.
func (s Store) signedByItsBusiness(tx *store.Tx, signed employer.SignedForm) error {
	var b employer.Business
	found, err := s.GetJSON(store.BucketOf(tx, store.BusinessesBucket), signed.Business[:], &b)
	if err != nil {
		return err
	}
	var known *employer.Business
	if found {
		known = &b
	}
	if err := signed.CheckKey(known); err != nil {
		return err
	}
	_, signer, err := s.EmployerUser(tx, signed.Signer)
	if err != nil {
		return err
	}
	return signed.CheckSigned(&b, signer)
}

// KindAttachEmployerDocument is the command of an employer's document.
const KindAttachEmployerDocument sync.Kind = "employer.form.attach"

// EmployerDocumentPayload names an employer's document attached to a form
// (its content joins the command as it is pushed, as for applicants).
type EmployerDocumentPayload struct {
	Form    domain.ID     `json:"form"`
	Doc     oinp.Document `json:"document"`
	Content []byte        `json:"content,omitempty"`
}

// AttachEmployerDocument attaches one of the employer's documents
// (Appendix 4 §3: the employer's information, its representative's form)
// to an Employer Form: checked like an applicant's, kept sealed. Once the
// form is linked, the document joins the applicant's file too.
func (s Store) AttachEmployerDocument(by account.Actor, form domain.ID, doc oinp.Document, content []byte) (EmployerFormRecord, oinp.Document, error) {
	t, err := oinp.CheckAttachment(doc.Kind, doc.Name, content)
	if err != nil {
		return EmployerFormRecord{}, doc, err
	}
	now := s.Now()
	if doc.ID, err = s.NewID(now); err != nil {
		return EmployerFormRecord{}, doc, err
	}
	doc.Type, doc.Size, doc.Added = t, int64(len(content)), domain.DateOf(now)
	doc.SHA256 = sha256Hex(content)
	var rec EmployerFormRecord
	err = s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.attachEmployerDocument(tx, by, form, doc, content, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindAttachEmployerDocument, Action: "employer.form.attach",
			Entity: form, Payload: EmployerDocumentPayload{Form: form, Doc: doc}, Detail: doc.Kind})
	})
	return rec, doc, err
}

func (s Store) attachEmployerDocument(tx *store.Tx, by account.Actor, form domain.ID, doc oinp.Document, content []byte, now time.Time) (EmployerFormRecord, error) {
	rec, err := s.employerFormFor(tx, by, form, false)
	if err != nil {
		return rec, err
	}
	// A document the form lists keeps its bytes (attachDocument).
	if slices.ContainsFunc(rec.Documents, func(d oinp.Document) bool { return d.ID == doc.ID }) {
		return rec, domain.Errorf(store.ErrEntityExists)
	}
	if err := oinp.CheckDocumentRoom(len(rec.Documents)); err != nil {
		return rec, err
	}
	if err := rec.Attach(doc, content, now); err != nil {
		return rec, err
	}
	if err := s.PutSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(form, doc.ID), content); err != nil {
		return rec, err
	}
	rec.Version++
	if err := s.putEmployerForm(tx, &rec); err != nil {
		return rec, err
	}
	return rec, nil
}

// shareEmployerDocuments lists the employer's documents on the linked
// applicant's file (server): with the day each arrived, against the two
// calendar days after submission (§2.3.6).
func (s Store) shareEmployerDocuments(tx *store.Tx, rec *EmployerFormRecord, now time.Time) error {
	h := s.Keys().Hash(store.HashFileNumber, string(rec.Linked))
	applicant := tx.Bucket(store.IxFileNumber).Get(h[:])
	if applicant == nil {
		return nil
	}
	var app ApplicationRecord
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant, &app); err != nil {
		return err
	}
	changed := false
	for _, d := range rec.Documents {
		if !slices.ContainsFunc(app.App.Documents, func(x oinp.Document) bool { return x.ID == d.ID }) {
			d.FromEmployer = true
			app.App.Documents = append(app.App.Documents, d)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	app.Version++
	app.Updated = now
	return s.putApplication(tx, &app)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// noteSubmission tells the employer whose form is linked to a file that
// the file was submitted (server): their documents are due in two days.
func (s Store) noteSubmission(tx *store.Tx, app *ApplicationRecord) error {
	if app.EmployerForm == nil {
		return nil
	}
	var rec EmployerFormRecord
	found, err := s.GetJSON(store.BucketOf(tx, store.EmployerFormsBucket), app.EmployerForm.FormID[:], &rec)
	if err != nil || !found {
		return err
	}
	rec.FileSubmitted = app.App.Submitted
	rec.Version++
	return s.putEmployerForm(tx, &rec)
}

// expandEmployerDocument gives an employer document's command its content.
func (s Store) expandEmployerDocument(cmd sync.Command) (sync.Command, error) {
	var p EmployerDocumentPayload
	if err := json.Unmarshal(cmd.Payload, &p); err != nil || len(p.Content) > 0 {
		return cmd, err
	}
	err := s.View(func(tx *store.Tx) error {
		_, err := s.GetSealed(store.BucketOf(tx, store.AttachmentsBucket), attachmentKey(p.Form, p.Doc.ID), &p.Content)
		return err
	})
	if err != nil {
		return cmd, err
	}
	cmd.Payload, err = json.Marshal(p)
	return cmd, err
}

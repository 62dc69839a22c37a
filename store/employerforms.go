package store

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
	"dossier/domain/oinp"
	"dossier/sync"
)

// The commands of Employer Forms.
const (
	KindSaveEmployerForm   sync.Kind = "employer.form.save"
	KindSignEmployerForm   sync.Kind = "employer.form.sign"
	KindLinkEmployerForm   sync.Kind = "employer.form.link"
	KindImportEmployerForm sync.Kind = "oinp.employer-form"
)

// Codes of Employer Forms.
var (
	ErrFormNotSigned  = domain.NewCode("store.employer.form.unsigned", domain.KindConflict)
	ErrFormIncomplete = domain.NewCode("store.employer.form.incomplete", domain.KindConflict)
	ErrFormKey        = domain.NewCode("store.employer.form.key", domain.KindForbidden)
	ErrFormLinked     = domain.NewCode("store.employer.form.linked", domain.KindConflict)
	// ErrFormBusiness is a signed form whose business number or legal
	// name are not those the program holds for the business.
	ErrFormBusiness = domain.NewCode("store.employer.form.business", domain.KindInvalid)
	// ErrFormSigner is a signature by someone who is not an active user
	// of the business, or under another name than their account's.
	ErrFormSigner = domain.NewCode("store.employer.form.signer", domain.KindForbidden)
	// ErrFormDate is a form signed on a day the server's clock does not
	// allow: later than it, or earlier than a desk works offline.
	ErrFormDate = domain.NewCode("store.employer.form.date", domain.KindInvalid)
	// ErrFormConsent is a form linked to a file whose applicant has not
	// named the business (its business number on their Employer Form
	// tab).
	ErrFormConsent = domain.NewCode("store.employer.form.consent", domain.KindForbidden)
)

// EmployerFormRecord is an Employer Form as its business keeps it: the
// form, the unit that wrote it, its last signature (an edit clears it)
// and the applicant's file it was linked to.
type EmployerFormRecord struct {
	ID       domain.ID            `json:"id"`
	Business domain.ID            `json:"business"`
	Unit     domain.ID            `json:"unit"`
	Form     oinp.EmployerForm    `json:"form"`
	Signed   *employer.SignedForm `json:"signed,omitempty"`
	Linked   oinp.FileNumber      `json:"linked,omitempty"`
	// Documents are the employer's own documents (Appendix 4 §3).
	Documents []oinp.Document `json:"documents,omitempty"`
	// FileSubmitted is the day the linked file was submitted: the
	// employer's documents are due two calendar days later.
	FileSubmitted domain.Date `json:"fileSubmitted,omitzero"`
	Version       uint64      `json:"version"`
	Updated       time.Time   `json:"updated"`
}

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
// one when id is zero), in one transaction with its outbox command. A
// change after signing clears the signature: the form is signed again.
func (s *Store) SaveEmployerForm(by account.Actor, id domain.ID, form oinp.EmployerForm) (EmployerFormRecord, error) {
	now := s.now()
	var rec EmployerFormRecord
	err := s.db.Update(func(tx *Tx) error {
		if id.IsZero() {
			var err error
			if id, err = s.newID(now); err != nil {
				return err
			}
		}
		var err error
		if rec, err = s.saveEmployerForm(tx, by, id, form, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindSaveEmployerForm, action: "employer.form.save", entity: id,
			base: rec.Version - 1, payload: rec})
	})
	return rec, err
}

func (s *Store) saveEmployerForm(tx *Tx, by account.Actor, id domain.ID, form oinp.EmployerForm, now time.Time) (EmployerFormRecord, error) {
	rec, err := s.employerFormFor(tx, by, id, true)
	if err != nil {
		return rec, err
	}
	if err := domain.CleanStrings(&form, MaxFormField); err != nil {
		return rec, err
	}
	if rec.Linked != "" {
		return rec, domain.Errorf(ErrFormLinked, rec.Linked)
	}
	form.Signed = domain.Date{}
	rec.Form, rec.Signed, rec.Updated = form, nil, now
	rec.Version++
	return rec, s.putEmployerForm(tx, &rec)
}

// employerFormFor reads a form for one of its business's users (a new
// record when create is set and there is none), in a business the
// program approved.
func (s *Store) employerFormFor(tx *Tx, by account.Actor, id domain.ID, create bool) (EmployerFormRecord, error) {
	var rec EmployerFormRecord
	if !by.Role.Can(account.FillEmployerForm) {
		return rec, domain.Errorf(account.ErrForbidden)
	}
	biz, err := s.businessOf(tx, by.Org)
	if err != nil {
		return rec, domain.Errorf(account.ErrOtherOrganisation)
	}
	var b employer.Business
	if _, err := s.getJSON(bucketOf(tx, businessesBucket), biz[:], &b); err != nil {
		return rec, err
	}
	if b.Status != employer.Approved {
		return rec, domain.Errorf(employer.ErrNotApproved)
	}
	found, err := s.getJSON(bucketOf(tx, employerFormsBucket), id[:], &rec)
	switch {
	case err != nil:
		return rec, err
	case !found && !create:
		return rec, domain.Errorf(ErrNotFound)
	case !found:
		return EmployerFormRecord{ID: id, Business: biz, Unit: by.Org}, nil
	case rec.Business != biz:
		return rec, domain.Errorf(account.ErrOtherOrganisation)
	}
	return rec, nil
}

// putEmployerForm writes a form and feeds it to its business and unit.
func (s *Store) putEmployerForm(tx *Tx, rec *EmployerFormRecord) error {
	if err := s.putJSON(bucketOf(tx, employerFormsBucket), rec.ID[:], rec); err != nil {
		return err
	}
	if !s.server {
		return nil
	}
	return s.feed(tx, sync.EntityEmployerForm, rec.ID, rec.Version, []reader{orgReader(rec.Business), orgReader(rec.Unit)}, rec)
}

// applyEmployerForm writes a form from the feed.
func (s *Store) applyEmployerForm(tx *Tx, c *sync.Change) (bool, error) {
	var rec EmployerFormRecord
	if err := json.Unmarshal(c.Data, &rec); err != nil {
		return false, domain.Wrap(sync.ErrServer, err)
	}
	if rec.ID != c.ID {
		return false, nil
	}
	return true, s.putJSON(bucketOf(tx, employerFormsBucket), rec.ID[:], rec)
}

// EmployerForms lists the forms of the person's business.
func (s *Store) EmployerForms(by account.Actor) ([]EmployerFormRecord, error) {
	var out []EmployerFormRecord
	err := s.db.View(func(tx *Tx) error {
		biz, err := s.businessOf(tx, by.Org)
		if err != nil || !by.Role.Can(account.FillEmployerForm) {
			return domain.Errorf(account.ErrForbidden)
		}
		b := bucketOf(tx, employerFormsBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec EmployerFormRecord
			if err := s.openJSON(b, k, v, &rec); err != nil {
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
func (s *Store) SignEmployerForm(by account.Actor, id domain.ID) (EmployerFormRecord, employer.SignedForm, error) {
	now := s.now()
	var rec EmployerFormRecord
	var signed employer.SignedForm
	err := s.db.Update(func(tx *Tx) error {
		var err error
		if rec, err = s.employerFormFor(tx, by, id, false); err != nil {
			return err
		}
		var b employer.Business
		if _, err := s.getJSON(bucketOf(tx, businessesBucket), rec.Business[:], &b); err != nil {
			return err
		}
		// The business signs as the program knows it.
		form := rec.Form
		form.Signed = domain.DateOf(now)
		form.LegalName, form.BusinessNumber = b.LegalName, string(b.BN)
		if ps := oinp.EmployerFormProblems(form, form.Signed); len(ps) > 0 {
			return domain.Errorf(ErrFormIncomplete, len(ps))
		}
		key, err := s.signingKey(tx, by.Account)
		if err != nil {
			return err
		}
		var me Account
		if _, err := s.getJSON(bucketOf(tx, accountsBucket), by.Account[:], &me); err != nil {
			return err
		}
		signed = employer.SignedForm{FormID: rec.ID, Business: b.ID, BN: b.BN, LegalName: b.LegalName, Form: form,
			Signer: by.Account, SignerName: me.GivenNames + " " + me.FamilyName, SignedAt: now}.Sign(key)
		if rec, err = s.signEmployerForm(tx, by, signed, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindSignEmployerForm, action: "employer.form.sign", entity: id,
			base: rec.Version - 1, payload: SignedPayload{Signed: signed}})
	})
	return rec, signed, err
}

// signEmployerForm records a signature (checked) on its form and the
// signer's key on the business.
func (s *Store) signEmployerForm(tx *Tx, by account.Actor, signed employer.SignedForm, now time.Time) (EmployerFormRecord, error) {
	rec, err := s.employerFormFor(tx, by, signed.FormID, false)
	if err != nil {
		return rec, err
	}
	if err := signed.Verify(); err != nil || signed.Signer != by.Account || signed.Business != rec.Business {
		return rec, domain.Errorf(employer.ErrFormTampered)
	}
	if err := domain.CheckStrings(&signed, MaxFormField); err != nil {
		return rec, err
	}
	var b employer.Business
	if _, err := s.getJSON(bucketOf(tx, businessesBucket), rec.Business[:], &b); err != nil {
		return rec, err
	}
	if err := s.checkSigned(tx, &b, &signed); err != nil {
		return rec, err
	}
	if !b.HasKey(signed.PublicKey) {
		b.Keys = append(b.Keys, employer.SignerKey{Account: by.Account, PublicKey: signed.PublicKey})
		if err := s.putBusiness(tx, &b); err != nil {
			return rec, err
		}
	}
	rec.Form, rec.Signed, rec.Updated = signed.Form, &signed, now
	rec.Version++
	return rec, s.putEmployerForm(tx, &rec)
}

// checkSigned checks what a signature vouches for against the records:
// the form complete on the day signed (the desk's own check), under the
// business's own number and legal name, signed by an active user of the
// business under their account's name.
func (s *Store) checkSigned(tx *Tx, b *employer.Business, signed *employer.SignedForm) error {
	if ps := oinp.EmployerFormProblems(signed.Form, signed.Form.Signed); len(ps) > 0 || signed.Form.Signed.IsZero() {
		return domain.Errorf(ErrFormIncomplete, len(ps))
	}
	bn, err := employer.ParseBN(signed.Form.BusinessNumber)
	if signed.Business != b.ID || signed.BN != b.BN || err != nil || bn != b.BN ||
		signed.LegalName != b.LegalName || signed.Form.LegalName != b.LegalName {
		return domain.Errorf(ErrFormBusiness)
	}
	var signer Account
	found, err := s.getJSON(bucketOf(tx, accountsBucket), signed.Signer[:], &signer)
	if err != nil {
		return err
	}
	if !found || !signer.Revoked.IsZero() || !signer.Role.Can(account.FillEmployerForm) ||
		signed.SignerName != signer.GivenNames+" "+signer.FamilyName {
		return domain.Errorf(ErrFormSigner)
	}
	if biz, err := s.businessOf(tx, signer.Org); err != nil || biz != b.ID {
		return domain.Errorf(ErrFormSigner)
	}
	return nil
}

// signedWithin checks the day a form says it was signed (which its
// signature covers, so the server cannot date it itself): the day of its
// signing time, no later than the server's clock allows, and no earlier
// than earliest (zero: any day).
func (sv *Server) signedWithin(signed employer.SignedForm, now, earliest time.Time) error {
	at := signed.SignedAt
	if at.IsZero() || at.After(now.Add(sv.opt.MaxAhead)) || at.Before(earliest) ||
		signed.Form.Signed != domain.DateOf(at.UTC()) && signed.Form.Signed != domain.DateOf(at) {
		return domain.Errorf(ErrFormDate)
	}
	return nil
}

// signingKey is the person's Ed25519 key, made the first time.
func (s *Store) signingKey(tx *Tx, acct domain.ID) (ed25519.PrivateKey, error) {
	b := bucketOf(tx, signingKeysBucket)
	var seed []byte
	found, err := s.getSealed(b, acct[:], &seed)
	if err != nil {
		return nil, err
	}
	if !found {
		seed = make([]byte, ed25519.SeedSize)
		if _, err := s.opt.Rand.Read(seed); err != nil {
			return nil, domain.Wrap(ErrStorage, err)
		}
		if err := s.putSealed(b, acct[:], seed); err != nil {
			return nil, err
		}
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ExportSignedForm is the signed form as a file for an applicant who is
// offline.
func (s *Store) ExportSignedForm(by account.Actor, id domain.ID) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *Tx) error {
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
func (s *Store) LinkEmployerForm(by account.Actor, id domain.ID, file string) (EmployerFormRecord, error) {
	n, err := oinp.ParseFileNumber(file)
	if err != nil {
		return EmployerFormRecord{}, err
	}
	now := s.now()
	var rec EmployerFormRecord
	err = s.db.Update(func(tx *Tx) error {
		var err error
		if rec, err = s.employerFormFor(tx, by, id, false); err != nil {
			return err
		}
		if rec.Signed == nil {
			return domain.Errorf(ErrFormNotSigned)
		}
		rec.Linked = n
		rec.Version++
		if err := s.putEmployerForm(tx, &rec); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindLinkEmployerForm, action: "employer.form.link", entity: id,
			payload: LinkPayload{Form: id, FileNumber: n}})
	})
	return rec, err
}

// linkEmployerForm fills the linked application's Employer Form (server).
func (s *Store) linkEmployerForm(tx *Tx, by account.Actor, p LinkPayload, now time.Time) error {
	rec, err := s.employerFormFor(tx, by, p.Form, false)
	if err != nil {
		return err
	}
	if rec.Signed == nil {
		return domain.Errorf(ErrFormNotSigned)
	}
	h := s.keys.hash(hashFileNumber, string(p.FileNumber))
	applicant := tx.Bucket(ixFileNumber).Get(h[:])
	if applicant == nil {
		return domain.Errorf(ErrRepNoMatch)
	}
	var app ApplicationRecord
	if _, err := s.getJSON(bucketOf(tx, applicationsBucket), applicant, &app); err != nil {
		return err
	}
	if !app.App.Submitted.IsZero() {
		return domain.Errorf(ErrSubmitted, app.App.FileNumber)
	}
	// The applicant consents by naming the business on their file: an
	// employer who knows a file number links nothing into it uninvited.
	if bn, err := employer.ParseBN(app.App.Employer.BusinessNumber); err != nil || bn != rec.Signed.BN {
		return domain.Errorf(ErrFormConsent)
	}
	app.App.Employer, app.EmployerForm = rec.Signed.Form, rec.Signed
	app.Version++
	app.Updated = now
	if err := s.putApplication(tx, &app); err != nil {
		return err
	}
	rec.Linked = p.FileNumber
	rec.Version++
	if err := s.putEmployerForm(tx, &rec); err != nil {
		return err
	}
	return s.shareEmployerDocuments(tx, &rec, now)
}

// ImportSignedForm fills the applicant's Employer Form tabs from a signed
// file the employer gave them (offline): refused when edited after
// signing; the server checks the key is one of the business's.
func (s *Store) ImportSignedForm(by account.Actor, b []byte) (ApplicationRecord, error) {
	signed, err := employer.ReadSignedForm(b)
	if err != nil {
		return ApplicationRecord{}, err
	}
	now := s.now()
	var rec ApplicationRecord
	err = s.db.Update(func(tx *Tx) error {
		var err error
		if rec, err = s.importSignedForm(tx, by, signed, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindImportEmployerForm, action: "oinp.employer-form",
			entity: by.Account, base: rec.Version - 1, payload: SignedPayload{Signed: signed}})
	})
	return rec, err
}

func (s *Store) importSignedForm(tx *Tx, by account.Actor, signed employer.SignedForm, now time.Time) (ApplicationRecord, error) {
	if err := signed.Verify(); err != nil {
		return ApplicationRecord{}, err
	}
	// The signature covers the text as it is: what it cannot clean, the
	// store refuses.
	if err := domain.CheckStrings(&signed, MaxFormField); err != nil {
		return ApplicationRecord{}, err
	}
	rec, err := s.editableFor(tx, by, by.Account)
	if err != nil {
		return rec, err
	}
	if s.server {
		var b employer.Business
		found, err := s.getJSON(bucketOf(tx, businessesBucket), signed.Business[:], &b)
		if err != nil {
			return rec, err
		}
		if !found || !slices.ContainsFunc(b.Keys, func(k employer.SignerKey) bool {
			return k.Account == signed.Signer && string(k.PublicKey) == string(signed.PublicKey)
		}) {
			return rec, domain.Errorf(ErrFormKey)
		}
		if err := s.checkSigned(tx, &b, &signed); err != nil {
			return rec, err
		}
	}
	rec.App.Employer, rec.EmployerForm = signed.Form, &signed
	rec.Version++
	rec.Updated = now
	return rec, s.putApplication(tx, &rec)
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
func (s *Store) AttachEmployerDocument(by account.Actor, form domain.ID, doc oinp.Document, content []byte) (EmployerFormRecord, oinp.Document, error) {
	t, err := oinp.CheckAttachment(doc.Kind, doc.Name, content)
	if err != nil {
		return EmployerFormRecord{}, doc, err
	}
	now := s.now()
	if doc.ID, err = s.newID(now); err != nil {
		return EmployerFormRecord{}, doc, err
	}
	doc.Type, doc.Size, doc.Added = t, int64(len(content)), domain.DateOf(now)
	doc.SHA256 = sha256Hex(content)
	var rec EmployerFormRecord
	err = s.db.Update(func(tx *Tx) error {
		var err error
		if rec, err = s.attachEmployerDocument(tx, by, form, doc, content, now); err != nil {
			return err
		}
		return s.journal(tx, now, change{by: by, kind: KindAttachEmployerDocument, action: "employer.form.attach",
			entity: form, payload: EmployerDocumentPayload{Form: form, Doc: doc}, detail: doc.Kind})
	})
	return rec, doc, err
}

func (s *Store) attachEmployerDocument(tx *Tx, by account.Actor, form domain.ID, doc oinp.Document, content []byte, now time.Time) (EmployerFormRecord, error) {
	rec, err := s.employerFormFor(tx, by, form, false)
	if err != nil {
		return rec, err
	}
	if doc.Kind != "employer-information" && doc.Kind != "employer-representative" && doc.Kind != "employer-form" {
		return rec, domain.FieldError(oinp.ErrDocumentType, "document")
	}
	if _, err := oinp.CheckAttachment(doc.Kind, doc.Name, content); err != nil {
		return rec, err
	}
	if err := s.putSealed(bucketOf(tx, attachmentsBucket), attachmentKey(form, doc.ID), content); err != nil {
		return rec, err
	}
	rec.Documents = append(rec.Documents, doc)
	rec.Version++
	rec.Updated = now
	if err := s.putEmployerForm(tx, &rec); err != nil {
		return rec, err
	}
	if !s.server || rec.Linked == "" {
		return rec, nil
	}
	return rec, s.shareEmployerDocuments(tx, &rec, now)
}

// shareEmployerDocuments lists the employer's documents on the linked
// applicant's file (server): with the day each arrived, against the two
// calendar days after submission (§2.3.6).
func (s *Store) shareEmployerDocuments(tx *Tx, rec *EmployerFormRecord, now time.Time) error {
	h := s.keys.hash(hashFileNumber, string(rec.Linked))
	applicant := tx.Bucket(ixFileNumber).Get(h[:])
	if applicant == nil {
		return nil
	}
	var app ApplicationRecord
	if _, err := s.getJSON(bucketOf(tx, applicationsBucket), applicant, &app); err != nil {
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
func (s *Store) noteSubmission(tx *Tx, app *ApplicationRecord) error {
	if app.EmployerForm == nil {
		return nil
	}
	var rec EmployerFormRecord
	found, err := s.getJSON(bucketOf(tx, employerFormsBucket), app.EmployerForm.FormID[:], &rec)
	if err != nil || !found {
		return err
	}
	rec.FileSubmitted = app.App.Submitted
	rec.Version++
	return s.putEmployerForm(tx, &rec)
}

// expandEmployerDocument gives an employer document's command its content.
func (s *Store) expandEmployerDocument(cmd sync.Command) (sync.Command, error) {
	var p EmployerDocumentPayload
	if err := json.Unmarshal(cmd.Payload, &p); err != nil || len(p.Content) > 0 {
		return cmd, err
	}
	err := s.db.View(func(tx *Tx) error {
		_, err := s.getSealed(bucketOf(tx, attachmentsBucket), attachmentKey(p.Form, p.Doc.ID), &p.Content)
		return err
	})
	if err != nil {
		return cmd, err
	}
	cmd.Payload, err = json.Marshal(p)
	return cmd, err
}

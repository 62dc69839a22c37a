package employer

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
)

// FormRecord is an Employer Form as its business keeps it: the form, the
// unit that wrote it, its last signature (an edit clears it), the
// applicant's file it was linked to and the employer's own documents.
type FormRecord struct {
	ID       domain.ID         `json:"id"`
	Business domain.ID         `json:"business"`
	Unit     domain.ID         `json:"unit"`
	Form     oinp.EmployerForm `json:"form"`
	Signed   *SignedForm       `json:"signed,omitempty"`
	Linked   oinp.FileNumber   `json:"linked,omitempty"`
	// Documents are the employer's own documents (Appendix 4 §3).
	Documents []oinp.Document `json:"documents,omitempty"`
	// FileSubmitted is the day the linked file was submitted: the
	// employer's documents are due two calendar days later.
	FileSubmitted domain.Date `json:"fileSubmitted,omitzero"`
	Version       uint64      `json:"version"`
	Updated       time.Time   `json:"updated"`
	// Seen is, on a desk, the version of the record as the server last
	// sent it: a save's changes are relative to it.
	Seen uint64 `json:"seen,omitempty"`
}

// Codes of Employer Forms. Their strings name the store, where they were
// first declared: they are wire and catalog keys, so they stay.
var (
	ErrFormNotSigned  = domain.NewCode("store.employer.form.unsigned", domain.KindConflict)
	ErrFormIncomplete = domain.NewCode("store.employer.form.incomplete", domain.KindConflict)
	// ErrFormKey is a signed form whose key is not its signer's on the
	// business's record.
	ErrFormKey = domain.NewCode("store.employer.form.key", domain.KindForbidden)
	// ErrFormLinked is a change to a form already linked to a file, or a
	// link to a second file: what the applicant holds does not move.
	ErrFormLinked = domain.NewCode("store.employer.form.linked", domain.KindConflict)
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

// CheckFormAccess is who may read or change the Employer Forms of
// business b: a user of the business (any employer role:
// account.ErrForbidden otherwise) whose unit is b or one of its branches
// (account.ErrOtherOrganisation; b is nil when their unit belongs to no
// business the records hold), once the program approved the business
// (ErrNotApproved). form is the form acted on, nil for one not yet
// written; one of another business is refused (account.ErrOtherOrganisation).
func CheckFormAccess(by account.Actor, b *Business, form *FormRecord) error {
	if !by.Role.Can(account.FillEmployerForm) {
		return domain.Errorf(account.ErrForbidden)
	}
	if b == nil {
		return domain.Errorf(account.ErrOtherOrganisation)
	}
	if _, mine := b.Unit(by.Org); !mine {
		return domain.Errorf(account.ErrOtherOrganisation)
	}
	if b.Status != Approved {
		return domain.Errorf(ErrNotApproved)
	}
	if form != nil && form.Business != b.ID {
		return domain.Errorf(account.ErrOtherOrganisation)
	}
	return nil
}

// NewForm is a new, empty Employer Form of by's unit in business b, under
// id (CheckFormAccess says who may).
func NewForm(id domain.ID, by account.Actor, b *Business) FormRecord {
	return FormRecord{ID: id, Business: b.ID, Unit: by.Org}
}

// Edit puts form in the record at now, clearing the signature (and the
// form's signing day): a changed form is signed again. It refuses a form
// linked to an applicant's file (ErrFormLinked): what they hold is frozen.
func (r *FormRecord) Edit(form oinp.EmployerForm, now time.Time) error {
	if r.Linked != "" {
		return domain.Errorf(ErrFormLinked, r.Linked)
	}
	form.Signed = domain.Date{}
	r.Form, r.Signed, r.Updated = form, nil, now
	return nil
}

// ToSign is the form as signer signs it for business b on now's day: dated,
// under the business's own legal name and number as the program holds
// them, by the signer under their account's name. It is returned unsigned
// (SignedForm.Sign adds the signature). It refuses a form linked to a file
// (ErrFormLinked) and a form incomplete on that day (ErrFormIncomplete,
// with the number of problems).
func (r *FormRecord) ToSign(b *Business, signer User, now time.Time) (SignedForm, error) {
	if r.Linked != "" {
		return SignedForm{}, domain.Errorf(ErrFormLinked, r.Linked)
	}
	form := r.Form
	form.Signed = domain.DateOf(now)
	form.LegalName, form.BusinessNumber = b.LegalName, string(b.BN)
	if ps := oinp.EmployerFormProblems(form, form.Signed); len(ps) > 0 {
		return SignedForm{}, domain.Errorf(ErrFormIncomplete, len(ps))
	}
	return SignedForm{FormID: r.ID, Business: b.ID, BN: b.BN, LegalName: b.LegalName, Form: form,
		Signer: signer.Account, SignerName: signer.Name(), SignedAt: now}, nil
}

// CheckSignedBy checks that signed is a signature of this form by the
// actor: one whose content matches its signature, of this form and its
// business, by the actor's own account (ErrFormTampered otherwise); and
// that the form is not linked to a file (ErrFormLinked: a new signature
// would change what the applicant holds).
func (r *FormRecord) CheckSignedBy(by account.Actor, signed SignedForm) error {
	if err := signed.Verify(); err != nil || signed.FormID != r.ID || signed.Signer != by.Account || signed.Business != r.Business {
		return domain.Errorf(ErrFormTampered)
	}
	if r.Linked != "" {
		return domain.Errorf(ErrFormLinked, r.Linked)
	}
	return nil
}

// Sign records signed (checked by CheckSignedBy and CheckSigned) as the
// form's signature at now: the form becomes what was signed.
func (r *FormRecord) Sign(signed SignedForm, now time.Time) {
	r.Form, r.Signed, r.Updated = signed.Form, &signed, now
}

// CheckSigned checks what a signature vouches for against the program's
// records of business b and of the signer's account: the form complete on
// the day it says it was signed (ErrFormIncomplete); under the business's
// own number and legal name (ErrFormBusiness); signed by the signer's own
// account, an active user of the business (of any of its units) under the
// account's name (ErrFormSigner). A zero User stands for an account the
// records do not hold.
func (s SignedForm) CheckSigned(b *Business, signer User) error {
	if ps := oinp.EmployerFormProblems(s.Form, s.Form.Signed); len(ps) > 0 || s.Form.Signed.IsZero() {
		return domain.Errorf(ErrFormIncomplete, len(ps))
	}
	bn, err := ParseBN(s.Form.BusinessNumber)
	if s.Business != b.ID || s.BN != b.BN || err != nil || bn != b.BN ||
		s.LegalName != b.LegalName || s.Form.LegalName != b.LegalName {
		return domain.Errorf(ErrFormBusiness)
	}
	if signer.Account.IsZero() || signer.Account != s.Signer || !signer.Active || !signer.Role.Can(account.FillEmployerForm) ||
		signer.Business != b.ID || s.SignerName != signer.Name() {
		return domain.Errorf(ErrFormSigner)
	}
	return nil
}

// CheckKey refuses a signed form whose key the business b does not hold as
// its signer's (ErrFormKey; b is nil for a business the records do not
// hold): an applicant's file may hold only what a user of the business
// signed with a key the program recorded when they signed.
func (s SignedForm) CheckKey(b *Business) error {
	if b == nil || !b.IsSignerKey(s.Signer, s.PublicKey) {
		return domain.Errorf(ErrFormKey)
	}
	return nil
}

// SignedWithin checks the day a form says it was signed (which its
// signature covers, so the server cannot date it itself): its signing
// time is set, no later than latest and no earlier than earliest (zero:
// any day), and the form's signing day is that time's day (in UTC or in
// the signer's own zone). ErrFormDate otherwise.
func (s SignedForm) SignedWithin(earliest, latest time.Time) error {
	at := s.SignedAt
	if at.IsZero() || at.After(latest) || at.Before(earliest) ||
		s.Form.Signed != domain.DateOf(at.UTC()) && s.Form.Signed != domain.DateOf(at) {
		return domain.Errorf(ErrFormDate)
	}
	return nil
}

// CheckLinkable refuses to link a form not signed (ErrFormNotSigned), or
// one linked to another file than n (ErrFormLinked). Linked again to the
// same file, it is the same signed form (a linked form cannot be edited
// nor signed again): a desk may retry a link the server refused.
func (r *FormRecord) CheckLinkable(n oinp.FileNumber) error {
	if r.Signed == nil {
		return domain.Errorf(ErrFormNotSigned)
	}
	if r.Linked != "" && r.Linked != n {
		return domain.Errorf(ErrFormLinked, r.Linked)
	}
	return nil
}

// Link links the signed form to file n, whose applicant named named as
// their employer's business number: the applicant consents by naming the
// business, so an employer who knows a file number links nothing into it
// uninvited (ErrFormConsent). It refuses what CheckLinkable refuses.
func (r *FormRecord) Link(n oinp.FileNumber, named string) error {
	if err := r.CheckLinkable(n); err != nil {
		return err
	}
	if bn, err := ParseBN(named); err != nil || bn != r.Signed.BN {
		return domain.Errorf(ErrFormConsent)
	}
	r.Linked = n
	return nil
}

// EmployerDocumentKinds are the documents an employer attaches to its
// form (Appendix 4 §3): the employer's information, its representative's
// form, and the Employer Form itself as signed on paper.
var EmployerDocumentKinds = []string{"employer-information", "employer-representative", "employer-form"}

// Attach lists doc, of content, among the form's documents at now. It
// refuses a kind not an employer's (oinp.ErrDocumentType) and what
// oinp.CheckAttachment refuses of the content. A linked form takes
// documents still: they join the applicant's file.
func (r *FormRecord) Attach(doc oinp.Document, content []byte, now time.Time) error {
	known := false
	for _, k := range EmployerDocumentKinds {
		known = known || doc.Kind == k
	}
	if !known {
		return domain.FieldError(oinp.ErrDocumentType, "document")
	}
	if _, err := oinp.CheckAttachment(doc.Kind, doc.Name, content); err != nil {
		return err
	}
	r.Documents = append(r.Documents, doc)
	r.Updated = now
	return nil
}

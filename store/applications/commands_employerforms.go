package applications

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/sync"
)

// The OINP's Employer Form: filled and signed by the employer's users,
// given documents, and linked to the applicant's file with the
// applicant's consent.

var employerFormCommands = []store.CommandSpec{
	{Kind: KindEditEmployerForm, Senders: store.EmployerRoles, Creates: store.CreatesEmployerForm, Apply: store.With(applyEditEmployerForm)},
	{Kind: KindSaveEmployerForm, Senders: store.EmployerRoles, Creates: store.CreatesEmployerForm, Apply: store.With(applySaveEmployerForm)},
	{Kind: KindSignEmployerForm, Senders: store.EmployerRoles, Apply: store.With(applySignEmployerForm)},
	{Kind: KindLinkEmployerForm, Senders: store.EmployerRoles, MaxPayload: store.MaxPayloadSmall, Apply: store.With(applyLinkEmployerForm)},
	{Kind: KindAttachEmployerDocument, Senders: store.EmployerRoles, Creates: store.CreatesDocument,
		MaxPayload: store.MaxPayloadAttachment, Apply: store.With(applyAttachEmployerDocument),
		Expand: store.ExpandOn(On, Store.expandEmployerDocument)},
}

var employerFormRecords = []store.RecordSpec{
	{Kind: sync.EntityEmployerForm, Replay: store.UnbufferedOn(On, Store.applyEmployerForm), Claimed: true},
}

// applySaveEmployerForm takes a whole-form save from a desk of before
// field-level merge as the changes from the form the server has to what
// it sent, merged like any edit from the version that desk had.
func applySaveEmployerForm(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p EmployerFormRecord, now time.Time) (sync.Answer, error) {
	rec, err := of(sv).formToEdit(tx, by, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	edits, err := employerFormEdits(&rec.Form, &p.Form)
	if err != nil {
		return store.Applied(), domain.Wrap(sync.ErrBadRequest, err)
	}
	return of(sv).mergeEmployerForm(tx, by, cmd, rec, EditPayload{Seen: cmd.BaseVersion, Edits: edits}, now)
}

// applyEditEmployerForm merges a save's changes into the form as the
// server has it; a new form's ID must name nothing yet.
func applyEditEmployerForm(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p EditPayload, now time.Time) (sync.Answer, error) {
	rec, err := of(sv).formToEdit(tx, by, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	return of(sv).mergeEmployerForm(tx, by, cmd, rec, p, now)
}

func applySignEmployerForm(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p SignedPayload, now time.Time) (sync.Answer, error) {
	if err := signedWithin(sv, p.Signed, now, now.Add(-store.OfflineWindow)); err != nil {
		return store.Applied(), err
	}
	rec, err := of(sv).signEmployerForm(tx, by, p.Signed, now)
	return store.Versioned(rec.Version, err)
}

// applyAttachEmployerDocument lists a document on the form as the
// employer's own, measured from the bytes the server received; it is
// marked as from the employer when it joins an applicant's file.
func applyAttachEmployerDocument(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p EmployerDocumentPayload, now time.Time) (sync.Answer, error) {
	doc, err := receivedDocument(p.Doc, p.Content, false, now)
	if err != nil {
		return store.Applied(), err
	}
	rec, err := of(sv).attachEmployerDocument(tx, by, p.Form, doc, p.Content, now)
	if err == nil && rec.Linked != "" {
		err = of(sv).shareEmployerDocuments(tx, &rec, now)
	}
	return store.Versioned(rec.Version, err)
}

func applyLinkEmployerForm(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p LinkPayload, now time.Time) (sync.Answer, error) {
	return store.Applied(), of(sv).linkEmployerForm(tx, by, p, now)
}

func init() {
	store.Register(store.Program{Name: "employer forms", Commands: employerFormCommands, Records: employerFormRecords})
}

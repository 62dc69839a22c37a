package store

import (
	"dossier/domain/account"
	"dossier/sync"
	"time"
)

// The OINP's Employer Form: filled and signed by the employer's users,
// given documents, and linked to the applicant's file with the
// applicant's consent.

var employerFormCommands = []CommandSpec{
	{Kind: KindSaveEmployerForm, Senders: EmployerRoles, Creates: CreatesEmployerForm, Apply: With(applySaveEmployerForm)},
	{Kind: KindSignEmployerForm, Senders: EmployerRoles, Apply: With(applySignEmployerForm)},
	{Kind: KindLinkEmployerForm, Senders: EmployerRoles, MaxPayload: MaxPayloadSmall, Apply: With(applyLinkEmployerForm)},
	{Kind: KindAttachEmployerDocument, Senders: EmployerRoles, Creates: CreatesDocument,
		MaxPayload: MaxPayloadAttachment, Apply: With(applyAttachEmployerDocument)},
}

var employerFormRecords = []RecordSpec{
	{Kind: sync.EntityEmployerForm, Replay: Unbuffered((*Store).applyEmployerForm), Claimed: true},
}

// applySaveEmployerForm saves a form; a new one's ID must name nothing yet.
func applySaveEmployerForm(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p EmployerFormRecord, now time.Time) (sync.Answer, error) {
	if tx.Bucket(EmployerFormsBucket).Get(cmd.Entity[:]) == nil {
		if err := sv.st.Claim(tx, sync.EntityEmployerForm, cmd.Entity); err != nil {
			return Applied(), err
		}
	}
	rec, err := sv.st.saveEmployerForm(tx, by, cmd.Entity, p.Form, now)
	return Versioned(rec.Version, err)
}

func applySignEmployerForm(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p SignedPayload, now time.Time) (sync.Answer, error) {
	if err := sv.signedWithin(p.Signed, now, now.Add(-OfflineWindow)); err != nil {
		return Applied(), err
	}
	rec, err := sv.st.signEmployerForm(tx, by, p.Signed, now)
	return Versioned(rec.Version, err)
}

// applyAttachEmployerDocument lists a document on the form as the
// employer's own, measured from the bytes the server received; it is
// marked as from the employer when it joins an applicant's file.
func applyAttachEmployerDocument(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p EmployerDocumentPayload, now time.Time) (sync.Answer, error) {
	doc, err := receivedDocument(p.Doc, p.Content, false, now)
	if err != nil {
		return Applied(), err
	}
	rec, err := sv.st.attachEmployerDocument(tx, by, p.Form, doc, p.Content, now)
	return Versioned(rec.Version, err)
}

func applyLinkEmployerForm(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p LinkPayload, now time.Time) (sync.Answer, error) {
	return Applied(), sv.st.linkEmployerForm(tx, by, p, now)
}

func init() {
	Register(Program{Name: "employer forms", Commands: employerFormCommands, Records: employerFormRecords})
}

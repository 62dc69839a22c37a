package store

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// The Ontario Immigrant Nominee Program's In-Demand Skills application:
// the applicant's (or their representative's) file, the representatives'
// access to it, and the program's decisions on it.

var oinpCommands = []CommandSpec{
	{Kind: KindSaveApplication, Senders: onAFile, Apply: with(applySaveApplication), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindRegisterApplication, Senders: []account.Role{account.Applicant}, Creates: CreatesApplication,
		MaxPayload: MaxPayloadSmall, Apply: ownFile(false, with(applyRegisterApplication)), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindAttachDocument, Senders: onAFile, Creates: CreatesDocument, MaxPayload: MaxPayloadAttachment,
		Apply: ownFile(true, with(applyAttachDocument)), Current: currentApplication, Undo: undoApplication},
	{Kind: KindRemoveDocument, Senders: onAFile, Apply: ownFile(true, with(applyRemoveDocument)),
		Current: currentApplication, Undo: undoApplication},
	{Kind: KindSubmitApplication, Senders: onAFile, Apply: ownFile(true, with(applySubmitApplication)),
		Current: currentApplication, Undo: undoApplication},
	{Kind: KindWithdrawApplication, Senders: []account.Role{account.Applicant}, MaxPayload: MaxPayloadSmall,
		Apply: ownFile(false, with(applyChangeSubmitted)), Current: currentApplication, Undo: undoApplication},
	{Kind: KindNoticeApplication, Senders: []account.Role{account.Applicant}, Creates: CreatesNotice,
		MaxPayload: MaxPayloadSmall, Apply: ownFile(false, with(applyChangeSubmitted)), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindImportEmployerForm, Senders: onAFile, Creates: CreatesEmployerForm, Apply: with(applyImportEmployerForm),
		Current: currentApplication, Undo: undoApplication},
	{Kind: KindRepRequest, Senders: []account.Role{account.Representative}, Creates: CreatesRepMatch,
		MaxPayload: MaxPayloadSmall, Apply: ownFile(false, with(applyRepRequest))},
	{Kind: KindRepDecide, Senders: []account.Role{account.Applicant}, MaxPayload: MaxPayloadSmall,
		Apply: ownFile(false, with(applyRepDecision)), Current: currentApplication, Undo: undoApplication},
	{Kind: KindRepCancel, Senders: []account.Role{account.Applicant}, MaxPayload: MaxPayloadSmall,
		Apply: ownFile(false, with(applyRepDecision)), Current: currentApplication, Undo: undoApplication},
	// The program's decisions, and the applicant's answer to a request for
	// information.
	{Kind: KindAnswerInformation, Senders: onAFile, Apply: decide(answerInformation), Current: currentApplication, Undo: undoApplication},
	{Kind: KindRequestInformation, Senders: theProgram, Apply: decide(requestInformation), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindDecideApplication, Senders: theProgram, Apply: decide(decideApplication), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindRecordReview, Senders: theProgram, Apply: decide(recordReview), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindDecideReview, Senders: theProgram, Apply: decide(decideReview), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindExtendNomination, Senders: theProgram, Apply: decide(extendNomination), Current: currentApplication,
		Undo: undoApplication},
}

var oinpRecords = []RecordSpec{
	{Kind: sync.EntityApplication, Replay: unbuffered((*Store).applyApplication)},
	{Kind: sync.EntityRepAccess, Replay: unbuffered((*Store).applyRepAccess)},
}

// ownFile lets a command act only on its sender's own file (the file's ID
// is its applicant's account); with client set, a representative's too
// (editableFor then checks they are the file's active one).
func ownFile(client bool, step applyFunc) applyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Entity != by.Account && !(client && by.Role == account.Representative) {
			return applied(), domain.Errorf(ErrNotApplicant)
		}
		return step(sv, tx, by, cmd, now)
	}
}

// applySaveApplication saves the applicant's own file, or a representative
// their client's.
func applySaveApplication(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p SaveApplicationPayload, now time.Time) (sync.Answer, error) {
	if by.Role == account.Representative {
		rec, err := sv.s.saveClientApplication(tx, by, cmd.Entity, p.App, sv.at(p.At, now))
		return versioned(rec.Version, err)
	}
	if cmd.Entity != by.Account {
		return applied(), domain.Errorf(ErrNotApplicant)
	}
	rec, err := sv.s.saveApplication(tx, by, p.App, sv.at(p.At, now))
	return versioned(rec.Version, err)
}

// applyRegisterApplication gives the file its number; the 14 days start
// when the program hears of it.
func applyRegisterApplication(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p RegisterApplicationPayload, now time.Time) (sync.Answer, error) {
	p.Registered = domain.DateOf(sv.at(time.Time{}, now))
	rec, merged, err := sv.s.registerApplication(tx, by, p, now)
	ans, err := versioned(rec.Version, err)
	if merged {
		ans.Outcome = sync.Merged
	}
	return ans, err
}

// applyAttachDocument attaches a scan, measured from the bytes the server
// received and dated by its clock.
func applyAttachDocument(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p AttachPayload, now time.Time) (sync.Answer, error) {
	doc, err := receivedDocument(p.Doc, p.Content, false, sv.at(time.Time{}, now))
	if err != nil {
		return applied(), err
	}
	rec, err := sv.s.attachDocument(tx, by, cmd.Entity, doc, p.Content, sv.at(time.Time{}, now))
	return versioned(rec.Version, err)
}

func applyRemoveDocument(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p RemovePayload, now time.Time) (sync.Answer, error) {
	rec, err := sv.s.removeDocument(tx, by, cmd.Entity, p.ID, now)
	return versioned(rec.Version, err)
}

// applySubmitApplication submits the file the day the program receives
// it: the deadline is checked on that day too.
func applySubmitApplication(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p SubmitPayload, now time.Time) (sync.Answer, error) {
	p.On = domain.DateOf(sv.at(time.Time{}, now))
	rec, err := sv.s.submitApplication(tx, by, cmd.Entity, p, now)
	return versioned(rec.Version, err)
}

// applyChangeSubmitted withdraws the file or tells the program of a
// change, the day the program hears of it.
func applyChangeSubmitted(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p NoticePayload, now time.Time) (sync.Answer, error) {
	p.Notice.Sent = domain.DateOf(sv.at(time.Time{}, now))
	rec, err := sv.s.changeSubmitted(tx, by, cmd.Kind, p, now)
	return versioned(rec.Version, err)
}

// applyImportEmployerForm puts a signed Employer Form in the applicant's
// file. A form signed long ago reaches the applicant on paper or as a
// file; it is never dated after the server's clock.
func applyImportEmployerForm(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p SignedPayload, now time.Time) (sync.Answer, error) {
	if err := sv.signedWithin(p.Signed, now, time.Time{}); err != nil {
		return applied(), err
	}
	rec, err := sv.s.importSignedForm(tx, by, p.Signed, now)
	return versioned(rec.Version, err)
}

func applyRepRequest(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p RepRequestPayload, now time.Time) (sync.Answer, error) {
	return applied(), sv.s.requestRepresentation(tx, by, p, now)
}

// applyRepDecision authorises, refuses or cancels a representative, on the
// server's day.
func applyRepDecision(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p RepDecisionPayload, now time.Time) (sync.Answer, error) {
	p.On = domain.DateOf(sv.at(time.Time{}, now))
	rec, err := sv.s.decideRepresentation(tx, by, cmd.Kind, p, now)
	return versioned(rec.Version, err)
}

// currentApplication is the file a refused command was about, when by may
// read it: its applicant, their active representative, the program.
func currentApplication(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var rec ApplicationRecord
	found, err := sv.s.getJSON(bucketOf(tx, applicationsBucket), cmd.Entity[:], &rec)
	if err != nil || !found {
		return nil, err
	}
	if r, ok := rec.App.ActiveRepresentative(); cmd.Entity != by.Account && (!ok || r.Account != by.Account) &&
		!by.Role.Can(account.DecideApplications) {
		return nil, nil
	}
	return changeOf(sync.EntityApplication, rec.Applicant, rec.Version, &rec)
}

// undoApplication puts the file back as the server has it.
func undoApplication(s *Store, tx *Tx, _ sync.Command, current *sync.Change) error {
	if current == nil {
		return nil
	}
	_, err := s.applyApplication(tx, current)
	return err
}

// decide applies one of the program's actions on a submitted file (or
// the applicant's answer to a request for information), dated the day the
// server takes it.
func decide(act fileAction) applyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		var p DecisionPayload
		if err := decode(cmd.Payload, &p); err != nil {
			return applied(), err
		}
		p.On = sv.day(p.On, now)
		rec, err := sv.s.applyToFile(tx, by, act, cmd.Entity, &p, now)
		return versioned(rec.Version, err)
	}
}

func init() {
	Register(Program{Name: "applications", Commands: oinpCommands, Records: oinpRecords})
}

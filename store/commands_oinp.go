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
	{Kind: KindSaveApplication, Senders: OnAFile, Apply: With(applySaveApplication), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindRegisterApplication, Senders: []account.Role{account.Applicant}, Creates: CreatesApplication,
		MaxPayload: MaxPayloadSmall, Apply: ownFile(false, With(applyRegisterApplication)), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindAttachDocument, Senders: OnAFile, Creates: CreatesDocument, MaxPayload: MaxPayloadAttachment,
		Apply: ownFile(true, With(applyAttachDocument)), Current: currentApplication, Undo: undoApplication},
	{Kind: KindRemoveDocument, Senders: OnAFile, Apply: ownFile(true, With(applyRemoveDocument)),
		Current: currentApplication, Undo: undoApplication},
	{Kind: KindSubmitApplication, Senders: OnAFile, Apply: ownFile(true, With(applySubmitApplication)),
		Current: currentApplication, Undo: undoApplication},
	{Kind: KindWithdrawApplication, Senders: []account.Role{account.Applicant}, MaxPayload: MaxPayloadSmall,
		Apply: ownFile(false, With(applyChangeSubmitted)), Current: currentApplication, Undo: undoApplication},
	{Kind: KindNoticeApplication, Senders: []account.Role{account.Applicant}, Creates: CreatesNotice,
		MaxPayload: MaxPayloadSmall, Apply: ownFile(false, With(applyChangeSubmitted)), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindImportEmployerForm, Senders: OnAFile, Creates: CreatesEmployerForm, Apply: With(applyImportEmployerForm),
		Current: currentApplication, Undo: undoApplication},
	{Kind: KindRepRequest, Senders: []account.Role{account.Representative}, Creates: CreatesRepMatch, Misses: ErrRepNoMatch,
		MaxPayload: MaxPayloadSmall, Apply: ownFile(false, With(applyRepRequest))},
	{Kind: KindRepDecide, Senders: []account.Role{account.Applicant}, MaxPayload: MaxPayloadSmall,
		Apply: ownFile(false, With(applyRepDecision)), Current: currentApplication, Undo: undoApplication},
	{Kind: KindRepCancel, Senders: []account.Role{account.Applicant}, MaxPayload: MaxPayloadSmall,
		Apply: ownFile(false, With(applyRepDecision)), Current: currentApplication, Undo: undoApplication},
	// The program's decisions, and the applicant's answer to a request for
	// information.
	{Kind: KindAnswerInformation, Senders: OnAFile, Apply: decide(answerInformation), Current: currentApplication, Undo: undoApplication},
	{Kind: KindRequestInformation, Senders: TheProgram, Apply: decide(requestInformation), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindDecideApplication, Senders: TheProgram, Apply: decide(decideApplication), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindRecordReview, Senders: TheProgram, Apply: decide(recordReview), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindDecideReview, Senders: TheProgram, Apply: decide(decideReview), Current: currentApplication,
		Undo: undoApplication},
	{Kind: KindExtendNomination, Senders: TheProgram, Apply: decide(extendNomination), Current: currentApplication,
		Undo: undoApplication},
}

var oinpRecords = []RecordSpec{
	{Kind: sync.EntityApplication, Replay: Unbuffered((*Store).applyApplication), Refeed: refeedApplication},
	{Kind: sync.EntityRepAccess, Replay: Unbuffered((*Store).applyRepAccess)},
}

// ownFile lets a command act only on its sender's own file (the file's ID
// is its applicant's account); with client set, a representative's too
// (editableFor then checks they are the file's active one).
func ownFile(client bool, step ApplyFunc) ApplyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Entity != by.Account && !(client && by.Role == account.Representative) {
			return Applied(), domain.Errorf(ErrNotApplicant)
		}
		return step(sv, tx, by, cmd, now)
	}
}

// applySaveApplication saves the applicant's own file, or a representative
// their client's.
func applySaveApplication(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p SaveApplicationPayload, now time.Time) (sync.Answer, error) {
	if by.Role == account.Representative {
		rec, err := sv.st.saveClientApplication(tx, by, cmd.Entity, p.App, sv.At(p.At, now))
		return Versioned(rec.Version, err)
	}
	if cmd.Entity != by.Account {
		return Applied(), domain.Errorf(ErrNotApplicant)
	}
	rec, err := sv.st.saveApplication(tx, by, p.App, sv.At(p.At, now))
	return Versioned(rec.Version, err)
}

// applyRegisterApplication gives the file its number; the 14 days start
// when the program hears of it.
func applyRegisterApplication(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p RegisterApplicationPayload, now time.Time) (sync.Answer, error) {
	p.Registered = domain.DateOf(sv.At(time.Time{}, now))
	rec, merged, err := sv.st.registerApplication(tx, by, p, now)
	ans, err := Versioned(rec.Version, err)
	if merged {
		ans.Outcome = sync.Merged
	}
	return ans, err
}

// applyAttachDocument attaches a scan, measured from the bytes the server
// received and dated by its clock.
func applyAttachDocument(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p AttachPayload, now time.Time) (sync.Answer, error) {
	doc, err := receivedDocument(p.Doc, p.Content, false, sv.At(time.Time{}, now))
	if err != nil {
		return Applied(), err
	}
	rec, err := sv.st.attachDocument(tx, by, cmd.Entity, doc, p.Content, sv.At(time.Time{}, now))
	return Versioned(rec.Version, err)
}

func applyRemoveDocument(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p RemovePayload, now time.Time) (sync.Answer, error) {
	rec, err := sv.st.removeDocument(tx, by, cmd.Entity, p.ID, now)
	return Versioned(rec.Version, err)
}

// applySubmitApplication submits the file the day the program receives
// it: the deadline is checked on that day too.
func applySubmitApplication(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p SubmitPayload, now time.Time) (sync.Answer, error) {
	p.On = domain.DateOf(sv.At(time.Time{}, now))
	rec, err := sv.st.submitApplication(tx, by, cmd.Entity, p, now)
	return Versioned(rec.Version, err)
}

// applyChangeSubmitted withdraws the file or tells the program of a
// change, the day the program hears of it.
func applyChangeSubmitted(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p NoticePayload, now time.Time) (sync.Answer, error) {
	p.Notice.Sent = domain.DateOf(sv.At(time.Time{}, now))
	rec, err := sv.st.changeSubmitted(tx, by, cmd.Kind, p, now)
	return Versioned(rec.Version, err)
}

// applyImportEmployerForm puts a signed Employer Form in the applicant's
// file. A form signed long ago reaches the applicant on paper or as a
// file; it is never dated after the server's clock.
func applyImportEmployerForm(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p SignedPayload, now time.Time) (sync.Answer, error) {
	if err := sv.signedWithin(p.Signed, now, time.Time{}); err != nil {
		return Applied(), err
	}
	rec, err := sv.st.importSignedForm(tx, by, p.Signed, now)
	return Versioned(rec.Version, err)
}

func applyRepRequest(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p RepRequestPayload, now time.Time) (sync.Answer, error) {
	return Applied(), sv.st.requestRepresentation(tx, by, p, now)
}

// applyRepDecision authorises, refuses or cancels a representative, on the
// server's day.
func applyRepDecision(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p RepDecisionPayload, now time.Time) (sync.Answer, error) {
	p.On = domain.DateOf(sv.At(time.Time{}, now))
	rec, err := sv.st.decideRepresentation(tx, by, cmd.Kind, p, now)
	return Versioned(rec.Version, err)
}

// currentApplication is the file a refused command was about, when by may
// read it: its applicant, their active representative, the program.
func currentApplication(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var rec ApplicationRecord
	found, err := sv.st.GetJSON(BucketOf(tx, ApplicationsBucket), cmd.Entity[:], &rec)
	if err != nil || !found {
		return nil, err
	}
	if r, ok := rec.App.ActiveRepresentative(); cmd.Entity != by.Account && (!ok || r.Account != by.Account) &&
		!by.Role.Can(account.DecideApplications) {
		return nil, nil
	}
	return ChangeOf(sync.EntityApplication, rec.Applicant, rec.Version, &rec)
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
func decide(act fileAction) ApplyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		var p DecisionPayload
		if err := Decode(cmd.Payload, &p); err != nil {
			return Applied(), err
		}
		p.On = sv.day(p.On, now)
		rec, err := sv.st.applyToFile(tx, by, act, cmd.Entity, &p, now)
		return Versioned(rec.Version, err)
	}
}

func init() {
	Register(Program{Name: "applications", Commands: oinpCommands, Records: oinpRecords})
}

// refeedApplication feeds again the application stored under id.
func refeedApplication(s *Store, tx *Tx, id domain.ID) error {
	var rec ApplicationRecord
	if _, err := s.GetJSON(BucketOf(tx, ApplicationsBucket), id[:], &rec); err != nil {
		return err
	}
	return s.feedApplication(tx, &rec)
}

package applications

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/sync"
)

// The Ontario Immigrant Nominee Program's In-Demand Skills application:
// the applicant's (or their representative's) file, the representatives'
// access to it, and the program's decisions on it.

var oinpCommands = []store.CommandSpec{
	{Kind: KindEditApplication, Senders: store.OnAFile, Apply: store.With(applyEditApplication), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindSaveApplication, Senders: store.OnAFile, Apply: store.With(applySaveApplication), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindRegisterApplication, Senders: []account.Role{account.Applicant}, Creates: store.CreatesApplication,
		MaxPayload: store.MaxPayloadSmall, Apply: ownFile(false, store.With(applyRegisterApplication)), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindAttachDocument, Senders: store.OnAFile, Creates: store.CreatesDocument, MaxPayload: store.MaxPayloadAttachment,
		Apply: ownFile(true, store.With(applyAttachDocument)), Current: currentApplication, Undo: store.UndoOn(On, undoApplication),
		Expand: store.ExpandOn(On, Store.expandAttachment)},
	{Kind: KindRemoveDocument, Senders: store.OnAFile, Apply: ownFile(true, store.With(applyRemoveDocument)),
		Current: currentApplication, Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindSubmitApplication, Senders: store.OnAFile, MaxPayload: store.MaxPayloadSmall,
		Apply: ownFile(true, store.With(applySubmitApplication)), Current: currentApplication,
		Undo: store.UndoOn(On, undoSubmission), Expand: store.ExpandOn(On, Store.expandSubmission)},
	{Kind: KindWithdrawApplication, Senders: []account.Role{account.Applicant}, MaxPayload: store.MaxPayloadSmall,
		Apply: ownFile(false, store.With(applyChangeSubmitted)), Current: currentApplication, Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindNoticeApplication, Senders: []account.Role{account.Applicant}, Creates: store.CreatesNotice,
		MaxPayload: store.MaxPayloadSmall, Apply: ownFile(false, store.With(applyChangeSubmitted)), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindImportEmployerForm, Senders: store.OnAFile, Creates: store.CreatesEmployerForm, Apply: store.With(applyImportEmployerForm),
		Current: currentApplication, Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindRepRequest, Senders: []account.Role{account.Representative}, Creates: store.CreatesRepMatch, Misses: ErrRepNoMatch,
		MaxPayload: store.MaxPayloadSmall, Apply: ownFile(false, store.With(applyRepRequest))},
	{Kind: KindRepDecide, Senders: []account.Role{account.Applicant}, MaxPayload: store.MaxPayloadSmall,
		Apply: ownFile(false, store.With(applyRepDecision)), Current: currentApplication, Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindRepCancel, Senders: []account.Role{account.Applicant}, MaxPayload: store.MaxPayloadSmall,
		Apply: ownFile(false, store.With(applyRepDecision)), Current: currentApplication, Undo: store.UndoOn(On, undoApplication)},
	// The program's decisions, and the applicant's answer to a request for
	// information.
	{Kind: KindAnswerInformation, Senders: store.OnAFile, Apply: decide(answerInformation), Current: currentApplication, Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindRequestInformation, Senders: store.TheProgram, Apply: decide(requestInformation), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindDecideApplication, Senders: store.TheProgram, Apply: decide(decideApplication), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindRecordReview, Senders: store.TheProgram, Apply: decide(recordReview), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindDecideReview, Senders: store.TheProgram, Apply: decide(decideReview), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindExtendNomination, Senders: store.TheProgram, Apply: decide(extendNomination), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindStartProcessing, Senders: store.TheProgram, Apply: decide(startProcessing), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
	{Kind: KindReturnIncomplete, Senders: store.TheProgram, Apply: decide(returnIncomplete), Current: currentApplication,
		Undo: store.UndoOn(On, undoApplication)},
}

var oinpRecords = []store.RecordSpec{
	{Kind: sync.EntityApplication, Replay: store.UnbufferedOn(On, Store.applyApplication), Refeed: refeedApplication},
	{Kind: sync.EntityRepAccess, Replay: store.UnbufferedOn(On, Store.applyRepAccess)},
}

// ownFile lets a command act only on its sender's own file (the file's ID
// is its applicant's account); with client set, a representative's too
// (editableFor then checks they are the file's active one).
func ownFile(client bool, step store.ApplyFunc) store.ApplyFunc {
	return func(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Entity != by.Account && !(client && by.Role == account.Representative) {
			return store.Applied(), domain.Errorf(ErrNotApplicant)
		}
		return step(sv, tx, by, cmd, now)
	}
}

// applySaveApplication takes a whole-form save from a desk of before
// field-level merge as the changes from the version that desk had to
// what it sent (legacyEdits), merged like any edit: a field another desk
// changed since stays unless this one's is later, and the loser is kept
// as a conflict either way, never lost unseen.
func applySaveApplication(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p SaveApplicationPayload, now time.Time) (sync.Answer, error) {
	rec, err := of(sv).fileToEdit(tx, by, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	edits, err := legacyEdits(&rec.App, p.App, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	return of(sv).mergeApplication(tx, by, cmd, rec, EditPayload{Seen: cmd.BaseVersion, Edits: edits, At: p.At}, sv.At(p.At, now))
}

// applyEditApplication merges a save's changes into the file as the
// server has it: the applicant's own file, or a representative's client's.
func applyEditApplication(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p EditPayload, now time.Time) (sync.Answer, error) {
	rec, err := of(sv).fileToEdit(tx, by, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	return of(sv).mergeApplication(tx, by, cmd, rec, p, sv.At(p.At, now))
}

// applyRegisterApplication gives the file its number; the 14 days start
// when the program hears of it.
func applyRegisterApplication(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p RegisterApplicationPayload, now time.Time) (sync.Answer, error) {
	p.Registered = domain.DateOf(sv.At(time.Time{}, now))
	rec, merged, err := of(sv).registerApplication(tx, by, p, now)
	ans, err := store.Versioned(rec.Version, err)
	if merged {
		ans.Outcome = sync.Merged
	}
	return ans, err
}

// applyAttachDocument attaches a scan, measured from the bytes the server
// received and dated by its clock.
func applyAttachDocument(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p AttachPayload, now time.Time) (sync.Answer, error) {
	doc, err := receivedDocument(p.Doc, p.Content, false, sv.At(time.Time{}, now))
	if err != nil {
		return store.Applied(), err
	}
	rec, err := of(sv).attachDocument(tx, by, cmd.Entity, doc, p.Content, sv.At(time.Time{}, now))
	return store.Versioned(rec.Version, err)
}

func applyRemoveDocument(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p RemovePayload, now time.Time) (sync.Answer, error) {
	rec, err := of(sv).removeDocument(tx, by, cmd.Entity, p.ID, now)
	return store.Versioned(rec.Version, err)
}

// applyChangeSubmitted withdraws the file or tells the program of a
// change, the day the program hears of it.
func applyChangeSubmitted(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p NoticePayload, now time.Time) (sync.Answer, error) {
	p.Notice.Sent = domain.DateOf(sv.At(time.Time{}, now))
	rec, err := of(sv).changeSubmitted(tx, by, cmd.Kind, p, now)
	return store.Versioned(rec.Version, err)
}

// applyImportEmployerForm puts a signed Employer Form in the applicant's
// file. A form signed long ago reaches the applicant on paper or as a
// file; it is never dated after the server's clock.
func applyImportEmployerForm(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p SignedPayload, now time.Time) (sync.Answer, error) {
	if err := signedWithin(sv, p.Signed, now, time.Time{}); err != nil {
		return store.Applied(), err
	}
	rec, err := of(sv).importSignedForm(tx, by, p.Signed, now)
	if err == nil {
		err = of(sv).signedByItsBusiness(tx, p.Signed)
	}
	return store.Versioned(rec.Version, err)
}

func applyRepRequest(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p RepRequestPayload, now time.Time) (sync.Answer, error) {
	return store.Applied(), of(sv).requestRepresentation(tx, by, p, now)
}

// applyRepDecision authorises, refuses or cancels a representative, on the
// server's day.
func applyRepDecision(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p RepDecisionPayload, now time.Time) (sync.Answer, error) {
	p.On = domain.DateOf(sv.At(time.Time{}, now))
	rec, err := of(sv).decideRepresentation(tx, by, cmd.Kind, p, now)
	return store.Versioned(rec.Version, err)
}

// currentApplication is the file a refused command was about, when by may
// read it: its applicant, their active representative, the program.
func currentApplication(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var rec ApplicationRecord
	found, err := of(sv).GetJSON(store.BucketOf(tx, store.ApplicationsBucket), cmd.Entity[:], &rec)
	if err != nil || !found {
		return nil, err
	}
	if r, ok := rec.App.ActiveRepresentative(); cmd.Entity != by.Account && (!ok || r.Account != by.Account) &&
		!by.Role.Can(account.DecideApplications) {
		return nil, nil
	}
	return store.ChangeOf(sync.EntityApplication, rec.Applicant, rec.Version, &rec)
}

// undoApplication puts the file back as the server has it.
func undoApplication(s Store, tx *store.Tx, _ sync.Command, current *sync.Change) error {
	if current == nil {
		return nil
	}
	_, err := s.applyApplication(tx, current)
	return err
}

// decide applies one of the program's actions on a submitted file (or
// the applicant's answer to a request for information), dated the day the
// server takes it.
func decide(act fileAction) store.ApplyFunc {
	return func(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		var p DecisionPayload
		if err := store.Decode(cmd.Payload, &p); err != nil {
			return store.Applied(), err
		}
		p.On = day(sv, p.On, now)
		rec, err := of(sv).applyToFile(tx, by, act, cmd.Entity, &p, now)
		return store.Versioned(rec.Version, err)
	}
}

func init() {
	store.Register(store.Program{Name: "applications", Commands: oinpCommands, Records: oinpRecords})
}

// refeedApplication feeds again the application stored under id.
func refeedApplication(engine *store.Store, tx *store.Tx, id domain.ID) error {
	s := On(engine)
	var rec ApplicationRecord
	if _, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), id[:], &rec); err != nil {
		return err
	}
	return s.feedApplication(tx, &rec)
}

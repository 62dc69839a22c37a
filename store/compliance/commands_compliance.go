package compliance

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// The annual compliance exercise: a school's Annual Report on Ineligible
// Students and its amendments, a coordinator's reminders to schools, and
// the province's compilation.

var complianceCommands = []store.CommandSpec{
	{Kind: KindSubmitComplianceReport, Senders: []account.Role{account.DIR}, Apply: store.With(applySubmitCompliance),
		Current: currentComplianceReport, Undo: undoIn(store.ComplianceBucket, Store.applyComplianceReport),
		Refused: refeedSubmission},
	{Kind: KindAmendComplianceReport, Senders: []account.Role{account.DIR}, Apply: store.With(applyAmendCompliance),
		Current: currentComplianceReport, Undo: undoIn(store.ComplianceBucket, Store.applyComplianceReport)},
	{Kind: KindChaseSchool, Senders: []account.Role{account.Coordinator}, Apply: store.With(applyChaseSchool),
		Undo: undoIn(store.ChasesBucket, Store.applyChase)},
	{Kind: KindSubmitProvincialReport, Senders: []account.Role{account.Coordinator}, Apply: store.With(applySubmitProvincial),
		Current: currentProvincial, Undo: undoIn(store.ProvincialBucket, Store.applyProvincial)},
}

var complianceRecords = []store.RecordSpec{
	{Kind: sync.EntityComplianceReport, Replay: store.UnbufferedOn(On, Store.applyComplianceReport)},
	{Kind: sync.EntityComplianceChase, Replay: store.UnbufferedOn(On, Store.applyChase), Claimed: true},
	{Kind: sync.EntityProvincialReport, Replay: store.UnbufferedOn(On, Store.applyProvincial)},
}

func applySubmitCompliance(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p ComplianceSubmitPayload, now time.Time) (sync.Answer, error) {
	if cmd.Entity != ComplianceReportID(p.School, p.Year) {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	rep, err := of(sv).submitCompliance(tx, by, p.School, p.Year, sv.At(p.At, now))
	return store.Versioned(rep.Version, err)
}

func applyAmendCompliance(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p ComplianceAmendPayload, now time.Time) (sync.Answer, error) {
	if cmd.Entity != ComplianceReportID(p.School, p.Year) {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	rep, err := of(sv).amendCompliance(tx, by, p, sv.At(p.At, now))
	ans, err := store.Versioned(rep.Version, err)
	if err == nil && cmd.BaseVersion != 0 && cmd.BaseVersion != rep.Version-1 {
		ans.Outcome = sync.Merged // another amendment came first
	}
	return ans, err
}

// applyChaseSchool records a coordinator's reminder under the ID their
// desk chose, which must name nothing yet.
func applyChaseSchool(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p ComplianceChase, now time.Time) (sync.Answer, error) {
	if p.ID != cmd.Entity {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	if err := of(sv).Claim(tx, sync.EntityComplianceChase, p.ID); err != nil {
		return store.Applied(), err
	}
	_, err := of(sv).chaseSchool(tx, by, p, sv.At(p.At, now))
	return store.Applied(), err
}

func applySubmitProvincial(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p ProvincialSubmitPayload, now time.Time) (sync.Answer, error) {
	if cmd.Entity != ProvincialReportID(p.Province, p.Year) {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	pc, err := of(sv).submitProvincial(tx, by, p, sv.At(p.At, now))
	return store.Versioned(pc.Version, err)
}

// currentComplianceReport is the report a refused submission or amendment
// was about, when by may read it.
func currentComplianceReport(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var rep ens.ComplianceReport
	found, err := of(sv).GetJSON(store.BucketOf(tx, store.ComplianceBucket), cmd.Entity[:], &rep)
	if err != nil || !found || CanReadCompliance(by, rep.School, rep.Province) != nil {
		return nil, err
	}
	return store.ChangeOf(sync.EntityComplianceReport, rep.ID, rep.Version, &rep)
}

// currentProvincial is the province's compilation, for its coordinator.
func currentProvincial(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var pc ProvincialCompilation
	found, err := of(sv).GetJSON(store.BucketOf(tx, store.ProvincialBucket), cmd.Entity[:], &pc)
	if err != nil || !found || ens.MayCoordinate(by, pc.Province) != nil {
		return nil, err
	}
	return store.ChangeOf(sync.EntityProvincialReport, pc.ID, pc.Version, &pc)
}

// undoIn puts back, in the bucket named, the record the server sent with
// a refusal, or removes the desk's own when the server has none.
func undoIn(name []byte, replay func(Store, *store.Tx, *sync.Change) (bool, error)) store.UndoFunc {
	return store.UndoOn(On, func(s Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
		if current == nil {
			return tx.Bucket(name).Delete(cmd.Entity[:])
		}
		_, err := replay(s, tx, current)
		return err
	})
}

// refeedSubmission sends the school's AC requests back to its desks when
// their submission is refused (refeedRefusedSubmission); the sender reads
// the rule's refusal.
func refeedSubmission(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, _ error, _ time.Time) (error, error) {
	return nil, refeedRefusedSubmission(sv, tx, by, cmd)
}

func init() {
	store.Register(store.Program{Name: "compliance", Commands: complianceCommands, Records: complianceRecords})
}

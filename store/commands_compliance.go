package store

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/sync"
)

// The annual compliance exercise: a school's Annual Report on Ineligible
// Students and its amendments, a coordinator's reminders to schools, and
// the province's compilation.

var complianceCommands = []CommandSpec{
	{Kind: KindSubmitComplianceReport, Senders: []account.Role{account.DIR}, Apply: With(applySubmitCompliance),
		Current: currentComplianceReport, Undo: undoIn(ComplianceBucket, (*Store).applyComplianceReport),
		Refused: refeedSubmission},
	{Kind: KindAmendComplianceReport, Senders: []account.Role{account.DIR}, Apply: With(applyAmendCompliance),
		Current: currentComplianceReport, Undo: undoIn(ComplianceBucket, (*Store).applyComplianceReport)},
	{Kind: KindChaseSchool, Senders: []account.Role{account.Coordinator}, Apply: With(applyChaseSchool),
		Undo: undoIn(ChasesBucket, (*Store).applyChase)},
	{Kind: KindSubmitProvincialReport, Senders: []account.Role{account.Coordinator}, Apply: With(applySubmitProvincial),
		Current: currentProvincial, Undo: undoIn(ProvincialBucket, (*Store).applyProvincial)},
}

var complianceRecords = []RecordSpec{
	{Kind: sync.EntityComplianceReport, Replay: Unbuffered((*Store).applyComplianceReport)},
	{Kind: sync.EntityComplianceChase, Replay: Unbuffered((*Store).applyChase), Claimed: true},
	{Kind: sync.EntityProvincialReport, Replay: Unbuffered((*Store).applyProvincial)},
}

func applySubmitCompliance(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p ComplianceSubmitPayload, now time.Time) (sync.Answer, error) {
	if cmd.Entity != ComplianceReportID(p.School, p.Year) {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	rep, err := sv.st.submitCompliance(tx, by, p.School, p.Year, sv.At(p.At, now))
	return Versioned(rep.Version, err)
}

func applyAmendCompliance(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p ComplianceAmendPayload, now time.Time) (sync.Answer, error) {
	if cmd.Entity != ComplianceReportID(p.School, p.Year) {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	rep, err := sv.st.amendCompliance(tx, by, p, sv.At(p.At, now))
	ans, err := Versioned(rep.Version, err)
	if err == nil && cmd.BaseVersion != 0 && cmd.BaseVersion != rep.Version-1 {
		ans.Outcome = sync.Merged // another amendment came first
	}
	return ans, err
}

// applyChaseSchool records a coordinator's reminder under the ID their
// desk chose, which must name nothing yet.
func applyChaseSchool(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p ComplianceChase, now time.Time) (sync.Answer, error) {
	if p.ID != cmd.Entity {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	if err := sv.st.Claim(tx, sync.EntityComplianceChase, p.ID); err != nil {
		return Applied(), err
	}
	_, err := sv.st.chaseSchool(tx, by, p, sv.At(p.At, now))
	return Applied(), err
}

func applySubmitProvincial(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p ProvincialSubmitPayload, now time.Time) (sync.Answer, error) {
	if cmd.Entity != ProvincialReportID(p.Province, p.Year) {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	pc, err := sv.st.submitProvincial(tx, by, p, sv.At(p.At, now))
	return Versioned(pc.Version, err)
}

// currentComplianceReport is the report a refused submission or amendment
// was about, when by may read it.
func currentComplianceReport(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var rep ens.ComplianceReport
	found, err := sv.st.GetJSON(BucketOf(tx, ComplianceBucket), cmd.Entity[:], &rep)
	if err != nil || !found || canReadCompliance(by, rep.School, rep.Province) != nil {
		return nil, err
	}
	return ChangeOf(sync.EntityComplianceReport, rep.ID, rep.Version, &rep)
}

// currentProvincial is the province's compilation, for its coordinator.
func currentProvincial(sv *Server, tx *Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	var pc ProvincialCompilation
	found, err := sv.st.GetJSON(BucketOf(tx, ProvincialBucket), cmd.Entity[:], &pc)
	if err != nil || !found || ens.MayCoordinate(by, pc.Province) != nil {
		return nil, err
	}
	return ChangeOf(sync.EntityProvincialReport, pc.ID, pc.Version, &pc)
}

// undoIn puts back, in the bucket named, the record the server sent with
// a refusal, or removes the desk's own when the server has none.
func undoIn(name []byte, replay func(*Store, *Tx, *sync.Change) (bool, error)) UndoFunc {
	return func(s *Store, tx *Tx, cmd sync.Command, current *sync.Change) error {
		if current == nil {
			return tx.Bucket(name).Delete(cmd.Entity[:])
		}
		_, err := replay(s, tx, current)
		return err
	}
}

// refeedSubmission sends the school's AC requests back to its desks when
// their submission is refused (refeedRefusedSubmission); the sender reads
// the rule's refusal.
func refeedSubmission(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, _ error, _ time.Time) (error, error) {
	return nil, sv.refeedRefusedSubmission(tx, by, cmd)
}

func init() {
	Register(Program{Name: "compliance", Commands: complianceCommands, Records: complianceRecords})
}

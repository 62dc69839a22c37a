package employers

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/store"
	"dossier/sync"
)

// Employers: a business's enrolment and the program's decision on it, its
// branches and primary user, and its Employer Forms — filled, signed,
// given documents and linked to an applicant's file.

var employerCommands = []store.CommandSpec{
	{Kind: KindEnrolBusiness, Anonymous: true, Makes: account.EmployerPrimary, MaxPayload: store.MaxPayloadSmall, Apply: store.InOwnName(store.With(applyEnrolBusiness)),
		Refused: refusedEnrolment, KeepRefused: refusedAtTheDoor},
	{Kind: KindDecideBusiness, Senders: store.TheProgram, MaxPayload: store.MaxPayloadSmall, Apply: store.With(applyDecideBusiness)},
	{Kind: KindCreateBranch, Senders: []account.Role{account.EmployerPrimary}, Creates: store.CreatesBranch,
		MaxPayload: store.MaxPayloadSmall, Apply: store.With(applyCreateBranch)},
	{Kind: KindHandOver, Senders: []account.Role{account.EmployerPrimary}, MaxPayload: store.MaxPayloadSmall,
		Apply: store.With(applyHandOver)},
	{Kind: KindBranchHandOver, Senders: []account.Role{account.BranchPrimary}, MaxPayload: store.MaxPayloadSmall,
		Apply: store.With(applyBranchHandOver)},
}

var employerRecords = []store.RecordSpec{
	{Kind: sync.EntityBusiness, Replay: store.UnbufferedOn(On, Store.applyBusiness), Claimed: true},
}

// applyEnrolBusiness makes a business and its primary user's account,
// each under an ID that must name nothing yet.
func applyEnrolBusiness(sv *store.Server, tx *store.Tx, _ account.Actor, cmd sync.Command, p EnrolBusinessPayload, now time.Time) (sync.Answer, error) {
	r, err := sv.CleanRegistration(&p.EnrolPayload)
	if err != nil {
		return store.Applied(), err
	}
	if p.Details, err = p.Details.Check(); err != nil {
		return store.Applied(), err
	}
	if p.Account != cmd.Entity {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	if err := of(sv).Claim(tx, sync.EntityAccount, p.Account); err != nil {
		return store.Applied(), err
	}
	if err := of(sv).Claim(tx, sync.EntityBusiness, p.Business); err != nil {
		return store.Applied(), err
	}
	a, _, err := of(sv).enrolBusiness(tx, p, r, sv.At(p.At, now))
	return store.Versioned(a.Version, err)
}

// refusedEnrolment keeps, for the program, why a business was refused at
// the door (its number or legal name is taken); its person reads a neutral
// notice.
func refusedEnrolment(sv *store.Server, tx *store.Tx, _ account.Actor, cmd sync.Command, why error, now time.Time) (error, error) {
	if !refusedAtTheDoor(why) {
		return nil, nil
	}
	var p EnrolBusinessPayload
	if err := store.Decode(cmd.Payload, &p); err != nil {
		return nil, err
	}
	if err := of(sv).refusedEnrolment(tx, p, why, now); err != nil {
		return nil, err
	}
	return domain.Errorf(employer.ErrRefused), nil
}

func applyDecideBusiness(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p DecideBusinessPayload, now time.Time) (sync.Answer, error) {
	b, err := of(sv).decideBusiness(tx, by, p, now)
	return store.Versioned(b.Version, err)
}

// applyCreateBranch adds a branch under the ID its desk chose, which must
// name nothing yet.
func applyCreateBranch(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p BranchPayload, now time.Time) (sync.Answer, error) {
	if p.Branch.ID != cmd.Entity {
		return store.Applied(), domain.FieldError(sync.ErrBadRequest, "branch")
	}
	if err := of(sv).Claim(tx, store.BranchClaim, p.Branch.ID); err != nil {
		return store.Applied(), err
	}
	_, err := of(sv).createBranch(tx, by, p, sv.At(time.Time{}, now))
	return store.Applied(), err
}

func applyHandOver(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p HandOverPayload, now time.Time) (sync.Answer, error) {
	return store.Applied(), of(sv).handOver(tx, by, p, now)
}

func applyBranchHandOver(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p BranchHandOverPayload, now time.Time) (sync.Answer, error) {
	return store.Applied(), of(sv).handOverBranch(tx, by, p)
}

func init() {
	store.Register(store.Program{Name: "employers", Commands: employerCommands, Records: employerRecords})
}

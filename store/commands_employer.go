package store

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/sync"
)

// Employers: a business's enrolment and the program's decision on it, its
// branches and primary user, and its Employer Forms — filled, signed,
// given documents and linked to an applicant's file.

var employerCommands = []CommandSpec{
	{Kind: KindEnrolBusiness, Anonymous: true, MaxPayload: MaxPayloadSmall, Apply: inOwnName(with(applyEnrolBusiness)),
		Refused: refusedEnrolment, KeepRefused: refusedAtTheDoor},
	{Kind: KindDecideBusiness, Senders: theProgram, MaxPayload: MaxPayloadSmall, Apply: with(applyDecideBusiness)},
	{Kind: KindCreateBranch, Senders: []account.Role{account.EmployerPrimary}, Creates: CreatesBranch,
		MaxPayload: MaxPayloadSmall, Apply: with(applyCreateBranch)},
	{Kind: KindHandOver, Senders: []account.Role{account.EmployerPrimary}, MaxPayload: MaxPayloadSmall,
		Apply: with(applyHandOver)},
}

var employerRecords = []RecordSpec{
	{Kind: sync.EntityBusiness, Replay: unbuffered((*Store).applyBusiness), Claimed: true},
}

// applyEnrolBusiness makes a business and its primary user's account,
// each under an ID that must name nothing yet.
func applyEnrolBusiness(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, p EnrolBusinessPayload, now time.Time) (sync.Answer, error) {
	r, err := sv.cleanRegistration(&p.EnrolPayload)
	if err != nil {
		return applied(), err
	}
	if p.Details, err = p.Details.Check(); err != nil {
		return applied(), err
	}
	if p.Account != cmd.Entity {
		return applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	if err := sv.s.claim(tx, sync.EntityAccount, p.Account); err != nil {
		return applied(), err
	}
	if err := sv.s.claim(tx, sync.EntityBusiness, p.Business); err != nil {
		return applied(), err
	}
	a, _, err := sv.s.enrolBusiness(tx, p, r, sv.at(p.At, now))
	return versioned(a.Version, err)
}

// refusedEnrolment keeps, for the program, why a business was refused at
// the door (its number or legal name is taken); its person reads a neutral
// notice.
func refusedEnrolment(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, why error, now time.Time) (error, error) {
	if !refusedAtTheDoor(why) {
		return nil, nil
	}
	var p EnrolBusinessPayload
	if err := decode(cmd.Payload, &p); err != nil {
		return nil, err
	}
	if err := sv.s.refusedEnrolment(tx, p, why, now); err != nil {
		return nil, err
	}
	return domain.Errorf(employer.ErrRefused), nil
}

func applyDecideBusiness(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p DecideBusinessPayload, now time.Time) (sync.Answer, error) {
	b, err := sv.s.decideBusiness(tx, by, p, now)
	return versioned(b.Version, err)
}

// applyCreateBranch adds a branch under the ID its desk chose, which must
// name nothing yet.
func applyCreateBranch(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p BranchPayload, now time.Time) (sync.Answer, error) {
	if p.Branch.ID != cmd.Entity {
		return applied(), domain.FieldError(sync.ErrBadRequest, "branch")
	}
	if err := sv.s.claim(tx, branchClaim, p.Branch.ID); err != nil {
		return applied(), err
	}
	_, err := sv.s.createBranch(tx, by, p, sv.at(time.Time{}, now))
	return applied(), err
}

func applyHandOver(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p HandOverPayload, now time.Time) (sync.Answer, error) {
	return applied(), sv.s.handOver(tx, by, p, now)
}

func init() {
	Register(Program{Name: "employers", Commands: employerCommands, Records: employerRecords})
}

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
	{Kind: KindEnrolBusiness, Anonymous: true, Makes: account.EmployerPrimary, MaxPayload: MaxPayloadSmall, Apply: InOwnName(With(applyEnrolBusiness)),
		Refused: refusedEnrolment, KeepRefused: refusedAtTheDoor},
	{Kind: KindDecideBusiness, Senders: TheProgram, MaxPayload: MaxPayloadSmall, Apply: With(applyDecideBusiness)},
	{Kind: KindCreateBranch, Senders: []account.Role{account.EmployerPrimary}, Creates: CreatesBranch,
		MaxPayload: MaxPayloadSmall, Apply: With(applyCreateBranch)},
	{Kind: KindHandOver, Senders: []account.Role{account.EmployerPrimary}, MaxPayload: MaxPayloadSmall,
		Apply: With(applyHandOver)},
}

var employerRecords = []RecordSpec{
	{Kind: sync.EntityBusiness, Replay: Unbuffered((*Store).applyBusiness), Claimed: true},
}

// applyEnrolBusiness makes a business and its primary user's account,
// each under an ID that must name nothing yet.
func applyEnrolBusiness(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, p EnrolBusinessPayload, now time.Time) (sync.Answer, error) {
	r, err := sv.CleanRegistration(&p.EnrolPayload)
	if err != nil {
		return Applied(), err
	}
	if p.Details, err = p.Details.Check(); err != nil {
		return Applied(), err
	}
	if p.Account != cmd.Entity {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "entity")
	}
	if err := sv.st.Claim(tx, sync.EntityAccount, p.Account); err != nil {
		return Applied(), err
	}
	if err := sv.st.Claim(tx, sync.EntityBusiness, p.Business); err != nil {
		return Applied(), err
	}
	a, _, err := sv.st.enrolBusiness(tx, p, r, sv.At(p.At, now))
	return Versioned(a.Version, err)
}

// refusedEnrolment keeps, for the program, why a business was refused at
// the door (its number or legal name is taken); its person reads a neutral
// notice.
func refusedEnrolment(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, why error, now time.Time) (error, error) {
	if !refusedAtTheDoor(why) {
		return nil, nil
	}
	var p EnrolBusinessPayload
	if err := Decode(cmd.Payload, &p); err != nil {
		return nil, err
	}
	if err := sv.st.refusedEnrolment(tx, p, why, now); err != nil {
		return nil, err
	}
	return domain.Errorf(employer.ErrRefused), nil
}

func applyDecideBusiness(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p DecideBusinessPayload, now time.Time) (sync.Answer, error) {
	b, err := sv.st.decideBusiness(tx, by, p, now)
	return Versioned(b.Version, err)
}

// applyCreateBranch adds a branch under the ID its desk chose, which must
// name nothing yet.
func applyCreateBranch(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p BranchPayload, now time.Time) (sync.Answer, error) {
	if p.Branch.ID != cmd.Entity {
		return Applied(), domain.FieldError(sync.ErrBadRequest, "branch")
	}
	if err := sv.st.Claim(tx, BranchClaim, p.Branch.ID); err != nil {
		return Applied(), err
	}
	_, err := sv.st.createBranch(tx, by, p, sv.At(time.Time{}, now))
	return Applied(), err
}

func applyHandOver(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p HandOverPayload, now time.Time) (sync.Answer, error) {
	return Applied(), sv.st.handOver(tx, by, p, now)
}

func init() {
	Register(Program{Name: "employers", Commands: employerCommands, Records: employerRecords})
}

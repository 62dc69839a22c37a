package store

import (
	"encoding/json"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// People and their access: sign-ups, enrolments with a PIN, the PINs
// staff issue, the end of someone's access, a person's e-mail address.

var accountCommands = []CommandSpec{
	{Kind: KindRegister, Anonymous: true, MaxPayload: MaxPayloadSmall, Apply: InOwnName(With(applyRegister))},
	{Kind: sync.KindEnrol, Anonymous: true, MaxPayload: MaxPayloadSmall, Apply: InOwnName(With(applyEnrol))},
	// The program issues DIRs' PINs, a DIR signatories', an employer's
	// primary user (or a branch's) their users'.
	{Kind: sync.KindIssuePIN, Senders: []account.Role{account.DIR, account.ProgramOfficer, account.EmployerPrimary,
		account.BranchPrimary}, Creates: CreatesPIN, MaxPayload: MaxPayloadSmall, Apply: With(applyIssuePIN)},
	{Kind: sync.KindRevoke, Senders: []account.Role{account.DIR, account.EmployerPrimary, account.BranchPrimary},
		MaxPayload: MaxPayloadSmall, Apply: With(applyRevoke)},
	{Kind: KindUpdateEmail, Senders: EveryRole, MaxPayload: MaxPayloadSmall, Apply: With(applyUpdateEmail)},
}

var accountRecords = []RecordSpec{
	{Kind: sync.EntityAccount, Replay: Unbuffered(replayAccount), Claimed: true},
	{Kind: sync.EntityPIN, Replay: Unbuffered(replayPIN), Claimed: true},
}

// InOwnName refuses an account-making command that is not in the name of
// the account it makes (Register; pushed by a signed-in person, it would
// be in theirs).
func InOwnName(step ApplyFunc) ApplyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Actor != cmd.Entity {
			return Applied(), domain.Errorf(ErrRegisterActor)
		}
		return step(sv, tx, by, cmd, now)
	}
}

// applyRegister makes the account of a student, an applicant or a
// representative who signed up for themselves.
func applyRegister(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, p sync.EnrolPayload, now time.Time) (sync.Answer, error) {
	r, err := sv.CleanRegistration(&p)
	if err != nil {
		return Applied(), err
	}
	if err := sv.st.Claim(tx, sync.EntityAccount, cmd.Entity); err != nil {
		return Applied(), err
	}
	role := account.Student
	switch p.Role {
	case "":
	case account.Applicant.Code():
		role = account.Applicant
	case account.Representative.Code():
		role = account.Representative
	default:
		// Only students, applicants and representatives sign up for
		// themselves.
		return Applied(), domain.Errorf(ErrRegisterOnly)
	}
	a, err := sv.st.RegisterIn(tx, r, role, p.Password, p.Questions, cmd.Entity, sv.At(p.At, now))
	return Versioned(a.Version, err)
}

// applyEnrol makes the account of someone who enrols with a PIN, which
// the server checks against its own record of it.
func applyEnrol(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, p sync.EnrolPayload, now time.Time) (sync.Answer, error) {
	e := account.Enrolment{UserID: p.UserID, GivenNames: p.GivenNames, FamilyName: p.FamilyName, PIN: p.PINCode}
	var err error
	if e.UserID, err = account.CleanUserID(e.UserID); err != nil {
		return Applied(), err
	}
	if err := sv.checkHashes(&p); err != nil {
		return Applied(), err
	}
	if err := sv.st.Claim(tx, sync.EntityAccount, cmd.Entity); err != nil {
		return Applied(), err
	}
	a, _, err := sv.st.enrol(tx, e, p.PIN, p.Password, p.Questions, cmd.Entity, sv.At(p.At, now))
	ans, err := Versioned(a.Version, err)
	if err == nil && a.ID != cmd.Entity {
		ans.Outcome = sync.Merged // a re-link keeps the account the server knew
	}
	return ans, err
}

func applyIssuePIN(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, p sync.IssuePINPayload, now time.Time) (sync.Answer, error) {
	return sv.issuePIN(tx, by, cmd, p, now)
}

func applyRevoke(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p sync.RevokePayload, now time.Time) (sync.Answer, error) {
	_, err := sv.st.revoke(tx, by, p.Account, sv.At(p.At, now))
	return Applied(), err
}

func applyUpdateEmail(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p EmailPayload, _ time.Time) (sync.Answer, error) {
	email, err := domain.CleanEmail("email", p.Email)
	if err != nil {
		return Applied(), err
	}
	a, err := sv.st.updateEmail(tx, by, email)
	return Versioned(a.Version, err)
}

// replayAccount writes an account from the feed; the credential stays as
// the desk has it: the server never sends one.
func replayAccount(s *Store, tx *Tx, c *sync.Change) (bool, error) {
	var p PublicAccount
	if err := json.Unmarshal(c.Data, &p); err != nil {
		return BadChange(err)
	}
	var a Account
	if _, err := s.GetJSON(BucketOf(tx, AccountsBucket), p.ID[:], &a); err != nil {
		return false, err
	}
	a.ID, a.Role, a.Org, a.GivenNames, a.FamilyName = p.ID, p.Role, p.Org, p.GivenNames, p.FamilyName
	a.Email, a.Desk, a.PIN, a.Version = p.Email, p.Desk, p.PIN, p.Version
	a.Enrolled, _ = time.Parse(timeWire, p.Enrolled)
	a.Revoked = time.Time{}
	if p.Revoked != "" {
		a.Revoked, _ = time.Parse(timeWire, p.Revoked)
	}
	return true, s.PutJSON(BucketOf(tx, AccountsBucket), a.ID[:], a)
}

func replayPIN(s *Store, tx *Tx, c *sync.Change) (bool, error) {
	var p account.PIN
	if err := json.Unmarshal(c.Data, &p); err != nil {
		return BadChange(err)
	}
	return true, s.PutJSON(BucketOf(tx, PINsBucket), p.ID[:], p)
}

func init() {
	Register(Program{Name: "accounts", Commands: accountCommands, Records: accountRecords})
}

package store

import (
	"bytes"
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
	{Kind: sync.KindRevoke, Senders: []account.Role{account.DIR, account.EmployerPrimary, account.BranchPrimary, account.ProgramOfficer},
		MaxPayload: MaxPayloadSmall, Apply: With(applyRevoke)},
	{Kind: KindUpdateEmail, Senders: EveryRole, MaxPayload: MaxPayloadSmall, Apply: With(applyUpdateEmail)},
	// The form a person's role is written in, in French: their own
	// account's only, one of the three forms.
	{Kind: KindUpdateForm, Senders: EveryRole, MaxPayload: MaxPayloadSmall, Apply: With(applyUpdateForm)},
	// A desk's report that it de-linked an enrolment: sent without a
	// token, since the person can no longer sign in, in their name.
	{Kind: KindDelink, Anonymous: true, NoCredential: true, MaxPayload: MaxPayloadSmall, Apply: InOwnName(With(applyDelink))},
}

// KindDelink is the command a desk sends when three failed sign-ins in a
// row de-linked an enrolment there (payload: DelinkPayload).
const KindDelink sync.Kind = "account.delink"

// DelinkPayload names the enrolment a desk de-linked: the user ID and the
// PIN it was made with, and when (the desk's clock, "made offline at").
type DelinkPayload struct {
	UserID string    `json:"userID"`
	PIN    domain.ID `json:"pin"`
	At     time.Time `json:"at"`
}

// ErrDelinkUnknown refuses a de-link report that names no enrolment the
// server holds (an unknown account, or a user ID that is not its own).
var ErrDelinkUnknown = domain.NewCode("store.account.delink.unknown", domain.KindNotFound)

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
	e := account.Enrolment{UserID: p.UserID, GivenNames: p.GivenNames, FamilyName: p.FamilyName, PIN: p.PINCode,
		Lang: MailLang(p.Lang)}
	var err error
	if e.UserID, err = account.CleanUserID(e.UserID); err != nil {
		return Applied(), err
	}
	if e.Form, err = account.ParseForm(p.Form); err != nil {
		return Applied(), err
	}
	if err := sv.checkHashes(&p); err != nil {
		return Applied(), err
	}
	// A desk that held the de-linked enrolment re-links it under the
	// account's own ID: that ID names the account the user ID does, or
	// the command is refused as any other that aims at an existing ID.
	uh := sv.st.kr.Hash(hashUserID, e.UserID)
	if relink := tx.Bucket(ixUserID).Get(uh[:]); !bytes.Equal(relink, cmd.Entity[:]) {
		if err := sv.st.Claim(tx, sync.EntityAccount, cmd.Entity); err != nil {
			return Applied(), err
		}
	}
	a, _, err := sv.st.enrol(tx, e, p.PIN, p.Password, p.Questions, cmd.Entity, sv.At(p.At, now))
	ans, err := Versioned(a.Version, err)
	if err == nil && a.ID != cmd.Entity {
		ans.Outcome = sync.Merged // a re-link keeps the account the server knew
	}
	return ans, err
}

// applyDelink de-links, at the server's time, the enrolment a desk
// de-linked after three failed sign-ins there, so that it holds on every
// computer: the server checks that the report names the account's user ID
// and the PIN of its current enrolment. A report about an enrolment the
// person has since replaced (a new PIN) changes nothing, nor does one
// about an enrolment already de-linked. It grants no one more than three
// wrong passwords at the server would, and counts, as they do, against
// the sender's address (Register).
func applyDelink(sv *Server, tx *Tx, _ account.Actor, cmd sync.Command, p DelinkPayload, now time.Time) (sync.Answer, error) {
	var a Account
	found, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), cmd.Entity[:], &a)
	if err != nil {
		return Applied(), err
	}
	uid, cerr := account.CleanUserID(p.UserID)
	if !found || cerr != nil || a.Credential.UserID != uid {
		return Applied(), domain.Errorf(ErrDelinkUnknown)
	}
	if a.PIN != p.PIN || !a.Credential.Delinked.IsZero() {
		return Versioned(a.Version, nil)
	}
	a.Credential.Delinked, a.Credential.Failures = now, 0
	if err := sv.st.PutAccount(tx, &a, true); err != nil {
		return Applied(), err
	}
	return Versioned(a.Version, nil)
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

func applyUpdateForm(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p FormPayload, _ time.Time) (sync.Answer, error) {
	form, err := account.ParseForm(string(p.Form))
	if err != nil {
		return Applied(), err
	}
	a, err := sv.st.updateForm(tx, by, form)
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
	pin := a.PIN // the enrolment this desk knew
	uid := a.Credential.UserID
	a.ID, a.Role, a.Org, a.GivenNames, a.FamilyName = p.ID, p.Role, p.Org, p.GivenNames, p.FamilyName
	a.Email, a.Form, a.Desk, a.PIN, a.Version = p.Email, p.Form, p.Desk, p.PIN, p.Version
	a.Enrolled, _ = time.Parse(timeWire, p.Enrolled)
	a.Revoked = time.Time{}
	if p.Revoked != "" {
		a.Revoked, _ = time.Parse(timeWire, p.Revoked)
	}
	switch {
	case p.Delinked != "" && a.Credential.Delinked.IsZero():
		// De-linked on the server, or on another desk: locked here too,
		// until the person enrols again with a new PIN (and the DIR's
		// screens can tell).
		a.Credential.Delinked, _ = time.Parse(timeWire, p.Delinked)
	case p.Delinked == "" && !pin.IsZero() && p.PIN != pin:
		// Enrolled again elsewhere, with a new PIN and password: what
		// this desk holds is the old enrolment's. It forgets it, so that
		// the person's next sign-in here asks the server (and keeps the
		// new one), rather than fail against the old password.
		if a.Credential.PasswordHash != "" {
			uh := s.kr.Hash(hashUserID, a.Credential.UserID)
			if err := tx.Bucket(ixUserID).Delete(uh[:]); err != nil {
				return false, err
			}
		}
		a.Credential = account.Credential{}
	}
	// An account ended here, or whose password here is the old
	// enrolment's, opens the profile no more (slots.go).
	if err := s.endedSlot(tx, &a, uid); err != nil {
		return false, err
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

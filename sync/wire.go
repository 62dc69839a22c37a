package sync

import (
	"encoding/json"
	"fmt"
	"time"

	"dossier/domain"
	"dossier/domain/notice"
	"dossier/domain/printcode"
)

// The JSON bodies of the /v1 API. The server and the desks agree on these
// and on nothing else.

// PushRequest carries outbox commands in the order they were made.
type PushRequest struct {
	Commands []Command `json:"commands"`
}

// Outcome is what the server did with one command.
type Outcome string

// The outcomes of a pushed command.
const (
	// Applied: the command applied to the version it was made on.
	Applied Outcome = "applied"
	// Merged: the record had moved on since, and the command still applied
	// (field by field for form fields; Conflicts lists the fields both
	// sides changed).
	Merged Outcome = "merged"
	// Rejected: the rules refuse the command now; Error says why, and
	// Current holds the record as the server has it.
	Rejected Outcome = "rejected"
)

// Answer is the server's answer to one command. It is stored with the
// command's ID: a command pushed again gets the same answer.
type Answer struct {
	Command   domain.ID  `json:"command"`
	Outcome   Outcome    `json:"outcome"`
	Error     *WireError `json:"error,omitempty"`
	Version   uint64     `json:"version,omitempty"`
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Current is the record as the server holds it after a rejection, so
	// that the desk can put back what its local change had altered.
	Current *Change `json:"current,omitempty"`
}

// PushResponse answers a PushRequest, one answer per command in order. The
// server's clock reading lets the desk's clock catch up.
type PushResponse struct {
	Answers []Answer `json:"answers"`
	HLC     HLC      `json:"hlc"`
}

// EntityKind names the kind of record a change carries.
type EntityKind string

// The kinds of record in the change feed.
const (
	EntityRequest     EntityKind = "request"
	EntityInstitution EntityKind = "institution"
	EntityAccount     EntityKind = "account"
	EntityPIN         EntityKind = "pin"
	// EntityDesk is an account's desk number, as servers before schema 8
	// fed it; desks now ignore it. EntityDeviceDesk is the desk number the
	// server gave one computer of a staff member: a kind of its own, so
	// that a desk of an older version, which would take it for its own
	// whatever computer it names, ignores it.
	EntityDesk         EntityKind = "desk"
	EntityDeviceDesk   EntityKind = "desk.device"
	EntityConflict     EntityKind = "conflict"
	EntityApplication  EntityKind = "application"
	EntityRepAccess    EntityKind = "rep-access"
	EntityBusiness     EntityKind = "business"
	EntityEmployerForm EntityKind = "employer-form"
	// Annual compliance: a school's Annual Report on Ineligible Students,
	// a coordinator's reminder to a school, a province's compilation.
	EntityComplianceReport EntityKind = "compliance-report"
	EntityComplianceChase  EntityKind = "compliance-chase"
	EntityProvincialReport EntityKind = "provincial-report"
)

// Change is one record as the server last wrote it: the feed carries whole
// records, so applying a change twice, or an older one after a newer one,
// leaves a desk where it was (a desk keeps the higher version).
type Change struct {
	Seq     uint64          `json:"seq"`
	Kind    EntityKind      `json:"kind"`
	ID      domain.ID       `json:"id"`
	Version uint64          `json:"version"`
	Data    json.RawMessage `json:"data"`
}

// NoticesResponse is GET /v1/notices: the program's maintenance notices
// whose windows have not ended, withdrawn ones included (a desk drops
// their banners), for a desk nobody has signed in on yet.
type NoticesResponse struct {
	Notices []notice.Notice `json:"notices"`
}

// ChangesResponse is one page of the change feed after a cursor. Reset is
// set when the desk's epoch is not the server's (the server was restored
// from a backup): the desk must download everything again, keeping its
// outbox.
type ChangesResponse struct {
	Epoch domain.ID `json:"epoch"`
	Reset bool      `json:"reset,omitempty"`
	// After is the cursor the page starts after (zero on a reset), so a
	// desk can tell a page that answers an older question.
	After   uint64   `json:"after"`
	Changes []Change `json:"changes"`
	// Next is the cursor to ask after next time; More says there is more
	// to read now.
	Next uint64 `json:"next"`
	More bool   `json:"more"`
	// Total is how many changes the person may see in all, for a progress
	// bar on a first download; zero when not counted.
	Total int `json:"total,omitempty"`
	HLC   HLC `json:"hlc"`
}

// SignInRequest asks the server for tokens.
type SignInRequest struct {
	UserID   string    `json:"userID"`
	Password string    `json:"password"`
	Device   domain.ID `json:"device"`
	// Refresh is the refresh token the desk holds for this person, if
	// any: it lets the owner sign in while strangers' wrong guesses have
	// paused sign-in for their user ID (store.Server.SignIn).
	Refresh string `json:"refresh,omitempty"`
	// Lang is the language the desk speaks ("en", "fr-CA"): the person's
	// letters are written in it from now on. An old desk sends none, and
	// the account keeps the language it had.
	Lang string `json:"lang,omitempty"`
}

// SignInChallenge is the server's answer to a right password: one of the
// person's security questions (their own words), to answer with Token
// (AnswerRequest) before Expires. The question stays the same until it is
// answered right, however often the person signs in again.
type SignInChallenge struct {
	Token    string    `json:"token"`
	Question string    `json:"question"`
	Expires  time.Time `json:"expires"`
}

// AnswerRequest answers a sign-in's security question.
type AnswerRequest struct {
	Challenge string `json:"challenge"`
	Answer    string `json:"answer"`
}

// CredentialStartRequest begins a change of the signed-in person's user
// ID and password with their current password; the server answers with a
// SignInChallenge.
type CredentialStartRequest struct {
	Password string `json:"password"`
}

// CredentialRequest answers the challenge of a change of credential and
// gives the new user ID and password; the server answers with new Tokens
// (the old ones end).
type CredentialRequest struct {
	Challenge string `json:"challenge"`
	Answer    string `json:"answer"`
	UserID    string `json:"userID"`
	Password  string `json:"password"`
}

// RecoverRequest is a step of the recovery of a forgotten password: the
// user ID (the server answers with a SignInChallenge), then the
// challenge's answer (it mails a code if right, and answers the same
// either way), then the code and the new password.
type RecoverRequest struct {
	UserID    string `json:"userID,omitempty"`
	Challenge string `json:"challenge,omitempty"`
	Answer    string `json:"answer,omitempty"`
	Code      string `json:"code,omitempty"`
	Password  string `json:"password,omitempty"`
}

// RefreshRequest trades a refresh token for a new pair.
type RefreshRequest struct {
	Refresh string `json:"refresh"`
}

// Tokens are a short-lived access token and the refresh token that renews
// it. Account is the signed-in account as the server holds it (without its
// secrets).
type Tokens struct {
	Access   string          `json:"access"`
	Refresh  string          `json:"refresh"`
	Expires  time.Time       `json:"expires"`
	Account  json.RawMessage `json:"account"`
	Epoch    domain.ID       `json:"epoch"`
	ServerID string          `json:"server,omitempty"`
	// Challenge, in place of the rest, is the security question a right
	// password is asked next.
	Challenge *SignInChallenge `json:"challenge,omitempty"`
}

// ErrorResponse is the body of every refusal.
type ErrorResponse struct {
	Error WireError `json:"error"`
}

// WireError is a coded error as it travels: its code, the field at fault,
// and its message arguments in a form that keeps their meaning.
type WireError struct {
	Code  domain.Code `json:"code"`
	Field string      `json:"field,omitempty"`
	Args  []WireArg   `json:"args,omitempty"`
}

// WireArg is one message argument: a catalog key (a status, a function), a
// time, a number, an amount of money (in cents, written the reader's way
// on the desk) or a text.
type WireArg struct {
	Key   string     `json:"key,omitempty"`
	Time  *time.Time `json:"time,omitempty"`
	Int   *int64     `json:"int,omitempty"`
	Money *int64     `json:"money,omitempty"`
	Text  *string    `json:"text,omitempty"`
}

// MessageKey is a catalog key received from the server, which translates
// itself on the desk like the value it stood for.
type MessageKey string

// MessageKey returns the key itself.
func (k MessageKey) MessageKey() string { return string(k) }

// EncodeError turns err into its wire form; errors without a code travel
// as the internal code, with no detail (the detail is for the server log).
func EncodeError(err error) *WireError {
	if err == nil {
		return nil
	}
	w := &WireError{Code: domain.ErrorCode(err)}
	var e *domain.Error
	if domainAs(err, &e) {
		w.Field = e.Field
		for _, a := range e.Args {
			w.Args = append(w.Args, encodeArg(a))
		}
	}
	return w
}

func encodeArg(a any) WireArg {
	switch v := a.(type) {
	case interface{ MessageKey() string }:
		return WireArg{Key: v.MessageKey()}
	case time.Time:
		return WireArg{Time: &v}
	case domain.Money:
		n := int64(v)
		return WireArg{Money: &n}
	case int:
		n := int64(v)
		return WireArg{Int: &n}
	case int64:
		return WireArg{Int: &v}
	case uint32:
		n := int64(v)
		return WireArg{Int: &n}
	case uint16:
		n := int64(v)
		return WireArg{Int: &n}
	}
	s := fmt.Sprint(a)
	return WireArg{Text: &s}
}

// Err is the error the wire form stands for, ready for the translator.
func (w *WireError) Err() *domain.Error {
	if w == nil {
		return nil
	}
	e := &domain.Error{Code: w.Code, Field: w.Field}
	for _, a := range w.Args {
		switch {
		case a.Key != "":
			e.Args = append(e.Args, MessageKey(a.Key))
		case a.Time != nil:
			e.Args = append(e.Args, *a.Time)
		case a.Int != nil:
			e.Args = append(e.Args, int(*a.Int))
		case a.Money != nil:
			e.Args = append(e.Args, domain.Money(*a.Money))
		case a.Text != nil:
			e.Args = append(e.Args, *a.Text)
		default:
			e.Args = append(e.Args, "")
		}
	}
	return e
}

// Printed is what the server says of a verification code: the kind of
// document it was printed on, the day, the facts it vouches for and the
// sums of every line of the document's text (printcode.LineSums; none
// for a code that vouches for its facts alone), against which a copy's
// text is compared.
type Printed struct {
	Code    string           `json:"code"`
	Kind    printcode.Kind   `json:"kind"`
	Facts   []printcode.Fact `json:"facts"`
	Lines   []string         `json:"lines,omitempty"`
	Printed domain.Date      `json:"printed"`
}

// AuditEntry is one entry of a person's audit history, as the server
// gives it to a program officer: IDs, codes and times, nothing a person
// typed.
//
// GET /v1/audit/{account} answers the newest entries (at most
// store.MaxAuditAnswer), oldest first; HeaderAuditEarlier counts the
// earlier ones it left out, when there are any.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Actor  domain.ID `json:"actor,omitzero"`
	Role   string    `json:"role"`
	Action string    `json:"action"`
	Entity domain.ID `json:"entity,omitzero"`
	Detail string    `json:"detail,omitempty"`
}

// HeaderAuditEarlier is how many earlier entries an audit history answer
// left out.
const HeaderAuditEarlier = "Dossier-Audit-Earlier"

// DocumentFile is an attached document's content as the server sends it
// to someone who may read the file (GET /v1/files/{applicant}/documents/{id}),
// with the type, size and SHA-256 the server measured from the bytes it
// received. The desk keeps it only when its SHA-256 is the one the file
// lists (the server's too), whatever this answer says.
type DocumentFile struct {
	Applicant domain.ID `json:"applicant"`
	ID        domain.ID `json:"id"`
	Type      string    `json:"type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	Content   []byte    `json:"content"`
}

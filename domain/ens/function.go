package ens

import (
	"dossier/domain"
	"dossier/domain/account"
)

// Function is something done to a request: the buttons of the DIR queue and
// what students and the program do. The numbers are stored in the outbox and
// sent on the wire: never renumber them.
type Function uint8

// The functions.
const (
	Verify         Function = 1  // confirm eligibility, issue an EVN (EV, EVT)
	Reject         Function = 2  // discard changes; the student cannot be identified or is not eligible
	Save           Function = 3  // keep the desk's changes; the expiry date does not move
	Accept         Function = 4  // complete a transfer to this school (TI)
	MarkEligible   Function = 5  // annual compliance: still eligible
	MarkIneligible Function = 6  // annual compliance: no longer eligible (reason)
	Withdraw       Function = 7  // the student revokes consent
	Expire         Function = 8  // the program closes a request whose time ran out
	Report         Function = 9  // the school's Annual Report on Ineligible Students is submitted
	Assign         Function = 10 // hand the request to a colleague at the desk
)

// Functions lists every function.
var Functions = []Function{Verify, Reject, Save, Accept, MarkEligible,
	MarkIneligible, Withdraw, Expire, Report, Assign}

var functionCodes = map[Function]string{
	Verify: "verify", Reject: "reject", Save: "save", Accept: "accept",
	MarkEligible: "mark-eligible", MarkIneligible: "mark-ineligible",
	Withdraw: "withdraw", Expire: "expire", Report: "report", Assign: "assign",
}

// Code is the stable name of the function.
func (f Function) Code() string { return functionCodes[f] }

func (f Function) String() string { return f.Code() }

// ParseFunction reads a function code.
func ParseFunction(s string) (Function, error) {
	for f, c := range functionCodes {
		if f != RaiseFunction && equalFold(c, s) {
			return f, nil
		}
	}
	return 0, domain.FieldError(ErrUnknownFunction, "function", s)
}

// rule says where a function is legal, who may use it, and where it leads.
type rule struct {
	types []Type
	from  []Status
	roles []account.Role
	// to is the status after the function; 0 keeps the status.
	to Status
}

var (
	desk     = []account.Role{account.DIR, account.Signatory}
	open     = []Status{New, InProgress, AwaitingAcceptance}
	asking   = []Type{EV, EVT, TI} // the types a student raises
	verifies = []Type{EV, EVT}
)

// rules is the whole transition table of DOMAIN.md §3. A function not legal
// for a type, status or role is refused with ErrNotForType, ErrNotInStatus or
// ErrRoleNotAllowed, in that order of precedence.
var rules = map[Function]rule{
	Verify: {types: verifies, from: []Status{New, InProgress}, roles: desk, to: Verified},
	Reject: {types: asking, from: open, roles: desk, to: Rejected},
	Save:   {types: Types, from: open, roles: desk, to: InProgress},
	Accept: {types: []Type{TI}, from: []Status{AwaitingAcceptance, InProgress}, roles: desk, to: Accepted},
	MarkEligible: {types: []Type{AC}, from: []Status{New, InProgress, Ineligible},
		roles: desk, to: Eligible},
	MarkIneligible: {types: []Type{AC}, from: []Status{New, InProgress, Eligible},
		roles: desk, to: Ineligible},
	Withdraw: {types: asking, from: open, roles: []account.Role{account.Student}, to: Withdrawn},
	Expire:   {types: asking, from: open, roles: []account.Role{account.System}, to: Expired},
	// Only the DIR submits the school's annual report [000 App. A].
	Report: {types: []Type{AC}, from: []Status{Eligible, Ineligible},
		roles: []account.Role{account.DIR}, to: Reported},
	Assign: {types: Types, from: open, roles: desk},
}

// statusesOf lists the statuses a request of each type can be in. A Transfer
// IN starts awaiting acceptance instead of new; only Annual Compliance is
// marked eligible or ineligible and then reported.
var statusesOf = map[Type][]Status{
	EV:  {New, InProgress, Verified, Rejected, Expired, Withdrawn},
	EVT: {New, InProgress, Verified, Rejected, Expired, Withdrawn},
	TI:  {AwaitingAcceptance, InProgress, Accepted, Rejected, Expired, Withdrawn},
	AC:  {New, InProgress, Eligible, Ineligible, Reported},
}

// StatusesOf lists the statuses a request of type t can be in, for filters.
func StatusesOf(t Type) []Status { return statusesOf[t] }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// RaiseFunction names raising a request in messages about who may do it; it
// is not a function of the queue.
const RaiseFunction Function = 0

func init() { functionCodes[RaiseFunction] = "raise" }

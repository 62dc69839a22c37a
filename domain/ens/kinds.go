package ens

import "dossier/domain"

// Type is one of the four request types (DOMAIN.md §3).
type Type uint8

// The request types. The numbers are stored on disk and sent on the wire:
// never renumber them.
const (
	EV  Type = 1 // Eligibility Verification
	EVT Type = 2 // Eligibility Verification with Transfer
	TI  Type = 3 // Transfer IN
	AC  Type = 4 // Annual Compliance
)

// Types lists every request type in display order.
var Types = []Type{EV, EVT, TI, AC}

var typeCodes = map[Type]string{EV: "EV", EVT: "EVT", TI: "TI", AC: "AC"}

// Code is the short stable name of the type ("EV"), used in flags, JSON and
// translation keys.
func (t Type) Code() string { return typeCodes[t] }

func (t Type) String() string { return t.Code() }

// Valid reports whether t is one of the four types.
func (t Type) Valid() bool { _, ok := typeCodes[t]; return ok }

// ParseType reads a type code, case-insensitively.
func ParseType(s string) (Type, error) {
	for t, c := range typeCodes {
		if equalFold(c, s) {
			return t, nil
		}
	}
	return 0, domain.FieldError(ErrUnknownType, "type", s)
}

// Status is one of the eleven activity statuses (DOMAIN.md §3).
type Status uint8

// The statuses. The numbers are stored on disk, in index keys and on the
// wire: never renumber them.
const (
	New                Status = 1
	InProgress         Status = 2 // saved by the desk
	Verified           Status = 3
	Rejected           Status = 4
	Expired            Status = 5
	Withdrawn          Status = 6
	AwaitingAcceptance Status = 7
	Accepted           Status = 8
	Eligible           Status = 9
	Ineligible         Status = 10
	Reported           Status = 11
)

// Statuses lists every status in display order.
var Statuses = []Status{New, InProgress, AwaitingAcceptance, Verified, Accepted,
	Rejected, Expired, Withdrawn, Eligible, Ineligible, Reported}

var statusCodes = map[Status]string{
	New: "new", InProgress: "in-progress", Verified: "verified",
	Rejected: "rejected", Expired: "expired", Withdrawn: "withdrawn",
	AwaitingAcceptance: "awaiting-acceptance", Accepted: "accepted",
	Eligible: "eligible", Ineligible: "ineligible", Reported: "reported",
}

// Code is the stable name of the status ("in-progress").
func (s Status) Code() string { return statusCodes[s] }

func (s Status) String() string { return s.Code() }

// Valid reports whether s is one of the eleven statuses.
func (s Status) Valid() bool { _, ok := statusCodes[s]; return ok }

// Open reports whether a request in this status still waits for the desk:
// only open requests expire, and only they can be withdrawn.
func (s Status) Open() bool {
	return s == New || s == InProgress || s == AwaitingAcceptance
}

// ParseStatus reads a status code, case-insensitively; "in_progress" and
// "inprogress" are accepted for "in-progress".
func ParseStatus(s string) (Status, error) {
	for st, c := range statusCodes {
		if equalFold(c, s) || equalFold(stripDashes(c), stripDashes(s)) {
			return st, nil
		}
	}
	return 0, domain.FieldError(ErrUnknownStatus, "status", s)
}

func stripDashes(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '-' && s[i] != '_' && s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

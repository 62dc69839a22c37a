package account

import "dossier/domain"

// Role is what a person is to the program. The numbers are stored and sent
// on the wire: never renumber them.
type Role uint8

// The roles of DOMAIN.md §1, and System for what the program does by itself
// (expiry, the 15 October compliance list).
const (
	Student           Role = 1
	DIR               Role = 2 // Designated Institutional Representative
	Signatory         Role = 3
	Coordinator       Role = 4 // provincial/territorial coordinator
	Applicant         Role = 5
	Representative    Role = 6
	EmployerPrimary   Role = 7
	BranchPrimary     Role = 8
	EmployerSecondary Role = 9
	ProgramOfficer    Role = 10
	System            Role = 11
	// BranchSecondary is a branch's user who enrolled with a branch PIN
	// after its primary user had: the branch's primary user manages them
	// (the Employer Portal's secondary users of a branch).
	BranchSecondary Role = 12
)

// Roles lists every role a person can hold (System is not one).
var Roles = []Role{Student, DIR, Signatory, Coordinator, Applicant,
	Representative, EmployerPrimary, BranchPrimary, EmployerSecondary, ProgramOfficer, BranchSecondary}

var roleCodes = map[Role]string{
	Student: "student", DIR: "dir", Signatory: "signatory", Coordinator: "coordinator",
	Applicant: "applicant", Representative: "representative",
	EmployerPrimary: "employer-primary", BranchPrimary: "branch-primary",
	EmployerSecondary: "employer-secondary", ProgramOfficer: "program-officer", BranchSecondary: "branch-secondary",
	System: "system",
}

// Code is the stable name of the role, used in JSON and translation keys.
func (r Role) Code() string { return roleCodes[r] }

func (r Role) String() string { return r.Code() }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleCodes[r]; return ok }

// ParseRole reads a role code.
func ParseRole(s string) (Role, error) {
	for r, c := range roleCodes {
		if c == s {
			return r, nil
		}
	}
	return 0, domain.FieldError(ErrUnknownRole, "role", s)
}

// InstitutionStaff reports whether the role works a school's DIR queue.
func (r Role) InstitutionStaff() bool { return r == DIR || r == Signatory }

// Actor is the person (or the program itself) doing something: their account,
// role, and the organisation the role belongs to (the school for DIRs and
// signatories, the business or branch for employer users, zero otherwise).
type Actor struct {
	Account domain.ID
	Role    Role
	Org     domain.ID
}

// SystemActor is the program acting on its own schedule.
var SystemActor = Actor{Role: System}

// MarshalText writes the role code.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.Code()), nil }

// UnmarshalText reads a role code.
func (r *Role) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = 0 // no one signed in: an audited refusal of an anonymous call
		return nil
	}
	v, err := ParseRole(string(b))
	*r = v
	return err
}

// MessageKey is the catalog key of the role's name.
func (r Role) MessageKey() string { return "account.role." + r.Code() }

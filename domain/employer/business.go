package employer

import (
	"strings"
	"time"

	"dossier/domain"
)

// Status is where a business's enrolment stands: waiting for a program
// officer, approved, or refused.
type Status string

// The standings of an enrolment.
const (
	Pending  Status = "pending"
	Approved Status = "approved"
	Refused  Status = "refused"
)

// MessageKey names the status in the catalog.
func (s Status) MessageKey() string { return "employer.status." + string(s) }

// Business is an enrolled employer: its CRA business number, names, the
// enrolment's standing (and the officer's reason when refused), its
// primary user and its branches. Branches share the business number.
type Business struct {
	ID            domain.ID      `json:"id"`
	BN            BusinessNumber `json:"bn"`
	LegalName     string         `json:"legalName"`
	OperatingName string         `json:"operatingName,omitempty"`
	Status        Status         `json:"status"`
	Reason        string         `json:"reason,omitempty"`
	Enrolled      time.Time      `json:"enrolled"`
	Decided       time.Time      `json:"decided,omitzero"`
	DecidedBy     domain.ID      `json:"decidedBy,omitzero"`
	Primary       domain.ID      `json:"primary"`
	Branches      []Branch       `json:"branches,omitempty"`
	// Keys are the public keys its users sign Employer Forms with.
	Keys    []SignerKey `json:"keys,omitempty"`
	Version uint64      `json:"version"`
}

// SignerKey is a user's public key for signing Employer Forms.
type SignerKey struct {
	Account   domain.ID `json:"account"`
	PublicKey []byte    `json:"publicKey"`
}

// HasKey reports whether a key is one of the business's signing keys.
func (b *Business) HasKey(key []byte) bool {
	for _, k := range b.Keys {
		if string(k.PublicKey) == string(key) {
			return true
		}
	}
	return false
}

// Branch is a location of a business with its own users (§5).
type Branch struct {
	ID      domain.ID `json:"id"`
	Name    string    `json:"name"`
	City    string    `json:"city,omitempty"`
	Created time.Time `json:"created"`
	// CreatedBy is the user who made it; the branch stays when they leave.
	CreatedBy domain.ID `json:"createdBy"`
}

// Enrolment is what a person gives to enrol their business (DOMAIN.md
// §5): that it operates in Canada, its business number, legal name and
// operating name. Their own credential is an account.Registration beside.
type Enrolment struct {
	OperatesInCanada bool
	BN               string
	LegalName        string
	OperatingName    string
}

// Codes of an enrolment refused.
var (
	ErrNotInCanada = domain.NewCode("employer.not-in-canada", domain.KindInvalid)
	// ErrRefused is the neutral notice a person reads when their
	// enrolment is refused (§5: the reason is not given to them).
	ErrRefused = domain.NewCode("employer.refused", domain.KindConflict)
	// The reasons, for the program officer.
	ErrBNTaken        = domain.NewCode("employer.bn.taken", domain.KindConflict)
	ErrLegalNameTaken = domain.NewCode("employer.legal-name.taken", domain.KindConflict)
	ErrNotPending     = domain.NewCode("employer.not-pending", domain.KindConflict)
	ErrReasonRequired = domain.NewCode("employer.reason.required", domain.KindInvalid)
	ErrBranchName     = domain.NewCode("employer.branch.name", domain.KindInvalid)
	ErrNotApproved    = domain.NewCode("employer.not-approved", domain.KindConflict)
)

// Check cleans the enrolment and checks each field: the confirmation that
// the business operates in Canada, the business number, the legal name
// (required) and the operating name (optional).
func (e Enrolment) Check() (Enrolment, error) {
	if !e.OperatesInCanada {
		return e, domain.FieldError(ErrNotInCanada, "operatesInCanada")
	}
	bn, err := ParseBN(e.BN)
	if err != nil {
		return e, err
	}
	e.BN = string(bn)
	if e.LegalName, err = domain.CleanLine("legalName", e.LegalName, 200, true); err != nil {
		return e, err
	}
	if e.OperatingName, err = domain.CleanLine("operatingName", e.OperatingName, 200, false); err != nil {
		return e, err
	}
	return e, nil
}

// FoldLegalName is the form two legal names are compared in: accents and
// case aside, punctuation and spacing folded ("Les Serres Côté, Inc." and
// "LES SERRES COTE INC" are the same name).
func FoldLegalName(s string) string { return strings.ReplaceAll(domain.FoldName(s), " ", "") }

// Decide records a program officer's decision on a pending enrolment; a
// refusal needs its reason (which only the program reads).
func (b *Business) Decide(by domain.ID, approve bool, reason string, now time.Time) error {
	if b.Status != Pending {
		return domain.Errorf(ErrNotPending, b.Status)
	}
	reason, err := domain.CleanText("reason", reason, domain.MaxTextLength, false)
	if err != nil {
		return err
	}
	if !approve && reason == "" {
		return domain.FieldError(ErrReasonRequired, "reason")
	}
	b.Status, b.Reason, b.Decided, b.DecidedBy = Approved, "", now, by
	if !approve {
		b.Status, b.Reason = Refused, reason
	}
	return nil
}

// AddBranch adds a branch to an approved business.
func (b *Business) AddBranch(id, by domain.ID, name, city string, now time.Time) (Branch, error) {
	if b.Status != Approved {
		return Branch{}, domain.Errorf(ErrNotApproved)
	}
	name = domain.StripInvisible(strings.TrimSpace(name), false)
	if name = strings.Join(strings.Fields(name), " "); name == "" || len(name) > 200 {
		return Branch{}, domain.FieldError(ErrBranchName, "name")
	}
	city, err := domain.CleanLine("city", city, 100, false)
	if err != nil {
		return Branch{}, err
	}
	br := Branch{ID: id, Name: name, City: city, Created: now, CreatedBy: by}
	b.Branches = append(b.Branches, br)
	return br, nil
}

// Unit tells whether org is the business itself or one of its branches.
func (b *Business) Unit(org domain.ID) (branch *Branch, ok bool) {
	if org == b.ID {
		return nil, true
	}
	for i := range b.Branches {
		if b.Branches[i].ID == org {
			return &b.Branches[i], true
		}
	}
	return nil, false
}

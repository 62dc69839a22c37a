package employer

import (
	"errors"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
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

// IsSignerKey reports whether key is one the business holds as acct's.
func (b *Business) IsSignerKey(acct domain.ID, key []byte) bool {
	for _, k := range b.Keys {
		if k.Account == acct && string(k.PublicKey) == string(key) {
			return true
		}
	}
	return false
}

// AddKey records acct's public key among the business's signing keys,
// unless the business holds that key already; it reports whether it added
// it.
func (b *Business) AddKey(acct domain.ID, key []byte) bool {
	if b.HasKey(key) {
		return false
	}
	b.Keys = append(b.Keys, SignerKey{Account: acct, PublicKey: key})
	return true
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
	// ErrBranchExists is a new branch whose ID already names a unit of
	// the business (the business itself or one of its branches).
	ErrBranchExists = domain.NewCode("employer.branch.exists", domain.KindConflict)
	ErrNotApproved  = domain.NewCode("employer.not-approved", domain.KindConflict)
)

// Check cleans the enrolment and checks each field: the confirmation that
// the business operates in Canada, the business number, the legal name
// (required) and the operating name (optional).
func (e Enrolment) Check() (Enrolment, error) {
	if err := domain.Checks(e.checks()).First(); err != nil {
		return e, err
	}
	return e, nil
}

// Errors is every fault Check would find, one per field, for a form to
// show them all at once; the checks are Check's own.
func (e Enrolment) Errors() []error {
	return domain.Checks(e.checks()).All()
}

// checks are Check's checks in its order, each cleaning its field of e.
func (e *Enrolment) checks() []func() error {
	var err error
	return []func() error{
		func() error {
			if !e.OperatesInCanada {
				return domain.FieldError(ErrNotInCanada, "operatesInCanada")
			}
			return nil
		},
		func() error {
			bn, err := ParseBN(e.BN)
			if err != nil {
				return err
			}
			e.BN = string(bn)
			return nil
		},
		func() error { e.LegalName, err = domain.CleanLine("legalName", e.LegalName, 200, true); return err },
		func() error {
			e.OperatingName, err = domain.CleanLine("operatingName", e.OperatingName, 200, false)
			return err
		},
	}
}

// FoldLegalName is the form two legal names are compared in: accents and
// case aside, punctuation and spacing folded ("Les Serres Côté, Inc." and
// "LES SERRES COTE INC" are the same name).
func FoldLegalName(s string) string { return strings.ReplaceAll(domain.FoldName(s), " ", "") }

// Taken is what the program's records already hold of an enrolment: a
// business enrolled under the same number, or under the same legal name
// (folded by FoldLegalName). The store looks them up; Enrol decides.
type Taken struct {
	BN        bool
	LegalName bool
}

// Enrol is the business an enrolment makes: pending, under id, with the
// person enrolling (primary) as its primary user, enrolled at now. It
// refuses what Enrolment.Check refuses, then a business number already
// enrolled (ErrBNTaken), then a legal name already enrolled
// (ErrLegalNameTaken): the two refusals at the door, whose reason only
// the program reads (RefusedAtTheDoor).
func Enrol(id domain.ID, e Enrolment, primary domain.ID, taken Taken, now time.Time) (Business, error) {
	e, err := e.Check()
	if err != nil {
		return Business{}, err
	}
	switch {
	case taken.BN:
		return Business{}, domain.Errorf(ErrBNTaken, BusinessNumber(e.BN))
	case taken.LegalName:
		return Business{}, domain.Errorf(ErrLegalNameTaken, e.LegalName)
	}
	return Business{ID: id, BN: BusinessNumber(e.BN), LegalName: e.LegalName, OperatingName: e.OperatingName,
		Status: Pending, Enrolled: now, Primary: primary}, nil
}

// RefusedAtTheDoor reports whether an enrolment was refused because its
// business number or legal name is taken: the person reads a neutral
// notice, the program the reason (Enrolment.Refused).
func RefusedAtTheDoor(err error) bool {
	return errors.Is(err, ErrBNTaken) || errors.Is(err, ErrLegalNameTaken)
}

// Refused is the record the program keeps of an enrolment refused at the
// door: refused at now, with the refusal's code as its reason and no
// primary user (nobody was enrolled, so nobody reads it but the program).
func (e Enrolment) Refused(id domain.ID, why error, now time.Time) Business {
	return Business{ID: id, BN: BusinessNumber(e.BN), LegalName: e.LegalName, OperatingName: e.OperatingName,
		Status: Refused, Reason: string(domain.ErrorCode(why)), Enrolled: now, Decided: now}
}

// MayDecide refuses anyone but a program officer the decision on an
// enrolment (account.ErrForbidden). Decide asks it too; the store asks it
// first, so that nobody else learns which businesses exist.
func MayDecide(by account.Actor) error {
	return account.Authorize(by, account.ApproveEmployers, domain.ID{})
}

// Decide records a program officer's decision on a pending enrolment at
// now: approved, or refused with its reason (which only the program
// reads). It refuses anyone but a program officer (MayDecide), an
// enrolment already decided (ErrNotPending), a reason that is not clean
// text, and a refusal without a reason (ErrReasonRequired).
func (b *Business) Decide(by account.Actor, approve bool, reason string, now time.Time) error {
	if err := MayDecide(by); err != nil {
		return err
	}
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
	b.Status, b.Reason, b.Decided, b.DecidedBy = Approved, "", now, by.Account
	if !approve {
		b.Status, b.Reason = Refused, reason
	}
	return nil
}

// MayManage refuses anyone but the primary user of business the running
// of its units and primary role (account.ErrForbidden, or
// account.ErrOtherOrganisation for another business's primary user).
func MayManage(by account.Actor, business domain.ID) error {
	if business.IsZero() {
		return domain.Errorf(account.ErrOtherOrganisation)
	}
	return account.Authorize(by, account.ManageEmployer, business)
}

// MaxBranches is the most branches a business has: a chain has some
// dozens. The business's record, which every one of its units reads,
// carries them all, and the server files each change of it for every
// unit, so their number is bounded.
const MaxBranches = 200

// AddBranch adds a branch, with ID id, to the business, made by its
// primary user at now (DOMAIN.md §5). It refuses anyone but the
// business's primary user (MayManage), a business not approved
// (ErrNotApproved), an ID that already names one of its units
// (ErrBranchExists), a business with MaxBranches already
// (domain.ErrListTooLong), a name empty or over 200 characters
// (ErrBranchName) and a city over 100.

func (b *Business) AddBranch(by account.Actor, id domain.ID, name, city string, now time.Time) (Branch, error) {
	if err := MayManage(by, b.ID); err != nil {
		return Branch{}, err
	}
	if b.Status != Approved {
		return Branch{}, domain.Errorf(ErrNotApproved)
	}
	if id.IsZero() {
		return Branch{}, domain.FieldError(domain.ErrBadID, "branch")
	}
	if _, taken := b.Unit(id); taken {
		return Branch{}, domain.Errorf(ErrBranchExists)
	}
	if len(b.Branches) >= MaxBranches {
		return Branch{}, domain.FieldError(domain.ErrListTooLong, "branches", MaxBranches)
	}
	if err := domain.Checks(branchChecks(&name, &city)).First(); err != nil {
		return Branch{}, err
	}
	br := Branch{ID: id, Name: name, City: city, Created: now, CreatedBy: by.Account}
	b.Branches = append(b.Branches, br)
	return br, nil
}

// BranchErrors is every fault AddBranch would find in a new branch's name
// and city, one per field, for a form to show them all at once; the checks
// are AddBranch's own. Who may add it is AddBranch's to say.
func BranchErrors(name, city string) []error {
	return domain.Checks(branchChecks(&name, &city)).All()
}

// branchChecks are AddBranch's checks of a branch's name and city, each
// cleaning its field.
func branchChecks(name, city *string) []func() error {
	return []func() error{
		func() error {
			*name = domain.StripInvisible(strings.TrimSpace(*name), false)
			if *name = strings.Join(strings.Fields(*name), " "); *name == "" || len(*name) > 200 {
				return domain.FieldError(ErrBranchName, "name")
			}
			return nil
		},
		func() error {
			var err error
			*city, err = domain.CleanLine("city", *city, 100, false)
			return err
		},
	}
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

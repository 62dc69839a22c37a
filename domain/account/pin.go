package account

import (
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"time"

	"dossier/domain"
)

// A PIN is the single-use activation code that lets a person enrol with a
// role in an organisation [001]: the program issues a DIR's, the DIR issues
// a signatory's. Its text is 11 random Crockford base-32 characters (55 bits
// of chance) and a check character (Damm's, as for EVNs), written
// XXXX-XXXX-XXXX; only its argon2id hash is kept.
type PIN struct {
	ID   domain.ID
	Hash string // argon2id of the canonical code
	Role Role
	Org  domain.ID
	// Desk is the desk number a DIR or signatory enrols with; it makes the
	// EVNs their desk issues unique within the school.
	Desk uint16
	// GivenNames and FamilyName are the person it was issued to; when set,
	// enrolment must give the same names (accents and case aside).
	GivenNames string
	FamilyName string
	IssuedBy   domain.ID
	Issued     time.Time
	Expires    time.Time
	Used       time.Time
	UsedBy     domain.ID
	Revoked    time.Time
	// Email, when the issuer gave one, is the address of the person the
	// PIN is for: the server writes to them that a PIN waits (never the
	// PIN itself).
	Email string `json:",omitempty"`
	// Lang is the language of that letter, when the issuer chose one
	// ("en" or "fr-CA"); empty, the issuer's own.
	Lang string `json:",omitempty"`
}

const pinBody = 11

// NewPINCode draws a fresh PIN code from rnd.
func NewPINCode(rnd io.Reader) (string, error) {
	buf := make([]byte, pinBody)
	if _, err := io.ReadFull(rnd, buf); err != nil {
		return "", fmt.Errorf("new pin: %w", err)
	}
	body := make([]byte, pinBody)
	for i, b := range buf {
		body[i] = domain.Crockford[b&31] // 256 is a multiple of 32: uniform
	}
	return formatPIN(string(body) + string(domain.Crockford[domain.DammCheck(body)])), nil
}

// ParsePIN reads a PIN as a person types it (any case, dashes or spaces
// anywhere, O for 0, I or L for 1) and returns its canonical form. It returns
// ErrPINFormat when it is not shaped like a PIN and ErrPINCheck when the
// check character shows a typing mistake.
func ParsePIN(s string) (string, error) {
	body := make([]byte, 0, pinBody+1)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == ' ' {
			continue
		}
		v, ok := domain.CrockfordValue(c)
		if !ok || len(body) > pinBody {
			return "", domain.FieldError(ErrPINFormat, "pin")
		}
		body = append(body, domain.Crockford[v])
	}
	if len(body) != pinBody+1 {
		return "", domain.FieldError(ErrPINFormat, "pin")
	}
	if domain.DammCheck(body) != 0 {
		return "", domain.FieldError(ErrPINCheck, "pin")
	}
	return formatPIN(string(body)), nil
}

func formatPIN(s string) string { return s[0:4] + "-" + s[4:8] + "-" + s[8:12] }

// PINRequest is what an issuer asks for.
type PINRequest struct {
	Role Role
	Org  domain.ID
	// Parent is the business a branch belongs to, for the PINs of an
	// employer's branches and users (the store fills it in).
	Parent     domain.ID
	GivenNames string
	FamilyName string
	// Email is the address of the person the PIN is for, when known.
	Email string
	// Validity is how long the PIN may wait to be used; zero means the
	// policy's default.
	Validity time.Duration
	// Lang is the language of the letter to Email ("en" or "fr-CA");
	// empty, the issuer's.
	Lang string
}

// Errors is every fault IssuePIN would find in req's fields (validity,
// names, e-mail), one per field, for a form to show them all at once; the
// checks are IssuePIN's own. Who may issue it is IssuePIN's to say.
func (req PINRequest) Errors(pol Policy) []error {
	var p PIN
	return domain.Checks(req.checks(&p, time.Time{}, pol)).All()
}

// checks are IssuePIN's checks of req's fields, each writing its field of
// p, issued at now.
func (req PINRequest) checks(p *PIN, now time.Time, pol Policy) []func() error {
	var err error
	return []func() error{
		func() error {
			validity := req.Validity
			if validity == 0 {
				validity = pol.PINValidity
			}
			if validity < 24*time.Hour || validity > pol.MaxPINValidity {
				return domain.FieldError(ErrPINValidity, "validity", int(pol.MaxPINValidity/(24*time.Hour)))
			}
			p.Expires = now.Add(validity)
			return nil
		},
		func() error { p.GivenNames, err = domain.CleanName("givenNames", req.GivenNames, false); return err },
		func() error { p.FamilyName, err = domain.CleanName("familyName", req.FamilyName, false); return err },
		func() error {
			if req.Email == "" {
				return nil
			}
			if p.Email, err = domain.CleanEmail("email", req.Email); err != nil {
				return err
			}
			if req.Lang == "en" || req.Lang == "fr-CA" {
				p.Lang = req.Lang
			}
			return nil
		},
	}
}

// IssuePIN checks that by may issue a PIN for req and returns the PIN record
// for code (already drawn) with id, desk and time now. Only the program issues
// DIR PINs; a DIR issues signatory PINs for their own school only.
func IssuePIN(by Actor, req PINRequest, id domain.ID, code string, desk uint16, now time.Time, pol Policy) (PIN, error) {
	switch req.Role {
	case DIR:
		if err := Authorize(by, IssueDIRPIN, req.Org); err != nil {
			return PIN{}, err
		}
	case Signatory:
		if err := Authorize(by, IssueSignatoryPIN, req.Org); err != nil {
			return PIN{}, err
		}
		if by.Org != req.Org {
			return PIN{}, domain.Errorf(ErrOtherOrganisation)
		}
	case BranchPrimary:
		// The primary user gives each branch of their business its PIN.
		if err := Authorize(by, ManageEmployer, req.Parent); err != nil {
			return PIN{}, err
		}
		if req.Parent.IsZero() || by.Org != req.Parent || req.Org == req.Parent {
			return PIN{}, domain.Errorf(ErrOtherOrganisation)
		}
	case EmployerSecondary:
		// Primary and branch primary users add secondary users: a branch
		// primary to their branch only, the primary to any unit of their
		// business. A secondary user gives access to nobody.
		if !by.Role.Can(ManageEmployerUsers) {
			return PIN{}, domain.Errorf(ErrForbidden)
		}
		mine := by.Org == req.Org || by.Role == EmployerPrimary && by.Org == req.Parent
		if !mine {
			return PIN{}, domain.Errorf(ErrOtherOrganisation)
		}
		if strings.TrimSpace(req.GivenNames) == "" || strings.TrimSpace(req.FamilyName) == "" {
			return PIN{}, domain.FieldError(domain.ErrRequired, "familyName")
		}
	default:
		return PIN{}, domain.Errorf(ErrPINRole, req.Role)
	}
	if req.Org.IsZero() {
		return PIN{}, domain.FieldError(domain.ErrRequired, "org")
	}
	p := PIN{ID: id, Role: req.Role, Org: req.Org, Desk: desk, IssuedBy: by.Account, Issued: now}
	if err := domain.Checks(req.checks(&p, now, pol)).First(); err != nil {
		return PIN{}, err
	}
	if _, err := ParsePIN(code); err != nil {
		return PIN{}, err
	}
	return p, nil
}

// Usable refuses a PIN that was used, revoked or has expired at now.
func (p *PIN) Usable(now time.Time) error {
	switch {
	case !p.Used.IsZero():
		return domain.FieldError(ErrPINUsed, "pin")
	case !p.Revoked.IsZero():
		return domain.FieldError(ErrPINRevoked, "pin")
	case !now.Before(p.Expires):
		return domain.FieldError(ErrPINExpired, "pin", p.Expires)
	}
	return nil
}

// NamesMatch reports whether the names given at enrolment are those the PIN
// was issued for, ignoring case, accents and spacing.
func (p *PIN) NamesMatch(given, family string) bool {
	if p.FamilyName == "" && p.GivenNames == "" {
		return true
	}
	return domain.FoldName(p.FamilyName) == domain.FoldName(family) &&
		domain.FoldName(p.GivenNames) == domain.FoldName(given)
}

// PINLocator is a short, deliberately weak tag of a PIN's canonical code:
// two bytes of its SHA-256. It lets a server find the PIN a desk issued
// (which it knows only by its argon2id hash) among the few that share the
// tag, then check the hash; two bytes say too little about the code to
// help anyone guess it.
func PINLocator(code string) [2]byte {
	sum := sha256.Sum256([]byte("dossier-pin-locator|" + code))
	return [2]byte{sum[0], sum[1]}
}

// RevokePIN withdraws an unused PIN at now, so that nobody can enrol with
// it: the program a DIR's, a DIR their own school's signatories'. A used
// PIN is refused (ErrPINUsed): the person's access is ended instead.
// already is true when it was withdrawn before; it stays as it was.
func RevokePIN(by Actor, p *PIN, now time.Time) (already bool, err error) {
	switch p.Role {
	case DIR:
		if err := Authorize(by, IssueDIRPIN, p.Org); err != nil {
			return false, err
		}
	case Signatory:
		if err := Authorize(by, IssueSignatoryPIN, p.Org); err != nil {
			return false, err
		}
		if by.Org != p.Org {
			return false, domain.Errorf(ErrOtherOrganisation)
		}
	default:
		return false, domain.Errorf(ErrPINRole, p.Role)
	}
	switch {
	case !p.Used.IsZero():
		return false, domain.FieldError(ErrPINUsed, "pin")
	case !p.Revoked.IsZero():
		return true, nil
	}
	p.Revoked = now
	return false, nil
}

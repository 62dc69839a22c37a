package employer

import (
	"dossier/domain"
	"dossier/domain/account"
)

// User is an employer's user as the rules read them from their account:
// their role, the unit they belong to (the business or one of its
// branches) and that unit's business, their name, and whether their access
// still runs. Business is zero when their unit belongs to no business the
// records know.
type User struct {
	Account    domain.ID
	Role       account.Role
	Unit       domain.ID
	Business   domain.ID
	GivenNames string
	FamilyName string
	Active     bool
}

// Name is the user's name as they sign: given names, then family name.
func (u User) Name() string { return u.GivenNames + " " + u.FamilyName }

// ErrHandOver is a hand-over to someone who is not an active secondary user
// of the business's main office.
var ErrHandOver = domain.NewCode("employer.handover.user", domain.KindConflict)

// HandOver makes to the business's primary user in from's place (DOMAIN.md
// §5, design): from, the actor's own account, stays as a secondary user of
// the main office, and every branch and user stays as it was. It refuses
// anyone but the business's primary user (MayManage, and from must be the
// actor's account and still the primary user of the main office:
// account.ErrForbidden), and a next primary user who is not an active
// secondary user of the main office (ErrHandOver). A zero User stands for
// an account the records do not hold.
func (b *Business) HandOver(by account.Actor, from, to *User) error {
	if err := MayManage(by, b.ID); err != nil {
		return err
	}
	if from.Account != by.Account || from.Role != account.EmployerPrimary || from.Unit != b.ID || !from.Active {
		return domain.Errorf(account.ErrForbidden)
	}
	if to.Account.IsZero() || to.Account == from.Account || to.Unit != b.ID || to.Role != account.EmployerSecondary || !to.Active {
		return domain.Errorf(ErrHandOver)
	}
	from.Role, to.Role, b.Primary = account.EmployerSecondary, account.EmployerPrimary, to.Account
	return nil
}

// CanEndAccess tells whether by may end user's access when the user
// leaves (DOMAIN.md §5): the primary user ends that of any branch primary
// or secondary user of their business, a branch's primary user that of
// their own branch's secondary users. What the user created (branches,
// users) stays. Anyone else, and any other role (a primary user's access
// ends by a hand-over first), is refused with account.ErrForbidden.
func CanEndAccess(by account.Actor, user User) error {
	if user.Role != account.EmployerSecondary && user.Role != account.BranchPrimary && user.Role != account.BranchSecondary {
		return domain.Errorf(account.ErrForbidden)
	}
	primary := by.Role == account.EmployerPrimary && !user.Business.IsZero() && user.Business == by.Org
	branch := by.Role == account.BranchPrimary && user.Unit == by.Org &&
		(user.Role == account.EmployerSecondary || user.Role == account.BranchSecondary)
	if !primary && !branch {
		return domain.Errorf(account.ErrForbidden)
	}
	return nil
}

// ErrBranchHandOver is a hand-over of a branch to someone who is not an
// active secondary user of that branch.
var ErrBranchHandOver = domain.NewCode("employer.branch.handover.user", domain.KindConflict)

// BranchRole is the role the holder of a branch PIN enrols with: the
// branch's primary user when it has none active, else a secondary user of
// the branch, whom its primary user manages (the Employer Portal's rule:
// the first holder is the primary user). hasPrimary says whether the
// branch has an active primary user other than the one enrolling, in the
// order the server applies enrolments.
func BranchRole(hasPrimary bool) account.Role {
	if hasPrimary {
		return account.BranchSecondary
	}
	return account.BranchPrimary
}

// HandOverBranch makes to the primary user of from's branch in from's
// place: from, the actor's own account, stays as a secondary user of the
// branch. It refuses anyone but the branch's active primary user
// (account.ErrForbidden), and a next primary user who is not an active
// secondary user of the same branch (ErrBranchHandOver).
func HandOverBranch(by account.Actor, from, to *User) error {
	if by.Role != account.BranchPrimary || from.Account != by.Account || from.Role != account.BranchPrimary ||
		from.Unit != by.Org || !from.Active {
		return domain.Errorf(account.ErrForbidden)
	}
	if to.Account.IsZero() || to.Account == from.Account || to.Unit != from.Unit || to.Role != account.BranchSecondary || !to.Active {
		return domain.Errorf(ErrBranchHandOver)
	}
	from.Role, to.Role = account.BranchSecondary, account.BranchPrimary
	return nil
}

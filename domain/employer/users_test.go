package employer

import (
	"testing"

	"dossier/domain"
	"dossier/domain/account"
)

// userOf is the User an actor's account reads as, active, in business
// bizID (or the business of their own organisation for a stranger).
func userOf(a account.Actor) User {
	biz := bizID
	if a.Org != bizID && a.Org != branchID {
		biz = a.Org
	}
	return User{Account: a.Account, Role: a.Role, Unit: a.Org, Business: biz, GivenNames: "Anna", FamilyName: "Kowalski", Active: true}
}

func TestHandOver(t *testing.T) {
	raj := userOf(second)
	for _, c := range []struct {
		name     string
		by       account.Actor
		from, to func() User
		code     domain.Code
	}{
		{"to a secondary user of the main office", primary, func() User { return userOf(primary) }, func() User { return raj }, ""},
		{"by a secondary user", second, func() User { return userOf(second) }, func() User { return raj }, account.ErrForbidden},
		{"by a branch's primary user", brPrim, func() User { return userOf(brPrim) }, func() User { return raj }, account.ErrForbidden},
		{"by another business's primary user", stranger, func() User { return userOf(stranger) }, func() User { return raj },
			account.ErrOtherOrganisation},
		{"by a former primary user (a stale session)", primary, func() User { u := userOf(primary); u.Role = account.EmployerSecondary; return u },
			func() User { return raj }, account.ErrForbidden},
		{"from an account not the actor's", primary, func() User { return userOf(second) }, func() User { return raj }, account.ErrForbidden},
		{"from an account the records do not hold", primary, func() User { return User{} }, func() User { return raj }, account.ErrForbidden},
		{"to oneself", primary, func() User { return userOf(primary) }, func() User { return userOf(primary) }, ErrHandOver},
		{"to a branch's primary user", primary, func() User { return userOf(primary) }, func() User { return userOf(brPrim) }, ErrHandOver},
		{"to a secondary user of a branch", primary, func() User { return userOf(primary) },
			func() User { u := raj; u.Unit = branchID; return u }, ErrHandOver},
		{"to a user whose access ended", primary, func() User { return userOf(primary) }, func() User { u := raj; u.Active = false; return u },
			ErrHandOver},
		{"to another business's user", primary, func() User { return userOf(primary) },
			func() User { u := userOf(stranger); u.Role = account.EmployerSecondary; return u }, ErrHandOver},
		{"to an account the records do not hold", primary, func() User { return userOf(primary) }, func() User { return User{} }, ErrHandOver},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := Business{ID: bizID, Status: Approved, Primary: primary.Account}
			from, to := c.from(), c.to()
			wasFrom, wasTo := from, to
			err := b.HandOver(c.by, &from, &to)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
			if err != nil {
				if from != wasFrom || to != wasTo || b.Primary != primary.Account {
					t.Fatal("a refused hand-over changed something")
				}
				return
			}
			if from.Role != account.EmployerSecondary || to.Role != account.EmployerPrimary || b.Primary != raj.Account {
				t.Fatalf("after the hand-over: %s %s %x", from.Role, to.Role, b.Primary[:1])
			}
		})
	}
}

func TestCanEndAccess(t *testing.T) {
	branchUser := User{Account: domain.ID{20}, Role: account.EmployerSecondary, Unit: branchID, Business: bizID, Active: true}
	officeUser := User{Account: domain.ID{21}, Role: account.EmployerSecondary, Unit: bizID, Business: bizID, Active: true}
	branchPrimary := userOf(brPrim)
	for _, c := range []struct {
		name string
		by   account.Actor
		user User
		code domain.Code
	}{
		{"the primary user ends a branch's secondary user's", primary, branchUser, ""},
		{"the primary user ends a main office secondary user's", primary, officeUser, ""},
		{"the primary user ends a branch primary user's", primary, branchPrimary, ""},
		{"a branch's primary user ends their branch's secondary user's", brPrim, branchUser, ""},
		{"a branch's primary user ends a main office user's", brPrim, officeUser, account.ErrForbidden},
		{"a branch's primary user ends another branch primary's", brPrim,
			User{Account: domain.ID{22}, Role: account.BranchPrimary, Unit: branchID, Business: bizID}, account.ErrForbidden},
		{"a secondary user ends anyone's", second, officeUser, account.ErrForbidden},
		{"another business's primary user", stranger, branchUser, account.ErrForbidden},
		{"a user of no business the records hold", primary, User{Account: domain.ID{23}, Role: account.EmployerSecondary, Unit: bizID},
			account.ErrForbidden},
		{"the primary user's own", primary, userOf(primary), account.ErrForbidden},
		{"a signatory", primary, User{Account: domain.ID{24}, Role: account.Signatory, Unit: bizID, Business: bizID}, account.ErrForbidden},
		{"a program officer", officer, officeUser, account.ErrForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CanEndAccess(c.by, c.user)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Fatalf("%v, want %q", err, c.code)
			}
		})
	}
}

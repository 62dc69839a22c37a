package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/translations"
)

// TestBranchUsersScreen: on one desk, a business approved by the program,
// a branch and two of its PINs: the first holder is the branch's primary
// user, the second its secondary user. The primary user's screen lists
// the secondary user with "end access" and "make primary user of the
// branch"; the secondary user's screen manages nobody. In both languages,
// in a 1024×768 window.
func TestBranchUsersScreen(t *testing.T) {
	e := freshDesk(t)
	st := e.Store
	qs := officerQuestions
	boss, _, err := st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "123 456 782", LegalName: "Les Serres Côté Inc."},
		account.Registration{UserID: "anna.k", Password: "a long password 1", GivenNames: "Anna", FamilyName: "Kowalski",
			Email: "anna@example.ca", AcceptTerms: true, Questions: qs})
	if err != nil {
		t.Fatal(err)
	}
	off, err := st.CreateProgramAccount(account.Registration{UserID: "officer", Password: "a long password 1",
		GivenNames: "Pat", FamilyName: "Ouellet", AcceptTerms: true, Questions: qs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DecideBusiness(off.Actor(), boss.Org, true, ""); err != nil {
		t.Fatal(err)
	}
	br, err := st.CreateBranch(boss.Actor(), "Guelph greenhouse", "Guelph")
	if err != nil {
		t.Fatal(err)
	}
	var roles []account.Role
	for _, p := range []struct{ user, given string }{{"bruno.g", "Bruno"}, {"cleo.r", "Cléo"}} {
		pin, _, err := st.IssuePIN(boss.Actor(), account.PINRequest{Role: account.BranchPrimary, Org: br.ID})
		if err != nil {
			t.Fatal(err)
		}
		a, err := st.Enrol(account.Enrolment{UserID: p.user, Password: "a long password 1", GivenNames: p.given,
			FamilyName: "Roy", PIN: pin, AcceptTerms: true, Questions: qs})
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, a.Role)
	}
	if roles[0] != account.BranchPrimary || roles[1] != account.BranchSecondary {
		t.Fatalf("roles by order of enrolment: %v", roles)
	}

	if err := e.SignIn("bruno.g", "a long password 1", testAnswer); err != nil {
		t.Fatal(err)
	}
	e.Window.Resize(smallest) // wrapped lines are as tall as a 1024 px window makes them
	e.Show(ScreenEmployer)
	v := e.view.(*employerView)
	if len(v.endAccess) != 1 || len(v.makePrimary) != 1 {
		t.Fatalf("the branch primary user's buttons: end %d, hand over %d", len(v.endAccess), len(v.makePrimary))
	}
	listed := false
	walkLabels(v.usersBox, func(s string) {
		listed = listed || strings.Contains(s, "Cléo Roy") && strings.Contains(s, "Branch secondary user")
	})
	if !listed {
		t.Fatal("the secondary user is not listed")
	}
	fitsUnderBar(t, "the branch's users (English)", v.usersBox)
	e.SetLang(translations.French)
	listed = false
	walkLabels(v.usersBox, func(s string) {
		listed = listed || strings.Contains(s, "Personne utilisatrice secondaire de la succursale") // the neutral wording, until they choose
	})
	if !listed {
		t.Fatal("the secondary user's role in French")
	}
	fitsUnderBar(t, "the branch's users (French)", v.usersBox)
	for _, b := range v.makePrimary {
		if !strings.Contains(b.Text, "succursale") {
			t.Fatalf("hand-over button: %q", b.Text)
		}
		test.Tap(b)
	}
	test.Tap(findButton(t, e, "Confirmer"))
	if e.Session != nil {
		t.Fatal("still signed in after handing the role over")
	}
	e.SetLang(translations.English)
	if err := e.SignIn("cleo.r", "a long password 1", testAnswer); err != nil {
		t.Fatal(err)
	}
	if e.Account.Role != account.BranchPrimary {
		t.Fatalf("Cléo after the hand-over: %s", e.Account.Role)
	}
	e.LogOut()
	if err := e.SignIn("bruno.g", "a long password 1", testAnswer); err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenEmployer)
	if v := e.view.(*employerView); v.usersBox != nil || len(v.endAccess) != 0 {
		t.Fatal("a branch's secondary user manages users")
	}
}

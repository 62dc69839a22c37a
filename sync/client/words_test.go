package client_test

import (
	"context"
	"testing"

	"dossier/domain/account"
)

// TestRoleFormTravels: the form a person's role is written in, in French,
// travels with the registration to the server, and a later change made on
// the person's desk reaches the server and their colleagues' desks, as
// every account field does.
func TestRoleFormTravels(t *testing.T) {
	f := newFixture(t)

	// A registration made offline carries the form chosen in it.
	d := newDesk(t, f.ts, "applicant")
	a, err := d.st.RegisterApplicant(account.Registration{UserID: "lea.app", Password: password, GivenNames: "Léa",
		FamilyName: "Tremblay", AcceptTerms: true, Questions: questions, Lang: "fr-CA", Form: account.FormFeminine})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, "lea.app", password); err != nil {
		t.Fatal(err)
	}
	d.by = a.Actor()
	d.sync()
	if on, err := f.ts.sv.Store().Account(a.ID); err != nil || on.Form != account.FormFeminine {
		t.Fatalf("the server's account of the registration: %+v %v", on.Form, err)
	}

	// The signatory changes theirs; the server and the DIR's desk follow.
	sig, err := f.sig.st.Account(f.sig.by.Account)
	if err != nil || sig.Form != account.FormNeutral {
		t.Fatalf("the signatory's form before: %q %v", sig.Form, err)
	}
	if _, err := f.sig.st.UpdateForm(f.sig.by, account.FormMasculine); err != nil {
		t.Fatal(err)
	}
	f.syncAll()
	if on, err := f.ts.sv.Store().Account(sig.ID); err != nil || on.Form != account.FormMasculine {
		t.Fatalf("the server's account of the signatory: %q %v", on.Form, err)
	}
	staff, err := f.dir.st.Staff(f.dir.by, f.school.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, s := range staff {
		if s.ID == sig.ID {
			seen = s.Form == account.FormMasculine
		}
	}
	if !seen {
		t.Errorf("the DIR's desk does not see the signatory's form: %+v", staff)
	}

	// A form that is none of the three is refused on the desk.
	if _, err := f.sig.st.UpdateForm(f.sig.by, "x"); err == nil {
		t.Error("an unknown form was accepted")
	}
}

package client_test

import (
	"context"
	"testing"

	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// applicant registers an OINP applicant on the desk (offline) and signs
// them in to the server, which receives the registration first.
func (d *desk) applicant(user string) {
	d.t.Helper()
	a, err := d.st.RegisterApplicant(account.Registration{UserID: user, Password: password, GivenNames: "Linh",
		FamilyName: "Nguyen", AcceptTerms: true, Questions: questions})
	if err != nil {
		d.t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, password); err != nil {
		d.t.Fatalf("%s: server sign-in: %v", d.name, err)
	}
	d.by = a.Actor()
}

// TestApplicationFollowsItsApplicant: an application prepared offline
// reaches the server and the applicant's other computer, edits come back,
// and nobody else receives it or may change it.
func TestApplicationFollowsItsApplicant(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	app := oinp.Application{LearnedFrom: "employer", Applicant: oinp.Applicant{FamilyName: "Nguyen", GivenNames: "Linh"}}
	if _, err := home.st.SaveApplication(home.by, app); err != nil {
		t.Fatal(err)
	}
	reg, err := home.st.RegisterApplication(home.by)
	if err != nil {
		t.Fatal(err)
	}
	home.sync()

	library := newDesk(t, ts, "library")
	if err := library.c.SignIn(context.Background(), [16]byte{}, "linh.nguyen", password); err != nil {
		t.Fatal(err)
	}
	library.signedIn("linh.nguyen")
	got, found, err := library.st.Application(library.by)
	if err != nil || !found || got.App.FileNumber != reg.App.FileNumber || got.App.LearnedFrom != "employer" {
		t.Fatalf("the other computer has %+v (found %v, %v)", got, found, err)
	}
	app = got.App
	app.LearnedFrom = "website"
	if _, err := library.st.SaveApplication(library.by, app); err != nil {
		t.Fatal(err)
	}
	library.sync()
	home.sync()
	back, _, _ := home.st.Application(home.by)
	if back.App.LearnedFrom != "website" || back.Version != got.Version+1 {
		t.Fatalf("home has %q v%d", back.App.LearnedFrom, back.Version)
	}

	// Another applicant receives nothing of it and cannot write it.
	other := newDesk(t, ts, "other")
	other.applicant("someone.else")
	other.sync()
	if _, found, _ := other.st.Application(other.by); found {
		t.Fatal("another applicant received the application")
	}
	forged := sync.Command{ID: [16]byte{9}, Kind: store.KindSaveApplication, Entity: home.by.Account, Actor: other.by.Account,
		Payload: []byte(`{"application":{"schema":1,"learnedFrom":"other"}}`)}
	answers, _, err := ts.sv.Push(other.by, []sync.Command{forged})
	if err != nil || len(answers) != 1 || answers[0].Outcome != sync.Rejected {
		t.Fatalf("a save of someone else's application: %+v %v", answers, err)
	}
	home.sync()
	if still, _, _ := home.st.Application(home.by); still.App.LearnedFrom != "website" {
		t.Fatalf("the forged save changed the application: %q", still.App.LearnedFrom)
	}
}

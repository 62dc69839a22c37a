package client_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store/applications"
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
	forged := sync.Command{ID: [16]byte{9}, Kind: applications.KindSaveApplication, Entity: home.by.Account, Actor: other.by.Account,
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

// TestLargeDocumentReachesTheServer: a 10 MB passport and a small résumé
// attached offline go up in pushes the server takes (the passport alone in
// its request), and the server keeps both contents for the applicant.
func TestLargeDocumentReachesTheServer(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	pdf := append([]byte("%PDF-1.7\n"), make([]byte, oinp.MaxPassportBytes-9)...)
	_, passport, err := home.st.AttachDocument(home.by, oinp.Document{Kind: "passport", Name: "passport.pdf"}, pdf)
	if err != nil {
		t.Fatal(err)
	}
	_, resume, err := home.st.AttachDocument(home.by, oinp.Document{Kind: "resume", Name: "cv.pdf"}, []byte("%PDF-1.4\ncv\n"))
	if err != nil {
		t.Fatal(err)
	}
	home.sync()
	if left, _ := home.st.PendingFor(home.by.Account, 10); len(left) != 0 {
		t.Fatalf("%d commands left", len(left))
	}
	got, err := ts.sv.Store().DocumentContent(home.by, passport.ID)
	if err != nil || len(got) != len(pdf) {
		t.Fatalf("server passport: %d bytes, %v", len(got), err)
	}
	if got, err := ts.sv.Store().DocumentContent(home.by, resume.ID); err != nil || string(got) != "%PDF-1.4\ncv\n" {
		t.Fatalf("server résumé: %q %v", got, err)
	}
}

// TestSubmissionLocksOnTheServer: an application submitted offline reaches
// the server submitted; a change made meanwhile on the applicant's other
// computer is refused there (the file is locked) and that computer gets
// the submitted file back.
func TestSubmissionLocksOnTheServer(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	home.sync()
	laptop := newDesk(t, ts, "laptop")
	if err := laptop.c.SignIn(context.Background(), [16]byte{}, "linh.nguyen", password); err != nil {
		t.Fatal(err)
	}
	laptop.signedIn("linh.nguyen")

	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	app, err := oinp.ReadFile(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	app.Applicant.GivenNames, app.Applicant.FamilyName = "Linh", "Nguyen"
	if _, err := home.st.SaveApplication(home.by, *app); err != nil {
		t.Fatal(err)
	}
	attachMandatory(t, home, app)
	if _, err := home.st.RegisterApplication(home.by); err != nil {
		t.Fatal(err)
	}
	card := oinp.Card{Number: "4111111111111111", Name: "Linh Nguyen", ExpMonth: 1, ExpYear: 2099, CVC: "123"}
	if _, err := home.st.SubmitApplication(home.by, card, oinp.FeeGTACents); err != nil {
		t.Fatal(err)
	}
	// Meanwhile, offline on the laptop, a change.
	if _, err := laptop.st.SaveApplication(laptop.by, oinp.Application{LearnedFrom: "other"}); err != nil {
		t.Fatal(err)
	}
	home.sync()
	laptop.sync()
	laptop.sync()
	got, _, _ := laptop.st.Application(laptop.by)
	if got.App.Submitted.IsZero() || got.App.LearnedFrom != app.LearnedFrom || got.App.Payment == nil || got.App.Payment.Last4 != "1111" {
		t.Fatalf("the laptop has %+v", got.App)
	}
	rej, _ := laptop.st.Rejections(laptop.by)
	if len(rej) != 1 || rej[0].Error == nil || rej[0].Error.Code != applications.ErrSubmitted {
		t.Fatalf("the laptop's change: %+v", rej)
	}
}

// TestRepresentative: a representative asks with the file number and the
// applicant's e-mail (a wrong pair is refused without saying more), the
// applicant authorises (one at a time), the representative fills what the
// applicant left empty but cannot change what they filled, and once
// cancelled the representative's computer no longer holds the file.
func TestRepresentative(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	app := oinp.Application{LearnedFrom: "employer", Contact: oinp.Contact{Email: "linh@example.ca"}}
	if _, err := home.st.SaveApplication(home.by, app); err != nil {
		t.Fatal(err)
	}
	reg, err := home.st.RegisterApplication(home.by)
	if err != nil {
		t.Fatal(err)
	}
	home.sync()

	rep := newDesk(t, ts, "rep")
	rep.representative("sam.rep", "sam@consult.example")
	if err := rep.st.RequestRepresentation(rep.by, string(reg.App.FileNumber), "someone@example.ca"); err != nil {
		t.Fatal(err)
	}
	if err := rep.st.RequestRepresentation(rep.by, string(reg.App.FileNumber), "LINH@example.ca"); err != nil {
		t.Fatal(err)
	}
	rep.sync()
	rej, _ := rep.st.Rejections(rep.by)
	if len(rej) != 1 || rej[0].Error.Code != applications.ErrRepNoMatch {
		t.Fatalf("rejections %+v", rej)
	}
	home.sync()
	got, _, _ := home.st.Application(home.by)
	if len(got.App.Representatives) != 1 || got.App.Representatives[0].Status != oinp.RepPending {
		t.Fatalf("the applicant sees %+v", got.App.Representatives)
	}
	if _, err := home.st.DecideRepresentation(home.by, rep.by.Account, true); err != nil {
		t.Fatal(err)
	}
	home.sync()
	rep.sync()
	clients, err := rep.st.ClientApplications(rep.by)
	if err != nil || len(clients) != 1 || clients[0].App.FileNumber != reg.App.FileNumber {
		t.Fatalf("clients %+v %v", clients, err)
	}
	form := clients[0].App
	form.LearnedFrom = "representative"
	if _, err := rep.st.SaveClientApplication(rep.by, home.by.Account, form); !errors.Is(err, applications.ErrRepReadOnly) {
		t.Fatalf("the representative changed the applicant's answer: %v", err)
	}
	form.LearnedFrom = "employer"
	form.Applicant.BirthPlace = "Huế"
	if _, err := rep.st.SaveClientApplication(rep.by, home.by.Account, form); err != nil {
		t.Fatal(err)
	}
	form.Applicant.BirthPlace = "Hue, Vietnam" // their own field: theirs to change
	if _, err := rep.st.SaveClientApplication(rep.by, home.by.Account, form); err != nil {
		t.Fatal(err)
	}
	// The representative attaches a document to the client's file.
	_, resume, err := rep.st.AttachDocumentFor(rep.by, home.by.Account, oinp.Document{Kind: "resume", Name: "cv.pdf"}, []byte("%PDF-1.4\ncv\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep.sync()
	home.sync()
	got, _, _ = home.st.Application(home.by)
	if got.App.Applicant.BirthPlace != "Hue, Vietnam" || len(got.App.Documents) != 1 || got.App.Documents[0].ID != resume.ID {
		t.Fatalf("the applicant sees %q and %+v", got.App.Applicant.BirthPlace, got.App.Documents)
	}
	if b, err := ts.sv.Store().DocumentContentFor(rep.by, home.by.Account, resume.ID); err != nil || string(b) != "%PDF-1.4\ncv\n" {
		t.Fatalf("the server has %q %v", b, err)
	}

	// A second representative waits: one acts at a time.
	other := newDesk(t, ts, "other")
	other.representative("kim.rep", "kim@law.example")
	other.st.RequestRepresentation(other.by, string(reg.App.FileNumber), "linh@example.ca")
	other.sync()
	home.sync()
	if _, err := home.st.DecideRepresentation(home.by, other.by.Account, true); !errors.Is(err, applications.ErrRepActive) {
		t.Fatalf("two representatives at once: %v", err)
	}
	if _, err := home.st.CancelRepresentation(home.by, rep.by.Account); err != nil {
		t.Fatal(err)
	}
	home.sync()
	rep.sync()
	if clients, _ := rep.st.ClientApplications(rep.by); len(clients) != 0 {
		t.Fatal("the cancelled representative still has the file")
	}
	if _, err := rep.st.ClientApplication(rep.by, home.by.Account); !errors.Is(err, applications.ErrNotRep) {
		t.Fatalf("read after cancel: %v", err)
	}
	// With none appointed, the representative's e-mail cannot be the applicant's.
	got, _, _ = home.st.Application(home.by)
	got.App.Contact.Email = "sam@consult.example"
	found := false
	for _, p := range oinp.ProblemsIn(oinp.Validate(&got.App, domain.DateOf(time.Now())), oinp.TabContact) {
		found = found || p.Err.Field == "contact.email" && p.Err.Code == oinp.ErrRepContact
	}
	if !found {
		t.Fatal("the representative's e-mail is accepted as the applicant's")
	}
}

// representative registers a representative on the desk and signs them
// in to the server.
func (d *desk) representative(user, email string) {
	d.t.Helper()
	a, err := d.st.RegisterRepresentative(account.Registration{UserID: user, Password: password, GivenNames: "Sam",
		FamilyName: "Rep", Email: email, AcceptTerms: true, Questions: questions})
	if err != nil {
		d.t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, password); err != nil {
		d.t.Fatalf("%s: server sign-in: %v", d.name, err)
	}
	d.by = a.Actor()
}

// attachMandatory attaches a file for every mandatory line of the
// application's checklist but the kinds skipped.
func attachMandatory(t *testing.T, d *desk, app *oinp.Application, skip ...string) {
	t.Helper()
	var photo bytes.Buffer
	png.Encode(&photo, image.NewGray(image.Rect(0, 0, 413, 531)))
	for _, r := range oinp.Checklist(app) {
		if !r.Mandatory || slices.Contains(skip, r.Kind) {
			continue
		}
		doc, content := oinp.Document{Kind: r.Kind, Person: r.Person, Name: r.Kind + ".pdf"}, []byte("%PDF-1.7\n")
		if r.Kind == "photo" {
			doc.Name, content = "photo.png", photo.Bytes()
		}
		if _, _, err := d.st.AttachDocument(d.by, doc, content); err != nil {
			t.Fatal(err)
		}
	}
}

// exampleApplication is assets/oinp/example-application.json, for the applicant Linh Nguyen.
func exampleApplication(t *testing.T) *oinp.Application {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	app, err := oinp.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

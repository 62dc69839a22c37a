package client_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
)

// The field-level merge of the forms people type into, against a real
// dossierd over TLS: an OINP application edited by its applicant and
// their representative offline, and an Employer Form edited by two users
// of one business.

func lineID(t *testing.T) domain.ID {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// signInAgain signs an existing account in on a new desk: the same
// person on another computer.
func signInAgain(t *testing.T, ts *testServer, name, user string) *desk {
	t.Helper()
	d := newDesk(t, ts, name)
	if err := d.c.SignIn(context.Background(), domain.ID{}, user, password); err != nil {
		t.Fatalf("%s: sign-in: %v", name, err)
	}
	d.signedIn(user)
	return d
}

// withRepresentative is an applicant's registered file and their active
// representative, both synced.
func withRepresentative(t *testing.T, ts *testServer, app oinp.Application) (home, rep *desk) {
	t.Helper()
	home = newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	app.Contact.Email = "linh@example.ca"
	if _, err := home.st.SaveApplication(home.by, app); err != nil {
		t.Fatal(err)
	}
	reg, err := home.st.RegisterApplication(home.by)
	if err != nil {
		t.Fatal(err)
	}
	home.sync()
	rep = newDesk(t, ts, "rep")
	rep.representative("sam.rep", "sam@consult.example")
	if err := rep.st.RequestRepresentation(rep.by, string(reg.App.FileNumber), "linh@example.ca"); err != nil {
		t.Fatal(err)
	}
	rep.sync()
	home.sync()
	if _, err := home.st.DecideRepresentation(home.by, rep.by.Account, true); err != nil {
		t.Fatal(err)
	}
	home.sync()
	rep.sync()
	return home, rep
}

func conflictOn(cs []store.ConflictRecord, field string) (store.ConflictRecord, bool) {
	for _, c := range cs {
		if c.Field == field {
			return c, true
		}
	}
	return store.ConflictRecord{}, false
}

func workIDs(a *oinp.Application) map[domain.ID]oinp.Work {
	out := map[domain.ID]oinp.Work{}
	for _, w := range a.Work {
		out[w.ID] = w
	}
	return out
}

// TestApplicationMergesFieldByField: the applicant and their
// representative edit the file offline. Different fields both survive,
// and lines each added to Work History are both kept; the field both
// filled keeps the applicant's answer (the representative fills only
// what the applicant left empty, §3.2.2), and the representative's value
// is kept and shown to both as the one replaced. A line the applicant
// removed while the representative corrected it stays: an edit beats a
// removal. Whichever desk syncs first, the outcome is the same.
func TestApplicationMergesFieldByField(t *testing.T) {
	for _, repFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "applicant first", true: "representative first"}[repFirst], func(t *testing.T) {
			applicationMerge(t, repFirst)
		})
	}
}

func applicationMerge(t *testing.T, repFirst bool) {
	ts := startServer(t)
	shared := lineID(t)
	home, rep := withRepresentative(t, ts, oinp.Application{LearnedFrom: "employer",
		Work: []oinp.Work{{ID: shared, Employer: "Ferme Côté", Title: "Picker"}}})

	// Offline, both.
	mine, _, err := home.st.Application(home.by)
	if err != nil {
		t.Fatal(err)
	}
	a := mine.App
	a.Contact.Phone = "613-555-0101"
	a.Applicant.Passport = "AB123456"
	homeLine := lineID(t)
	a.Work = []oinp.Work{{ID: homeLine, Employer: "Serres Laval", Title: "Grower"}} // the shared line removed
	if _, err := home.st.SaveApplication(home.by, a); err != nil {
		t.Fatal(err)
	}
	theirs, err := rep.st.ClientApplication(rep.by, home.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	r := theirs.App
	r.Applicant.BirthPlace = "Huế"
	r.Applicant.Passport = "AB654321"
	repLine := lineID(t)
	r.Work = append(r.Work, oinp.Work{ID: repLine, Employer: "Verger Nord", Title: "Supervisor"})
	r.Work[0].NOC = "85100" // on the line the applicant removed
	if _, err := rep.st.SaveClientApplication(rep.by, home.by.Account, r); err != nil {
		t.Fatal(err)
	}

	first, second := home, rep
	if repFirst {
		first, second = rep, home
	}
	first.sync()
	second.sync()
	first.sync()
	for _, d := range []*desk{home, rep} {
		if rj := d.rejections(t); len(rj) != 0 {
			t.Fatalf("%s: refused %+v", d.name, rj[0].Error)
		}
	}
	got, _, _ := home.st.Application(home.by)
	onRep, _ := rep.st.ClientApplication(rep.by, home.by.Account)
	for name, app := range map[string]*oinp.Application{"the applicant's desk": &got.App, "the representative's desk": &onRep.App} {
		if app.Contact.Phone != "613-555-0101" || app.Applicant.BirthPlace != "Huế" {
			t.Errorf("%s: phone %q, birthplace %q: an edit was lost", name, app.Contact.Phone, app.Applicant.BirthPlace)
		}
		if app.Applicant.Passport != "AB123456" {
			t.Errorf("%s: passport %q, want the applicant's", name, app.Applicant.Passport)
		}
		lines := workIDs(app)
		if len(lines) != 3 || lines[homeLine].Employer != "Serres Laval" || lines[repLine].Employer != "Verger Nord" {
			t.Errorf("%s: work %+v, want both new lines and the corrected one", name, app.Work)
		}
		if w := lines[shared]; w.NOC != "85100" || w.Employer != "Ferme Côté" {
			t.Errorf("%s: the corrected line is %+v", name, w)
		}
	}
	for _, d := range []*desk{home, rep} {
		cs, err := d.st.Conflicts(d.by)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := conflictOn(cs, "applicant.passportNumber")
		if !ok || fields.Text(c.Kept.Value) != "AB123456" || fields.Text(c.Lost.Value) != "AB654321" {
			t.Errorf("%s: the passport's conflict is %+v (of %d)", d.name, c, len(cs))
		}
		line, ok := conflictOn(cs, "work["+shared.String()+"]")
		if !ok || !line.Lost.Deleted || line.Kept.Deleted {
			t.Errorf("%s: the removed line's conflict is %+v", d.name, line)
		}
		if n, _ := d.st.Counts(d.by); n.Conflicts != 2 {
			t.Errorf("%s: %d conflicts counted, want 2", d.name, n.Conflicts)
		}
	}
}

// TestApplicationSameFieldTwoDesks: the applicant on two computers fills
// one field differently offline: the later change is kept, on both
// desks, and the earlier one is shown as replaced whichever desk syncs
// first.
func TestApplicationSameFieldTwoDesks(t *testing.T) {
	for _, laterFirst := range []bool{false, true} {
		ts := startServer(t)
		home := newDesk(t, ts, "home")
		home.applicant("linh.nguyen")
		if _, err := home.st.SaveApplication(home.by, oinp.Application{LearnedFrom: "employer"}); err != nil {
			t.Fatal(err)
		}
		home.sync()
		laptop := signInAgain(t, ts, "laptop", "linh.nguyen")
		save := func(d *desk, city string) {
			rec, _, err := d.st.Application(d.by)
			if err != nil {
				t.Fatal(err)
			}
			rec.App.Contact.Address.City = city
			if _, err := d.st.SaveApplication(d.by, rec.App); err != nil {
				t.Fatal(err)
			}
		}
		save(home, "Sudbury")
		time.Sleep(5 * time.Millisecond) // the laptop's change is the later one
		save(laptop, "Timmins")
		first, second := home, laptop
		if laterFirst {
			first, second = laptop, home
		}
		first.sync()
		second.sync()
		first.sync()
		for _, d := range []*desk{home, laptop} {
			rec, _, _ := d.st.Application(d.by)
			if rec.App.Contact.Address.City != "Timmins" {
				t.Errorf("later first %v, %s: city %q, want the later change", laterFirst, d.name, rec.App.Contact.Address.City)
			}
			cs, _ := d.st.Conflicts(d.by)
			c, ok := conflictOn(cs, "contact.residence.city")
			if !ok || fields.Text(c.Lost.Value) != "Sudbury" || fields.Text(c.Kept.Value) != "Timmins" {
				t.Errorf("later first %v, %s: conflict %+v", laterFirst, d.name, c)
			}
		}
	}
}

// TestEmployerFormMergesFieldByField: two users of one business edit the
// same Employer Form offline. Different fields both survive; the field
// both changed keeps the later change and shows the other to both.
func TestEmployerFormMergesFieldByField(t *testing.T) {
	ts := startServer(t)
	farm, _ := approvedBusiness(t, ts)
	pin, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: "Raj", FamilyName: "Patel"})
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	office := enrolWithPIN(t, ts, "office", "raj.p", pin, "Raj", "Patel")
	rec, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, exampleEmployerForm(t))
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	office.sync()

	form := func(d *desk) applications.EmployerFormRecord {
		forms, err := d.st.EmployerForms(d.by)
		if err != nil || len(forms) != 1 {
			t.Fatalf("%s: forms %d %v", d.name, len(forms), err)
		}
		return forms[0]
	}
	a := form(farm).Form
	a.Offer.Position = "Greenhouse supervisor"
	a.EmployeesTotal = 41
	if _, err := farm.st.SaveEmployerForm(farm.by, rec.ID, a); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	b := form(office).Form
	b.Offer.Position = "Head grower"
	b.Offer.ContactPerson = "Raj Patel"
	if _, err := office.st.SaveEmployerForm(office.by, rec.ID, b); err != nil {
		t.Fatal(err)
	}
	office.sync()
	farm.sync()
	office.sync()
	for _, d := range []*desk{farm, office} {
		if rj := d.rejections(t); len(rj) != 0 {
			t.Fatalf("%s: refused %+v", d.name, rj[0].Error)
		}
		got := form(d).Form
		if got.EmployeesTotal != 41 || got.Offer.ContactPerson != "Raj Patel" {
			t.Errorf("%s: employees %d, contact %q: an edit was lost", d.name, got.EmployeesTotal, got.Offer.ContactPerson)
		}
		if got.Offer.Position != "Head grower" {
			t.Errorf("%s: position %q, want the later change", d.name, got.Offer.Position)
		}
		cs, _ := d.st.Conflicts(d.by)
		c, ok := conflictOn(cs, "offer.position")
		if !ok || fields.Text(c.Lost.Value) != "Greenhouse supervisor" || c.Record != rec.ID {
			t.Errorf("%s: conflict %+v", d.name, c)
		}
	}
	// Nobody outside the business reads the form's conflicts.
	stranger := newDesk(t, ts, "stranger")
	stranger.applicant("someone.else")
	stranger.sync()
	if cs, _ := stranger.st.Conflicts(stranger.by); len(cs) != 0 {
		t.Errorf("an applicant reads the business's conflicts: %+v", cs)
	}
}

// TestOldDeskWholeFormSave: a desk of before field-level merge still
// sends the whole form (oinp.save). The server takes what it changed
// from the version it had; a field another desk changed meanwhile is not
// silently overwritten: one value is kept and the other shown.
func TestOldDeskWholeFormSave(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	first, err := home.st.SaveApplication(home.by, oinp.Application{LearnedFrom: "employer",
		Work: []oinp.Work{{Employer: "Ferme Côté"}}})
	if err != nil {
		t.Fatal(err)
	}
	home.sync()
	base := first.App
	// The new desk changes the city.
	rec, _, _ := home.st.Application(home.by)
	rec.App.Contact.Address.City = "Sudbury"
	if _, err := home.st.SaveApplication(home.by, rec.App); err != nil {
		t.Fatal(err)
	}
	home.sync()
	// The old desk saw version 1: it changes the phone and the city, and
	// its lines have no identity.
	old := base
	old.Work = []oinp.Work{{Employer: "Ferme Côté", Title: "Picker"}}
	old.Contact.Phone = "613-555-0101"
	old.Contact.Address.City = "Timmins"
	payload, _ := json.Marshal(applications.SaveApplicationPayload{App: old, At: time.Now()})
	cmd := newCommand(t, applications.KindSaveApplication, home.by.Account, home.by.Account, payload)
	cmd.BaseVersion, cmd.Device = 1, lineID(t)
	if code := pushRefused(t, ts, home.by, cmd); code != "" {
		t.Fatalf("the old desk's save refused: %s", code)
	}
	home.sync()
	got, _, _ := home.st.Application(home.by)
	if got.App.Contact.Phone != "613-555-0101" || len(got.App.Work) != 1 || got.App.Work[0].Title != "Picker" {
		t.Errorf("the old desk's changes: phone %q, work %+v", got.App.Contact.Phone, got.App.Work)
	}
	cs, _ := home.st.Conflicts(home.by)
	c, ok := conflictOn(cs, "contact.residence.city")
	if !ok || !(fields.Text(c.Kept.Value) == got.App.Contact.Address.City) ||
		fields.Text(c.Lost.Value) == fields.Text(c.Kept.Value) {
		t.Errorf("the city both changed: %q, conflict %+v", got.App.Contact.Address.City, c)
	}
}

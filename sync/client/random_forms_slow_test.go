//go:build slow

package client_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store/applications"
)

// TestRandomFormPartitions is TestRandomPartitions for the forms people
// type into: an applicant on two computers and their representative edit
// one OINP application, and two users of a business one Employer Form,
// between random partitions, app restarts and server restarts. Each desk
// has a field of its own and all share others; the applicant's computers
// add, correct and remove Work History lines. At the end every desk
// syncs: the desks of a form hold the server's copy exactly, each desk's
// own field holds its last value, and every line added and never removed
// is there — nothing typed is lost, whatever the order things arrived in.
// Slow: run with -tags slow (CI does).
func TestRandomFormPartitions(t *testing.T) {
	ts := startServer(t)
	home, rep := withRepresentative(t, ts, oinp.Application{LearnedFrom: "employer"})
	laptop := signInAgain(t, ts, "laptop", "linh.nguyen")
	farm, _ := approvedBusiness(t, ts)
	pin, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: "Raj", FamilyName: "Patel"})
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	office := enrolWithPIN(t, ts, "office", "raj.p", pin, "Raj", "Patel")
	formRec, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, exampleEmployerForm(t))
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	office.sync()
	users := map[*desk]string{home: "linh.nguyen", laptop: "linh.nguyen", rep: "sam.rep", farm: "anna.k", office: "raj.p"}
	applicants := []*desk{home, laptop}
	all := []*desk{home, laptop, rep, farm, office}

	rng := rand.New(rand.NewPCG(15, 6))
	total := 600
	if n, err := strconv.Atoi(os.Getenv("DOSSIER_RANDOM_COMMANDS")); err == nil {
		total = n / 3
	}
	own := map[*desk]string{}       // each desk's last value of its own field
	added := map[domain.ID]bool{}   // lines added
	removed := map[domain.ID]bool{} // lines someone removed
	offline := map[*desk]int{}
	ctx := context.Background()
	saves := 0
	start := time.Now()
	for step := 0; saves < total; step++ {
		d := all[rng.IntN(len(all))]
		text := d.name + " " + letters(step)
		switch x := rng.IntN(100); {
		case x < 3:
			offline[d] = 5 + rng.IntN(30)
		case x < 4:
			d.reopen()
			if err := d.c.SignIn(ctx, d.by.Account, users[d], password); err != nil {
				t.Fatal(err)
			}
		case x == 4:
			ts.restart()
		case d == farm || d == office:
			f := formOf(t, d)
			if rng.IntN(2) == 0 {
				f.Form.Offer.Municipality = text // shared
			} else if d == farm {
				f.Form.Offer.Position = text
			} else {
				f.Form.Offer.ContactPerson = text
			}
			if _, err := d.st.SaveEmployerForm(d.by, f.ID, f.Form); err != nil {
				t.Fatalf("%s: %v", d.name, err)
			}
			if f.Form.Offer.Municipality != text {
				own[d] = text
			}
			saves++
		case d == rep:
			rec, err := rep.st.ClientApplication(rep.by, home.by.Account)
			if err != nil {
				t.Fatal(err)
			}
			rec.App.Applicant.BirthPlace = text // the representative's own
			if _, err := rep.st.SaveClientApplication(rep.by, home.by.Account, rec.App); err != nil {
				t.Fatalf("rep: %v", err)
			}
			own[d] = text
			saves++
		default:
			rec, _, err := d.st.Application(d.by)
			if err != nil {
				t.Fatal(err)
			}
			a := &rec.App
			y := rng.IntN(6)
			switch {
			case y == 0:
				a.Contact.Address.City = text // shared by the applicant's computers
			case y == 1 && d == home:
				a.Contact.Phone = text
			case y == 1:
				a.Contact.AltPhone = text
			case y == 2 || len(a.Work) == 0:
				id := lineID(t)
				a.Work = append(a.Work, oinp.Work{ID: id, Employer: text})
				added[id] = true
			case y == 3:
				i := rng.IntN(len(a.Work))
				removed[a.Work[i].ID] = true
				a.Work = append(a.Work[:i:i], a.Work[i+1:]...)
			default:
				a.Work[rng.IntN(len(a.Work))].Title = text
			}
			if _, err := d.st.SaveApplication(d.by, *a); err != nil {
				t.Fatalf("%s: %v", d.name, err)
			}
			if y == 1 {
				own[d] = text
			}
			saves++
		}
		if offline[d] > 0 {
			offline[d]--
			continue
		}
		if rng.IntN(3) == 0 {
			d.c.Sync(ctx) // failures are retried at the end
		}
	}
	for round := 0; round < 3; round++ {
		for _, d := range all {
			if err := d.c.Sync(ctx); err != nil {
				t.Fatalf("%s final sync: %v", d.name, err)
			}
		}
	}
	conflicts := 0
	for _, d := range all {
		if n, _ := d.st.OutboxLen(); n != 0 {
			t.Fatalf("%s outbox %d", d.name, n)
		}
		if rj := d.rejections(t); len(rj) != 0 {
			t.Errorf("%s: %d refused, first %s", d.name, len(rj), rj[0].Error.Code)
		}
		n, _ := d.st.Counts(d.by)
		conflicts += n.Conflicts
	}

	// The application: every desk holds the server's copy.
	server, err := ts.sv.Store().ClientApplication(rep.by, home.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	want := appJSON(t, &server.App)
	for _, d := range applicants {
		rec, _, _ := d.st.Application(d.by)
		if got := appJSON(t, &rec.App); got != want {
			t.Fatalf("%s holds another application than the server's:\n%s\n%s", d.name, got, want)
		}
	}
	if onRep, _ := rep.st.ClientApplication(rep.by, home.by.Account); appJSON(t, &onRep.App) != want {
		t.Fatal("the representative holds another application than the server's")
	}
	a := server.App
	for d, v := range map[*desk]string{home: a.Contact.Phone, laptop: a.Contact.AltPhone, rep: a.Applicant.BirthPlace} {
		if own[d] != "" && v != own[d] {
			t.Errorf("%s's own field is %q, want its last value %q", d.name, v, own[d])
		}
	}
	lines := map[domain.ID]bool{}
	for _, w := range a.Work {
		lines[w.ID] = true
	}
	kept := 0
	for id := range added {
		if !removed[id] && !lines[id] {
			t.Errorf("line %s added and never removed is lost", id)
		}
		if lines[id] {
			kept++
		}
	}

	// The Employer Form: both users hold the server's copy.
	onFarm, onOffice := formOf(t, farm), formOf(t, office)
	if onFarm.Form != onOffice.Form || onFarm.ID != formRec.ID {
		t.Fatalf("the business's desks differ:\n%+v\n%+v", onFarm.Form, onOffice.Form)
	}
	if own[farm] != "" && onFarm.Form.Offer.Position != own[farm] || own[office] != "" && onFarm.Form.Offer.ContactPerson != own[office] {
		t.Errorf("an own field was lost: position %q (farm %q), contact %q (office %q)",
			onFarm.Form.Offer.Position, own[farm], onFarm.Form.Offer.ContactPerson, own[office])
	}
	t.Logf("%d saves in %v; %d lines added, %d kept; %d conflicts shown", saves, time.Since(start), len(added), kept, conflicts)
	if conflicts == 0 {
		t.Error("no conflict in the whole run: the shared fields were never changed at once")
	}
}

func formOf(t *testing.T, d *desk) applications.EmployerFormRecord {
	t.Helper()
	forms, err := d.st.EmployerForms(d.by)
	if err != nil || len(forms) != 1 {
		t.Fatalf("%s: %d forms %v", d.name, len(forms), err)
	}
	return forms[0]
}

func appJSON(t *testing.T, a *oinp.Application) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

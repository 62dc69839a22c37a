// Temporary: prepares desks against a running dossierd for screenshots.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync/client"
)

var qs = [account.QuestionCount]account.SecurityQuestion{
	{Question: "First school?", Answer: "answer one"}, {Question: "First pet?", Answer: "answer two"},
	{Question: "Street?", Answer: "answer three"}, {Question: "Book?", Answer: "answer four"}}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func desk(dir, url, fp string) (*store.Store, *client.Client) {
	os.MkdirAll(dir, 0o755)
	s, err := store.Create(filepath.Join(dir, store.ProfileFileName), "desk-pass-1", store.Options{})
	must(err)
	c, err := client.Connect(context.Background(), s, url, fp)
	must(err)
	return s, c
}

func main() {
	url, fp, dirPIN, root := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	ctx := context.Background()
	d1, c1 := desk(root+"/desk1", url, fp)
	must(c1.Enrol(ctx, account.Enrolment{UserID: "dir.roy", Password: "a long password 1", GivenNames: "Dominique",
		FamilyName: "Roy", PIN: dirPIN, AcceptTerms: true, Questions: qs}))
	_, dirAcct, err := d1.SignIn("dir.roy", "a long password 1")
	must(err)
	must(c1.Sync(ctx))
	sigPIN, _, err := d1.IssuePIN(dirAcct.Actor(), account.PINRequest{Role: account.Signatory, Org: dirAcct.Org})
	must(err)
	must(c1.Sync(ctx))

	d3, c3 := desk(root+"/desk3", url, fp)
	stu, err := d3.RegisterStudent(account.Registration{UserID: "elodie", Password: "a long password 1", GivenNames: "Élodie",
		FamilyName: "Côté", Email: "elodie@example.ca", AcceptTerms: true, Questions: qs})
	must(err)
	must(c3.SignIn(ctx, stu.ID, "elodie", "a long password 1"))
	must(c3.Sync(ctx))
	var reqs []ens.Request
	for i, fam := range []string{"Côté", "Côté-Tremblay", "Côté-Nguyen"} {
		r, err := d3.RaiseRequest(stu.Actor(), ens.Raise{Type: ens.EV, School: dirAcct.Org, Student: ens.Student{
			GivenNames: "Élodie", FamilyName: fam, BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
			ClientID: domain.ClientID(fmt.Sprintf("1234567%d", i)), Email: "elodie@example.ca"}})
		must(err)
		reqs = append(reqs, r)
	}
	must(c3.Sync(ctx))

	d2, c2 := desk(root+"/desk2", url, fp)
	must(c2.Enrol(ctx, account.Enrolment{UserID: "zoe.gagnon", Password: "a long password 1", GivenNames: "Zoé",
		FamilyName: "Gagnon", PIN: sigPIN, AcceptTerms: true, Questions: qs}))
	_, sigAcct, err := d2.SignIn("zoe.gagnon", "a long password 1")
	must(err)
	must(c2.Sync(ctx))
	must(c1.Sync(ctx))
	var all []ens.Draft
	_ = all
	met := &ens.Draft{}
	for _, c := range ens.Criteria {
		met.Checks[c] = ens.Met
	}
	// a race and a conflict
	_, err = d1.Act(dirAcct.Actor(), reqs[0].ID, ens.Action{Function: ens.Verify, Draft: met}, reqs[0].Version)
	must(err)
	_, err = d1.Act(dirAcct.Actor(), reqs[1].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Called the registrar"}}, reqs[1].Version)
	must(err)
	must(c1.Sync(ctx))
	_, err = d2.Act(sigAcct.Actor(), reqs[0].ID, ens.Action{Function: ens.Verify, Draft: met}, reqs[0].Version)
	must(err)
	_, err = d2.Act(sigAcct.Actor(), reqs[1].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Transcript received"}}, reqs[1].Version)
	must(err)
	must(c2.Sync(ctx))
	must(c1.Sync(ctx))
	st := c2.Status()
	fmt.Printf("sig status %+v\n", st)
	d1.Close()
	d2.Close()
	d3.Close()
}

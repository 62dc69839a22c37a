package client_test

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/compliance"
	"dossier/store/employers"
	"dossier/store/programs"
	"dossier/sync"
)

// A maker makes, on a desk, a new record of one kind — left in the desk's
// outbox — and returns its command re-aimed at id, with the way it reaches
// the server: anonymously (a sign-up) or pushed by a signed-in person.
type maker struct {
	name string
	make func(t *testing.T, n int, id domain.ID) (cmd sync.Command, by *account.Actor)
}

// outboxLast is the newest command of kind in st's outbox.
func outboxLast(t *testing.T, st programs.Desk, kind sync.Kind) sync.Command {
	t.Helper()
	out, err := st.Outbox(100000)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(out) - 1; i >= 0; i-- {
		if out[i].Command.Kind == kind {
			return out[i].Command
		}
	}
	t.Fatalf("no %s in the outbox", kind)
	return sync.Command{}
}

// rewrite rewrites the payload of cmd through edit.
func rewrite[P any](t *testing.T, cmd *sync.Command, edit func(*P)) {
	t.Helper()
	var p P
	if err := json.Unmarshal(cmd.Payload, &p); err != nil {
		t.Fatal(err)
	}
	edit(&p)
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Payload = raw
}

// feedSnapshot is every entry of the program's change feed (it reads
// all): kind and ID → version.
func feedSnapshot(t *testing.T, ts *testServer, by account.Actor) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	after := uint64(0)
	for {
		page, err := ts.sv.Changes(by, ts.sv.Epoch(), after, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Changes {
			out[string(c.Kind)+" "+c.ID.String()] = c.Version
		}
		after = page.Next
		if !page.More {
			return out
		}
	}
}

// visible is the set of record IDs by reads in the change feed.
func visible(t *testing.T, ts *testServer, by account.Actor) map[string]bool {
	t.Helper()
	page, err := ts.sv.Changes(by, ts.sv.Epoch(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, c := range page.Changes {
		out[string(c.Kind)+" "+c.ID.String()] = true
	}
	return out
}

// TestNoIDNamesTwoRecords: a record of every kind a desk creates, made
// again with its ID aimed at every record the server holds (of every other
// kind and its own) and at a province's derived ID, is refused; afterwards
// no record has changed, none has left the feed, and each person reads
// exactly what they read before. (A compliance report's ID is derived
// from its school and year; before the report exists it names nothing,
// and one in 64 such IDs has the shape of a minted one. Records with
// derived IDs are filed in the feed by kind as well as ID, so an account
// that took such an ID first takes nothing from the report.)
func TestNoIDNamesTwoRecords(t *testing.T) {
	f := newFixture(t)
	ts := f.ts
	req := f.stu.raise(f.school.ID, 1)
	f.syncAll()
	farm, off := approvedBusiness(t, ts)
	br, err := farm.st.CreateBranch(farm.by, "Annexe", "Sudbury")
	if err != nil {
		t.Fatal(err)
	}
	form, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, oinp.EmployerForm{})
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	coord := coordinator(t, ts, "coord.on", "ON")
	chase, err := coord.st.ChaseSchool(coord.by, f.school.ID, 2026, "")
	if err != nil {
		t.Fatal(err)
	}
	coord.sync()
	_, pin, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.dir.sync()

	targets := map[string]domain.ID{
		"school": f.school.ID, "business": farm.by.Org, "branch": br.ID, "DIR": f.dir.by.Account,
		"signatory": f.sig.by.Account, "student": f.stu.by.Account, "employer": farm.by.Account,
		"officer": off.by.Account, "coordinator": coord.by.Account, "request": req.ID, "PIN": pin.ID,
		"employer form": form.ID, "chase": chase.ID, "province": store.ProvinceID("ON"),
	}
	people := map[string]account.Actor{"student": f.stu.by, "DIR": f.dir.by, "employer": farm.by, "coordinator": coord.by}
	before := feedSnapshot(t, ts, off.by)
	sees := map[string]map[string]bool{}
	for who, by := range people {
		sees[who] = visible(t, ts, by)
	}

	users := 0
	signUp := func(t *testing.T, register func(programs.Desk, account.Registration) error, kind sync.Kind, aim func(*sync.Command, domain.ID)) func(*testing.T, int, domain.ID) (sync.Command, *account.Actor) {
		return func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			users++
			d := newDesk(t, ts, fmt.Sprintf("signup%d", users))
			if err := register(d.st, account.Registration{UserID: fmt.Sprintf("eve.%d", users), Password: password,
				GivenNames: "Eve", FamilyName: "Mallory", AcceptTerms: true, Questions: questions}); err != nil {
				t.Fatal(err)
			}
			cmd := outboxLast(t, d.st, kind)
			aim(&cmd, id)
			return cmd, nil
		}
	}
	aimAccount := func(cmd *sync.Command, id domain.ID) {
		cmd.Entity, cmd.Actor = id, id
		rewrite(t, cmd, func(p *sync.EnrolPayload) { p.Account = id })
	}
	enrol := func(aimBusiness bool) func(programs.Desk, account.Registration) error {
		return func(st programs.Desk, r account.Registration) error {
			_, _, err := st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "987 654 324",
				LegalName: "Eve Holdings " + r.UserID}, r)
			return err
		}
	}
	makers := []maker{
		{"student sign-up", signUp(t, func(st programs.Desk, r account.Registration) error {
			_, err := st.RegisterStudent(r)
			return err
		}, store.KindRegister, aimAccount)},
		{"applicant sign-up", signUp(t, func(st programs.Desk, r account.Registration) error {
			_, err := st.RegisterApplicant(r)
			return err
		}, store.KindRegister, aimAccount)},
		{"employer enrolment (its account)", signUp(t, enrol(false), employers.KindEnrolBusiness, func(cmd *sync.Command, id domain.ID) {
			cmd.Entity, cmd.Actor = id, id
			rewrite(t, cmd, func(p *employers.EnrolBusinessPayload) { p.Account = id })
		})},
		{"employer enrolment (its business)", signUp(t, enrol(true), employers.KindEnrolBusiness, func(cmd *sync.Command, id domain.ID) {
			rewrite(t, cmd, func(p *employers.EnrolBusinessPayload) { p.Business = id })
		})},
		{"request", func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			f.stu.raise(f.school.ID, 100+n)
			cmd := outboxLast(t, f.stu.st, sync.KindRaiseRequest)
			cmd.Entity = id
			return cmd, &f.stu.by
		}},
		{"branch", func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			if _, err := farm.st.CreateBranch(farm.by, fmt.Sprintf("Annexe %d", n), "Sudbury"); err != nil {
				t.Fatal(err)
			}
			cmd := outboxLast(t, farm.st, employers.KindCreateBranch)
			cmd.Entity = id
			rewrite(t, &cmd, func(p *employers.BranchPayload) { p.Branch.ID = id })
			return cmd, &farm.by
		}},
		{"employer form", func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			if _, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, oinp.EmployerForm{}); err != nil {
				t.Fatal(err)
			}
			cmd := outboxLast(t, farm.st, applications.KindEditEmployerForm)
			cmd.Entity = id
			return cmd, &farm.by
		}},
		{"PIN", func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			if _, _, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID}); err != nil {
				t.Fatal(err)
			}
			cmd := outboxLast(t, f.dir.st, sync.KindIssuePIN)
			cmd.Entity = id
			rewrite(t, &cmd, func(p *sync.IssuePINPayload) { p.PIN.ID = id })
			return cmd, &f.dir.by
		}},
		{"school", func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			code, _ := ens.ParseSchoolCode(fmt.Sprintf("C%02d", n%100))
			if _, err := off.st.CreateInstitution(off.by, store.Institution{Name: fmt.Sprintf("École %d", n), Code: code,
				Province: "ON"}); err != nil {
				t.Fatal(err)
			}
			cmd := outboxLast(t, off.st, store.KindCreateInstitution)
			cmd.Entity = id
			return cmd, &off.by
		}},
		{"chase", func(t *testing.T, n int, id domain.ID) (sync.Command, *account.Actor) {
			if _, err := coord.st.ChaseSchool(coord.by, f.school.ID, 2026, fmt.Sprintf("rappel %d", n)); err != nil {
				t.Fatal(err)
			}
			cmd := outboxLast(t, coord.st, compliance.KindChaseSchool)
			cmd.Entity = id
			rewrite(t, &cmd, func(p *compliance.ComplianceChase) { p.ID = id })
			return cmd, &coord.by
		}},
	}
	n := 0
	for _, m := range makers {
		for what, id := range targets {
			if m.name == "employer form" && what == "employer form" {
				// Saving a form of one's own business under its ID is
				// its next version, not a new record.
				continue
			}
			n++
			cmd, by := m.make(t, n, id)
			cmd.ID, _ = domain.NewID(time.Now(), rand.Reader)
			var ans sync.Answer
			if by == nil {
				ans, err = ts.sv.Register(cmd, "")
			} else {
				var answers []sync.Answer
				answers, _, err = ts.sv.Push(*by, []sync.Command{cmd})
				if err == nil {
					ans = answers[0]
				}
			}
			if err != nil {
				t.Fatalf("%s aimed at the %s: %v", m.name, what, err)
			}
			if ans.Outcome != sync.Rejected {
				t.Errorf("%s aimed at the %s: %s", m.name, what, ans.Outcome)
				continue
			}
			if c := ans.Error.Code; c != store.ErrEntityExists && c != store.ErrIDNotMinted {
				t.Errorf("%s aimed at the %s: refused with %s", m.name, what, c)
			}
		}
	}
	after := feedSnapshot(t, ts, off.by)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: version %d before the attempts, %d after", k, v, after[k])
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s appeared in the feed", k)
		}
	}
	for who, by := range people {
		got := visible(t, ts, by)
		for k := range got {
			if !sees[who][k] {
				t.Errorf("the %s now reads %s", who, k)
			}
		}
		for k := range sees[who] {
			if !got[k] {
				t.Errorf("the %s no longer reads %s", who, k)
			}
		}
	}
}

package client_test

import (
	"crypto/rand"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/applications"
	"dossier/sync"
)

// everyone is a person of every role, each signed in on a desk of their
// own: the fixture's school (student, DIR, signatory), a second school's
// DIR, an approved business with a branch (its primary user, the branch's
// primary user, a secondary user), an applicant, a representative, a
// coordinator and a program officer.
type everyone struct {
	f      *fixture
	people map[account.Role]*desk
	farm   *desk
	other  *desk // the second school's DIR
}

func newEveryone(t *testing.T) *everyone {
	t.Helper()
	f := newFixture(t)
	ts := f.ts
	farm, off := approvedBusiness(t, ts)
	branch, err := farm.st.CreateBranch(farm.by, "Guelph greenhouse", "Guelph")
	if err != nil {
		t.Fatal(err)
	}
	branchPIN, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.BranchPrimary, Org: branch.ID})
	if err != nil {
		t.Fatal(err)
	}
	secondPIN, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.BranchPrimary, Org: branch.ID})
	if err != nil {
		t.Fatal(err)
	}
	userPIN, _, err := farm.st.IssuePIN(farm.by, account.PINRequest{Role: account.EmployerSecondary, Org: farm.by.Org,
		GivenNames: "Raj", FamilyName: "Patel"})
	if err != nil {
		t.Fatal(err)
	}
	farm.sync()
	app := newDesk(t, ts, "applicant")
	app.applicant("linh.nguyen")
	rep := newDesk(t, ts, "representative")
	rep.representative("sam.rep", "sam@example.ca")
	_, otherPIN := ts.school("B02", "Lakeview College")
	other := newDesk(t, ts, "dir.b")
	other.enrolDIR("dir.b", otherPIN)
	// The branch's first holder of a PIN is its primary user, the next
	// its secondary user.
	branchPrimary := enrolWithPIN(t, ts, "guelph", "bruno.g", branchPIN, "Bruno", "Gagné")
	branchSecondary := enrolWithPIN(t, ts, "guelph-2", "cleo.r", secondPIN, "Cléo", "Roy")
	branchSecondary.asTheServerHasIt()
	return &everyone{f: f, farm: farm, other: other, people: map[account.Role]*desk{
		account.Student: f.stu, account.DIR: f.dir, account.Signatory: f.sig,
		account.Coordinator: coordinator(t, ts, "coord.on", "ON"), account.Applicant: app, account.Representative: rep,
		account.EmployerPrimary: farm, account.BranchPrimary: branchPrimary, account.BranchSecondary: branchSecondary,
		account.EmployerSecondary: enrolWithPIN(t, ts, "office", "raj.p", userPIN, "Raj", "Patel"),
		account.ProgramOfficer:    off,
	}}
}

func newCommand(t *testing.T, kind sync.Kind, entity, actor domain.ID, payload []byte) sync.Command {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return sync.Command{ID: id, Kind: kind, Entity: entity, Actor: actor, HLC: sync.MakeHLC(time.Now(), 0),
		Payload: payload}
}

func newEntity(t *testing.T) domain.ID {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestEveryKindFromEveryRole sends every kind of command a program
// declares from a person of every role, and anonymously: the server
// refuses a role the declaration does not name (store.command.role)
// before any rule runs, and never a role it names; it refuses any
// command but a registration or an enrolment from someone without an
// account, and a registration or an enrolment pushed by someone signed in
// (store.register.only) — so that accounts are made only through the
// sign-up door and its limits.
func TestEveryKindFromEveryRole(t *testing.T) {
	e := newEveryone(t)
	ts := e.f.ts
	if len(store.CommandKinds) < 39 {
		t.Fatalf("%d kinds declared", len(store.CommandKinds))
	}
	for _, kind := range store.CommandKinds {
		spec, ok := store.CommandOf(kind)
		if !ok {
			t.Fatalf("%s listed but not declared", kind)
		}
		for _, role := range account.Roles {
			d := e.people[role]
			if d == nil || d.by.Role != role {
				t.Fatalf("no %s among the people", role)
			}
			cmd := newCommand(t, kind, newEntity(t), d.by.Account, []byte(`{}`))
			code := pushRefused(t, ts, d.by, cmd)
			switch {
			case spec.Anonymous:
				if code != store.ErrRegisterOnly {
					t.Errorf("%s pushed by a signed-in %s: %q, want %s", kind, role, code, store.ErrRegisterOnly)
				}
			case !spec.MayBeSentBy(role):
				if code != store.ErrNotSender {
					t.Errorf("%s from a %s: %q, want %s", kind, role, code, store.ErrNotSender)
				}
			case code == store.ErrNotSender:
				t.Errorf("%s from a %s, whom its declaration names: refused by the declaration", kind, role)
			}
		}
		// Without an account: only a command that makes one.
		cmd := newCommand(t, kind, newEntity(t), domain.ID{}, []byte(`{}`))
		cmd.Actor = cmd.Entity
		ans, err := ts.sv.Register(cmd, "")
		if !spec.Anonymous {
			if code := domain.ErrorCode(err); code != store.ErrRegisterOnly {
				t.Errorf("%s without an account: %+v %v, want %s", kind, ans, err, store.ErrRegisterOnly)
			}
		} else if err == nil && ans.Outcome == sync.Rejected && ans.Error.Code == store.ErrNotSender {
			t.Errorf("%s without an account: refused by the declaration", kind)
		}
	}
}

// TestTheRuleDecidesWithinARole: a role the declaration names is still
// refused by the rule when the record is not its own: a DIR of another
// school on a request, a student on another student's request, the
// users of another business on a business's Employer Form.
func TestTheRuleDecidesWithinARole(t *testing.T) {
	e := newEveryone(t)
	f, ts := e.f, e.f.ts
	req := f.raised(1)[0]
	// The real commands, made on the desks of the people they belong to.
	if _, err := f.dir.st.Act(f.dir.by, req.ID, ens.Action{Function: ens.Save, Draft: allMet()}, req.Version); err != nil {
		t.Fatal(err)
	}
	save := outboxLast(t, f.dir.st, sync.KindApplyFunction)
	form, err := e.farm.st.SaveEmployerForm(e.farm.by, domain.ID{}, exampleEmployerForm(t))
	if err != nil {
		t.Fatal(err)
	}
	formSave := outboxLast(t, e.farm.st, applications.KindEditEmployerForm)
	// The real ones reach the server first, and apply.
	for _, d := range []*desk{f.dir, e.farm} {
		d.sync()
		if n := len(d.rejections(t)); n != 0 {
			t.Errorf("%s: %d of the real commands refused", d.name, n)
		}
	}
	olga := newDesk(t, ts, "olga")
	if err := olga.enrolBusiness("olga.f", "111 111 118", "Ferme Olga Ltée"); err != nil {
		t.Fatal(err)
	}
	off := e.people[account.ProgramOfficer]
	off.sync()
	if _, err := off.st.DecideBusiness(off.by, olga.by.Org, true, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	olga.sync()
	stranger := newDesk(t, ts, "stranger")
	stranger.student("other.student", "Noé", "Gagnon")
	for _, c := range []struct {
		name string
		by   account.Actor
		cmd  sync.Command
		want []domain.Code
	}{
		{"the other school's DIR saves the request", e.other.by, save, []domain.Code{ens.ErrOtherSchool}},
		{"another student withdraws the request", stranger.by, withFunction(t, save, ens.Withdraw),
			[]domain.Code{ens.ErrNotYourRequest}},
		{"another business's primary user saves the form", olga.by, formSave,
			[]domain.Code{account.ErrOtherOrganisation}},
	} {
		cmd := c.cmd
		cmd.ID, cmd.Actor = newEntity(t), c.by.Account
		code := pushRefused(t, ts, c.by, cmd)
		ok := false
		for _, w := range c.want {
			ok = ok || code == w
		}
		if !ok {
			t.Errorf("%s: %q, want one of %v", c.name, code, c.want)
		}
	}
	// The records are as their owners left them.
	if got := f.dir.request(req.ID); got.Status != ens.InProgress {
		t.Errorf("the request is %s", got.Status)
	}
	e.farm.sync()
	forms, err := e.farm.st.EmployerForms(e.farm.by)
	if err != nil || len(forms) != 1 || forms[0].ID != form.ID || forms[0].Version != form.Version {
		t.Errorf("the business's forms: %+v %v", forms, err)
	}
}

// withFunction is cmd, an ens.apply, with function f instead.
func withFunction(t *testing.T, cmd sync.Command, f ens.Function) sync.Command {
	t.Helper()
	rewrite(t, &cmd, func(p *sync.ApplyPayload) {
		p.Action = ens.Action{Function: f}
		p.Changed = nil
	})
	return cmd
}

func (d *desk) rejections(t *testing.T) []store.Rejection {
	t.Helper()
	rs, err := d.st.Rejections(d.by)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

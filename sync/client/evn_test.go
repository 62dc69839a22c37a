package client_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// The issue's item 1: EVNs unique by construction across computers. The
// server gives each computer a staff member signs in on its own desk
// number, and a computer issues only from its own.

// signInOnline signs a person whose account this desk does not hold in
// to the server, as the sign-in screen does, then on the desk, and syncs.
func (d *desk) signInOnline(user string) {
	d.t.Helper()
	if err := d.c.SignIn(context.Background(), domain.ID{}, user, password); err != nil {
		d.t.Fatalf("%s: online sign-in: %v", d.name, err)
	}
	d.signedIn(user)
}

// deskNumber is the desk this computer issues its person's EVNs from.
func (d *desk) deskNumber() (store.DeskState, bool) {
	d.t.Helper()
	ds, ok, err := d.st.DeskOf(d.by)
	if err != nil {
		d.t.Fatal(err)
	}
	return ds, ok
}

// TestEVNsUniqueAcrossDevices is the property test: seven computers (a
// DIR on three and a signatory on two at one school, a DIR on two at
// another), and two more that people sign in on along the way,
// verify thousands of requests between random offline periods, app
// restarts and server restarts. Every EVN a computer shows is the one
// the server keeps: no two requests share one, and the server refuses
// (rolls back) none. Each computer issues from a number of its own.
func TestEVNsUniqueAcrossDevices(t *testing.T) {
	total := 2000
	if testing.Short() {
		total = 300
	}
	if n, err := strconv.Atoi(os.Getenv("DOSSIER_EVN_VERIFIES")); err == nil {
		total = n
	}
	// A fixed schedule, the same on every run; DOSSIER_EVN_SEED tries
	// others.
	seed := uint64(1015)
	if n, err := strconv.ParseUint(os.Getenv("DOSSIER_EVN_SEED"), 10, 64); err == nil {
		seed = n
	}
	t.Logf("seed %d (DOSSIER_EVN_SEED), %d verifications", seed, total)
	rng := rand.New(rand.NewPCG(seed, 15))
	ctx := context.Background()

	ts := startServer(t)
	inA, pinA := ts.school("A01", "Collège Boréal")
	inB, pinB := ts.school("B02", "Lakeview College")
	dirA1 := newDesk(t, ts, "dirA-first")
	dirA1.enrolDIR("dir.a", pinA)
	sigPIN, _, err := dirA1.st.IssuePIN(dirA1.by, account.PINRequest{Role: account.Signatory, Org: inA.ID})
	if err != nil {
		t.Fatal(err)
	}
	dirA1.sync()
	sigA1 := newDesk(t, ts, "sigA-first")
	sigA1.enrolDIR("sig.a", sigPIN)
	dirB1 := newDesk(t, ts, "dirB-first")
	dirB1.enrolDIR("dir.b", pinB)
	users := map[*desk]string{dirA1: "dir.a", sigA1: "sig.a", dirB1: "dir.b"}
	others := func(name, user string) *desk {
		d := newDesk(t, ts, name)
		d.signInOnline(user)
		users[d] = user
		return d
	}
	dirA2, dirA3, sigA2, dirB2 := others("dirA-second", "dir.a"), others("dirA-third", "dir.a"), others("sigA-second", "sig.a"), others("dirB-second", "dir.b")
	staff := map[domain.ID][]*desk{inA.ID: {dirA1, dirA2, dirA3, sigA1, sigA2}, inB.ID: {dirB1, dirB2}}
	devices := append(append([]*desk{}, staff[inA.ID]...), staff[inB.ID]...)

	// Each computer has a desk number of its own, of its school.
	numbers := map[ens.Desk]*desk{}
	for _, d := range devices {
		ds, ok := d.deskNumber()
		if !ok {
			t.Fatalf("%s has no desk number after signing in", d.name)
		}
		want, _ := ts.sv.Store().Institution(d.by.Org)
		if ds.School != want.Code {
			t.Fatalf("%s: desk of school %s, want %s", d.name, ds.School, want.Code)
		}
		if prev, dup := numbers[ds.Desk]; dup && prev.by.Org == d.by.Org {
			t.Fatalf("%s and %s share desk number %d", prev.name, d.name, ds.Desk)
		}
		numbers[ds.Desk] = d
	}

	// The students' requests, each given to one computer of its school
	// (two computers verifying one request is a race of the workflow,
	// another test's subject).
	stu := newDesk(t, ts, "student")
	stu.student("eleve1", "Élodie", "Côté")
	queue := map[*desk][]domain.ID{}
	for i := range total {
		school := inA.ID
		if i%3 == 2 {
			school = inB.ID
		}
		r := stu.raise(school, i)
		ds := staff[school]
		d := ds[rng.IntN(len(ds))]
		queue[d] = append(queue[d], r.ID)
	}
	stu.sync()
	for _, d := range devices {
		d.sync()
	}

	issued := map[ens.EVN]domain.ID{} // every EVN a computer showed, and its request
	readOut := map[domain.ID]ens.EVN{}
	by := map[domain.ID]*desk{}
	offline := map[*desk]int{}
	joined := 0
	left := total
	for left > 0 {
		d := devices[rng.IntN(len(devices))]
		switch x := rng.IntN(100); {
		case x < 8:
			offline[d] = 1 + rng.IntN(10) // this computer stops syncing for a while
		case x < 10:
			d.reopen() // the app restarts
			if err := d.c.SignIn(ctx, d.by.Account, users[d], password); err != nil {
				t.Fatalf("%s: sign-in after restart: %v", d.name, err)
			}
		case x == 10:
			ts.restart()
		}
		if joined < 2 && left <= total*(2-joined)/3 {
			// A third of the way, and two thirds: someone signs in on one
			// more computer, which takes over half of what another of
			// their school's computers had left.
			from := devices[rng.IntN(len(devices))]
			late := newDesk(t, ts, "late-"+letters(joined))
			late.signInOnline(users[from])
			users[late], joined = users[from], joined+1
			half := len(queue[from]) / 2
			queue[late], queue[from] = queue[from][half:], queue[from][:half]
			staff[from.by.Org] = append(staff[from.by.Org], late)
			devices = append(devices, late)
		}
		for range 1 + rng.IntN(15) {
			if len(queue[d]) == 0 {
				break
			}
			id := queue[d][0]
			queue[d] = queue[d][1:]
			r := d.request(id)
			next, err := d.st.Act(d.by, id, ens.Action{Function: ens.Verify, Draft: allMet()}, r.Version)
			if err != nil {
				t.Fatalf("%s: verify: %v", d.name, err)
			}
			if other, dup := issued[next.EVN]; dup {
				t.Fatalf("%s issued %s for %s; %s had it for %s", d.name, next.EVN, id, by[other].name, other)
			}
			issued[next.EVN], readOut[id], by[id] = id, next.EVN, d
			left--
		}
		if offline[d] > 0 {
			offline[d]--
			continue
		}
		d.sync()
	}
	for range 2 {
		for _, d := range devices {
			d.sync()
		}
	}

	// Nothing refused, nothing rolled back: the server keeps every EVN as
	// the computer showed it, and so does every computer of the school.
	deskOf := map[*desk]ens.Desk{}
	for _, d := range devices {
		rej, err := d.st.Rejections(d.by)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rej {
			t.Errorf("%s: the server refused %s on %s: %s", d.name, r.Kind, r.Entity, r.Error.Code)
		}
		if n, err := d.st.OutboxLen(); err != nil || n != 0 {
			t.Errorf("%s: %d commands left unsent (%v)", d.name, n, err)
		}
		ds, ok := d.deskNumber()
		if !ok {
			t.Fatalf("%s has no desk number", d.name)
		}
		for other, n := range deskOf {
			if n == ds.Desk && other.by.Org == d.by.Org {
				t.Fatalf("%s and %s share desk number %d", other.name, d.name, n)
			}
		}
		deskOf[d] = ds.Desk
	}
	for id, evn := range readOut {
		d := by[id]
		onServer, err := ts.sv.Request(d.by, id)
		if err != nil {
			t.Fatal(err)
		}
		if onServer.Status != ens.Verified || onServer.EVN != evn {
			t.Fatalf("%s showed %s for %s; the server has %s %q", d.name, evn, id, onServer.Status, onServer.EVN)
		}
		if _, desk, _ := evn.Parts(); desk != deskOf[d] {
			t.Fatalf("%s issued %s, not from its own desk %d", d.name, evn, deskOf[d])
		}
		for _, peer := range staff[onServer.School] {
			if got := peer.request(id); got.EVN != evn {
				t.Fatalf("%s holds %q for %s, the server %s", peer.name, got.EVN, id, evn)
			}
		}
	}
	t.Logf("%d computers, %d of them signed in along the way", len(devices), joined)
	if len(issued) != total {
		t.Fatalf("%d EVNs for %d verifications", len(issued), total)
	}
}

// TestDeviceWithoutDeskCannotIssue: a signatory enrols, with a PIN their
// DIR just issued, on the DIR's computer while the server cannot be
// reached. The computer has no desk number for them yet: their Verify is
// refused with a code of its own and changes nothing. Once they have
// signed in to the server and synced, they verify from a number of their
// own. A school with no desk number left still lets a new computer sign
// in, but it cannot issue, and the server audits why.
func TestDeviceWithoutDeskCannotIssue(t *testing.T) {
	f := newFixture(t)
	reqs := f.raised(2)
	dirDesk, _ := f.dir.deskNumber()
	code, _, err := f.dir.st.IssuePIN(f.dir.by, account.PINRequest{Role: account.Signatory, Org: f.school.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	// Offline from here: the enrolment stays on this computer.
	acct, err := f.dir.st.Enrol(account.Enrolment{UserID: "sig.b", Password: password, GivenNames: "Noor",
		FamilyName: "Haddad", PIN: code, AcceptTerms: true, Questions: questions})
	if err != nil {
		t.Fatal(err)
	}
	sig := acct.Actor()
	if _, ok, _ := f.dir.st.DeskOf(sig); ok {
		t.Fatal("the computer numbered a desk the server has not given")
	}
	before, _ := f.dir.st.OutboxLen()
	r := f.dir.request(reqs[0].ID)
	_, err = f.dir.st.Act(sig, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, r.Version)
	if domain.ErrorCode(err) != store.ErrNoDesk {
		t.Fatalf("verify without a desk number: %v, want %s", err, store.ErrNoDesk)
	}
	if after, _ := f.dir.st.OutboxLen(); after != before {
		t.Fatalf("the refused Verify queued %d commands", after-before)
	}
	if got := f.dir.request(r.ID); got.Status != ens.New || got.EVN != "" || got.Version != r.Version {
		t.Fatalf("the refused Verify changed the request: %+v", got)
	}

	// Online again: the signatory signs in to the server and syncs.
	if err := f.dir.c.SignIn(context.Background(), sig.Account, "sig.b", password); err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	ds, ok, err := f.dir.st.DeskOf(sig)
	if err != nil || !ok || ds.School != dirDesk.School || ds.Desk == dirDesk.Desk {
		t.Fatalf("the signatory's desk on this computer: %+v %v %v; the DIR's %+v", ds, ok, err, dirDesk)
	}
	next, err := f.dir.st.Act(sig, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, r.Version)
	if err != nil {
		t.Fatal(err)
	}
	if _, desk, _ := next.EVN.Parts(); desk != ds.Desk {
		t.Fatalf("EVN %s, not from desk %d", next.EVN, ds.Desk)
	}
	f.dir.sync()
	if rej, _ := f.dir.st.Rejections(sig); len(rej) != 0 {
		t.Fatalf("refused: %+v", rej[0].Error)
	}
	if got, _ := f.ts.sv.Request(f.dir.by, r.ID); got.EVN != next.EVN {
		t.Fatalf("the server has %q, the computer showed %s", got.EVN, next.EVN)
	}

	// A school with no desk number left: the program has given them all.
	err = f.ts.sv.Store().Update(func(tx *store.Tx) error {
		in, err := f.ts.sv.Store().InstitutionIn(tx, f.school.ID)
		if err != nil {
			return err
		}
		in.NextDIRDesk, in.NextSignatoryDesk = 32, ens.MaxDesk+1
		return f.ts.sv.Store().PutInstitution(tx, &in)
	})
	if err != nil {
		t.Fatal(err)
	}
	full := newDesk(t, f.ts, "dir-spare")
	full.signInOnline("dir.a")
	if _, ok := full.deskNumber(); ok {
		t.Fatal("a computer got a desk number the school does not have")
	}
	tr := full.request(reqs[1].ID)
	if _, err := full.st.Act(full.by, tr.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, tr.Version); domain.ErrorCode(err) != store.ErrNoDesk {
		t.Fatalf("verify on a computer of a full school: %v", err)
	}
	trail, _, err := f.ts.sv.AuditOf(account.Actor{Role: account.ProgramOfficer}, f.dir.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range trail {
		found = found || e.Action == "desk.exhausted"
	}
	if !found {
		t.Fatal("the server did not audit the computer it could not number")
	}
}

// TestDeskClaimingAnotherDevicesNumber is the attack: the DIR's second
// computer (or anyone holding its token) sends a Verify whose EVN is of the
// DIR's first computer's desk number — one that computer has not used yet,
// so the server has seen no such EVN. The server refuses it, whatever
// device the command says it was made on; a signatory's token cannot use
// the DIR's number either; a token of no device none at all. The genuine
// command of the second computer then goes through.
func TestDeskClaimingAnotherDevicesNumber(t *testing.T) {
	f := newFixture(t)
	reqs := f.raised(1)
	laptop := newDesk(t, f.ts, "dir-laptop")
	laptop.signInOnline("dir.a")
	first, _ := f.dir.deskNumber()
	own, _ := laptop.deskNumber()
	if own.Desk == first.Desk {
		t.Fatalf("two computers share desk %d", own.Desk)
	}

	r := laptop.request(reqs[0].ID)
	if _, err := laptop.st.Act(laptop.by, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, r.Version); err != nil {
		t.Fatal(err)
	}
	genuine := outboxLast(t, laptop.st, sync.KindApplyFunction)
	stolen, err := ens.IssueEVN(first.School, first.Desk, first.Next+5)
	if err != nil {
		t.Fatal(err)
	}
	forged := genuine
	rewrite(t, &forged, func(p *sync.ApplyPayload) { p.Action.EVN = stolen })

	push := func(tok string, cmd sync.Command, n byte) sync.Answer {
		t.Helper()
		cmd.ID = domain.ID{0xe5, 0xe5, n}
		var pr sync.PushResponse
		if code := rawCall(t, f.ts, "POST", "/v1/push", tok, sync.PushRequest{Commands: []sync.Command{cmd}}, &pr); code != 200 || len(pr.Answers) != 1 {
			t.Fatalf("push: HTTP %d", code)
		}
		return pr.Answers[0]
	}
	signIn := func(user string, device domain.ID) string {
		t.Helper()
		return rawSignIn(t, f.ts, sync.SignInRequest{UserID: user, Password: password, Device: device}).Access
	}
	laptopTok := signIn("dir.a", laptop.st.Device())
	claimsFirst := forged
	claimsFirst.Device = f.dir.st.Device() // says it was made on the first computer
	sig := forged
	sig.Actor = f.sig.by.Account
	for i, c := range []struct {
		what string
		tok  string
		cmd  sync.Command
	}{
		{"the laptop with the first computer's number", laptopTok, forged},
		{"the laptop saying it is the first computer", laptopTok, claimsFirst},
		{"a token of no computer", signIn("dir.a", domain.ID{}), forged},
		{"a signatory with the DIR's number", signIn("sig.a", f.sig.st.Device()), sig},
	} {
		ans := push(c.tok, c.cmd, byte(i))
		if ans.Outcome != sync.Rejected || ans.Error == nil || ans.Error.Code != sync.ErrNotYourDesk {
			t.Fatalf("%s: %+v, want refused with %s", c.what, ans, sync.ErrNotYourDesk)
		}
	}
	if got, _ := f.ts.sv.Request(f.dir.by, r.ID); got.Status != ens.New || got.EVN != "" {
		t.Fatalf("a forged Verify changed the request: %s %q", got.Status, got.EVN)
	}
	// The first computer's own number is still its own: the EVN the
	// attacker named is issued to nobody.
	if ds, _ := f.dir.deskNumber(); ds.Next != first.Next {
		t.Fatalf("the first computer's sequence moved: %d, was %d", ds.Next, first.Next)
	}

	laptop.sync()
	if rej, _ := laptop.st.Rejections(laptop.by); len(rej) != 0 {
		t.Fatalf("the laptop's own Verify was refused: %+v", rej[0].Error)
	}
	got, _ := f.ts.sv.Request(f.dir.by, r.ID)
	if _, desk, _ := got.EVN.Parts(); got.Status != ens.Verified || desk != own.Desk {
		t.Fatalf("after the genuine push: %s %q", got.Status, got.EVN)
	}
}

package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/compliance"
	"dossier/sync"
)

func schoolCode(t *testing.T, s string) ens.SchoolCode {
	t.Helper()
	c, err := ens.ParseSchoolCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestProgramDeskAddsASchoolAndItsDIREnrols: a program officer adds a
// school and issues its DIR a PIN on their desk; the server registers
// both and queues the DIR's letter (the sheet is on its way; not the
// PIN); the DIR enrols with the PIN on a desk of their own. A second PIN,
// withdrawn, enrols nobody; the DIR's access, ended, signs nobody in; the
// officer's desk shows the first PIN used.
func TestProgramDeskAddsASchoolAndItsDIREnrols(t *testing.T) {
	ts := startServer(t)
	off := officer(t, ts)
	in, err := off.st.CreateInstitution(off.by, store.Institution{Name: "Collège du Nord", Code: schoolCode(t, "4KX"),
		Province: "ON", TimeZone: "America/Toronto"})
	if err != nil {
		t.Fatal(err)
	}
	code, pin, err := off.st.IssuePIN(off.by, account.PINRequest{Role: account.DIR, Org: in.ID, GivenNames: "Dana",
		FamilyName: "Roy-dir", Email: "dana.roy@example.ca", Lang: "fr-CA"})
	if err != nil {
		t.Fatal(err)
	}
	code2, pin2, err := off.st.IssuePIN(off.by, account.PINRequest{Role: account.DIR, Org: in.ID, GivenNames: "Lee",
		FamilyName: "Wong"})
	if err != nil {
		t.Fatal(err)
	}
	off.sync()
	if rs := off.rejections(t); len(rs) != 0 {
		t.Fatalf("refused: %+v", rs[0].Error)
	}
	all, _ := ts.sv.Institutions()
	if len(all) != 1 || all[0].ID != in.ID || all[0].TimeZone != "America/Toronto" {
		t.Fatalf("the server's schools: %+v", all)
	}
	mail, err := ts.sv.Store().DueMail(time.Now().Add(time.Hour), 10)
	if err != nil || len(mail) != 1 {
		t.Fatalf("the server's letters: %+v %v", mail, err)
	}
	if m := mail[0]; m.To != "dana.roy@example.ca" || m.Lang != "fr-CA" || m.Kind != "pin.issued" ||
		strings.Contains(strings.Join(m.Args, " "), code) || m.Args[0] != "Collège du Nord" {
		t.Fatalf("the letter: %+v", m)
	}

	dir := newDesk(t, ts, "dir")
	dir.enrolDIR("dir.nord", code)
	if dir.by.Role != account.DIR || dir.by.Org != in.ID {
		t.Fatalf("the DIR: %+v", dir.by)
	}
	if _, err := off.st.RevokePIN(off.by, pin2.ID); err != nil {
		t.Fatal(err)
	}
	off.sync()
	late := newDesk(t, ts, "late")
	err = late.c.Enrol(context.Background(), account.Enrolment{UserID: "dir.late", Password: password, GivenNames: "Lee",
		FamilyName: "Wong", PIN: code2, AcceptTerms: true, Questions: questions})
	if !errors.Is(err, account.ErrPINRevoked) {
		t.Fatalf("enrolling with a withdrawn PIN: %v", err)
	}
	pins, err := off.st.PINsOf(off.by, in.ID)
	if err != nil || len(pins) != 2 {
		t.Fatalf("the officer's PINs: %+v %v", pins, err)
	}
	for _, p := range pins {
		if p.ID == pin.ID && p.Used.IsZero() || p.ID == pin2.ID && p.Revoked.IsZero() {
			t.Fatalf("the officer's desk: %+v", p)
		}
	}
	// A used PIN is not withdrawn, on the desk either.
	if _, err := off.st.RevokePIN(off.by, pin.ID); !errors.Is(err, account.ErrPINUsed) {
		t.Fatalf("withdrawing a used PIN on the desk: %v", err)
	}
	dirs, err := off.st.DIRsOf(off.by, in.ID)
	if err != nil || len(dirs) != 1 {
		t.Fatalf("the school's DIRs: %+v %v", dirs, err)
	}
	if err := off.st.RevokeUser(off.by, dirs[0].ID); err != nil {
		t.Fatal(err)
	}
	off.sync()
	if a, err := ts.sv.Store().Account(dirs[0].ID); err != nil || a.Revoked.IsZero() {
		t.Fatalf("the DIR's access on the server: %+v %v", a.Revoked, err)
	}
	if err := dir.c.SignIn(context.Background(), dir.by.Account, "dir.nord", password); err == nil {
		t.Fatal("the DIR whose access ended signed in to the server")
	}
}

// TestDuplicateSchoolCodeRacedFromTwoDesks: two officers add a school
// with the same code offline; the server registers the first to sync and
// refuses the second (store.school.code-taken), whose desk then holds the
// first one's school only.
func TestDuplicateSchoolCodeRacedFromTwoDesks(t *testing.T) {
	ts := startServer(t)
	a := officerNamed(t, ts, "officer.a", "Alex")
	b := officerNamed(t, ts, "officer.b", "Blair")
	ina, err := a.st.CreateInstitution(a.by, store.Institution{Name: "Collège A", Code: schoolCode(t, "7QZ"), Province: "ON"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.CreateInstitution(b.by, store.Institution{Name: "Collège B", Code: schoolCode(t, "7QZ"), Province: "QC"}); err != nil {
		t.Fatal(err)
	}
	a.sync()
	b.sync()
	rs := b.rejections(t)
	if len(rs) != 1 || rs[0].Error.Code != store.ErrSchoolCodeTaken {
		t.Fatalf("the second desk's refusals: %+v", rs)
	}
	b.sync()
	for _, d := range []*desk{a, b} {
		all, _ := d.st.Institutions()
		if len(all) != 1 || all[0].ID != ina.ID {
			t.Fatalf("%s's schools: %+v", d.name, all)
		}
	}
	if all, _ := ts.sv.Institutions(); len(all) != 1 || all[0].Name != "Collège A" {
		t.Fatalf("the server's schools: %+v", all)
	}
}

// TestProgramCommandsRefusedToACoordinator: a coordinator sends each of
// the program's commands (as an officer's desk made them, in their own
// name: a school, a DIR's PIN, its withdrawal, the settings, an officer's
// account, the end of someone's access); the server refuses each before
// its rule (store.command.role). The officer's own go through.
func TestProgramCommandsRefusedToACoordinator(t *testing.T) {
	ts := startServer(t)
	off := officer(t, ts)
	co := coordinator(t, ts, "coord.on", "ON")
	in, err := off.st.CreateInstitution(off.by, store.Institution{Name: "Collège du Nord", Code: schoolCode(t, "4KX"), Province: "ON"})
	if err != nil {
		t.Fatal(err)
	}
	_, pin, err := off.st.IssuePIN(off.by, account.PINRequest{Role: account.DIR, Org: in.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.RevokePIN(off.by, pin.ID); err != nil {
		t.Fatal(err)
	}
	if err := off.st.ProposeSettings(off.by, ens.Settings{ExpiryDays: 20}); err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.ProposeStaffAccount(off.by, account.Registration{UserID: "officer.two", Password: password,
		GivenNames: "Sam", FamilyName: "Tremblay", AcceptTerms: true, Questions: questions}, account.ProgramOfficer, ""); err != nil {
		t.Fatal(err)
	}
	out, err := off.st.Outbox(100)
	if err != nil || len(out) != 5 {
		t.Fatalf("the officer's outbox: %d %v", len(out), err)
	}
	cmds := []sync.Command{}
	for _, e := range out {
		cmds = append(cmds, e.Command)
	}
	cmds = append(cmds, forged(t, co.by, sync.KindRevoke, off.by.Account, sync.RevokePayload{Account: off.by.Account, At: time.Now()}))
	for _, cmd := range cmds {
		cmd.Actor = co.by.Account
		id, err := domain.NewID(time.Now(), ts.opt.Store.Rand)
		if err != nil {
			t.Fatal(err)
		}
		cmd.ID = id
		if got := pushRefused(t, ts, co.by, cmd); got != store.ErrNotSender {
			t.Errorf("a coordinator's %s: refused with %q", cmd.Kind, got)
		}
	}
	off.sync()
	if all, _ := ts.sv.Institutions(); len(all) != 1 {
		t.Fatalf("the server's schools: %+v", all)
	}
	if set, _ := ts.sv.Store().Settings(); set.ExpiryDays != 20 {
		t.Fatalf("the officer's settings did not reach the server: %+v", set)
	}
	two := newDesk(t, ts, "officer.two")
	if err := two.c.SignIn(context.Background(), domain.ID{}, "officer.two", password); err != nil {
		t.Fatalf("the officer the program added signs in: %v", err)
	}
}

// TestProvincialCompilationReachesTheProgram: the compilation Ontario's
// coordinator submits on their desk shows on the program officer's desk,
// with where each school stands.
func TestProvincialCompilationReachesTheProgram(t *testing.T) {
	ts := startServer(t)
	a, _ := ts.school("A01", "Collège Boréal")
	ts.school("B02", "Lakeview College")
	off := officer(t, ts)
	co := coordinator(t, ts, "coord.on", "ON")
	now := time.Now().UTC()
	if _, open := ens.ComplianceYearOf(now); !open {
		now = time.Date(now.Year()-1, time.October, 15, 12, 0, 0, 0, time.UTC)
	}
	year := now.Year()
	if _, err := ts.sv.PopulateCompliance(now); err != nil {
		t.Fatal(err)
	}
	co.sync()
	if _, err := co.st.ChaseSchool(co.by, a.ID, year, "Votre rapport, s’il vous plaît."); err != nil {
		t.Fatal(err)
	}
	if _, err := co.st.SubmitProvincialReport(co.by, year); err != nil {
		t.Fatal(err)
	}
	co.sync()
	if rs := co.rejections(t); len(rs) != 0 {
		t.Fatalf("the coordinator's refusals: %+v", rs[0].Error)
	}
	off.sync()
	got, err := off.st.ProvincialReports(off.by, year)
	if err != nil || len(got) != 1 || got[0].Province != "ON" || got[0].Missing != 2 || got[0].SubmittedBy != co.by.Account {
		t.Fatalf("the officer's compilations: %+v %v", got, err)
	}
	status, err := off.st.ReportingStatus(off.by, year)
	if err != nil || len(status) != 1 || status[0].Submitted.IsZero() || len(status[0].Schools) != 2 {
		t.Fatalf("the reporting status: %+v %v", status, err)
	}
	var chased compliance.SchoolCompliance
	for _, s := range status[0].Schools {
		if s.School == a.ID {
			chased = s
		}
	}
	if chased.Chased != 1 || chased.Reported() {
		t.Fatalf("the chased school: %+v", chased)
	}
	if _, err := co.st.ReportingStatus(co.by, year); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a coordinator read the program's reporting status: %v", err)
	}
}

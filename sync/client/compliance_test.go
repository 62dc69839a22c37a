package client_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/compliance"
	"dossier/sync"
)

// coordinator is a province's coordinator, made by dossierd's
// administrator and signed in on a desk of their own.
func coordinator(t *testing.T, ts *testServer, user, province string) *desk {
	t.Helper()
	if _, err := ts.sv.CreateCoordinatorAccount(account.Registration{UserID: user, Password: password, GivenNames: "Claude",
		FamilyName: "Tremblay", AcceptTerms: true, Questions: questions}, province); err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, ts, user)
	if err := d.c.SignIn(context.Background(), domain.ID{}, user, password); err != nil {
		t.Fatal(err)
	}
	d.signedIn(user)
	return d
}

// verify has the desk verify each request (every criterion met).
func (d *desk) verify(rs ...ens.Request) {
	d.t.Helper()
	for _, r := range rs {
		if _, err := d.st.Act(d.by, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, 0); err != nil {
			d.t.Fatalf("%s: verify: %v", d.name, err)
		}
	}
}

func requestIDs(rs []ens.Request) []domain.ID {
	out := make([]domain.ID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// forged is a command made by hand, as a modified desk could send it.
func forged(t *testing.T, by account.Actor, kind sync.Kind, entity domain.ID, payload any) sync.Command {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return sync.Command{ID: id, Kind: kind, Entity: entity, Actor: by.Account, Payload: raw}
}

// pushRefused pushes cmd to the server as by and returns the code of its
// refusal (empty when the server applied it).
func pushRefused(t *testing.T, ts *testServer, by account.Actor, cmd sync.Command) domain.Code {
	t.Helper()
	answers, _, err := ts.sv.Push(by, []sync.Command{cmd})
	if err != nil || len(answers) != 1 {
		t.Fatalf("push: %+v %v", answers, err)
	}
	if answers[0].Outcome != sync.Rejected {
		return ""
	}
	return answers[0].Error.Code
}

// feedKinds counts the kinds of record in by's whole change feed.
func feedKinds(t *testing.T, ts *testServer, by account.Actor) map[sync.EntityKind]int {
	t.Helper()
	page, err := ts.sv.Changes(by, ts.sv.Epoch(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[sync.EntityKind]int{}
	for _, c := range page.Changes {
		out[c.Kind]++
	}
	return out
}

// TestAnnualComplianceOverTheServer is annual compliance end to end, each
// person on their own computer: the server draws up the list (twice, and
// after a restart, with no one listed twice); a DIR who was offline gets
// it at the next sync, marks in bulk, is refused the submission while a
// student is unmarked, submits; the report is locked on the desk and on
// the server (a forged second submission, a forged mark, another school's
// DIR submitting for it); an amendment is appended and audited; a
// submission the server refuses (a student listed after the desk last
// synced) is undone on the desk with its reason; the coordinator of
// Ontario sees who reported, chases the other school (whose staff read
// the reminder), compiles totals equal to the schools' reports and
// submits them; the coordinator of Quebec, the other school's DIR and the
// student read none of it, on their desks or in their change feeds.
func TestAnnualComplianceOverTheServer(t *testing.T) {
	ts := startServer(t)
	a, pinA := ts.school("A01", "Collège Boréal")
	b, pinB := ts.school("A02", "Cambrian College")
	q, err := ts.sv.CreateInstitution(store.Institution{Name: "Cégep de Lévis", Code: 3, Province: "QC"})
	if err != nil {
		t.Fatal(err)
	}
	dirA := newDesk(t, ts, "dirA")
	dirA.enrolDIR("dir.a", pinA)
	dirB := newDesk(t, ts, "dirB")
	dirB.enrolDIR("dir.b", pinB)
	stu := newDesk(t, ts, "student")
	stu.student("eleve1", "Élodie", "Côté")
	var atA []ens.Request
	for i := range 3 {
		atA = append(atA, stu.raise(a.ID, i))
	}
	atB := stu.raise(b.ID, 10)
	stu.sync()
	dirA.sync()
	dirB.sync()
	dirA.verify(atA...)
	dirB.verify(atB)
	dirA.sync()
	dirB.sync()

	// The server draws up the list; DIR A is offline meanwhile.
	now := time.Now().UTC()
	if _, open := ens.ComplianceYearOf(now); !open {
		// Last year's list: the server takes no report of a list not drawn up.
		now = time.Date(now.Year()-1, time.October, 15, 12, 0, 0, 0, time.UTC)
	}
	year := now.Year()
	if n, err := ts.sv.PopulateCompliance(now); err != nil || n != 4 {
		t.Fatalf("population: %d %v", n, err)
	}
	if n, err := ts.sv.PopulateCompliance(now.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("second population: %d %v", n, err)
	}
	ts.restart()
	if n, err := ts.sv.PopulateCompliance(now.Add(2 * time.Hour)); err != nil || n != 0 {
		t.Fatalf("population after a restart: %d %v", n, err)
	}
	dirA.sync()
	list, err := dirA.st.ComplianceRequests(dirA.by, year)
	if err != nil || len(list) != 3 {
		t.Fatalf("DIR A's list after sync: %d %v", len(list), err)
	}

	// Marking in bulk; the submission waits for every student.
	if n, err := dirA.st.MarkCompliance(dirA.by, requestIDs(list[:2]), true, ""); err != nil || n != 2 {
		t.Fatalf("bulk mark: %d %v", n, err)
	}
	if _, err := dirA.st.SubmitComplianceReport(dirA.by, year); !errors.Is(err, ens.ErrComplianceUnmarked) {
		t.Fatalf("submitted with a student unmarked: %v", err)
	}
	if _, err := dirA.st.MarkCompliance(dirA.by, requestIDs(list[2:]), false, "Left full-time studies"); err != nil {
		t.Fatal(err)
	}
	dirA.sync()
	if _, err := dirA.st.SubmitComplianceReport(dirA.by, year); err != nil {
		t.Fatal(err)
	}
	dirA.sync()
	if rej, _ := dirA.st.Rejections(dirA.by); len(rej) != 0 {
		t.Fatalf("rejections: %+v", rej[0].Error)
	}
	repID := compliance.ComplianceReportID(a.ID, year)
	srv, err := ts.sv.Store().ComplianceReport(account.SystemActor, a.ID, year)
	if err != nil || srv.ID != repID || srv.Eligible != 2 || srv.IneligibleCount != 1 {
		t.Fatalf("the server's report %+v %v", srv, err)
	}
	if r, _ := ts.sv.Request(account.SystemActor, list[0].ID); r.Status != ens.Reported {
		t.Fatalf("on the server the request is %v", r.Status)
	}

	// Locked: on the desk and on the server.
	if _, err := dirA.st.SubmitComplianceReport(dirA.by, year); !errors.Is(err, ens.ErrComplianceSubmitted) {
		t.Fatalf("the desk took a second submission: %v", err)
	}
	if _, err := dirA.st.MarkCompliance(dirA.by, requestIDs(list[:1]), false, "x"); !errors.Is(err, ens.ErrNotInStatus) {
		t.Fatalf("the desk re-marked a reported student: %v", err)
	}
	submit := compliance.ComplianceSubmitPayload{School: a.ID, Year: year}
	if code := pushRefused(t, ts, dirA.by, forged(t, dirA.by, compliance.KindSubmitComplianceReport, repID, submit)); code != ens.ErrComplianceSubmitted {
		t.Fatalf("the server took a second submission: %q", code)
	}
	mark := sync.ApplyPayload{Action: ens.Action{Function: ens.MarkIneligible, Reason: "x"}}
	if code := pushRefused(t, ts, dirA.by, forged(t, dirA.by, sync.KindApplyFunction, list[0].ID, mark)); code != ens.ErrNotInStatus {
		t.Fatalf("the server re-marked a reported student: %q", code)
	}
	report := sync.ApplyPayload{Action: ens.Action{Function: ens.Report}}
	if code := pushRefused(t, ts, dirB.by, forged(t, dirB.by, sync.KindApplyFunction, atB.ID, report)); code != ens.ErrReportThroughSubmit {
		t.Fatalf("the server reported one request alone: %q", code)
	}
	if code := pushRefused(t, ts, dirB.by, forged(t, dirB.by, compliance.KindAmendComplianceReport, repID,
		compliance.ComplianceAmendPayload{School: a.ID, Year: year, Reason: "x",
			Changes: []ens.EligibilityChange{{Request: list[0].ID, Reason: "x"}}})); code != account.ErrOtherOrganisation {
		t.Fatalf("another school's DIR amended A's report: %q", code)
	}

	// An amendment: appended, audited, the original kept.
	if _, err := dirA.st.AmendComplianceReport(dirA.by, year,
		[]ens.EligibilityChange{{Request: list[0].ID, Reason: "Withdrew in September"}}, "Registrar's correction"); err != nil {
		t.Fatal(err)
	}
	dirA.sync()
	srv, _ = ts.sv.Store().ComplianceReport(account.SystemActor, a.ID, year)
	if len(srv.Amendments) != 1 || srv.Eligible != 2 || srv.IneligibleCount != 1 || srv.Amendments[0].By != dirA.by.Account {
		t.Fatalf("the server's amended report %+v", srv)
	}
	audited := false
	ts.sv.Store().Audit(func(e store.AuditEntry) bool {
		audited = audited || e.Action == "sync."+string(compliance.KindAmendComplianceReport) && e.Entity == repID && e.Actor == dirA.by.Account
		return true
	})
	if !audited {
		t.Fatal("the server's audit trail lacks the amendment")
	}

	// School B submits offline, but the server listed a student since
	// B's desk last synced: refused there, undone on the desk.
	listB, _ := dirB.st.ComplianceRequests(dirB.by, year)
	if len(listB) != 0 {
		t.Fatalf("B's desk had the list before syncing: %d", len(listB))
	}
	dirB.sync()
	listB, _ = dirB.st.ComplianceRequests(dirB.by, year)
	if _, err := dirB.st.MarkCompliance(dirB.by, requestIDs(listB), true, ""); err != nil {
		t.Fatal(err)
	}
	dirB.sync()
	late := stu.raise(b.ID, 11)
	stu.sync()
	dirB.sync()
	dirB.verify(late)
	dirB.sync()
	if n, err := ts.sv.PopulateCompliance(now.Add(3 * time.Hour)); err != nil || n != 1 {
		t.Fatalf("population of a late student: %d %v", n, err)
	}
	if _, err := dirB.st.SubmitComplianceReport(dirB.by, year); err != nil {
		t.Fatal(err)
	}
	dirB.sync()
	rej, _ := dirB.st.Rejections(dirB.by)
	if len(rej) != 1 || rej[0].Kind != compliance.KindSubmitComplianceReport || rej[0].Error.Code != ens.ErrComplianceUnmarked {
		t.Fatalf("B's rejections %+v", rej)
	}
	if _, err := dirB.st.ComplianceReport(dirB.by, b.ID, year); !errors.Is(err, ens.ErrComplianceNotReported) {
		t.Fatalf("the refused report stayed on B's desk: %v", err)
	}
	listB, _ = dirB.st.ComplianceRequests(dirB.by, year)
	if len(listB) != 2 || listB[0].Status != ens.Eligible || listB[1].Status != ens.New {
		t.Fatalf("B's list after the refusal: %d %v", len(listB), listB)
	}

	// The coordinators.
	on := coordinator(t, ts, "coord.on", "ON")
	qc := coordinator(t, ts, "coord.qc", "QC")
	status, err := on.st.ComplianceStatus(on.by, year)
	if err != nil || len(status) != 2 || !status[1].Reported() || status[0].Reported() || status[0].School != b.ID {
		t.Fatalf("Ontario's status %+v %v", status, err)
	}
	if _, err := on.st.ChaseSchool(on.by, b.ID, year, "Please submit your report by 30 November."); err != nil {
		t.Fatal(err)
	}
	on.sync()
	dirB.sync()
	dirA.sync()
	if ch, _ := dirB.st.ComplianceChases(dirB.by, year); len(ch) != 1 || ch[0].Note != "Please submit your report by 30 November." {
		t.Fatalf("B's staff read %+v", ch)
	}
	if ch, _ := dirA.st.ComplianceChases(dirA.by, year); len(ch) != 0 {
		t.Fatalf("A's staff read B's reminder: %+v", ch)
	}
	if _, err := dirB.st.MarkCompliance(dirB.by, requestIDs(listB[1:]), false, "Exchange student"); err != nil {
		t.Fatal(err)
	}
	if _, err := dirB.st.SubmitComplianceReport(dirB.by, year); err != nil {
		t.Fatal(err)
	}
	dirB.sync()
	on.sync()
	pc, err := on.st.CompileProvince(on.by, year)
	if err != nil {
		t.Fatal(err)
	}
	reports, _ := on.st.ComplianceReports(on.by, year)
	sumE, sumI := 0, 0
	for _, r := range reports {
		_, e, i := r.Current()
		sumE, sumI = sumE+e, sumI+i
	}
	if len(reports) != 2 || pc.Reported != 2 || pc.Missing != 0 || pc.Eligible != sumE || pc.Ineligible != sumI ||
		sumE != 2 || sumI != 3 || pc.Schools[1].Ineligible != 2 || pc.Schools[1].Students[1].Request != list[0].ID {
		t.Fatalf("compilation %+v, reports %d/%d", pc, sumE, sumI)
	}
	if _, err := on.st.SubmitProvincialReport(on.by, year); err != nil {
		t.Fatal(err)
	}
	on.sync()
	if got, _ := ts.sv.Store().ProvincialReports(account.SystemActor, year); len(got) != 1 || got[0].Ineligible != 3 {
		t.Fatalf("the program's provincial reports %+v", got)
	}

	// Nobody else reads any of it.
	qc.sync()
	if got, _ := qc.st.ComplianceReports(qc.by, year); len(got) != 0 {
		t.Fatalf("Quebec's coordinator reads %d reports", len(got))
	}
	if _, err := qc.st.ComplianceReport(qc.by, a.ID, year); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("Quebec's coordinator read A's report: %v", err)
	}
	if qpc, err := qc.st.CompileProvince(qc.by, year); err != nil || len(qpc.Schools) != 1 || qpc.Schools[0].School != q.ID || qpc.Reported != 0 {
		t.Fatalf("Quebec's compilation %+v %v", qpc, err)
	}
	if _, err := qc.st.ChaseSchool(qc.by, b.ID, year, ""); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("Quebec's coordinator chased an Ontario school: %v", err)
	}
	if _, err := dirB.st.ComplianceReport(dirB.by, a.ID, year); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("B's DIR read A's report: %v", err)
	}
	if got, _ := dirB.st.ComplianceReports(dirB.by, year); len(got) != 1 || got[0].School != b.ID {
		t.Fatalf("B's DIR lists %+v", got)
	}
	if _, err := stu.st.ComplianceReports(stu.by, year); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a student listed reports: %v", err)
	}
	if _, err := ts.sv.Request(qc.by, list[0].ID); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a coordinator read a student's request on the server: %v", err)
	}
	for _, c := range []struct {
		name                     string
		by                       account.Actor
		reports, chases, request int
	}{
		{"Quebec's coordinator", qc.by, 0, 0, 0},
		{"Ontario's coordinator", on.by, 2, 1, 0},
		{"B's DIR", dirB.by, 1, 1, 4},
		{"the student", stu.by, 0, 0, 5},
	} {
		k := feedKinds(t, ts, c.by)
		if k[sync.EntityComplianceReport] != c.reports || k[sync.EntityComplianceChase] != c.chases || k[sync.EntityRequest] != c.request ||
			c.by.Role != account.Coordinator && k[sync.EntityProvincialReport] != 0 {
			t.Errorf("%s's feed: %v", c.name, k)
		}
	}
}

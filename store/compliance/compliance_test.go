package compliance

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/requests"
	"dossier/store/requests/requeststest"
	"dossier/store/storetest"
	"dossier/sync"
)

func mustCoordinator(tb testing.TB, s Store, user, province string) account.Actor {
	tb.Helper()
	a, err := s.CreateCoordinatorAccount(account.Registration{UserID: user, Password: "password 12345",
		GivenNames: "Claude", FamilyName: "Tremblay", AcceptTerms: true, Questions: storetest.Questions}, province)
	if err != nil {
		tb.Fatal(err)
	}
	return a.Actor()
}

// TestPopulateCompliance: nothing before 15 October; then one AC request
// per active verification (not a rejected one, not one moved elsewhere),
// walked in many batches; a second run, or one after a restart, raises
// nothing; a school that has reported gets no one new.
func TestPopulateCompliance(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := On(sv.Store())
	a := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 1)
	b := storetest.MustSchool(t, s.Engine(), "Cambrian College", 2)
	evns := map[domain.ClientID]ens.EVN{}
	for n := range 7 {
		r := requeststest.Verified(t, s.Engine(), a, n)
		evns[r.Student.ClientID] = r.EVN
	}
	requeststest.Verified(t, s.Engine(), b, 50)
	rej, err := s.RaiseRequest(storetest.Student(60), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(a.DIR, rej.ID, ens.Action{Function: ens.Reject, Reason: "Not identified"}, 0); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { populateBatch = n }(populateBatch)
	populateBatch = 3

	if n, err := sv.PopulateCompliance(time.Date(2026, 10, 14, 23, 0, 0, 0, time.UTC)); err != nil || n != 0 {
		t.Fatalf("before 15 October: %d %v", n, err)
	}
	day := time.Date(2026, 10, 15, 6, 0, 0, 0, time.UTC)
	if n, err := sv.PopulateCompliance(day); err != nil || n != 8 {
		t.Fatalf("first run: %d %v", n, err)
	}
	if n, err := sv.PopulateCompliance(day.Add(24 * time.Hour)); err != nil || n != 0 {
		t.Fatalf("second run: %d %v", n, err)
	}
	list, err := s.ComplianceRequests(a.DIR, 2026)
	if err != nil || len(list) != 7 {
		t.Fatalf("School A's list: %d %v", len(list), err)
	}
	for _, r := range list {
		if r.Type != ens.AC || r.Status != ens.New || r.ComplianceYear != 2026 || !r.StudentAccount.IsZero() ||
			r.EVN == "" || r.EVN != evns[r.Student.ClientID] {
			t.Fatalf("AC request %+v", r)
		}
	}
	// Each school reads its own list.
	if _, err := s.ComplianceRequests(b.DIR, 2026); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ComplianceRequests(b.DIR, 2026); len(got) != 1 {
		t.Fatalf("School B's list: %d", len(got))
	}

	// After a restart, still nothing new.
	dir := s.Path()
	sv.Close()
	sv2, err := store.OpenServer(dirOf(dir), store.ServerOptions{Store: storetest.Options(clock)})
	if err != nil {
		t.Fatal(err)
	}
	defer sv2.Close()
	if n, err := (Server{sv2}).PopulateCompliance(day.Add(48 * time.Hour)); err != nil || n != 0 {
		t.Fatalf("after a restart: %d %v", n, err)
	}
	s = On(sv2.Store())

	// School A reports; a student verified later joins B's list, not A's.
	clock.Set(day.Add(72 * time.Hour))
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list), true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SubmitComplianceReport(a.DIR, 2026); err != nil {
		t.Fatal(err)
	}
	requeststest.Verified(t, s.Engine(), a, 70)
	requeststest.Verified(t, s.Engine(), b, 71)
	if n, err := (Server{sv2}).PopulateCompliance(day.Add(72 * time.Hour)); err != nil || n != 1 {
		t.Fatalf("after A reported: %d %v", n, err)
	}
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i]
		}
	}
	return "."
}

// TestComplianceReport: marking in bulk (all or none), the submission
// refused while a student is unmarked and by anyone but the school's DIR,
// the report locked once submitted (marks, a second submission and the
// single Report function refused), an amendment appended and audited,
// and the readers: the school's staff, its province's coordinator and the
// program; nobody else.
func TestComplianceReport(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := On(sv.Store())
	a := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 1)
	b := storetest.MustSchool(t, s.Engine(), "Cambrian College", 2)
	qc, err := s.CreateInstitution(storetest.Officer, store.Institution{Name: "Cégep de Lévis", Code: 3, Province: "QC"})
	if err != nil {
		t.Fatal(err)
	}
	for n := range 3 {
		requeststest.Verified(t, s.Engine(), a, n)
	}
	requeststest.Verified(t, s.Engine(), b, 10)
	clock.Set(time.Date(2026, 10, 15, 8, 0, 0, 0, time.UTC))
	if _, err := sv.PopulateCompliance(clock.Now()); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ComplianceRequests(a.DIR, 2026)

	// Marking is all or none: B's DIR cannot mark A's students.
	if _, err := s.MarkCompliance(b.DIR, requeststest.IDs(list[:1]), true, ""); !errors.Is(err, ens.ErrOtherSchool) {
		t.Fatalf("another school's DIR marked: %v", err)
	}
	// The refusal names the student's request, for the list to show it
	// on their row.
	var row requests.RowError
	if _, err := s.MarkCompliance(b.DIR, requeststest.IDs(list[:1]), true, ""); !errors.As(err, &row) || row.ID != list[0].ID {
		t.Fatalf("the refusal does not name the request: %#v", err)
	}
	if n, err := s.MarkCompliance(a.Sign, requeststest.IDs(list[:2]), true, ""); err != nil || n != 2 {
		t.Fatalf("bulk mark: %d %v", n, err)
	}
	if _, err := s.SubmitComplianceReport(a.Sign, 2026); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a signatory submitted: %v", err)
	}
	if _, err := s.SubmitComplianceReport(a.DIR, 2026); !errors.Is(err, ens.ErrComplianceUnmarked) {
		t.Fatalf("submitted with a student unmarked: %v", err)
	}
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list[2:]), false, " "); !errors.Is(err, ens.ErrReasonRequired) {
		t.Fatalf("ineligible without a reason: %v", err)
	}
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list[2:]), false, "Left full-time studies"); err != nil {
		t.Fatal(err)
	}
	rep, err := s.SubmitComplianceReport(a.DIR, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Eligible != 2 || rep.IneligibleCount != 1 || len(rep.Ineligible) != 1 ||
		rep.Ineligible[0].Request != list[2].ID || rep.Ineligible[0].Reason != "Left full-time studies" ||
		rep.Ineligible[0].FamilyName != list[2].Student.FamilyName || rep.Province != "ON" {
		t.Fatalf("report %+v", rep)
	}
	for _, r := range list {
		if got, _ := s.Request(a.DIR, r.ID); got.Status != ens.Reported {
			t.Fatalf("after the submission %v", got.Status)
		}
	}
	// Locked.
	if _, err := s.SubmitComplianceReport(a.DIR, 2026); !errors.Is(err, ens.ErrComplianceSubmitted) {
		t.Fatalf("second submission: %v", err)
	}
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list[:1]), false, "x"); !errors.Is(err, ens.ErrNotInStatus) {
		t.Fatalf("a reported student re-marked: %v", err)
	}
	bl, _ := s.ComplianceRequests(b.DIR, 2026)
	if _, err := s.Act(b.DIR, bl[0].ID, ens.Action{Function: ens.MarkEligible}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(b.DIR, bl[0].ID, ens.Action{Function: ens.Report}, 0); !errors.Is(err, ens.ErrReportThroughSubmit) {
		t.Fatalf("one request reported alone: %v", err)
	}

	// An amendment is appended; the submitted lists stay.
	if _, err := s.AmendComplianceReport(a.DIR, 2026, []ens.EligibilityChange{{Request: list[0].ID, Eligible: true}},
		"Registrar's correction"); !errors.Is(err, ens.ErrAmendmentNoChange) {
		t.Fatalf("an amendment that changes nothing: %v", err)
	}
	if _, err := s.AmendComplianceReport(a.DIR, 2026, []ens.EligibilityChange{{Request: bl[0].ID, Eligible: true}},
		"Registrar's correction"); !errors.Is(err, ens.ErrAmendmentStudent) {
		t.Fatalf("an amendment about another school's student: %v", err)
	}
	if _, err := s.AmendComplianceReport(b.DIR, 2026, []ens.EligibilityChange{{Request: list[0].ID}}, "x"); !errors.Is(err, ens.ErrComplianceNotReported) {
		t.Fatalf("B amended a report it has not submitted: %v", err)
	}
	clock.Add(time.Hour)
	amended, err := s.AmendComplianceReport(a.DIR, 2026, []ens.EligibilityChange{
		{Request: list[0].ID, Reason: "Withdrew in September"}, {Request: list[2].ID, Eligible: true}},
		"Registrar's correction")
	if err != nil {
		t.Fatal(err)
	}
	if amended.Eligible != 2 || amended.IneligibleCount != 1 || len(amended.Amendments) != 1 ||
		amended.Amendments[0].By != a.DIR.Account || amended.Amendments[0].Number != 1 || !amended.Amendments[0].At.Equal(clock.Now()) {
		t.Fatalf("amended %+v", amended)
	}
	cur, eligible, ineligible := amended.Current()
	if eligible != 2 || ineligible != 1 || cur[0].Request != list[0].ID || cur[0].Reason != "Withdrew in September" {
		t.Fatalf("current %+v %d %d", cur, eligible, ineligible)
	}
	audited := false
	s.Audit(func(e store.AuditEntry) bool {
		audited = audited || e.Action == "compliance.amend" && e.Actor == a.DIR.Account && e.Entity == amended.ID
		return true
	})
	if !audited {
		t.Fatal("the amendment is not in the audit trail")
	}

	// Readers.
	on := mustCoordinator(t, s, "coord.on", "ON")
	qcc := mustCoordinator(t, s, "coord.qc", "QC")
	if on.Org != store.ProvinceID("ON") || on.Role != account.Coordinator {
		t.Fatalf("coordinator %+v", on)
	}
	for _, c := range []struct {
		name string
		by   account.Actor
		want error
	}{
		{"its DIR", a.DIR, nil}, {"its signatory", a.Sign, nil}, {"its coordinator", on, nil}, {"the program", storetest.Officer, nil},
		{"another school's DIR", b.DIR, account.ErrOtherOrganisation},
		{"another province's coordinator", qcc, account.ErrOtherOrganisation},
		{"a student", storetest.Student(1), account.ErrForbidden},
	} {
		_, err := s.ComplianceReport(c.by, a.Inst.ID, 2026)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s reads A's report: %v", c.name, err)
		}
		all, _ := s.ComplianceReports(c.by, 2026)
		if (len(all) == 1) != (c.want == nil) {
			t.Errorf("%s lists %d reports", c.name, len(all))
		}
	}
	if _, err := s.Request(on, list[0].ID); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a coordinator read a student's request: %v", err)
	}

	// Chasing: the province's schools that have not reported.
	if _, err := s.ChaseSchool(on, b.Inst.ID, 2026, "Please submit by 30 November."); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChaseSchool(on, a.Inst.ID, 2026, ""); !errors.Is(err, ens.ErrComplianceSubmitted) {
		t.Fatalf("chased a school that reported: %v", err)
	}
	if _, err := s.ChaseSchool(qcc, b.Inst.ID, 2026, ""); !errors.Is(err, account.ErrOtherOrganisation) {
		t.Fatalf("chased another province's school: %v", err)
	}
	if _, err := s.ChaseSchool(b.DIR, b.Inst.ID, 2026, ""); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a DIR chased: %v", err)
	}
	if got, _ := s.ComplianceChases(b.DIR, 2026); len(got) != 1 || got[0].Note != "Please submit by 30 November." {
		t.Fatalf("B's staff read %+v", got)
	}
	if got, _ := s.ComplianceChases(a.DIR, 2026); len(got) != 0 {
		t.Fatalf("A's staff read B's reminder: %+v", got)
	}

	// The compilation adds up the reports, amendments applied.
	pc, err := s.CompileProvince(on, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Province != "ON" || len(pc.Schools) != 2 || pc.Reported != 1 || pc.Missing != 1 || pc.Eligible != 2 || pc.Ineligible != 1 {
		t.Fatalf("compilation %+v", pc)
	}
	sumE, sumI := 0, 0
	for _, sc := range pc.Schools {
		sumE, sumI = sumE+sc.Eligible, sumI+sc.Ineligible
		if sc.School == b.Inst.ID && (sc.Reported() || sc.Chased != 1) {
			t.Fatalf("B in the compilation %+v", sc)
		}
		if sc.School == a.Inst.ID && (len(sc.Students) != 1 || sc.Students[0].Request != list[0].ID) {
			t.Fatalf("A in the compilation %+v", sc)
		}
	}
	if sumE != pc.Eligible || sumI != pc.Ineligible {
		t.Fatalf("totals %d/%d, schools %d/%d", pc.Eligible, pc.Ineligible, sumE, sumI)
	}
	qpc, err := s.CompileProvince(qcc, 2026)
	if err != nil || len(qpc.Schools) != 1 || qpc.Schools[0].School != qc.ID {
		t.Fatalf("QC's compilation %+v %v", qpc, err)
	}
	if _, err := s.CompileProvince(a.DIR, 2026); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("a DIR compiled: %v", err)
	}
	sub, err := s.SubmitProvincialReport(on, 2026)
	if err != nil || sub.Submitted.IsZero() || sub.Ineligible != 1 {
		t.Fatalf("provincial submission %+v %v", sub, err)
	}
	if _, err := s.SubmitProvincialReport(on, 2026); !errors.Is(err, ErrProvinceSubmitted) {
		t.Fatalf("second provincial submission: %v", err)
	}

	// The change feed: the coordinator of QC reads nothing of Ontario's,
	// the coordinator of ON no student's request.
	for _, c := range []struct {
		by      account.Actor
		reports int
	}{{on, 1}, {qcc, 0}, {b.DIR, 0}} {
		page, err := sv.Changes(c.by, sv.Epoch(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		reports := 0
		for _, ch := range page.Changes {
			switch ch.Kind {
			case sync.EntityComplianceReport:
				reports++
			case sync.EntityRequest:
				if c.by.Role == account.Coordinator {
					t.Fatalf("a coordinator's feed holds a request")
				}
			case sync.EntityComplianceChase:
				if c.by == qcc {
					t.Fatalf("QC's feed holds ON's reminder")
				}
			}
		}
		if reports != c.reports {
			t.Fatalf("%v reads %d reports", c.by.Role, reports)
		}
	}
}

// TestComplianceBeforeTheList: before 15 October, a school's report, a
// reminder and a province's compilation for the year are refused, and
// nothing of them is recorded: the list is drawn up that day as if none
// had been tried, and the report is then taken.
func TestComplianceBeforeTheList(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 14, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := On(sv.Store())
	a := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 1)
	requeststest.Verified(t, s.Engine(), a, 1)
	on := mustCoordinator(t, s, "coord.on", "ON")
	for _, c := range []struct {
		name string
		try  func() error
	}{
		{"this year's report", func() error { _, err := s.SubmitComplianceReport(a.DIR, 2026); return err }},
		{"next year's report", func() error { _, err := s.SubmitComplianceReport(a.DIR, 2027); return err }},
		{"a reminder", func() error { _, err := s.ChaseSchool(on, a.Inst.ID, 2026, ""); return err }},
		{"the compilation", func() error { _, err := s.SubmitProvincialReport(on, 2026); return err }},
	} {
		if err := c.try(); !errors.Is(err, ens.ErrComplianceYear) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if reps, _ := s.ComplianceReports(storetest.Officer, 0); len(reps) != 0 {
		t.Fatalf("reports recorded: %+v", reps)
	}
	if chases, _ := s.ComplianceChases(storetest.Officer, 0); len(chases) != 0 {
		t.Fatalf("reminders recorded: %+v", chases)
	}
	if pcs, _ := s.ProvincialReports(storetest.Officer, 0); len(pcs) != 0 {
		t.Fatalf("compilations recorded: %+v", pcs)
	}
	clock.Set(time.Date(2026, 10, 15, 8, 0, 0, 0, time.UTC))
	if n, err := sv.PopulateCompliance(clock.Now()); err != nil || n != 1 {
		t.Fatalf("the list: %d %v", n, err)
	}
	list, _ := s.ComplianceRequests(a.DIR, 2026)
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list), true, ""); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.SubmitComplianceReport(a.DIR, 2026); err != nil || rep.Eligible != 1 {
		t.Fatalf("the report on the day: %+v %v", rep, err)
	}
}

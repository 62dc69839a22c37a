package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/translations"
)

// enrolDIR is a fresh desk connected to the server on which a DIR enrols
// with the program's PIN.
func enrolDIR(t *testing.T, srv *syncServer, pin, given, family, user string) *Env {
	t.Helper()
	e := freshDesk(t)
	connectDesk(t, e, srv)
	e.Show(ScreenEnrol)
	f := e.view.(*credentialForm)
	f.pin.SetText(pin)
	fillCredentials(f, given, family, user)
	test.Tap(f.submit)
	if e.Account.Role != account.DIR {
		t.Fatalf("DIR enrolment of %s: %q", user, f.form.general.Text)
	}
	online(t, e, user)
	return e
}

// complianceRow taps the row of the student whose name starts with name.
func complianceRow(t *testing.T, v *complianceView, name string) {
	t.Helper()
	for i, r := range v.rows {
		if strings.HasPrefix(studentName(r.Student), name) {
			v.table.OnSelected(widget.TableCellID{Row: i, Col: 1})
			return
		}
	}
	t.Fatalf("no student %q in the list", name)
}

// rowOf is the list's row of the student whose name starts with name.
func rowOf(t *testing.T, v *complianceView, name string) *ens.Request {
	t.Helper()
	for i := range v.rows {
		if strings.HasPrefix(studentName(v.rows[i].Student), name) {
			return &v.rows[i]
		}
	}
	t.Fatalf("no student %q in the list", name)
	return nil
}

func tableCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

// oneLine is pdftotext's layout with runs of spaces made one.
func oneLine(s string) string { return regexp.MustCompile(`[ \t]+`).ReplaceAllString(s, " ") }

// TestAnnualComplianceThroughTheScreens is a compliance year through the
// screens, each person at their own desk over a real server: the server
// draws up the list after a student was verified, the DIR's desk gets it
// at sync; the DIR marks in bulk (ineligible without a reason refused,
// what was selected kept), is refused the submission while a student is
// unmarked, submits (locked: marking gone, when and by whom shown) and
// amends; the coordinator of Ontario sees that school submitted and
// another not, chases the other (an empty note refused), whose DIR reads
// the reminder after sync; the coordinator compiles (totals equal the
// schools') and submits, locked. The list, the report and the
// compilation print with their accents and counts.
func TestAnnualComplianceThroughTheScreens(t *testing.T) {
	srv := startSyncServer(t)
	a, pinA := srv.school(t)
	codeB, _ := ens.ParseSchoolCode("A02")
	b, err := srv.sv.CreateInstitution(store.Institution{Name: "Cambrian College", Code: codeB, Province: "ON"})
	if err != nil {
		t.Fatal(err)
	}
	pinB, _, err := srv.sv.IssueDIRPIN(b.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, open := ens.ComplianceYearOf(now); !open {
		// Last year's list: the server takes no report of a list not drawn up.
		now = time.Date(now.Year()-1, time.October, 15, 12, 0, 0, 0, time.UTC)
	}
	year := now.Year()
	clock := func() time.Time { return now }

	dir := enrolDIR(t, srv, pinA, "Dominique", "Roy", "dir.roy")
	dir.Now = clock
	st := srv.sv.Store()
	for i, s := range []ens.Student{
		{GivenNames: "Élodie", FamilyName: "Côté", ClientID: "12345678"},
		{GivenNames: "Marc", FamilyName: "Gagnon", ClientID: "23456789"},
		{GivenNames: "Zoé", FamilyName: "Bérubé", ClientID: "34567890"},
	} {
		s.BirthDate = domain.Date{Year: 2002, Month: 5, Day: 17}
		r, err := st.RaiseRequest(account.Actor{Account: domain.ID{0xb0, byte(i + 1)}, Role: account.Student},
			ens.Raise{Type: ens.EV, School: a.ID, Student: s})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Act(dir.Actor(), r.ID, ens.Action{Function: ens.Verify, Draft: allChecksMet()}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := srv.sv.PopulateCompliance(now); err != nil || n != 3 {
		t.Fatalf("population: %d %v", n, err)
	}

	// The DIR's list comes with the next sync.
	q := openQueue(t, dir)
	test.Tap(q.compliance)
	v := dir.view.(*complianceView)
	syncWait(t, dir, "the list on the DIR's desk", func() bool { return len(v.rows) == 3 })
	if v.year != year || v.submit.Hidden || v.marking.Hidden || !v.amending.Hidden {
		t.Fatalf("year %d, submit hidden %v, marking hidden %v", v.year, v.submit.Hidden, v.marking.Hidden)
	}
	complianceRow(t, v, "Côté")
	test.Tap(v.markEligible)
	complianceRow(t, v, "Bérubé")
	test.Tap(v.markIneligible)
	zoe := rowOf(t, v, "Bérubé").ID
	if l := v.markForm.errors["reason"]; !l.Visible() || !strings.Contains(l.Text, "Give the reason") || !v.selected[zoe] {
		t.Fatalf("ineligible without a reason: %q, selection %v", l.Text, v.selected)
	}
	test.Type(v.reason, "Left full-time studies")
	test.Tap(v.markIneligible)
	if !strings.Contains(v.done.Text, "Marked ineligible: 1.") || v.markForm.errors["reason"].Visible() {
		t.Fatalf("marked: %q", v.done.Text)
	}
	if !strings.Contains(v.counts.Text, "Students: 3 — marked: 2, to mark: 1, selected: 0") {
		t.Fatalf("counts: %q", v.counts.Text)
	}

	// The submission waits for every student.
	test.Tap(v.submit)
	test.Tap(findButton(t, dir, "Confirm"))
	if !v.fault.Visible() || !strings.Contains(v.fault.Text, "1 Annual Compliance requests are not marked yet") || v.report != nil {
		t.Fatalf("submitted with a student unmarked: %q", v.fault.Text)
	}
	test.Tap(v.selectUnmarked)
	if len(v.selected) != 1 || !v.selected[rowOf(t, v, "Gagnon").ID] {
		t.Fatalf("select all unmarked: %v", v.selected)
	}
	test.Tap(v.markEligible)
	test.Tap(v.submit)
	test.Tap(findButton(t, dir, "Confirm"))
	if v.report == nil || !v.marking.Hidden || v.amending.Hidden || v.fault.Visible() ||
		!strings.Contains(v.state.Text, "by Dominique Roy and is locked: 2 eligible, 1 ineligible") {
		t.Fatalf("after the submission: report %v, state %q, fault %q", v.report != nil, v.state.Text, v.fault.Text)
	}
	online(t, dir, "the DIR, report sent")
	if rep, err := st.ComplianceReport(account.SystemActor, a.ID, year); err != nil || rep.Eligible != 2 || rep.IneligibleCount != 1 {
		t.Fatalf("the server's report: %+v %v", rep, err)
	}

	// An amendment: Marc is ineligible after all; its reason is required.
	complianceRow(t, v, "Gagnon")
	v.amendMark.SetSelected("Ineligible")
	test.Type(v.amendStudentReason, "Withdrew in October")
	test.Tap(v.amend)
	if l := v.amendForm.errors["amendReason"]; !l.Visible() || !strings.Contains(l.Text, "Say why the report is amended") ||
		v.amendStudentReason.Text != "Withdrew in October" || len(v.selected) != 1 {
		t.Fatalf("amendment without a reason: %q", l.Text)
	}
	test.Type(v.amendReason, "Registrar’s correction")
	test.Tap(v.amend)
	if len(v.report.Amendments) != 1 || len(v.amendments.Objects) != 1 ||
		!strings.Contains(v.amendments.Objects[0].(*widget.Label).Text, "Gagnon, Marc: ineligible — Withdrew in October") {
		t.Fatalf("the amendment: %+v", v.report.Amendments)
	}
	if marc := rowOf(t, v, "Gagnon"); v.cellText(marc, 4) != "Ineligible" || v.cellText(marc, 5) != "Withdrew in October" {
		t.Fatalf("Marc's row after the amendment: %q %q", v.cellText(marc, 4), v.cellText(marc, 5))
	}
	online(t, dir, "the DIR, amendment sent")

	// Prints: the list and the report, with their accents and counts.
	test.Tap(v.printList)
	list := oneLine(pdfWords(t, waitPrinted(t, dir).path))
	for _, w := range []string{"Annual Compliance list", "Élodie Côté", "Zoé Bérubé", "Left full-time studies"} {
		if !strings.Contains(list, w) {
			t.Errorf("the printed list lacks %q:\n%s", w, list)
		}
	}
	dir.lastPrinted = printed{}
	test.Tap(v.printReport)
	rep := oneLine(pdfWords(t, waitPrinted(t, dir).path))
	for _, w := range []string{"Annual Report on Ineligible Students", "Eligible students 1", "Ineligible students 2",
		"Zoé Bérubé", "Marc Gagnon", "Withdrew in October", "Registrar’s correction"} {
		if !strings.Contains(rep, w) {
			t.Errorf("the printed report lacks %q:\n%s", w, rep)
		}
	}

	// The other school's DIR; and the coordinator of Ontario.
	dirB := enrolDIR(t, srv, pinB, "Sam", "Lavoie", "dir.lavoie")
	dirB.Now = clock
	dirB.Show(ScreenCompliance)
	vb := dirB.view.(*complianceView)
	if vb.reminders.Visible() {
		t.Fatalf("a reminder before any: %q", vb.reminders.Text)
	}
	if _, err := srv.sv.CreateCoordinatorAccount(account.Registration{UserID: "coord.on", Password: "a long password 1",
		GivenNames: "Claude", FamilyName: "Tremblay", AcceptTerms: true, Questions: testQuestions()}, "ON"); err != nil {
		t.Fatal(err)
	}
	co := freshDesk(t)
	co.Now = clock
	connectDesk(t, co, srv)
	co.Show(ScreenSignIn)
	signInAs(t, co, "coord.on", "a long password 1")
	cv, ok := co.view.(*coordinatorView)
	if !ok {
		t.Fatalf("the coordinator's home is %T", co.view)
	}
	syncWait(t, co, "the schools and A's report on the coordinator's desk", func() bool {
		return len(cv.schools) == 2 && cv.open[a.ID] != nil
	})
	if cv.chase[a.ID] != nil || cv.chase[b.ID] == nil || !strings.Contains(cv.summary.Text, "Schools that submitted their report: 1 of 2; missing: 1") {
		t.Fatalf("the schools: %q", cv.summary.Text)
	}
	test.Tap(cv.open[a.ID])
	for _, w := range []string{"Eligible: 1. Ineligible, as amended: 2.", "Bérubé, Zoé — Left full-time studies", "Amendment 1"} {
		if !strings.Contains(cv.schoolReport.Text, w) {
			t.Errorf("the school's report lacks %q:\n%s", w, cv.schoolReport.Text)
		}
	}
	test.Tap(cv.printSchool)
	if p := oneLine(pdfWords(t, waitPrinted(t, co).path)); !strings.Contains(p, "Zoé Bérubé") || !strings.Contains(p, "Ineligible students 2") {
		t.Errorf("the school's printed report:\n%s", p)
	}

	// A reminder to the school that has not reported.
	test.Tap(cv.chase[b.ID])
	test.Tap(cv.chaseSend)
	if !cv.chaseErr.Visible() || !strings.Contains(cv.chaseErr.Text, "Write a note to the school") {
		t.Fatalf("an empty note: %q", cv.chaseErr.Text)
	}
	test.Type(cv.chaseNote, "Please submit your report by 1 December.")
	test.Tap(cv.chaseSend)
	if cv.chaseErr.Visible() || !strings.Contains(cv.done.Text, "Reminder sent to Cambrian College") {
		t.Fatalf("the reminder: %q %q", cv.chaseErr.Text, cv.done.Text)
	}
	online(t, co, "the coordinator, reminder sent")
	syncWait(t, dirB, "the reminder on the school's desk", func() bool {
		return vb.reminders.Visible() && strings.Contains(vb.reminders.Text, "Please submit your report by 1 December.")
	})

	// The compilation: totals equal the schools', then submitted and locked.
	test.Tap(cv.compile)
	c := cv.compiled
	eligible, ineligible := 0, 0
	for _, s := range cv.schools {
		eligible += s.Eligible
		ineligible += s.Ineligible
	}
	if c == nil || c.Eligible != eligible || c.Ineligible != ineligible || c.Eligible != 1 || c.Ineligible != 2 || c.Missing != 1 ||
		!strings.Contains(cv.totals.Text, "schools that reported: 1, without a report: 1; students eligible: 1, ineligible: 2") {
		t.Fatalf("the compilation %+v: %q", c, cv.totals.Text)
	}
	co.lastPrinted = printed{}
	test.Tap(cv.print)
	comp := oneLine(pdfWords(t, waitPrinted(t, co).path))
	for _, w := range []string{"Ontario", "Collège Boréal", "Cambrian College", "Eligible students 1", "Ineligible students 2"} {
		if !strings.Contains(comp, w) {
			t.Errorf("the printed compilation lacks %q:\n%s", w, comp)
		}
	}
	test.Tap(cv.submit)
	test.Tap(findButton(t, co, "Confirm"))
	if !cv.submitted() || !cv.submit.Hidden || !cv.compile.Hidden || !strings.Contains(cv.state.Text, "is locked") {
		t.Fatalf("after the submission: %q %q", cv.state.Text, cv.fault.Text)
	}
	online(t, co, "the coordinator, compilation sent")
	if got, err := srv.sv.Store().ProvincialReports(account.SystemActor, year); err != nil || len(got) != 1 || got[0].Ineligible != 2 {
		t.Fatalf("the program's compilations: %+v %v", got, err)
	}

	// In French, the same screens.
	co.SetLang(translations.French)
	if !strings.Contains(cv.state.Text, "verrouillée") || !strings.Contains(cv.summary.Text, "Établissements ayant présenté leur rapport\u00a0: 1 sur 2") {
		t.Fatalf("French: %q %q", cv.state.Text, cv.summary.Text)
	}
}

func testQuestions() [account.QuestionCount]account.SecurityQuestion {
	var q [account.QuestionCount]account.SecurityQuestion
	for i := range q {
		q[i] = account.SecurityQuestion{Question: []string{"Province of your first school?", "Colour of your first pet?", "Street of your first school?", "Book you read last?"}[i],
			Answer: "answer " + string(rune('a'+i))}
	}
	return q
}

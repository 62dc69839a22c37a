package store

import (
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/sync"
)

// pushOne pushes one command as by and returns the server's answer.
func pushOne(t *testing.T, sv *Server, by account.Actor, kind sync.Kind, entity domain.ID, payload any) sync.Answer {
	t.Helper()
	raw, _ := json.Marshal(payload)
	id, err := sv.Store().NewID(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	answers, _, err := sv.Push(by, []sync.Command{{ID: id, Kind: kind, Entity: entity, Actor: by.Account, Payload: raw}})
	if err != nil || len(answers) != 1 {
		t.Fatalf("push %s: %v %v", kind, answers, err)
	}
	return answers[0]
}

// TestServerVouchesOnlyForItsOwnFacts: a code is registered only for a
// document its sender's role prints, from a record they may read, stating
// the facts the server computes from it; the day printed is the desk's
// within the offline window, the server's beyond it.
func TestServerVouchesOnlyForItsOwnFacts(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}
	sv := mustServer(t, clock)
	s := sv.Store()
	a, b := mustSchool(t, s, "Collège Boréal", 1), mustSchool(t, s, "Lakeview College", 2)
	raise := func(school domain.ID) ens.Request {
		r, err := s.RaiseRequest(student(1), ens.Raise{Type: ens.EV, School: school, Student: elodie()})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mine, theirs := raise(a.inst.ID), raise(b.inst.ID)
	coord := account.Actor{Account: domain.ID{0xc0, 1}, Role: account.Coordinator, Org: ProvinceID("ON")}
	keys := map[domain.ID]printcode.Key{}
	for _, by := range []account.Actor{a.dir, student(1), coord} {
		keys[by.Account] = printcode.Key("a print key for the tests of " + by.Account.String()[:8])[:32]
		if ans := pushOne(t, sv, by, KindPrintKey, by.Account, PrintKeyPayload{Key: keys[by.Account]}); ans.Outcome != sync.Applied {
			t.Fatalf("print key: %+v", ans)
		}
	}
	today := domain.DateOf(clock.Now())
	factsOf := func(r ens.Request, in Institution) []printcode.Fact {
		return printcode.RequestFactsOf(in.Code.String(), in.Name, &r)
	}
	edited := factsOf(mine, a.inst)
	edited[2].Value = "Someone Else"
	for _, tt := range []struct {
		name    string
		by      account.Actor
		kind    printcode.Kind
		record  domain.ID
		facts   []printcode.Fact
		printed domain.Date
		want    domain.Code
		day     domain.Date
	}{
		{"own request", a.dir, printcode.KindRequestRecord, mine.ID, factsOf(mine, a.inst), today.AddDays(-10), "", today.AddDays(-10)},
		{"printed in 2030", a.dir, printcode.KindRequestRecord, mine.ID, factsOf(mine, a.inst), domain.Date{Year: 2030, Month: 1, Day: 1}, "", today},
		{"printed beyond the window", a.dir, printcode.KindRequestRecord, mine.ID, factsOf(mine, a.inst), today.AddDays(-40), "", today},
		{"another school's request", a.dir, printcode.KindRequestRecord, theirs.ID, factsOf(theirs, b.inst), today, ErrPrintRecord, today},
		{"edited facts", a.dir, printcode.KindRequestRecord, mine.ID, edited, today, ErrPrintChanged, today},
		{"no record", a.dir, printcode.KindRequestRecord, domain.ID{}, factsOf(mine, a.inst), today, ErrPrintRecord, today},
		{"a record of nothing", a.dir, printcode.KindRequestRecord, domain.ID{7}, factsOf(mine, a.inst), today, ErrPrintRecord, today},
		{"a student's nomination letter", student(1), printcode.KindNominationLetter, student(1).Account,
			printcode.NomineeFacts("JOID-1234567", "Made Up", "X", today, today), today, ErrPrintKind, today},
		{"a student's request record", student(1), printcode.KindRequestRecord, mine.ID, factsOf(mine, a.inst), today, ErrPrintKind, today},
		{"a list the server does not vouch for", a.dir, printcode.KindQueueExport, a.inst.ID,
			[]printcode.Fact{{Name: "school", Value: "x"}, {Name: "requests", Value: "9"}}, today, ErrPrintKind, today},
		{"the school's compliance list", a.dir, printcode.KindComplianceList, a.inst.ID,
			printcode.ComplianceListFacts(a.inst.Code.String()+" "+a.inst.Name, 2026, 0), today, "", today},
		{"the province's report", coord, printcode.KindProvincialReport, coord.Org,
			printcode.ProvincialReportFacts("ON", 2026, today, 2, 0, 0, 0), today, "", today},
		{"the province's report, with a school made up", coord, printcode.KindProvincialReport, coord.Org,
			printcode.ProvincialReportFacts("ON", 2026, today, 3, 0, 0, 0), today, ErrPrintChanged, today},
		{"another province's report", coord, printcode.KindProvincialReport, ProvinceID("QC"),
			printcode.ProvincialReportFacts("QC", 2026, today, 0, 0, 0, 0), today, ErrPrintRecord, today},
		{"a school's report not submitted, with no list", a.dir, printcode.KindIneligibleReport, a.inst.ID,
			printcode.IneligibleReportFacts(a.inst.Code.String()+" "+a.inst.Name, 2026, domain.Date{}, 0, 0, 0), today, ErrPrintRecord, today},
		{"another school's report", a.dir, printcode.KindIneligibleReport, b.inst.ID,
			printcode.IneligibleReportFacts(b.inst.Code.String()+" "+b.inst.Name, 2026, today, 0, 0, 0), today, ErrPrintRecord, today},
		{"an inflated compliance list", a.dir, printcode.KindComplianceList, a.inst.ID,
			printcode.ComplianceListFacts(a.inst.Code.String()+" "+a.inst.Name, 2026, 12), today, ErrPrintChanged, today},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code := keys[tt.by.Account].Code(tt.kind, tt.facts)
			// The same document printed another day has the same code:
			// each case starts from a server that has not seen it.
			s.db.Update(func(tx *Tx) error { return BucketOf(tx, PrintedBucket).Delete(printedKey(code)) })
			ans := pushOne(t, sv, tt.by, KindPrinted, tt.by.Account, Printed{Code: code, Kind: tt.kind, Record: tt.record,
				Facts: tt.facts, Printed: tt.printed})
			got, err := sv.Verify(code, "")
			if tt.want != "" {
				if ans.Outcome != sync.Rejected || ans.Error.Code != tt.want {
					t.Fatalf("%+v (want %s)", ans, tt.want)
				}
				if domain.ErrorCode(err) != ErrCodeUnknown {
					t.Fatalf("the refused code verifies: %+v %v", got, err)
				}
				return
			}
			if ans.Outcome != sync.Applied || err != nil || got.Printed != tt.day {
				t.Fatalf("%+v; verify: %+v %v (want printed %v)", ans, got, err, tt.day)
			}
		})
	}
}

// TestDocumentsAsReceived: the server lists a document with the type,
// size and hash of the bytes it received, on its own day, never from the
// employer; a declaration that differs is refused.
func TestDocumentsAsReceived(t *testing.T) {
	content := []byte("%PDF-1.7\nrésumé\n")
	typ, err := oinp.CheckAttachment("resume", "cv.pdf", content)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	honest := oinp.Document{ID: domain.ID{1}, Kind: "resume", Name: "cv.pdf", Type: typ, Size: int64(len(content)),
		SHA256: sha256Hex(content), Added: domain.Date{Year: 2020, Month: 1, Day: 1}, FromEmployer: true}
	doc, err := receivedDocument(honest, content, false, now)
	if err != nil || doc.FromEmployer || doc.Added != domain.DateOf(now) || doc.SHA256 != sha256Hex(content) {
		t.Fatalf("%+v %v", doc, err)
	}
	for name, lie := range map[string]func(*oinp.Document){
		"type": func(d *oinp.Document) { d.Type = "image/png" },
		"size": func(d *oinp.Document) { d.Size++ },
		"hash": func(d *oinp.Document) { d.SHA256 = sha256Hex([]byte("other")) },
	} {
		d := honest
		lie(&d)
		if _, err := receivedDocument(d, content, false, now); domain.ErrorCode(err) != ErrAttachmentMismatch {
			t.Errorf("a lying %s: %v", name, err)
		}
	}
	if _, err := receivedDocument(honest, []byte("MZ not a document"), false, now); err == nil {
		t.Error("an executable passes as a résumé")
	}
}

// TestTheServersClock: deadline dates are the server's; a printed day and
// the "made offline at" time are the desk's only within the window.
func TestTheServersClock(t *testing.T) {
	sv := &Server{opt: ServerOptions{MaxAhead: 5 * time.Minute}}
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for _, desk := range []time.Time{{}, now.AddDate(4, 0, 0), now.AddDate(0, -10, 0), now.Add(-time.Hour)} {
		if got := sv.At(desk, now); !got.Equal(now) {
			t.Errorf("at(%v) = %v", desk, got)
		}
	}
	for _, tt := range []struct {
		desk, want time.Time
	}{
		{time.Time{}, time.Time{}},
		{now.Add(-time.Minute), time.Time{}}, // online
		{now.Add(time.Hour), time.Time{}},    // ahead
		{now.AddDate(0, 0, -7), now.AddDate(0, 0, -7)},
		{now.AddDate(0, 0, -31), time.Time{}},
	} {
		if got := sv.offlineAt(tt.desk, now); !got.Equal(tt.want) {
			t.Errorf("offlineAt(%v) = %v, want %v", tt.desk, got, tt.want)
		}
	}
	today := domain.DateOf(now)
	for _, tt := range []struct{ desk, want domain.Date }{
		{domain.Date{}, today}, {today.AddDays(-7), today.AddDays(-7)}, {today.AddDays(-31), today}, {today.AddDays(2), today},
	} {
		if got := sv.DeskDate(tt.desk, now); got != tt.want {
			t.Errorf("deskDate(%v) = %v, want %v", tt.desk, got, tt.want)
		}
	}
}

// TestServerVouchesForTheSchoolsReport: the ineligible report of a school
// is registered with the counts of the school's list (a draft) and then of
// its submitted report; the coordinator's copy too; a count made up is not.
func TestServerVouchesForTheSchoolsReport(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)}
	sv := mustServer(t, clock)
	s := sv.Store()
	a := mustSchool(t, s, "Collège Boréal", 1)
	for n := range 3 {
		verified(t, s, a, n)
	}
	clock.now = time.Date(2026, 10, 15, 8, 0, 0, 0, time.UTC)
	if _, err := sv.PopulateCompliance(clock.now); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ComplianceRequests(a.dir, 2026)
	if _, err := s.MarkCompliance(a.dir, ids(list[:2]), true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkCompliance(a.dir, ids(list[2:]), false, "Left full-time studies"); err != nil {
		t.Fatal(err)
	}
	coord := account.Actor{Account: domain.ID{0xc0, 1}, Role: account.Coordinator, Org: ProvinceID("ON")}
	key := printcode.Key("a print key for the tests only, 32b")[:32]
	for _, by := range []account.Actor{a.dir, coord} {
		if ans := pushOne(t, sv, by, KindPrintKey, by.Account, PrintKeyPayload{Key: key}); ans.Outcome != sync.Applied {
			t.Fatalf("print key: %+v %+v", ans, ans.Error)
		}
	}
	register := func(by account.Actor, facts []printcode.Fact) sync.Answer {
		code := key.Code(printcode.KindIneligibleReport, facts)
		s.db.Update(func(tx *Tx) error { return BucketOf(tx, PrintedBucket).Delete(printedKey(code)) })
		return pushOne(t, sv, by, KindPrinted, by.Account, Printed{Code: code, Kind: printcode.KindIneligibleReport,
			Record: a.inst.ID, Facts: facts, Printed: domain.DateOf(clock.now)})
	}
	school := a.inst.Code.String() + " " + a.inst.Name
	if ans := register(a.dir, printcode.IneligibleReportFacts(school, 2026, domain.Date{}, 2, 1, 0)); ans.Outcome != sync.Applied {
		t.Fatalf("the draft: %+v", ans)
	}
	if ans := register(coord, printcode.IneligibleReportFacts(school, 2026, domain.Date{}, 2, 1, 0)); ans.Outcome != sync.Rejected ||
		ans.Error.Code != ErrPrintRecord {
		t.Fatalf("the coordinator prints a draft they cannot read: %+v", ans)
	}
	rep, err := s.SubmitComplianceReport(a.dir, 2026)
	if err != nil {
		t.Fatal(err)
	}
	submitted := domain.DateOf(rep.Submitted.UTC())
	for _, by := range []account.Actor{a.dir, coord} {
		if ans := register(by, printcode.IneligibleReportFacts(school, 2026, submitted, 2, 1, 0)); ans.Outcome != sync.Applied {
			t.Fatalf("the submitted report: %+v", ans)
		}
		if ans := register(by, printcode.IneligibleReportFacts(school, 2026, submitted, 3, 0, 0)); ans.Outcome != sync.Rejected ||
			ans.Error.Code != ErrPrintChanged {
			t.Fatalf("a report with a student made eligible: %+v", ans)
		}
	}
}

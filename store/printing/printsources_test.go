package printing

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/store/compliance"
	"dossier/store/requests/requeststest"
	"dossier/store/storetest"
	"dossier/sync"
)

// pushOne pushes one command as by and returns the server's answer.
func pushOne(t *testing.T, sv *store.Server, by account.Actor, kind sync.Kind, entity domain.ID, payload any) sync.Answer {
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
	clock := storetest.NewClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := compliance.On(sv.Store())
	a, b := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 1), storetest.MustSchool(t, s.Engine(), "Lakeview College", 2)
	raise := func(school domain.ID) ens.Request {
		r, err := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: school, Student: storetest.Elodie()})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mine, theirs := raise(a.Inst.ID), raise(b.Inst.ID)
	coord := account.Actor{Account: domain.ID{0xc0, 1}, Role: account.Coordinator, Org: store.ProvinceID("ON")}
	keys := map[domain.ID]printcode.Key{}
	for _, by := range []account.Actor{a.DIR, storetest.Student(1), coord} {
		keys[by.Account] = printcode.Key("a print key for the tests of " + by.Account.String()[:8])[:32]
		if ans := pushOne(t, sv.Server, by, KindPrintKey, by.Account, PrintKeyPayload{Key: keys[by.Account]}); ans.Outcome != sync.Applied {
			t.Fatalf("print key: %+v", ans)
		}
	}
	today := domain.DateOf(clock.Now())
	factsOf := func(r ens.Request, in store.Institution) []printcode.Fact {
		return printcode.RequestFactsOf(in.Code.String(), in.Name, &r)
	}
	edited := factsOf(mine, a.Inst)
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
		{"own request", a.DIR, printcode.KindRequestRecord, mine.ID, factsOf(mine, a.Inst), today.AddDays(-10), "", today.AddDays(-10)},
		{"printed in 2030", a.DIR, printcode.KindRequestRecord, mine.ID, factsOf(mine, a.Inst), domain.Date{Year: 2030, Month: 1, Day: 1}, "", today},
		{"printed beyond the window", a.DIR, printcode.KindRequestRecord, mine.ID, factsOf(mine, a.Inst), today.AddDays(-40), "", today},
		{"another school's request", a.DIR, printcode.KindRequestRecord, theirs.ID, factsOf(theirs, b.Inst), today, ErrPrintRecord, today},
		{"edited facts", a.DIR, printcode.KindRequestRecord, mine.ID, edited, today, ErrPrintChanged, today},
		{"no record", a.DIR, printcode.KindRequestRecord, domain.ID{}, factsOf(mine, a.Inst), today, ErrPrintRecord, today},
		{"a record of nothing", a.DIR, printcode.KindRequestRecord, domain.ID{7}, factsOf(mine, a.Inst), today, ErrPrintRecord, today},
		{"a student's nomination letter", storetest.Student(1), printcode.KindNominationLetter, storetest.Student(1).Account,
			printcode.NomineeFacts("JOID-1234567", "Made Up", "X", today, today), today, ErrPrintKind, today},
		{"a student's request record", storetest.Student(1), printcode.KindRequestRecord, mine.ID, factsOf(mine, a.Inst), today, ErrPrintKind, today},
		{"a list the server does not vouch for", a.DIR, printcode.KindQueueExport, a.Inst.ID,
			[]printcode.Fact{{Name: "school", Value: "x"}, {Name: "requests", Value: "9"}}, today, ErrPrintKind, today},
		{"the school's compliance list", a.DIR, printcode.KindComplianceList, a.Inst.ID,
			printcode.ComplianceListFacts(a.Inst.Code.String()+" "+a.Inst.Name, 2026, 0), today, "", today},
		{"the province's report", coord, printcode.KindProvincialReport, coord.Org,
			printcode.ProvincialReportFacts("ON", 2026, today, 2, 0, 0, 0), today, "", today},
		{"the province's report, with a school made up", coord, printcode.KindProvincialReport, coord.Org,
			printcode.ProvincialReportFacts("ON", 2026, today, 3, 0, 0, 0), today, ErrPrintChanged, today},
		{"another province's report", coord, printcode.KindProvincialReport, store.ProvinceID("QC"),
			printcode.ProvincialReportFacts("QC", 2026, today, 0, 0, 0, 0), today, ErrPrintRecord, today},
		{"a school's report not submitted, with no list", a.DIR, printcode.KindIneligibleReport, a.Inst.ID,
			printcode.IneligibleReportFacts(a.Inst.Code.String()+" "+a.Inst.Name, 2026, domain.Date{}, 0, 0, 0), today, ErrPrintRecord, today},
		{"another school's report", a.DIR, printcode.KindIneligibleReport, b.Inst.ID,
			printcode.IneligibleReportFacts(b.Inst.Code.String()+" "+b.Inst.Name, 2026, today, 0, 0, 0), today, ErrPrintRecord, today},
		{"an inflated compliance list", a.DIR, printcode.KindComplianceList, a.Inst.ID,
			printcode.ComplianceListFacts(a.Inst.Code.String()+" "+a.Inst.Name, 2026, 12), today, ErrPrintChanged, today},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code := keys[tt.by.Account].Code(tt.kind, tt.facts)
			// The same document printed another day has the same code:
			// each case starts from a server that has not seen it.
			s.Update(func(tx *store.Tx) error { return store.BucketOf(tx, store.PrintedBucket).Delete(printedKey(code)) })
			ans := pushOne(t, sv.Server, tt.by, KindPrinted, tt.by.Account, Printed{Code: code, Kind: tt.kind, Record: tt.record,
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

// TestServerVouchesForTheSchoolsReport: the ineligible report of a school
// is registered with the counts of the school's list (a draft) and then of
// its submitted report; the coordinator's copy too; a count made up is not.
func TestServerVouchesForTheSchoolsReport(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := compliance.On(sv.Store())
	a := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 1)
	for n := range 3 {
		requeststest.Verified(t, s.Engine(), a, n)
	}
	clock.Set(time.Date(2026, 10, 15, 8, 0, 0, 0, time.UTC))
	if _, err := (compliance.Server{Server: sv.Server}).PopulateCompliance(clock.Now()); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ComplianceRequests(a.DIR, 2026)
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list[:2]), true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkCompliance(a.DIR, requeststest.IDs(list[2:]), false, "Left full-time studies"); err != nil {
		t.Fatal(err)
	}
	coord := account.Actor{Account: domain.ID{0xc0, 1}, Role: account.Coordinator, Org: store.ProvinceID("ON")}
	key := printcode.Key("a print key for the tests only, 32b")[:32]
	for _, by := range []account.Actor{a.DIR, coord} {
		if ans := pushOne(t, sv.Server, by, KindPrintKey, by.Account, PrintKeyPayload{Key: key}); ans.Outcome != sync.Applied {
			t.Fatalf("print key: %+v %+v", ans, ans.Error)
		}
	}
	register := func(by account.Actor, facts []printcode.Fact) sync.Answer {
		code := key.Code(printcode.KindIneligibleReport, facts)
		s.Update(func(tx *store.Tx) error { return store.BucketOf(tx, store.PrintedBucket).Delete(printedKey(code)) })
		return pushOne(t, sv.Server, by, KindPrinted, by.Account, Printed{Code: code, Kind: printcode.KindIneligibleReport,
			Record: a.Inst.ID, Facts: facts, Printed: domain.DateOf(clock.Now())})
	}
	school := a.Inst.Code.String() + " " + a.Inst.Name
	if ans := register(a.DIR, printcode.IneligibleReportFacts(school, 2026, domain.Date{}, 2, 1, 0)); ans.Outcome != sync.Applied {
		t.Fatalf("the draft: %+v", ans)
	}
	if ans := register(coord, printcode.IneligibleReportFacts(school, 2026, domain.Date{}, 2, 1, 0)); ans.Outcome != sync.Rejected ||
		ans.Error.Code != ErrPrintRecord {
		t.Fatalf("the coordinator prints a draft they cannot read: %+v", ans)
	}
	rep, err := s.SubmitComplianceReport(a.DIR, 2026)
	if err != nil {
		t.Fatal(err)
	}
	submitted := domain.DateOf(rep.Submitted.UTC())
	for _, by := range []account.Actor{a.DIR, coord} {
		if ans := register(by, printcode.IneligibleReportFacts(school, 2026, submitted, 2, 1, 0)); ans.Outcome != sync.Applied {
			t.Fatalf("the submitted report: %+v", ans)
		}
		if ans := register(by, printcode.IneligibleReportFacts(school, 2026, submitted, 3, 0, 0)); ans.Outcome != sync.Rejected ||
			ans.Error.Code != ErrPrintChanged {
			t.Fatalf("a report with a student made eligible: %+v", ans)
		}
	}
}

// TestServerKeepsEveryLine: the server keeps, with a code, the sums of
// every line of the document it vouches for and gives them to whoever
// checks a copy; a code that does not fit the lines sent is refused.
func TestServerKeepsEveryLine(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := compliance.On(sv.Store())
	a := storetest.MustSchool(t, s.Engine(), "Collège Boréal", 1)
	key := printcode.Key("a print key for the tests only, 32b")[:32]
	if ans := pushOne(t, sv.Server, a.DIR, KindPrintKey, a.DIR.Account, PrintKeyPayload{Key: key}); ans.Outcome != sync.Applied {
		t.Fatalf("print key: %+v", ans)
	}
	facts := printcode.ComplianceListFacts(a.Inst.Code.String()+" "+a.Inst.Name, 2026, 0)
	kind := printcode.KindComplianceList
	sums := printcode.LineSums(kind, []string{"Collège Boréal: students to verify for 2026", "No student to verify."})
	forged := printcode.LineSums(kind, []string{"Collège Boréal: students to verify for 2026", "1 Côté, Élodie Eligible"})
	today := domain.DateOf(clock.Now())
	if ans := pushOne(t, sv.Server, a.DIR, KindPrinted, a.DIR.Account, Printed{Code: key.Code(kind, facts, sums...), Kind: kind,
		Record: a.Inst.ID, Facts: facts, Lines: forged, Printed: today}); ans.Outcome != sync.Rejected || ans.Error.Code != printcode.ErrCodeFalse {
		t.Fatalf("a code sent with other lines: %+v", ans)
	}
	code := key.Code(kind, facts, sums...)
	if ans := pushOne(t, sv.Server, a.DIR, KindPrinted, a.DIR.Account, Printed{Code: code, Kind: kind,
		Record: a.Inst.ID, Facts: facts, Lines: sums, Printed: today}); ans.Outcome != sync.Applied {
		t.Fatalf("the list: %+v", ans)
	}
	got, err := sv.Verify(code, "")
	if err != nil || !slices.Equal(got.Lines, sums) {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if printcode.CompareText(kind, code, got.Lines, "Collège Boréal: students to verify for 2026\n1 Côté, Élodie Eligible").Genuine() {
		t.Error("a copy with a row added checks")
	}
}

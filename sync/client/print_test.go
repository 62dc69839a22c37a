package client_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/printcode"
	"dossier/store/printing"
	"dossier/sync"
)

// TestPrintedDocumentsAreVerified: a DIR prints their school's compliance
// list on their desk; once synced, anyone asking the server with its code
// learns what it was issued for. A code the program did not issue, made
// with another person's key, or made with one's own key for facts the
// server's record does not give, is refused.
func TestPrintedDocumentsAreVerified(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	facts := printcode.ComplianceListFacts("A01 Collège Boréal", 2026, 0)
	on := domain.DateOf(time.Now())
	code, err := f.dir.st.Seal(f.dir.by, "ocwpp.compliance-list", f.school.ID, facts, on)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.dir.st.Seal(f.dir.by, "ocwpp.compliance-list", f.school.ID, facts, on)
	if err != nil || again != code {
		t.Fatalf("the same document sealed twice: %s then %s (%v)", code, again, err)
	}
	if p, err := f.dir.st.Verify(code); err != nil || p.Facts[0].Value != "A01 Collège Boréal" {
		t.Fatalf("the desk's own record: %+v %v", p, err)
	}
	if _, err := f.sig.c.Verify(ctx, code); domain.ErrorCode(err) != printing.ErrCodeUnknown {
		t.Fatalf("before the DIR syncs, the server knows the code: %v", err)
	}
	f.dir.sync()
	p, err := f.sig.c.Verify(ctx, code)
	if err != nil || p.Kind != "ocwpp.compliance-list" || len(p.Facts) != 3 || p.Facts[2].Value != "0" || p.Printed != on {
		t.Fatalf("the server's answer: %+v %v", p, err)
	}
	if _, err := f.sig.c.Verify(ctx, "ZZZZ-ZZZZ-ZZZZ-ZZZZ"); domain.ErrorCode(err) != printcode.ErrCodeTypo {
		t.Fatalf("a mistyped code: %v", err)
	}

	// The signatory forges: a record claiming the DIR's code for other
	// facts, and one with a code of their own making. The server keeps
	// neither.
	if _, err := f.sig.st.Seal(f.sig.by, "oinp.fee-receipt", f.school.ID, facts, on); err != nil {
		t.Fatal(err)
	}
	forged := printing.Printed{Code: code, Kind: "ocwpp.compliance-list", Facts: append(facts[:2:2], printcode.Fact{Name: "students", Value: "300"}),
		Printed: on, By: f.sig.by.Account}
	payload, _ := json.Marshal(forged)
	answers, _, err := f.ts.sv.Push(f.sig.by, []sync.Command{{ID: newID(t), Kind: printing.KindPrinted, Entity: f.sig.by.Account,
		Actor: f.sig.by.Account, Payload: payload}})
	if err != nil || answers[0].Outcome != sync.Rejected || answers[0].Error.Code != printcode.ErrCodeFalse {
		t.Fatalf("a forged record: %+v %v", answers, err)
	}
	made := printcode.Key("a key the signatory made up, 32 bytes").Code("oinp.certificate", facts)
	forged.Code, forged.Kind = made, "oinp.certificate"
	payload, _ = json.Marshal(forged)
	answers, _, err = f.ts.sv.Push(f.sig.by, []sync.Command{{ID: newID(t), Kind: printing.KindPrinted, Entity: f.sig.by.Account,
		Actor: f.sig.by.Account, Payload: payload}})
	if err != nil || answers[0].Outcome != sync.Rejected || answers[0].Error.Code != printcode.ErrCodeFalse {
		t.Fatalf("a record with a made-up code: %+v %v", answers, err)
	}
	if _, err := f.dir.c.Verify(ctx, made); domain.ErrorCode(err) != printing.ErrCodeUnknown {
		t.Fatalf("a made-up code: %v", err)
	}
	if p, err := f.dir.c.Verify(ctx, code); err != nil || p.Facts[2].Value != "0" {
		t.Fatalf("the genuine record after the forgeries: %+v %v", p, err)
	}

	// The signatory makes a code with their own key for the list as they
	// would like it: the server counts the school's list itself.
	inflated := printcode.ComplianceListFacts("A01 Collège Boréal", 2026, 300)
	own, err := f.sig.st.Seal(f.sig.by, "ocwpp.compliance-list", f.school.ID, inflated, on)
	if err != nil {
		t.Fatal(err)
	}
	f.sig.sync()
	if _, err := f.dir.c.Verify(ctx, own); domain.ErrorCode(err) != printing.ErrCodeUnknown {
		t.Fatalf("a list with a made-up count: %v", err)
	}
	refused, err := f.sig.st.Rejections(f.sig.by)
	told := false
	for _, r := range refused {
		told = told || r.Kind == printing.KindPrinted && r.Error.Code == printing.ErrPrintChanged
	}
	if err != nil || !told {
		t.Fatalf("the signatory is not told the server refused the count: %+v %v", refused, err)
	}
}

func newID(t *testing.T) domain.ID {
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPrintedOfflineFromARecordThatChanged: a DIR prints a request's
// record while offline; meanwhile the signatory verifies the request. When
// the DIR's desk syncs, the server computes the record's facts as they are
// now, refuses the code (the DIR reads why) and answers that it is not one
// the program issued; printed again, the record verifies.
func TestPrintedOfflineFromARecordThatChanged(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r := f.raised(1)[0]
	in, err := f.dir.st.Institution(r.School)
	if err != nil {
		t.Fatal(err)
	}
	on := domain.DateOf(time.Now())
	before := f.dir.request(r.ID)
	stale, err := f.dir.st.Seal(f.dir.by, printcode.KindRequestRecord, r.ID, printcode.RequestFactsOf(in.Code.String(), in.Name, &before), on)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.sig.st.Act(f.sig.by, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, 0); err != nil {
		t.Fatal(err)
	}
	f.sig.sync()
	f.dir.sync()
	if _, err := f.stu.c.Verify(ctx, stale); domain.ErrorCode(err) != printing.ErrCodeUnknown {
		t.Fatalf("a record that changed since it was printed verifies: %v", err)
	}
	refused, err := f.dir.st.Rejections(f.dir.by)
	told := false
	for _, x := range refused {
		told = told || x.Kind == printing.KindPrinted && x.Error.Code == printing.ErrPrintChanged
	}
	if err != nil || !told {
		t.Fatalf("the DIR is not told: %+v %v", refused, err)
	}
	f.dir.sync()
	after := f.dir.request(r.ID)
	fresh, err := f.dir.st.Seal(f.dir.by, printcode.KindRequestRecord, r.ID, printcode.RequestFactsOf(in.Code.String(), in.Name, &after), on)
	if err != nil {
		t.Fatal(err)
	}
	f.dir.sync()
	if p, err := f.stu.c.Verify(ctx, fresh); err != nil || p.Facts[3].Value != string(after.EVN) || after.EVN == "" {
		t.Fatalf("the record printed again: %+v %v", p, err)
	}
}

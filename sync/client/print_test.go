package client_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/sync"
)

// TestPrintedDocumentsAreVerified: a DIR prints a list on their desk; once
// synced, anyone asking the server with its code learns what it was issued
// for. A code the program did not issue, or made with another person's key
// for facts of one's own choosing, is refused.
func TestPrintedDocumentsAreVerified(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	facts := []printcode.Fact{{Name: "school", Value: "A01 Collège Boréal"}, {Name: "year", Value: "2026"}, {Name: "students", Value: "3"}}
	on := domain.Date{Year: 2026, Month: time.November, Day: 21}
	code, err := f.dir.st.Seal(f.dir.by, "ocwpp.compliance-list", facts, on)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.dir.st.Seal(f.dir.by, "ocwpp.compliance-list", facts, on)
	if err != nil || again != code {
		t.Fatalf("the same document sealed twice: %s then %s (%v)", code, again, err)
	}
	if p, err := f.dir.st.Verify(code); err != nil || p.Facts[0].Value != "A01 Collège Boréal" {
		t.Fatalf("the desk's own record: %+v %v", p, err)
	}
	if _, err := f.sig.c.Verify(ctx, code); domain.ErrorCode(err) != store.ErrCodeUnknown {
		t.Fatalf("before the DIR syncs, the server knows the code: %v", err)
	}
	f.dir.sync()
	p, err := f.sig.c.Verify(ctx, code)
	if err != nil || p.Kind != "ocwpp.compliance-list" || len(p.Facts) != 3 || p.Facts[2].Value != "3" || p.Printed != on {
		t.Fatalf("the server's answer: %+v %v", p, err)
	}
	if _, err := f.sig.c.Verify(ctx, "ZZZZ-ZZZZ-ZZZZ-ZZZZ"); domain.ErrorCode(err) != printcode.ErrCodeTypo {
		t.Fatalf("a mistyped code: %v", err)
	}

	// The signatory forges: a record claiming the DIR's code for other
	// facts, and one with a code of their own making. The server keeps
	// neither.
	if _, err := f.sig.st.Seal(f.sig.by, "oinp.fee-receipt", facts, on); err != nil {
		t.Fatal(err)
	}
	forged := store.Printed{Code: code, Kind: "ocwpp.compliance-list", Facts: append(facts[:2:2], printcode.Fact{Name: "students", Value: "300"}),
		Printed: on, By: f.sig.by.Account}
	payload, _ := json.Marshal(forged)
	answers, _, err := f.ts.sv.Push(f.sig.by, []sync.Command{{ID: newID(t), Kind: store.KindPrinted, Entity: f.sig.by.Account,
		Actor: f.sig.by.Account, Payload: payload}})
	if err != nil || answers[0].Outcome != sync.Rejected || answers[0].Error.Code != printcode.ErrCodeFalse {
		t.Fatalf("a forged record: %+v %v", answers, err)
	}
	made := printcode.Key("a key the signatory made up, 32 bytes").Code("oinp.certificate", facts)
	forged.Code, forged.Kind = made, "oinp.certificate"
	payload, _ = json.Marshal(forged)
	answers, _, err = f.ts.sv.Push(f.sig.by, []sync.Command{{ID: newID(t), Kind: store.KindPrinted, Entity: f.sig.by.Account,
		Actor: f.sig.by.Account, Payload: payload}})
	if err != nil || answers[0].Outcome != sync.Rejected || answers[0].Error.Code != printcode.ErrCodeFalse {
		t.Fatalf("a record with a made-up code: %+v %v", answers, err)
	}
	if _, err := f.dir.c.Verify(ctx, made); domain.ErrorCode(err) != store.ErrCodeUnknown {
		t.Fatalf("a made-up code: %v", err)
	}
	if p, err := f.dir.c.Verify(ctx, code); err != nil || p.Facts[2].Value != "3" {
		t.Fatalf("the genuine record after the forgeries: %+v %v", p, err)
	}
}

func newID(t *testing.T) domain.ID {
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

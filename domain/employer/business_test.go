package employer

import (
	"testing"
	"time"

	"dossier/domain"
)

func TestEnrolmentCheck(t *testing.T) {
	ok := Enrolment{OperatesInCanada: true, BN: "123 456 782", LegalName: "  Les Serres Côté Inc. ", OperatingName: "Serres Côté"}
	got, err := ok.Check()
	if err != nil || got.BN != "123456782" || got.LegalName != "Les Serres Côté Inc." {
		t.Fatalf("%+v %v", got, err)
	}
	for _, c := range []struct {
		name string
		edit func(e *Enrolment)
		code domain.Code
	}{
		{"not in Canada", func(e *Enrolment) { e.OperatesInCanada = false }, ErrNotInCanada},
		{"a wrong digit", func(e *Enrolment) { e.BN = "123456783" }, ErrBNCheck},
		{"no legal name", func(e *Enrolment) { e.LegalName = " " }, domain.ErrRequired},
	} {
		e := ok
		c.edit(&e)
		if _, err := e.Check(); domain.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if FoldLegalName("Les Serres Côté, Inc.") != FoldLegalName("LES SERRES COTE INC") ||
		FoldLegalName("Serres Côté") == FoldLegalName("Serres Cote Ltd") {
		t.Fatal("legal names fold wrongly")
	}
}

func TestDecideAndBranches(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	b := Business{ID: domain.ID{1}, Status: Pending}
	if _, err := b.AddBranch(domain.ID{2}, domain.ID{9}, "Guelph", "Guelph", now); domain.ErrorCode(err) != ErrNotApproved {
		t.Fatalf("a branch before approval: %v", err)
	}
	if err := b.Decide(domain.ID{7}, false, " ", now); domain.ErrorCode(err) != ErrReasonRequired {
		t.Fatalf("a refusal without reason: %v", err)
	}
	if err := b.Decide(domain.ID{7}, true, "", now); err != nil || b.Status != Approved {
		t.Fatalf("approve: %v %s", err, b.Status)
	}
	if err := b.Decide(domain.ID{7}, false, "late", now); domain.ErrorCode(err) != ErrNotPending {
		t.Fatalf("decided twice: %v", err)
	}
	br, err := b.AddBranch(domain.ID{2}, domain.ID{9}, "Guelph", "Guelph", now)
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := b.Unit(br.ID); !ok || u.Name != "Guelph" {
		t.Fatal("branch not found")
	}
	if u, ok := b.Unit(b.ID); !ok || u != nil {
		t.Fatal("the business itself is a unit")
	}
	if _, ok := b.Unit(domain.ID{3}); ok {
		t.Fatal("another organisation is a unit")
	}
}

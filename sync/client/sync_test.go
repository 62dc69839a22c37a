package client_test

import (
	"testing"

	"dossier/domain/ens"
)

// TestDesksAndAStudentConverge is the "done when": two desks of one
// school and a student, each on their own computer, converge through the
// server; the EVN a desk issues offline stays valid after sync.
func TestDesksAndAStudentConverge(t *testing.T) {
	ts := startServer(t)
	school, pin := ts.school("A01", "Collège Boréal")
	dir := newDesk(t, ts, "dir")
	dir.enrolDIR("dir.a", pin)
	stu := newDesk(t, ts, "student")
	stu.student("eleve1", "Élodie", "Côté")

	r := stu.raise(school.ID, 1)
	stu.sync()
	dir.sync()
	got := dir.request(r.ID)
	if got.Status != ens.New || got.Student.FamilyName != "Côté-b" {
		t.Fatalf("desk sees %+v", got)
	}

	// The DIR works offline: checks, then Verify issues an EVN locally.
	saved, err := dir.st.Act(dir.by, r.ID, ens.Action{Function: ens.Save, Draft: allMet()}, got.Version)
	if err != nil {
		t.Fatal(err)
	}
	verified, err := dir.st.Act(dir.by, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, saved.Version)
	if err != nil {
		t.Fatal(err)
	}
	dir.sync()
	stu.sync()
	seen := stu.request(r.ID)
	if seen.Status != ens.Verified || seen.EVN != verified.EVN {
		t.Fatalf("student sees %v %q, desk issued %q", seen.Status, seen.EVN, verified.EVN)
	}
	if n, _ := dir.st.OutboxLen(); n != 0 {
		t.Fatalf("outbox after sync: %d", n)
	}
}

package client_test

import (
	"testing"

	"dossier/domain/oinp"
	"dossier/store/applications"
	"dossier/store/programs"
)

// TestFileIndexFollowsTheServer: the applications' list index of the
// server and of every desk (the applicant's, the officer's, the
// representative's) stays the one its records make after each change
// that reaches it through sync: a submission, a request for
// information, a representative authorised then cancelled, a decision,
// a withdrawal.
func TestFileIndexFollowsTheServer(t *testing.T) {
	ts := startServer(t)
	linh := submitted(t, ts, "linh.nguyen", "Linh", "Nguyen", "Mississauga")
	eloise := submitted(t, ts, "eloise.roy", "Éloise", "Roy", "Ottawa")
	one := officerNamed(t, ts, "officer.one", "Pat")
	rep := newDesk(t, ts, "rep")
	rep.representative("sam.rep", "sam@consult.example")
	desks := []*desk{linh, eloise, one, rep}
	check := func(step string) {
		t.Helper()
		for range 2 { // what one desk sends, the others read on the second pass
			for _, d := range desks {
				d.sync()
			}
		}
		stores := []programs.Desk{ts.sv.Store()}
		for _, d := range desks {
			stores = append(stores, d.st)
		}
		for i, s := range stores {
			if err := s.CheckFileIndex(); err != nil {
				t.Fatalf("%s: store %d: %v", step, i, err)
			}
		}
	}
	lines := func(f applications.FileFilter) int {
		t.Helper()
		q, err := one.st.ProcessingQueue(one.by, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(q)
	}
	check("submitted")
	if n := lines(applications.FileFilter{Search: "eloise"}); n != 1 {
		t.Fatalf("the officer finds %d files for Éloise", n)
	}
	due := linh.file().Submitted.AddDays(10) // from the file's own day, not the calendar
	if _, err := one.st.RequestInformation(one.by, linh.by.Account, "Send your T4.", due); err != nil {
		t.Fatal(err)
	}
	check("asked for information")
	if n := lines(applications.FileFilter{Statuses: []oinp.FileStatus{oinp.StatusInformation}}); n != 1 {
		t.Fatalf("%d files waiting for information", n)
	}
	if err := rep.st.RequestRepresentation(rep.by, string(linh.file().FileNumber), linh.file().Contact.Email); err != nil {
		t.Fatal(err)
	}
	check("a representative asked")
	if _, err := linh.st.DecideRepresentation(linh.by, rep.by.Account, true); err != nil {
		t.Fatal(err)
	}
	check("the representative authorised")
	if clients, err := rep.st.ClientApplications(rep.by); err != nil || len(clients) != 1 {
		t.Fatalf("the representative's clients: %d %v", len(clients), err)
	}
	if _, err := one.st.DecideApplication(one.by, eloise.by.Account, false, []string{"The wage is below the median."}); err != nil {
		t.Fatal(err)
	}
	check("decided")
	if n := lines(applications.FileFilter{Statuses: []oinp.FileStatus{oinp.StatusRefused}}); n != 1 {
		t.Fatalf("%d refused files", n)
	}
	if _, err := linh.st.CancelRepresentation(linh.by, rep.by.Account); err != nil {
		t.Fatal(err)
	}
	check("the representative cancelled")
	if clients, err := rep.st.ClientApplications(rep.by); err != nil || len(clients) != 0 {
		t.Fatalf("a cancelled representative lists %d files (%v)", len(clients), err)
	}
	if _, err := linh.st.WithdrawApplication(linh.by); err != nil {
		t.Fatal(err)
	}
	check("withdrawn")
	if n := lines(applications.FileFilter{Statuses: []oinp.FileStatus{oinp.StatusWithdrawn}}); n != 1 {
		t.Fatalf("%d withdrawn files", n)
	}
}

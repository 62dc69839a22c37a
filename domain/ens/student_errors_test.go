package ens

import (
	"testing"
	"time"

	"dossier/domain"
)

// TestStudentErrorsFindsEveryField: StudentErrors names each field that
// CleanStudent would refuse, not only the first, and nothing for a
// student CleanStudent accepts.
func TestStudentErrorsFindsEveryField(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	bad := Student{GivenNames: "Ana", ClientID: "12", StudentNumber: "no spaces allowed", Email: "not an address"}
	var fields []string
	for _, err := range StudentErrors(bad, now) {
		e, ok := err.(*domain.Error)
		if !ok {
			t.Fatalf("not a field error: %v", err)
		}
		fields = append(fields, e.Field)
	}
	want := []string{"familyName", "birthDate", "clientID", "studentNumber", "email"}
	if len(fields) != len(want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	for i := range want {
		if fields[i] != want[i] {
			t.Fatalf("fields %v, want %v", fields, want)
		}
	}
	if _, err := CleanStudent(bad, now); err == nil || err.(*domain.Error).Field != "familyName" {
		t.Fatalf("CleanStudent: %v", err)
	}
	good := Student{GivenNames: "Ana", FamilyName: "Silva", BirthDate: domain.DateOf(now.AddDate(-20, 0, 0)), ClientID: "87654321"}
	if errs := StudentErrors(good, now); len(errs) != 0 {
		t.Fatalf("a good student: %v", errs)
	}
}

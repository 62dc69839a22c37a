package account

import (
	"slices"
	"testing"

	"dossier/domain"
)

func errorFields(t *testing.T, errs []error) []string {
	t.Helper()
	var fields []string
	for _, err := range errs {
		e, ok := err.(*domain.Error)
		if !ok {
			t.Fatalf("not a field error: %v", err)
		}
		fields = append(fields, e.Field)
	}
	return fields
}

// TestEnrolmentErrorsFindsEveryField: Errors names every field Check would
// refuse, not only the first; Check still stops at the first; a good
// enrolment has none.
func TestEnrolmentErrorsFindsEveryField(t *testing.T) {
	bad := Enrolment{UserID: "a b", Password: "short", GivenNames: "Zoé", PIN: "12", Form: "?",
		Questions: [QuestionCount]SecurityQuestion{{"Pet?", "Rex"}, {"pet?", "x"}, {"", "Laval"}, {"Street?", "Main"}}}
	got := errorFields(t, bad.Errors())
	want := []string{"userID", "form", "password", "familyName", "pin", "terms", "question2", "answer2", "question3"}
	if !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	if _, err := bad.Check(); err == nil || err.(*domain.Error).Field != "userID" {
		t.Fatalf("Check: %v", err)
	}
	good := goodEnrolment(t)
	if errs := good.Errors(); len(errs) != 0 {
		t.Fatalf("a good enrolment: %v", errs)
	}
}

// TestRegistrationErrorsFindsEveryField: a registration's Errors adds its
// e-mail to the enrolment's checks and never names the PIN it has not.
func TestRegistrationErrorsFindsEveryField(t *testing.T) {
	r := Registration{UserID: "zoe", Password: "correct horse 7", FamilyName: "", Email: "not an address", AcceptTerms: true,
		Questions: [QuestionCount]SecurityQuestion{{"Pet?", "Rex"}, {"School?", "Laval"}, {"City?", "Laval"}, {"Street?", "Main"}}}
	got := errorFields(t, r.Errors())
	if want := []string{"familyName", "email"}; !slices.Equal(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	r.FamilyName, r.Email = "Gagnon", "zoe@example.ca"
	if errs := r.Errors(); len(errs) != 0 {
		t.Fatalf("a good registration: %v", errs)
	}
	if _, err := r.Check(); err != nil {
		t.Fatal(err)
	}
}

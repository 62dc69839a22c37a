package client_test

import (
	"context"
	"encoding/json"
	"testing"

	"dossier/domain"
	"dossier/domain/oinp"
)

// TestApplicationStartedFromSelfAssessmentReachesTheServer: answers given
// before signing up follow the applicant into their account on the desk;
// the application they start from them reaches the server and the
// applicant's other computer, while the answers themselves never leave
// the desk.
func TestApplicationStartedFromSelfAssessmentReachesTheServer(t *testing.T) {
	ts := startServer(t)
	home := newDesk(t, ts, "home")
	var answers oinp.Application
	answers.Employer.Offer = oinp.JobOffer{NOC: "8611", Province: "ON", FullTime: oinp.Yes, HoursPerWeek: 40}
	answers.Language = []oinp.LanguageTest{{ID: domain.ID{7, 1}, Test: oinp.CELPIP,
		Taken: domain.Date{Year: 2026, Month: 5, Day: 2}, Listening: 7, Reading: 6, Writing: 6, Speaking: 7}}
	answers.Funds.AvailableCents = 1_800_000
	b, _ := json.Marshal(answers)
	if err := home.st.SaveAssessment(domain.ID{}, "oinp", b); err != nil {
		t.Fatal(err)
	}
	home.applicant("mei.chen")
	if err := home.st.AdoptAssessments(home.by.Account); err != nil {
		t.Fatal(err)
	}
	kept, err := home.st.Assessment(home.by.Account, "oinp")
	if err != nil || kept == nil {
		t.Fatalf("the answers did not follow into the account: %v", err)
	}
	var fromDesk oinp.Application
	if err := json.Unmarshal(kept, &fromDesk); err != nil {
		t.Fatal(err)
	}
	var app oinp.Application
	if conflicts, err := oinp.Prefill(&app, &fromDesk, false); err != nil || len(conflicts) != 0 {
		t.Fatalf("prefill: %v %v", conflicts, err)
	}
	if _, err := home.st.SaveApplication(home.by, app); err != nil {
		t.Fatal(err)
	}
	home.sync()
	if n, _ := home.st.OutboxLen(); n != 0 {
		t.Fatalf("%d changes still waiting", n)
	}

	library := newDesk(t, ts, "library")
	if err := library.c.SignIn(context.Background(), [16]byte{}, "mei.chen", password); err != nil {
		t.Fatal(err)
	}
	library.signedIn("mei.chen")
	got, found, err := library.st.Application(library.by)
	if err != nil || !found {
		t.Fatalf("the server did not pass the application on: %v", err)
	}
	o := got.App.Employer.Offer
	if o.NOC != "8611" || o.Province != "ON" || o.FullTime != oinp.Yes || o.HoursPerWeek != 40 ||
		len(got.App.Language) != 1 || got.App.Language[0].Test != oinp.CELPIP || got.App.Language[0].Speaking != 7 ||
		got.App.Funds.AvailableCents != 1_800_000 {
		t.Errorf("the server's application: %+v", got.App)
	}
	if b, _ := library.st.Assessment(library.by.Account, "oinp"); b != nil {
		t.Error("the self-assessment left the desk")
	}
}

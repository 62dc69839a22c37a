package oinp

import (
	"slices"
	"testing"

	"dossier/domain"
)

// complete is the eligible application with every mandatory field of
// every tab filled, and a history with no gaps.
func complete() *Application {
	a := eligible()
	a.Assistance = Assistance{Helped: No}
	a.Applicant.BirthPlace, a.Applicant.Sex, a.Applicant.Citizenship, a.Applicant.Residence = "Huế", "F", "VN", "CA"
	a.Applicant.Passport, a.Applicant.PassportTo = "C1234567", date(2030, 1, 1)
	a.Contact.Phone, a.Contact.Language = "905-555-0100", "en"
	a.Immigration.ClientID, a.Immigration.OtherPR = "12345678", No
	a.Work[0].Title = "Greenhouse worker"
	a.Work = append([]Work{{Employer: "Hợp tác xã Hoa", Title: "Farm worker", NOC: "8431", From: date(2015, 3, 1),
		To: date(2024, 6, 30), HoursPerWeek: 44, Country: "VN", Paid: Yes, Authorised: Yes}}, a.Work...)
	a.Activities = []Activity{{Kind: "travel", Description: "Moving to Canada", From: date(2024, 7, 1), To: date(2024, 8, 31), Country: "CA"}}
	a.Funds.Members = 1
	a.LearnedFrom = "employer"
	a.Employer.AppliedBefore, a.Employer.Helped = No, No
	a.Employer.BusinessNumber, a.Employer.Structure, a.Employer.Sector = "123456782", "corporation", "Agriculture"
	a.Employer.Address = Address{Street: "400 Derry Rd", City: "Mississauga", Province: "ON", Country: "CA"}
	a.Employer.EmployeesTotal = 30
	a.Employer.Offer.Position, a.Employer.Offer.LMIA = "Greenhouse worker", No
	a.Employer.Offer.SigningOfficer, a.Employer.Offer.ContactPerson = "Anna Kowalski", "Raj Patel"
	for _, d := range SchedulesDue(a, submission) {
		a.Agreements = append(a.Agreements, Agreement{Schedule: d.Schedule, Person: d.Person, Name: PersonName(a, d.Person),
			Agreed: date(2026, 11, 20)})
	}
	for i, r := range Checklist(a) {
		if r.Mandatory {
			a.Documents = append(a.Documents, Document{ID: domain.ID{byte(i + 1)}, Kind: r.Kind, Person: r.Person,
				Name: r.Kind + ".pdf", Type: "pdf", Size: 1000, SHA256: "00", Added: date(2026, 11, 15)})
		}
	}
	return a
}

func TestCompleteApplicationHasNoProblems(t *testing.T) {
	for _, p := range Validate(complete(), submission) {
		t.Errorf("%s: %s %v", p.Tab, p.Err.Field, p.Err.Code)
	}
	if !Evaluate(complete(), submission, shippedTables()).Eligible() {
		t.Fatal("the complete application is not eligible")
	}
}

// TestCheckForErrors: each change brings one problem, on its tab and its
// field, so that the Summary leads to the input to fix.
func TestCheckForErrors(t *testing.T) {
	cases := []struct {
		name   string
		change func(a *Application)
		tab    Tab
		field  string
		code   domain.Code
	}{
		{"no answer on help", func(a *Application) { a.Assistance.Helped = "" }, TabAssistance, "assistance.helped", ErrAnswer},
		{"paid helper not recognised", func(a *Application) {
			a.Assistance = Assistance{Helped: Yes, Name: "Sam", Relationship: "friend", Paid: Yes, PaidCategory: "friend"}
		}, TabAssistance, "assistance.paidCategory", ErrPaidHelper},
		{"no family name", func(a *Application) { a.Applicant.FamilyName = "" }, TabApplicant, "applicant.familyName", domain.ErrNameRequired},
		{"birth in the future", func(a *Application) { a.Applicant.BirthDate = date(2027, 1, 1) }, TabApplicant, "applicant.birthDate", domain.ErrBirthInFuture},
		{"unknown marital status", func(a *Application) { a.Applicant.Marital = "engaged" }, TabApplicant, "applicant.maritalStatus", ErrChoice},
		{"bad e-mail", func(a *Application) { a.Contact.Email = "linh@" }, TabContact, "contact.email", domain.ErrEmailFormat},
		{"no province in Canada", func(a *Application) { a.Contact.Address.Province = "" }, TabContact, "contact.residence.province", domain.ErrRequired},
		{"bad client ID", func(a *Application) { a.Immigration.ClientID = "1234" }, TabImmigration, "immigration.clientID", domain.ErrClientIDFormat},
		{"no education", func(a *Application) { a.Education = nil }, TabEducation, "education", ErrListEmpty},
		{"IELTS 9.5", func(a *Application) { a.Language[0].Speaking = 9.5 }, TabLanguage, "language[0].speaking", ErrScoreRange},
		{"test in the future", func(a *Application) { a.Language[0].Taken = date(2027, 1, 1) }, TabLanguage, "language[0].taken", ErrDateFuture},
		{"NOC of 3 digits", func(a *Application) { a.Work[1].NOC = "843" }, TabWork, "work[1].noc", ErrNOCFormat},
		{"job ends before it starts", func(a *Application) { a.Work[1].To = date(2024, 1, 1) }, TabWork, "work[1].to", ErrDateOrder},
		{"170 h a week", func(a *Application) { a.Work[1].HoursPerWeek = 170 }, TabWork, "work[1].hoursPerWeek", ErrHoursRange},
		{"a gap in the history", func(a *Application) { a.Activities = nil }, TabActivities, "activities", ErrGap},
		{"signed with another name", func(a *Application) { a.Intent.SignedName = "L. Nguyen" }, TabIntent, "intent.signedName", ErrSignature},
		{"a child without a birth date", func(a *Application) {
			a.Family = []FamilyMember{{FamilyName: "Nguyen", GivenNames: "An", Relationship: "child", CitizenOrPR: No}}
			a.Funds.Members = 2
		}, TabFamily, "family[0].birthDate", domain.ErrRequired},
		{"family size not updated", func(a *Application) {
			a.Family = []FamilyMember{{FamilyName: "Nguyen", GivenNames: "An", BirthDate: date(2015, 1, 1), Relationship: "child", CitizenOrPR: No}}
		}, TabFunds, "funds.members", ErrMembers},
		{"no learned-from", func(a *Application) { a.LearnedFrom = "" }, TabLearning, "learnedFrom", domain.ErrRequired},
		{"BN of 8 digits", func(a *Application) { a.Employer.BusinessNumber = "12345678" }, TabEmployerBusiness, "employer.businessNumber", ErrBNFormat},
		{"more at the location than in all", func(a *Application) { a.Employer.EmployeesTotal = 3 }, TabEmployerBusiness, "employer.employeesTotal", ErrEmployees},
		{"LMIA not answered", func(a *Application) { a.Employer.Offer.LMIA = "" }, TabEmployerOffer, "employer.offer.lmia", ErrAnswer},
		{"an LMIA and no copy of it", func(a *Application) { a.Employer.Offer.LMIA = Yes }, TabDocuments, "documents.lmia", ErrDocumentMissing},
		{"no passport", func(a *Application) { a.Documents = slices.Delete(a.Documents, 1, 2) }, TabDocuments, "documents.passport", ErrDocumentMissing},
		{"a child's passport missing", func(a *Application) {
			a.Family = []FamilyMember{{FamilyName: "Nguyen", GivenNames: "An", BirthDate: date(2015, 1, 1), Relationship: "child", CitizenOrPR: No}}
			a.Funds.Members = 2
		}, TabDocuments, "documents.family-passport.1", ErrDocumentMissing},
		{"schedule C not agreed", func(a *Application) { a.Agreements = slices.Delete(a.Agreements, 2, 3) },
			TabSchedules, "schedules.C", ErrAgreement},
		{"schedule A agreed under another name", func(a *Application) { a.Agreements[0].Name = "Someone Else" },
			TabSchedules, "schedules.A", ErrSignature},
		{"a spouse has not agreed to B and D", func(a *Application) {
			a.Family = []FamilyMember{{FamilyName: "Tran", GivenNames: "Minh", BirthDate: date(1989, 1, 1), Relationship: "spouse", CitizenOrPR: No}}
			a.Funds.Members = 2
			a.Agreements = append(a.Agreements, Agreement{Schedule: "B", Person: 1, Name: "Minh Tran", Agreed: date(2026, 11, 20)})
			a.Documents = append(a.Documents, Document{ID: domain.ID{99}, Kind: "family-passport", Person: 1, Name: "p.pdf"})
		}, TabSchedules, "schedules.D.1", ErrAgreement},
		{"a translation missing", func(a *Application) { a.Documents[2].NeedsTranslation = Yes }, TabDocuments, "documents.birth-certificate", ErrTranslation},
		{"equity not explained", func(a *Application) { a.Employer.Offer.EquityPercent = 5 }, TabEmployerOffer, "employer.offer.equityAsPay", ErrAnswer},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := complete()
			c.change(a)
			ps := ProblemsIn(Validate(a, submission), c.tab)
			if len(ps) != 1 {
				for _, p := range ps {
					t.Logf("%s: %s %s", p.Tab, p.Err.Field, p.Err.Code)
				}
				t.Fatalf("%d problems on %s, want 1", len(ps), c.tab)
			}
			if p := ps[0]; p.Err.Field != c.field || p.Err.Code != c.code {
				t.Fatalf("%s %s, want %s %s", p.Err.Field, p.Err.Code, c.field, c.code)
			}
		})
	}
}

func TestGaps(t *testing.T) {
	a := complete()
	if g := Gaps(a, submission); len(g) != 0 {
		t.Fatalf("gaps in a full history: %v", g)
	}
	a.Activities[0].From = date(2024, 8, 1) // July uncovered: 31 days
	g := Gaps(a, submission)
	if len(g) != 1 || g[0].From != date(2024, 7, 1) || g[0].To != date(2024, 7, 31) {
		t.Fatalf("gaps: %v", g)
	}
	a.Activities[0].From = date(2024, 7, 31) // 30 days: between two jobs, not a gap
	if g := Gaps(a, submission); len(g) != 0 {
		t.Fatalf("a 30-day pause counted as a gap: %v", g)
	}
	// Since 18 when that is less than ten years ago.
	b := complete()
	b.Applicant.BirthDate = date(2006, 1, 10)
	b.Work, b.Education, b.Activities = b.Work[1:], nil, []Activity{{Kind: "other", From: date(2024, 1, 10), To: date(2024, 8, 31)}}
	if g := Gaps(b, submission); len(g) != 0 {
		t.Fatalf("gaps before 18 reported: %v", g)
	}
}

func TestDeadlines(t *testing.T) {
	a := complete()
	a.Registered = date(2026, 11, 10)
	ds := Deadlines(a, submission)
	want := []struct {
		what string
		d    domain.Date
		left int
	}{
		{"submit", date(2026, 11, 24), 3},
		{"employer-form", date(2027, 2, 1), 72},
		{"language", date(2027, 5, 3), 163},
		{"status", date(2027, 6, 30), 221},
		{"eca", date(2028, 1, 10), 415},
		{"passport", date(2030, 1, 1), 1137},
	}
	if len(ds) != len(want) {
		t.Fatalf("deadlines %+v", ds)
	}
	for i, w := range want {
		if ds[i].What != w.what || ds[i].Date != w.d || ds[i].DaysLeft != w.left {
			t.Errorf("%d: %+v, want %+v", i, ds[i], w)
		}
	}
	a.Submitted = submission
	if ds := Deadlines(a, submission); ds[0].What != "employer-documents" || ds[0].Date != date(2026, 11, 23) {
		t.Fatalf("after submission: %+v", ds[0])
	}
	b := complete()
	b.Immigration.StatusExpires = date(2026, 10, 1)
	found := false
	for _, d := range Deadlines(b, submission) {
		found = found || d.What == "restore" && d.Date == date(2026, 12, 30) && d.DaysLeft == 39
	}
	if !found {
		t.Fatalf("no restoration date: %+v", Deadlines(b, submission))
	}
	// Refused on 1 March 2027: 30 days to ask for a review from Canada,
	// 60 from abroad.
	a.Decision = &Decision{Outcome: "refused", Notified: date(2027, 3, 1)}
	if got := a.ReviewDeadline(); got != date(2027, 3, 31) {
		t.Fatalf("review deadline %v", got)
	}
	a.Immigration.InCanada, a.Applicant.Residence = No, "VN"
	if got := a.ReviewDeadline(); got != date(2027, 4, 30) {
		t.Fatalf("review deadline from abroad %v", got)
	}
}

func TestSchedulesDue(t *testing.T) {
	a := complete()
	a.Family = []FamilyMember{
		{GivenNames: "An", FamilyName: "Nguyen", Relationship: "child", BirthDate: date(2010, 11, 22)},  // 15 on the day
		{GivenNames: "Bao", FamilyName: "Nguyen", Relationship: "child", BirthDate: date(2010, 11, 21)}, // 16 on the day
		{GivenNames: "Minh", FamilyName: "Tran", Relationship: "partner", BirthDate: date(1995, 1, 1)},
	}
	var got []string
	for _, d := range SchedulesDue(a, submission) {
		got = append(got, AgreementField(d.Schedule, d.Person))
	}
	want := []string{"schedules.A", "schedules.B", "schedules.C", "schedules.B.2", "schedules.D.2", "schedules.B.3", "schedules.D.3"}
	if !slices.Equal(got, want) {
		t.Fatalf("due %v, want %v", got, want)
	}
	// §4.2.18: "your accompanying spouse or common-law partner and any
	// accompanying dependents (aged 16 and over) must also read and sign
	// Schedules B and D": a partner and a child of 16 who stay behind are
	// not asked.
	a.Family[1].Accompanying, a.Family[2].Accompanying = No, No
	got = nil
	for _, d := range SchedulesDue(a, submission) {
		got = append(got, AgreementField(d.Schedule, d.Person))
	}
	if want := []string{"schedules.A", "schedules.B", "schedules.C"}; !slices.Equal(got, want) {
		t.Fatalf("not accompanying: due %v, want %v", got, want)
	}
	a.Family[2].Accompanying = Yes
	if n := len(SchedulesDue(a, submission)); n != 5 {
		t.Fatalf("an accompanying partner: %d schedules due", n)
	}
}

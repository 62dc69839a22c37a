package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/sync"
)

// officerNamed is a program officer with their own user ID, signed in on
// a desk of their own: the program's first account, or another one the
// administrator adds.
func officerNamed(t *testing.T, ts *testServer, user, given string) *desk {
	t.Helper()
	r := account.Registration{UserID: user, Password: password, GivenNames: given, FamilyName: "Ouellet",
		AcceptTerms: true, Questions: questions}
	_, err := ts.sv.CreateProgramAccount(r)
	if errors.Is(err, store.ErrProgramExists) {
		_, err = ts.sv.AddProgramOfficer(r)
	}
	if err != nil {
		t.Fatal(err)
	}
	d := newDesk(t, ts, user)
	if err := d.c.SignIn(context.Background(), [16]byte{}, user, password); err != nil {
		t.Fatal(err)
	}
	d.signedIn(user)
	return d
}

// submitted has an applicant on a new desk submit the example application
// under their name, for a job in municipality, and sync.
func submitted(t *testing.T, ts *testServer, user, given, family, municipality string) *desk {
	t.Helper()
	d := newDesk(t, ts, user)
	d.applicant(user)
	app := exampleApplication(t)
	app.Applicant.GivenNames, app.Applicant.FamilyName = given, family
	app.Employer.Offer.Municipality = municipality
	app.Intent.SignedName = given + " " + family
	for i := range app.Agreements {
		if app.Agreements[i].Name == "Linh Nguyen" {
			app.Agreements[i].Name = given + " " + family
		}
	}
	if _, err := d.st.SaveApplication(d.by, *app); err != nil {
		t.Fatal(err)
	}
	attachMandatory(t, d, app)
	reg, err := d.st.RegisterApplication(d.by)
	if err != nil {
		t.Fatal(err)
	}
	fee := oinp.Evaluate(&reg.App, domain.DateOf(time.Now()), assets.OINPTables()).FeeCents
	card := oinp.Card{Number: "4111111111111111", Name: given + " " + family, ExpMonth: 1, ExpYear: 2099, CVC: "123"}
	if _, err := d.st.SubmitApplication(d.by, card, fee); err != nil {
		t.Fatal(err)
	}
	d.sync()
	return d
}

func (d *desk) file() oinp.Application {
	d.t.Helper()
	rec, found, err := d.st.Application(d.by)
	if err != nil || !found {
		d.t.Fatalf("%s: application: %v %v", d.name, found, err)
	}
	return rec.App
}

func queueNumbers(t *testing.T, d *desk, f applications.FileFilter) []oinp.FileNumber {
	t.Helper()
	q, err := d.st.ProcessingQueue(d.by, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []oinp.FileNumber
	for _, s := range q {
		out = append(out, s.FileNumber)
	}
	return out
}

// sixMonthsAfter is the day six months on, the last of its month when the
// month is shorter.
func sixMonthsAfter(d domain.Date) domain.Date {
	first := time.Date(d.Year, d.Month+6, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return domain.Date{Year: first.Year(), Month: first.Month(), Day: min(d.Day, last)}
}

func hasDeadline(a *oinp.Application, what string, on domain.Date) bool {
	return slices.ContainsFunc(oinp.Deadlines(a, on), func(d oinp.Deadline) bool { return d.What == what && d.Date == on })
}

// TestProgramDecidesAFile: two applicants submit; an officer finds their
// files in the processing queue (by status, stream, GTA, day and search),
// asks one for information, which the applicant reads and answers, then
// nominates them (the certificate valid six months, which another officer
// extends); the other file is refused with reasons, its internal review
// recorded in time and decided by an officer who did not refuse it (the
// one who did is refused on their desk and by the server), which
// nominates. Each applicant reads every step after their sync.
func TestProgramDecidesAFile(t *testing.T) {
	ts := startServer(t)
	linh := submitted(t, ts, "linh.nguyen", "Linh", "Nguyen", "Mississauga")
	eloise := submitted(t, ts, "eloise.cote", "Éloïse", "Côté-Lévesque", "Ottawa")
	one := officerNamed(t, ts, "officer.one", "Pat")
	two := officerNamed(t, ts, "officer.two", "Sam")
	today := domain.DateOf(time.Now().UTC())
	linhFile, eloiseFile := linh.file().FileNumber, eloise.file().FileNumber

	// The queue, its filters and its search.
	all := queueNumbers(t, one, applications.FileFilter{})
	if len(all) != 2 || !slices.Contains(all, linhFile) || !slices.Contains(all, eloiseFile) || all[0] > all[1] {
		t.Fatalf("queue %v", all)
	}
	for _, c := range []struct {
		name string
		f    applications.FileFilter
		want []oinp.FileNumber
	}{
		{"in the GTA", applications.FileFilter{GTA: oinp.Yes}, []oinp.FileNumber{linhFile}},
		{"outside the GTA", applications.FileFilter{GTA: oinp.No}, []oinp.FileNumber{eloiseFile}},
		{"work location not known", applications.FileFilter{GTAUnknown: true}, nil},
		{"name without accents, any case", applications.FileFilter{Search: "COTE levesque"}, []oinp.FileNumber{eloiseFile}},
		{"given name first", applications.FileFilter{Search: "linh ngu"}, []oinp.FileNumber{linhFile}},
		{"file number", applications.FileFilter{Search: string(linhFile)}, []oinp.FileNumber{linhFile}},
		{"file number in lower case", applications.FileFilter{Search: "joid-" + string(eloiseFile[5:])}, []oinp.FileNumber{eloiseFile}},
		{"nobody", applications.FileFilter{Search: "tremblay"}, nil},
		{"submitted", applications.FileFilter{Statuses: []oinp.FileStatus{oinp.StatusSubmitted}}, all},
		{"nominated", applications.FileFilter{Statuses: []oinp.FileStatus{oinp.StatusNominated}}, nil},
		{"the stream", applications.FileFilter{Stream: oinp.StreamInDemandSkills}, all},
		{"another stream", applications.FileFilter{Stream: "entrepreneur"}, nil},
		{"submitted today", applications.FileFilter{From: today, To: today}, all},
		{"submitted from tomorrow", applications.FileFilter{From: today.AddDays(1)}, nil},
		{"submitted until yesterday", applications.FileFilter{To: today.AddDays(-1)}, nil},
	} {
		if got := queueNumbers(t, one, c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if _, rep, err := one.st.FileEligibility(one.by, linh.by.Account); err != nil || rep.InGTA != oinp.Yes || len(rep.Results) == 0 {
		t.Fatalf("eligibility: %+v %v", rep, err)
	}
	if _, err := linh.st.ProcessingQueue(linh.by, applications.FileFilter{}); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("an applicant read the queue: %v", err)
	}
	if _, err := linh.st.FileFor(linh.by, eloise.by.Account); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("an applicant read another's file: %v", err)
	}

	// A request for information, read and answered by the applicant.
	due := today.AddDays(14)
	if _, err := one.st.RequestInformation(one.by, linh.by.Account, "Send your 2026 T4 slip.", today); !errors.Is(err, oinp.ErrInfoDue) {
		t.Fatalf("due today: %v", err)
	}
	rec, err := one.st.RequestInformation(one.by, linh.by.Account, "Send your 2026 T4 slip.", due)
	if err != nil || rec.App.ProcessingStatus() != oinp.StatusInformation {
		t.Fatalf("request: %v %s", err, rec.App.ProcessingStatus())
	}
	one.sync()
	linh.sync()
	got := linh.file()
	if len(got.InfoRequests) != 1 || got.InfoRequests[0].Text != "Send your 2026 T4 slip." || got.ProcessingStatus() != oinp.StatusInformation ||
		!hasDeadline(&got, "information", due) {
		t.Fatalf("the applicant reads %s %+v", got.ProcessingStatus(), got.InfoRequests)
	}
	if _, err := linh.st.AnswerInformation(linh.by, got.InfoRequests[0].ID, "My T4 is attached to a change notice."); err != nil {
		t.Fatal(err)
	}
	linh.sync()
	one.sync()
	if f, err := one.st.FileFor(one.by, linh.by.Account); err != nil || f.App.InfoRequests[0].Answered != today ||
		f.App.ProcessingStatus() != oinp.StatusSubmitted {
		t.Fatalf("the officer reads %+v %v", f.App.InfoRequests, err)
	}

	// The officer writes her role in the feminine: the letters will too.
	if _, err := one.st.UpdateForm(one.by, account.FormFeminine); err != nil {
		t.Fatal(err)
	}
	one.sync()

	// Approved: nominated for six months; another officer extends it.
	if rec, err = one.st.DecideApplication(one.by, linh.by.Account, true, nil); err != nil {
		t.Fatal(err)
	}
	expires := sixMonthsAfter(today)
	if n := rec.App.Nomination; n == nil || n.Expires != expires || n.Certificate != oinp.CertificateNumber(linhFile, today) {
		t.Fatalf("nomination %+v", n)
	}
	one.sync()
	linh.sync()
	got = linh.file()
	if got.ProcessingStatus() != oinp.StatusNominated || got.Nomination == nil || got.Nomination.Expires != expires ||
		got.Decision.Officer != one.by.Account || !hasDeadline(&got, "nomination", expires) {
		t.Fatalf("the nominee reads %s %+v", got.ProcessingStatus(), got.Nomination)
	}
	// The letters are signed with the deciding officer's name, as the
	// server's records hold it.
	if got.Decision.OfficerName == "" || got.Decision.OfficerName != rec.App.Decision.OfficerName {
		t.Fatalf("the decision is signed %q; the officer's desk says %q", got.Decision.OfficerName, rec.App.Decision.OfficerName)
	}
	if got.Decision.OfficerForm != account.FormFeminine || rec.App.Decision.OfficerForm != account.FormFeminine {
		t.Fatalf("the decision keeps the officer's form %q (her desk %q), not hers", got.Decision.OfficerForm, rec.App.Decision.OfficerForm)
	}
	two.sync()
	if _, err := two.st.ExtendNomination(two.by, linh.by.Account, domain.Date{}, " "); !errors.Is(err, oinp.ErrExtensionReason) {
		t.Fatalf("an extension without explanation: %v", err)
	}
	if _, err := two.st.ExtendNomination(two.by, linh.by.Account, domain.Date{}, "IRCC returned the application as incomplete."); err != nil {
		t.Fatal(err)
	}
	two.sync()
	linh.sync()
	got = linh.file()
	if extended := sixMonthsAfter(expires); got.Nomination.Expires != extended || len(got.Nomination.Extensions) != 1 ||
		!hasDeadline(&got, "nomination", extended) {
		t.Fatalf("after the extension the nominee reads %+v", got.Nomination)
	}

	// Refused with reasons; the review recorded in time goes to another officer.
	if _, err := one.st.DecideApplication(one.by, eloise.by.Account, false, nil); !errors.Is(err, oinp.ErrDecisionReason) {
		t.Fatalf("a refusal without reasons: %v", err)
	}
	if _, err := one.st.DecideApplication(one.by, eloise.by.Account, false, []string{"The wage is below the median."}); err != nil {
		t.Fatal(err)
	}
	one.sync()
	eloise.sync()
	got = eloise.file()
	if got.ProcessingStatus() != oinp.StatusRefused || got.Decision.Reasons[0] != "The wage is below the median." ||
		got.ReviewDeadline() != today.AddDays(oinp.ReviewDaysResident) || !hasDeadline(&got, "review", got.ReviewDeadline()) {
		t.Fatalf("the applicant reads %s %+v", got.ProcessingStatus(), got.Decision)
	}
	if _, err := one.st.RecordReviewRequest(one.by, eloise.by.Account, today, "The median used was for another region."); err != nil {
		t.Fatal(err)
	}
	one.sync()
	if _, err := one.st.DecideReview(one.by, eloise.by.Account, true, nil); !errors.Is(err, oinp.ErrReviewSameDecider) {
		t.Fatalf("the original decider decided the review on their desk: %v", err)
	}
	payload, _ := json.Marshal(applications.DecisionPayload{Approve: true, On: today})
	forged := sync.Command{ID: domain.ID{0xde, 0xc1}, Kind: applications.KindDecideReview, Entity: eloise.by.Account, Actor: one.by.Account, Payload: payload}
	answers, _, err := ts.sv.Push(one.by, []sync.Command{forged})
	if err != nil || len(answers) != 1 || answers[0].Outcome != sync.Rejected || answers[0].Error.Code != oinp.ErrReviewSameDecider {
		t.Fatalf("the server let the original decider decide the review: %+v %v", answers, err)
	}
	two.sync()
	if _, err := two.st.DecideReview(two.by, eloise.by.Account, true, []string{"The right median is lower."}); err != nil {
		t.Fatal(err)
	}
	two.sync()
	eloise.sync()
	got = eloise.file()
	if got.ProcessingStatus() != oinp.StatusNominated || got.Review == nil || got.Review.Outcome != oinp.ReviewOverturned ||
		got.Review.Decider != two.by.Account || got.Review.RecordedBy != one.by.Account || got.Nomination == nil {
		t.Fatalf("after the review the applicant reads %s %+v %+v", got.ProcessingStatus(), got.Review, got.Nomination)
	}
	one.sync()
	if nominated := queueNumbers(t, one, applications.FileFilter{Statuses: []oinp.FileStatus{oinp.StatusNominated}}); !slices.Equal(nominated, all) {
		t.Fatalf("nominated: %v", nominated)
	}
	for _, d := range []*desk{one, two} {
		if rej, _ := d.st.Rejections(d.by); len(rej) != 0 {
			t.Fatalf("%s: refused %+v", d.name, rej)
		}
	}
}

// TestOnlyOfficersDecide: an applicant, an employer and a school's DIR
// are refused the program's actions on their desk and, with a forged
// command, by the server — from the command's declaration, before any
// rule (store.command.role) — which keeps the refusal in its audit; the
// file stays as it was.
func TestOnlyOfficersDecide(t *testing.T) {
	ts := startServer(t)
	linh := submitted(t, ts, "linh.nguyen", "Linh", "Nguyen", "Mississauga")
	employer := newDesk(t, ts, "employer")
	if err := employer.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	employer.sync()
	_, pin := ts.school("A01", "Collège Boréal")
	dir := newDesk(t, ts, "dir")
	dir.enrolDIR("dir.a", pin)
	other := submitted(t, ts, "someone.else", "Kim", "Tran", "Ottawa")

	today := domain.DateOf(time.Now().UTC())
	for i, d := range []*desk{linh, employer, dir, other} {
		if _, err := d.st.DecideApplication(d.by, linh.by.Account, true, nil); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("%s decided on their desk: %v", d.name, err)
		}
		for j, kind := range []sync.Kind{applications.KindDecideApplication, applications.KindRequestInformation, applications.KindRecordReview,
			applications.KindDecideReview, applications.KindExtendNomination} {
			p := applications.DecisionPayload{Approve: true, On: today, Text: "x", Received: today,
				Request: &oinp.InfoRequest{ID: domain.ID{byte(i + 1), 0x1f}, Text: "x", Due: today.AddDays(9)}}
			payload, _ := json.Marshal(p)
			cmd := sync.Command{ID: domain.ID{byte(i + 1), byte(j + 1), 0xf0}, Kind: kind, Entity: linh.by.Account, Actor: d.by.Account, Payload: payload}
			answers, _, err := ts.sv.Push(d.by, []sync.Command{cmd})
			if err != nil || len(answers) != 1 || answers[0].Outcome != sync.Rejected || answers[0].Error.Code != store.ErrNotSender {
				t.Errorf("%s: the server took %s: %+v %v", d.name, kind, answers, err)
			}
		}
	}
	// Another applicant cannot answer this one's requests either.
	payload, _ := json.Marshal(applications.DecisionPayload{RequestID: domain.ID{1}, Text: "x", On: today})
	cmd := sync.Command{ID: domain.ID{0xaa}, Kind: applications.KindAnswerInformation, Entity: linh.by.Account, Actor: other.by.Account, Payload: payload}
	if answers, _, err := ts.sv.Push(other.by, []sync.Command{cmd}); err != nil || answers[0].Outcome != sync.Rejected ||
		answers[0].Error.Code != applications.ErrNotApplicant {
		t.Errorf("another applicant answered: %+v %v", answers, err)
	}

	refused := map[domain.ID]int{}
	err := ts.sv.Store().Audit(func(e store.AuditEntry) bool {
		if e.Action == "refused.sync."+string(applications.KindDecideApplication) && e.Detail == string(store.ErrNotSender) {
			refused[e.Actor]++
		}
		return true
	})
	if err != nil || refused[linh.by.Account] != 1 || refused[employer.by.Account] != 1 || refused[dir.by.Account] != 1 {
		t.Fatalf("audited refusals %v %v", refused, err)
	}
	linh.sync()
	if got := linh.file(); got.ProcessingStatus() != oinp.StatusSubmitted || got.Decision != nil || len(got.InfoRequests) != 0 {
		t.Fatalf("the file changed: %s %+v", got.ProcessingStatus(), got.Decision)
	}
}

// TestRepresentativeAnswersTheProgram: the applicant's active
// representative answers a request for information on their client's
// file; a representative not authorised on it cannot.
func TestRepresentativeAnswersTheProgram(t *testing.T) {
	ts := startServer(t)
	linh := submitted(t, ts, "linh.nguyen", "Linh", "Nguyen", "Mississauga")
	one := officerNamed(t, ts, "officer.one", "Pat")
	one.sync()
	today := domain.DateOf(time.Now())
	if _, err := one.st.RequestInformation(one.by, linh.by.Account, "Send your 2026 T4 slip.", today.AddDays(10)); err != nil {
		t.Fatal(err)
	}
	one.sync()
	rep := newDesk(t, ts, "rep")
	rep.representative("sam.rep", "sam@consult.example")
	if err := rep.st.RequestRepresentation(rep.by, string(linh.file().FileNumber), linh.file().Contact.Email); err != nil {
		t.Fatal(err)
	}
	rep.sync()
	linh.sync()
	if _, err := linh.st.DecideRepresentation(linh.by, rep.by.Account, true); err != nil {
		t.Fatal(err)
	}
	linh.sync()
	rep.sync()
	clients, err := rep.st.ClientApplications(rep.by)
	if err != nil || len(clients) != 1 || len(clients[0].App.InfoRequests) != 1 {
		t.Fatalf("the representative's clients: %+v %v", clients, err)
	}
	req := clients[0].App.InfoRequests[0]
	if _, err := rep.st.AnswerInformationFor(rep.by, linh.by.Account, req.ID, "The T4 is on its way by courier."); err != nil {
		t.Fatal(err)
	}
	rep.sync()
	one.sync()
	if f, err := one.st.FileFor(one.by, linh.by.Account); err != nil || f.App.InfoRequests[0].Answer != "The T4 is on its way by courier." {
		t.Fatalf("the officer reads %+v %v", f.App.InfoRequests, err)
	}
	other := newDesk(t, ts, "other")
	other.representative("kim.rep", "kim@law.example")
	if _, err := other.st.AnswerInformationFor(other.by, linh.by.Account, req.ID, "Not mine to say."); err == nil {
		t.Fatal("a representative without authority answered")
	}
}

// TestOfficerReadsAPersonsAuditHistory: a program officer reads, from the
// server, what an applicant did and what was done to their file; the
// applicant and a DIR may not.
func TestOfficerReadsAPersonsAuditHistory(t *testing.T) {
	ts := startServer(t)
	linh := submitted(t, ts, "linh.nguyen", "Linh", "Nguyen", "Mississauga")
	one := officerNamed(t, ts, "officer.one", "Pat")
	one.sync()
	if _, err := one.st.RequestInformation(one.by, linh.by.Account, "Send your 2026 T4 slip.", domain.DateOf(time.Now()).AddDays(10)); err != nil {
		t.Fatal(err)
	}
	one.sync()
	ctx := context.Background()
	got, _, err := one.c.AuditOf(ctx, linh.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range got {
		actions[e.Action] = true
		if e.Actor != linh.by.Account && e.Entity != linh.by.Account {
			t.Fatalf("an entry of someone else: %+v", e)
		}
	}
	for _, want := range []string{"sync.oinp.submit", "sync." + string(applications.KindRequestInformation), "account.sign-in"} {
		if !actions[want] {
			t.Errorf("the history lacks %s: %v", want, actions)
		}
	}
	if _, _, err := linh.c.AuditOf(ctx, linh.by.Account); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("the applicant read the trail: %v", err)
	}
}

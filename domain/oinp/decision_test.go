package oinp

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"dossier/domain"
)

var (
	officerA = domain.ID{0xa}
	officerB = domain.ID{0xb}
)

// submittedFile is the complete application, submitted on 1 February 2027.
func submittedFile() *Application {
	a := complete()
	a.FileNumber, a.Registered, a.Submitted = "JOID-1234567", date(2027, 1, 20), date(2027, 2, 1)
	return a
}

// refusedFile is submittedFile refused by officer A on 1 March 2027, for
// an applicant resident in Canada (or abroad).
func refusedFile(resident bool) *Application {
	a := submittedFile()
	if !resident {
		a.Immigration.InCanada, a.Applicant.Residence = No, "VN"
	}
	if err := a.Decide(officerA, false, []string{"Wage below the median."}, date(2027, 3, 1)); err != nil {
		panic(err)
	}
	return a
}

func nominatedFile() *Application {
	a := submittedFile()
	if err := a.Decide(officerA, true, nil, date(2027, 3, 1)); err != nil {
		panic(err)
	}
	return a
}

func wantCode(t *testing.T, err error, want domain.Code) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestDecide(t *testing.T) {
	on := date(2027, 3, 1)
	tests := []struct {
		name    string
		file    func() *Application
		approve bool
		reasons []string
		want    domain.Code
	}{
		{"approve a submitted file", submittedFile, true, nil, ""},
		{"refuse with a reason", submittedFile, false, []string{" Wage below the median. "}, ""},
		{"refuse without a reason", submittedFile, false, nil, ErrDecisionReason},
		{"refuse with blank reasons", submittedFile, false, []string{" ", ""}, ErrDecisionReason},
		{"not submitted", func() *Application { a := submittedFile(); a.Submitted = domain.Date{}; return a }, true, nil, ErrDecideNotSubmitted},
		{"withdrawn", func() *Application { a := submittedFile(); a.Withdrawn = date(2027, 2, 10); return a }, true, nil, ErrDecideWithdrawn},
		{"already decided", nominatedFile, false, []string{"x"}, ErrDecided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			before := a.ProcessingStatus()
			err := a.Decide(officerA, tt.approve, tt.reasons, on)
			wantCode(t, err, tt.want)
			if err != nil {
				if a.ProcessingStatus() != before {
					t.Fatalf("a refused decision changed the file: %s", a.ProcessingStatus())
				}
				return
			}
			if a.Decision.Officer != officerA || a.Decision.Notified != on {
				t.Fatalf("decision %+v", a.Decision)
			}
			if !tt.approve {
				if a.Nomination != nil || a.ProcessingStatus() != StatusRefused || a.Decision.Reasons[0] != "Wage below the median." {
					t.Fatalf("refusal: %+v %+v %s", a.Decision, a.Nomination, a.ProcessingStatus())
				}
				return
			}
			n := a.Nomination
			if a.ProcessingStatus() != StatusNominated || n == nil || n.Certificate != "CN-2027-1234567" ||
				n.Nominated != on || n.Expires != date(2027, 9, 1) {
				t.Fatalf("nomination %+v", n)
			}
		})
	}
}

// TestNominationExpiryMonthEnd: six months after 31 August is the last day
// of February (the month arithmetic of the other six-month rules).
func TestNominationExpiryMonthEnd(t *testing.T) {
	a := submittedFile()
	if err := a.Decide(officerA, true, nil, date(2027, 8, 31)); err != nil {
		t.Fatal(err)
	}
	if a.Nomination.Expires != date(2028, 2, 29) {
		t.Fatalf("expires %v", a.Nomination.Expires)
	}
}

func TestRequestAndAnswerInformation(t *testing.T) {
	today := date(2027, 2, 10)
	tests := []struct {
		name string
		file func() *Application
		text string
		due  domain.Date
		want domain.Code
	}{
		{"due tomorrow", submittedFile, "Send your 2026 T4.", today.AddDays(1), ""},
		{"due today", submittedFile, "Send your 2026 T4.", today, ErrInfoDue},
		{"due yesterday", submittedFile, "Send your 2026 T4.", today.AddDays(-1), ErrInfoDue},
		{"no text", submittedFile, "  ", today.AddDays(30), ErrInfoText},
		{"decided", nominatedFile, "Send your 2026 T4.", today.AddDays(30), ErrDecided},
		{"not submitted", func() *Application { a := submittedFile(); a.Submitted = domain.Date{}; return a },
			"Send your 2026 T4.", today.AddDays(30), ErrDecideNotSubmitted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			err := a.RequestInformation(InfoRequest{ID: domain.ID{1}, Text: tt.text, Due: tt.due, Officer: officerA}, today)
			wantCode(t, err, tt.want)
			if err != nil {
				return
			}
			if a.ProcessingStatus() != StatusInformation || len(a.OpenRequests()) != 1 || a.InfoRequests[0].Asked != today {
				t.Fatalf("after the request: %s %+v", a.ProcessingStatus(), a.InfoRequests)
			}
			if !hasDeadline(a, "information", tt.due) {
				t.Fatalf("no information deadline: %+v", Deadlines(a, today))
			}
		})
	}

	a := submittedFile()
	if err := a.RequestInformation(InfoRequest{ID: domain.ID{1}, Text: "Send your T4.", Due: date(2027, 3, 1)}, today); err != nil {
		t.Fatal(err)
	}
	copyOf := *a
	wantCode(t, a.AnswerInformation(domain.ID{2}, "Here.", today), ErrInfoUnknown)
	wantCode(t, a.AnswerInformation(domain.ID{1}, " ", today), ErrInfoAnswer)
	wantCode(t, a.AnswerInformation(domain.ID{1}, "Attached to my file.", today.AddDays(2)), "")
	if copyOf.InfoRequests[0].Answered != (domain.Date{}) {
		t.Fatal("answering changed a copy of the file")
	}
	if a.ProcessingStatus() != StatusSubmitted || a.InfoRequests[0].Answered != today.AddDays(2) || hasDeadline(a, "information", date(2027, 3, 1)) {
		t.Fatalf("after the answer: %s %+v", a.ProcessingStatus(), a.InfoRequests)
	}
	wantCode(t, a.AnswerInformation(domain.ID{1}, "Again.", today.AddDays(3)), ErrInfoAnswered)
}

func hasDeadline(a *Application, what string, on domain.Date) bool {
	for _, d := range Deadlines(a, on) {
		if d.What == what && d.Date == on {
			return true
		}
	}
	return false
}

// TestReviewRequest: a review of a refusal arrives from its notice to the
// 30th day after it (resident in Canada) or the 60th (abroad), once.
func TestReviewRequest(t *testing.T) {
	notice := date(2027, 3, 1)
	tests := []struct {
		name     string
		file     func() *Application
		received domain.Date
		reason   string
		want     domain.Code
	}{
		{"resident, day 30", func() *Application { return refusedFile(true) }, notice.AddDays(30), "The wage was above the median.", ""},
		{"resident, day 31", func() *Application { return refusedFile(true) }, notice.AddDays(31), "The wage was above the median.", ErrReviewLate},
		{"abroad, day 60", func() *Application { return refusedFile(false) }, notice.AddDays(60), "The wage was above the median.", ""},
		{"abroad, day 61", func() *Application { return refusedFile(false) }, notice.AddDays(61), "The wage was above the median.", ErrReviewLate},
		{"on the day of notice", func() *Application { return refusedFile(true) }, notice, "The wage was above the median.", ""},
		{"before the notice", func() *Application { return refusedFile(true) }, notice.AddDays(-1), "The wage was above the median.", ErrReviewReceived},
		{"no reason", func() *Application { return refusedFile(true) }, notice.AddDays(3), " ", ErrReviewReason},
		{"not decided", submittedFile, notice, "x", ErrReviewNotDecided},
		{"an approval", nominatedFile, notice.AddDays(3), "x", ErrReviewNotRefused},
		{"twice", func() *Application {
			a := refusedFile(true)
			if err := a.RecordReview(notice.AddDays(2), "first", officerA, notice.AddDays(2)); err != nil {
				panic(err)
			}
			return a
		}, notice.AddDays(3), "second", ErrReviewTwice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			today := notice.AddDays(90) // recorded late, received in time: the day received counts
			err := a.RecordReview(tt.received, tt.reason, officerA, today)
			wantCode(t, err, tt.want)
			if err == nil && (a.ProcessingStatus() != StatusReview || a.Review.Received != tt.received || a.Review.RecordedBy != officerA) {
				t.Fatalf("after the request: %s %+v", a.ProcessingStatus(), a.Review)
			}
			if err == nil && hasDeadline(a, "review", a.ReviewDeadline()) {
				t.Fatal("the review deadline is still listed once the review is asked")
			}
		})
	}
	a := refusedFile(true)
	wantCode(t, a.RecordReview(notice.AddDays(5), "x", officerA, notice.AddDays(4)), ErrReviewReceived) // received in the future
}

// TestDecideReview: the review goes to anyone but the original decider
// (the one who recorded the request may decide it); upheld it keeps the
// refusal with reasons, overturned it nominates.
func TestDecideReview(t *testing.T) {
	on := date(2027, 3, 20)
	reviewed := func() *Application {
		a := refusedFile(true)
		if err := a.RecordReview(date(2027, 3, 10), "The wage was above the median.", officerB, date(2027, 3, 10)); err != nil {
			panic(err)
		}
		return a
	}
	tests := []struct {
		name     string
		file     func() *Application
		decider  domain.ID
		overturn bool
		reasons  []string
		want     domain.Code
		status   FileStatus
	}{
		{"the original decider", reviewed, officerA, true, nil, ErrReviewSameDecider, ""},
		{"another officer overturns", reviewed, officerB, true, nil, "", StatusNominated},
		{"another officer upholds", reviewed, domain.ID{0xc}, false, []string{"The wage was below the median."}, "", StatusReviewed},
		{"upheld without a reason", reviewed, officerB, false, nil, ErrDecisionReason, ""},
		{"no review asked", func() *Application { return refusedFile(true) }, officerB, true, nil, ErrReviewNone, ""},
		{"decided twice", func() *Application {
			a := reviewed()
			if err := a.DecideReview(officerB, false, []string{"x"}, on); err != nil {
				panic(err)
			}
			return a
		}, officerB, true, nil, ErrReviewDecided, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			err := a.DecideReview(tt.decider, tt.overturn, tt.reasons, on)
			wantCode(t, err, tt.want)
			if err != nil {
				return
			}
			if a.ProcessingStatus() != tt.status || a.Review.Decider != tt.decider || a.Review.Decided != on {
				t.Fatalf("after the review: %s %+v", a.ProcessingStatus(), a.Review)
			}
			if tt.overturn && (a.Nomination == nil || a.Nomination.Nominated != on || a.Nomination.Expires != date(2027, 9, 20) ||
				a.Decision.Outcome != OutcomeRefused) {
				t.Fatalf("overturned: %+v %+v", a.Nomination, a.Decision)
			}
			if !tt.overturn && a.Nomination != nil {
				t.Fatal("an upheld refusal nominated")
			}
		})
	}
}

// TestExtendNomination: with an explanation, six months on by default or
// to the day asked, never backwards. §6.1: "You may submit a request for
// an extension of your Nomination Certificate if it is no longer valid":
// an expired certificate is extended, six months from the day granted.
func TestExtendNomination(t *testing.T) {
	expires := date(2027, 9, 1)
	tests := []struct {
		name        string
		file        func() *Application
		today       domain.Date
		asked       domain.Date
		explanation string
		want        domain.Code
		to          domain.Date
	}{
		{"on the expiry day, default", nominatedFile, expires, domain.Date{}, "IRCC returned the application.", "", date(2028, 3, 1)},
		{"the day after the expiry, default", nominatedFile, expires.AddDays(1), domain.Date{}, "IRCC returned the application.", "", date(2028, 3, 2)},
		{"long expired, a day asked", nominatedFile, date(2028, 1, 10), date(2028, 4, 30), "Police certificate delayed.", "", date(2028, 4, 30)},
		{"expired, a day asked already past", nominatedFile, date(2028, 1, 10), date(2027, 12, 1), "Police certificate delayed.", ErrExtensionPast, domain.Date{}},
		{"expired, asked for today", nominatedFile, date(2028, 1, 10), date(2028, 1, 10), "Police certificate delayed.", ErrExtensionPast, domain.Date{}},
		{"a day asked", nominatedFile, date(2027, 8, 1), date(2027, 12, 15), "Police certificate delayed.", "", date(2027, 12, 15)},
		{"to the expiry itself", nominatedFile, date(2027, 8, 1), expires, "Police certificate delayed.", ErrExtensionNotForward, domain.Date{}},
		{"backwards", nominatedFile, date(2027, 8, 1), date(2027, 8, 15), "Police certificate delayed.", ErrExtensionNotForward, domain.Date{}},
		{"no explanation", nominatedFile, date(2027, 8, 1), domain.Date{}, " ", ErrExtensionReason, domain.Date{}},
		{"refused", func() *Application { return refusedFile(true) }, date(2027, 8, 1), domain.Date{}, "x", ErrNotNominated, domain.Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			got, err := a.ExtendNomination(tt.asked, tt.explanation, officerB, tt.today)
			wantCode(t, err, tt.want)
			if err != nil {
				if a.Nomination != nil && a.Nomination.Expires != expires {
					t.Fatal("a refused extension moved the expiry")
				}
				return
			}
			if got != tt.to || a.Nomination.Expires != tt.to || len(a.Nomination.Extensions) != 1 ||
				a.Nomination.Extensions[0].Officer != officerB || a.Nomination.Extensions[0].Granted != tt.today {
				t.Fatalf("extended to %v: %+v", got, a.Nomination)
			}
			if !hasDeadline(a, "nomination", tt.to) {
				t.Fatalf("the deadlines keep the old expiry: %+v", Deadlines(a, tt.today))
			}
		})
	}
}

func TestProcessingStatus(t *testing.T) {
	withdrawn := nominatedFile()
	withdrawn.Withdrawn = date(2027, 4, 1)
	legacy := submittedFile()
	legacy.Decision = &Decision{Outcome: OutcomeApproved, Notified: date(2026, 1, 1)}
	tests := []struct {
		name string
		a    *Application
		want FileStatus
	}{
		{"draft", complete(), StatusDraft},
		{"submitted", submittedFile(), StatusSubmitted},
		{"refused", refusedFile(true), StatusRefused},
		{"nominated", nominatedFile(), StatusNominated},
		{"withdrawn", withdrawn, StatusWithdrawn},
		{"approved before nominations were kept", legacy, StatusNominated},
	}
	for _, tt := range tests {
		if got := tt.a.ProcessingStatus(); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestDecisionJSON: a decision written before the officer was kept reads
// as before, and a new one keeps every part through JSON.
func TestDecisionJSON(t *testing.T) {
	var d Decision
	if err := json.Unmarshal([]byte(`{"outcome":"refused","notified":"2027-03-01","reasons":["x"]}`), &d); err != nil ||
		d.Outcome != OutcomeRefused || !d.Officer.IsZero() {
		t.Fatalf("old decision: %+v %v", d, err)
	}
	a := refusedFile(true)
	if err := a.RecordReview(date(2027, 3, 2), "y", officerB, date(2027, 3, 2)); err != nil {
		t.Fatal(err)
	}
	if err := a.DecideReview(officerB, true, nil, date(2027, 3, 5)); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back Application
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.Decision.Officer != officerA || back.Review.Outcome != ReviewOverturned || back.Nomination.Certificate != "CN-2027-1234567" {
		t.Fatalf("read back %+v %+v %+v", back.Decision, back.Review, back.Nomination)
	}
	if _, ok := Fields(&back)["nomination.certificate"]; ok {
		t.Fatal("the program's decisions count as the applicant's fields")
	}
}

// TestReviewDeadlineOnlyAfterARefusal: the deadlines list the day to ask
// for an internal review after a refusal, until a review is asked, and
// never after an approval (only a refusal is reviewed).
func TestReviewDeadlineOnlyAfterARefusal(t *testing.T) {
	has := func(a *Application) bool {
		for _, d := range Deadlines(a, date(2027, 3, 2)) {
			if d.What == "review" {
				return true
			}
		}
		return false
	}
	if !has(refusedFile(true)) {
		t.Error("a refusal without its review deadline")
	}
	if has(nominatedFile()) {
		t.Error("an approval with a review deadline")
	}
	a := refusedFile(true)
	wantCode(t, a.RecordReview(date(2027, 3, 10), "The wage was misread.", officerB, date(2027, 3, 10)), "")
	if has(a) {
		t.Error("the review deadline stays once a review is asked")
	}
}

// TestOfficerFormsGiveEveryError: the officer's three forms on a file
// learn every fault of their fields at once, in the order the actions
// refuse them, and the file's own state alone when it refuses the form.
func TestOfficerFormsGiveEveryError(t *testing.T) {
	today := date(2027, 3, 10)
	codes := func(errs []error) []domain.Code {
		var out []domain.Code
		for _, err := range errs {
			out = append(out, domain.ErrorCode(err))
		}
		return out
	}
	same := func(name string, got []error, want ...domain.Code) {
		t.Helper()
		if !slices.Equal(codes(got), want) {
			t.Errorf("%s: %v, want %v", name, codes(got), want)
		}
	}
	same("information: nothing typed", InfoRequestErrors(InfoRequest{Due: today}, today), ErrInfoText, ErrInfoDue)
	same("information: fine", InfoRequestErrors(InfoRequest{Text: "Pay slips", Due: today.AddDays(1)}, today))

	refused := refusedFile(true)
	same("review: nothing typed", refused.ReviewErrors(domain.Date{}, " ", today), ErrReviewReceived, ErrReviewReason)
	same("review: late and no reason", refused.ReviewErrors(date(2027, 3, 1).AddDays(31), "", date(2027, 4, 30)), ErrReviewLate, ErrReviewReason)
	same("review: not refused", nominatedFile().ReviewErrors(domain.Date{}, "", today), ErrReviewNotRefused)

	nominated := nominatedFile()
	same("extension: nothing typed, a day behind", nominated.ExtensionErrors(date(2027, 3, 2), "", today), ErrExtensionReason, ErrExtensionNotForward)
	same("extension: not nominated", refused.ExtensionErrors(domain.Date{}, "", today), ErrNotNominated)
	same("extension: fine", nominated.ExtensionErrors(domain.Date{}, "Start date moved.", today))

	// The actions refuse the first of them.
	wantCode(t, refused.RecordReview(domain.Date{}, " ", officerA, today), ErrReviewReceived)
	_, err := nominated.ExtendNomination(date(2027, 3, 2), "", officerA, today)
	wantCode(t, err, ErrExtensionReason)
	wantCode(t, submittedFile().RequestInformation(InfoRequest{Due: today}, today), ErrInfoText)
}

package oinp

import (
	"strings"
	"testing"

	"dossier/domain"
)

func TestRegister(t *testing.T) {
	on := date(2026, 11, 10)
	tests := []struct {
		name   string
		number FileNumber
		before FileNumber
		want   domain.Code
	}{
		{"a draft", "JOID-1234567", "", ""},
		{"registered already", "JOID-1234567", "JOID-7654321", ErrAlreadyRegistered},
		{"not a file number", "JOID-12", "", ErrFileNumber},
		{"empty", "", "", ErrFileNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Application{FileNumber: tt.before}
			err := a.Register(tt.number, on)
			wantCode(t, err, tt.want)
			if err != nil {
				if a.FileNumber != tt.before || !a.Registered.IsZero() {
					t.Fatalf("refused, yet %s registered %s", a.FileNumber, a.Registered)
				}
				return
			}
			if a.FileNumber != tt.number || a.Registered != on || a.Deadline() != date(2026, 11, 24) {
				t.Fatalf("registered %s on %s, deadline %s", a.FileNumber, a.Registered, a.Deadline())
			}
		})
	}
}

// registered is the complete application, registered 10 November 2026:
// its 14 days end on the 24th.
func registered() *Application {
	a := complete()
	a.FileNumber, a.Registered = "JOID-1234567", date(2026, 11, 10)
	return a
}

func TestSubmit(t *testing.T) {
	receipt := Receipt{Reference: "SANDBOX-1234567", AmountCents: FeeGTACents, Brand: "visa", Last4: "1111", Sandbox: true}
	tests := []struct {
		name   string
		file   func() *Application
		on     domain.Date
		want   domain.Code
		fields int // the problems ErrIncomplete counts
	}{
		{"complete, within the 14 days", registered, submission, "", 0},
		{"on the last day", registered, date(2026, 11, 24), "", 0},
		{"the day after the last", registered, date(2026, 11, 25), ErrRegistrationExpired, 0},
		{"not registered", complete, submission, ErrNotRegistered, 0},
		{"submitted already", func() *Application { a := registered(); a.Submitted = date(2026, 11, 20); return a }, submission, ErrSubmitted, 0},
		{"a document missing", func() *Application { a := registered(); a.Documents = a.Documents[1:]; return a }, submission, ErrIncomplete, 1},
		{"a field missing", func() *Application { a := registered(); a.Contact.Phone = ""; return a }, submission, ErrIncomplete, 1},
		{"no agreement", func() *Application { a := registered(); a.Agreements = nil; return a }, submission, ErrIncomplete, 0},
	}
	// complete() is for a job in Mississauga: the GTA's fee.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			before := a.Submitted
			err := a.Submit(receipt, tt.on, shippedTables())
			wantCode(t, err, tt.want)
			if err != nil {
				if a.Submitted != before || (before.IsZero() && a.Payment != nil) {
					t.Fatalf("refused, yet submitted %s with %+v", a.Submitted, a.Payment)
				}
				if e, ok := err.(*domain.Error); tt.fields > 0 && (!ok || len(e.Args) != 1 || e.Args[0] != tt.fields) {
					t.Fatalf("got %v, want %d problems", err, tt.fields)
				}
				return
			}
			if a.Submitted != tt.on || a.Payment == nil || *a.Payment != receipt || a.ProcessingStatus() != StatusSubmitted {
				t.Fatalf("submitted %s with %+v (%s)", a.Submitted, a.Payment, a.ProcessingStatus())
			}
			wantCode(t, a.CheckDraft(), ErrSubmitted)
		})
	}
}

// TestWithdraw: §5.6 "If you wish to withdraw your application, you may
// do so": an application waiting for the program's decision. A file the
// program decided (nominated or refused) is not withdrawn as if undecided.
func TestWithdraw(t *testing.T) {
	on := date(2027, 3, 10)
	tests := []struct {
		name string
		file func() *Application
		want domain.Code
	}{
		{"submitted", submittedFile, ""},
		{"information asked", func() *Application {
			a := submittedFile()
			a.InfoRequests = []InfoRequest{{Asked: date(2027, 2, 5), Due: date(2027, 3, 20), Text: "Pay stubs"}}
			return a
		}, ""},
		{"nominated", nominatedFile, ErrWithdrawDecided},
		{"refused", func() *Application { return refusedFile(true) }, ErrWithdrawDecided},
		{"a draft", complete, ErrNotSubmitted},
		{"withdrawn already", func() *Application { a := submittedFile(); a.Withdrawn = date(2027, 2, 5); return a }, ErrWithdrawn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			before := a.Withdrawn
			err := a.Withdraw(on)
			wantCode(t, err, tt.want)
			switch {
			case err != nil && a.Withdrawn != before:
				t.Fatalf("refused, yet withdrawn on %s", a.Withdrawn)
			case err == nil && (a.Withdrawn != on || a.ProcessingStatus() != StatusWithdrawn):
				t.Fatalf("withdrawn on %s (%s)", a.Withdrawn, a.ProcessingStatus())
			}
		})
	}
}

func TestAddNotice(t *testing.T) {
	on := date(2027, 2, 10)
	full := func() *Application {
		a := submittedFile()
		for range MaxNotices {
			a.Notices = append(a.Notices, Notice{Sent: date(2027, 2, 2), Text: "x"})
		}
		return a
	}
	tests := []struct {
		name string
		file func() *Application
		text string
		want domain.Code
		kept string
	}{
		{"a change", submittedFile, "  New address: 40 King St, Mississauga \n", "", "New address: 40 King St, Mississauga"},
		{"empty", submittedFile, " \t ", ErrNoticeEmpty, ""},
		{"only invisible characters", submittedFile, "\u200b\u200b", ErrNoticeEmpty, ""},
		{"too long", submittedFile, strings.Repeat("a", domain.MaxTextLength+1), domain.ErrTextTooLong, ""},
		{"a draft", complete, "New address", ErrNotSubmitted, ""},
		{"withdrawn", func() *Application { a := submittedFile(); a.Withdrawn = date(2027, 2, 5); return a }, "New address", ErrWithdrawn, ""},
		{"the file holds the most", full, "One more", domain.ErrListTooLong, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			before := len(a.Notices)
			n, err := a.AddNotice(tt.text, on)
			wantCode(t, err, tt.want)
			if err != nil {
				if len(a.Notices) != before {
					t.Fatal("refused, yet kept")
				}
				return
			}
			want := Notice{Sent: on, Text: tt.kept}
			if n != want || len(a.Notices) != before+1 || a.Notices[before] != want {
				t.Fatalf("kept %+v, file %+v", n, a.Notices)
			}
		})
	}
}

func TestNewNotice(t *testing.T) {
	if _, err := NewNotice("  ", submission); domain.ErrorCode(err) != ErrNoticeEmpty {
		t.Fatalf("an empty notice: %v", err)
	}
	n, err := NewNotice(" Moved ", submission)
	if err != nil || n != (Notice{Sent: submission, Text: "Moved"}) {
		t.Fatalf("got %+v, %v", n, err)
	}
}

func TestCheckReceipt(t *testing.T) {
	paid := Receipt{Reference: " SANDBOX-1234567 ", AmountCents: FeeGTACents, Brand: "visa", Last4: "1111", Sandbox: true}
	tests := []struct {
		name   string
		place  string
		change func(r *Receipt)
		want   domain.Code
	}{
		{"the GTA's fee", "Mississauga", func(*Receipt) {}, ""},
		{"MasterCard", "Mississauga", func(r *Receipt) { r.Brand = "MasterCard" }, ""},
		{"outside the GTA, its fee", "Hamilton", func(r *Receipt) { r.AmountCents = FeeOutsideCents }, ""},
		{"outside the GTA, more", "Hamilton", func(*Receipt) {}, ""},
		{"in the GTA, the fee outside it", "Mississauga", func(r *Receipt) { r.AmountCents = FeeOutsideCents }, ErrFeeUnpaid},
		{"a cent", "Hamilton", func(r *Receipt) { r.AmountCents = 1 }, ErrFeeUnpaid},
		{"nothing", "Hamilton", func(r *Receipt) { r.AmountCents = 0 }, ErrFeeUnpaid},
		{"no work location: no fee known", "", func(*Receipt) {}, ErrFeeUnpaid},
		{"no reference", "Mississauga", func(r *Receipt) { r.Reference = " \u200b " }, ErrFeeUnpaid},
		{"an overlong reference", "Mississauga", func(r *Receipt) { r.Reference = strings.Repeat("R", MaxReference+1) }, ErrFeeUnpaid},
		{"another brand", "Mississauga", func(r *Receipt) { r.Brand = "amex" }, ErrFeeUnpaid},
		{"no brand", "Mississauga", func(r *Receipt) { r.Brand = "" }, ErrFeeUnpaid},
		{"the whole card number", "Mississauga", func(r *Receipt) { r.Last4 = "4111111111111111" }, ErrFeeUnpaid},
		{"letters for digits", "Mississauga", func(r *Receipt) { r.Last4 = "11a1" }, ErrFeeUnpaid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := registered()
			a.Employer.Offer.Municipality = tt.place
			r := paid
			tt.change(&r)
			got, err := a.CheckReceipt(r, shippedTables())
			wantCode(t, err, tt.want)
			if err == nil && (got.Reference != "SANDBOX-1234567" || got.AmountCents != r.AmountCents || got.Last4 != r.Last4) {
				t.Fatalf("kept %+v", got)
			}
		})
	}
}

// TestSubmitUnpaid: a file is not submitted on a receipt that does not
// pay its fee, and stays a draft.
func TestSubmitUnpaid(t *testing.T) {
	a := registered()
	err := a.Submit(Receipt{Reference: "R-1", AmountCents: FeeOutsideCents, Brand: "visa", Last4: "1111"}, submission, shippedTables())
	wantCode(t, err, ErrFeeUnpaid)
	if !a.Submitted.IsZero() || a.Payment != nil {
		t.Fatalf("submitted %s with %+v", a.Submitted, a.Payment)
	}
}

package oinp

import (
	"testing"

	"dossier/domain"
)

// TestReturnIncomplete: §5.3 "Your application will not be deemed complete
// until it is reviewed for completeness by the OINP. If your application
// is found to be incomplete, it will not be processed and your application
// fee will be refunded."
func TestReturnIncomplete(t *testing.T) {
	found := date(2027, 2, 8)
	tests := []struct {
		name    string
		file    func() *Application
		reasons []string
		want    domain.Code
	}{
		{"submitted, a reason", submittedFile, []string{"The translations are not certified."}, ""},
		{"no reason", submittedFile, []string{" "}, ErrIncompleteReason},
		{"processing started", func() *Application {
			a := submittedFile()
			a.ProcessingStarted = date(2027, 2, 5)
			return a
		}, []string{"x"}, ErrProcessingStarted},
		{"information asked", func() *Application {
			a := submittedFile()
			a.InfoRequests = []InfoRequest{{Asked: date(2027, 2, 5), Due: date(2027, 3, 5), Text: "Pay stubs"}}
			return a
		}, []string{"x"}, ErrProcessingStarted},
		{"a draft", complete, []string{"x"}, ErrDecideNotSubmitted},
		{"decided", nominatedFile, []string{"x"}, ErrDecided},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			err := a.ReturnIncomplete(officerA, tt.reasons, found)
			wantCode(t, err, tt.want)
			if err != nil {
				if a.Incomplete != nil {
					t.Fatal("refused, yet returned")
				}
				return
			}
			if a.ProcessingStatus() != StatusIncomplete || a.FeeRefund() != RefundIncomplete || a.Incomplete.Found != found {
				t.Fatalf("returned: %s %q %+v", a.ProcessingStatus(), a.FeeRefund(), a.Incomplete)
			}
			// "it will not be processed": no decision, no processing, no
			// withdrawal of a returned file.
			wantCode(t, a.Decide(officerA, true, nil, found.AddDays(1)), ErrReturnedIncomplete)
			wantCode(t, a.StartProcessing(found.AddDays(1)), ErrReturnedIncomplete)
			wantCode(t, a.Withdraw(found.AddDays(1)), ErrReturnedIncomplete)
		})
	}
}

// TestFeeRefund: §5.3 "Your application fees will be refunded if your
// application is deemed incomplete"; §5.6 "Your processing fee will not be
// refunded if the OINP has already started processing your application."
func TestFeeRefund(t *testing.T) {
	started := date(2027, 2, 10)
	withdrawn := func(on domain.Date, start bool) func() *Application {
		return func() *Application {
			a := submittedFile()
			if start {
				if err := a.StartProcessing(started); err != nil {
					panic(err)
				}
			}
			if err := a.Withdraw(on); err != nil {
				panic(err)
			}
			return a
		}
	}
	tests := []struct {
		name string
		file func() *Application
		want Refund
	}{
		{"submitted, waiting", submittedFile, NoRefund},
		{"a draft", complete, NoRefund},
		{"withdrawn before processing started", withdrawn(date(2027, 2, 9), false), RefundWithdrawn},
		{"withdrawn the day before processing started", func() *Application {
			a := withdrawn(date(2027, 2, 9), false)()
			a.ProcessingStarted = started // recorded late, from the program's side
			return a
		}, RefundWithdrawn},
		{"withdrawn the day processing started", withdrawn(started, true), NoRefund},
		{"withdrawn after processing started", withdrawn(date(2027, 2, 20), true), NoRefund},
		{"withdrawn after a request for information", func() *Application {
			a := submittedFile()
			a.InfoRequests = []InfoRequest{{Asked: date(2027, 2, 5), Due: date(2027, 3, 5), Text: "Pay stubs"}}
			if err := a.Withdraw(date(2027, 2, 12)); err != nil {
				panic(err)
			}
			return a
		}, NoRefund},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.file().FeeRefund(); got != tt.want {
				t.Fatalf("refund %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStartProcessing: processing starts once, on a file waiting for the
// program; "processing started" is also read from a request for
// information or a decision on files from before the day was kept.
func TestStartProcessing(t *testing.T) {
	a := submittedFile()
	if _, ok := a.ProcessingStartedOn(); ok {
		t.Fatal("a file just submitted reads as processed")
	}
	wantCode(t, a.StartProcessing(date(2027, 2, 10)), "")
	wantCode(t, a.StartProcessing(date(2027, 2, 11)), ErrProcessingStarted)
	if d, ok := a.ProcessingStartedOn(); !ok || d != date(2027, 2, 10) || a.ProcessingStatus() != StatusSubmitted {
		t.Fatalf("started %v %v, %s", d, ok, a.ProcessingStatus())
	}
	if d, ok := nominatedFile().ProcessingStartedOn(); !ok || d != date(2027, 3, 1) {
		t.Fatalf("a decided file: started %v %v", d, ok)
	}
}

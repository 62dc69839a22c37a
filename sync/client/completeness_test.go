package client_test

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
)

// TestProgramReturnsAnIncompleteFile: §5.3 "If your application is found to
// be incomplete, it will not be processed and your application fee will be
// refunded." An officer returns one file as incomplete, with a reason the
// applicant reads (the fee refunded, the file no longer withdrawn nor
// decided); another file's processing starts, after which its withdrawal
// is not refunded (§5.6) and it is no longer returned as incomplete.
func TestProgramReturnsAnIncompleteFile(t *testing.T) {
	ts := startServer(t)
	linh := submitted(t, ts, "linh.nguyen", "Linh", "Nguyen", "Mississauga")
	eloise := submitted(t, ts, "eloise.cote", "Éloïse", "Côté-Lévesque", "Ottawa")
	one := officerNamed(t, ts, "officer.one", "Pat")
	today := domain.DateOf(time.Now().UTC())

	if _, err := linh.st.ReturnIncomplete(linh.by, linh.by.Account, []string{"x"}); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("the applicant returned their own file: %v", err)
	}
	if _, err := one.st.ReturnIncomplete(one.by, linh.by.Account, []string{" "}); !errors.Is(err, oinp.ErrIncompleteReason) {
		t.Fatalf("returned without a reason: %v", err)
	}
	rec, err := one.st.ReturnIncomplete(one.by, linh.by.Account, []string{"The translations are not certified."})
	if err != nil || rec.App.ProcessingStatus() != oinp.StatusIncomplete {
		t.Fatalf("returned: %v %s", err, rec.App.ProcessingStatus())
	}
	one.sync()
	linh.sync()
	got := linh.file()
	if got.ProcessingStatus() != oinp.StatusIncomplete || got.FeeRefund() != oinp.RefundIncomplete ||
		got.Incomplete == nil || got.Incomplete.Found != today || got.Incomplete.Reasons[0] != "The translations are not certified." {
		t.Fatalf("the applicant reads %s %+v", got.ProcessingStatus(), got.Incomplete)
	}
	if _, err := linh.st.WithdrawApplication(linh.by); !errors.Is(err, oinp.ErrReturnedIncomplete) {
		t.Fatalf("a returned file withdrawn: %v", err)
	}
	if _, err := one.st.DecideApplication(one.by, linh.by.Account, true, nil); !errors.Is(err, oinp.ErrReturnedIncomplete) {
		t.Fatalf("a returned file decided: %v", err)
	}

	if rec, err = one.st.StartProcessing(one.by, eloise.by.Account); err != nil || rec.App.ProcessingStarted != today {
		t.Fatalf("processing: %v %v", err, rec.App.ProcessingStarted)
	}
	if _, err := one.st.ReturnIncomplete(one.by, eloise.by.Account, []string{"x"}); !errors.Is(err, oinp.ErrProcessingStarted) {
		t.Fatalf("returned once processing started: %v", err)
	}
	one.sync()
	eloise.sync()
	if _, err := eloise.st.WithdrawApplication(eloise.by); err != nil {
		t.Fatal(err)
	}
	eloise.sync()
	if got := eloise.file(); got.Withdrawn != today || got.FeeRefund() != oinp.NoRefund {
		t.Fatalf("withdrawn once processing started: %v, refund %q", got.Withdrawn, got.FeeRefund())
	}
}

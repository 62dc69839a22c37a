package oinp

import (
	"slices"

	"dossier/domain"
)

// Incompleteness is the program's finding that a submitted file is
// incomplete (§5.3): the day, the reasons the applicant reads, and the
// officer.
type Incompleteness struct {
	Found   domain.Date `json:"found"`
	Reasons []string    `json:"reasons"`
	Officer domain.ID   `json:"officer,omitzero"`
}

// Codes of the completeness review and of processing.
var (
	// ErrProcessingStarted: the program has started processing the file
	// (the completeness review is behind it).
	ErrProcessingStarted = domain.NewCode("oinp.processing.started", domain.KindConflict)
	// ErrReturnedIncomplete: the file was found incomplete and returned.
	ErrReturnedIncomplete = domain.NewCode("oinp.processing.incomplete", domain.KindConflict)
	// ErrIncompleteReason: a file is returned with at least one reason.
	ErrIncompleteReason = domain.NewCode("oinp.incomplete.reason", domain.KindInvalid)
)

// ProcessingStartedOn is the day the program started processing the file,
// and whether it has: the day recorded (StartProcessing), or else the
// first thing only processing does — a request for information, a
// decision — for a file from before the day was recorded.
func (a *Application) ProcessingStartedOn() (domain.Date, bool) {
	var days []domain.Date
	if !a.ProcessingStarted.IsZero() {
		days = append(days, a.ProcessingStarted)
	}
	for _, r := range a.InfoRequests {
		days = append(days, r.Asked)
	}
	if d, ok := a.DecidedOn(); ok {
		days = append(days, d)
	}
	if len(days) == 0 {
		return domain.Date{}, false
	}
	return slices.MinFunc(days, func(x, y domain.Date) int { return int(x.Days() - y.Days()) }), true
}

// StartProcessing records today as the day the program started
// processing the submitted file: its completeness review found it
// complete (§5.3 "Your application will not be deemed complete until it
// is reviewed for completeness by the OINP").
func (a *Application) StartProcessing(today domain.Date) error {
	if err := a.decidable(); err != nil {
		return err
	}
	if d, started := a.ProcessingStartedOn(); started {
		return domain.Errorf(ErrProcessingStarted, d)
	}
	a.ProcessingStarted = today
	return nil
}

// ReturnIncomplete records today the program's finding that the file is
// incomplete, with its reasons (§5.3: "If your application is found to be
// incomplete, it will not be processed and your application fee will be
// refunded"). Completeness is reviewed before processing: a file whose
// processing started is ErrProcessingStarted.
func (a *Application) ReturnIncomplete(officer domain.ID, reasons []string, today domain.Date) error {
	if err := a.decidable(); err != nil {
		return err
	}
	if d, started := a.ProcessingStartedOn(); started {
		return domain.Errorf(ErrProcessingStarted, d)
	}
	reasons, err := cleanReasons(reasons)
	if err != nil {
		return err
	}
	if len(reasons) == 0 {
		return domain.FieldError(ErrIncompleteReason, "reasons")
	}
	a.Incomplete = &Incompleteness{Found: today, Reasons: reasons, Officer: officer}
	return nil
}

// Refund is why the processing fee is refunded.
type Refund string

// The refunds of the fee: none, the file found incomplete (§5.3), or
// withdrawn before the program started processing it (§5.6: "Your
// processing fee will not be refunded if the OINP has already started
// processing your application").
const (
	NoRefund         Refund = ""
	RefundIncomplete Refund = "incomplete"
	RefundWithdrawn  Refund = "withdrawn"
)

// FeeRefund says whether the paid fee is refunded, and why.
func (a *Application) FeeRefund() Refund {
	switch {
	case a.Payment == nil && a.Submitted.IsZero():
		return NoRefund
	case a.Incomplete != nil:
		return RefundIncomplete
	case a.Withdrawn.IsZero():
		return NoRefund
	}
	if started, ok := a.ProcessingStartedOn(); ok && !a.Withdrawn.Before(started) {
		return NoRefund
	}
	return RefundWithdrawn
}

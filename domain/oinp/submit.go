package oinp

import (
	"strings"

	"dossier/domain"
)

// Codes of a submission, a withdrawal and a change notice. The strings are
// the ones the store declared: wire and catalog keys.
var (
	ErrNotRegistered       = domain.NewCode("store.oinp.not-registered", domain.KindConflict)
	ErrRegistrationExpired = domain.NewCode("store.oinp.expired", domain.KindConflict)
	ErrIncomplete          = domain.NewCode("store.oinp.incomplete", domain.KindConflict)
	ErrNotSubmitted        = domain.NewCode("store.oinp.not-submitted", domain.KindConflict)
	ErrWithdrawn           = domain.NewCode("store.oinp.withdrawn", domain.KindConflict)
	// ErrWithdrawDecided: the program has decided the file (§5.6 is
	// the withdrawal of an application still waiting for a decision).
	ErrWithdrawDecided = domain.NewCode("oinp.withdraw.decided", domain.KindConflict)
	ErrNoticeEmpty     = domain.NewCode("store.oinp.notice.empty", domain.KindInvalid)
	// ErrFeeUnpaid: the receipt does not pay the file's fee (§7), or
	// does not read as a card payment's receipt.
	ErrFeeUnpaid = domain.NewCode("oinp.fee.unpaid", domain.KindConflict)
	// ErrFeeAmount: the amount the applicant agreed to pay is not the
	// file's fee as the program holds the file (the work location moved
	// the file in or out of the GTA): nothing was charged.
	ErrFeeAmount = domain.NewCode("oinp.fee.amount", domain.KindConflict)
	// ErrWorkPlace: the work location is not a place the tables know,
	// or reads as places in and outside the GTA, so the fee is not known
	// (§4.4); the text written is an argument.
	ErrWorkPlace = domain.NewCode("oinp.work-place", domain.KindInvalid)
	// ErrReceiptFromDesk: a desk sent a receipt with a submission. The
	// receipt is the server's, from its own processor: a desk's is
	// refused, never read (a desk from before sent its own).
	ErrReceiptFromDesk = domain.NewCode("oinp.fee.receipt", domain.KindForbidden)
	// ErrCardMissing: a submission reached the server without its card.
	// A desk keeps the card in memory only, until the server has
	// answered: one closed meanwhile sends the submission without it, and
	// the applicant types the card again.
	ErrCardMissing = domain.NewCode("oinp.card.missing", domain.KindConflict)
)

// MaxReference is the longest payment reference a receipt keeps: a
// processor's references are a few dozen characters.
const MaxReference = 100

// MaxNotices is the most changes of information a file holds (§5.4): a
// few in a real file's life.
const MaxNotices = 100

// Submit submits the file on the day on (the program's day: it is the one
// the deadline is judged on), paid by receipt. The file must be a draft
// (ErrSubmitted), registered (ErrNotRegistered), within its 14 days
// (ErrRegistrationExpired, with the last day) and complete: no problem on
// any tab, every mandatory field, document and agreement (ErrIncomplete,
// with the number of problems; Validate lists them). The receipt must pay
// the fee (CheckReceipt, the work location read in t). Eligibility is not
// asked: the program judges it. From then on the file is locked, and
// keeps the receipt.
func (a *Application) Submit(receipt Receipt, on domain.Date, t Tables) error {
	if _, err := a.CheckSubmit(on, t); err != nil {
		return err
	}
	receipt, err := a.CheckReceipt(receipt, t)
	if err != nil {
		return err
	}
	a.Submitted, a.Payment = on, &receipt
	return nil
}

// CheckSubmit tells whether the file may be paid for and submitted on the
// day on, as Submit judges it (a draft, registered, within its 14 days,
// complete), and returns its fee (Fee, of the work location as InGTA
// reads it in t); a fee not known yet is ErrWorkPlace when a work
// location is written that the tables cannot place, else ErrFeeUnpaid.
func (a *Application) CheckSubmit(on domain.Date, t Tables) (feeCents int64, err error) {
	if err := a.CheckDraft(); err != nil {
		return 0, err
	}
	switch {
	case a.FileNumber == "":
		return 0, domain.Errorf(ErrNotRegistered)
	case a.Deadline().Before(on):
		return 0, domain.Errorf(ErrRegistrationExpired, a.Deadline())
	}
	if ps := Validate(a, on); len(ps) > 0 {
		return 0, domain.Errorf(ErrIncomplete, len(ps))
	}
	place := a.WorkPlace(t)
	fee, known := Fee(place.InGTA)
	switch {
	case !known && place.Why != PlaceEmpty:
		return 0, domain.FieldError(ErrWorkPlace, "employer.offer.municipality", strings.TrimSpace(a.Employer.Offer.Municipality))
	case !known:
		return 0, domain.FieldError(ErrFeeUnpaid, "payment")
	}
	return fee, nil
}

// CheckFee refuses, with ErrFeeAmount and the fee, an amount agreed to
// that is not the file's fee (CheckSubmit's): the applicant pays what
// they read, and nothing else.
func CheckFee(agreedCents, feeCents int64) error {
	if agreedCents != feeCents {
		return domain.FieldError(ErrFeeAmount, "payment", domain.Money(feeCents), domain.Money(agreedCents))
	}
	return nil
}

// Queue submits the file on a desk, on the day on, before it is paid: the
// checks of Submit, the fee the applicant agreed to (CheckFee), then the
// file is locked and waits for its payment, which the server takes when
// the desk connects (AwaitingPayment). The server's record, submitted
// and paid or put back as a draft, replaces it.
func (a *Application) Queue(on domain.Date, agreedCents int64, t Tables) error {
	fee, err := a.CheckSubmit(on, t)
	if err != nil {
		return err
	}
	if err := CheckFee(agreedCents, fee); err != nil {
		return err
	}
	a.Submitted, a.Payment = on, nil
	return nil
}

// AwaitingPayment reports whether the file was submitted on this desk and
// waits for the server to take its fee (Queue): submitted, no receipt.
func (a *Application) AwaitingPayment() bool { return !a.Submitted.IsZero() && a.Payment == nil }

// CheckReceipt refuses, with ErrFeeUnpaid, a receipt that does not pay
// the file's fee (Fee, of the work location as InGTA reads it in t: not
// less; the fee unknown, nothing pays it), or does not read as the
// receipt of a card payment (§7): a reference (MaxReference characters
// at most), VISA or MasterCard, the card's last four digits. It returns
// the receipt with its reference cleaned. Only a processor could tell
// whether the payment was made: this bounds what a file can say of it.
func (a *Application) CheckReceipt(r Receipt, t Tables) (Receipt, error) {
	inGTA, _ := a.InGTA(t)
	fee, known := Fee(inGTA)
	ref, err := domain.CleanLine("payment.reference", r.Reference, MaxReference, true)
	switch {
	case err != nil, !known, r.AmountCents < fee,
		!strings.EqualFold(r.Brand, "visa") && !strings.EqualFold(r.Brand, "mastercard"),
		len(r.Last4) != 4 || strings.Trim(r.Last4, "0123456789") != "":
		return r, domain.FieldError(ErrFeeUnpaid, "payment")
	}
	r.Reference = ref
	return r, nil
}

// checkSubmitted refuses a change after submission to a file not
// submitted (ErrNotSubmitted) or withdrawn (ErrWithdrawn, with the day).
func (a *Application) checkSubmitted() error {
	switch {
	case a.Submitted.IsZero():
		return domain.Errorf(ErrNotSubmitted)
	case !a.Withdrawn.IsZero():
		return domain.Errorf(ErrWithdrawn, a.Withdrawn)
	}
	return nil
}

// Withdraw withdraws the submitted file on the day on (§5.6): the day the
// program hears of it. A draft is ErrNotSubmitted; a file is withdrawn
// once (ErrWithdrawn), and only while the program has not decided it
// (ErrWithdrawDecided, with the day of the decision): a nominated or
// refused file is not withdrawn as if it were still waiting.
func (a *Application) Withdraw(on domain.Date) error {
	if err := a.checkSubmitted(); err != nil {
		return err
	}
	if d, decided := a.DecidedOn(); decided {
		return domain.Errorf(ErrWithdrawDecided, d)
	}
	if a.Incomplete != nil {
		return domain.Errorf(ErrReturnedIncomplete, a.Incomplete.Found)
	}
	a.Withdrawn = on
	return nil
}

// NewNotice is a change of information sent on the day on, its text
// cleaned and bounded (domain.CleanText); an empty one is ErrNoticeEmpty.
func NewNotice(text string, on domain.Date) (Notice, error) {
	text, err := domain.CleanText("notice", text, domain.MaxTextLength, false)
	if err != nil {
		return Notice{}, err
	}
	if text == "" {
		return Notice{}, domain.FieldError(ErrNoticeEmpty, "notice")
	}
	return Notice{Sent: on, Text: text}, nil
}

// AddNotice adds the applicant's change of information to the submitted
// file (§5.4): text, cleaned as NewNotice does, sent on the day on (the
// day the program hears of it). A draft is ErrNotSubmitted, a withdrawn
// file ErrWithdrawn; a file holds at most MaxNotices
// (domain.ErrListTooLong). It returns the notice as kept.
func (a *Application) AddNotice(text string, on domain.Date) (Notice, error) {
	if err := a.checkSubmitted(); err != nil {
		return Notice{}, err
	}
	n, err := NewNotice(text, on)
	if err != nil {
		return Notice{}, err
	}
	if len(a.Notices) >= MaxNotices {
		return Notice{}, domain.FieldError(domain.ErrListTooLong, "notices", MaxNotices)
	}
	a.Notices = append(a.Notices[:len(a.Notices):len(a.Notices)], n)
	return n, nil
}

// DecidedOn is the day the program decided the file (the decision's
// notice, or the nomination), and whether it has.
func (a *Application) DecidedOn() (domain.Date, bool) {
	switch {
	case a.Decision != nil:
		return a.Decision.Notified, true
	case a.Nomination != nil:
		return a.Nomination.Nominated, true
	}
	return domain.Date{}, false
}

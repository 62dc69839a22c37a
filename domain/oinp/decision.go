package oinp

import (
	"fmt"
	"slices"
	"strings"

	"dossier/domain"
	"dossier/domain/account"
)

// FileStatus is where a file stands with the program, derived from what the
// record holds (never stored, so it cannot disagree with it).
type FileStatus string

// The statuses of a file (§5, §6).
const (
	StatusDraft       FileStatus = "draft"       // not submitted yet
	StatusSubmitted   FileStatus = "submitted"   // paid and waiting for the program
	StatusInformation FileStatus = "information" // the program asked for information not yet sent
	StatusNominated   FileStatus = "nominated"   // approved: a Confirmation of Nomination
	StatusRefused     FileStatus = "refused"     // refused; an internal review may be asked
	StatusReview      FileStatus = "review"      // under internal review
	StatusReviewed    FileStatus = "reviewed"    // the review upheld the refusal: final
	StatusWithdrawn   FileStatus = "withdrawn"   // withdrawn by the applicant
	StatusIncomplete  FileStatus = "incomplete"  // found incomplete (§5.3): returned, not processed, the fee refunded
)

// FileStatuses lists every status, in the order a file moves through them.
var FileStatuses = []FileStatus{StatusDraft, StatusSubmitted, StatusInformation, StatusNominated, StatusRefused,
	StatusReview, StatusReviewed, StatusWithdrawn, StatusIncomplete}

// MessageKey is the catalog key of the status's name.
func (s FileStatus) MessageKey() string { return "oinp.file-status." + string(s) }

// Stream names a program stream. The In-Demand Skills stream is the only
// one Dossier handles; files carry it so that others can join.
type Stream string

// StreamInDemandSkills is the Employer Job Offer: In-Demand Skills Stream.
const StreamInDemandSkills Stream = "in-demand-skills"

// MessageKey is the catalog key of the stream's name.
func (s Stream) MessageKey() string { return "oinp.stream." + string(s) }

// Stream is the stream the file was made for.
func (a *Application) Stream() Stream { return StreamInDemandSkills }

// The outcomes of a decision (Decision.Outcome).
const (
	OutcomeApproved = "approved"
	OutcomeRefused  = "refused"
)

// InfoRequest is the program asking the applicant for information or
// documents (§5.4: the applicant sends nothing unasked but a change
// notice), by a day, and the applicant's answer.
type InfoRequest struct {
	ID       domain.ID   `json:"id"`
	Asked    domain.Date `json:"asked"`
	Due      domain.Date `json:"due"`
	Text     string      `json:"text"`
	Officer  domain.ID   `json:"officer"`
	Answered domain.Date `json:"answered,omitzero"`
	Answer   string      `json:"answer,omitempty"`
}

// Open reports whether the request waits for the applicant's answer.
func (r InfoRequest) Open() bool { return r.Answered.IsZero() }

// Nomination is the Confirmation of Nomination (§6.0): its number, the day
// it was issued and the day it stops being valid, six months on (§6.1),
// moved by each extension.
type Nomination struct {
	Nominated   domain.Date `json:"nominated"`
	Certificate string      `json:"certificate"`
	Expires     domain.Date `json:"expires"`
	Extensions  []Extension `json:"extensions,omitempty"`
}

// Extension is a nomination certificate extended (§6.1), on the nominee's
// letter of explanation.
type Extension struct {
	Granted     domain.Date `json:"granted"`
	NewExpiry   domain.Date `json:"newExpiry"`
	Explanation string      `json:"explanation"`
	Officer     domain.ID   `json:"officer"`
}

// ReviewOutcome is what an internal review decided.
type ReviewOutcome string

// The outcomes of an internal review.
const (
	ReviewUpheld     ReviewOutcome = "upheld"
	ReviewOverturned ReviewOutcome = "overturned"
)

// Review is an internal review of a decision (§5.7): the request as the
// program received it, and its decision by someone other than the one who
// made the original decision. The review's decision is final.
type Review struct {
	Received   domain.Date `json:"received"`
	Reason     string      `json:"reason"`
	RecordedBy domain.ID   `json:"recordedBy"`
	Decided    domain.Date `json:"decided,omitzero"`
	Decider    domain.ID   `json:"decider,omitzero"`
	// DeciderName is the reviewer's name, which the letters of an
	// overturned refusal are signed with.
	DeciderName string `json:"deciderName,omitempty"`
	// DeciderForm is the form of their role the reviewer chose.
	DeciderForm account.Form  `json:"deciderForm,omitempty"`
	Outcome     ReviewOutcome `json:"outcome,omitempty"`
	Reasons     []string      `json:"reasons,omitempty"`
}

// Codes of the program's decisions.
var (
	ErrDecideNotSubmitted  = domain.NewCode("oinp.decision.not-submitted", domain.KindConflict)
	ErrDecideWithdrawn     = domain.NewCode("oinp.decision.withdrawn", domain.KindConflict)
	ErrDecided             = domain.NewCode("oinp.decision.decided", domain.KindConflict)
	ErrDecisionReason      = domain.NewCode("oinp.decision.reason", domain.KindInvalid)
	ErrInfoText            = domain.NewCode("oinp.info.text", domain.KindInvalid)
	ErrInfoDue             = domain.NewCode("oinp.info.due", domain.KindInvalid)
	ErrInfoUnknown         = domain.NewCode("oinp.info.unknown", domain.KindNotFound)
	ErrInfoAnswered        = domain.NewCode("oinp.info.answered", domain.KindConflict)
	ErrInfoAnswer          = domain.NewCode("oinp.info.answer", domain.KindInvalid)
	ErrReviewNotDecided    = domain.NewCode("oinp.review.not-decided", domain.KindConflict)
	ErrReviewNotRefused    = domain.NewCode("oinp.review.not-refused", domain.KindConflict)
	ErrReviewLate          = domain.NewCode("oinp.review.late", domain.KindConflict)
	ErrReviewReceived      = domain.NewCode("oinp.review.received", domain.KindInvalid)
	ErrReviewTwice         = domain.NewCode("oinp.review.twice", domain.KindConflict)
	ErrReviewReason        = domain.NewCode("oinp.review.reason", domain.KindInvalid)
	ErrReviewNone          = domain.NewCode("oinp.review.none", domain.KindConflict)
	ErrReviewDecided       = domain.NewCode("oinp.review.decided", domain.KindConflict)
	ErrReviewSameDecider   = domain.NewCode("oinp.review.same-decider", domain.KindForbidden)
	ErrNotNominated        = domain.NewCode("oinp.nomination.none", domain.KindConflict)
	ErrNominationExpired   = domain.NewCode("oinp.nomination.expired", domain.KindConflict)
	ErrExtensionReason     = domain.NewCode("oinp.nomination.explanation", domain.KindInvalid)
	ErrExtensionNotForward = domain.NewCode("oinp.nomination.not-forward", domain.KindInvalid)
	// ErrExtensionPast: an expired certificate's new expiry is not after
	// the day the extension is granted.
	ErrExtensionPast = domain.NewCode("oinp.nomination.past", domain.KindInvalid)
)

// ProcessingStatus is where the file stands: withdrawn above all; then the
// review, the decision, a request for information not yet answered;
// submitted; else a draft.
func (a *Application) ProcessingStatus() FileStatus {
	switch {
	case !a.Withdrawn.IsZero():
		return StatusWithdrawn
	case a.Submitted.IsZero():
		return StatusDraft
	case a.Incomplete != nil:
		return StatusIncomplete
	case a.Review != nil && a.Review.Decided.IsZero():
		return StatusReview
	case a.Nomination != nil:
		return StatusNominated
	case a.Review != nil:
		return StatusReviewed
	case a.Decision != nil && a.Decision.Outcome == OutcomeApproved:
		return StatusNominated // decided before nominations were kept
	case a.Decision != nil:
		return StatusRefused
	case len(a.OpenRequests()) > 0:
		return StatusInformation
	}
	return StatusSubmitted
}

// OpenRequests lists the requests for information not yet answered,
// soonest due first.
func (a *Application) OpenRequests() []InfoRequest {
	var out []InfoRequest
	for _, r := range a.InfoRequests {
		if r.Open() {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y InfoRequest) int { return int(x.Due.Days() - y.Due.Days()) })
	return out
}

// decidable refuses a file the program cannot act on: not submitted,
// withdrawn, or already decided.
func (a *Application) decidable() error {
	switch {
	case a.Submitted.IsZero():
		return domain.Errorf(ErrDecideNotSubmitted)
	case !a.Withdrawn.IsZero():
		return domain.Errorf(ErrDecideWithdrawn, a.Withdrawn)
	case a.Decision != nil:
		return domain.Errorf(ErrDecided, a.Decision.Notified)
	case a.Incomplete != nil:
		return domain.Errorf(ErrReturnedIncomplete, a.Incomplete.Found)
	}
	return nil
}

// RequestInformation adds the program's request for information to a
// submitted file not yet decided: with a text, due after today. r.Asked
// becomes today.
func (a *Application) RequestInformation(r InfoRequest, today domain.Date) error {
	if err := a.decidable(); err != nil {
		return err
	}
	if errs := InfoRequestErrors(r, today); len(errs) > 0 {
		return errs[0]
	}
	r.Text, _ = domain.CleanText("text", r.Text, domain.MaxTextLength, false)
	r.Asked, r.Answered, r.Answer = today, domain.Date{}, ""
	a.InfoRequests = append(slices.Clone(a.InfoRequests), r)
	return nil
}

// InfoRequestErrors is every fault of an information request's fields at
// once, for the form (RequestInformation returns the first): a text, and
// a day due after today.
func InfoRequestErrors(r InfoRequest, today domain.Date) []error {
	var errs []error
	switch text, err := domain.CleanText("text", r.Text, domain.MaxTextLength, false); {
	case err != nil:
		errs = append(errs, err)
	case text == "":
		errs = append(errs, domain.FieldError(ErrInfoText, "text"))
	}
	if !today.Before(r.Due) {
		errs = append(errs, domain.FieldError(ErrInfoDue, "due", today))
	}
	return errs
}

// AnswerInformation marks the request id answered today with the
// applicant's text (documents go with it through the documents tab). A
// request is answered once; a withdrawn file takes no answer.
func (a *Application) AnswerInformation(id domain.ID, text string, today domain.Date) error {
	i := slices.IndexFunc(a.InfoRequests, func(r InfoRequest) bool { return r.ID == id })
	text, err := domain.CleanText("answer", text, domain.MaxTextLength, false)
	if err != nil {
		return err
	}
	switch {
	case i < 0:
		return domain.Errorf(ErrInfoUnknown)
	case !a.Withdrawn.IsZero():
		return domain.Errorf(ErrDecideWithdrawn, a.Withdrawn)
	case !a.InfoRequests[i].Open():
		return domain.Errorf(ErrInfoAnswered, a.InfoRequests[i].Answered)
	case text == "":
		return domain.FieldError(ErrInfoAnswer, "answer")
	}
	a.InfoRequests = slices.Clone(a.InfoRequests)
	a.InfoRequests[i].Answered, a.InfoRequests[i].Answer = today, text
	return nil
}

// MaxReasons is the most reasons a decision gives.
const MaxReasons = 20

// cleanReasons cleans each reason (domain.CleanText), drops the empty
// ones and bounds their number.
func cleanReasons(reasons []string) ([]string, error) {
	if len(reasons) > MaxReasons {
		return nil, domain.FieldError(domain.ErrListTooLong, "reasons", MaxReasons)
	}
	var out []string
	for _, r := range reasons {
		r, err := domain.CleanText("reasons", r, domain.MaxTextLength, false)
		if err != nil {
			return nil, err
		}
		if r != "" {
			out = append(out, r)
		}
	}
	return out, nil
}

// Decide records the program's decision on a submitted file not withdrawn
// and not yet decided, notified today, by officer. A refusal gives at least
// one reason; an approval nominates the applicant (Nominate).
func (a *Application) Decide(officer domain.ID, approve bool, reasons []string, today domain.Date) error {
	if err := a.decidable(); err != nil {
		return err
	}
	reasons, err := cleanReasons(reasons)
	if err != nil {
		return err
	}
	d := &Decision{Outcome: OutcomeRefused, Notified: today, Reasons: reasons, Officer: officer}
	if approve {
		d.Outcome = OutcomeApproved
		a.nominate(today)
	} else if len(reasons) == 0 {
		return domain.FieldError(ErrDecisionReason, "reasons")
	}
	a.Decision = d
	return nil
}

// nominate issues the Confirmation of Nomination today.
func (a *Application) nominate(today domain.Date) {
	a.Nomination = &Nomination{Nominated: today, Certificate: CertificateNumber(a.FileNumber, today),
		Expires: addMonths(today, NominationValidMonths)}
}

// CertificateNumber is the number of a file's Confirmation of Nomination:
// "CN", the year of nomination and the file's seven digits, such as
// CN-2027-1234567. A file is nominated at most once and its number is the
// server's alone, so the certificate number is unique, and every desk
// computes the same one.
func CertificateNumber(file FileNumber, nominated domain.Date) string {
	return fmt.Sprintf("CN-%04d-%s", nominated.Year, strings.TrimPrefix(string(file), "JOID-"))
}

// RecordReview records a request for internal review of a refusal (§5.7),
// received on a day from the decision's notice to its review deadline
// (ReviewDeadline) and not after today, with the error it names. A
// decision is reviewed once.
func (a *Application) RecordReview(received domain.Date, reason string, by domain.ID, today domain.Date) error {
	if errs := a.ReviewErrors(received, reason, today); len(errs) > 0 {
		return errs[0]
	}
	reason, _ = domain.CleanText("reason", reason, domain.MaxTextLength, false)
	a.Review = &Review{Received: received, Reason: reason, RecordedBy: by}
	return nil
}

// ReviewErrors is every fault of a request for review at once, for the
// form (RecordReview returns the first): the file's own state first, then
// each field's.
func (a *Application) ReviewErrors(received domain.Date, reason string, today domain.Date) []error {
	switch {
	case a.Decision == nil:
		return []error{domain.Errorf(ErrReviewNotDecided)}
	case a.Review != nil:
		return []error{domain.Errorf(ErrReviewTwice, a.Review.Received)}
	case a.Decision.Outcome != OutcomeRefused:
		return []error{domain.Errorf(ErrReviewNotRefused)}
	case !a.Withdrawn.IsZero():
		return []error{domain.Errorf(ErrDecideWithdrawn, a.Withdrawn)}
	}
	var errs []error
	switch {
	case received.IsZero() || received.Before(a.Decision.Notified) || today.Before(received):
		errs = append(errs, domain.FieldError(ErrReviewReceived, "received", a.Decision.Notified, today))
	case a.ReviewDeadline().Before(received):
		errs = append(errs, domain.FieldError(ErrReviewLate, "received", a.ReviewDeadline()))
	}
	switch reason, err := domain.CleanText("reason", reason, domain.MaxTextLength, false); {
	case err != nil:
		errs = append(errs, err)
	case reason == "":
		errs = append(errs, domain.FieldError(ErrReviewReason, "reason"))
	}
	return errs
}

// DecideReview decides the internal review today: by someone other than
// the officer who made the original decision (§5.7). Upholding the
// refusal gives at least one reason; overturning it nominates the
// applicant.
func (a *Application) DecideReview(decider domain.ID, overturn bool, reasons []string, today domain.Date) error {
	reasons, err := cleanReasons(reasons)
	if err != nil {
		return err
	}
	switch {
	case a.Review == nil:
		return domain.Errorf(ErrReviewNone)
	case !a.Review.Decided.IsZero():
		return domain.Errorf(ErrReviewDecided, a.Review.Decided)
	case !a.Withdrawn.IsZero():
		return domain.Errorf(ErrDecideWithdrawn, a.Withdrawn)
	case a.Decision != nil && a.Decision.Officer == decider:
		return domain.Errorf(ErrReviewSameDecider)
	case !overturn && len(reasons) == 0:
		return domain.FieldError(ErrDecisionReason, "reasons")
	}
	r := *a.Review
	r.Decided, r.Decider, r.Reasons, r.Outcome = today, decider, reasons, ReviewUpheld
	if overturn {
		r.Outcome = ReviewOverturned
		a.nominate(today)
	}
	a.Review = &r
	return nil
}

// ExtensionExpiry is the expiry an extension granted today moves a
// nomination to: the day asked, or, when none is given, six months after
// the current expiry — or after today, when the certificate has already
// expired.
func (n *Nomination) ExtensionExpiry(asked, today domain.Date) domain.Date {
	if !asked.IsZero() {
		return asked
	}
	if n.Expires.Before(today) {
		return addMonths(today, NominationValidMonths)
	}
	return addMonths(n.Expires, NominationValidMonths)
}

// ExtendNomination extends the nomination certificate (§6.1), today, with
// the nominee's explanation: "You may submit a request for an extension
// of your Nomination Certificate if it is no longer valid" — so an
// expired certificate is extended (as is one still valid, asked ahead).
// The new expiry is newExpiry, or six months on (ExtensionExpiry) when
// newExpiry is zero; never a day on or before the current expiry
// (ErrExtensionNotForward), nor, for an expired certificate, on or before
// today (ErrExtensionPast). It returns the new expiry.
func (a *Application) ExtendNomination(newExpiry domain.Date, explanation string, officer domain.ID, today domain.Date) (domain.Date, error) {
	if errs := a.ExtensionErrors(newExpiry, explanation, today); len(errs) > 0 {
		return domain.Date{}, errs[0]
	}
	explanation, _ = domain.CleanText("explanation", explanation, domain.MaxTextLength, false)
	n := a.Nomination
	to := n.ExtensionExpiry(newExpiry, today)
	c := *n
	c.Extensions = append(slices.Clone(n.Extensions), Extension{Granted: today, NewExpiry: to, Explanation: explanation, Officer: officer})
	c.Expires = to
	a.Nomination = &c
	return to, nil
}

// ExtensionErrors is every fault of an extension at once, for the form
// (ExtendNomination returns the first): a nomination to extend, an
// explanation, and a new expiry after the current one and after today.
func (a *Application) ExtensionErrors(newExpiry domain.Date, explanation string, today domain.Date) []error {
	n := a.Nomination
	if n == nil || !a.Withdrawn.IsZero() {
		return []error{domain.Errorf(ErrNotNominated)}
	}
	var errs []error
	switch explanation, err := domain.CleanText("explanation", explanation, domain.MaxTextLength, false); {
	case err != nil:
		errs = append(errs, err)
	case explanation == "":
		errs = append(errs, domain.FieldError(ErrExtensionReason, "explanation"))
	}
	switch to := n.ExtensionExpiry(newExpiry, today); {
	case !n.Expires.Before(to):
		errs = append(errs, domain.FieldError(ErrExtensionNotForward, "expiry", n.Expires))
	case !today.Before(to):
		errs = append(errs, domain.FieldError(ErrExtensionPast, "expiry", today))
	}
	return errs
}

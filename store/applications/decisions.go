package applications

import (
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The commands of the program's decisions on a submitted file (§5, §6),
// and the applicant's answer to a request for information.
const (
	KindRequestInformation sync.Kind = "oinp.info.request"
	KindAnswerInformation  sync.Kind = "oinp.info.answer"
	KindDecideApplication  sync.Kind = "oinp.decide"
	KindRecordReview       sync.Kind = "oinp.review.record"
	KindDecideReview       sync.Kind = "oinp.review.decide"
	KindExtendNomination   sync.Kind = "oinp.nomination.extend"
	// KindStartProcessing and KindReturnIncomplete: the completeness
	// review's outcomes (§5.3).
	KindStartProcessing  sync.Kind = "oinp.processing.start"
	KindReturnIncomplete sync.Kind = "oinp.processing.incomplete"
)

// DecisionPayload is one action on a submitted file: the day it was taken
// on and what that kind of action needs.
type DecisionPayload struct {
	On domain.Date `json:"on"`
	// Request is the request for information asked (its ID made by the
	// officer's desk).
	Request *oinp.InfoRequest `json:"request,omitempty"`
	// RequestID is the request answered.
	RequestID domain.ID `json:"requestID,omitzero"`
	// Text is the answer, the review's reason or the extension's
	// explanation.
	Text string `json:"text,omitempty"`
	// Approve approves the file, or overturns the refusal on review.
	Approve bool     `json:"approve,omitempty"`
	Reasons []string `json:"reasons,omitempty"`
	// Received is the day the request for review arrived.
	Received domain.Date `json:"received,omitzero"`
	// Expiry is the nomination's new expiry, as the desk worked it out.
	Expiry domain.Date `json:"expiry,omitzero"`
	// officer is the acting officer's name, and officerForm the form of
	// their role they chose, read from the accounts of the computer that
	// applies the action (never taken from the command).
	officer     string
	officerForm account.Form
}

// RequestInformation asks, as a program officer, the applicant of a
// submitted file not yet decided for information, by due (a day after
// today). The applicant and their representative read it at their next
// sync.
func (s Store) RequestInformation(by account.Actor, applicant domain.ID, text string, due domain.Date) (ApplicationRecord, error) {
	id, err := s.NewID(s.Now())
	if err != nil {
		return ApplicationRecord{}, err
	}
	return s.actOnFile(by, requestInformation, applicant,
		DecisionPayload{Request: &oinp.InfoRequest{ID: id, Due: due, Text: text, Officer: by.Account}})
}

// AnswerInformation marks, as the applicant, the program's request for
// information answered, with the answer's text (documents join the file
// through AttachDocument).
func (s Store) AnswerInformation(by account.Actor, request domain.ID, text string) (ApplicationRecord, error) {
	return s.actOnFile(by, answerInformation, by.Account, DecisionPayload{RequestID: request, Text: text})
}

// AnswerInformationFor is AnswerInformation by the applicant's active
// representative, on their client's file.
func (s Store) AnswerInformationFor(by account.Actor, applicant, request domain.ID, text string) (ApplicationRecord, error) {
	return s.actOnFile(by, answerInformation, applicant, DecisionPayload{RequestID: request, Text: text})
}

// DecideApplication approves (nominates: a Confirmation of Nomination
// with its number, valid six months) or refuses, with reasons, a submitted
// file not withdrawn nor decided yet, as a program officer.
func (s Store) DecideApplication(by account.Actor, applicant domain.ID, approve bool, reasons []string) (ApplicationRecord, error) {
	return s.actOnFile(by, decideApplication, applicant, DecisionPayload{Approve: approve, Reasons: reasons})
}

// RecordReviewRequest records, as a program officer, the applicant's
// request for internal review of a refusal, received (by e-mail) on a day
// no later than the review deadline, with the error it names.
func (s Store) RecordReviewRequest(by account.Actor, applicant domain.ID, received domain.Date, reason string) (ApplicationRecord, error) {
	return s.actOnFile(by, recordReview, applicant, DecisionPayload{Received: received, Text: reason})
}

// DecideReview decides the internal review, as a program officer other
// than the one who made the original decision: overturned, the applicant
// is nominated; upheld, with reasons, the refusal is final.
func (s Store) DecideReview(by account.Actor, applicant domain.ID, overturn bool, reasons []string) (ApplicationRecord, error) {
	return s.actOnFile(by, decideReview, applicant, DecisionPayload{Approve: overturn, Reasons: reasons})
}

// ExtendNomination extends the nominee's certificate, as a program
// officer, on or before its expiry and with their explanation: to
// newExpiry, or six months after the current expiry when it is zero.
func (s Store) ExtendNomination(by account.Actor, applicant domain.ID, newExpiry domain.Date, explanation string) (ApplicationRecord, error) {
	return s.actOnFile(by, extendNomination, applicant, DecisionPayload{Expiry: newExpiry, Text: explanation})
}

// StartProcessing records, as a program officer, that the program started
// processing the submitted file today: its completeness review found it
// complete (§5.3). A withdrawal from then on is not refunded (§5.6).
func (s Store) StartProcessing(by account.Actor, applicant domain.ID) (ApplicationRecord, error) {
	return s.actOnFile(by, startProcessing, applicant, DecisionPayload{})
}

// ReturnIncomplete records, as a program officer, that the submitted file
// was found incomplete today, with the reasons the applicant reads: it is
// returned, not processed, and the fee refunded (§5.3).
func (s Store) ReturnIncomplete(by account.Actor, applicant domain.ID, reasons []string) (ApplicationRecord, error) {
	return s.actOnFile(by, returnIncomplete, applicant, DecisionPayload{Reasons: reasons})
}

// A fileAction is one of the program's actions on a submitted file, or
// the applicant's answer to a request for information: its command, and
// the domain rule it applies to the file. Each is declared once; the
// desk's methods above and the server's registry (commands_oinp.go) apply
// the same one.
type fileAction struct {
	kind sync.Kind
	// byProgram: only the program's officers take it (on any file); else
	// the applicant on their own file, or their active representative.
	byProgram bool
	rule      func(a *oinp.Application, by account.Actor, p *DecisionPayload) error
	// mail, when set, is the letter that tells the file's applicant and
	// active representative the action was taken (mailFile).
	mail string
}

var (
	requestInformation = fileAction{kind: KindRequestInformation, byProgram: true,
		rule: func(a *oinp.Application, by account.Actor, p *DecisionPayload) error {
			if p.Request == nil || p.Request.ID.IsZero() {
				return domain.FieldError(sync.ErrBadRequest, "request")
			}
			for _, r := range a.InfoRequests {
				if r.ID == p.Request.ID {
					return domain.Errorf(store.ErrEntityExists)
				}
			}
			r := *p.Request
			r.Officer = by.Account
			return a.RequestInformation(r, p.On)
		}}
	answerInformation = fileAction{kind: KindAnswerInformation,
		rule: func(a *oinp.Application, _ account.Actor, p *DecisionPayload) error {
			return a.AnswerInformation(p.RequestID, p.Text, p.On)
		}}
	decideApplication = fileAction{kind: KindDecideApplication, byProgram: true, mail: "oinp.decided",
		rule: func(a *oinp.Application, by account.Actor, p *DecisionPayload) error {
			if err := a.Decide(by.Account, p.Approve, p.Reasons, p.On); err != nil {
				return err
			}
			a.Decision.OfficerName, a.Decision.OfficerForm = p.officer, p.officerForm
			return nil
		}}
	recordReview = fileAction{kind: KindRecordReview, byProgram: true,
		rule: func(a *oinp.Application, by account.Actor, p *DecisionPayload) error {
			return a.RecordReview(p.Received, p.Text, by.Account, p.On)
		}}
	decideReview = fileAction{kind: KindDecideReview, byProgram: true, mail: "oinp.decided",
		rule: func(a *oinp.Application, by account.Actor, p *DecisionPayload) error {
			if err := a.DecideReview(by.Account, p.Approve, p.Reasons, p.On); err != nil {
				return err
			}
			a.Review.DeciderName, a.Review.DeciderForm = p.officer, p.officerForm
			return nil
		}}
	startProcessing = fileAction{kind: KindStartProcessing, byProgram: true,
		rule: func(a *oinp.Application, _ account.Actor, p *DecisionPayload) error {
			return a.StartProcessing(p.On)
		}}
	returnIncomplete = fileAction{kind: KindReturnIncomplete, byProgram: true,
		rule: func(a *oinp.Application, by account.Actor, p *DecisionPayload) error {
			return a.ReturnIncomplete(by.Account, p.Reasons, p.On)
		}}
	// extendNomination fills in the new expiry the rule works out, so that
	// the command carries it.
	extendNomination = fileAction{kind: KindExtendNomination, byProgram: true,
		rule: func(a *oinp.Application, by account.Actor, p *DecisionPayload) (err error) {
			p.Expiry, err = a.ExtendNomination(p.Expiry, p.Text, by.Account, p.On)
			return err
		}}
)

// actOnFile is one action on a file in one transaction: the rule applied
// to the record, the outbox command and the audit entry (codes only).
func (s Store) actOnFile(by account.Actor, act fileAction, applicant domain.ID, p DecisionPayload) (ApplicationRecord, error) {
	now := s.Now()
	p.On = domain.DateOf(now)
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.applyToFile(tx, by, act, applicant, &p, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: act.kind, Action: string(act.kind), Entity: applicant,
			Base: rec.Version - 1, Payload: p, Detail: string(rec.App.ProcessingStatus())})
	})
	return rec, err
}

// TODO(rules): applyToFile is the lead's to fold into the command registry;
// what it still decides itself should move to domain/oinp with it:
//   - who acts: an officer (account.Authorize DecideApplications) for every
//     kind but the answer; the answer by oinp.CheckOnFile(by, applicant, a)
//     (the applicant or the active representative), a missing file
//     refused as ErrNotSubmitted;
//   - a request for information without an ID (sync.ErrBadRequest) or with
//     one the file has already (ErrEntityExists), and its Officer set to
//     the sender: into oinp.Application.RequestInformation, the officer as
//     an argument.

// applyToFile checks who acts and applies the action's rule to the file
// of applicant, on the desk and on the server alike. The program's
// officers act on any file; the answer to a request for information is
// the applicant's (or their active representative's). The rule fills in
// what it worked out (a nomination's new expiry), so that the command
// carries it.
func (s Store) applyToFile(tx *store.Tx, by account.Actor, act fileAction, applicant domain.ID, p *DecisionPayload, now time.Time) (ApplicationRecord, error) {
	var rec ApplicationRecord
	var err error
	switch {
	case act.byProgram:
		if err := account.Authorize(by, account.DecideApplications, domain.ID{}); err != nil {
			return rec, err
		}
		var officer store.Account
		if _, err := s.GetJSON(store.BucketOf(tx, store.AccountsBucket), by.Account[:], &officer); err != nil {
			return rec, err
		}
		p.officer = strings.TrimSpace(officer.GivenNames + " " + officer.FamilyName)
		p.officerForm = officer.Form
		found, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant[:], &rec)
		if err != nil {
			return rec, err
		}
		if !found {
			return rec, domain.Errorf(store.ErrNotFound)
		}
	case by.Role == account.Representative:
		if rec, err = s.clientRecord(tx, by, applicant); err != nil {
			return rec, err
		}
	case by.Role != account.Applicant || by.Account != applicant:
		return rec, domain.Errorf(ErrNotApplicant)
	default:
		found, err := s.GetJSON(store.BucketOf(tx, store.ApplicationsBucket), applicant[:], &rec)
		if err != nil {
			return rec, err
		}
		if !found {
			return rec, domain.Errorf(ErrNotSubmitted)
		}
	}
	if err := act.rule(&rec.App, by, p); err != nil {
		return rec, err
	}
	rec.Applicant = applicant
	rec.Version++
	rec.Updated = now
	if err := s.putApplication(tx, &rec); err != nil {
		return rec, err
	}
	return rec, s.mailFile(tx, &rec, act.mail, now)
}

// day is the day an action on a file takes effect: the server's, as for
// every date that starts or ends a deadline (see at).
func day(sv *store.Server, _ domain.Date, now time.Time) domain.Date {
	return domain.DateOf(now)
}

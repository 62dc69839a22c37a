package applications

import (
	"encoding/json"
	"fmt"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The fee of an OINP file is the server's to take (§7): its own fee for
// the file as it holds it (in the GTA or not), through its own processor
// (store.Server.Payments), dated by its clock. A desk proposes: it checks
// the card as the processor would, locks the file as submitted and not
// yet paid (oinp.Application.Queue) and queues the submission with the fee
// the applicant agreed to pay. The card itself is never written, not in
// the outbox, not in the audit, not on the server: the desk holds it in
// this process's memory (held) and gives it to the submission only as it
// is pushed (expandSubmission); the server charges it, keeps the receipt
// (last four digits, reference, amount, time, sandbox or not) and forgets
// the rest. A desk closed before its submission reached the server sends
// it without the card, the server refuses it (oinp.ErrCardMissing), the
// file comes back as the server holds it, a draft with everything typed
// in it, and the applicant types the card again.

// SubmitPayload is a submission: the desk's day, and the fee the
// applicant agreed to pay (the server refuses another amount than its
// own fee, oinp.ErrFeeAmount). Card is set only in the command as it is
// pushed (expandSubmission), never in the outbox. Receipt was a desk's
// receipt (desks from before sent one); the server refuses any
// (oinp.ErrReceiptFromDesk), and only a profile with no server keeps one
// in its own outbox (SubmitPaid).
type SubmitPayload struct {
	On       domain.Date   `json:"on"`
	FeeCents int64         `json:"feeCents,omitempty"`
	Card     *oinp.Card    `json:"card,omitempty"`
	Receipt  *oinp.Receipt `json:"receipt,omitempty"`
}

// SubmitApplication submits the applicant's own file, paid by card for
// agreedCents (the fee their screen showed).
func (s Store) SubmitApplication(by account.Actor, card oinp.Card, agreedCents int64) (ApplicationRecord, error) {
	return s.SubmitApplicationFor(by, by.Account, card, agreedCents)
}

// SubmitApplicationFor submits an applicant's file, as the applicant or
// their active representative (§3.2: representatives submit from their
// own account), on a desk with a server: the card checked (oinp.CheckCard,
// each refusal under its field), the file checked and locked as
// oinp.Application.Queue allows (registered, within its 14 days,
// complete, agreedCents its fee), in one transaction with its outbox
// command. The file then waits for its payment, which the server takes
// when the command reaches it; the card waits in memory only (HoldsCard).
func (s Store) SubmitApplicationFor(by account.Actor, applicant domain.ID, card oinp.Card, agreedCents int64) (ApplicationRecord, error) {
	now := s.Now()
	if _, _, err := oinp.CheckCard(card, now); err != nil {
		return ApplicationRecord{}, err
	}
	p := SubmitPayload{On: domain.DateOf(now), FeeCents: agreedCents}
	// Held before the commit: the push the commit wakes finds it.
	engine := s.Engine()
	held.Keep(engine, applicant, card)
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.editableFor(tx, by, applicant); err != nil {
			return err
		}
		if err := rec.App.Queue(p.On, agreedCents, assets.OINPTables()); err != nil {
			return err
		}
		rec.Version++
		rec.Updated = now
		if err := s.putApplication(tx, &rec); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSubmitApplication, Action: "oinp.submit", Entity: applicant,
			Base: rec.Version - 1, Payload: p})
	})
	if err != nil {
		held.Drop(engine, applicant)
	}
	return rec, err
}

// HoldCard gives a file waiting for its payment its card again, after the
// desk was closed: the submission, when it is pushed, carries it. The
// card is checked as SubmitApplicationFor checks it; a file that does not
// wait for a payment is ErrNotSubmitted.
func (s Store) HoldCard(by account.Actor, applicant domain.ID, card oinp.Card) error {
	if _, _, err := oinp.CheckCard(card, s.Now()); err != nil {
		return err
	}
	err := s.View(func(tx *store.Tx) error {
		rec, _, err := s.fileFor(tx, by, applicant, oinp.CheckReader)
		if err == nil && !rec.App.AwaitingPayment() {
			err = domain.Errorf(ErrNotSubmitted)
		}
		return err
	})
	if err == nil {
		held.Keep(s.Engine(), applicant, card)
	}
	return err
}

// HoldsCard reports whether this desk holds, in memory, the card of the
// applicant's submission waiting for its payment.
func (s Store) HoldsCard(applicant domain.ID) bool {
	_, ok := held.Get(s.Engine(), applicant)
	return ok
}

// SubmitPaid submits a file already paid by receipt, on a profile with no
// server (its own processor took the fee) or on the server itself (its
// demo): oinp.Application.Submit's checks, in one transaction with its
// outbox command. A server refuses such a command from a desk
// (oinp.ErrReceiptFromDesk): the receipt is its own to make.
func (s Store) SubmitPaid(by account.Actor, applicant domain.ID, receipt oinp.Receipt) (ApplicationRecord, error) {
	now := s.Now()
	p := SubmitPayload{On: domain.DateOf(now), Receipt: &receipt}
	var rec ApplicationRecord
	err := s.Update(func(tx *store.Tx) error {
		var err error
		if rec, err = s.editableFor(tx, by, applicant); err != nil {
			return err
		}
		if rec, err = s.submitPaid(tx, rec, receipt, p.On, now); err != nil {
			return err
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindSubmitApplication, Action: "oinp.submit", Entity: applicant,
			Base: rec.Version - 1, Payload: p})
	})
	return rec, err
}

func (s Store) submitPaid(tx *store.Tx, rec ApplicationRecord, receipt oinp.Receipt, on domain.Date, now time.Time) (ApplicationRecord, error) {
	if err := rec.App.Submit(receipt, on, assets.OINPTables()); err != nil {
		return rec, err
	}
	rec.Version++
	rec.Updated = now
	return rec, s.putApplication(tx, &rec)
}

// applySubmitApplication takes the fee and submits the file, the day the
// program receives it (the deadline is judged on that day too): the same
// checks as the desk's (oinp.Application.CheckSubmit) against the file as
// the server holds it, the server's fee for it, which must be what the
// applicant agreed to pay (oinp.ErrFeeAmount: nothing is charged), then
// the card through the server's processor, keyed by the command's ID so
// that a command sent twice, or a transaction run again, charges once.
// The receipt is the processor's; a desk's is refused
// (oinp.ErrReceiptFromDesk), as is a submission without its card
// (oinp.ErrCardMissing).
func applySubmitApplication(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p SubmitPayload, now time.Time) (sync.Answer, error) {
	if p.Receipt != nil {
		return store.Applied(), domain.FieldError(oinp.ErrReceiptFromDesk, "payment")
	}
	s, on := of(sv), domain.DateOf(sv.At(time.Time{}, now))
	rec, err := s.editableFor(tx, by, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	fee, err := rec.App.CheckSubmit(on, assets.OINPTables())
	if err != nil {
		return store.Applied(), err
	}
	if err := oinp.CheckFee(p.FeeCents, fee); err != nil {
		return store.Applied(), err
	}
	if p.Card == nil {
		return store.Applied(), domain.FieldError(oinp.ErrCardMissing, "card.number")
	}
	receipt, err := sv.Payments().Charge(cmd.ID.String(), rec.App.FileNumber, fee, *p.Card, now)
	if err != nil {
		return store.Applied(), err
	}
	if rec, err = s.submitPaid(tx, rec, receipt, on, now); err == nil {
		err = s.noteSubmission(tx, &rec)
	}
	return store.Versioned(rec.Version, err)
}

// expandSubmission gives a submission, as it is pushed, the card this
// desk holds for it; one the desk no longer holds (it was closed) goes
// without, and the server refuses it (oinp.ErrCardMissing).
func (s Store) expandSubmission(cmd sync.Command) (sync.Command, error) {
	var p SubmitPayload
	if err := json.Unmarshal(cmd.Payload, &p); err != nil || p.Receipt != nil || p.Card != nil {
		return cmd, err
	}
	card, ok := held.Get(s.Engine(), cmd.Entity)
	if !ok {
		return cmd, nil
	}
	p.Card = &card
	raw, err := json.Marshal(p)
	if err != nil {
		return cmd, fmt.Errorf("expand %s: %w", cmd.ID, err)
	}
	cmd.Payload = raw
	return cmd, nil
}

// undoSubmission forgets the card of a refused submission and puts the
// file back as the server holds it: a draft, with everything typed in it.
func undoSubmission(s Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
	held.Drop(s.Engine(), cmd.Entity)
	return undoApplication(s, tx, cmd, current)
}

// held are the cards of the submissions this process's desks have
// queued, by profile and file, in memory only: from the moment the
// applicant pays until the server has answered (the file arrives paid,
// applyApplication, or the submission is refused, undoSubmission).
var held = store.NewHeldCards()

package requests

import (
	"encoding/json"
	"fmt"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/store"
	"dossier/sync"
)

// The Off-Campus Work Permit application's commands: the student submits
// (and pays) and may withdraw; the program's officers decide.
var permitCommands = []store.CommandSpec{
	{Kind: KindSubmitPermit, Senders: []account.Role{account.Student}, Creates: store.CreatesApplication,
		MaxPayload: store.MaxPayloadSmall, Apply: store.With(applySubmitPermit), Current: currentPermit,
		Undo: store.UndoOn(On, undoSubmitPermit), Expand: store.ExpandOn(On, Store.expandPermit)},
	{Kind: KindWithdrawPermit, Senders: []account.Role{account.Student}, MaxPayload: store.MaxPayloadSmall,
		Apply: store.With(applyWithdrawPermit), Current: currentPermit, Undo: store.UndoOn(On, undoPermit)},
	{Kind: KindDecidePermit, Senders: store.TheProgram, MaxPayload: store.MaxPayloadSmall,
		Apply: store.With(applyDecidePermit), Current: currentPermit, Undo: store.UndoOn(On, undoPermit)},
}

var permitRecords = []store.RecordSpec{
	{Kind: EntityPermit, Replay: store.UnbufferedOn(On, replayPermit)},
}

// applySubmitPermit is the server's submission: the rule the desk ran
// (permit.New) against the server's own verification and record, on its
// own day, for its own fee, which must be what the student agreed to pay
// (permit.ErrFeeAmount: nothing is charged); then the card through the
// server's processor, keyed by the command's ID so that a command sent
// twice charges once. A submission without its card (the desk was closed
// before it was pushed) is oinp.ErrCardMissing.
func applySubmitPermit(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p SubmitPermitPayload, now time.Time) (sync.Answer, error) {
	s, on := of(sv), domain.DateOf(sv.At(time.Time{}, now))
	v, prev, err := s.permitBasis(tx, cmd.Entity)
	if err != nil {
		return store.Applied(), err
	}
	if v == nil {
		return store.Applied(), permit.CheckEVN(nil, by.Account, "")
	}
	if err := permit.CheckEVN(v, by.Account, permitEVN(p.EVN)); err != nil {
		return store.Applied(), err
	}
	fee := assets.PermitFee()
	a, _, err := permit.New(v, by.Account, prev, p.Form, on, p.FeeCents, fee, permit.Submitted)
	if err != nil {
		return store.Applied(), err
	}
	if p.Card == nil {
		return store.Applied(), domain.FieldError(oinp.ErrCardMissing, "card.number")
	}
	receipt, err := sv.Payments().Charge(cmd.ID.String(), oinp.FileNumber("OCWP-"+string(a.EVN)), fee.Cents, *p.Card, now)
	if err != nil {
		return store.Applied(), err
	}
	a.Receipt, a.Updated = &receipt, now
	return store.Versioned(a.Version, s.putPermit(tx, &a))
}

func applyWithdrawPermit(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, _ struct{}, now time.Time) (sync.Answer, error) {
	a, err := of(sv).withdrawPermit(tx, by, cmd.Entity, now)
	return store.Versioned(a.Version, err)
}

// applyDecidePermit decides on the server's record, on its day, signed
// with the officer's name as the server holds it; the student is told by
// mail.
func applyDecidePermit(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, p DecidePermitPayload, now time.Time) (sync.Answer, error) {
	a, err := of(sv).decidePermit(tx, by, cmd.Entity, p, sv.At(time.Time{}, now))
	return store.Versioned(a.Version, err)
}

// currentPermit is the application a refused command was about, when by
// may read it.
func currentPermit(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command) (*sync.Change, error) {
	a, err := of(sv).getPermit(tx, cmd.Entity)
	if err != nil || a == nil || !mayReadPermit(by, a) {
		return nil, err
	}
	return store.ChangeOf(EntityPermit, a.ID, a.Version, a)
}

// undoSubmitPermit forgets the card of a refused submission and puts the
// application back as the server has it, or removes it when the server
// has none; the student's form stays in their draft.
func undoSubmitPermit(s Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
	permitCards.Drop(s.Engine(), cmd.Entity)
	if current == nil {
		return tx.Bucket(store.WorkPermitsBucket).Delete(cmd.Entity[:])
	}
	return undoPermit(s, tx, cmd, current)
}

func undoPermit(s Store, tx *store.Tx, _ sync.Command, current *sync.Change) error {
	if current == nil {
		return nil
	}
	_, err := replayPermit(s, tx, current)
	return err
}

// replayPermit writes an application from the feed; once the server's
// word arrives the desk's card, if it still held one, is forgotten.
func replayPermit(s Store, tx *store.Tx, c *sync.Change) (bool, error) {
	var a permit.Application
	if err := json.Unmarshal(c.Data, &a); err != nil {
		return store.BadChange(err)
	}
	if a.ID != c.ID || !a.Status.Valid() {
		return false, nil
	}
	if a.Status != permit.Pending {
		permitCards.Drop(s.Engine(), a.ID)
	}
	return true, s.PutJSON(store.BucketOf(tx, store.WorkPermitsBucket), a.ID[:], &a)
}

// expandPermit gives a submission, as it is pushed, the card this desk
// holds for it.
func (s Store) expandPermit(cmd sync.Command) (sync.Command, error) {
	var p SubmitPermitPayload
	if err := json.Unmarshal(cmd.Payload, &p); err != nil || p.Card != nil {
		return cmd, err
	}
	card, ok := permitCards.Get(s.Engine(), cmd.Entity)
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

func init() {
	store.Register(store.Program{Name: "permits", Commands: permitCommands, Records: permitRecords})
}

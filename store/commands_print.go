package store

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/printcode"
	"dossier/sync"
)

// Printed documents: every person prints, each with a key of their own,
// and the server keeps what each verification code vouches for — the
// facts it computes itself from the record the document was printed from.

var printCommands = []CommandSpec{
	{Kind: KindPrintKey, Senders: everyRole, Creates: CreatesPrint, MaxPayload: MaxPayloadSmall,
		Apply: ownPrint(with(applyPrintKey))},
	{Kind: KindPrinted, Senders: everyRole, Creates: CreatesPrint, MaxPayload: MaxPayloadSmall,
		Apply: ownPrint(with(applyPrinted))},
}

// ownPrint lets a person register keys and codes in their own name only.
func ownPrint(step applyFunc) applyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Entity != by.Account {
			return applied(), domain.Errorf(account.ErrForbidden)
		}
		return step(sv, tx, by, cmd, now)
	}
}

func applyPrintKey(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p PrintKeyPayload, _ time.Time) (sync.Answer, error) {
	if len(p.Key) != printKeyBytes {
		return applied(), domain.Errorf(ErrPrintKey)
	}
	return applied(), sv.s.putPrintKey(tx, by.Account, p.Key)
}

// applyPrinted keeps a printed document's code with the facts the server
// computes from the record it was printed from: only a code made with the
// person's own key, for facts that are the server's.
func applyPrinted(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p Printed, now time.Time) (sync.Answer, error) {
	code, err := printcode.ParseCode(p.Code)
	if err != nil {
		return applied(), err
	}
	mine, err := sv.s.printKeyOf(tx, by.Account, printcode.KeyIDOf(code))
	if err != nil {
		return applied(), domain.FieldError(printcode.ErrCodeFalse, "code")
	}
	if err := printcode.Check(code, p.Kind, p.Facts, mine); err != nil {
		return applied(), err
	}
	// The printing day is the desk's, within the window a desk may work
	// offline; the facts are the server's.
	p.Printed = sv.deskDate(p.Printed, now)
	facts, err := sv.s.printedFacts(tx, by, p.Kind, p.Record, p.Facts, p.Printed)
	if err != nil {
		return applied(), err
	}
	if !sameFacts(facts, p.Facts) {
		return applied(), domain.FieldError(ErrPrintChanged, "facts")
	}
	p.Code, p.Facts, p.By = code, facts, by.Account
	return applied(), sv.s.PutJSON(bucketOf(tx, printedBucket), printedKey(code), p)
}

func init() {
	Register(Program{Name: "printing", Commands: printCommands})
}

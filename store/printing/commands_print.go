package printing

import (
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/sync"
)

// Printed documents: every person prints, each with a key of their own,
// and the server keeps what each verification code vouches for — the
// facts it computes itself from the record the document was printed from.

var printCommands = []store.CommandSpec{
	{Kind: KindPrintKey, Senders: store.EveryRole, Creates: store.CreatesPrint, MaxPayload: store.MaxPayloadSmall,
		Apply: ownPrint(store.With(applyPrintKey))},
	// A printing carries a sum of every line of the document: a list of
	// thousands of rows is tens of kilobytes.
	{Kind: KindPrinted, Senders: store.EveryRole, Creates: store.CreatesPrint, MaxPayload: store.MaxPayloadForm,
		Apply: ownPrint(store.With(applyPrinted))},
}

// ownPrint lets a person register keys and codes in their own name only.
func ownPrint(step store.ApplyFunc) store.ApplyFunc {
	return func(sv *store.Server, tx *store.Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Entity != by.Account {
			return store.Applied(), domain.Errorf(account.ErrForbidden)
		}
		return step(sv, tx, by, cmd, now)
	}
}

func applyPrintKey(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p PrintKeyPayload, _ time.Time) (sync.Answer, error) {
	if len(p.Key) != printKeyBytes {
		return store.Applied(), domain.Errorf(ErrPrintKey)
	}
	return store.Applied(), of(sv).putPrintKey(tx, by.Account, p.Key)
}

// applyPrinted keeps a printed document's code with the facts the server
// computes from the record it was printed from and the sums of the
// document's lines: only a code made with the person's own key, for facts
// that are the server's and those lines.
func applyPrinted(sv *store.Server, tx *store.Tx, by account.Actor, _ sync.Command, p Printed, now time.Time) (sync.Answer, error) {
	code, err := printcode.ParseCode(p.Code)
	if err != nil {
		return store.Applied(), err
	}
	mine, err := of(sv).printKeyOf(tx, by.Account, printcode.KeyIDOf(code))
	if err != nil {
		return store.Applied(), domain.FieldError(printcode.ErrCodeFalse, "code")
	}
	if err := printcode.Check(code, p.Kind, p.Facts, p.Lines, mine); err != nil {
		return store.Applied(), err
	}
	// The printing day is the desk's, within the window a desk may work
	// offline; the facts are the server's.
	p.Printed = sv.DeskDate(p.Printed, now)
	facts, err := of(sv).printedFacts(tx, by, p.Kind, p.Record, p.Facts, p.Printed)
	if err != nil {
		return store.Applied(), err
	}
	if !sameFacts(facts, p.Facts) {
		return store.Applied(), domain.FieldError(ErrPrintChanged, "facts")
	}
	p.Code, p.Facts, p.By = code, facts, by.Account
	return store.Applied(), of(sv).PutJSON(store.BucketOf(tx, store.PrintedBucket), printedKey(code), p)
}

func init() {
	store.Register(store.Program{Name: "printing", Commands: printCommands})
}

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
	{Kind: KindPrintKey, Senders: EveryRole, Creates: CreatesPrint, MaxPayload: MaxPayloadSmall,
		Apply: ownPrint(With(applyPrintKey))},
	{Kind: KindPrinted, Senders: EveryRole, Creates: CreatesPrint, MaxPayload: MaxPayloadSmall,
		Apply: ownPrint(With(applyPrinted))},
}

// ownPrint lets a person register keys and codes in their own name only.
func ownPrint(step ApplyFunc) ApplyFunc {
	return func(sv *Server, tx *Tx, by account.Actor, cmd sync.Command, now time.Time) (sync.Answer, error) {
		if cmd.Entity != by.Account {
			return Applied(), domain.Errorf(account.ErrForbidden)
		}
		return step(sv, tx, by, cmd, now)
	}
}

func applyPrintKey(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p PrintKeyPayload, _ time.Time) (sync.Answer, error) {
	if len(p.Key) != printKeyBytes {
		return Applied(), domain.Errorf(ErrPrintKey)
	}
	return Applied(), sv.st.putPrintKey(tx, by.Account, p.Key)
}

// applyPrinted keeps a printed document's code with the facts the server
// computes from the record it was printed from: only a code made with the
// person's own key, for facts that are the server's.
func applyPrinted(sv *Server, tx *Tx, by account.Actor, _ sync.Command, p Printed, now time.Time) (sync.Answer, error) {
	code, err := printcode.ParseCode(p.Code)
	if err != nil {
		return Applied(), err
	}
	mine, err := sv.st.printKeyOf(tx, by.Account, printcode.KeyIDOf(code))
	if err != nil {
		return Applied(), domain.FieldError(printcode.ErrCodeFalse, "code")
	}
	if err := printcode.Check(code, p.Kind, p.Facts, mine); err != nil {
		return Applied(), err
	}
	// The printing day is the desk's, within the window a desk may work
	// offline; the facts are the server's.
	p.Printed = sv.DeskDate(p.Printed, now)
	facts, err := sv.st.printedFacts(tx, by, p.Kind, p.Record, p.Facts, p.Printed)
	if err != nil {
		return Applied(), err
	}
	if !sameFacts(facts, p.Facts) {
		return Applied(), domain.FieldError(ErrPrintChanged, "facts")
	}
	p.Code, p.Facts, p.By = code, facts, by.Account
	return Applied(), sv.st.PutJSON(BucketOf(tx, PrintedBucket), printedKey(code), p)
}

func init() {
	Register(Program{Name: "printing", Commands: printCommands})
}

package printing

import (
	"bytes"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/sync"
)

// Printed documents. Each person prints with their own print key, made on
// their desk the first time they print and sent to the server; each
// printing is recorded (its code, the document's kind, the record it was
// printed from and the facts the code vouches for) and, for the documents
// the server vouches for (printsources.go), sent too. The server checks
// the code against the person's key, checks that the person may print
// that document from that record, and computes the facts from its own
// record: it keeps the code only when they are the facts the code vouches
// for. So anyone holding a document can ask the program whether its code
// is one the program issued and what the record said when it was
// registered. A document printed offline is registered when its desk
// syncs: if the record changed in between, the server refuses it
// (ErrPrintChanged) and the code answers "unknown" — not genuine — to
// whoever asks the server, while the printing desk still knows it.

// The commands of printing.
const (
	KindPrintKey sync.Kind = "print.key"
	KindPrinted  sync.Kind = "print.record"
)

// Codes of printing and verifying.
var (
	ErrPrintKey    = domain.NewCode("store.print.key", domain.KindInvalid)
	ErrCodeUnknown = domain.NewCode("store.print.unknown", domain.KindNotFound)
)

// printKeyBytes is the length of a print key.
const printKeyBytes = 32

// Printed is a document Dossier printed: its code, kind, the facts the
// code vouches for, the day it was printed and who printed it.
type Printed struct {
	Code string         `json:"code"`
	Kind printcode.Kind `json:"kind"`
	// Record is the record the document was printed from (a request, an
	// applicant's file, a school): zero for a list the server does not
	// vouch for.
	Record domain.ID        `json:"record,omitzero"`
	Facts  []printcode.Fact `json:"facts"`
	// Lines are the sums of the document's lines (printcode.LineSums),
	// which the code vouches for too: none for a code printed before
	// codes bound the whole text, which then vouches for its facts alone.
	Lines   []string    `json:"lines,omitempty"`
	Printed domain.Date `json:"printed"`
	By      domain.ID   `json:"by"`
}

// PrintKeyPayload is the payload of KindPrintKey: the person's new key.
type PrintKeyPayload struct {
	Key []byte `json:"key"`
}

// Seal records the printing of a document of kind stating facts, whose
// text's lines have sums, printed from record on printed by the person,
// and returns its code: one
// transaction, which makes the person's print key the first time. The
// PDF is drawn after, with the code on every page. The printing is sent
// to the server only when the server vouches for such a document printed
// by the person's role (Vouched); otherwise only this desk knows it.
func (s Store) Seal(by account.Actor, kind printcode.Kind, record domain.ID, facts []printcode.Fact, printed domain.Date, sums ...string) (string, error) {
	if by.Account.IsZero() {
		return "", domain.Errorf(account.ErrForbidden)
	}
	now := s.Now()
	var code string
	err := s.Update(func(tx *store.Tx) error {
		key, err := s.printKey(tx, by, now)
		if err != nil {
			return err
		}
		code = key.Code(kind, facts, sums...)
		p := Printed{Code: code, Kind: kind, Record: record, Facts: facts, Lines: sums, Printed: printed, By: by.Account}
		if err := s.PutJSON(store.BucketOf(tx, store.PrintedBucket), printedKey(code), p); err != nil {
			return err
		}
		if !Vouched(kind, by.Role) || record.IsZero() {
			return s.Journal(tx, now, store.Entry{By: by, Action: "print", Entity: by.Account, Detail: string(kind)})
		}
		return s.Journal(tx, now, store.Entry{By: by, Kind: KindPrinted, Action: "print", Entity: by.Account,
			Payload: p, Detail: string(kind)})
	})
	return code, err
}

// printKey is the person's print key on this desk, made (and sent to the
// server) the first time.
func (s Store) printKey(tx *store.Tx, by account.Actor, now time.Time) (printcode.Key, error) {
	b := store.BucketOf(tx, store.PrintKeysBucket)
	if k, _ := b.Cursor().Seek(by.Account[:]); k != nil && bytes.HasPrefix(k, by.Account[:]) {
		var key []byte
		if _, err := s.GetSealed(b, k, &key); err != nil {
			return nil, err
		}
		return key, nil
	}
	key := make([]byte, printKeyBytes)
	if _, err := s.Rand().Read(key); err != nil {
		return nil, domain.Wrap(store.ErrStorage, err)
	}
	if err := s.putPrintKey(tx, by.Account, key); err != nil {
		return nil, err
	}
	return key, s.Journal(tx, now, store.Entry{By: by, Kind: KindPrintKey, Action: "print.key", Entity: by.Account,
		Payload: PrintKeyPayload{Key: key}})
}

// putPrintKey keeps a person's key under their account and its name (a
// person printing on two desks has a key on each).
func (s Store) putPrintKey(tx *store.Tx, acct domain.ID, key printcode.Key) error {
	k := append(append([]byte{}, acct[:]...), key.ID()...)
	return s.PutSealed(store.BucketOf(tx, store.PrintKeysBucket), k, key)
}

func printedKey(code string) []byte {
	return []byte(code)
}

// Verify looks a code up among the documents this store knows were
// printed: on a desk, its own; on the server, everyone's.
func (s Store) Verify(code string) (Printed, error) {
	code, err := printcode.ParseCode(code)
	if err != nil {
		return Printed{}, err
	}
	var p Printed
	err = s.View(func(tx *store.Tx) error {
		found, err := s.GetJSON(store.BucketOf(tx, store.PrintedBucket), printedKey(code), &p)
		if err == nil && !found {
			err = domain.FieldError(ErrCodeUnknown, "code")
		}
		return err
	})
	return p, err
}

// Verify is the server's answer to anyone holding a document: the
// record of its printing, or why the code is not one the program issued.
// It counts the look-up against the limit of the client's address (from;
// empty for a call made in process) first, in memory.
func (sv Server) Verify(code, from string) (sync.Printed, error) {
	if err := sv.AdmitVerify(from); err != nil {
		return sync.Printed{}, err
	}
	p, err := of(sv.Server).Verify(code)
	return p.Wire(), err
}

// printKeyOf is the key an account registered under a name.
func (s Store) printKeyOf(tx *store.Tx, acct domain.ID, id string) (printcode.Key, error) {
	var key []byte
	found, err := s.GetSealed(store.BucketOf(tx, store.PrintKeysBucket), append(append([]byte{}, acct[:]...), id...), &key)
	if err == nil && !found {
		err = domain.Errorf(ErrPrintKey)
	}
	return key, err
}

// Wire is what the server says of the printing to whoever asks.
func (p Printed) Wire() sync.Printed {
	return sync.Printed{Code: p.Code, Kind: p.Kind, Facts: p.Facts, Lines: p.Lines, Printed: p.Printed}
}

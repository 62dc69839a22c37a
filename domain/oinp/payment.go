package oinp

import (
	"strings"
	"time"

	"dossier/domain"
)

// Card is what a person types to pay the fee by credit card (§7: VISA or
// MasterCard only). It is never stored, on a desk or on the server, and
// never logged: it travels once, inside the submission the desk pushes,
// to the server's processor, and a Receipt keeps the last four digits and
// nothing else of it.
type Card struct {
	Number   string `json:"number"`
	Name     string `json:"name"`
	ExpMonth int    `json:"expMonth"`
	ExpYear  int    `json:"expYear"`
	CVC      string `json:"cvc"`
}

// Receipt is a paid fee: the processor's reference, the amount, the brand
// and the card's last four digits, when, and whether it was the sandbox.
type Receipt struct {
	Reference   string    `json:"reference"`
	AmountCents int64     `json:"amountCents"`
	Brand       string    `json:"brand"`
	Last4       string    `json:"last4"`
	Paid        time.Time `json:"paid"`
	Sandbox     bool      `json:"sandbox,omitempty"`
}

// Payments takes the fee of a file: the server's processor (a desk with
// no server takes it through its own). The program's real processor
// cannot be reached from here; Dossier ships Sandbox, clearly labelled as
// such.
type Payments interface {
	// Charge takes amountCents from card for file at now. key is the
	// processor's idempotency key: charges under one key take the money
	// once, and each answers the same receipt (the server passes the
	// submission's command ID, so that a command sent twice, or a
	// transaction run again, charges the card once). A refusal is a coded
	// error (ErrCardDecline…), shown to the person; no error carries any
	// of the card, since a fault's text goes to the server's log.
	Charge(key string, file FileNumber, amountCents int64, card Card, now time.Time) (Receipt, error)
	// IsSandbox reports whether no money moves.
	IsSandbox() bool
}

// Codes of a card refused.
var (
	ErrCardNumber  = domain.NewCode("oinp.card.number", domain.KindInvalid)
	ErrCardCheck   = domain.NewCode("oinp.card.check", domain.KindInvalid)
	ErrCardBrand   = domain.NewCode("oinp.card.brand", domain.KindInvalid)
	ErrCardExpired = domain.NewCode("oinp.card.expired", domain.KindInvalid)
	ErrCardCVC     = domain.NewCode("oinp.card.cvc", domain.KindInvalid)
	ErrCardName    = domain.NewCode("oinp.card.name", domain.KindInvalid)
	ErrCardDecline = domain.NewCode("oinp.card.declined", domain.KindConflict)
)

// CheckCard reads a card as typed (spaces and dashes allowed) and tells
// its brand: VISA (4…, 13, 16 or 19 digits) or MasterCard (51–55 or
// 2221–2720, 16 digits), with a valid Luhn check digit, not expired in the
// month of now, a CVC of three digits and a name. It returns the digits.
func CheckCard(c Card, now time.Time) (digits, brand string, err error) {
	digits = strings.NewReplacer(" ", "", "-", "").Replace(c.Number)
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", "", domain.FieldError(ErrCardNumber, "card.number")
	}
	switch {
	case digits[0] == '4' && (len(digits) == 13 || len(digits) == 16 || len(digits) == 19):
		brand = "visa"
	case len(digits) == 16 && (between(digits[:2], "51", "55") || between(digits[:4], "2221", "2720")):
		brand = "mastercard"
	default:
		return "", "", domain.FieldError(ErrCardBrand, "card.number")
	}
	if !luhn(digits) {
		return "", "", domain.FieldError(ErrCardCheck, "card.number")
	}
	y, m, _ := now.Date()
	if c.ExpMonth < 1 || c.ExpMonth > 12 || c.ExpYear < y || c.ExpYear == y && time.Month(c.ExpMonth) < m {
		return "", "", domain.FieldError(ErrCardExpired, "card.expiry")
	}
	if len(c.CVC) != 3 || strings.Trim(c.CVC, "0123456789") != "" {
		return "", "", domain.FieldError(ErrCardCVC, "card.cvc")
	}
	if strings.TrimSpace(c.Name) == "" {
		return "", "", domain.FieldError(ErrCardName, "card.name")
	}
	return digits, brand, nil
}

func between(s, lo, hi string) bool { return s >= lo && s <= hi }

// luhn checks the Luhn (mod 10) check digit.
func luhn(digits string) bool {
	sum := 0
	for i := range digits {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Sandbox is the payment processor Dossier ships: it checks the card as
// the real one would and declines cards ending in 0002 (to try a decline),
// but no money moves, and every receipt says so.
type Sandbox struct{}

// IsSandbox is true: no money moves.
func (Sandbox) IsSandbox() bool { return true }

// Charge checks the card and returns a sandbox receipt; no money moves.
// It keeps nothing: a charge under a key already used at the same moment
// (a transaction run again) answers the same receipt, and the server
// answers a command sent twice with the answer it stored.
func (Sandbox) Charge(_ string, file FileNumber, amountCents int64, c Card, now time.Time) (Receipt, error) {
	digits, brand, err := CheckCard(c, now)
	if err != nil {
		return Receipt{}, err
	}
	if strings.HasSuffix(digits, "0002") {
		return Receipt{}, domain.FieldError(ErrCardDecline, "card.number")
	}
	return Receipt{Reference: "SANDBOX-" + strings.TrimPrefix(string(file), "JOID-") + "-" + now.UTC().Format("20060102150405"),
		AmountCents: amountCents, Brand: brand, Last4: digits[len(digits)-4:], Paid: now.UTC(), Sandbox: true}, nil
}

// Package printcode makes and checks the verification codes printed on
// Dossier's documents.
package printcode

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"

	"golang.org/x/text/unicode/norm"

	"dossier/domain"
)

// A verification code vouches for what a printed document states. It is
// 16 Crockford characters, "ABCD-EFGH-JKMN-PQR7": 4 that name the print
// key (so the server finds it among the keys desks registered), 11 of an
// HMAC-SHA256 over the document's kind and facts under that key, and a
// Damm check character, so a mistyped code is told apart from a forged
// one. Nobody without the key makes a code that fits other facts: a
// letter whose expiry or name was edited no longer matches its code, and
// a letter made up from nothing has no code the program issued.

// Kind names a printed document; it is part of what its code vouches for.
type Kind string

// Fact is one thing a document states that its code vouches for, in a
// form that is the same in both languages (ISO dates, cents, codes).
type Fact struct {
	Name  string // its label is the catalog key "print.fact." + Name
	Value string
}

// Key is a print key: a secret the printing desk holds and the server
// knows, so that both can make and check codes.
type Key []byte

// keyIDChars is how many characters of a code name its key.
const keyIDChars = 4

// ID is the key's name in a code: 4 Crockford characters (20 bits) from a
// hash of the key; two keys may share one, and the checker tries each.
func (k Key) ID() string {
	sum := sha256.Sum256(append([]byte("dossier print key id\x00"), k...))
	return crockford(sum[:], keyIDChars)
}

// Code is the verification code of a document of kind stating facts,
// whose text's lines have sums (LineSums; none for a code that vouches
// for the facts alone).
func (k Key) Code(kind Kind, facts []Fact, sums ...string) string {
	body := k.ID() + crockford(k.mac(kind, facts, sums), 11)
	body += string(domain.Crockford[domain.DammCheck([]byte(body))])
	return group(body)
}

func (k Key) mac(kind Kind, facts []Fact, sums []string) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	for _, f := range facts {
		m.Write([]byte(f.Name))
		m.Write([]byte{0x1f})
		m.Write([]byte(norm.NFC.String(f.Value)))
		m.Write([]byte{0x1e})
	}
	for _, s := range sums {
		m.Write([]byte{0x1d})
		m.Write([]byte(s))
	}
	return m.Sum(nil)
}

// Errors of a code as typed.
var (
	ErrCodeFormat = domain.NewCode("print.code.format", domain.KindInvalid)
	ErrCodeTypo   = domain.NewCode("print.code.typo", domain.KindInvalid)
	ErrCodeFalse  = domain.NewCode("print.code.false", domain.KindInvalid)
)

// ParseCode reads a code as a person types it (any case, with or without
// dashes or spaces) and returns it in its printed form, or says what is
// wrong with it.
func ParseCode(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '-' || r == ' ':
		case r < 128:
			v, ok := domain.CrockfordValue(byte(r))
			if !ok {
				return "", domain.FieldError(ErrCodeFormat, "code")
			}
			b.WriteByte(domain.Crockford[v])
		default:
			return "", domain.FieldError(ErrCodeFormat, "code")
		}
	}
	body := b.String()
	if len(body) != 16 {
		return "", domain.FieldError(ErrCodeFormat, "code")
	}
	if domain.DammCheck([]byte(body)) != 0 {
		return "", domain.FieldError(ErrCodeTypo, "code")
	}
	return group(body), nil
}

// KeyIDOf is the key name a code carries.
func KeyIDOf(code string) string {
	body := strings.ReplaceAll(code, "-", "")
	if len(body) < keyIDChars {
		return ""
	}
	return body[:keyIDChars]
}

// Check reports whether code vouches for kind, facts and the text's line
// sums under one of keys.
// A code that reads well but fits none is ErrCodeFalse: the document was
// not printed by the program as it reads, or it was changed since.
func Check(code string, kind Kind, facts []Fact, sums []string, keys ...Key) error {
	code, err := ParseCode(code)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if hmac.Equal([]byte(k.Code(kind, facts, sums...)), []byte(code)) {
			return nil
		}
	}
	return domain.FieldError(ErrCodeFalse, "code")
}

// crockford writes the first n 5-bit groups of b.
func crockford(b []byte, n int) string {
	out := make([]byte, n)
	for i := range n {
		bit := i * 5
		v := uint16(b[bit/8])<<8 | uint16(b[bit/8+1])
		out[i] = domain.Crockford[(v>>(11-bit%8))&31]
	}
	return string(out)
}

func group(body string) string {
	return body[:4] + "-" + body[4:8] + "-" + body[8:12] + "-" + body[12:]
}

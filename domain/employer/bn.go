package employer

import (
	"strings"
	"unicode"

	"dossier/domain"
)

// BusinessNumber is a CRA business number: nine digits, the last a Luhn
// (mod 10) check digit (DOMAIN.md §5).
type BusinessNumber string

// The ways a business number can be wrong, each with its own message.
var (
	ErrBNRequired   = domain.NewCode("employer.bn.required", domain.KindInvalid)
	ErrBNCharacters = domain.NewCode("employer.bn.characters", domain.KindInvalid)
	ErrBNLength     = domain.NewCode("employer.bn.length", domain.KindInvalid)
	ErrBNCheck      = domain.NewCode("employer.bn.check", domain.KindInvalid)
)

// ParseBN reads a business number as people type it: spaces and dashes
// between the digits are fine ("123 456 782"); the 15-character program
// account form ("123456782 RT0001") gives its first nine. It refuses
// letters or symbols, a number not of nine digits (saying how many it
// has), and a check digit that does not match (a typing error).
func ParseBN(s string) (BusinessNumber, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", domain.FieldError(ErrBNRequired, "businessNumber")
	}
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '-':
		case unicode.IsLetter(r) && digits.Len() == 9 && isProgramAccount(s[i:]):
			return checkBN(digits.String())
		default:
			return "", domain.FieldError(ErrBNCharacters, "businessNumber", string(r))
		}
	}
	return checkBN(digits.String())
}

// isProgramAccount reports whether rest is a program account suffix: two
// letters and four digits ("RT0001").
func isProgramAccount(rest string) bool {
	rest = strings.ReplaceAll(strings.TrimSpace(rest), " ", "")
	if len(rest) != 6 {
		return false
	}
	for i, r := range rest {
		if i < 2 && (r < 'A' || r > 'Z') || i >= 2 && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func checkBN(d string) (BusinessNumber, error) {
	if len(d) != 9 {
		return "", domain.FieldError(ErrBNLength, "businessNumber", len(d))
	}
	if !luhn(d) {
		return "", domain.FieldError(ErrBNCheck, "businessNumber")
	}
	return BusinessNumber(d), nil
}

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

// String writes the number in three groups, as the CRA prints it.
func (b BusinessNumber) String() string {
	if len(b) != 9 {
		return string(b)
	}
	return string(b[:3]) + " " + string(b[3:6]) + " " + string(b[6:])
}

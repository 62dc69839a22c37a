package account

import (
	"bytes"
	"strings"
	"testing"

	"dossier/domain"
)

// FuzzParsePIN: a PIN is refused as misshapen or mistyped, or read in its
// canonical form XXXX-XXXX-XXXX, which reads back the same and of which
// every single wrong character and every swap of two different
// neighbours is refused as mistyped; a PIN drawn from any random bytes
// reads as itself.
func FuzzParsePIN(f *testing.F) {
	f.Add("7K3M-Q9XA-20FT", []byte("eleven byte"))
	f.Add("7k3m q9xa 20ft", bytes.Repeat([]byte{0xff}, 11))
	f.Add("ABCD-EFGH-JKMN-P", []byte{})
	f.Add("ABCD-EFGH-JK!N", make([]byte, 11))
	f.Add("oooo-iiii-llll", []byte("0123456789a"))
	for _, random := range []string{"eleven byte", "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"} {
		code, err := NewPINCode(strings.NewReader(random))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(code, []byte{})
		f.Add(strings.ToLower(strings.ReplaceAll(code, "-", " ")), []byte{})
	}
	f.Fuzz(func(t *testing.T, s string, random []byte) {
		if len(random) >= pinBody {
			code, err := NewPINCode(bytes.NewReader(random))
			if err != nil {
				t.Fatal(err)
			}
			if back, err := ParsePIN(code); err != nil || back != code {
				t.Fatalf("%s drawn, read %q %v", code, back, err)
			}
		}
		code, err := ParsePIN(s)
		if err != nil {
			if c := domain.ErrorCode(err); c != ErrPINFormat && c != ErrPINCheck {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if back, err := ParsePIN(code); err != nil || back != code || len(code) != 14 || code[4] != '-' || code[9] != '-' {
			t.Fatalf("%q → %q → %q %v", s, code, back, err)
		}
		body := []byte(strings.ReplaceAll(code, "-", ""))
		for i := range body {
			for _, c := range []byte(domain.Crockford) {
				if c == body[i] {
					continue
				}
				typo := append([]byte{}, body...)
				typo[i] = c
				if _, err := ParsePIN(string(typo)); domain.ErrorCode(err) != ErrPINCheck {
					t.Fatalf("%s with %q at %d: %v", code, c, i, err)
				}
			}
			if i+1 < len(body) && body[i] != body[i+1] {
				swap := append([]byte{}, body...)
				swap[i], swap[i+1] = swap[i+1], swap[i]
				if _, err := ParsePIN(string(swap)); domain.ErrorCode(err) != ErrPINCheck {
					t.Fatalf("%s with %d and %d swapped: %v", code, i, i+1, err)
				}
			}
		}
	})
}

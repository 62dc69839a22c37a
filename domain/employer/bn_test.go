package employer

import (
	"testing"

	"dossier/domain"
)

func TestParseBN(t *testing.T) {
	const valid = "123456782"
	for _, in := range []string{valid, "123 456 782", "123-456-782", " 123456782 ", "123456782 RT0001", "123456782RC0001"} {
		if got, err := ParseBN(in); err != nil || got != valid {
			t.Errorf("%q: %q %v", in, got, err)
		}
	}
	// Every single wrong digit, anywhere, is caught by the check digit.
	for i := range valid {
		for d := byte('0'); d <= '9'; d++ {
			if d == valid[i] {
				continue
			}
			b := []byte(valid)
			b[i] = d
			if _, err := ParseBN(string(b)); domain.ErrorCode(err) != ErrBNCheck {
				t.Fatalf("%s (digit %d wrong): %v", b, i+1, err)
			}
		}
	}
	for _, c := range []struct {
		in   string
		code domain.Code
	}{
		{"", ErrBNRequired}, {"   ", ErrBNRequired},
		{"12345678", ErrBNLength}, {"1234567820", ErrBNLength}, {"123 456 78", ErrBNLength},
		{"12345678O", ErrBNCharacters}, {"ABC456782", ErrBNCharacters}, {"123.456.782", ErrBNCharacters},
		{"123456782 RT001", ErrBNCharacters},
	} {
		if _, err := ParseBN(c.in); domain.ErrorCode(err) != c.code {
			t.Errorf("%q: %v, want %s", c.in, err, c.code)
		}
	}
	if BusinessNumber(valid).String() != "123 456 782" {
		t.Fatal(BusinessNumber(valid).String())
	}
}

// FuzzParseBN: no input makes the reader panic; it is refused with one of
// the business number's codes, or read as nine digits that print in three
// groups and read back the same, and of which every single wrong digit is
// refused by the check digit.
func FuzzParseBN(f *testing.F) {
	for _, s := range []string{"123 456 782", "123456782 RT0001", "123-456-782", "123456782RC0001", "12345678O",
		"123456782 RT001", "1234567820", "", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bn, err := ParseBN(s)
		if err != nil {
			switch domain.ErrorCode(err) {
			case ErrBNRequired, ErrBNCharacters, ErrBNLength, ErrBNCheck:
			default:
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if again, err := ParseBN(bn.String()); err != nil || again != bn || len(bn.String()) != 11 {
			t.Fatalf("%q → %q → %q %v", s, bn, again, err)
		}
		for i := range bn {
			for d := byte('0'); d <= '9'; d++ {
				if d == bn[i] {
					continue
				}
				typo := []byte(bn)
				typo[i] = d
				if _, err := ParseBN(string(typo)); domain.ErrorCode(err) != ErrBNCheck {
					t.Fatalf("%s with %c at %d: %v", bn, d, i, err)
				}
			}
		}
	})
}

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

// FuzzParseBN: no input makes the reader panic, and what it accepts reads
// back the same.
func FuzzParseBN(f *testing.F) {
	f.Add("123 456 782")
	f.Add("123456782 RT0001")
	f.Fuzz(func(t *testing.T, s string) {
		bn, err := ParseBN(s)
		if err != nil {
			return
		}
		if again, err := ParseBN(bn.String()); err != nil || again != bn {
			t.Fatalf("%q → %q → %q %v", s, bn, again, err)
		}
	})
}

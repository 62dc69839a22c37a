package domain

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestClientID(t *testing.T) {
	good := map[string]string{
		"1234-5678": "1234-5678", "12345678": "1234-5678", " 1234 5678 ": "1234-5678",
		"12-3456-7890": "12-3456-7890", "1234567890": "12-3456-7890",
	}
	for in, want := range good {
		c, err := ParseClientID(in)
		if err != nil || c.String() != want {
			t.Errorf("ParseClientID(%q) = %q, %v; want %q", in, c, err, want)
		}
	}
	for _, bad := range []string{"", "1234-567", "123456789", "12345678901", "1234-567X", "１２３４５６７８"} {
		if _, err := ParseClientID(bad); !errors.Is(err, ErrClientIDFormat) {
			t.Errorf("ParseClientID(%q): %v", bad, err)
		}
	}
}

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"Élodie Côté":          "elodie cote",
		"  CÔTÉ-Lévesque ":     "cote levesque",
		"O’Brien":              "o brien",
		"Œuvray":               "oeuvray",
		"Nguyễn Thị Minh Khai": "nguyen thi minh khai",
		"Łukasz Søren":         "lukasz soren",
	} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanName(t *testing.T) {
	got, err := CleanName("f", "  Marie-Ève   d’Aubigné ", true)
	if err != nil || got != "Marie-Ève d’Aubigné" {
		t.Fatalf("got %q %v", got, err)
	}
	if _, err := CleanName("f", string(bytes.Repeat([]byte("a"), 101)), true); !errors.Is(err, ErrNameTooLong) {
		t.Fatalf("long name: %v", err)
	}
}

func TestBirthDateLeapDay(t *testing.T) {
	today := Date{2026, time.February, 28}
	if err := CheckBirthDate("b", Date{2014, time.February, 28}, today); err != nil {
		t.Fatalf("12 years today: %v", err)
	}
	if err := CheckBirthDate("b", Date{2014, time.March, 1}, today); !errors.Is(err, ErrBirthTooRecent) {
		t.Fatalf("12 years tomorrow: %v", err)
	}
	if _, err := ParseDate("b", "2023-02-30"); !errors.Is(err, ErrDateFormat) {
		t.Fatalf("30 February: %v", err)
	}
}

func TestIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := randReader{rng}
	var ids []ID
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200; i++ {
		id, err := NewID(base.Add(time.Duration(i)*time.Millisecond), r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseID(id.String())
		if err != nil || back != id {
			t.Fatalf("round trip %s: %v %v", id, back, err)
		}
		if !id.Time().Equal(base.Add(time.Duration(i) * time.Millisecond)) {
			t.Fatalf("time %v", id.Time())
		}
		ids = append(ids, id)
	}
	texts := make([]string, len(ids))
	for i, id := range ids {
		texts[i] = id.String()
	}
	if !sort.StringsAreSorted(texts) {
		t.Fatal("text forms do not sort in time order")
	}
	if _, err := ParseID("not an id"); !errors.Is(err, ErrBadID) {
		t.Fatal(err)
	}
}

type randReader struct{ r *rand.Rand }

func (r randReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
}

func TestErrorMatching(t *testing.T) {
	err := error(FieldError(ErrClientIDFormat, "clientID"))
	wrapped := errors.Join(errors.New("ctx"), err)
	if !errors.Is(wrapped, ErrClientIDFormat) || ErrorCode(wrapped) != ErrClientIDFormat {
		t.Fatal("code lost through wrapping")
	}
	if ErrorCode(errors.New("plain")) != ErrInternal {
		t.Fatal("plain errors must be internal")
	}
}

func TestFoldNameDecomposedInput(t *testing.T) {
	// A name typed on a system that sends accents as combining marks folds
	// like the precomposed one.
	if got := FoldName("Co\u0302te\u0301"); got != "cote" {
		t.Fatalf("got %q", got)
	}
}

func BenchmarkFoldName(b *testing.B) {
	for range b.N {
		FoldName("Marie-Ève Larivière-Côté")
	}
}

// FuzzParseClientID: a client ID is refused with its own code or read as
// 8 or 10 digits, which print in IRCC's form and read back the same.
func FuzzParseClientID(f *testing.F) {
	for _, s := range []string{"1234-5678", "12-3456-7890", " 1234 5678 ", "1234\u20115678", "12\u20133456\u20137890",
		"1234-567", "12345678901", "１２３４５６７８", "----", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClientID(s)
		if err != nil {
			if ErrorCode(err) != ErrClientIDFormat {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(c) != 8 && len(c) != 10 || strings.Trim(string(c), "0123456789") != "" {
			t.Fatalf("%q read as %q", s, c)
		}
		for _, again := range []string{c.String(), string(c)} {
			if back, err := ParseClientID(again); err != nil || back != c {
				t.Fatalf("%q → %q → %q %v", s, again, back, err)
			}
		}
	})
}

// FuzzParseID: a record ID is refused with its own code or read as the
// ID whose text form is the input in canonical letters; any 16 bytes
// print to a text that reads back the same, and two IDs' texts sort as
// their bytes do.
func FuzzParseID(f *testing.F) {
	f.Add("01JD2Q9X8K0000000000000000", []byte("0123456789abcdef0123456789abcdef"))
	f.Add("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", bytes.Repeat([]byte{0xff}, 32))
	f.Add("01jd2q9x8koooooooooooooiil", []byte{})
	f.Add("8ZZZZZZZZZZZZZZZZZZZZZZZZZ", []byte{0x80})
	f.Add("00000000000000000000000000", make([]byte, 32))
	f.Fuzz(func(t *testing.T, s string, raw []byte) {
		id, err := ParseID(s)
		if err != nil {
			if ErrorCode(err) != ErrBadID {
				t.Fatalf("%q: %v", s, err)
			}
		} else {
			text := id.String()
			for i := range len(s) {
				a, _ := CrockfordValue(s[i])
				b, _ := CrockfordValue(text[i])
				if a != b {
					t.Fatalf("%q read as %s", s, text)
				}
			}
			var back ID
			if b, _ := id.MarshalText(); back.UnmarshalText(b) != nil || back != id {
				t.Fatalf("%s marshals to %q, reads %s", id, b, back)
			}
		}
		var a, b ID
		copy(a[:], raw)
		if len(raw) > 16 {
			copy(b[:], raw[16:])
		}
		for _, x := range []ID{a, b} {
			if back, err := ParseID(x.String()); err != nil || back != x {
				t.Fatalf("%x → %s → %x %v", x, x.String(), back, err)
			}
		}
		if bytes.Compare(a[:], b[:]) != strings.Compare(a.String(), b.String()) {
			t.Fatalf("%x and %x sort otherwise as %s and %s", a, b, a, b)
		}
	})
}

// FuzzParseDate: a date is refused with its own code or read as a day
// that prints as YYYY-MM-DD and reads back the same, through its text
// form, its day count and a day's step.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-21", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", " 1970-01-01 ",
		"2026-1-1", "21/11/2026", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate("date", s)
		if err != nil {
			if ErrorCode(err) != ErrDateFormat {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if back, err := ParseDate("date", d.String()); err != nil || back != d {
			t.Fatalf("%q → %s → %v %v", s, d, back, err)
		}
		var back Date
		if b, _ := d.MarshalText(); back.UnmarshalText(b) != nil || back != d {
			t.Fatalf("%v marshals to %q, reads %v", d, b, back)
		}
		if back := DateFromDays(d.Days()); back != d {
			t.Fatalf("%v is day %d, which is %v", d, d.Days(), back)
		}
		if next := d.AddDays(1); !d.Before(next) || next.AddDays(-1) != d {
			t.Fatalf("%v, the day after %v", next, d)
		}
	})
}

// FuzzTypedText: whatever a person types, the cleaners of names, e-mail
// addresses and free text refuse it with their own codes or return text
// they give back unchanged when given it again; a cleaned name has no
// space to spare, and its folded form is lower case words.
func FuzzTypedText(f *testing.F) {
	for _, s := range []string{"  Marie-Ève   d’Aubigné ", "Nguyễn Thị Minh Khai", "Co\u0302te\u0301", "O'Brien Jr.",
		"marie@example.ca", " a@b.c ", "a@@b.c", "a@b..c", "Élodie\u00a0\u0301", "\u3000\u0301x", strings.Repeat("é", 101), "",
		"Ma\u202erie", "\u2067Ali\u2069\u200d", "a\x00b\x1b[31m", "line\r\nnext\u2028", "x\u200b@example.ca"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := CleanName("name", s, true)
		if err != nil {
			if c := ErrorCode(err); c != ErrNameRequired && c != ErrNameTooLong && c != ErrNameCharacters {
				t.Fatalf("name %q: %v", s, err)
			}
		} else {
			if again, err := CleanName("name", name, true); err != nil || again != name {
				t.Fatalf("name %q → %q → %q %v", s, name, again, err)
			}
			if name != strings.Join(strings.Fields(name), " ") || utf8.RuneCountInString(name) > MaxNameLength ||
				strip(name, false, true) != name {
				t.Fatalf("name %q → %q", s, name)
			}
			folded := FoldName(name)
			if folded != strings.Join(strings.Fields(folded), " ") || folded != strings.ToLower(folded) || FoldName(folded) != folded {
				t.Fatalf("name %q folds to %q", name, folded)
			}
		}
		if email, err := CleanEmail("email", s); err != nil {
			if c := ErrorCode(err); c != ErrEmailFormat && c != ErrEmailTooLong {
				t.Fatalf("email %q: %v", s, err)
			}
		} else if again, err := CleanEmail("email", email); err != nil || again != email || StripInvisible(email, false) != email {
			t.Fatalf("email %q → %q → %q %v", s, email, again, err)
		}
		if text, err := CleanText("note", s, 50, true); err != nil {
			if c := ErrorCode(err); c != ErrRequired && c != ErrTextTooLong {
				t.Fatalf("text %q: %v", s, err)
			}
		} else if again, err := CleanText("note", text, 50, true); err != nil || again != text || StripInvisible(text, true) != text {
			t.Fatalf("text %q → %q → %q %v", s, text, again, err)
		}
	})
}

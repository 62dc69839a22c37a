package ens

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"dossier/domain"
)

func TestEVNRoundTrip(t *testing.T) {
	tests := []struct {
		school SchoolCode
		desk   Desk
		seq    uint32
	}{{0, 1, 1}, {12, 3, 4567}, {MaxSchoolCode, MaxDesk, MaxEVNSeq}}
	for _, tt := range tests {
		evn, err := IssueEVN(tt.school, tt.desk, tt.seq)
		if err != nil {
			t.Fatal(err)
		}
		if len(evn) != 13 {
			t.Errorf("%q: length %d", evn, len(evn))
		}
		got, err := ParseEVN(string(evn))
		if err != nil || got != evn {
			t.Fatalf("ParseEVN(%q) = %q, %v", evn, got, err)
		}
		s, d, q := got.Parts()
		if s != tt.school || d != tt.desk || q != tt.seq {
			t.Errorf("%q parts = %d %d %d", evn, s, d, q)
		}
	}
}

func TestEVNIssueRefusesOutOfRange(t *testing.T) {
	for _, tt := range []struct {
		s SchoolCode
		d Desk
		q uint32
	}{{MaxSchoolCode + 1, 1, 1}, {1, 0, 1}, {1, MaxDesk + 1, 1}, {1, 1, 0}, {1, 1, MaxEVNSeq + 1}} {
		if _, err := IssueEVN(tt.s, tt.d, tt.q); !errors.Is(err, ErrEVNRange) {
			t.Errorf("IssueEVN(%d,%d,%d): %v", tt.s, tt.d, tt.q, err)
		}
	}
}

func TestParseEVNAsPeopleTypeIt(t *testing.T) {
	evn, _ := IssueEVN(1000, 17, 99)
	lower := []byte(evn)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	for _, in := range []string{string(evn), string(lower), " " + string(evn[:3]) + string(evn[4:6]) + " " + string(evn[7:]) + " "} {
		got, err := ParseEVN(in)
		if err != nil || got != evn {
			t.Errorf("ParseEVN(%q) = %q, %v; want %q", in, got, err, evn)
		}
	}
	bad := []string{"", "ABC", "ABC-DE-FGHJ-KM", "ABC-DE-FGH!-K", "ABC-DE-FGHU-K"}
	// Desk 0 and number 0, each with a check character that reads: no
	// desk issues them.
	for _, body := range []string{"3KQ0000F7", "3KQ0A0000"} {
		bad = append(bad, body+string(domain.Crockford[domain.DammCheck([]byte(body))]))
	}
	for _, b := range bad {
		if _, err := ParseEVN(b); !errors.Is(err, ErrEVNFormat) {
			t.Errorf("ParseEVN(%q): %v, want format error", b, err)
		}
	}
}

// TestEVNCheckCatchesTypos changes each character of many EVNs to every other
// character, and swaps every pair of neighbours: the check must catch all.
func TestEVNCheckCatchesTypos(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	caught := 0
	for n := 0; n < 300; n++ {
		evn, _ := IssueEVN(SchoolCode(rng.IntN(MaxSchoolCode+1)), Desk(1+rng.IntN(MaxDesk)), uint32(1+rng.IntN(MaxEVNSeq)))
		body := []byte(string(evn[:3]) + string(evn[4:6]) + string(evn[7:11]) + string(evn[12:]))
		for i := range body {
			for _, c := range []byte(domain.Crockford) {
				if c == body[i] {
					continue
				}
				typo := append([]byte{}, body...)
				typo[i] = c
				if _, err := ParseEVN(string(typo)); err == nil {
					t.Fatalf("%s: substitution %q at %d not caught", evn, c, i)
				}
				caught++
			}
			if i+1 < len(body) && body[i] != body[i+1] {
				swap := append([]byte{}, body...)
				swap[i], swap[i+1] = swap[i+1], swap[i]
				if _, err := ParseEVN(string(swap)); !errors.Is(err, ErrEVNCheck) {
					t.Fatalf("%s: swap at %d not caught: %v", evn, i, err)
				}
				caught++
			}
		}
	}
	t.Logf("%d typos caught", caught)
}

// TestEVNsOfDifferentDesksNeverCollide issues numbers the way two schools
// with several offline desks each would, and finds no duplicate.
func TestEVNsOfDifferentDesksNeverCollide(t *testing.T) {
	seen := map[EVN]bool{}
	for _, school := range []SchoolCode{1, 2, 31, 32} {
		for desk := Desk(1); desk <= 40; desk++ {
			for seq := uint32(1); seq <= 200; seq++ {
				evn, err := IssueEVN(school, desk, seq)
				if err != nil {
					t.Fatal(err)
				}
				if seen[evn] {
					t.Fatalf("collision: %s", evn)
				}
				seen[evn] = true
			}
		}
	}
}

func TestSchoolCode(t *testing.T) {
	c, err := ParseSchoolCode("1z0")
	if err != nil || c.String() != "1Z0" {
		t.Fatalf("got %v %v", c, err)
	}
	for _, bad := range []string{"", "12", "1234", "1U0"} {
		if _, err := ParseSchoolCode(bad); !errors.Is(err, ErrSchoolCodeFormat) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// FuzzParseEVN: an EVN is refused as misshapen or mistyped, or read in its
// canonical form, which reads back the same and of which every single
// wrong character and every swap of two different neighbours is refused
// as mistyped; an EVN issued from any parts in range reads back as those
// parts.
func FuzzParseEVN(f *testing.F) {
	f.Add("3KQ-0A-00F7-M", uint16(0), uint16(1), uint32(1))
	f.Add("3kq 0a 00f7 m", uint16(12), uint16(3), uint32(4567))
	f.Add("000-01-0001-", uint16(MaxSchoolCode), uint16(MaxDesk), uint32(MaxEVNSeq))
	f.Add("ABC-DE-FGHU-K", uint16(MaxSchoolCode+1), uint16(0), uint32(0))
	for _, e := range []EVN{mustIssue(f, 1, 1, 1), mustIssue(f, MaxSchoolCode, MaxDesk, MaxEVNSeq), mustIssue(f, 31, 32, 1024)} {
		f.Add(string(e), uint16(0), uint16(0), uint32(0))
		f.Add(strings.ToLower(strings.ReplaceAll(string(e), "-", "")), uint16(0), uint16(0), uint32(0))
	}
	f.Fuzz(func(t *testing.T, s string, school, desk uint16, seq uint32) {
		if e, err := IssueEVN(SchoolCode(school), Desk(desk), seq); err == nil {
			if back, err := ParseEVN(string(e)); err != nil || back != e {
				t.Fatalf("%s issued, read %q %v", e, back, err)
			}
			if s, d, q := e.Parts(); s != SchoolCode(school) || d != Desk(desk) || q != seq {
				t.Fatalf("%s issued for %d %d %d has parts %d %d %d", e, school, desk, seq, s, d, q)
			}
		} else if domain.ErrorCode(err) != ErrEVNRange {
			t.Fatal(err)
		}
		e, err := ParseEVN(s)
		if err != nil {
			if c := domain.ErrorCode(err); c != ErrEVNFormat && c != ErrEVNCheck {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if back, err := ParseEVN(string(e)); err != nil || back != e || len(e) != evnPrinted {
			t.Fatalf("%q → %q → %q %v", s, e, back, err)
		}
		// Whatever reads is a number some desk could have issued.
		if sc, d, q := e.Parts(); d == 0 || q == 0 {
			t.Fatalf("%q read as %s: desk %d, number %d", s, e, d, q)
		} else if again, err := IssueEVN(sc, d, q); err != nil || again != e {
			t.Fatalf("%q read as %s, issued again as %s %v", s, e, again, err)
		}
		body := []byte(strings.ReplaceAll(string(e), "-", ""))
		for i := range body {
			for _, c := range []byte(domain.Crockford) {
				if c == body[i] {
					continue
				}
				typo := append([]byte{}, body...)
				typo[i] = c
				if _, err := ParseEVN(string(typo)); domain.ErrorCode(err) != ErrEVNCheck {
					t.Fatalf("%s with %q at %d: %v", e, c, i, err)
				}
			}
			if i+1 < len(body) && body[i] != body[i+1] {
				swap := append([]byte{}, body...)
				swap[i], swap[i+1] = swap[i+1], swap[i]
				if _, err := ParseEVN(string(swap)); domain.ErrorCode(err) != ErrEVNCheck {
					t.Fatalf("%s with %d and %d swapped: %v", e, i, i+1, err)
				}
			}
		}
	})
}

func mustIssue(tb testing.TB, school SchoolCode, desk Desk, seq uint32) EVN {
	tb.Helper()
	e, err := IssueEVN(school, desk, seq)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

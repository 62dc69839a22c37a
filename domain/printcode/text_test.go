package printcode

import (
	"crypto/sha256"
	"encoding/base64"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

// TestCompareText: a copy is genuine only when every line of the printed
// text is there, in order, and nothing else; white space, page breaks and
// the printed code do not count; each line changed, added or cut is named.
func TestCompareText(t *testing.T) {
	const kind, code = Kind("ocwpp.compliance-list"), "ABCD-EFGH-JKMN-PQR7"
	printed := "Collège Boréal — 2026\nCôté, Élodie   S0000001   Eligible\nNguyen, An   S0000002   Ineligible\n" +
		"Page 1 of 2 · Code " + CodeMask + "\f\nTotal: 2\n"
	sums := LineSums(kind, TextLines(printed, ""))
	genuine := "  Collège  Boréal — 2026\n\nCôté, Élodie S0000001 Eligible\r\nNguyen, An\tS0000002 Ineligible\n" +
		"Page 1 of 2 · Code " + code + "\n\fTotal: 2"
	for _, tt := range []struct {
		name string
		text string
		want TextCheck
	}{
		{"the copy as printed", genuine, TextCheck{Lines: 5}},
		{"decomposed accents", "Colle\u0300ge Bore\u0301al — 2026\nCo\u0302te\u0301, E\u0301lodie S0000001 Eligible\nNguyen, An S0000002 Ineligible\nPage 1 of 2 · Code " + code + "\nTotal: 2",
			TextCheck{Lines: 5}},
		{"one row changed", replace(genuine, "Ineligible", "Eligible"),
			TextCheck{Lines: 5, Changed: []TextLine{{3, "Nguyen, An S0000002 Eligible"}}, Missing: 1, MissingAfter: []int{2}}},
		{"a row added", replace(genuine, "Total", "Roy, Lou S0000003 Eligible\nTotal"),
			TextCheck{Lines: 6, Changed: []TextLine{{5, "Roy, Lou S0000003 Eligible"}}}},
		{"a row cut", replace(genuine, "Nguyen, An\tS0000002 Ineligible\n", ""),
			TextCheck{Lines: 4, Missing: 1, MissingAfter: []int{2}}},
		{"another code", replace(genuine, code, "ABCD-EFGH-JKMN-PQR8"),
			TextCheck{Lines: 5, Changed: []TextLine{{4, "Page 1 of 2 · Code ABCD-EFGH-JKMN-PQR8"}}, Missing: 1, MissingAfter: []int{3}}},
		{"nothing", "", TextCheck{Missing: 5, MissingAfter: []int{0}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := CompareText(kind, code, sums, tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got.Genuine() != (len(tt.want.Changed) == 0 && tt.want.Missing == 0) {
				t.Errorf("genuine: %v", got.Genuine())
			}
		})
	}
	if slices.Equal(sums, LineSums("oinp.summary", TextLines(printed, ""))) {
		t.Error("the same lines in another kind of document have the same sums")
	}
}

// TestCodeBindsTheText: the code of the same facts differs with the text.
func TestCodeBindsTheText(t *testing.T) {
	k := Key("a print key for the tests only, 32b")
	facts := []Fact{{"file", "JOID-2026417"}}
	a := LineSums("oinp.fee-receipt", []string{"Amount: $2,000.00"})
	b := LineSums("oinp.fee-receipt", []string{"Amount: $3,000.00"})
	code := k.Code("oinp.fee-receipt", facts, a...)
	if err := Check(code, "oinp.fee-receipt", facts, a, k); err != nil {
		t.Fatal(err)
	}
	if err := Check(code, "oinp.fee-receipt", facts, b, k); err == nil {
		t.Error("the code fits another text")
	}
}

func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("no " + old)
	}
	return strings.Replace(s, old, new, 1)
}

// lineSumByRune is LineSum as it was first written, a rune a write: the
// digests the server keeps for codes printed since must not change.
func lineSumByRune(kind Kind, line string) string {
	h := sha256.New()
	h.Write([]byte("dossier line\x00"))
	h.Write([]byte(kind))
	h.Write([]byte{0})
	for _, r := range norm.NFC.String(line) {
		if !unicode.IsSpace(r) {
			h.Write([]byte(string(r)))
		}
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:lineSumBytes])
}

// TestLineSumKeepsItsDigests: the same digest as the first LineSum for
// lines of every kind of text — accents, decomposed accents, white space
// of every sort, invalid UTF-8, longer than the function's own buffer.
func TestLineSumKeepsItsDigests(t *testing.T) {
	pieces := []string{"Zoë", "Bérubé-Tremblay", "e\u0301", " ", "\t", "\u00a0", "\u2003", "EVN-000123-Q",
		"1 234,56 $", "\xff", "\xe2\x82", "日本", "𝔇", "\u200b", "«", "»", strings.Repeat("long", 40)}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		kind := Kind([]string{"ocwpp.queue-export", "oinp.nomination-letter", ""}[rng.IntN(3)])
		if got, want := LineSum(kind, b.String()), lineSumByRune(kind, b.String()); got != want {
			t.Fatalf("LineSum(%q, %q) = %s, want %s", kind, b.String(), got, want)
		}
	}
}

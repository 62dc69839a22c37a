package printcode

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A code binds the whole of its document, not only its facts: the
// printing desk reads the document's text back from the PDF it made, one
// line as a reader sees it (a row of a table, a line of a sentence), and
// the code vouches for a digest of every line (LineSums), which the server
// keeps with the code. A copy whose text differs from the printed one in
// any line — a row, a date, an amount — no longer matches, and the check
// says which lines differ.
//
// The lines are normalised so that the ways a person copies a PDF's text
// agree: Unicode NFC, page breaks and blank lines dropped, and white space
// ignored inside a line (pdftotext -layout pads columns with spaces, a
// viewer's copy may not). The code printed on the document cannot be part
// of what it vouches for: the text is read with CodeMask where the code
// stands.

// CodeMask stands for the code in the text a code vouches for.
const CodeMask = "XXXX-XXXX-XXXX-XXXX"

// TextLines are the lines of a document's text as its code reads them,
// with code (as printed; empty for none) read as CodeMask: each line's
// white space collapsed to one space, blank lines dropped.
func TextLines(text, code string) []string {
	text = norm.NFC.String(text)
	if code != "" {
		text = strings.ReplaceAll(text, code, CodeMask)
	}
	var lines []string
	for l := range strings.FieldsFuncSeq(text, func(r rune) bool { return r == '\n' || r == '\r' || r == '\f' || r == '\v' }) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// lineSumBytes is how much of a line's SHA-256 the server keeps: 96
// bits, beyond anyone's reach to match with another line.
const lineSumBytes = 12

// LineSum is the digest of one line of a document of kind, white space
// aside.
func LineSum(kind Kind, line string) string {
	// The digest of "dossier line", NUL, kind, NUL and the line's runes
	// but white space, hashed at once: a row of 60 runes hashed a rune a
	// write took a twelfth of a 100,000-row list's printing.
	var space [256]byte
	b := append(space[:0], "dossier line\x00"...)
	b = append(b, kind...)
	b = append(b, 0)
	for _, r := range norm.NFC.String(line) {
		if !unicode.IsSpace(r) {
			b = utf8.AppendRune(b, r)
		}
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:lineSumBytes])
}

// LineSums are the digests of lines, in order.
func LineSums(kind Kind, lines []string) []string {
	sums := make([]string, len(lines))
	for i, l := range lines {
		sums[i] = LineSum(kind, l)
	}
	return sums
}

// TextLine is one line of a copy, numbered from 1.
type TextLine struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// TextCheck is how a copy of a document compares with the text its code
// vouches for.
type TextCheck struct {
	// Changed are the copy's lines the document did not print there:
	// changed, added or moved.
	Changed []TextLine `json:"changed,omitempty"`
	// Missing is how many of the document's lines the copy lacks (changed
	// or cut), and MissingAfter the copy's line each follows (0: before
	// the first).
	Missing      int   `json:"missing,omitempty"`
	MissingAfter []int `json:"missingAfter,omitempty"`
	// Lines is how many lines the copy has.
	Lines int `json:"lines"`
}

// Genuine reports whether the copy states every line of the document, in
// order, and nothing else.
func (c TextCheck) Genuine() bool { return len(c.Changed) == 0 && c.Missing == 0 }

// CompareText compares the text of a copy of a document of kind carrying
// code with the line sums the code vouches for.
func CompareText(kind Kind, code string, sums []string, text string) TextCheck {
	lines := TextLines(text, code)
	got := LineSums(kind, lines)
	keep := commonLines(sums, got)
	c := TextCheck{Lines: len(lines)}
	j := 0
	for i := range sums {
		if j < len(keep) && keep[j][0] == i {
			j++
			continue
		}
		after := 0
		if j > 0 {
			after = keep[j-1][1] + 1
		}
		c.Missing++
		if n := len(c.MissingAfter); n == 0 || c.MissingAfter[n-1] != after {
			c.MissingAfter = append(c.MissingAfter, after)
		}
	}
	j = 0
	for i, l := range lines {
		if j < len(keep) && keep[j][1] == i {
			j++
			continue
		}
		c.Changed = append(c.Changed, TextLine{N: i + 1, Text: l})
	}
	return c
}

// commonLines is a longest common subsequence of a and b, as pairs of
// indexes. Long documents mostly agree: the common head and tail are
// taken first, and the table is built over what lies between, kept to a
// band so that a copy made up from nothing costs no more than it is long.
func commonLines(a, b []string) [][2]int {
	var head [][2]int
	for len(head) < len(a) && len(head) < len(b) && a[len(head)] == b[len(head)] {
		head = append(head, [2]int{len(head), len(head)})
	}
	ta, tb := len(a), len(b)
	var tail [][2]int
	for ta > len(head) && tb > len(head) && a[ta-1] == b[tb-1] {
		ta, tb = ta-1, tb-1
		tail = append([][2]int{{ta, tb}}, tail...)
	}
	ma, mb := a[len(head):ta], b[len(head):tb]
	const maxCells = 4 << 20
	if len(ma)*len(mb) > maxCells {
		return append(head, tail...)
	}
	// dp[i][j]: the longest common subsequence of ma[i:] and mb[j:].
	dp := make([][]int32, len(ma)+1)
	for i := range dp {
		dp[i] = make([]int32, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if ma[i] == mb[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	out := head
	for i, j := 0, 0; i < len(ma) && j < len(mb); {
		switch {
		case ma[i] == mb[j]:
			out = append(out, [2]int{len(head) + i, len(head) + j})
			i, j = i+1, j+1
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return append(out, tail...)
}

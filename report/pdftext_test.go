package report

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestObjectStartsAsTheExpression: objectStarts finds what the expression
// it replaced finds, on random text made of the pieces that matter to it
// (numbers at a line's start or not, " 0 obj" followed by a word's byte or
// not, carriage returns, the text's ends).
func TestObjectStartsAsTheExpression(t *testing.T) {
	objRE := regexp.MustCompile(`(?m)^(\d+) 0 obj\b`)
	pieces := []string{"\n", "\r", "12", "7", "0", " ", " 0 obj", "obj", "x", "_", "<<", "\n3 0 obj\n", "é", "\x00"}
	rng := rand.New(rand.NewPCG(3, 4))
	found := 0
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		pdf := []byte(b.String())
		var want [][4]int
		for _, m := range objRE.FindAllSubmatchIndex(pdf, -1) {
			want = append(want, [4]int{m[0], m[1], m[2], m[3]})
		}
		if got := objectStarts(pdf); !slices.Equal(got, want) {
			t.Fatalf("%q: %v, the expression %v", pdf, got, want)
		}
		found += len(want)
	}
	if found < 1000 {
		t.Fatalf("only %d objects in the random texts: the test checks too little", found)
	}
}

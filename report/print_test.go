package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/translations"
)

// TestTheCodeIsWrittenWhereTheMaskStood: every document, in both
// languages, is laid out once and its code written over the mask: the
// lines read back from the PDF, the code read as the mask, are those whose
// sums were sealed; the code stands in every page's footer and in the
// verification box; no mask is left. A document whose own text holds the
// mask (a name typed so) is laid out again with its code, and its text
// keeps the mask where the document says it. A character beyond U+FFFF
// prints as U+FFFD.
func TestTheCodeIsWrittenWhereTheMaskStood(t *testing.T) {
	docs := demoDocuments(t)
	docs["long"] = QueueExport{School: "Lakeshore Polytechnic", SchoolCode: "LP", Count: 200, Rows: queueRows(200)}
	masked := QueueExport{School: "Collège Beaulieu", SchoolCode: "CB", Count: 3, Rows: func(yield func(QueueRow) bool) {
		for r := range queueRows(3) {
			r.Name = printcode.CodeMask
			if !yield(r) {
				return
			}
		}
	}}
	docs["masked"] = masked
	// A character beyond U+FFFF (an emoji) is printed, and read, as
	// U+FFFD: it made printing panic (found by a review).
	docs["emoji"] = QueueExport{School: "Collège Beaulieu 😀", SchoolCode: "CB", Count: 60, Rows: func(yield func(QueueRow) bool) {
		for r := range queueRows(60) {
			r.Name = "Zoé 😀 Bérubé-Tremblay 𝔇𝔇𝔇𝔇𝔇𝔇𝔇𝔇𝔇𝔇𝔇𝔇 😀"
			if !yield(r) {
				return
			}
		}
	}}
	for kind, doc := range docs {
		for _, lang := range []translations.Lang{translations.English, translations.French} {
			before := laidOutAgain.Load()
			pdf, code, sums := printSealed(t, lang, doc)
			if again := laidOutAgain.Load() > before; again != (kind == "masked") {
				t.Errorf("%s %s: laid out a second time: %v", kind, lang, again)
			}
			text, err := PDFText(pdf)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, lang, err)
			}
			if diff := cmp.Diff(sums, printcode.LineSums(doc.Kind(), printcode.TextLines(text, code))); diff != "" {
				t.Errorf("%s %s: the printed lines are not those sealed (-sealed +printed):\n%s", kind, lang, diff)
			}
			if kind == "emoji" && (strings.ContainsAny(text, "😀𝔇") || !strings.Contains(text, "Zoé \uFFFD")) {
				t.Errorf("%s %s: the emoji is not read back as U+FFFD", kind, lang)
			}
			pages := strings.Count(text, "\f") + 1
			if n := strings.Count(text, code); n != pages+1 {
				t.Errorf("%s %s: the code stands %d times on %d pages, want each footer and the box", kind, lang, n, pages)
			}
			want := 0
			if kind == "masked" {
				want = 3 // the rows' names
			}
			if n := strings.Count(text, printcode.CodeMask); n != want {
				t.Errorf("%s %s: the mask stands %d times, want %d", kind, lang, n, want)
			}
		}
	}
}

// brokenLayout is a document whose layout panics, as gofpdf does on text
// it cannot lay out.
type brokenLayout struct{ QueueExport }

func (brokenLayout) render(p *page) { panic("index out of range [128512] with length 65536") }

// TestALayoutThatPanicsIsAnError: the person printing is told the
// document could not be laid out, in their language; the desk goes on.
func TestALayoutThatPanicsIsAnError(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		tr := translations.New(lang)
		var out bytes.Buffer
		code, err := Print(&out, tr, KeySealer(testKey), printedOn, brokenLayout{})
		if domain.ErrorCode(err) != ErrLayout || code != "" {
			t.Fatalf("%s: %q %v", lang, code, err)
		}
		if msg := tr.Error(err); msg == "" || strings.Contains(msg, "err.print") {
			t.Errorf("%s: the message is %q", lang, msg)
		}
	}
}

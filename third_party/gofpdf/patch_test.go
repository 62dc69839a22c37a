package gofpdf

// Tests of Dossier's changes (PATCHED.md): each holds a change against
// what the code did before it, kept here as the reference.

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"math/rand"
	"os"
	"strings"
	"testing"
	"time"
)

// fontRegular is the project's Noto Sans, as Dossier prints with it.
func fontRegular(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../assets/fonts/NotoSans-Regular.ttf")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAppendFormatIsSprintf: the formats appendFormat takes give
// fmt.Sprintf's bytes, and it refuses the others (the caller then asks
// fmt) — random formats of its verbs and others, with arguments of the
// right types and of wrong ones, too few and too many.
func TestAppendFormatIsSprintf(t *testing.T) {
	// The verbs it takes, more often than those it leaves to fmt.
	verbs := []string{"%s", "%d", "%.2f", "%.3f", "%.0f", "%.9f", "%%", "%.2f", "%.2f", "%s", "%d",
		"%f", "%v", "%x", "%5.2f", "%.2F", "%", "%.f", "%.2"}
	text := []string{"", " ", "BT ", " Td (", ")Tj ET", "re ", "/MediaBox [0 0 ", "é"}
	floats := []float64{0, -0.0, 1, -1, 0.005, 0.015, 2.675, -2.675, 1e21, 1e-9, 123456.789, math.Inf(1), math.NaN(), 612, 792.0001}
	rng := rand.New(rand.NewSource(7))
	arg := func() interface{} {
		switch rng.Intn(8) {
		case 0, 6, 7:
			return floats[rng.Intn(len(floats))]
		case 1:
			return rng.NormFloat64() * 1000
		case 2:
			return rng.Intn(2000) - 1000
		case 3:
			return text[rng.Intn(len(text))]
		case 4:
			return float32(1.5)
		default:
			return int64(3)
		}
	}
	took := 0
	for n := 0; n < 50000; n++ {
		var format strings.Builder
		var args []interface{}
		for k := rng.Intn(5); k >= 0; k-- {
			format.WriteString(text[rng.Intn(len(text))])
			v := verbs[rng.Intn(len(verbs))]
			format.WriteString(v)
			switch {
			case v == "%%" || rng.Intn(20) == 0: // (too few)
			case rng.Intn(10) > 0 && v == "%s":
				args = append(args, text[rng.Intn(len(text))])
			case rng.Intn(10) > 0 && v == "%d":
				args = append(args, rng.Intn(2000)-1000)
			case rng.Intn(10) > 0 && strings.HasSuffix(v, "f"):
				args = append(args, floats[rng.Intn(len(floats))]*rng.NormFloat64())
			default:
				args = append(args, arg())
			}
		}
		if rng.Intn(20) == 0 {
			args = append(args, arg())
		}
		got, ok := appendFormat([]byte("prefix"), format.String(), args)
		if !ok {
			if string(got) != "prefix" {
				t.Fatalf("%q %v: refused, but left %q", format.String(), args, got)
			}
			continue
		}
		took++
		if want := "prefix" + fmt.Sprintf(format.String(), args...); string(got) != want {
			t.Fatalf("%q %#v: %q, fmt.Sprintf %q", format.String(), args, got, want)
		}
		if s := sprintf(format.String(), args...); s != fmt.Sprintf(format.String(), args...) {
			t.Fatalf("sprintf %q %#v: %q", format.String(), args, s)
		}
	}
	if took < 5000 {
		t.Fatalf("only %d formats taken: the test checks too little", took)
	}
}

// TestCompressPagesIsSliceCompress: pages compressed on every core with
// pooled writers are, page for page, what a new writer makes of each.
func TestCompressPagesIsSliceCompress(t *testing.T) {
	rng := rand.New(rand.NewSource(8))
	var pages []*bytes.Buffer
	for i := 0; i < 300; i++ {
		var b bytes.Buffer
		for j := rng.Intn(4000); j > 0; j-- {
			fmt.Fprintf(&b, "BT %.2f %.2f Td (%d)Tj ET\n", rng.Float64()*600, rng.Float64()*800, rng.Intn(100))
		}
		pages = append(pages, &b)
	}
	got := compressPages(pages)
	for i, p := range pages {
		var want bytes.Buffer
		w, _ := zlib.NewWriterLevel(&want, zlib.BestSpeed)
		w.Write(p.Bytes())
		w.Close()
		if !bytes.Equal(got[i], want.Bytes()) {
			t.Fatalf("page %d compressed differs from a new writer's", i)
		}
	}
}

// upstreamReplaceAliases is replaceAliases as v1.16.2 wrote it.
func upstreamReplaceAliases(f *Fpdf) {
	for mode := 0; mode < 2; mode++ {
		for alias, replacement := range f.aliasMap {
			if mode == 1 {
				alias = utf8toutf16(alias, false)
				replacement = utf8toutf16(replacement, false)
			}
			for n := 1; n <= f.page; n++ {
				s := f.pages[n].String()
				if strings.Contains(s, alias) {
					s = strings.Replace(s, alias, replacement, -1)
					f.pages[n].Truncate(0)
					f.pages[n].WriteString(s)
				}
			}
		}
	}
}

// document lays out pages pages of text in a UTF-8 font and a core one,
// "page X of {nb}" and an alias of the caller's on each.
func document(t *testing.T, pages int) *Fpdf {
	t.Helper()
	f := New("P", "mm", "Letter", "")
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) // two documents alike
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCatalogSort(true) // the fonts' dictionary in one order
	f.AddUTF8FontFromBytes("noto", "", fontRegular(t))
	f.AliasNbPages("{nb}")
	f.RegisterAlias("{who}", "Zoë Bérubé")
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont("noto", "", 8)
		f.CellFormat(0, 5, fmt.Sprintf("page %d of {nb} · {who} · XXXX-XXXX", f.PageNo()), "", 0, "L", false, 0, "")
	})
	for p := 0; p < pages; p++ {
		f.AddPage()
		f.SetFont("noto", "", 10)
		for l := 0; l < 20; l++ {
			f.CellFormat(60, 5, fmt.Sprintf("ligne %d, «{who}» (é\\)", l), "LTRB", 1, []string{"L", "C", "R"}[l%3], l%2 == 0, 0, "")
		}
		f.SetFont("Helvetica", "", 10)
		f.MultiCell(100, 5, "core font text {who} {nb}", "", "L", false)
	}
	return f
}

// TestReplaceAliasesAsUpstream: the aliases replaced page by page on
// every core, without copying a page the alias is not on, give the pages
// upstream's loop gave.
func TestReplaceAliasesAsUpstream(t *testing.T) {
	a, b := document(t, 40), document(t, 40)
	for _, f := range []*Fpdf{a, b} {
		f.RegisterAlias(f.aliasNbPagesStr, "40")
	}
	a.replaceAliases()
	upstreamReplaceAliases(b)
	for n := 1; n <= a.page; n++ {
		if !bytes.Equal(a.pages[n].Bytes(), b.pages[n].Bytes()) {
			t.Fatalf("page %d differs from upstream's", n)
		}
	}
}

// streams are the content streams of pdf's pages, inflated, in order
// (gofpdf writes each page's object, then its content's).
func streams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, part := range bytes.Split(pdf, []byte("/Filter /FlateDecode /Length "))[1:] {
		i := bytes.Index(part, []byte("stream\n"))
		var n int
		fmt.Sscanf(string(part), "%d", &n)
		r, err := zlib.NewReader(bytes.NewReader(part[i+len("stream\n") : i+len("stream\n")+n]))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// TestPageContentIsWhatOutputWrites: after EndPages, PageContent is each
// page's content as Output then writes it (aliases replaced, the last
// footer in), and Output after EndPages writes what Close alone writes.
func TestPageContentIsWhatOutputWrites(t *testing.T) {
	f, g := document(t, 5), document(t, 5)
	f.EndPages()
	f.EndPages() // once only
	var contents [][]byte
	for n := 1; n <= f.PageCount(); n++ {
		contents = append(contents, bytes.Clone(f.PageContent(n)))
	}
	var a, b bytes.Buffer
	if err := f.Output(&a); err != nil {
		t.Fatal(err)
	}
	if err := g.Output(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("Output after EndPages differs from Output alone")
	}
	written := streams(t, a.Bytes())
	if len(written) < len(contents) {
		t.Fatalf("%d streams for %d pages", len(written), len(contents))
	}
	for i, c := range contents {
		if !bytes.Equal(c, written[i]) {
			t.Fatalf("page %d: PageContent differs from the stream written", i+1)
		}
		if !bytes.Contains(c, []byte(utf8toutf16("page "+fmt.Sprint(i+1)+" of 5", false))) {
			t.Fatalf("page %d: no footer with the page count", i+1)
		}
	}
}

// TestReplaceText: the text is replaced only between the offsets given,
// where it stands, and the new characters are in the font's subset; text
// of another length, or not there, is refused.
func TestReplaceText(t *testing.T) {
	f := New("P", "mm", "Letter", "")
	f.AddUTF8FontFromBytes("noto", "", fontRegular(t))
	f.AddPage()
	f.SetFont("noto", "", 10)
	f.CellFormat(0, 5, "code XXXX-XXXX", "", 1, "L", false, 0, "")
	page, from := f.ContentMark()
	f.CellFormat(0, 5, "code XXXX-XXXX", "", 1, "L", false, 0, "")
	_, to := f.ContentMark()
	f.CellFormat(0, 5, "code XXXX-XXXX", "", 1, "L", false, 0, "")
	before := bytes.Clone(f.pages[page].Bytes())
	if f.ReplaceText(page, from, to, "XXXX-XXXX", "J210-QWZ") || f.ReplaceText(page, from, to, "YYYY", "ZZZZ") ||
		f.ReplaceText(page, to, from, "XXXX-XXXX", "J210-QWZ7") || f.ReplaceText(page+1, 0, 0, "X", "Y") {
		t.Fatal("a replacement that cannot be was made")
	}
	if !bytes.Equal(before, f.pages[page].Bytes()) {
		t.Fatal("a refused replacement changed the page")
	}
	if !f.ReplaceText(page, from, to, "XXXX-XXXX", "J210-QWZ7") {
		t.Fatal("the text drawn between the marks was not found")
	}
	after := f.pages[page].Bytes()
	if len(after) != len(before) || !bytes.Equal(after[:from], before[:from]) || !bytes.Equal(after[to:], before[to:]) {
		t.Fatal("bytes outside the marks changed")
	}
	if !f.ShowsText(page, "J210-QWZ7") || !f.ShowsText(page, "XXXX-XXXX") {
		t.Fatal("the page does not show the code and the other masks")
	}
	if _, ok := f.fonts["noto"].usedRunes['Q']; !ok {
		t.Fatal("the code's characters are not in the font's subset")
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		t.Fatal(err)
	}
}

// TestCharactersBeyondTheBMP: a character beyond U+FFFF (an emoji) in a
// UTF-8 font is measured, split, drawn and read back as U+FFFD, where it
// made SplitText panic.
func TestCharactersBeyondTheBMP(t *testing.T) {
	if got := bmpOnly("Zoé 😀 𝔇x"); got != "Zoé \uFFFD \uFFFDx" {
		t.Fatalf("bmpOnly: %q", got)
	}
	if s := "Zoé Bérubé"; bmpOnly(s) != s {
		t.Fatal("bmpOnly changed text it need not")
	}
	f := New("P", "mm", "Letter", "")
	f.AddUTF8FontFromBytes("noto", "", fontRegular(t))
	f.AddPage()
	f.SetFont("noto", "", 10)
	name := "Zoé 😀 Bérubé-Tremblay 😀😀 𝔇"
	if f.GetStringWidth(name) != f.GetStringWidth(bmpOnly(name)) {
		t.Fatal("the width differs from the replaced text's")
	}
	lines := f.SplitText(name, 20)
	if len(lines) < 2 {
		t.Fatalf("split into %d lines", len(lines))
	}
	for _, l := range lines {
		f.CellFormat(20, 5, l, "", 1, "L", false, 0, "")
	}
	f.MultiCell(30, 5, name, "", "L", false)
	f.Text(10, 10, name)
	f.Write(5, name)
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		t.Fatal(err)
	}
	for _, c := range streams(t, out.Bytes()) {
		if bytes.Contains(c, []byte(utf8toutf16("😀", false))) {
			t.Fatal("the emoji's bytes were written")
		}
	}
}

// TestOverlappingAliasesInOneOrder: aliases whose texts overlap ("{a}"
// becomes "A{b}") are replaced in one order, so Output writes the same
// stream every time and PageContent reads it. (Found by a review: Go's
// map order made the two differ in a quarter of the runs.)
func TestOverlappingAliasesInOneOrder(t *testing.T) {
	outputs := map[string]bool{}
	for i := 0; i < 200; i++ {
		f := New("P", "mm", "Letter", "")
		f.SetFont("Helvetica", "", 10)
		f.AddPage()
		f.RegisterAlias("{a}", "A{b}")
		f.RegisterAlias("{b}", "B")
		f.CellFormat(0, 5, "text {a} {b}", "", 1, "L", false, 0, "")
		f.EndPages()
		c := bytes.Clone(f.PageContent(1))
		var out bytes.Buffer
		if err := f.Output(&out); err != nil {
			t.Fatal(err)
		}
		w := streams(t, out.Bytes())[0]
		outputs[string(w)] = true
		if !bytes.Equal(c, w) {
			t.Fatalf("run %d: PageContent differs from the stream written", i)
		}
	}
	if len(outputs) > 1 {
		t.Fatalf("Output wrote %d different streams", len(outputs))
	}
}

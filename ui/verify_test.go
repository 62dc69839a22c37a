package ui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/report"
	"dossier/store/demo"
	"dossier/store/requests"
	"dossier/translations"
)

// verifyText is what the Verify screen says: its verdict and each line
// under it.
func verifyText(e *Env) string {
	var out []string
	fyne.DoAndWait(func() {
		v := e.view.(*verifyView)
		out = append(out, v.verdict.Text)
		for _, o := range v.details.Objects {
			if l, ok := o.(*widget.Label); ok {
				out = append(out, l.Text)
			}
		}
	})
	return strings.Join(out, "\n")
}

// TestVerifyADocument: a DIR prints their queue; on Verify a document,
// its code with the PDF's words is Genuine, in English and in French;
// with one row changed it is not, and the screen names the line; the PDF
// itself opened checks; a PDF the program cannot read leaves the words
// typed and says to paste them; a code mistyped is told at its box.
func TestVerifyADocument(t *testing.T) {
	e, _, _ := desk(t, 30)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	today := domain.DateOf(e.Now())
	f := requests.QueueFilter{School: e.Account.Org}
	doc, err := report.QueueExportOf(e.Store, e.Actor(), f, "")
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	code, err := report.Print(&pdf, e.Tr(), report.StoreSealer(e.Store, e.Actor(), today), today, doc)
	if err != nil {
		t.Fatal(err)
	}
	text, err := report.PDFText(pdf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenVerify)
	v := e.view.(*verifyView)
	check := func(code, text string) string {
		t.Helper()
		v.code.SetText(code)
		v.text.SetText(text)
		test.Tap(v.check)
		e.Drain()
		return verifyText(e)
	}
	if got := check(strings.ToLower(code), text); !strings.HasPrefix(got, "Genuine: Queue of requests, printed on November 21, 2026") ||
		!strings.Contains(got, "Every line of the text given") {
		t.Fatalf("the genuine copy:\n%s", got)
	}
	e.SetLang(translations.French)
	if got := verifyText(e); !strings.HasPrefix(got, "Document authentique (File des demandes), imprimé le 21 novembre 2026") ||
		!strings.Contains(got, "Chaque ligne du texte fourni") {
		t.Fatalf("the genuine copy, in French:\n%s", got)
	}
	lines := strings.Split(text, "\n")
	row := -1
	for i, l := range lines {
		if strings.Contains(l, "2026-") && row < 0 && i > 3 {
			row = i
		}
	}
	if row < 0 {
		t.Fatalf("no row:\n%s", text)
	}
	lines[row] = strings.Replace(lines[row], "2026-", "2025-", 1)
	got := check(code, strings.Join(lines, "\n"))
	if !strings.HasPrefix(got, "Non authentique\u00a0: le texte fourni diffère du document «\u00a0File des demandes\u00a0» imprimé le 21 novembre 2026") ||
		!strings.Contains(got, "n’est pas telle qu’elle a été imprimée\u00a0: "+strings.Join(strings.Fields(lines[row]), " ")) ||
		!strings.Contains(got, "Lignes du document absentes après la ligne") {
		t.Fatalf("a copy with a row changed, in French:\n%s", got)
	}
	e.SetLang(translations.English)
	if got := verifyText(e); !strings.HasPrefix(got, "Not genuine: the text given differs from the Queue of requests printed on November 21, 2026") ||
		!strings.Contains(got, "is not as printed: ") {
		t.Fatalf("a copy with a row changed, in English:\n%s", got)
	}

	v.code.SetText("")
	v.openPDF(pdf.Bytes())
	e.Drain()
	if got := verifyText(e); v.code.Text != code || !strings.HasPrefix(got, "Genuine") {
		t.Fatalf("the PDF opened (code %q):\n%s", v.code.Text, got)
	}
	v.text.SetText("what was typed")
	v.openPDF([]byte("%PDF-1.4 made by another program"))
	if v.text.Text != "what was typed" || !strings.Contains(v.form.errors["text"].Text, "Paste the document's text instead") {
		t.Fatalf("an unreadable PDF: %q %q", v.text.Text, v.form.errors["text"].Text)
	}
	typo := code[:len(code)-1] + "X"
	if strings.HasSuffix(code, "X") {
		typo = code[:len(code)-1] + "Y"
	}
	if check(typo, text); !strings.Contains(v.form.errors["code"].Text, "typing error") {
		t.Fatalf("a mistyped code: %q", v.form.errors["code"].Text)
	}
	e.SetLang(translations.French)
	if !strings.Contains(v.form.errors["code"].Text, "faute de frappe") {
		t.Fatalf("a mistyped code, in French: %q", v.form.errors["code"].Text)
	}
}

// codeWidth is the width of a text that holds a code, which differs with
// the code.
var codeWidth = regexp.MustCompile(`size="[0-9]+x([0-9]+)">([^<]*CODE-OF-THE-DOCUMENT)`)

// TestGoldenVerify renders Verify a document in both languages, a copy
// with one line changed checked, and compares it with the golden markup.
func TestGoldenVerify(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e, _, _ := desk(t, 5)
			e.SetLang(lang)
			e.Window.Resize(fyne.NewSize(1240, 720))
			signInAs(t, e, "dir.beaulieu", demo.Password)
			today := domain.DateOf(e.Now())
			doc, err := report.QueueExportOf(e.Store, e.Actor(), requests.QueueFilter{School: e.Account.Org}, "")
			if err != nil {
				t.Fatal(err)
			}
			var pdf bytes.Buffer
			code, err := report.Print(&pdf, e.Tr(), report.StoreSealer(e.Store, e.Actor(), today), today, doc)
			if err != nil {
				t.Fatal(err)
			}
			text, err := report.PDFText(pdf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			e.Show(ScreenVerify)
			v := e.view.(*verifyView)
			v.code.SetText(code)
			v.text.SetText(strings.Replace(text, "5", "6", 1))
			test.Tap(v.check)
			e.Drain()
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			// The desk's print key, and so the code, is new with each profile.
			markup := strings.ReplaceAll(test.RenderToMarkup(e.Window.Canvas()), code, "CODE-OF-THE-DOCUMENT")
			markup = codeWidth.ReplaceAllString(markup, `size="x$1">$2`)
			assertGolden(t, "verify_"+string(lang)+".xml", markup)
		})
	}
}

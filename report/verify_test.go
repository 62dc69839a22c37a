package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/translations"
)

// printSealed prints doc as Print does and returns the PDF, its code and
// the sums of its lines the code vouches for.
func printSealed(t *testing.T, lang translations.Lang, doc Document) (pdf []byte, code string, sums []string) {
	t.Helper()
	seal := func(kind Kind, _ domain.ID, facts []Fact, s []string) (string, error) {
		sums = s
		return testKey.Code(kind, facts, s...), nil
	}
	var buf bytes.Buffer
	code, err := Print(&buf, translations.New(lang), seal, printedOn, doc)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), code, sums
}

// squashed are a text's lines as a code reads them, white space aside.
func squashed(text, code string) []string {
	lines := printcode.TextLines(text, code)
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, " ", "")
	}
	return lines
}

// TestPDFTextReadsAsPdftotext: the lines the desk reads back from every
// document it prints, in both languages and over many pages, are the
// lines pdftotext -layout reads: a person's copy made with it checks.
func TestPDFTextReadsAsPdftotext(t *testing.T) {
	docs := demoDocuments(t)
	docs["long"] = ComplianceList{School: "Lakeshore Polytechnic", SchoolCode: "LP", Year: 2026, Count: 300, Rows: complianceRows(300)}
	for kind, doc := range docs {
		for _, lang := range []translations.Lang{translations.English, translations.French} {
			pdf, code := printDoc(t, lang, doc)
			ours, err := PDFText(pdf)
			if err != nil {
				t.Fatalf("%s %s: %v", kind, lang, err)
			}
			if diff := cmp.Diff(squashed(pdfText(t, pdf), code), squashed(ours, code)); diff != "" {
				t.Errorf("%s %s: the lines read back differ from pdftotext's (-pdftotext +ours):\n%s", kind, lang, diff)
			}
		}
	}
	for _, bad := range [][]byte{nil, []byte("%PDF-1.3\n"), []byte("not a pdf"), []byte("%PDF-1.3\n1 0 obj\n<</Type /Pages /Kids [3 0 R] /Count 1>>\nendobj\n")} {
		if _, err := PDFText(bad); domain.ErrorCode(err) != ErrPDFText {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// forgery is one change made to a genuine copy's text: old (a regular
// expression; its first match) becomes new.
type forgery struct{ what, old, new string }

// forgeries are, for every document Dossier prints, a row, a date and an
// amount (or a number) changed in its English text.
var forgeries = map[Kind][]forgery{
	KindComplianceList: {{"row", `Étudiant·e 00003`, "Étudiant·e 00093"}, {"date", `October 15, 2026`, "October 16, 2026"},
		{"amount", `The 12 students`, "The 11 students"}},
	KindIneligibleReport: {{"row", `Olivier Gagné`, "Olivia Gagné"}, {"date", `November 20, 2026`, "November 19, 2026"},
		{"amount", `Eligible students\s+140`, "Eligible students 141"}},
	KindProvincialReport: {{"row", `Université de Hearst`, "Université de Sudbury"}, {"date", `2026-11-18`, "2026-11-28"},
		{"amount", `2,310`, "2,410"}},
	KindQueueExport: {{"row", `EVN-000002-Q`, "EVN-000009-Q"}, {"date", `2026-10-03`, "2026-10-13"},
		{"amount", `Requests\s+9`, "Requests 8"}},
	KindRequestRecord: {{"row", `S0000042`, "S0000043"}, {"date", `October 9, 2026`, "October 8, 2026"},
		{"amount", `CB01-00042-7`, "CB01-00042-8"}},
	KindApplicationSummary: {{"row", `criteria met: 18 of 20`, "criteria met: 20 of 20"}, {"date", `June 2, 2026`, "June 1, 2026"},
		{"amount", `\$2,000\.00`, "$1,500.00"}},
	KindNominationLetter: {{"row", `NOC 8431`, "NOC 8432"}, {"date", `March 1, 2027`, "March 1, 2028"},
		{"amount", `JOID-2026417`, "JOID-2026418"}},
	KindWorkPermitLetter: {{"row", `Greenhouse worker`, "Greenhouse manager"}, {"date", `March 1, 2027`, "September 1, 2027"},
		{"amount", `\$17\.50`, "$27.50"}},
	KindCertificate: {{"row", `ON-IDS-2026-00417`, "ON-IDS-2026-00418"}, {"date", `September 1, 2027`, "September 1, 2028"},
		{"amount", `March 14, 1990`, "March 14, 1991"}},
	KindRefusalLetter: {{"row", `older than two years`, "older than three years"}, {"date", `October 1,`, "October 31,"},
		{"amount", `§2\.1\.4`, "§2.1.3"}},
	KindFeeReceipt: {{"row", `SBX-7F3K-Q9`, "SBX-7F3K-Q8"}, {"date", `June 2, 2026`, "June 3, 2026"},
		{"amount", `\$2,000\.00`, "$200.00"}},
	KindPermitApplication: {{"row", `FR1234567`, "FR1234568"}, {"date", `October 12, 2026`, "October 13, 2026"},
		{"amount", `CB01-00042-7`, "CB01-00042-8"}},
	KindPermitReceipt: {{"row", `SANDBOX-OCWP-CB01-7`, "SANDBOX-OCWP-CB01-8"}, {"date", `October 12, 2026`, "October 13, 2026"},
		{"amount", `\$155\.00`, "$15.50"}},
	KindFilesList: {{"row", `Tremblay, Éloïse`, "Tremblay, Eloise"}, {"date", `2026-12-01`, "2026-12-15"},
		{"amount", `Applications\s+3`, "Applications 4"}},
	KindEnrolments: {{"row", `Boulangerie Ste-Thérèse ltée`, "Boulangerie Ste-Thérèse inc."}, {"date", `2026-10-03`, "2026-10-04"},
		{"amount", `987 654 324`, "987 654 325"}},
}

// TestForgeriesAreRefused: for every document Dossier prints, the copy
// pdftotext reads from the PDF checks against its code in full; the same
// copy with one row, one date or one amount changed is refused, and the
// check names the changed line; and the code vouches for the text's
// lines, so a copy in the other language is another document.
func TestForgeriesAreRefused(t *testing.T) {
	docs := demoDocuments(t)
	for _, kind := range Kinds {
		doc := docs[kind]
		pdf, code, sums := printSealed(t, translations.English, doc)
		if err := printcode.Check(code, kind, doc.Facts(), sums, printcode.Key("another key"), testKey); err != nil {
			t.Fatalf("%s: the code does not fit the document: %v", kind, err)
		}
		genuine := pdfText(t, pdf)
		if c := printcode.CompareText(kind, code, sums, genuine); !c.Genuine() {
			t.Fatalf("%s: the genuine copy is refused: %+v", kind, c)
		}
		if len(forgeries[kind]) != 3 {
			t.Errorf("%s: no forgeries to try", kind)
		}
		for _, f := range forgeries[kind] {
			at := regexp.MustCompile(f.old).FindStringIndex(genuine)
			if at == nil {
				t.Errorf("%s %s: the text has no %q", kind, f.what, f.old)
				continue
			}
			forged := genuine[:at[0]] + f.new + genuine[at[1]:]
			c := printcode.CompareText(kind, code, sums, forged)
			if c.Genuine() {
				t.Errorf("%s: a copy with its %s changed (%s) is genuine", kind, f.what, f.new)
				continue
			}
			if len(c.Changed) != 1 || !strings.Contains(c.Changed[0].Text, strings.Join(strings.Fields(f.new), " ")) || c.Missing != 1 {
				t.Errorf("%s %s: the check does not name the changed line alone: %+v", kind, f.what, c)
			}
		}
		_, frCode, frSums := printSealed(t, translations.French, doc)
		if frCode == code || printcode.CompareText(kind, frCode, frSums, genuine).Genuine() {
			t.Errorf("%s: the English copy passes for the French one", kind)
		}
	}
}

// TestPINSheetForgeryIsRefused: the PIN sheet carries a code that vouches
// for every line; a copy with the PIN, the day or the name changed is not
// genuine.
func TestPINSheetForgeryIsRefused(t *testing.T) {
	sheet := PINSheet{School: "Collège Beaulieu", GivenNames: "Zoé", FamilyName: "Bérubé", PIN: "ABCD-EFGH-JKM3",
		Expires: time.Date(2026, 12, 21, 17, 0, 0, 0, time.UTC), Issued: time.Date(2026, 11, 21, 17, 0, 0, 0, time.UTC),
		IssuedBy: "Nathalie Dufresne"}
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		pdf, code, sums := printSealed(t, lang, sheet)
		genuine := pdfText(t, pdf)
		if !strings.Contains(genuine, code) {
			t.Fatalf("%s: the sheet does not carry its code:\n%s", lang, genuine)
		}
		if c := printcode.CompareText(KindPINSheet, code, sums, genuine); !c.Genuine() {
			t.Fatalf("%s: the genuine sheet is refused: %+v", lang, c)
		}
		for _, f := range []forgery{{"row", "ABCD-EFGH-JKM3", "ABCD-EFGH-JKM4"}, {"date", "2026-12-21", "2027-12-21"}, {"amount", "Zoé Bérubé", "Zoé Bérubé-Roy"}} {
			forged := strings.Replace(genuine, f.old, f.new, 1)
			if forged == genuine {
				t.Fatalf("%s: the sheet has no %q:\n%s", lang, f.old, genuine)
			}
			if printcode.CompareText(KindPINSheet, code, sums, forged).Genuine() {
				t.Errorf("%s: a sheet with %q for %q is genuine", lang, f.new, f.old)
			}
		}
	}
}

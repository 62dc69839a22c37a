package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/translations"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testKey is the print key of the tests' documents.
var testKey = Key("a print key for the tests only, 32b")

// printedOn is the day the golden documents are printed.
var printedOn = domain.Date{Year: 2026, Month: time.November, Day: 21}

// demoApplication is the complete example file, for a nominee with
// accents in their name and a French-speaking employer.
func demoApplication(t testing.TB) *oinp.Application {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a oinp.Application
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	a.Applicant.GivenNames, a.Applicant.FamilyName = "Zoé", "Côté-Nguyễn"
	a.Employer.OperatingName = "Les Serres Côté"
	a.FileNumber = "JOID-2026417"
	a.Submitted = domain.Date{Year: 2026, Month: time.June, Day: 2}
	a.Payment = &oinp.Receipt{Reference: "SBX-7F3K-Q9", AmountCents: 200000, Brand: "VISA", Last4: "4242",
		Paid: time.Date(2026, 6, 2, 15, 4, 0, 0, time.UTC), Sandbox: true}
	return &a
}

func demoNominee(t testing.TB) Nominee {
	n := NomineeFrom(demoApplication(t))
	n.Nominated = domain.Date{Year: 2026, Month: time.September, Day: 1}
	n.Certificate = "ON-IDS-2026-00417"
	n.Expires = domain.Date{Year: 2027, Month: time.March, Day: 1}
	n.Officer = "Marie-Ève Lachance"
	return n
}

func complianceRows(n int) func(yield func(ComplianceRow) bool) {
	return func(yield func(ComplianceRow) bool) {
		for i := range n {
			r := ComplianceRow{Name: fmt.Sprintf("Étudiant·e %05d Lefèbvre-Ødegård", i), StudentNo: fmt.Sprintf("S%07d", i),
				EVN: fmt.Sprintf("EVN-%06d-Q", i), Status: ens.New}
			switch i % 5 {
			case 1:
				r.Status = ens.Eligible
			case 3:
				r.Status, r.Reason = ens.Ineligible, "Moins de 6 mois à temps plein sur 12"
			}
			if !yield(r) {
				return
			}
		}
	}
}

func queueRows(n int) func(yield func(QueueRow) bool) {
	return func(yield func(QueueRow) bool) {
		for i := range n {
			r := QueueRow{Type: ens.Types[i%4], Status: ens.Statuses[i%len(ens.Statuses)],
				Received: domain.Date{Year: 2026, Month: time.October, Day: 1 + i%28},
				Expires:  domain.Date{Year: 2026, Month: time.November, Day: 1 + i%28},
				Name:     fmt.Sprintf("Zoë Bérubé-Tremblay %06d", i), StudentNo: fmt.Sprintf("S%07d", i),
				EVN: fmt.Sprintf("EVN-%06d-Q", i), Assignee: "Nathalie Dufresne"}
			if !yield(r) {
				return
			}
		}
	}
}

// demoDocuments are one of each document, from fixed demo records.
func demoDocuments(t testing.TB) map[Kind]Document {
	a := demoApplication(t)
	refused := *a
	refused.Decision = &oinp.Decision{Outcome: "refused", Notified: domain.Date{Year: 2026, Month: time.September, Day: 1}, OfficerName: "Marie-Ève Lachance",
		Reasons: []string{"The job offer's wage is below the median wage for the occupation in the region (§2.1.4).",
			"The language test results are older than two years on the day of submission (§2.2.3)."}}
	n := demoNominee(t)
	ext := n
	ext.Extended, ext.Expires = domain.Date{Year: 2027, Month: time.February, Day: 15}, domain.Date{Year: 2027, Month: time.September, Day: 1}
	return map[Kind]Document{
		KindComplianceList: ComplianceList{School: "Collège Beaulieu", SchoolCode: "CB", Year: 2026, Count: 12, Rows: complianceRows(12)},
		KindIneligibleReport: IneligibleReport{School: "Collège Beaulieu", SchoolCode: "CB", Province: "ON", Year: 2026,
			Submitted: domain.Date{Year: 2026, Month: time.November, Day: 20}, SubmittedBy: "Nathalie Dufresne", Eligible: 140,
			Students: []IneligibleStudent{{Name: "Zoé Bérubé", StudentNo: "S0000042", EVN: "CB01-00042-7", Reason: "Études à temps partiel depuis janvier"},
				{Name: "Olivier Gagné", StudentNo: "S0000077", EVN: "CB01-00077-K", Reason: "Programme d’ALS/FLS seulement"}},
			Amendments: []Amendment{{On: printedOn, By: "Nathalie Dufresne", Text: "Zoé Bérubé: eligible again after reinstatement"}}},
		KindProvincialReport: ProvincialReport{Province: "ON", Year: 2026, Compiled: printedOn, Coordinator: "Émilie Lapointe",
			Schools: []SchoolLine{{Name: "Collège Beaulieu", Code: "CB", Submitted: domain.Date{Year: 2026, Month: time.November, Day: 20}, Eligible: 140, Ineligible: 2},
				{Name: "Lakeshore Polytechnic", Code: "LP", Submitted: domain.Date{Year: 2026, Month: time.November, Day: 18}, Eligible: 2310, Ineligible: 17},
				{Name: "Université de Hearst", Code: "UH"}},
			Students: []ProvincialStudent{{SchoolCode: "CB", Name: "Zoé Bérubé", StudentNo: "S0000042", Reason: "Études à temps partiel depuis janvier"}}},
		KindQueueExport:        QueueExport{School: "Collège Beaulieu", SchoolCode: "CB", Filter: "Type: EV · Status: New", Count: 9, Rows: queueRows(9)},
		KindApplicationSummary: ApplicationSummary{App: a, Report: oinp.Evaluate(a, a.Submitted, assets.OINPTables()), Status: "Submitted"},
		KindNominationLetter:   NominationLetter{n},
		KindWorkPermitLetter:   WorkPermitLetter{n},
		KindCertificate:        Certificate{ext},
		KindRefusalLetter:      RefusalFrom(&refused),
		KindFeeReceipt:         FeeReceipt{FileNumber: string(a.FileNumber), Name: "Zoé Côté-Nguyễn", Receipt: *a.Payment, InGTA: true},
		KindRequestRecord:      demoRequestRecord(),
		KindPermitApplication:  PermitApplication{App: demoPermit(), School: "Collège Beaulieu"},
		KindPermitReceipt:      PermitReceipt{App: demoPermit()},
		KindFilesList:          demoFilesList(),
		KindEnrolments: EnrolmentList{Rows: []EnrolmentRow{
			{LegalName: "Les Serres Côté Inc.", BN: "123 456 782", Status: employer.Pending, Enrolled: printedOn},
			{LegalName: "Boulangerie Ste-Thérèse ltée", BN: "987 654 324", Status: employer.Approved, Enrolled: domain.Date{Year: 2026, Month: time.October, Day: 3}},
			{LegalName: "Northern Lights Logistics Ltd.", BN: "555 555 552", Status: employer.Refused, Enrolled: domain.Date{Year: 2026, Month: time.September, Day: 14},
				Reason: "The business number belongs to a business already enrolled; the primary user can add this person."}}},
	}
}

// demoPermit is a work permit application, refused, paid in the sandbox.
func demoPermit() permit.Application {
	return permit.Application{EVN: "CB01-00042-7", Status: permit.Refused,
		Form: permit.Form{GivenNames: "Zoé", FamilyName: "Bérubé-Tremblay", BirthDate: domain.Date{Year: 2003, Month: time.February, Day: 14},
			ClientID: "87654321", Email: "zoe@example.ca", PassportNumber: "FR1234567", PassportCountry: "France",
			PassportExpiry: domain.Date{Year: 2030, Month: time.January, Day: 31}, Street: "21 rue Lasalle", City: "Sudbury", Province: "ON",
			PostalCode: "P3A 6B1", Program: "Génie civil", StudyStart: domain.Date{Year: 2025, Month: time.September, Day: 2},
			StudyEnd: domain.Date{Year: 2028, Month: time.April, Day: 30}, Consent: true, Declaration: true},
		Submitted: domain.Date{Year: 2026, Month: time.October, Day: 12}, FeeCents: 15500,
		Receipt: &oinp.Receipt{Reference: "SANDBOX-OCWP-CB01-7", AmountCents: 15500, Brand: "visa", Last4: "1111",
			Paid: time.Date(2026, time.October, 12, 18, 4, 0, 0, time.UTC), Sandbox: true},
		Decided: domain.Date{Year: 2026, Month: time.November, Day: 3}, OfficerName: "Marie-Ève Lachance",
		Reason: "Full-time enrolment for six of the last twelve months is not shown."}
}

// demoRequestRecord is a verified EV request with its checklist and notes.
func demoRequestRecord() RequestRecord {
	checks := ens.Checks{}
	for _, c := range ens.Criteria {
		checks[c] = ens.Met
	}
	return RequestRecord{School: "Collège Beaulieu", SchoolCode: "CB", Type: ens.EV, Status: ens.Verified,
		Name: "Zoé Bérubé-Tremblay", StudentNo: "S0000042", EVN: "CB01-00042-7",
		Received: domain.Date{Year: 2026, Month: time.October, Day: 2}, Assignee: "Nathalie Dufresne",
		Decided: domain.Date{Year: 2026, Month: time.October, Day: 9}, DecidedBy: "Nathalie Dufresne", Checks: &checks,
		Notes: "Relevé de notes reçu le 8 octobre; inscription à temps plein confirmée par le registraire."}
}

// demoFilesList is a filtered processing queue, one file of each kind of
// work location.
func demoFilesList() FilesList {
	rows := []FileRow{
		{FileNumber: "JOID-2026417", Name: "Côté-Nguyễn, Zoé", Status: oinp.StatusSubmitted, Submitted: domain.Date{Year: 2026, Month: time.June, Day: 2}, InGTA: oinp.Yes, Region: "Peel"},
		{FileNumber: "JOID-2026533", Name: "Ødegård, Søren", Status: oinp.StatusInformation, Submitted: domain.Date{Year: 2026, Month: time.June, Day: 9},
			InGTA: oinp.No, NextDue: domain.Date{Year: 2026, Month: time.December, Day: 1}},
		{FileNumber: "JOID-2026601", Name: "Tremblay, Éloïse", Status: oinp.StatusSubmitted, Submitted: domain.Date{Year: 2026, Month: time.July, Day: 30}},
	}
	return FilesList{Filter: "Status: Submitted, More information needed · Submitted from 2026-06-01", Rows: rows}
}

func printDoc(t testing.TB, lang translations.Lang, doc Document) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	code, err := Print(&buf, translations.New(lang), KeySealer(testKey), printedOn, doc)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), code
}

// trailing spaces pdftotext leaves at the ends of lines differ between
// versions; the goldens hold none.
var trailing = regexp.MustCompile(`[ \t]+\n`)

// TestGoldenText prints every document in both languages and compares its
// text, as pdftotext reads it, with the golden file.
func TestGoldenText(t *testing.T) {
	docs := demoDocuments(t)
	for _, kind := range Kinds {
		for _, lang := range []translations.Lang{translations.English, translations.French} {
			pdf, _ := printDoc(t, lang, docs[kind])
			text := trailing.ReplaceAllString(pdfText(t, pdf), "\n")
			name := fmt.Sprintf("%s.%s.txt", kind, lang)
			assertGolden(t, name, text)
		}
	}
}

func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(want) != got {
		failed := filepath.Join("testdata", "failed", name)
		os.MkdirAll(filepath.Dir(failed), 0o755)
		os.WriteFile(failed, []byte(got), 0o644)
		t.Errorf("%s differs from what was printed (see %s)", path, failed)
	}
}

// TestWhatEveryDocumentCarries: the program and the title in the header,
// the date printed, "page X of Y" and the code on every page, accents and
// French money intact.
func TestWhatEveryDocumentCarries(t *testing.T) {
	docs := demoDocuments(t)
	for _, kind := range Kinds {
		for lang, want := range map[translations.Lang][]string{
			translations.English: {"Printed November 21, 2026", "Page 1 of "},
			translations.French:  {"Imprimé le 21 novembre 2026", "Page 1 sur "},
		} {
			tr := translations.New(lang)
			pdf, code := printDoc(t, lang, docs[kind])
			text := pdfText(t, pdf)
			want = append(want, tr.T(ProgramKey(kind)), tr.T(TitleKey(kind)), code)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s %s lacks %q", kind, lang, w)
				}
			}
			pages := strings.Count(text, "\f")
			if n := strings.Count(text, code); n < pages {
				t.Errorf("%s %s: the code is on %d of %d pages", kind, lang, n, pages)
			}
		}
	}
	fr := pdfTextOf(t, translations.French, docs[KindFeeReceipt])
	for _, w := range []string{"2 000,00 $", "Zoé Côté-Nguyễn", "BAC À SABLE"} {
		if !strings.Contains(fr, w) {
			t.Errorf("the French receipt lacks %q:\n%s", w, fr)
		}
	}
	en := pdfTextOf(t, translations.English, docs[KindFeeReceipt])
	if !strings.Contains(en, "$2,000.00") {
		t.Errorf("the English receipt lacks $2,000.00:\n%s", en)
	}
}

func pdfTextOf(t *testing.T, lang translations.Lang, doc Document) string {
	pdf, _ := printDoc(t, lang, doc)
	return pdfText(t, pdf)
}

// TestSameBytes: the same document, language, date and key print the same
// bytes, so the app and dossierctl give one file.
func TestSameBytes(t *testing.T) {
	for kind, doc := range demoDocuments(t) {
		a, _ := printDoc(t, translations.French, doc)
		b, _ := printDoc(t, translations.French, doc)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two printings differ", kind)
		}
	}
}

// TestLongListPagesAndHeadings: a long list runs over pages, each with the
// column headings and its number of the total.
func TestLongListPagesAndHeadings(t *testing.T) {
	text := pdfTextOf(t, translations.English, ComplianceList{School: "Lakeshore Polytechnic", SchoolCode: "LP", Year: 2026,
		Count: 400, Rows: complianceRows(400)})
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) < 5 {
		t.Fatalf("400 students on %d pages", len(pages))
	}
	for i, pg := range pages {
		if !strings.Contains(pg, "S0") {
			continue // the verification box alone
		}
		if !strings.Contains(pg, "Student no.") || !strings.Contains(pg, fmt.Sprintf("Page %d of %d", i+1, len(pages))) {
			t.Errorf("page %d lacks its headings or its number:\n%s", i+1, pg)
		}
	}
	if !strings.Contains(text, "S0000399") {
		t.Error("the last student is missing")
	}
}

// TestProgressIsReported: a long report tells how far it has got.
func TestProgressIsReported(t *testing.T) {
	var seen []float64
	_, err := PrintProgress(&bytes.Buffer{}, translations.New(translations.English), KeySealer(testKey), printedOn,
		ComplianceList{School: "Lakeshore Polytechnic", SchoolCode: "LP", Year: 2026, Count: 3000, Rows: complianceRows(3000)},
		func(f float64) { seen = append(seen, f) })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 5 || !slices.IsSorted(seen) || seen[len(seen)-1] > 1 {
		t.Fatalf("progress: %v", seen)
	}
}

var pdfDir = flag.String("pdfdir", "", "write each demo document's PDF, in both languages, to this directory")

// TestWriteDemoPDFs writes the demo documents for a person to look at
// (make print-shots renders their first pages under docs/screenshots/print).
func TestWriteDemoPDFs(t *testing.T) {
	if *pdfDir == "" {
		t.Skip("no -pdfdir")
	}
	for kind, doc := range demoDocuments(t) {
		for _, lang := range []translations.Lang{translations.English, translations.French} {
			pdf, _ := printDoc(t, lang, doc)
			if err := os.WriteFile(filepath.Join(*pdfDir, fmt.Sprintf("%s.%s.pdf", kind, lang)), pdf, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

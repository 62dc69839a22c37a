package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/translations"
)

// pdfText extracts a PDF's text with poppler's pdftotext, as a reader's
// viewer would see it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (make deps installs poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPINSheetInBothLanguages(t *testing.T) {
	sheet := PINSheet{School: "Collège Beaulieu", GivenNames: "Zoé", FamilyName: "Bérubé", PIN: "ABCD-EFGH-JKM3",
		Expires: time.Date(2026, 12, 21, 17, 0, 0, 0, time.UTC), Issued: time.Date(2026, 11, 21, 17, 0, 0, 0, time.UTC),
		IssuedBy: "Nathalie Dufresne"}
	for lang, want := range map[translations.Lang][]string{
		translations.English: {"Personal Identification Number", "ABCD-EFGH-JKM3", "Zoé Bérubé", "Collège Beaulieu", "December 21, 2026"},
		translations.French:  {"Numéro d’identification personnel", "ABCD-EFGH-JKM3", "Zoé Bérubé", "Collège Beaulieu", "21 décembre 2026"},
	} {
		var buf bytes.Buffer
		code, err := WritePINSheet(&buf, translations.New(lang), KeySealer(testKey), sheet)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, buf.Bytes())
		want = append(want, code)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s sheet lacks %q:\n%s", lang, w, text)
			}
		}
	}
}

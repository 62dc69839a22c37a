package report

import (
	"strings"
	"testing"

	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/translations"
)

// TestAlteredLetterFailsVerification: the genuine letter's text holds
// every fact its code vouches for; a copy whose expiry or name was edited
// does not, and facts that were edited do not fit the code.
func TestAlteredLetterFailsVerification(t *testing.T) {
	doc := Certificate{demoNominee(t)}
	pdf, code := printDoc(t, translations.English, doc)
	text := pdfText(t, pdf)
	if err := printcode.Check(code, doc.Kind(), doc.Facts(), printcode.Key("another key"), testKey); err != nil {
		t.Fatalf("the genuine certificate: %v", err)
	}
	if err := printcode.CheckText(doc.Facts(), text); err != nil {
		t.Fatalf("the genuine certificate's text: %v", err)
	}
	for _, edit := range [][2]string{{"2027-03-01", "2027-09-01"}, {"Zoé Côté-Nguyễn", "Zoe Cote"}, {"ON-IDS-2026-00417", "ON-IDS-2026-00418"}} {
		forged := strings.ReplaceAll(text, edit[0], edit[1])
		if forged == text {
			t.Fatalf("the text has no %q", edit[0])
		}
		if domain.ErrorCode(printcode.CheckText(doc.Facts(), forged)) != printcode.ErrCodeFalse {
			t.Errorf("a copy with %q for %q passes", edit[1], edit[0])
		}
	}
	edited := doc
	edited.Expires = edited.Expires.AddDays(180)
	if domain.ErrorCode(printcode.Check(code, edited.Kind(), edited.Facts(), testKey)) != printcode.ErrCodeFalse {
		t.Error("the code fits an edited expiry")
	}
	if domain.ErrorCode(printcode.Check(code, KindNominationLetter, doc.Facts(), testKey)) != printcode.ErrCodeFalse {
		t.Error("the certificate's code fits another kind of document")
	}
	if domain.ErrorCode(printcode.Check(code, doc.Kind(), doc.Facts(), printcode.Key("another key"))) != printcode.ErrCodeFalse {
		t.Error("the code fits another key")
	}
}

package report

import (
	"strings"
	"testing"

	"dossier/domain"
	"dossier/translations"
)

// TestAlteredLetterFailsVerification: the genuine letter's text holds
// every fact its code vouches for; a copy whose expiry or name was edited
// does not, and facts that were edited do not fit the code.
func TestAlteredLetterFailsVerification(t *testing.T) {
	doc := Certificate{demoNominee(t)}
	pdf, code := printDoc(t, translations.English, doc)
	text := pdfText(t, pdf)
	if err := Check(code, doc.Kind(), doc.Facts(), Key("another key"), testKey); err != nil {
		t.Fatalf("the genuine certificate: %v", err)
	}
	if err := CheckText(doc.Facts(), text); err != nil {
		t.Fatalf("the genuine certificate's text: %v", err)
	}
	for _, edit := range [][2]string{{"2027-03-01", "2027-09-01"}, {"Zoé Côté-Nguyễn", "Zoe Cote"}, {"ON-IDS-2026-00417", "ON-IDS-2026-00418"}} {
		forged := strings.ReplaceAll(text, edit[0], edit[1])
		if forged == text {
			t.Fatalf("the text has no %q", edit[0])
		}
		if domain.ErrorCode(CheckText(doc.Facts(), forged)) != ErrCodeFalse {
			t.Errorf("a copy with %q for %q passes", edit[1], edit[0])
		}
	}
	edited := doc
	edited.Expires = edited.Expires.AddDays(180)
	if domain.ErrorCode(Check(code, edited.Kind(), edited.Facts(), testKey)) != ErrCodeFalse {
		t.Error("the code fits an edited expiry")
	}
	if domain.ErrorCode(Check(code, KindNominationLetter, doc.Facts(), testKey)) != ErrCodeFalse {
		t.Error("the certificate's code fits another kind of document")
	}
	if domain.ErrorCode(Check(code, doc.Kind(), doc.Facts(), Key("another key"))) != ErrCodeFalse {
		t.Error("the code fits another key")
	}
}

// TestCodesAsTyped: a code is read in any case, with or without dashes;
// each single wrong character is a typing error, not a forgery.
func TestCodesAsTyped(t *testing.T) {
	code := testKey.Code(KindFeeReceipt, []Fact{{"file", "JOID-2026417"}})
	if KeyIDOf(code) != testKey.ID() {
		t.Fatalf("the code %s does not name its key %s", code, testKey.ID())
	}
	for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), strings.ReplaceAll(code, "-", " ")} {
		got, err := ParseCode(typed)
		if err != nil || got != code {
			t.Errorf("%q reads as %q, %v", typed, got, err)
		}
	}
	body := []byte(strings.ReplaceAll(code, "-", ""))
	for i := range body {
		for _, c := range []byte(domain.Crockford) {
			if c == body[i] {
				continue
			}
			wrong := append([]byte{}, body...)
			wrong[i] = c
			if _, err := ParseCode(string(wrong)); domain.ErrorCode(err) != ErrCodeTypo {
				t.Fatalf("%s (character %d changed) reads as %v", wrong, i, err)
			}
		}
	}
	for _, bad := range []string{"", "ABCD", code + "X", "ABCD-EFGH-JKMN-PQRU", "ABCD-EFGH-JKMN-PQR!", "ÀBCD-EFGH-JKMN-PQR7"} {
		if _, err := ParseCode(bad); domain.ErrorCode(err) != ErrCodeFormat && domain.ErrorCode(err) != ErrCodeTypo {
			t.Errorf("%q reads as %v", bad, err)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/report"
	"dossier/translations"
)

// TestVerifyTextReadsDollars: a receipt shows its amount in dollars, in
// the language it was printed in; the copy in hand states its facts, and
// one whose amount was changed does not.
func TestVerifyTextReadsDollars(t *testing.T) {
	doc := report.FeeReceipt{FileNumber: "JOID-2026417", Name: "Zoé Côté-Nguyễn", Receipt: oinp.Receipt{Reference: "SBX-1",
		AmountCents: 150000, Brand: "VISA", Last4: "1111", Paid: time.Date(2026, 6, 2, 15, 4, 0, 0, time.UTC)}}
	for lang, amount := range map[translations.Lang]string{translations.English: "$1,500.00", translations.French: "1 500,00 $"} {
		path := filepath.Join(t.TempDir(), "receipt.pdf")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := report.Print(f, translations.New(lang), report.KeySealer(report.Key([]byte("a print key for the tests only, 32b"))), domain.Date{Year: 2026, Month: 6, Day: 2}, doc); err != nil {
			t.Fatal(err)
		}
		f.Close()
		text := pdfToText(t, path)
		if err := checkText(doc.Facts(), text); err != nil {
			t.Errorf("%s: the genuine receipt: %v\n%s", lang, err, text)
		}
		// The box's line, the last to state the amount.
		i := strings.LastIndex(text, amount)
		forged := text
		if i >= 0 {
			forged = text[:i] + strings.Replace(amount, "1", "2", 1) + text[i+len(amount):]
		}
		if forged == text {
			t.Fatalf("%s: the receipt lacks %q:\n%s", lang, amount, text)
		}
		if domain.ErrorCode(checkText(doc.Facts(), forged)) != printcode.ErrCodeFalse {
			t.Errorf("%s: a receipt whose amount was changed passes", lang)
		}
	}
}

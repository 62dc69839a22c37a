package report

import (
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"

	"dossier/assets"
	"dossier/domain"
	"dossier/translations"
)

// PINSheet is what a DIR hands a new signatory: the PIN, who it is for,
// and until when it works. It holds the PIN in clear, so it is printed
// once and given by hand.
type PINSheet struct {
	School     string
	GivenNames string
	FamilyName string
	PIN        string
	Expires    time.Time
	Issued     time.Time
	IssuedBy   string
}

// newDoc starts an A4/Letter page in portrait with the embedded font.
func newDoc(tr *translations.Translator) *gofpdf.Fpdf {
	pdf := gofpdf.New("P", "mm", "Letter", "")
	pdf.AddUTF8FontFromBytes("noto", "", assets.FontRegular)
	pdf.AddUTF8FontFromBytes("noto", "B", assets.FontBold)
	pdf.SetTitle(tr.T("app.name"), true)
	pdf.SetCreator("Dossier", true)
	pdf.SetMargins(20, 20, 20)
	return pdf
}

// WritePINSheet prints the sheet to w in the translator's language.
func WritePINSheet(w io.Writer, tr *translations.Translator, s PINSheet) error {
	pdf := newDoc(tr)
	pdf.AddPage()
	pdf.SetFont("noto", "B", 16)
	pdf.MultiCell(0, 8, tr.T("pins.sheet.title"), "", "L", false)
	pdf.Ln(2)
	pdf.SetFont("noto", "", 11)
	pdf.MultiCell(0, 6, tr.T("pins.sheet.intro", s.GivenNames+" "+s.FamilyName, s.School), "", "L", false)
	pdf.Ln(6)
	pdf.SetFont("noto", "B", 28)
	pdf.CellFormat(0, 16, s.PIN, "1", 1, "C", false, 0, "")
	pdf.Ln(6)
	pdf.SetFont("noto", "", 11)
	for _, line := range []string{
		tr.T("pins.sheet.expires", tr.DateTime(s.Expires)),
		tr.T("pins.sheet.issued", tr.DateTime(s.Issued), s.IssuedBy),
		tr.T("pins.sheet.how"),
		tr.T("pins.sheet.once"),
	} {
		pdf.MultiCell(0, 6, line, "", "L", false)
		pdf.Ln(1)
	}
	pdf.SetY(-25)
	pdf.SetFont("noto", "", 8)
	pdf.CellFormat(0, 5, tr.T("pins.sheet.footer", tr.Date(domain.DateOf(s.Issued.Local()))), "", 0, "L", false, 0, "")
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pin sheet: %w", err)
	}
	return pdf.Output(w)
}

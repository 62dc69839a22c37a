package report

import (
	"io"
	"time"

	"dossier/domain"
	"dossier/domain/printcode"
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

// KindPINSheet is the sheet with a signatory's PIN. Its code stays on
// the DIR's desk (the server vouches for no sheet: the PIN never leaves
// the desk that issued it), where Verify a document checks it.
const KindPINSheet = printcode.KindPINSheet

// Kind implements Document.
func (PINSheet) Kind() Kind { return KindPINSheet }

// Facts implements Document: the school, the signatory, and the days the
// PIN was issued and stops working. Not the PIN.
func (s PINSheet) Facts() []Fact {
	return []Fact{fact("school", s.School), fact("name", fullName(s.GivenNames, s.FamilyName)),
		fact("issued", printcode.DateFact(domain.DateOf(s.Issued.UTC()))), fact("expires", printcode.DateFact(domain.DateOf(s.Expires.UTC())))}
}

func (s PINSheet) render(p *page) {
	tr, pdf := p.tr, p.pdf
	p.heading(tr.T("pins.sheet.title"), 16)
	pdf.SetFont("noto", "", 11)
	pdf.MultiCell(bodyW, 6, tr.T("pins.sheet.intro", fullName(s.GivenNames, s.FamilyName), s.School), "", "L", false)
	pdf.Ln(6)
	pdf.SetFont("noto", "B", 28)
	pdf.CellFormat(bodyW, 16, s.PIN, "1", 1, "C", false, 0, "")
	pdf.Ln(6)
	pdf.SetFont("noto", "", 11)
	for _, line := range []string{
		tr.T("pins.sheet.expires", tr.DateTime(s.Expires)),
		tr.T("pins.sheet.issued", tr.DateTime(s.Issued), s.IssuedBy),
		tr.T("pins.sheet.how"),
		tr.T("pins.sheet.once"),
	} {
		pdf.MultiCell(bodyW, 6, line, "", "L", false)
		pdf.Ln(1)
	}
}

// WritePINSheet prints the sheet to w in the translator's language, with
// the code seal makes, and returns the code.
func WritePINSheet(w io.Writer, tr *translations.Translator, seal Sealer, s PINSheet) (string, error) {
	return Print(w, tr, seal, domain.DateOf(s.Issued.Local()), s)
}

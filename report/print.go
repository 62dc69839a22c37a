package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jung-kurt/gofpdf"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/printcode"
	"dossier/store/programs"
	"dossier/translations"
)

// Kind names a printed document; it is part of what its code vouches for.
type Kind = printcode.Kind

// Fact is one thing a document states that its code vouches for.
type Fact = printcode.Fact

// Key is the print key a document's code is made with.
type Key = printcode.Key

// The documents Dossier prints.
const (
	KindComplianceList     = printcode.KindComplianceList
	KindIneligibleReport   = printcode.KindIneligibleReport
	KindProvincialReport   = printcode.KindProvincialReport
	KindQueueExport        = printcode.KindQueueExport
	KindRequestRecord      = printcode.KindRequestRecord
	KindApplicationSummary = printcode.KindApplicationSummary
	KindNominationLetter   = printcode.KindNominationLetter
	KindWorkPermitLetter   = printcode.KindWorkPermitLetter
	KindCertificate        = printcode.KindCertificate
	KindRefusalLetter      = printcode.KindRefusalLetter
	KindFeeReceipt         = printcode.KindFeeReceipt
	KindFilesList          = printcode.KindFilesList
	KindEnrolments         = printcode.KindEnrolments
)

// Kinds lists every document, in the order a menu shows them.
var Kinds = []Kind{KindComplianceList, KindIneligibleReport, KindProvincialReport, KindQueueExport,
	KindRequestRecord, KindApplicationSummary, KindNominationLetter, KindWorkPermitLetter, KindCertificate,
	KindRefusalLetter, KindFeeReceipt, KindFilesList, KindEnrolments, KindPermitApplication, KindPermitReceipt}

// TitleKey is the catalog key of a document's title.
func TitleKey(k Kind) string { return "print.title." + string(k) }

// ProgramKey is the catalog key of the program that issues a document.
func ProgramKey(k Kind) string {
	switch k {
	case KindComplianceList, KindIneligibleReport, KindProvincialReport, KindQueueExport, KindRequestRecord, KindPINSheet,
		KindPermitApplication, KindPermitReceipt:
		return "print.program.ocwpp"
	}
	return "print.program.oinp"
}

// Document is something Dossier prints: its kind, the facts its code
// vouches for, and how it lays itself out.
type Document interface {
	Kind() Kind
	Facts() []Fact
	render(p *page)
}

// Sourced is a document printed from one record the server holds (a
// request, an OINP file, a school's list): the server registers its code
// only with the facts it computes from that record.
type Sourced interface {
	PrintedFrom() domain.ID
}

// Zoned is a document whose dates are those of the office that issues
// it (a school's records, in the school's zone): its footer names the
// zone. Every OINP document is in the program office's zone (Toronto).
type Zoned interface {
	Zone() *time.Location
}

// OfficeOf is the office of the program that issues a document of kind.
func OfficeOf(k Kind) assets.Office {
	if ProgramKey(k) == "print.program.ocwpp" {
		return assets.OCWPPOffice()
	}
	return assets.OINPOffice()
}

// zoneOf is the zone a document's dates are in: its own, else its
// program office's.
func zoneOf(doc Document) *time.Location {
	if z, ok := doc.(Zoned); ok && z.Zone() != nil {
		return z.Zone()
	}
	return OfficeOf(doc.Kind()).Zone
}

// Sealer makes the verification code of a document of kind stating
// facts, whose text's lines have sums (printcode.LineSums), printed from
// record (zero when it has none), recording that it was printed.
type Sealer func(kind Kind, record domain.ID, facts []Fact, sums []string) (string, error)

// KeySealer seals with a print key alone, recording nothing: for previews
// and tests.
func KeySealer(key Key) Sealer {
	return func(kind Kind, _ domain.ID, facts []Fact, sums []string) (string, error) {
		return key.Code(kind, facts, sums...), nil
	}
}

// StoreSealer seals as the person printing, on printed: the store makes
// their print key the first time and records the printing, which reaches
// the server at the next sync, so the code can be checked there.
func StoreSealer(st programs.Desk, by account.Actor, printed domain.Date) Sealer {
	return func(kind Kind, record domain.ID, facts []Fact, sums []string) (string, error) {
		return st.Seal(by, kind, record, facts, printed, sums...)
	}
}

// Print writes doc as a PDF to w in tr's language, dated printed and
// vouched for by the code seal makes. The same document, language, date
// and key always give the same bytes.
func Print(w io.Writer, tr *translations.Translator, seal Sealer, printed domain.Date, doc Document) (code string, err error) {
	return PrintProgress(w, tr, seal, printed, doc, nil)
}

// PrintProgress is Print for long reports: progress is called with the
// share done (0 to 1) as rows are laid out.
//
// The code vouches for every line of the document. The document is laid
// out once with printcode.CodeMask where its code stands, and its pages
// are read as a reader reads the PDF (PageContent, pageLines); their
// lines' sums are sealed with its facts, and the code is then written
// over the mask where it stands, each the same length: nothing else on
// the page moves. Should a mask not be where it was drawn, or one be left
// (a document whose own text holds the mask), the document is laid out
// again with the code, as it was before 7 December: the text vouched for
// is the same.
func PrintProgress(w io.Writer, tr *translations.Translator, seal Sealer, printed domain.Date, doc Document, progress func(float64)) (code string, err error) {
	// gofpdf panics on some text it cannot lay out (a character beyond
	// U+FFFF did, before its patch): the person is told, the desk goes on.
	defer func() {
		if r := recover(); r != nil {
			code, err = "", domain.Errorf(ErrLayout)
		}
	}()
	facts := doc.Facts()
	var record domain.ID
	if s, ok := doc.(Sourced); ok {
		record = s.PrintedFrom()
	}
	// The layout is most of the time; reading, sealing and writing the
	// pages the rest.
	tell := func(f float64) {
		if progress != nil {
			progress(f)
		}
	}
	p := newPage(tr, doc.Kind(), printed, printcode.CodeMask)
	p.zone = zoneOf(doc)
	p.progress = func(f float64) { tell(0.8 * f) }
	p.marks = []codeMark{}
	doc.render(p)
	p.verification(facts)
	p.pdf.EndPages()
	if err := p.pdf.Error(); err != nil {
		return "", fmt.Errorf("print %s: %w", doc.Kind(), err)
	}
	text, err := pagesText(p.pdf.PageCount(), func(i int) ([]byte, error) { return p.pdf.PageContent(i + 1), nil })
	if err != nil {
		return "", fmt.Errorf("print %s: read back: %w", doc.Kind(), err)
	}
	tell(0.85)
	sums := printcode.LineSums(doc.Kind(), printcode.TextLines(text, ""))
	if code, err = seal(doc.Kind(), record, facts, sums); err != nil {
		return "", err
	}
	tell(0.9)
	if !p.putCode(code) {
		laidOutAgain.Add(1)
		if err := layOut(w, tr, printed, doc, facts, code, func(f float64) { tell(0.9 + 0.1*f) }); err != nil {
			return "", err
		}
		return code, nil
	}
	if err := p.pdf.Output(w); err != nil {
		return "", fmt.Errorf("print %s: %w", doc.Kind(), err)
	}
	tell(1)
	return code, nil
}

// ErrLayout is a document gofpdf could not lay out.
var ErrLayout = domain.NewCode("print.layout", domain.KindInternal)

// laidOutAgain counts the documents laid out a second time, for the
// tests.
var laidOutAgain atomic.Int64

// codeMark is where the mask was drawn for the code: a page, and its
// content's length before and after (gofpdf's ContentMark).
type codeMark struct{ page, from, to int }

// drawCode runs draw, which writes the code (the mask, on the first
// layout) on the page, noting where.
func (p *page) drawCode(draw func()) {
	if p.marks == nil {
		draw()
		return
	}
	page, from := p.pdf.ContentMark()
	draw()
	if now, to := p.pdf.ContentMark(); now == page {
		p.marks = append(p.marks, codeMark{page, from, to})
	} else {
		p.marks = append(p.marks, codeMark{}) // a page break in the drawing: not found
	}
}

// putCode writes code over each mask drawn for it, and reports whether
// every one was found and no mask is left on any page.
func (p *page) putCode(code string) bool {
	if len(code) != len(printcode.CodeMask) {
		return false
	}
	for _, m := range p.marks {
		if !p.pdf.ReplaceText(m.page, m.from, m.to, printcode.CodeMask, code) {
			return false
		}
	}
	for n := 1; n <= p.pdf.PageCount(); n++ {
		if p.pdf.ShowsText(n, printcode.CodeMask) {
			return false // a mask the document's own text holds
		}
	}
	return true
}

// layOut writes doc as a PDF to w carrying code, laid out whole: when the
// code cannot be written over its mask (PrintProgress).
func layOut(w io.Writer, tr *translations.Translator, printed domain.Date, doc Document, facts []Fact, code string, progress func(float64)) error {
	p := newPage(tr, doc.Kind(), printed, code)
	p.zone = zoneOf(doc)
	p.progress = progress
	doc.render(p)
	p.verification(facts)
	if err := p.pdf.Error(); err != nil {
		return fmt.Errorf("print %s: %w", doc.Kind(), err)
	}
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("print %s: %w", doc.Kind(), err)
	}
	return nil
}

// Page geometry, in millimetres on Letter paper.
const (
	pageW   = 215.9
	margin  = 18.0
	bodyW   = pageW - 2*margin
	lineH   = 5.2
	smallH  = 4.2
	fontRgl = 10.0
)

// page is a document being laid out: the PDF, the reader's translator
// and what the header and footer of every page say.
type page struct {
	pdf     *gofpdf.Fpdf
	tr      *translations.Translator
	kind    Kind
	printed domain.Date
	code    string
	// zone is the time zone every date and time printed is in.
	zone     *time.Location
	progress func(float64)
	// onNewPage repeats a table's header at the top of each new page.
	onNewPage func()
	// marks, when not nil, gathers where the code was drawn (drawCode).
	marks []codeMark
}

func newPage(tr *translations.Translator, kind Kind, printed domain.Date, code string) *page {
	pdf := gofpdf.New("P", "mm", "Letter", "")
	pdf.AddUTF8FontFromBytes("noto", "", assets.FontRegular)
	pdf.AddUTF8FontFromBytes("noto", "B", assets.FontBold)
	title := tr.T(TitleKey(kind))
	pdf.SetTitle(title, true)
	pdf.SetSubject(tr.T(ProgramKey(kind)), true)
	pdf.SetCreator("Dossier", true)
	// Fixed dates and sorted catalog: the same input prints the same bytes.
	at := time.Date(printed.Year, printed.Month, printed.Day, 12, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(margin, 30, margin)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("{nb}")
	p := &page{pdf: pdf, tr: tr, kind: kind, printed: printed, code: code}
	pdf.SetHeaderFunc(p.header)
	pdf.SetFooterFunc(p.footer)
	pdf.AddPage()
	return p
}

// header names the program and the document on every page.
func (p *page) header() {
	pdf := p.pdf
	pdf.SetXY(margin, 12)
	pdf.SetFont("noto", "B", 9)
	pdf.SetTextColor(60, 60, 60)
	pdf.CellFormat(bodyW, smallH, p.tr.T(ProgramKey(p.kind)), "", 1, "L", false, 0, "")
	pdf.SetFont("noto", "", 9)
	pdf.CellFormat(bodyW, smallH, p.tr.T(TitleKey(p.kind)), "", 1, "L", false, 0, "")
	pdf.SetDrawColor(150, 150, 150)
	pdf.Line(margin, 22, pageW-margin, 22)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetY(28)
	if p.onNewPage != nil && pdf.PageNo() > 1 {
		p.onNewPage()
	}
}

// footer dates the page, carries the code and numbers the page "X of Y".
func (p *page) footer() {
	pdf := p.pdf
	pdf.SetY(-18.5)
	pdf.SetFont("noto", "", 8)
	pdf.SetTextColor(60, 60, 60)
	if p.zone != nil {
		pdf.CellFormat(bodyW, smallH-0.8, p.tr.T("print.footer.zone", zoneCity(p.zone)), "", 1, "L", false, 0, "")
	}
	pdf.SetY(-15)
	left := p.tr.T("print.footer.printed", p.tr.Date(p.printed)) + " · " + p.tr.T("print.footer.code", p.code)
	p.drawCode(func() { pdf.CellFormat(bodyW*0.75, smallH, left, "", 0, "L", false, 0, "") })
	pdf.CellFormat(bodyW*0.25, smallH, p.tr.T("print.footer.page", fmt.Sprint(pdf.PageNo()), "{nb}"), "", 0, "R", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
}

// verification closes the document with its code and the facts it
// vouches for, and how to check them.
func (p *page) verification(facts []Fact) {
	pdf := p.pdf
	pdf.Ln(6)
	_, pageH := pdf.GetPageSize()
	if need := float64(len(facts)+5) * smallH; pdf.GetY()+need > pageH-22 {
		p.onNewPage = nil
		pdf.AddPage()
	}
	pdf.SetDrawColor(150, 150, 150)
	x, y := pdf.GetXY()
	pdf.SetFont("noto", "B", 9)
	p.drawCode(func() { pdf.MultiCell(bodyW, smallH, p.tr.T("print.verify.title", p.code), "", "L", false) })
	pdf.SetFont("noto", "", 8)
	for _, f := range facts {
		pdf.MultiCell(bodyW, smallH-0.4, p.tr.T("print.fact.line", p.tr.T(FactKey(f.Name)), FactValue(p.tr, f)), "", "L", false)
	}
	pdf.MultiCell(bodyW, smallH-0.4, p.tr.T("print.verify.how", OfficeOf(p.kind).VerifyAt), "", "L", false)
	pdf.Rect(x-1, y-1, bodyW+2, pdf.GetY()-y+2, "D")
}

// heading writes a bold line, on the next page when too little of this
// one is left for anything to follow it.
func (p *page) heading(text string, size float64) {
	if _, h := p.pdf.GetPageSize(); p.pdf.GetY() > h-45 {
		p.pdf.AddPage()
	}
	p.pdf.SetFont("noto", "B", size)
	p.pdf.MultiCell(bodyW, size*0.5, text, "", "L", false)
	p.pdf.SetFont("noto", "", fontRgl)
	p.pdf.Ln(1)
}

// para writes a paragraph that wraps.
func (p *page) para(text string) {
	p.pdf.SetFont("noto", "", fontRgl)
	p.pdf.MultiCell(bodyW, lineH, text, "", "L", false)
	p.pdf.Ln(2)
}

// pair writes a label and its value on one line (the value wraps under
// itself when long).
func (p *page) pair(label, value string) {
	pdf := p.pdf
	const labelW = 62
	pdf.SetFont("noto", "B", 9)
	y := pdf.GetY()
	if y > 250 {
		pdf.AddPage()
		y = pdf.GetY()
	}
	pdf.MultiCell(labelW, smallH+0.4, label, "", "L", false)
	after := pdf.GetY()
	pdf.SetXY(margin+labelW, y)
	pdf.SetFont("noto", "", 9)
	pdf.MultiCell(bodyW-labelW, smallH+0.4, value, "", "L", false)
	if pdf.GetY() < after {
		pdf.SetY(after)
	}
}

func fact(name, value string) Fact { return Fact{Name: name, Value: value} }

// moneyFacts are the facts that state an amount in cents: a person reads
// them in dollars.
var moneyFacts = map[string]bool{"amount": true, "wage": true}

// FactValue is a fact's value as a person reads it: an amount in dollars
// the reader's way ("$2,000.00", "2 000,00 $"), anything else as stated.
func FactValue(tr *translations.Translator, f Fact) string {
	if moneyFacts[f.Name] {
		if cents, err := strconv.ParseInt(f.Value, 10, 64); err == nil {
			return tr.Money(cents)
		}
	}
	return f.Value
}

// zoneCity names a time zone by its city: "Toronto", "St. John's".
func zoneCity(z *time.Location) string {
	name := z.String()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if name == "St_Johns" {
		return "St. John's"
	}
	return strings.ReplaceAll(name, "_", " ")
}

// FactKey is the catalog key of a fact's label.
func FactKey(name string) string { return "print.fact." + name }

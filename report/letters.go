package report

import (
	"strconv"
	"strings"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/translations"
)

// The OINP's letters to a nominee (or to a refused applicant), printed in
// the applicant's language of correspondence: the Letter of Nomination,
// the work permit support letter, the Confirmation of Nomination
// certificate, the refusal letter and the fee receipt. They print what the
// letter's reader (the person, an IRCC officer) needs and no more: no
// passport number, no family, no history.

// LanguageOf is the language letters to an applicant are printed in: the
// language of correspondence they chose, English when they chose none.
func LanguageOf(a *oinp.Application) translations.Lang {
	if a.Contact.Language == "fr" {
		return translations.French
	}
	return translations.English
}

// Nominee is what the letters of a nomination say of the person, the job
// and the nomination.
type Nominee struct {
	FileNumber   string
	Name         string
	Address      []string
	BirthDate    domain.Date
	Citizenship  string // ISO country code
	Employer     string
	Position     string
	NOC          string
	Municipality string
	WageCents    int64
	HoursPerWeek float64
	Nominated    domain.Date
	Certificate  string
	// Expires is the day the Confirmation of Nomination ends, extensions
	// included; Extended is the day the last extension was granted.
	Expires  domain.Date
	Extended domain.Date
	// Officer is the name of the officer who decided the nomination (the
	// reviewer's, when a review overturned a refusal): the letters are
	// signed with it, and with their title in OfficerForm.
	Officer     string
	OfficerForm account.Form
	// Record is the file printed (its applicant's account): the server
	// computes the facts of the code from it.
	Record domain.ID
}

// PrintedFrom implements Sourced.
func (n Nominee) PrintedFrom() domain.ID { return n.Record }

// NomineeFrom fills a Nominee's person and job from an application; the
// caller adds the nomination's day, certificate and expiry.
func NomineeFrom(a *oinp.Application) Nominee {
	o := a.Employer.Offer
	employerName := a.Employer.OperatingName
	if employerName == "" {
		employerName = a.Employer.LegalName
	}
	n := Nominee{FileNumber: string(a.FileNumber), Name: fullName(a.Applicant.GivenNames, a.Applicant.FamilyName),
		Address: addressLines(a.Contact), BirthDate: a.Applicant.BirthDate, Citizenship: a.Applicant.Citizenship,
		Employer: employerName, Position: o.Position, NOC: o.NOC, Municipality: o.Municipality,
		WageCents: o.WageCents, HoursPerWeek: o.HoursPerWeek}
	n.Officer, n.OfficerForm = deciderOf(a)
	return n
}

// deciderOf is the name of the officer who made the file's standing
// decision: the reviewer's once a review decided, else the decision's.
func deciderOf(a *oinp.Application) (string, account.Form) {
	if r := a.Review; r != nil && !r.Decided.IsZero() && r.DeciderName != "" {
		return r.DeciderName, r.DeciderForm
	}
	if d := a.Decision; d != nil {
		return d.OfficerName, d.OfficerForm
	}
	return "", account.FormNeutral
}

func fullName(given, family string) string { return strings.TrimSpace(given + " " + family) }

// addressLines is where letters go: the mailing address when there is
// one, else the residence.
func addressLines(c oinp.Contact) []string {
	a := c.Mailing
	if a.Street == "" {
		a = c.Address
	}
	var out []string
	if a.Street != "" {
		out = append(out, a.Street)
	}
	if line := strings.TrimSpace(strings.Join(nonEmpty(a.City, a.Province, a.PostalCode), " ")); line != "" {
		out = append(out, line)
	}
	if a.Country != "" && a.Country != "CA" {
		out = append(out, a.Country)
	}
	return out
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// officeBlock writes the program's name, address and how to reach it,
// from the office's data file, at the right of the page's top.
func officeBlock(p *page) {
	tr, office := p.tr, OfficeOf(p.kind)
	const h = smallH - 0.6
	p.pdf.SetY(p.pdf.GetY() - 3)
	p.pdf.SetFont("noto", "B", 8)
	p.pdf.CellFormat(bodyW, h, tr.T("print.letter.signed"), "", 1, "R", false, 0, "")
	p.pdf.SetFont("noto", "", 8)
	for _, l := range office.AddressIn(langCode(tr)) {
		p.pdf.CellFormat(bodyW, h, l, "", 1, "R", false, 0, "")
	}
	if office.Phone != "" || office.Email != "" {
		p.pdf.CellFormat(bodyW, h, tr.T("print.letterhead.contact", office.Phone, office.Email), "", 1, "R", false, 0, "")
	}
	p.pdf.Ln(2)
}

// langCode is the translator's language as the office file names it.
func langCode(tr *translations.Translator) string {
	if tr.Lang() == translations.French {
		return "fr"
	}
	return "en"
}

// letterhead writes the program's office, the date, the addressee and the
// file number, and the subject in bold.
func letterhead(p *page, dated domain.Date, name string, address []string, file, subject string) {
	tr := p.tr
	officeBlock(p)
	p.pdf.SetFont("noto", "", fontRgl)
	p.pdf.CellFormat(bodyW, lineH, tr.Date(dated), "", 1, "R", false, 0, "")
	p.pdf.Ln(2)
	for _, l := range append([]string{name}, address...) {
		p.pdf.CellFormat(bodyW, lineH, l, "", 1, "L", false, 0, "")
	}
	p.pdf.Ln(4)
	p.pdf.CellFormat(bodyW, lineH, tr.T("print.letter.file", file), "", 1, "L", false, 0, "")
	p.pdf.Ln(3)
	p.heading(subject, 11)
	p.pdf.Ln(1)
}

// signature closes a letter: the deciding officer's name and title, when
// the record keeps them, and the program.
func signature(p *page, officer string, form account.Form) {
	p.pdf.Ln(2)
	p.para(p.tr.T("print.letter.closing"))
	if officer != "" {
		p.pdf.SetFont("noto", "B", fontRgl)
		p.pdf.MultiCell(bodyW, lineH, officer, "", "L", false)
		p.pdf.SetFont("noto", "", fontRgl)
		// The title in the form the officer chose (neutral, the épicène
		// wording, in files decided before the record kept it).
		title := account.RoleAs{Role: account.ProgramOfficer, Form: form}
		p.pdf.MultiCell(bodyW, lineH, p.tr.T(title.MessageKey()), "", "L", false)
		p.pdf.MultiCell(bodyW, lineH, p.tr.T("print.letter.signed"), "", "L", false)
		return
	}
	p.pdf.SetFont("noto", "B", fontRgl)
	p.pdf.MultiCell(bodyW, lineH, p.tr.T("print.letter.signed"), "", "L", false)
	p.pdf.SetFont("noto", "", fontRgl)
}

// nocTitle is an occupation's NOC title in the reader's language, or the
// code when the catalog has no title for it.
func nocTitle(tr *translations.Translator, noc string) string {
	if key := "oinp.noc." + noc; tr.Has(key) {
		return tr.T(key)
	}
	return noc
}

func (n Nominee) facts() []Fact {
	return printcode.NomineeFacts(n.FileNumber, n.Name, n.Certificate, n.Nominated, n.Expires)
}

func (n Nominee) job(tr *translations.Translator) string {
	return tr.T("print.nominee.job", n.Employer, n.Position, n.NOC, n.Municipality, nocTitle(tr, n.NOC))
}

// NominationLetter is the Letter of Nomination.
type NominationLetter struct{ Nominee }

// Kind implements Document.
func (NominationLetter) Kind() Kind { return KindNominationLetter }

// Facts implements Document.
func (l NominationLetter) Facts() []Fact { return l.facts() }

func (l NominationLetter) render(p *page) {
	tr := p.tr
	letterhead(p, l.Nominated, l.Name, l.Address, l.FileNumber, tr.T("print.nomination.subject"))
	p.para(tr.T("print.letter.dear", l.Name))
	p.para(tr.T("print.nomination.p1"))
	p.para(tr.T("print.nomination.p2", l.job(tr)))
	p.para(tr.T("print.nomination.p3", l.Certificate, tr.Date(l.Expires)))
	p.para(tr.T("print.nomination.include"))
	p.para(tr.T("print.nomination.p4"))
	signature(p, l.Officer, l.OfficerForm)
}

// WorkPermitLetter is the work permit support letter, addressed to IRCC.
type WorkPermitLetter struct{ Nominee }

// Kind implements Document.
func (WorkPermitLetter) Kind() Kind { return KindWorkPermitLetter }

// Facts implements Document.
func (l WorkPermitLetter) Facts() []Fact {
	return append(l.facts(), printcode.WageFact(l.WageCents))
}

func (l WorkPermitLetter) render(p *page) {
	tr := p.tr
	letterhead(p, l.Nominated, tr.T("print.workpermit.to"), nil, l.FileNumber,
		tr.T("print.workpermit.subject", l.Name))
	p.para(tr.T("print.workpermit.p1", l.Name, tr.Date(l.Nominated)))
	p.para(tr.T("print.workpermit.p2", l.Name, l.job(tr), tr.Money(l.WageCents), tr.Decimal(l.HoursPerWeek, decimals(l.HoursPerWeek))))
	p.para(tr.T("print.workpermit.p3", tr.Date(l.Expires)))
	signature(p, l.Officer, l.OfficerForm)
}

func decimals(x float64) int {
	if x == float64(int64(x)) {
		return 0
	}
	return 1
}

// Certificate is the Confirmation of Nomination: valid six months from
// the nomination, or to the day an extension gave.
type Certificate struct{ Nominee }

// Kind implements Document.
func (Certificate) Kind() Kind { return KindCertificate }

// Facts implements Document.
func (c Certificate) Facts() []Fact {
	return append(c.facts(), printcode.BirthFact(c.BirthDate))
}

func (c Certificate) render(p *page) {
	tr := p.tr
	p.pdf.Ln(4)
	p.pdf.SetFont("noto", "B", 18)
	p.pdf.CellFormat(bodyW, 10, tr.T("print.title.oinp.certificate"), "", 1, "C", false, 0, "")
	p.pdf.SetFont("noto", "", 11)
	p.pdf.CellFormat(bodyW, 7, tr.T("print.certificate.stream"), "", 1, "C", false, 0, "")
	p.pdf.Ln(8)
	p.pair(tr.T("print.label.certificate"), c.Certificate)
	p.pair(tr.T("print.label.nominee"), c.Name)
	p.pair(tr.T("print.label.birth"), tr.Date(c.BirthDate))
	p.pair(tr.T("print.label.citizenship"), assets.CountryName(c.Citizenship, string(tr.Lang())))
	p.pair(tr.T("print.label.file"), c.FileNumber)
	p.pair(tr.T("print.label.occupation"), tr.T("print.certificate.occupation", c.Position, c.NOC, nocTitle(tr, c.NOC)))
	p.pair(tr.T("print.label.employer"), tr.T("print.certificate.employer", c.Employer, c.Municipality))
	p.pair(tr.T("print.label.nominated"), tr.Date(c.Nominated))
	valid := tr.Date(c.Expires)
	if !c.Extended.IsZero() {
		valid = tr.T("print.certificate.extended", valid, tr.Date(c.Extended))
	}
	p.pdf.SetFont("noto", "B", 9)
	p.pair(tr.T("print.label.valid"), valid)
	p.pdf.Ln(6)
	p.para(tr.T("print.certificate.p1", oinp.NominationValidMonths))
	p.para(tr.T("print.certificate.p2"))
	signature(p, c.Officer, c.OfficerForm)
}

// RefusalLetter tells an applicant their application was refused, why,
// and until when they may ask for an internal review.
type RefusalLetter struct {
	FileNumber string
	Name       string
	Address    []string
	Decided    domain.Date
	Reasons    []string
	ReviewBy   domain.Date
	// ReviewDays is 30 for a resident of Canada, 60 otherwise.
	ReviewDays int
	// Officer is the name of the officer who decided; OfficerForm the
	// form of their title.
	Officer     string
	OfficerForm account.Form
	// Record is the file printed (its applicant's account).
	Record domain.ID
}

// PrintedFrom implements Sourced.
func (l RefusalLetter) PrintedFrom() domain.ID { return l.Record }

// RefusalFrom fills a refusal letter from an application and its decision.
func RefusalFrom(a *oinp.Application) RefusalLetter {
	l := RefusalLetter{FileNumber: string(a.FileNumber), Name: fullName(a.Applicant.GivenNames, a.Applicant.FamilyName),
		Address: addressLines(a.Contact), ReviewBy: a.ReviewDeadline()}
	if d := a.Decision; d != nil {
		l.Decided, l.Reasons, l.Officer, l.OfficerForm = d.Notified, d.Reasons, d.OfficerName, d.OfficerForm
		l.ReviewDays = int(l.ReviewBy.Days() - d.Notified.Days())
	}
	return l
}

// Kind implements Document.
func (RefusalLetter) Kind() Kind { return KindRefusalLetter }

// Facts implements Document.
func (l RefusalLetter) Facts() []Fact {
	return printcode.RefusalFacts(l.FileNumber, l.Name, l.Decided, len(l.Reasons), l.ReviewBy)
}

func (l RefusalLetter) render(p *page) {
	tr := p.tr
	letterhead(p, l.Decided, l.Name, l.Address, l.FileNumber, tr.T("print.refusal.subject"))
	p.para(tr.T("print.letter.dear", l.Name))
	p.para(tr.T("print.refusal.p1"))
	for i, r := range l.Reasons {
		p.para(strconv.Itoa(i+1) + ". " + r)
	}
	p.para(tr.T("print.refusal.p2", tr.Date(l.ReviewBy), l.ReviewDays, OfficeOf(l.Kind()).Email))
	p.para(tr.T("print.refusal.review"))
	p.para(tr.T("print.refusal.p3"))
	signature(p, l.Officer, l.OfficerForm)
}

// FeeReceipt is the receipt of a file's processing fee.
type FeeReceipt struct {
	FileNumber string
	Name       string
	Receipt    oinp.Receipt
	InGTA      bool
	// Record is the file printed (its applicant's account).
	Record domain.ID
}

// PrintedFrom implements Sourced.
func (r FeeReceipt) PrintedFrom() domain.ID { return r.Record }

// Kind implements Document.
func (FeeReceipt) Kind() Kind { return KindFeeReceipt }

// Facts implements Document.
func (r FeeReceipt) Facts() []Fact {
	return printcode.FeeReceiptFacts(r.FileNumber, r.Name, r.Receipt)
}

func (r FeeReceipt) render(p *page) {
	tr := p.tr
	p.heading(tr.T("print.title.oinp.fee-receipt"), 14)
	if r.Receipt.Sandbox {
		p.pdf.SetTextColor(170, 0, 0)
		p.heading(tr.T("print.receipt.sandbox"), 10)
		p.pdf.SetTextColor(0, 0, 0)
	}
	p.pdf.Ln(2)
	p.pair(tr.T("print.label.file"), r.FileNumber)
	p.pair(tr.T("print.label.applicant"), r.Name)
	p.pair(tr.T("print.label.fee"), tr.Money(r.Receipt.AmountCents))
	region := tr.T("print.receipt.outside-gta")
	if r.InGTA {
		region = tr.T("print.receipt.gta")
	}
	p.pair(tr.T("print.label.region"), region)
	paid := r.Receipt.Paid.In(p.zone)
	p.pair(tr.T("print.label.paid"), tr.T("format.datetime", tr.Date(domain.DateOf(paid)), tr.Time(paid)))
	p.pair(tr.T("print.label.reference"), r.Receipt.Reference)
	p.pair(tr.T("print.label.card"), tr.T("print.receipt.card", cardBrand(r.Receipt.Brand), r.Receipt.Last4))
	p.pdf.Ln(4)
	p.para(tr.T("print.receipt.note"))
}

// cardBrands are the card networks' names as they write them, the same in
// both languages; the payment processor gives them in capitals or lower
// case.
var cardBrands = map[string]string{"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
	"american express": "American Express", "discover": "Discover", "interac": "Interac", "jcb": "JCB", "unionpay": "UnionPay"}

// cardBrand is a card's network as a receipt names it: "Visa", not "VISA"
// or "visa".
func cardBrand(brand string) string {
	if name, ok := cardBrands[strings.ToLower(strings.TrimSpace(brand))]; ok {
		return name
	}
	return brand
}

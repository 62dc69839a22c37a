package report

import (
	"dossier/domain"
	"dossier/domain/permit"
	"dossier/domain/printcode"
	"dossier/translations"
)

// The student's Off-Campus Work Permit application as sent, and the
// receipt of its fee.
const (
	KindPermitApplication = printcode.KindPermitApplication
	KindPermitReceipt     = printcode.KindPermitReceipt
)

// PermitApplication is a work permit application as the program received
// it, with its status and decision.
type PermitApplication struct {
	App    permit.Application
	School string
}

// PrintedFrom implements Sourced: the application's record.
func (d PermitApplication) PrintedFrom() domain.ID { return d.App.ID }

// Kind implements Document.
func (PermitApplication) Kind() Kind { return KindPermitApplication }

// Facts implements Document.
func (d PermitApplication) Facts() []Fact { return printcode.PermitApplicationFacts(&d.App) }

func (d PermitApplication) render(p *page) {
	tr, a, f := p.tr, &d.App, d.App.Form
	date := func(x domain.Date) string { return tr.Date(x) }
	p.heading(tr.T("print.title.ocwpp.permit-application"), 14)
	p.pair(tr.T("print.label.evn"), string(a.EVN))
	p.pair(tr.T("print.label.school"), d.School)
	p.pair(tr.T("print.label.state"), tr.T(a.Status.MessageKey()))
	p.pair(tr.T("print.label.submitted"), date(a.Submitted))
	p.pdf.Ln(2)
	p.heading(tr.T("permit.section.who"), 11)
	p.pair(tr.T("permit.field.given"), f.GivenNames)
	p.pair(tr.T("permit.field.family"), f.FamilyName)
	p.pair(tr.T("permit.field.birth"), date(f.BirthDate))
	p.pair(tr.T("permit.field.client"), f.ClientID.String())
	p.pair(tr.T("permit.field.email"), f.Email)
	p.heading(tr.T("permit.section.passport"), 11)
	p.pair(tr.T("permit.field.passport"), f.PassportNumber)
	p.pair(tr.T("permit.field.passport.country"), f.PassportCountry)
	p.pair(tr.T("permit.field.passport.expiry"), date(f.PassportExpiry))
	p.heading(tr.T("permit.section.address"), 11)
	p.pair(tr.T("permit.field.street"), f.Street)
	p.pair(tr.T("permit.field.city"), f.City)
	p.pair(tr.T("permit.field.province"), f.Province)
	p.pair(tr.T("permit.field.postal"), f.PostalCode)
	if f.Phone != "" {
		p.pair(tr.T("permit.field.phone"), f.Phone)
	}
	p.heading(tr.T("permit.section.studies"), 11)
	p.pair(tr.T("permit.field.program"), f.Program)
	p.pair(tr.T("permit.field.study.start"), date(f.StudyStart))
	p.pair(tr.T("permit.field.study.end"), date(f.StudyEnd))
	p.heading(tr.T("permit.section.consent"), 11)
	p.para(yesText(tr, f.Consent) + " — " + tr.T("permit.consent"))
	p.para(yesText(tr, f.Declaration) + " — " + tr.T("permit.declaration"))
	switch a.Status {
	case permit.Approved:
		p.para(tr.T("permit.decision.approved", a.Decided, a.OfficerName))
	case permit.Refused:
		p.para(tr.T("permit.decision.refused", a.Decided, a.Reason))
	}
}

func yesText(tr *translations.Translator, b bool) string {
	if b {
		return tr.T("print.yes")
	}
	return tr.T("print.no")
}

// PermitReceipt is the receipt of a work permit application's fee, as
// the server's processor took it.
type PermitReceipt struct {
	App permit.Application
}

// PrintedFrom implements Sourced.
func (d PermitReceipt) PrintedFrom() domain.ID { return d.App.ID }

// Kind implements Document.
func (PermitReceipt) Kind() Kind { return KindPermitReceipt }

// Facts implements Document.
func (d PermitReceipt) Facts() []Fact { return printcode.PermitReceiptFacts(&d.App) }

func (d PermitReceipt) render(p *page) {
	tr, a := p.tr, &d.App
	p.heading(tr.T("print.title.ocwpp.permit-receipt"), 14)
	r := a.Receipt
	if r == nil {
		p.para(tr.Error(domain.Errorf(ErrNotPaid)))
		return
	}
	if r.Sandbox {
		p.pdf.SetTextColor(170, 0, 0)
		p.heading(tr.T("print.receipt.sandbox"), 10)
		p.pdf.SetTextColor(0, 0, 0)
	}
	p.pdf.Ln(2)
	p.pair(tr.T("print.label.evn"), string(a.EVN))
	p.pair(tr.T("print.label.applicant"), printcode.FullName(a.Form.GivenNames, a.Form.FamilyName))
	p.pair(tr.T("print.label.fee"), tr.Money(r.AmountCents))
	paid := r.Paid.In(p.zone)
	p.pair(tr.T("print.label.paid"), tr.T("format.datetime", tr.Date(domain.DateOf(paid)), tr.Time(paid)))
	p.pair(tr.T("print.label.reference"), r.Reference)
	p.pair(tr.T("print.label.card"), tr.T("print.receipt.card", cardBrand(r.Brand), r.Last4))
	p.pdf.Ln(4)
	p.para(tr.T("print.permit.receipt.note"))
}

// PermitDocument builds the application or its receipt; a receipt of an
// application not yet paid is ErrNotPaid.
func PermitDocument(kind Kind, a permit.Application, school string) (Document, error) {
	switch kind {
	case KindPermitApplication:
		return PermitApplication{App: a, School: school}, nil
	case KindPermitReceipt:
		if a.Receipt == nil {
			return nil, domain.Errorf(ErrNotPaid)
		}
		return PermitReceipt{App: a}, nil
	}
	return nil, domain.FieldError(ErrKind, "kind", string(kind))
}

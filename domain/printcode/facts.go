package printcode

import (
	"strconv"
	"strings"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
)

// The facts a code vouches for are computed here, from the records, by
// one function per document that the printing desk and the server both
// call: the desk to print them, the server to decide whether the code a
// desk registers vouches for what its own record says.

// The documents Dossier prints.
const (
	KindComplianceList     Kind = "ocwpp.compliance-list"
	KindIneligibleReport   Kind = "ocwpp.ineligible-report"
	KindProvincialReport   Kind = "ocwpp.provincial-report"
	KindQueueExport        Kind = "ocwpp.queue"
	KindRequestRecord      Kind = "ocwpp.request"
	KindApplicationSummary Kind = "oinp.summary"
	KindNominationLetter   Kind = "oinp.nomination-letter"
	KindWorkPermitLetter   Kind = "oinp.work-permit-letter"
	KindCertificate        Kind = "oinp.certificate"
	KindRefusalLetter      Kind = "oinp.refusal-letter"
	KindFeeReceipt         Kind = "oinp.fee-receipt"
	KindFilesList          Kind = "oinp.files"
	KindEnrolments         Kind = "oinp.employer-enrolments"
	KindPINSheet           Kind = "ocwpp.pin-sheet"
	// The student's Off-Campus Work Permit application and its receipt.
	KindPermitApplication Kind = "ocwpp.permit-application"
	KindPermitReceipt     Kind = "ocwpp.permit-receipt"
)

// Codes of a document its record does not allow yet.
var (
	ErrNotNominated = domain.NewCode("print.not-nominated", domain.KindConflict)
	ErrNotRefused   = domain.NewCode("print.not-refused", domain.KindConflict)
	ErrNotPaid      = domain.NewCode("print.not-paid", domain.KindConflict)
	ErrKind         = domain.NewCode("print.kind", domain.KindInvalid)
)

// FullName is a person's name as documents print it.
func FullName(given, family string) string { return strings.TrimSpace(given + " " + family) }

// DateFact is a date as a fact states it: ISO, or empty when there is none.
func DateFact(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func fact(name, value string) Fact { return Fact{Name: name, Value: value} }

// RequestFacts are the facts of a request's record: the school ("A01
// Collège Boréal"), the type, the student's name, the EVN and the day
// it was decided.
func RequestFacts(school, typ, name, evn string, decided domain.Date) []Fact {
	return []Fact{fact("school", school), fact("type", typ), fact("name", name), fact("evn", evn),
		fact("decided", DateFact(decided))}
}

// RequestFactsOf are RequestFacts of a request addressed to the school
// whose code and name are given.
func RequestFactsOf(schoolCode, schoolName string, r *ens.Request) []Fact {
	var decided domain.Date
	if !r.DecidedAt.IsZero() {
		decided = domain.DateOf(r.DecidedAt.UTC())
	}
	return RequestFacts(schoolCode+" "+schoolName, r.Type.Code(), FullName(r.Student.GivenNames, r.Student.FamilyName),
		string(r.EVN), decided)
}

// NomineeFacts are the facts of a nomination's letters.
func NomineeFacts(file, name, certificate string, nominated, expires domain.Date) []Fact {
	return []Fact{fact("file", file), fact("name", name), fact("certificate", certificate),
		fact("nominated", DateFact(nominated)), fact("expires", DateFact(expires))}
}

// WageFact is the work permit letter's wage, in cents.
func WageFact(cents int64) Fact { return fact("wage", strconv.FormatInt(cents, 10)) }

// BirthFact is the certificate's birth date.
func BirthFact(d domain.Date) Fact { return fact("birth", DateFact(d)) }

// RefusalFacts are the facts of a refusal letter.
func RefusalFacts(file, name string, decided domain.Date, reasons int, reviewBy domain.Date) []Fact {
	return []Fact{fact("file", file), fact("name", name), fact("decided", DateFact(decided)),
		fact("reasons", strconv.Itoa(reasons)), fact("review-by", DateFact(reviewBy))}
}

// FeeReceiptFacts are the facts of a fee receipt.
func FeeReceiptFacts(file, name string, r oinp.Receipt) []Fact {
	return []Fact{fact("file", file), fact("name", name), fact("amount", strconv.FormatInt(r.AmountCents, 10)),
		fact("reference", r.Reference), fact("paid", DateFact(domain.DateOf(r.Paid.UTC())))}
}

// PermitApplicationFacts are the facts of a work permit application: its
// EVN, the student, their birth date, the day it was received and the
// day it was decided (empty until then).
func PermitApplicationFacts(a *permit.Application) []Fact {
	return []Fact{fact("evn", string(a.EVN)), fact("name", FullName(a.Form.GivenNames, a.Form.FamilyName)),
		fact("birth", DateFact(a.Form.BirthDate)), fact("submitted", DateFact(a.Submitted)), fact("decided", DateFact(a.Decided))}
}

// PermitReceiptFacts are the facts of a work permit application's
// receipt.
func PermitReceiptFacts(a *permit.Application) []Fact {
	var r oinp.Receipt
	if a.Receipt != nil {
		r = *a.Receipt
	}
	return []Fact{fact("evn", string(a.EVN)), fact("name", FullName(a.Form.GivenNames, a.Form.FamilyName)),
		fact("amount", strconv.FormatInt(r.AmountCents, 10)), fact("reference", r.Reference),
		fact("paid", DateFact(domain.DateOf(r.Paid.UTC())))}
}

// SummaryFacts are the facts of an application's summary.
func SummaryFacts(a *oinp.Application, rep oinp.EligibilityReport) []Fact {
	return []Fact{fact("file", string(a.FileNumber)), fact("name", FullName(a.Applicant.GivenNames, a.Applicant.FamilyName)),
		fact("submitted", DateFact(a.Submitted)), fact("checked", DateFact(rep.On)),
		fact("rules-passed", strconv.Itoa(rep.Count(oinp.Pass))+"/"+strconv.Itoa(len(rep.Results)))}
}

// ComplianceListFacts are the facts of a school's compliance list.
func ComplianceListFacts(school string, year, students int) []Fact {
	return []Fact{fact("school", school), fact("year", strconv.Itoa(year)), fact("students", strconv.Itoa(students))}
}

// IneligibleReportFacts are the facts of a school's report of the
// students no longer eligible for a year (submitted zero while a draft).
func IneligibleReportFacts(school string, year int, submitted domain.Date, eligible, ineligible, amendments int) []Fact {
	return []Fact{fact("school", school), fact("year", strconv.Itoa(year)), fact("submitted", DateFact(submitted)),
		fact("eligible", strconv.Itoa(eligible)), fact("ineligible", strconv.Itoa(ineligible)),
		fact("amendments", strconv.Itoa(amendments))}
}

// ProvincialReportFacts are the facts of a province's compiled report.
func ProvincialReportFacts(province string, year int, compiled domain.Date, schools, submitted, eligible, ineligible int) []Fact {
	return []Fact{fact("province", province), fact("year", strconv.Itoa(year)), fact("compiled", DateFact(compiled)),
		fact("schools", strconv.Itoa(schools)), fact("schools-submitted", strconv.Itoa(submitted)),
		fact("eligible", strconv.Itoa(eligible)), fact("ineligible", strconv.Itoa(ineligible))}
}

// FileFacts are the facts of a document of kind printed from an OINP
// file on today (the summary's check day until the file is submitted),
// the summary's rules judged with tables: the very facts the document
// prints. It refuses a document the file's state does not allow (a Letter
// of Nomination of a file not nominated).
func FileFacts(kind Kind, a *oinp.Application, today domain.Date, tables oinp.Tables) ([]Fact, error) {
	name := FullName(a.Applicant.GivenNames, a.Applicant.FamilyName)
	switch kind {
	case KindApplicationSummary:
		return SummaryFacts(a, oinp.Evaluate(a, a.CheckDate(today), tables)), nil
	case KindNominationLetter, KindWorkPermitLetter, KindCertificate:
		nom := a.Nomination
		if nom == nil {
			return nil, domain.Errorf(ErrNotNominated)
		}
		facts := NomineeFacts(string(a.FileNumber), name, nom.Certificate, nom.Nominated, nom.Expires)
		switch kind {
		case KindWorkPermitLetter:
			facts = append(facts, WageFact(a.Employer.Offer.WageCents))
		case KindCertificate:
			facts = append(facts, BirthFact(a.Applicant.BirthDate))
		}
		return facts, nil
	case KindRefusalLetter:
		d := a.Decision
		if d == nil || d.Outcome != oinp.OutcomeRefused {
			return nil, domain.Errorf(ErrNotRefused)
		}
		return RefusalFacts(string(a.FileNumber), name, d.Notified, len(d.Reasons), a.ReviewDeadline()), nil
	case KindFeeReceipt:
		if a.Payment == nil {
			return nil, domain.Errorf(ErrNotPaid)
		}
		return FeeReceiptFacts(string(a.FileNumber), name, *a.Payment), nil
	}
	return nil, domain.FieldError(ErrKind, "kind", string(kind))
}

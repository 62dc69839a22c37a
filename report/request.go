package report

import (
	"strconv"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/printcode"
)

// RequestRecord is one request of a school's queue, printed for the
// school's file: what the desk decided, when and by whom, on which
// checks. It names the student by name, student number and EVN — enough
// to find them — and leaves out their birth date, client ID and e-mail.
type RequestRecord struct {
	School, SchoolCode string
	Type               ens.Type
	Status             ens.Status
	Name, StudentNo    string
	EVN                string
	FromSchool         string // the previous school (EVT, TI)
	TransferredTo      string
	Received           domain.Date
	Expires            domain.Date // zero once the request is closed
	Assignee           string
	// Received, Expires and Decided are days in the school's time zone
	// (Time); FactDecided is the day the code vouches for, as the
	// server's records state it (UTC), when it differs.
	Decided        domain.Date
	FactDecided    domain.Date
	DecidedBy      string
	Reason         string
	ComplianceYear int
	// Checks is the eligibility checklist, for the verifications only.
	Checks *ens.Checks
	Notes  string
	// Record is the request printed: the server computes the facts of
	// the code from it.
	Record domain.ID
	// Time is the school's time zone (nil: the program office's).
	Time *time.Location
}

// Zone implements Zoned.
func (r RequestRecord) Zone() *time.Location { return r.Time }

// PrintedFrom implements Sourced.
func (r RequestRecord) PrintedFrom() domain.ID { return r.Record }

// Kind implements Document.
func (RequestRecord) Kind() Kind { return KindRequestRecord }

// Facts implements Document.
func (r RequestRecord) Facts() []Fact {
	decided := r.Decided
	if !r.FactDecided.IsZero() {
		decided = r.FactDecided
	}
	return printcode.RequestFacts(r.SchoolCode+" "+r.School, r.Type.Code(), r.Name, r.EVN, decided)
}

func (r RequestRecord) render(p *page) {
	tr := p.tr
	p.heading(tr.T("print.request.heading", r.Type.Code(), r.Name), 13)
	optional := func(label, value string) {
		if value != "" {
			p.pair(tr.T(label), value)
		}
	}
	optionalDate := func(label string, d domain.Date) {
		if !d.IsZero() {
			p.pair(tr.T(label), tr.Date(d))
		}
	}
	p.pair(tr.T("print.label.school"), r.SchoolCode+" — "+r.School)
	p.pair(tr.T("print.label.type"), r.Type.Code()+" — "+tr.T(r.Type.MessageKey()))
	p.pair(tr.T("print.label.state"), tr.T(r.Status.MessageKey()))
	p.pair(tr.T("print.label.student"), r.Name)
	optional("print.label.student-no", r.StudentNo)
	optional("print.label.evn", r.EVN)
	optional("print.label.from", r.FromSchool)
	optional("print.label.transferred", r.TransferredTo)
	if r.ComplianceYear != 0 {
		p.pair(tr.T("print.label.year"), strconv.Itoa(r.ComplianceYear))
	}
	optionalDate("print.label.received", r.Received)
	optionalDate("print.label.expires", r.Expires)
	optional("print.label.assignee", r.Assignee)
	if !r.Decided.IsZero() {
		p.pair(tr.T("print.label.decided"), tr.T("print.request.decided", tr.Date(r.Decided), r.DecidedBy))
	}
	optional("print.label.reason", r.Reason)
	if r.Checks != nil {
		p.pdf.Ln(3)
		p.heading(tr.T("print.request.checks"), 11)
		for _, c := range ens.Criteria {
			p.pair(tr.T(checkKey(r.Checks[c])), tr.T(c.MessageKey()))
		}
	}
	if r.Notes != "" {
		p.pdf.Ln(3)
		p.heading(tr.T("print.request.notes"), 11)
		p.para(r.Notes)
	}
}

// checkKey is the catalog key of a checklist answer.
func checkKey(c ens.Check) string {
	switch c {
	case ens.Met:
		return "request.check.met"
	case ens.NotMet:
		return "request.check.not-met"
	}
	return "request.check.unchecked"
}

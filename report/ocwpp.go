package report

import (
	"iter"
	"strconv"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/printcode"
)

// The OCWPP's documents: a school's Annual Compliance list, its Annual
// Report on Ineligible Students, the coordinator's compilation of a
// province's reports, and a DIR's queue as filtered. They print a
// student's name, student number and EVN, which the reader needs to find
// the student, and nothing more of them (no birth date, client ID or
// address).

// ComplianceRow is one student on a school's Annual Compliance list.
type ComplianceRow struct {
	Name, StudentNo, EVN string
	Status               ens.Status
	Reason               string // why ineligible
}

// ComplianceList is a school's Annual Compliance list for a year: Rows
// are read once, as the pages fill, so a long list is never held twice.
type ComplianceList struct {
	School, SchoolCode string
	Year               int
	Count              int // how many rows Rows yields
	Rows               iter.Seq[ComplianceRow]
	// Record is the school whose list it is.
	Record domain.ID
}

// PrintedFrom implements Sourced.
func (c ComplianceList) PrintedFrom() domain.ID { return c.Record }

// Kind implements Document.
func (ComplianceList) Kind() Kind { return KindComplianceList }

// Facts implements Document.
func (c ComplianceList) Facts() []Fact {
	return printcode.ComplianceListFacts(c.SchoolCode+" "+c.School, c.Year, c.Count)
}

func (c ComplianceList) render(p *page) {
	p.heading(p.tr.T("print.compliance.heading", c.School, strconv.Itoa(c.Year)), 13)
	p.para(p.tr.T("print.compliance.intro", c.Count, p.tr.Date(domain.Date{Year: c.Year, Month: 10, Day: 15})))
	t := newTable(p, column{"print.col.number", 6, "R"}, column{"print.col.name", 30, "L"}, column{"print.col.student-no", 14, "L"},
		column{"print.col.evn", 16, "L"}, column{"print.col.status", 14, "L"}, column{"print.col.reason", 20, "L"})
	t.head()
	i := 0
	t.rows(func(yield func([]string) bool) {
		for r := range c.Rows {
			i++
			if !yield([]string{strconv.Itoa(i), r.Name, r.StudentNo, r.EVN, p.tr.T(statusKey(r.Status)), r.Reason}) {
				return
			}
		}
	}, c.Count)
}

// StatusKey is the catalog key of a request's status.
func statusKey(s ens.Status) string { return "ens.status." + s.Code() }

// IneligibleStudent is a student a school reports as no longer eligible.
type IneligibleStudent struct {
	Name, StudentNo, EVN, Reason string
}

// Amendment is a correction to a submitted report: when, by whom, what.
type Amendment struct {
	On   domain.Date
	By   string
	Text string
}

// IneligibleReport is a school's Annual Report on Ineligible Students.
type IneligibleReport struct {
	School, SchoolCode, Province string
	Year                         int
	Submitted                    domain.Date // zero: not yet submitted (a draft)
	SubmittedBy                  string
	Eligible                     int
	Students                     []IneligibleStudent
	Amendments                   []Amendment
	// Record is the school whose report it is.
	Record domain.ID
	// Time is the school's time zone, which the report's days are in
	// (nil: the program office's); FactSubmitted is the submission's day
	// as the server's record states it (UTC), which the code vouches for,
	// when it differs from Submitted.
	Time          *time.Location
	FactSubmitted domain.Date
}

// Zone implements Zoned.
func (r IneligibleReport) Zone() *time.Location { return r.Time }

// PrintedFrom implements Sourced.
func (r IneligibleReport) PrintedFrom() domain.ID { return r.Record }

// Kind implements Document.
func (IneligibleReport) Kind() Kind { return KindIneligibleReport }

// Facts implements Document.
func (r IneligibleReport) Facts() []Fact {
	submitted := r.Submitted
	if !r.FactSubmitted.IsZero() {
		submitted = r.FactSubmitted
	}
	return printcode.IneligibleReportFacts(r.SchoolCode+" "+r.School, r.Year, submitted, r.Eligible, len(r.Students),
		len(r.Amendments))
}

func (r IneligibleReport) render(p *page) {
	tr := p.tr
	p.heading(tr.T("print.ineligible.heading", r.School, strconv.Itoa(r.Year)), 13)
	p.pair(tr.T("print.label.school"), r.SchoolCode+" — "+r.School+" ("+r.Province+")")
	if r.Submitted.IsZero() {
		p.pair(tr.T("print.label.submitted"), tr.T("print.ineligible.draft"))
	} else {
		p.pair(tr.T("print.label.submitted"), tr.T("print.ineligible.submitted", tr.Date(r.Submitted), r.SubmittedBy))
	}
	p.pair(tr.T("print.label.eligible"), tr.Number(r.Eligible))
	p.pair(tr.T("print.label.ineligible"), tr.Number(len(r.Students)))
	p.pdf.Ln(4)
	if len(r.Students) == 0 {
		p.para(tr.T("print.ineligible.none"))
	} else {
		t := newTable(p, column{"print.col.name", 30, "L"}, column{"print.col.student-no", 14, "L"},
			column{"print.col.evn", 16, "L"}, column{"print.col.reason", 40, "L"})
		t.head()
		for _, s := range r.Students {
			t.wrapRow(s.Name, s.StudentNo, s.EVN, s.Reason)
		}
		p.onNewPage = nil
	}
	amendments(p, r.Amendments)
}

func amendments(p *page, list []Amendment) {
	if len(list) == 0 {
		return
	}
	p.pdf.Ln(4)
	p.heading(p.tr.T("print.amendments"), 11)
	for _, a := range list {
		p.para(p.tr.T("print.amendment.line", p.tr.Date(a.On), a.By, a.Text))
	}
}

// SchoolLine is one school in a province's compilation.
type SchoolLine struct {
	Name, Code           string
	Submitted            domain.Date // zero: not submitted
	Eligible, Ineligible int
}

// ProvincialStudent is an ineligible student in a province's compilation.
type ProvincialStudent struct {
	SchoolCode, Name, StudentNo, Reason string
}

// ProvincialReport is the coordinator's compilation of a province's
// Annual Reports on Ineligible Students, for the program.
type ProvincialReport struct {
	Province    string
	Year        int
	Compiled    domain.Date
	Coordinator string
	Schools     []SchoolLine
	Students    []ProvincialStudent
	// Record is the province (its coordinators' organisation).
	Record domain.ID
	// Time is the province's time zone, which the report's days are in
	// (nil: the program office's); FactCompiled is the compilation's day
	// as the server's record states it (UTC), when it differs.
	Time         *time.Location
	FactCompiled domain.Date
}

// Zone implements Zoned.
func (r ProvincialReport) Zone() *time.Location { return r.Time }

// PrintedFrom implements Sourced.
func (r ProvincialReport) PrintedFrom() domain.ID { return r.Record }

// Totals are the sums over the province's schools.
func (r ProvincialReport) Totals() (submitted, eligible, ineligible int) {
	for _, s := range r.Schools {
		if !s.Submitted.IsZero() {
			submitted++
		}
		eligible += s.Eligible
		ineligible += s.Ineligible
	}
	return
}

// Kind implements Document.
func (ProvincialReport) Kind() Kind { return KindProvincialReport }

// Facts implements Document.
func (r ProvincialReport) Facts() []Fact {
	sub, el, in := r.Totals()
	compiled := r.Compiled
	if !r.FactCompiled.IsZero() {
		compiled = r.FactCompiled
	}
	return printcode.ProvincialReportFacts(r.Province, r.Year, compiled, len(r.Schools), sub, el, in)
}

func (r ProvincialReport) render(p *page) {
	tr := p.tr
	sub, el, in := r.Totals()
	p.heading(tr.T("print.provincial.heading", tr.T(provinceKey(r.Province)), strconv.Itoa(r.Year)), 13)
	p.pair(tr.T("print.label.compiled"), tr.T("print.provincial.compiled", tr.Date(r.Compiled), r.Coordinator))
	p.pair(tr.T("print.label.schools"), tr.T("print.provincial.schools", tr.Number(sub), tr.Number(len(r.Schools))))
	p.pair(tr.T("print.label.eligible"), tr.Number(el))
	p.pair(tr.T("print.label.ineligible"), tr.Number(in))
	p.pdf.Ln(4)
	t := newTable(p, column{"print.col.code", 10, "L"}, column{"print.col.school", 44, "L"},
		column{"print.col.submitted", 18, "L"}, column{"print.col.eligible", 14, "R"}, column{"print.col.ineligible", 14, "R"})
	t.head()
	t.rows(func(yield func([]string) bool) {
		for _, s := range r.Schools {
			when := tr.T("print.provincial.missing")
			if !s.Submitted.IsZero() {
				when = tr.ShortDate(s.Submitted)
			}
			if !yield([]string{s.Code, s.Name, when, tr.Number(s.Eligible), tr.Number(s.Ineligible)}) {
				return
			}
		}
		yield([]string{"", tr.T("print.total"), tr.Number(sub), tr.Number(el), tr.Number(in)})
	}, len(r.Schools))
	if len(r.Students) == 0 {
		return
	}
	p.pdf.Ln(4)
	p.heading(tr.T("print.provincial.students"), 11)
	s := newTable(p, column{"print.col.code", 10, "L"}, column{"print.col.name", 30, "L"},
		column{"print.col.student-no", 16, "L"}, column{"print.col.reason", 44, "L"})
	s.head()
	s.rows(func(yield func([]string) bool) {
		for _, x := range r.Students {
			if !yield([]string{x.SchoolCode, x.Name, x.StudentNo, x.Reason}) {
				return
			}
		}
	}, len(r.Students))
}

// provinceKey is the catalog key of a province's name.
func provinceKey(code string) string { return "oinp.choice.province." + code }

// QueueRow is one request of a DIR's queue as exported.
type QueueRow struct {
	Type              ens.Type
	Status            ens.Status
	Received, Expires domain.Date
	Name, StudentNo   string
	EVN, Assignee     string
}

// QueueExport is a DIR's queue as the current filter shows it.
type QueueExport struct {
	School, SchoolCode string
	// Filter says in the reader's words what the queue was filtered by
	// ("Type: EV · Status: New"); empty for the whole queue.
	Filter string
	Count  int
	Rows   iter.Seq[QueueRow]
	// Time is the school's time zone, which the rows' days are in (nil:
	// the program office's).
	Time *time.Location
}

// Kind implements Document.
func (QueueExport) Kind() Kind { return KindQueueExport }

// Zone implements Zoned.
func (q QueueExport) Zone() *time.Location { return q.Time }

// Facts implements Document.
func (q QueueExport) Facts() []Fact {
	return []Fact{fact("school", q.SchoolCode+" "+q.School), fact("requests", strconv.Itoa(q.Count))}
}

func (q QueueExport) render(p *page) {
	tr := p.tr
	p.heading(tr.T("print.queue.heading", q.School), 13)
	filter := q.Filter
	if filter == "" {
		filter = tr.T("print.queue.all")
	}
	p.pair(tr.T("print.label.filter"), filter)
	p.pair(tr.T("print.label.requests"), tr.Number(q.Count))
	p.pdf.Ln(3)
	t := newTable(p, column{"print.col.type", 6, "L"}, column{"print.col.state", 15, "L"}, column{"print.col.received", 13, "L"},
		column{"print.col.expires", 13, "L"}, column{"print.col.name", 22, "L"}, column{"print.col.student-no", 13, "L"},
		column{"print.col.evn", 16, "L"}, column{"print.col.assignee", 14, "L"})
	t.head()
	t.rows(func(yield func([]string) bool) {
		for r := range q.Rows {
			if !yield([]string{r.Type.Code(), tr.T(statusKey(r.Status)), r.Received.String(), dateFact(r.Expires),
				r.Name, r.StudentNo, r.EVN, r.Assignee}) {
				return
			}
		}
	}, q.Count)
}

// dateFact is a day as a fact states it: ISO, which reads the same in
// both languages; empty when there is none.
func dateFact(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

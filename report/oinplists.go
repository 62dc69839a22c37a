package report

import (
	"strconv"

	"dossier/domain"
	"dossier/domain/employer"
	"dossier/domain/oinp"
)

// The program officer's lists: the processing queue of submitted files
// as filtered, and the employers' enrolments. They print what the officer
// sees on the screen and nothing more of the people (no birth date,
// address or e-mail).

// FileRow is one file of the processing queue as printed.
type FileRow struct {
	FileNumber, Name   string
	Status             oinp.FileStatus
	Submitted, NextDue domain.Date
	InGTA              oinp.YesNo
	Region             string
}

// FilesList is the program's processing queue as the officer's filter
// shows it.
type FilesList struct {
	// Filter says in the reader's words what the queue was filtered by;
	// empty for every submitted file.
	Filter string
	Rows   []FileRow
}

// Kind implements Document.
func (FilesList) Kind() Kind { return KindFilesList }

// Facts implements Document.
func (l FilesList) Facts() []Fact {
	return []Fact{fact("files", strconv.Itoa(len(l.Rows)))}
}

func (l FilesList) render(p *page) {
	tr := p.tr
	p.heading(tr.T("print.files.heading"), 13)
	filter := l.Filter
	if filter == "" {
		filter = tr.T("print.files.all")
	}
	p.pair(tr.T("print.label.filter"), filter)
	p.pair(tr.T("print.label.files"), tr.Number(len(l.Rows)))
	p.pdf.Ln(3)
	t := newTable(p, column{"print.col.number", 4, "R"}, column{"print.col.file", 13, "L"}, column{"print.col.name", 21, "L"},
		column{"print.col.status", 21, "L"}, column{"print.col.submitted", 11, "L"}, column{"print.col.gta", 15, "L"},
		column{"print.col.due", 15, "L"})
	t.head()
	t.rows(func(yield func([]string) bool) {
		for i, r := range l.Rows {
			due := "—"
			if !r.NextDue.IsZero() {
				due = tr.ShortDate(r.NextDue)
			}
			if !yield([]string{strconv.Itoa(i + 1), r.FileNumber, r.Name, tr.T(r.Status.MessageKey()),
				tr.ShortDate(r.Submitted), whereText(p, r.InGTA, r.Region), due}) {
				return
			}
		}
	}, len(l.Rows))
}

// whereText words where a file's job is, as the GTA rule sees it.
func whereText(p *page, g oinp.YesNo, region string) string {
	if g == oinp.Yes && region != "" {
		return p.tr.T("print.files.gta.region", region)
	}
	return p.tr.T(gtaKey(g))
}

// gtaKey is the catalog key of where a job is, as the GTA rule sees it.
func gtaKey(g oinp.YesNo) string {
	switch g {
	case oinp.Yes:
		return "print.files.gta.yes"
	case oinp.No:
		return "print.files.gta.no"
	}
	return "print.files.gta.unknown"
}

// EnrolmentRow is a business's enrolment as printed. Reason is the
// refusal's reason, already in the reader's words.
type EnrolmentRow struct {
	LegalName, BN string
	Status        employer.Status
	Enrolled      domain.Date
	Reason        string
}

// EnrolmentList is the program's queue of employers' enrolments: the
// pending first, then the approved and the refused.
type EnrolmentList struct {
	Rows []EnrolmentRow
}

// Kind implements Document.
func (EnrolmentList) Kind() Kind { return KindEnrolments }

// count is how many enrolments are in status s.
func (l EnrolmentList) count(s employer.Status) int {
	n := 0
	for _, r := range l.Rows {
		if r.Status == s {
			n++
		}
	}
	return n
}

// Facts implements Document.
func (l EnrolmentList) Facts() []Fact {
	return []Fact{fact("pending", strconv.Itoa(l.count(employer.Pending))),
		fact("approved", strconv.Itoa(l.count(employer.Approved))), fact("refused", strconv.Itoa(l.count(employer.Refused)))}
}

func (l EnrolmentList) render(p *page) {
	tr := p.tr
	p.heading(tr.T("print.enrolments.heading"), 13)
	for _, s := range enrolmentStatuses {
		p.pair(tr.T(enrolmentStatusKey(s)), tr.Number(l.count(s)))
	}
	for _, s := range enrolmentStatuses {
		if l.count(s) == 0 {
			continue
		}
		p.pdf.Ln(4)
		p.heading(tr.T(enrolmentStatusKey(s)), 11)
		cols := []column{{"print.col.business", 50, "L"}, {"print.col.bn", 25, "L"}, {"print.col.enrolled", 25, "L"}}
		if s == employer.Refused {
			cols = []column{{"print.col.business", 33, "L"}, {"print.col.bn", 19, "L"}, {"print.col.enrolled", 13, "L"},
				{"print.col.reason", 35, "L"}}
		}
		t := newTable(p, cols...)
		t.head()
		for _, r := range l.Rows {
			if r.Status != s {
				continue
			}
			cells := []string{r.LegalName, r.BN, tr.ShortDate(r.Enrolled)}
			if s == employer.Refused {
				cells = append(cells, r.Reason)
			}
			t.wrapRow(cells...)
		}
		p.onNewPage = nil
	}
}

// enrolmentStatusKey is the catalog key of a group of enrolments.
func enrolmentStatusKey(s employer.Status) string { return "print.enrolments." + string(s) }

// enrolmentStatuses are the groups of the list, in its order.
var enrolmentStatuses = []employer.Status{employer.Pending, employer.Approved, employer.Refused}

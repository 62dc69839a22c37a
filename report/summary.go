package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
)

// ApplicationSummary is everything an applicant entered, tab by tab in the
// form's order, with the eligibility report: what the applicant keeps and
// what an officer reads.
type ApplicationSummary struct {
	App    *oinp.Application
	Report oinp.EligibilityReport
	// Status is the file's standing in the reader's words.
	Status string
	// Record is the file printed (its applicant's account).
	Record domain.ID
}

// PrintedFrom implements Sourced.
func (s ApplicationSummary) PrintedFrom() domain.ID { return s.Record }

// Kind implements Document.
func (ApplicationSummary) Kind() Kind { return KindApplicationSummary }

// Facts implements Document.
func (s ApplicationSummary) Facts() []Fact {
	return printcode.SummaryFacts(s.App, s.Report)
}

func (s ApplicationSummary) render(p *page) {
	tr, a, r := p.tr, s.App, s.Report
	p.heading(tr.T("print.summary.heading", fullName(a.Applicant.GivenNames, a.Applicant.FamilyName)), 13)
	p.pair(tr.T("print.label.file"), orDash(string(a.FileNumber)))
	if s.Status != "" {
		p.pair(tr.T("print.label.status"), s.Status)
	}
	if !a.Submitted.IsZero() {
		p.pair(tr.T("print.label.submitted"), tr.Date(a.Submitted))
	}
	region := tr.T("print.summary.region-unknown")
	switch r.InGTA {
	case oinp.Yes:
		region = tr.T("print.receipt.gta")
	case oinp.No:
		region = tr.T("print.receipt.outside-gta")
	}
	p.pair(tr.T("print.label.region"), region)
	if r.FeeCents > 0 {
		p.pair(tr.T("print.label.fee"), tr.Money(r.FeeCents))
	}
	p.pair(tr.T("print.label.family-size"), tr.Number(r.Members))
	p.pdf.Ln(4)

	p.heading(tr.T("print.summary.eligibility", tr.Date(r.On), tr.Number(r.Count(oinp.Pass)), tr.Number(len(r.Results))), 11)
	t := newTable(p, column{"print.col.rule", 30, "L"}, column{"print.col.section", 9, "L"},
		column{"print.col.result", 9, "C"}, column{"print.col.explanation", 52, "L"})
	t.head()
	for _, x := range r.Results {
		t.wrapRow(tr.T(x.Title()), x.Section, tr.T(outcomeKey(x.Outcome)), tr.T(x.Key, x.Args...))
	}
	p.onNewPage = nil

	var tab oinp.Tab
	for _, f := range orderedFields(a) {
		if ft := tabOf(f.path); ft != tab {
			tab = ft
			p.pdf.Ln(3)
			p.heading(tr.T(tab.MessageKey()), 11)
		}
		label := f.path
		if key := oinp.LabelKey(f.path); tr.Has(key) {
			label = tr.T(key)
		}
		if n := itemNumber(f.path); n > 0 {
			label = tr.T("print.summary.item", label, strconv.Itoa(n))
		}
		p.pair(label, s.value(p, f.path, f.value))
	}
}

func outcomeKey(o oinp.Outcome) string { return "print.outcome." + string(o) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// value writes a field's value for the reader: yes and no in their
// language, amounts as money; codes and dates as entered.
func (s ApplicationSummary) value(p *page, path, v string) string {
	switch {
	case v == "yes" || v == "true":
		return p.tr.T("print.yes")
	case v == "no":
		return p.tr.T("print.no")
	case strings.HasSuffix(path, "Cents"):
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return p.tr.Money(n)
		}
	}
	return v
}

type fieldValue struct{ path, value string }

// orderedFields lists the fields oinp.Fields gives, in the order of the
// form (the JSON's order) rather than a map's.
func orderedFields(a *oinp.Application) []fieldValue {
	keep := oinp.Fields(a)
	b, _ := json.Marshal(a)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out []fieldValue
	var walk func(prefix string)
	walk = func(prefix string) {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				for dec.More() {
					k, _ := dec.Token()
					name, _ := k.(string)
					if prefix != "" {
						name = prefix + "." + name
					}
					walk(name)
				}
				dec.Token()
			case '[':
				for i := 0; dec.More(); i++ {
					walk(prefix + "[" + strconv.Itoa(i) + "]")
				}
				dec.Token()
			}
		default:
			if v, ok := keep[prefix]; ok {
				out = append(out, fieldValue{prefix, v})
			}
		}
	}
	walk("")
	return out
}

// tabOf is the tab a field's path belongs to.
func tabOf(path string) oinp.Tab {
	head, rest, _ := strings.Cut(path, ".")
	if i := strings.IndexByte(head, '['); i >= 0 {
		head = head[:i]
	}
	switch head {
	case "assistance":
		return oinp.TabAssistance
	case "applicant":
		return oinp.TabApplicant
	case "contact":
		return oinp.TabContact
	case "immigration":
		return oinp.TabImmigration
	case "education", "eca":
		return oinp.TabEducation
	case "language":
		return oinp.TabLanguage
	case "work":
		return oinp.TabWork
	case "activities":
		return oinp.TabActivities
	case "intent":
		return oinp.TabIntent
	case "family":
		return oinp.TabFamily
	case "funds":
		return oinp.TabFunds
	case "learnedFrom":
		return oinp.TabLearning
	case "agreements":
		return oinp.TabSchedules
	case "employer":
		switch {
		case strings.HasPrefix(rest, "offer."):
			return oinp.TabEmployerOffer
		case rest == "appliedBefore" || rest == "helped" || rest == "representative":
			return oinp.TabEmployerHistory
		}
		return oinp.TabEmployerBusiness
	}
	return oinp.TabGeneral
}

// itemNumber is the 1-based number of the list item a path is in ("work[1].noc"
// → 2), or 0 outside lists.
func itemNumber(path string) int {
	i := strings.IndexByte(path, '[')
	j := strings.IndexByte(path, ']')
	if i < 0 || j < i {
		return 0
	}
	n, err := strconv.Atoi(path[i+1 : j])
	if err != nil {
		return 0
	}
	return n + 1
}

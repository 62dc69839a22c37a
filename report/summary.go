package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/translations"
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
		// A field the catalog has no label for is named by its tab:
		// never by its path.
		label := tr.T(tab.MessageKey())
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

// value writes a field's value for the reader, in their language: yes
// and no, a choice by its name (a marital status, a province, a test),
// a country by its name, amounts as money, dates as the reader writes
// them; what the person typed as they typed it.
func (s ApplicationSummary) value(p *page, path, v string) string {
	tr := p.tr
	field := strings.TrimPrefix(oinp.LabelKey(path), "oinp.field.")
	switch {
	case v == "yes" || v == "true":
		return tr.T("print.yes")
	case v == "no" || v == "false":
		return tr.T("print.no")
	case strings.HasSuffix(path, "Cents"):
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return tr.Money(n)
		}
	case field == "agreements.schedule":
		return tr.T("print.summary.schedule", v)
	case countryFields[field] || strings.HasSuffix(field, ".country"):
		if name := countryName(tr, v); name != "" {
			return name
		}
	}
	list := choiceLists[field]
	if list == "" && strings.HasSuffix(field, ".province") {
		list = "province"
	}
	if key := "oinp.choice." + list + "." + v; list != "" && tr.Has(key) {
		return tr.T(key)
	}
	if d, err := domain.ParseDate("", v); err == nil && len(v) == len("2006-01-02") {
		return tr.Date(d)
	}
	if decimal.MatchString(v) && tr.Lang() == translations.French {
		return strings.Replace(v, ".", ",", 1) // a language test's score: 4,5
	}
	return v
}

// decimal is a number with a decimal point, as a score is entered.
var decimal = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// choiceLists names the list of choices (the catalog's "oinp.choice."
// + list + "." + code) a field's value is one of, by the field's path
// without item numbers, as the form's tabs offer them.
var choiceLists = map[string]string{
	"assistance.paidCategory": "paid", "contact.language": "language", "immigration.status": "status",
	"activities.kind": "activity", "learnedFrom": "learned", "applicant.sex": "sex", "applicant.maritalStatus": "marital",
	"education.level": "level", "eca.body": "eca", "language.test": "test", "family.relationship": "relationship",
	"employer.structure": "structure",
}

// countryFields are the fields, besides every ".country", that hold a
// country's code.
var countryFields = map[string]bool{"applicant.citizenship": true, "applicant.countryOfResidence": true}

// countryName is a country's name in the reader's language ("Viêt Nam"
// for VN in French), or "" for a code that names none.
func countryName(tr *translations.Translator, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || len(code) != 2 {
		return ""
	}
	return display.Regions(language.Make(string(tr.Lang()))).Name(r)
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

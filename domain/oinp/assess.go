package oinp

import (
	"encoding/json"
	"slices"
	"strings"

	"dossier/domain"
)

// The In-Demand Skills self-assessment: a short questionnaire whose
// answers are an Application with only the questions below filled, judged
// by Evaluate — the very rules of the application, never a second copy —
// on the rules the questions cover. What a rule cannot judge yet is said
// as the questions still to answer; the rules the questionnaire does not
// ask about (the employer's business, the offer letter, the intent to
// reside…) are named as checked later, on the application.

// Question is one question of the self-assessment: the application's
// field it fills (its path, as Fields names it; its label is the field's).
type Question struct {
	Path string
	// Section is the catalog key of the heading the question sits under.
	Section string
}

// Lines the questionnaire fills one of, as the application holds them.
const (
	assessWork     = "work[0]."
	assessLanguage = "language[0]."
	assessEd       = "education[0]."
)

// AssessmentQuestions are the questions, in the order asked.
var AssessmentQuestions = []Question{
	{"employer.offer.noc", "oinp.assess.section.offer"},
	{"employer.offer.province", "oinp.assess.section.offer"},
	{"employer.offer.fullTime", "oinp.assess.section.offer"},
	{"employer.offer.indeterminate", "oinp.assess.section.offer"},
	{"employer.offer.seasonal", "oinp.assess.section.offer"},
	{"employer.offer.agencyOrSubcontract", "oinp.assess.section.offer"},
	{"employer.offer.hoursPerWeek", "oinp.assess.section.offer"},
	{"employer.offer.hoursPerYear", "oinp.assess.section.offer"},
	{"employer.offer.hourlyWageCents", "oinp.assess.section.offer"},
	{"employer.offer.medianWageCents", "oinp.assess.section.offer"},
	{assessWork + "noc", "oinp.assess.section.work"},
	{assessWork + "from", "oinp.assess.section.work"},
	{assessWork + "to", "oinp.assess.section.work"},
	{assessWork + "hoursPerWeek", "oinp.assess.section.work"},
	{assessWork + "country", "oinp.assess.section.work"},
	{assessWork + "province", "oinp.assess.section.work"},
	{assessWork + "paid", "oinp.assess.section.work"},
	{assessWork + "authorised", "oinp.assess.section.work"},
	{assessLanguage + "test", "oinp.assess.section.language"},
	{assessLanguage + "taken", "oinp.assess.section.language"},
	{assessLanguage + "listening", "oinp.assess.section.language"},
	{assessLanguage + "reading", "oinp.assess.section.language"},
	{assessLanguage + "writing", "oinp.assess.section.language"},
	{assessLanguage + "speaking", "oinp.assess.section.language"},
	{assessEd + "level", "oinp.assess.section.education"},
	{assessEd + "country", "oinp.assess.section.education"},
	{assessEd + "completed", "oinp.assess.section.education"},
	{"eca.body", "oinp.assess.section.education"},
	{"eca.issued", "oinp.assess.section.education"},
	{"eca.secondaryOrAbove", "oinp.assess.section.education"},
	{"applicant.maritalStatus", "oinp.assess.section.funds"},
	{"funds.availableCents", "oinp.assess.section.funds"},
	{"immigration.inCanada", "oinp.assess.section.status"},
	{"immigration.status", "oinp.assess.section.status"},
	{"immigration.statusExpires", "oinp.assess.section.status"},
	{"immigration.refugeeClaimant", "oinp.assess.section.status"},
}

// assessedRules are the rules the questionnaire covers, each with the
// questions it needs answered to be judged (in the order asked).
var assessedRules = map[string]func(a *Application) []string{
	"offer.full-time": func(*Application) []string {
		return []string{"employer.offer.fullTime", "employer.offer.indeterminate", "employer.offer.seasonal",
			"employer.offer.agencyOrSubcontract", "employer.offer.hoursPerWeek", "employer.offer.hoursPerYear"}
	},
	"offer.noc": func(*Application) []string { return []string{"employer.offer.noc"} },
	"offer.wage": func(*Application) []string {
		return []string{"employer.offer.hourlyWageCents", "employer.offer.medianWageCents"}
	},
	"offer.ontario": func(*Application) []string { return []string{"employer.offer.province"} },
	"applicant.experience": func(a *Application) []string {
		q := []string{assessWork + "noc", assessWork + "from", assessWork + "hoursPerWeek", assessWork + "country"}
		if len(a.Work) == 0 || a.Work[0].Country == "" || a.Work[0].Country == "CA" {
			q = append(q, assessWork+"province")
		}
		return append(q, assessWork+"paid", assessWork+"authorised")
	},
	"applicant.language": func(*Application) []string {
		return []string{assessLanguage + "test", assessLanguage + "taken", assessLanguage + "listening",
			assessLanguage + "reading", assessLanguage + "writing", assessLanguage + "speaking"}
	},
	"applicant.education": func(a *Application) []string {
		q := []string{assessEd + "level", assessEd + "country", assessEd + "completed"}
		if len(a.Education) > 0 && a.Education[0].Country != "" && !a.Education[0].Canadian() {
			// Foreign studies need an assessment of them (§2.2.4).
			q = append(q, "eca.body", "eca.issued", "eca.secondaryOrAbove")
		}
		return q
	},
	"applicant.funds": func(*Application) []string { return []string{"funds.availableCents"} },
	"applicant.status": func(a *Application) []string {
		q := []string{"immigration.inCanada"}
		if a.Immigration.InCanada != No {
			q = append(q, "immigration.status", "immigration.statusExpires")
		}
		return q
	},
}

// wholeAnswers are the rules that read an unanswered question of theirs
// as a value (a score or a number of hours of 0): on an application, a
// line half filled fails them; in the questionnaire, they are judged only
// once every question of theirs is answered.
var wholeAnswers = map[string]bool{"applicant.language": true, "applicant.experience": true}

// SelfAssessment is the verdict on the questionnaire's answers: the
// results of the rules it covers, the questions still to answer for the
// rules it cannot judge yet, and the rules checked later on the
// application.
type SelfAssessment struct {
	On      domain.Date
	Results []Result
	// Missing are the paths of the questions still unanswered that a rule
	// not yet known needs, in the order asked ("we need: …").
	Missing []string
	// Later are the rules the questionnaire does not cover, in the
	// guide's order.
	Later []string
}

// Verdict is the verdict on the rules the questionnaire covers.
func (s SelfAssessment) Verdict() Verdict {
	return EligibilityReport{Results: s.Results}.Verdict()
}

// VerdictKey is the catalog key of the verdict's sentence.
func (s SelfAssessment) VerdictKey() string { return "oinp.assess.verdict." + string(s.Verdict()) }

// Assess judges the questionnaire's answers on day on, with Evaluate.
func Assess(answers *Application, on domain.Date, t Tables) SelfAssessment {
	rep := Evaluate(answers, on, t)
	have := Fields(answers)
	out := SelfAssessment{On: on}
	need := map[string]bool{}
	for _, r := range rep.Results {
		ask, covered := assessedRules[r.Rule]
		if !covered {
			out.Later = append(out.Later, r.Rule)
			continue
		}
		questions := ask(answers)
		answered := func(p string) bool { _, ok := have[p]; return ok }
		switch {
		case !slices.ContainsFunc(questions, answered):
			// None of its questions answered: the rule cannot be judged
			// from the questionnaire (the application's rule finds no
			// work experience where none is entered yet).
			r.Outcome, r.Key, r.Args = Unknown, "oinp.assess.unanswered", nil
		case wholeAnswers[r.Rule] && !allOf(questions, answered):
			r.Outcome, r.Key, r.Args = Unknown, "oinp.assess.incomplete", nil
		}
		out.Results = append(out.Results, r)
		if r.Outcome != Unknown {
			continue
		}
		for _, p := range questions {
			if _, ok := have[p]; !ok {
				need[p] = true
			}
		}
	}
	for _, q := range AssessmentQuestions {
		if need[q.Path] {
			out.Missing = append(out.Missing, q.Path)
		}
	}
	return out
}

// AssessmentAnswers keeps of an application only what the questionnaire
// asks: the answers it starts from when an applicant who has an
// application opens it.
func AssessmentAnswers(a *Application) Application {
	var out Application
	o := a.Employer.Offer
	out.Employer.Offer = JobOffer{NOC: o.NOC, Province: o.Province, FullTime: o.FullTime, Permanent: o.Permanent,
		Seasonal: o.Seasonal, Agency: o.Agency, HoursPerWeek: o.HoursPerWeek, HoursPerYear: o.HoursPerYear,
		WageCents: o.WageCents, MedianCents: o.MedianCents}
	if len(a.Work) > 0 {
		w := a.Work[0]
		out.Work = []Work{{ID: w.ID, NOC: w.NOC, From: w.From, To: w.To, HoursPerWeek: w.HoursPerWeek,
			Country: w.Country, Province: w.Province, Paid: w.Paid, Authorised: w.Authorised}}
	}
	if len(a.Language) > 0 {
		l := a.Language[0]
		out.Language = []LanguageTest{{ID: l.ID, Test: l.Test, Taken: l.Taken, Listening: l.Listening,
			Reading: l.Reading, Writing: l.Writing, Speaking: l.Speaking}}
	}
	if len(a.Education) > 0 {
		e := a.Education[0]
		out.Education = []Education{{ID: e.ID, Level: e.Level, Country: e.Country, Completed: e.Completed}}
	}
	out.ECA = ECA{Body: a.ECA.Body, Issued: a.ECA.Issued, Secondary: a.ECA.Secondary}
	out.Applicant.Marital = a.Applicant.Marital
	out.Funds.AvailableCents = a.Funds.AvailableCents
	im := a.Immigration
	out.Immigration = Immigration{InCanada: im.InCanada, Status: im.Status, StatusExpires: im.StatusExpires,
		Refugee: im.Refugee}
	return out
}

// Prefill writes the questionnaire's answers into an application, only
// the questions asked and only those answered. A field the application
// already holds with another value is a conflict: it is listed (by path)
// and replaced only when replace is set. The questionnaire's line of work,
// language test or education is added when the application has no such
// line; when it has others, adding it is a conflict too (added, never in
// place of one, when replace is set).
func Prefill(app *Application, answers *Application, replace bool) (conflicts []string, err error) {
	ans := Fields(answers)
	cur := Fields(app)
	var tree map[string]any
	b, err := json.Marshal(app)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	lines := map[string]bool{}
	for _, q := range AssessmentQuestions {
		v, ok := ans[q.Path]
		if !ok {
			continue
		}
		if list, _, isLine := strings.Cut(q.Path, "[0]."); isLine && list != q.Path {
			lines[list] = true
			continue
		}
		if was, held := cur[q.Path]; held && was != v {
			conflicts = append(conflicts, q.Path)
			if !replace {
				continue
			}
		}
		setPath(tree, q.Path, answerValue(answers, q.Path))
	}
	out := *app
	b, _ = json.Marshal(tree)
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	add := func(list string, has int, same bool, appendLine func()) {
		if !lines[list] || same {
			return
		}
		if has > 0 {
			conflicts = append(conflicts, list)
			if !replace {
				return
			}
		}
		appendLine()
	}
	if len(answers.Work) > 0 {
		w := answers.Work[0]
		add("work", len(out.Work), slices.ContainsFunc(out.Work, func(x Work) bool { x.ID = w.ID; return x == w }),
			func() { out.Work = append(out.Work, w) })
	}
	if len(answers.Language) > 0 {
		l := answers.Language[0]
		add("language", len(out.Language), slices.ContainsFunc(out.Language, func(x LanguageTest) bool { x.ID = l.ID; return x == l }),
			func() { out.Language = append(out.Language, l) })
	}
	if len(answers.Education) > 0 {
		e := answers.Education[0]
		add("education", len(out.Education), slices.ContainsFunc(out.Education, func(x Education) bool { x.ID = e.ID; return x == e }),
			func() { out.Education = append(out.Education, e) })
	}
	*app = out
	return conflicts, nil
}

// answerValue is the answer at path as its JSON value.
func answerValue(a *Application, path string) any {
	var tree map[string]any
	b, _ := json.Marshal(a)
	json.Unmarshal(b, &tree)
	var v any = tree
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

// setPath sets the value at a dotted path of a JSON tree, making the
// objects on the way.
func setPath(tree map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	m := tree
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// allOf reports whether every x of xs is ok.
func allOf(xs []string, ok func(string) bool) bool {
	for _, x := range xs {
		if !ok(x) {
			return false
		}
	}
	return true
}

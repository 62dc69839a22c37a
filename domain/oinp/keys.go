package oinp

// ruleSays lists, for each rule, the explanations it may give: the key
// suffixes after "oinp.rule.ID." (a test holds Evaluate to this list, and
// the catalog test holds the catalog to it).
var ruleSays = map[string][]string{
	"offer.full-time": {"pass", "unknown", "fail.part-time", "fail.temporary", "fail.seasonal", "fail.agency",
		"fail.hours-week", "fail.hours-year"},
	"offer.noc":          {"pass", "unknown", "fail"},
	"offer.wage":         {"pass", "unknown", "fail.median", "fail.current"},
	"offer.ontario":      {"pass", "unknown", "fail"},
	"offer.restrictions": {"pass", "unknown", "fail.dispute", "fail.equity", "fail.equity-share"},
	"offer.letter": {"pass", "unknown", "unknown.ongoing", "fail.unsigned-applicant", "fail.unsigned-employer",
		"fail.future", "fail.old", "fail.ongoing"},
	"offer.necessary":      {"pass", "unknown", "fail.aligns", "fail.needed"},
	"applicant.experience": {"pass", "unknown.noc", "unknown.answers", "fail"},
	"applicant.licence":    {"pass", "unknown", "fail"},
	"applicant.language":   {"pass", "unknown", "fail.version", "fail.future", "fail.expired", "fail.score"},
	"applicant.education":  {"pass", "unknown", "fail.eca-missing", "fail.eca-body", "fail.eca-old", "fail.eca-level"},
	"applicant.funds":      {"pass", "unknown", "fail"},
	"applicant.intent":     {"pass", "unknown"},
	"applicant.status":     {"pass", "unknown", "fail.refugee", "fail.none", "fail.expired"},
	"employer.active":      {"pass", "unknown", "fail"},
	"employer.premises":    {"pass", "unknown", "fail"},
	"employer.compliance":  {"pass", "unknown", "fail"},
	"employer.size": {"pass", "unknown", "unknown.place", "unknown.place-unknown", "unknown.place-ambiguous",
		"unknown.fiscal-year", "fail.fiscal-open", "fail.fiscal-old",
		"fail.revenue-gta", "fail.staff-gta", "fail.revenue-outside", "fail.staff-outside"},
	"employer.recruitment": {"pass", "unknown", "fail"},
	"employer.form":        {"pass", "unknown", "fail", "fail.future"},
}

// MessageKeys lists every catalog key the rules use: each rule's title,
// each explanation it may give, and the names of the skills.
func MessageKeys() []string {
	var keys []string
	for _, id := range RuleIDs() {
		keys = append(keys, "oinp.rule."+id)
		for _, s := range ruleSays[id] {
			keys = append(keys, "oinp.rule."+id+"."+s)
		}
	}
	for s := Listening; s < numSkills; s++ {
		keys = append(keys, skillName(s).MessageKey())
	}
	return keys
}

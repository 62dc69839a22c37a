package oinp

import (
	"slices"

	"dossier/domain"
)

// Periods the history must account for (§4.2.9): the last ten years, or
// the years since the applicant turned 18 when that is less. A stretch of
// up to MaxGapDays uncovered days is not a gap (the days between two jobs).
const (
	HistoryYears = 10
	AdultAge     = 18
	MaxGapDays   = 30
)

// Gap is a stretch of time no education, work or other activity covers.
type Gap struct{ From, To domain.Date }

// Gaps finds the stretches of the history period (up to the day judged
// on) that education, work history and other activities leave uncovered,
// longer than MaxGapDays. Ongoing work runs to the day judged on.
func Gaps(a *Application, on domain.Date) []Gap {
	start := on.AddYears(-HistoryYears)
	if b := a.Applicant.BirthDate; !b.IsZero() && start.Before(b.AddYears(AdultAge)) {
		start = b.AddYears(AdultAge)
	}
	if !start.Before(on) {
		return nil
	}
	type span struct{ from, to int32 }
	var spans []span
	add := func(from, to domain.Date) {
		if from.IsZero() {
			return
		}
		if to.IsZero() || on.Before(to) {
			to = on
		}
		spans = append(spans, span{from.Days(), to.Days()})
	}
	for _, e := range a.Education {
		to := e.To
		if to.IsZero() {
			to = e.Completed
		}
		add(e.From, to)
	}
	for _, w := range a.Work {
		add(w.From, w.To)
	}
	for _, x := range a.Activities {
		add(x.From, x.To)
	}
	slices.SortFunc(spans, func(x, y span) int { return int(x.from - y.from) })
	var gaps []Gap
	covered := start.Days() - 1 // the last day covered so far
	end := on.Days()
	report := func(from, to int32) {
		if to-from+1 > MaxGapDays {
			gaps = append(gaps, Gap{domain.DateFromDays(from), domain.DateFromDays(to)})
		}
	}
	for _, s := range spans {
		if s.from > covered+1 {
			report(covered+1, min(s.from-1, end))
		}
		covered = max(covered, s.to)
		if covered >= end {
			break
		}
	}
	if covered < end {
		report(covered+1, end)
	}
	return gaps
}

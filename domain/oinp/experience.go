package oinp

import (
	"dossier/domain"
)

// Experience is the applicant's qualifying work experience (§2.2.1): paid,
// authorised work in Ontario in the offer's NOC, in the three years before
// the date judged on.
type Experience struct {
	// FullTimeHours are the hours counted of the weeks worked full time:
	// at least 30 hours in one job, or in concurrent jobs together. A
	// week counts at most 30 hours (MaxCountedHoursPerWeek), so 1,560
	// hours are at least 52 weeks: a year of work, as the guide asks.
	FullTimeHours float64
	// PartTimeHours are the hours counted, in the best two-year stretch,
	// of the weeks with at least 15 hours in one job (or 30 in all), a
	// week again counting at most 30 hours.
	PartTimeHours float64
}

// Qualifies reports whether the experience makes a year: 1,560 hours of
// full-time weeks, or 1,560 hours of part-time weeks within two years.
// Because no week counts more than 30 hours, neither is reached in less
// than 52 weeks of work.
func (x Experience) Qualifies() bool {
	const eps = 1e-6
	return x.FullTimeHours+eps >= MinHoursPerYear || x.PartTimeHours+eps >= MinHoursPerYear
}

// WorkExperience measures the experience in noc from the work history, day
// by day over the three years before on (on itself excluded). A day counts
// the jobs going on that day: overlapping lines for the same employer are
// one job (the higher hours), different employers are concurrent jobs
// (their hours add up, but a day counts once in time: never more than a
// seventh of MaxCountedHoursPerWeek, however many jobs fill it). Days with
// no qualifying job (gaps) count nothing; the year is cumulative. strict counts only lines answered "paid" and
// "authorised"; otherwise unanswered ones count too (to tell "not yet
// known" from "fails").
func WorkExperience(work []Work, noc string, on domain.Date, strict bool) Experience {
	start := on.AddYears(-ExperienceWindowYears)
	first, last := start.Days(), on.Days()-1
	n := int(last - first + 1)
	if n <= 0 || noc == "" {
		return Experience{}
	}
	type job struct {
		from, to int32
		hours    float64
		employer string
	}
	var jobs []job
	for _, w := range work {
		if w.NOC != noc || !w.InOntario() || w.From.IsZero() || w.HoursPerWeek <= 0 {
			continue
		}
		if !counts(w.Paid, strict) || !counts(w.Authorised, strict) {
			continue
		}
		if w.LicenceNeeded == Yes && !counts(w.LicenceHeld, strict) {
			continue
		}
		to := last
		if !w.To.IsZero() && w.To.Days() < to {
			to = w.To.Days()
		}
		jobs = append(jobs, job{w.From.Days(), to, w.HoursPerWeek, domain.FoldName(w.Employer)})
	}
	fullTime := 0.0
	partTime := make([]float64, n) // hours of each part-time (or better) day
	byEmployer := map[string]float64{}
	for i := 0; i < n; i++ {
		day := first + int32(i)
		clear(byEmployer)
		for _, j := range jobs {
			if j.from <= day && day <= j.to && j.hours > byEmployer[j.employer] {
				byEmployer[j.employer] = j.hours
			}
		}
		single, total := 0.0, 0.0
		for _, h := range byEmployer {
			single = max(single, h)
			total += h
		}
		counted := min(total, MaxCountedHoursPerWeek) / 7
		if total >= MinHoursPerWeek {
			fullTime += counted
		}
		if single >= MinPartTimeHoursPerWeek || total >= MinHoursPerWeek {
			partTime[i] = counted
		}
	}
	// The best two years of part-time days: a sliding window.
	const twoYears = 730
	best, sum := 0.0, 0.0
	for i := range partTime {
		sum += partTime[i]
		if i >= twoYears {
			sum -= partTime[i-twoYears]
		}
		best = max(best, sum)
	}
	return Experience{FullTimeHours: fullTime, PartTimeHours: best}
}

func counts(a YesNo, strict bool) bool { return a == Yes || !strict && a == Unanswered }

package oinp

import "testing"

// job is a qualifying Ontario job in NOC 8431.
func job(employer string, from, to [3]int, hours float64) Work {
	w := Work{Employer: employer, NOC: "8431", From: date(from[0], from[1], from[2]), HoursPerWeek: hours,
		Country: "CA", Province: "ON", Paid: Yes, Authorised: Yes}
	if to != [3]int{} {
		w.To = date(to[0], to[1], to[2])
	}
	return w
}

func TestWorkExperience(t *testing.T) {
	cases := []struct {
		name string
		work []Work
		want bool
	}{
		{"a year full time (52 weeks at 30 h)", []Work{job("A", [3]int{2025, 1, 1}, [3]int{2025, 12, 30}, 30)}, true},
		{"a day short of 52 weeks at 30 h", []Work{job("A", [3]int{2025, 1, 1}, [3]int{2025, 12, 29}, 30)}, false},
		{"part time 15 h a week over two years", []Work{job("A", [3]int{2024, 11, 21}, [3]int{2026, 11, 20}, 15)}, true},
		{"part time 14.5 h a week over two years", []Work{job("A", [3]int{2024, 11, 21}, [3]int{2026, 11, 20}, 14.5)}, false},
		{"part time 15 h a week, a week short of two years", []Work{job("A", [3]int{2024, 11, 28}, [3]int{2026, 11, 20}, 15)}, false},
		{"two concurrent jobs of 15 h for a year", []Work{
			job("A", [3]int{2025, 1, 1}, [3]int{2025, 12, 31}, 15), job("B", [3]int{2025, 1, 1}, [3]int{2025, 12, 31}, 15)}, true},
		{"the same job listed twice does not double", []Work{
			job("A", [3]int{2025, 6, 1}, [3]int{2025, 12, 31}, 30), job("A", [3]int{2025, 6, 1}, [3]int{2025, 12, 31}, 30)}, false},
		{"experience before the three years does not count", []Work{job("A", [3]int{2019, 1, 1}, [3]int{2023, 11, 20}, 40)}, false},
		{"split years add up", []Work{
			job("A", [3]int{2024, 1, 1}, [3]int{2024, 6, 30}, 35), job("B", [3]int{2025, 3, 1}, [3]int{2025, 9, 30}, 35)}, true},
		{"another NOC does not count", []Work{func() Work {
			w := job("A", [3]int{2024, 1, 1}, [3]int{}, 40)
			w.NOC = "7611"
			return w
		}()}, false},
		{"outside Ontario does not count", []Work{func() Work {
			w := job("A", [3]int{2024, 1, 1}, [3]int{}, 40)
			w.Province = "BC"
			return w
		}()}, false},
		{"unpaid does not count", []Work{func() Work {
			w := job("A", [3]int{2024, 1, 1}, [3]int{}, 40)
			w.Paid = No
			return w
		}()}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := WorkExperience(c.work, "8431", submission, true)
			if x.Qualifies() != c.want {
				t.Fatalf("full-time %.1f h, part-time %.1f h: qualifies %v", x.FullTimeHours, x.PartTimeHours, x.Qualifies())
			}
		})
	}
}

func TestExperienceUnknownUntilAnswered(t *testing.T) {
	a := eligible()
	a.Work[0].Authorised = Unanswered
	r, _ := find(Evaluate(a, submission, shippedTables()), "applicant.experience")
	if r.Outcome != Unknown || r.Key != "oinp.rule.applicant.experience.unknown.answers" {
		t.Fatalf("%s %s", r.Outcome, r.Key)
	}
}

func TestCLBCharts(t *testing.T) {
	for _, c := range []struct {
		test  LanguageTestKind
		skill Skill
		score float64
		want  int
	}{
		{IELTS, Listening, 4.5, 4}, {IELTS, Listening, 4.0, 0}, {IELTS, Reading, 3.5, 4}, {IELTS, Reading, 3.0, 0},
		{IELTS, Reading, 8.0, 10}, {IELTS, Writing, 7.0, 9}, {IELTS, Speaking, 9, 10},
		{CELPIP, Speaking, 4, 4}, {CELPIP, Speaking, 3, 0}, {CELPIP, Reading, 12, 10},
		{TEF, Writing, 181, 4}, {TEF, Writing, 180, 0}, {TEF, Listening, 145, 4}, {TEF, Reading, 121, 4},
		{TEF, Reading, 262, 9}, {TEF, Reading, 263, 10}, {TEF, Listening, 315, 9},
	} {
		if got := CLB(c.test, c.skill, c.score); got != c.want {
			t.Errorf("%s %s %v: CLB %d, want %d", c.test, c.skill.Code(), c.score, got, c.want)
		}
	}
}

func TestFileNumber(t *testing.T) {
	for in, ok := range map[string]bool{"JOID-1234567": true, " joid-1234567 ": true, "JOID-123456": false,
		"JOID-12345678": false, "JOID-12a4567": false, "EOI-1234567": false, "": false} {
		if _, err := ParseFileNumber(in); (err == nil) != ok {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// TestExperienceIsAYear holds the experience criterion to a year of work,
// not to a count of hours. The guide (§2.2.1): "You must be able to
// demonstrate that you have at least one year of cumulative work experience
// in Ontario obtained within the three years immediately preceding the date
// of application submission", and "Full-time experience means at least 30
// hours of work over a period of one week in one job and consists of at
// least 1,560 hours of paid employment in one year. Part-time equivalent
// experience means: at least 15 hours of work over a period of one week in
// one job and consists of at least 1,560 hours of paid employment in two
// years, or at least 30 hours of work over a period of one week in multiple
// concurrent jobs and consists of at least 1,560 hours of paid employment in
// one year." The definition is IRCC's, whose convention is that hours beyond
// 30 in a week do not count: long weeks do not shorten the year.
func TestExperienceIsAYear(t *testing.T) {
	d := func(y, m, day int) [3]int { return [3]int{y, m, day} }
	cases := []struct {
		name string
		work []Work
		want bool
	}{
		{"52 weeks at 30 h", []Work{job("A", d(2025, 1, 1), d(2025, 12, 30), 30)}, true},
		{"51 weeks and 6 days at 30 h", []Work{job("A", d(2025, 1, 1), d(2025, 12, 29), 30)}, false},
		{"26 weeks at 60 h is half a year", []Work{job("A", d(2025, 1, 1), d(2025, 7, 1), 60)}, false},
		{"ten months at 40 h", []Work{job("A", d(2025, 1, 1), d(2025, 10, 31), 40)}, false},
		{"51 weeks at 60 h", []Work{job("A", d(2025, 1, 1), d(2025, 12, 23), 60)}, false},
		{"52 weeks at 45 h", []Work{job("A", d(2025, 1, 1), d(2025, 12, 30), 45)}, true},
		{"two full-time jobs at once for 26 weeks count once in time", []Work{
			job("A", d(2025, 1, 1), d(2025, 7, 1), 30), job("B", d(2025, 1, 1), d(2025, 7, 1), 30)}, false},
		{"two concurrent jobs of 30 h and 20 h for 52 weeks", []Work{
			job("A", d(2025, 1, 1), d(2025, 12, 30), 30), job("B", d(2025, 1, 1), d(2025, 12, 30), 20)}, true},
		{"overlapping lines of one job count their union", []Work{
			job("A", d(2025, 1, 1), d(2025, 8, 31), 30), job("A", d(2025, 6, 1), d(2025, 12, 30), 30)}, true},
		{"overlapping lines of one job, a day short", []Work{
			job("A", d(2025, 1, 1), d(2025, 8, 31), 30), job("A", d(2025, 6, 1), d(2025, 12, 29), 30)}, false},
		{"26 weeks, a gap, 26 weeks", []Work{
			job("A", d(2024, 1, 1), d(2024, 6, 30), 30), job("B", d(2025, 3, 1), d(2025, 8, 29), 30)}, true},
		{"26 weeks, a gap, 26 weeks less a day", []Work{
			job("A", d(2024, 1, 1), d(2024, 6, 30), 30), job("B", d(2025, 3, 1), d(2025, 8, 28), 30)}, false},
		{"part time 20 h for 78 weeks", []Work{job("A", d(2025, 1, 1), d(2026, 6, 30), 20)}, true},
		{"part time 20 h for 77 weeks", []Work{job("A", d(2025, 1, 1), d(2026, 6, 23), 20)}, false},
		{"part time 15 h over all three years", []Work{job("A", d(2023, 11, 21), d(2026, 11, 20), 15)}, true},
		{"two jobs of 12 h (none of 15, not 30 together) over three years", []Work{
			job("A", d(2023, 11, 21), d(2026, 11, 20), 12), job("B", d(2023, 11, 21), d(2026, 11, 20), 12)}, false},
		{"26 weeks full time and 52 weeks part time at 15 h in two years", []Work{
			job("A", d(2025, 1, 1), d(2025, 7, 1), 40), job("B", d(2025, 7, 2), d(2026, 6, 30), 15)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := WorkExperience(c.work, "8431", submission, true)
			if x.Qualifies() != c.want {
				t.Fatalf("full-time %.1f h, part-time %.1f h: qualifies %v, want %v", x.FullTimeHours, x.PartTimeHours, x.Qualifies(), c.want)
			}
		})
	}
}

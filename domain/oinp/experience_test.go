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

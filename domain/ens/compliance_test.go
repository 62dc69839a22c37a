package ens

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
)

func TestComplianceYearOf(t *testing.T) {
	toronto := time.FixedZone("EDT", -4*3600)
	tests := []struct {
		name string
		now  time.Time
		year int
		open bool
	}{
		{"the day before", time.Date(2026, 10, 14, 23, 59, 59, 0, time.UTC), 2026, false},
		{"the day itself", time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC), 2026, true},
		{"December", time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), 2026, true},
		{"January: the next year's list is not made", time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), 2027, false},
		{"by the local calendar", time.Date(2026, 10, 15, 0, 30, 0, 0, toronto), 2026, true},
	}
	for _, tt := range tests {
		y, open := ComplianceYearOf(tt.now)
		if y != tt.year || open != tt.open {
			t.Errorf("%s: %d %v, want %d %v", tt.name, y, open, tt.year, tt.open)
		}
	}
}

// TestReportAmendments: the submitted lists stay; Current applies the
// amendments in order, keeping the number of students.
func TestReportAmendments(t *testing.T) {
	school := domain.ID{1}
	now := time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC)
	var reqs []Request
	for i, st := range []Status{Eligible, Eligible, Ineligible, InProgress} {
		reqs = append(reqs, Request{ID: domain.ID{2, byte(i)}, Type: AC, Status: st, School: school, ComplianceYear: 2026,
			Student: Student{FamilyName: string(rune('A' + i))}, Reason: "r"})
	}
	if _, err := NewComplianceReport(domain.ID{9}, school, "ON", 2026, reqs, domain.ID{3}, now); !errors.Is(err, ErrComplianceUnmarked) {
		t.Fatalf("unmarked: %v", err)
	}
	reqs[3].Status = Eligible
	rep, err := NewComplianceReport(domain.ID{9}, school, "ON", 2026, reqs, domain.ID{3}, now)
	if err != nil || rep.Eligible != 3 || rep.IneligibleCount != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	students := map[domain.ID]Request{}
	for _, r := range reqs {
		students[r.ID] = r
	}
	tests := []struct {
		name    string
		changes []EligibilityChange
		reason  string
		want    error
	}{
		{"no reason", []EligibilityChange{{Request: reqs[0].ID, Reason: "x"}}, " ", ErrReasonRequired},
		{"no change listed", nil, "fix", ErrAmendmentEmpty},
		{"an unknown student", []EligibilityChange{{Request: domain.ID{7}, Eligible: true}}, "fix", ErrAmendmentStudent},
		{"twice the same student", []EligibilityChange{{Request: reqs[0].ID, Reason: "x"}, {Request: reqs[0].ID, Reason: "y"}}, "fix", ErrAmendmentStudent},
		{"eligible already", []EligibilityChange{{Request: reqs[0].ID, Eligible: true}}, "fix", ErrAmendmentNoChange},
		{"ineligible without a reason", []EligibilityChange{{Request: reqs[0].ID}}, "fix", ErrReasonRequired},
		{"the same reason", []EligibilityChange{{Request: reqs[2].ID, Reason: "r"}}, "fix", ErrAmendmentNoChange},
	}
	for _, tt := range tests {
		if _, err := rep.Amend(tt.changes, tt.reason, students, domain.ID{3}, now); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	one, err := rep.Amend([]EligibilityChange{{Request: reqs[0].ID, Reason: "left"}, {Request: reqs[2].ID, Eligible: true}}, "fix", students, domain.ID{3}, now)
	if err != nil {
		t.Fatal(err)
	}
	two, err := one.Amend([]EligibilityChange{{Request: reqs[1].ID, Reason: "exchange"}}, "late news", students, domain.ID{3}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Amendments) != 0 || len(one.Amendments) != 1 || len(two.Amendments) != 2 || two.Amendments[1].Number != 2 {
		t.Fatalf("amendments %d %d %d", len(rep.Amendments), len(one.Amendments), len(two.Amendments))
	}
	full := two
	full.Amendments = make([]Amendment, MaxAmendments)
	if _, err := full.Amend([]EligibilityChange{{Request: reqs[1].ID, Eligible: true}}, "again", students, domain.ID{3},
		now); !errors.Is(err, domain.ErrListTooLong) {
		t.Fatalf("an amendment past MaxAmendments: %v", err)
	}
	list, eligible, ineligible := two.Current()
	if eligible != 2 || ineligible != 2 || list[0].Request != reqs[0].ID || list[1].Request != reqs[1].ID ||
		list[0].FamilyName != "A" || len(two.Ineligible) != 1 || two.Ineligible[0].Request != reqs[2].ID {
		t.Fatalf("current %+v %d %d; submitted %+v", list, eligible, ineligible, two.Ineligible)
	}
}

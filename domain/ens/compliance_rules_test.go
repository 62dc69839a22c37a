package ens

import (
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// The dates of the tests: a year's list is drawn up on 15 October.
var (
	beforeList = time.Date(2026, 10, 14, 18, 0, 0, 0, time.UTC)
	listDay    = time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	november   = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	nextSpring = time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)
)

var (
	schoolA    = domain.ID{0xa1}
	schoolB    = domain.ID{0xb1}
	dirA       = account.Actor{Account: domain.ID{0xd1}, Role: account.DIR, Org: schoolA}
	signA      = account.Actor{Account: domain.ID{0xd2}, Role: account.Signatory, Org: schoolA}
	dirB       = account.Actor{Account: domain.ID{0xd3}, Role: account.DIR, Org: schoolB}
	coordON    = account.Actor{Account: domain.ID{0xc1}, Role: account.Coordinator, Org: ProvinceID("ON")}
	coordQC    = account.Actor{Account: domain.ID{0xc2}, Role: account.Coordinator, Org: ProvinceID("QC")}
	officer    = account.Actor{Account: domain.ID{0xe1}, Role: account.ProgramOfficer}
	aStudent   = account.Actor{Account: domain.ID{0xf1}, Role: account.Student}
	theProgram = account.SystemActor
)

// acList is school A's list of 2026: the statuses given, in order.
func acList(statuses ...Status) []Request {
	var out []Request
	for i, st := range statuses {
		r := Request{ID: domain.ID{0x20, byte(i)}, Type: AC, Status: st, School: schoolA, ComplianceYear: 2026,
			Student: Student{GivenNames: "G", FamilyName: string(rune('A' + i))}}
		if st == Ineligible {
			r.Reason = "Left full-time studies"
		}
		out = append(out, r)
	}
	return out
}

func TestCheckReportYear(t *testing.T) {
	halifax := time.FixedZone("ADT", -3*3600)
	tests := []struct {
		name string
		year int
		now  time.Time
		want error
	}{
		{"this year, from 15 October", 2026, listDay, nil},
		{"this year, in November", 2026, november, nil},
		{"last year, the next spring", 2026, nextSpring, nil},
		{"an earlier year", 2019, november, nil},
		{"this year, before 15 October", 2026, beforeList, ErrComplianceYear},
		{"this year, before 15 October by the local calendar", 2026, time.Date(2026, 10, 14, 23, 0, 0, 0, halifax), ErrComplianceYear},
		{"next year", 2027, november, ErrComplianceYear},
		{"next year, before its list", 2027, nextSpring, ErrComplianceYear},
		{"far ahead", 2099, november, ErrComplianceYear},
		{"before the program", 1999, november, ErrComplianceYear},
		{"no year", 0, november, ErrComplianceYear},
	}
	for _, tt := range tests {
		if err := CheckReportYear(tt.year, tt.now); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestComplianceMark(t *testing.T) {
	tests := []struct {
		name     string
		eligible bool
		reason   string
		want     Action
	}{
		{"eligible drops the reason", true, "ignored", Action{Function: MarkEligible}},
		{"ineligible keeps it", false, "Exchange student", Action{Function: MarkIneligible, Reason: "Exchange student"}},
		{"ineligible without one (Apply refuses)", false, "", Action{Function: MarkIneligible}},
	}
	for _, tt := range tests {
		if got := ComplianceMark(tt.eligible, tt.reason); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	r := acList(New)[0]
	if _, err := Apply(r, ComplianceMark(false, "  "), dirA, november); !errors.Is(err, ErrReasonRequired) {
		t.Errorf("ineligible without a reason: %v", err)
	}
	if _, err := Apply(r, ComplianceMark(true, ""), dirB, november); !errors.Is(err, ErrOtherSchool) {
		t.Errorf("another school's request: %v", err)
	}
	reported := acList(Reported)[0]
	if _, err := Apply(reported, ComplianceMark(true, ""), dirA, november); !errors.Is(err, ErrNotInStatus) {
		t.Errorf("a reported request: %v", err)
	}
	next, err := Apply(r, ComplianceMark(false, "Exchange student"), signA, november)
	if err != nil || next.Status != Ineligible || next.Reason != "Exchange student" || !next.Marked() {
		t.Errorf("marked ineligible: %+v %v", next, err)
	}
}

func TestSubmitComplianceReport(t *testing.T) {
	marked := acList(Eligible, Ineligible, Eligible)
	tests := []struct {
		name      string
		by        account.Actor
		school    domain.ID
		year      int
		submitted bool
		list      []Request
		now       time.Time
		want      error
	}{
		{"a signatory", signA, schoolA, 2026, false, marked, november, account.ErrForbidden},
		{"a coordinator", coordON, schoolA, 2026, false, marked, november, account.ErrForbidden},
		{"the program", officer, schoolA, 2026, false, marked, november, account.ErrForbidden},
		{"a student", aStudent, schoolA, 2026, false, marked, november, account.ErrForbidden},
		{"another school's DIR", dirB, schoolA, 2026, false, marked, november, account.ErrOtherOrganisation},
		{"before the list is drawn up", dirA, schoolA, 2026, false, nil, beforeList, ErrComplianceYear},
		{"next year's", dirA, schoolA, 2027, false, nil, november, ErrComplianceYear},
		{"submitted already", dirA, schoolA, 2026, true, marked, november, ErrComplianceSubmitted},
		{"a student unmarked", dirA, schoolA, 2026, false, acList(Eligible, InProgress, New), november, ErrComplianceUnmarked},
		{"every student marked", dirA, schoolA, 2026, false, marked, november, nil},
		{"last year's, the next spring", dirA, schoolA, 2026, false, marked, nextSpring, nil},
		{"an empty list, once drawn up", dirA, schoolA, 2026, false, nil, november, nil},
	}
	for _, tt := range tests {
		rep, err := SubmitComplianceReport(tt.by, tt.school, "ON", tt.year, tt.submitted, tt.list, tt.now)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			continue
		}
		if may := MaySubmitReport(tt.by, tt.school, tt.year, tt.submitted, tt.now); tt.want != ErrComplianceUnmarked && !errors.Is(may, tt.want) {
			t.Errorf("%s: MaySubmitReport %v, want %v", tt.name, may, tt.want)
		}
		if err != nil {
			continue
		}
		if rep.ID != ComplianceReportID(tt.school, tt.year) || rep.School != schoolA || rep.Province != "ON" ||
			rep.Year != tt.year || !rep.Submitted.Equal(tt.now) || rep.SubmittedBy != tt.by.Account {
			t.Errorf("%s: report %+v", tt.name, rep)
		}
	}
	rep, _ := SubmitComplianceReport(dirA, schoolA, "ON", 2026, false, marked, november)
	if rep.Eligible != 2 || rep.IneligibleCount != 1 || len(rep.Ineligible) != 1 || rep.Ineligible[0].Request != marked[1].ID ||
		rep.Ineligible[0].Reason != "Left full-time studies" {
		t.Errorf("what the report holds: %+v", rep)
	}
	// Requests of another school or year are not the report's.
	others := append(acList(Eligible), Request{ID: domain.ID{0x30}, Type: AC, Status: New, School: schoolB, ComplianceYear: 2026},
		Request{ID: domain.ID{0x31}, Type: AC, Status: New, School: schoolA, ComplianceYear: 2025})
	if rep, err := SubmitComplianceReport(dirA, schoolA, "ON", 2026, false, others, november); err != nil || rep.Eligible != 1 {
		t.Errorf("others' requests counted: %+v %v", rep, err)
	}
	// Submitting moves each marked request to Reported, and only those.
	for _, r := range marked {
		next, err := Apply(r, Action{Function: Report}, dirA, november)
		if err != nil || next.Status != Reported || next.Reason != r.Reason {
			t.Errorf("reported %+v: %v", next, err)
		}
	}
	if _, err := Apply(acList(New)[0], Action{Function: Report}, dirA, november); !errors.Is(err, ErrNotInStatus) {
		t.Errorf("an unmarked request reported: %v", err)
	}
}

func TestAmendComplianceReport(t *testing.T) {
	list := acList(Eligible, Ineligible)
	rep, err := SubmitComplianceReport(dirA, schoolA, "ON", 2026, false, list, november)
	if err != nil {
		t.Fatal(err)
	}
	students := map[domain.ID]Request{list[0].ID: list[0], list[1].ID: list[1]}
	change := []EligibilityChange{{Request: list[0].ID, Reason: "Exchange student"}}
	otherYear := rep
	otherYear.Year = 2025
	tests := []struct {
		name    string
		by      account.Actor
		school  domain.ID
		year    int
		rep     *ComplianceReport
		changes []EligibilityChange
		reason  string
		want    error
	}{
		{"a signatory", signA, schoolA, 2026, &rep, change, "Registrar's correction", account.ErrForbidden},
		{"a coordinator", coordON, schoolA, 2026, &rep, change, "Registrar's correction", account.ErrForbidden},
		{"another school's DIR", dirB, schoolA, 2026, &rep, change, "Registrar's correction", account.ErrOtherOrganisation},
		{"not submitted", dirA, schoolA, 2026, nil, change, "Registrar's correction", ErrComplianceNotReported},
		{"another year's report", dirA, schoolA, 2026, &otherYear, change, "Registrar's correction", ErrComplianceNotReported},
		{"no reason", dirA, schoolA, 2026, &rep, change, "", ErrReasonRequired},
		{"no change", dirA, schoolA, 2026, &rep, nil, "Registrar's correction", ErrAmendmentEmpty},
		{"a student not listed", dirA, schoolA, 2026, &rep, []EligibilityChange{{Request: domain.ID{0x99}, Eligible: true}}, "Registrar's correction", ErrAmendmentStudent},
		{"what the report says already", dirA, schoolA, 2026, &rep, []EligibilityChange{{Request: list[0].ID, Eligible: true}}, "Registrar's correction", ErrAmendmentNoChange},
		{"a student made ineligible", dirA, schoolA, 2026, &rep, change, "Registrar's correction", nil},
	}
	for _, tt := range tests {
		next, err := AmendComplianceReport(tt.by, tt.school, tt.year, tt.rep, tt.changes, tt.reason, students, nextSpring)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			continue
		}
		if err != nil {
			continue
		}
		if len(next.Amendments) != 1 || next.Amendments[0].By != dirA.Account || !next.Amendments[0].At.Equal(nextSpring) ||
			len(rep.Amendments) != 0 || len(next.Ineligible) != 1 {
			t.Errorf("%s: amended %+v (submitted %+v)", tt.name, next, rep)
		}
		if _, eligible, ineligible := next.Current(); eligible != 0 || ineligible != 2 {
			t.Errorf("%s: current %d eligible, %d ineligible", tt.name, eligible, ineligible)
		}
	}
}

// TestComplianceIDs: the records' IDs are stored and sent; they never
// change, and a province's code is read in capitals.
func TestComplianceIDs(t *testing.T) {
	tests := []struct {
		name string
		id   domain.ID
		want string
	}{
		{"a school's report", ComplianceReportID(domain.ID{1, 2, 3}, 2026), "bba72c43ca819642d37cd0365b18f1c5"},
		{"a province", ProvinceID("on"), "fe2bbf2fd719b83712896e052521c452"},
		{"a province's report", ProvincialReportID("QC", 2025), "b9c7333b67fde630551be6f3ab52b430"},
		{"a province's report, in small letters", ProvincialReportID("qc", 2025), "b9c7333b67fde630551be6f3ab52b430"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(tt.id[:]); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	if ComplianceReportID(schoolA, 2026) == ComplianceReportID(schoolA, 2025) || ProvinceID("ON") == ProvincialReportID("ON", 0) {
		t.Error("two records share an ID")
	}
}

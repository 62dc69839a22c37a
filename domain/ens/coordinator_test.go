package ens

import (
	"errors"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

func TestMayReadSchoolCompliance(t *testing.T) {
	tests := []struct {
		name     string
		by       account.Actor
		province string
		want     error
	}{
		{"the school's DIR", dirA, "ON", nil},
		{"the school's signatory", signA, "ON", nil},
		{"its province's coordinator", coordON, "ON", nil},
		{"the program", officer, "ON", nil},
		{"the program's own work", theProgram, "ON", nil},
		{"another school's DIR", dirB, "ON", account.ErrOtherOrganisation},
		{"another province's coordinator", coordQC, "ON", account.ErrOtherOrganisation},
		{"a student", aStudent, "ON", account.ErrForbidden},
		{"an employer", account.Actor{Role: account.EmployerPrimary, Org: schoolA}, "ON", account.ErrForbidden},
	}
	for _, tt := range tests {
		if err := MayReadSchoolCompliance(tt.by, schoolA, tt.province); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestChaseSchool(t *testing.T) {
	tests := []struct {
		name     string
		by       account.Actor
		province string
		year     int
		reported bool
		note     string
		now      time.Time
		want     error
	}{
		{"a DIR", dirA, "ON", 2026, false, "", november, account.ErrForbidden},
		{"the program", officer, "ON", 2026, false, "", november, account.ErrForbidden},
		{"another province's coordinator", coordQC, "ON", 2026, false, "", november, account.ErrOtherOrganisation},
		{"a province in small letters", coordON, "on", 2026, false, "", november, account.ErrOtherOrganisation},
		{"no province", coordON, "", 2026, false, "", november, account.ErrOtherOrganisation},
		{"before the list is drawn up", coordON, "ON", 2026, false, "", beforeList, ErrComplianceYear},
		{"next year's report", coordON, "ON", 2027, false, "", november, ErrComplianceYear},
		{"a school that has reported", coordON, "ON", 2026, true, "", november, ErrComplianceSubmitted},
		{"a note too long", coordON, "ON", 2026, false, strings.Repeat("é", MaxChaseNote+1), november, ErrChaseNote},
		{"a school that has not reported", coordON, "ON", 2026, false, "  Please submit by 30 November.  ", november, nil},
		{"without a note", coordON, "ON", 2026, false, "", november, nil},
		{"last year's, the next spring", coordON, "ON", 2026, false, "", nextSpring, nil},
	}
	for _, tt := range tests {
		ch, err := ChaseSchool(tt.by, domain.ID{0x40}, schoolA, tt.province, tt.year, tt.reported, tt.note, tt.now)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			continue
		}
		if err == nil && (ch.ID != (domain.ID{0x40}) || ch.School != schoolA || ch.Province != "ON" || ch.Year != tt.year ||
			ch.Note != strings.TrimSpace(tt.note) || ch.By != coordON.Account || !ch.At.Equal(tt.now)) {
			t.Errorf("%s: reminder %+v", tt.name, ch)
		}
	}
}

func TestCompile(t *testing.T) {
	boreal := School{ID: domain.ID{0x51}, Name: "Collège Boréal", Code: 1, Province: "ON"}
	cambrian := School{ID: domain.ID{0x52}, Name: "Cambrian College", Code: 2, Province: "ON"}
	levis := School{ID: domain.ID{0x53}, Name: "Cégep de Lévis", Code: 3, Province: "QC"}
	list := []Request{
		{ID: domain.ID{0x61}, Type: AC, Status: Eligible, School: boreal.ID, ComplianceYear: 2026, Student: Student{FamilyName: "Côté"}},
		{ID: domain.ID{0x62}, Type: AC, Status: Ineligible, School: boreal.ID, ComplianceYear: 2026, Student: Student{FamilyName: "Roy"}, Reason: "Left"},
		{ID: domain.ID{0x63}, Type: AC, Status: Eligible, School: boreal.ID, ComplianceYear: 2026, Student: Student{FamilyName: "Gagnon"}},
	}
	dirBoreal := account.Actor{Account: domain.ID{0xd9}, Role: account.DIR, Org: boreal.ID}
	rep, err := SubmitComplianceReport(dirBoreal, boreal.ID, "ON", 2026, false, list, november)
	if err != nil {
		t.Fatal(err)
	}
	rep, err = AmendComplianceReport(dirBoreal, boreal.ID, 2026, &rep, []EligibilityChange{{Request: list[0].ID, Reason: "Exchange"}},
		"Registrar's correction", map[domain.ID]Request{list[0].ID: list[0]}, november.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	lastYear := rep
	lastYear.School, lastYear.Year = cambrian.ID, 2025
	levisRep := ComplianceReport{School: levis.ID, Province: "QC", Year: 2026, Submitted: november, Eligible: 9}
	chases := []ComplianceChase{
		{School: cambrian.ID, Year: 2026, At: november.Add(-48 * time.Hour)},
		{School: cambrian.ID, Year: 2026, At: november.Add(-24 * time.Hour)},
		{School: cambrian.ID, Year: 2025, At: november.Add(-72 * time.Hour)},
		{School: levis.ID, Year: 2026, At: november},
	}
	pc := Compile("ON", 2026, []School{boreal, levis, cambrian}, []ComplianceReport{lastYear, levisRep, rep}, chases, nextSpring)

	if pc.ID != ProvincialReportID("ON", 2026) || pc.Province != "ON" || pc.Year != 2026 || !pc.Compiled.Equal(nextSpring) ||
		!pc.Submitted.IsZero() {
		t.Errorf("compilation %+v", pc)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"schools of the province, by name", len(pc.Schools), 2},
		{"first by name", pc.Schools[0].Name, "Cambrian College"},
		{"reported", pc.Reported, 1},
		{"missing", pc.Missing, 1},
		{"eligible, amendments applied", pc.Eligible, 1},
		{"ineligible, amendments applied", pc.Ineligible, 2},
		{"the missing school is not reported", pc.Schools[0].Reported(), false},
		{"its reminders of the year", pc.Schools[0].Chased, 2},
		{"its last reminder", pc.Schools[0].LastChased, november.Add(-24 * time.Hour)},
		{"the reported school", pc.Schools[1].Reported(), true},
		{"its submission", pc.Schools[1].Submitted, november},
		{"by its DIR", pc.Schools[1].SubmittedBy, dirBoreal.Account},
		{"its amendments", pc.Schools[1].Amendments, 1},
		{"its ineligible students", len(pc.Schools[1].Students), 2},
		{"as amended", pc.Schools[1].Students[1].Reason, "Exchange"},
		{"no reminder", pc.Schools[1].Chased, 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if st := pc.Standing(); len(st) != 2 || st[1].Students != nil || st[1].Ineligible != 2 || pc.Schools[1].Students == nil {
		t.Errorf("standing %+v", st)
	}
	// Two schools of one name come in the order of their IDs, whatever
	// the order read.
	twin := School{ID: domain.ID{0x50}, Name: "Cambrian College", Province: "ON"}
	again := Compile("ON", 2026, []School{cambrian, twin, boreal}, nil, nil, nextSpring)
	if again.Schools[0].School != twin.ID || again.Schools[1].School != cambrian.ID || again.Missing != 3 || again.Reported != 0 {
		t.Errorf("same names: %+v", again.Schools)
	}
	if none := Compile("NU", 2026, []School{boreal}, []ComplianceReport{rep}, nil, nextSpring); len(none.Schools) != 0 || none.Schools == nil {
		t.Errorf("a province without schools: %+v", none)
	}
}

func TestSubmitCompilation(t *testing.T) {
	tests := []struct {
		name      string
		by        account.Actor
		province  string
		year      int
		submitted bool
		now       time.Time
		want      error
	}{
		{"a DIR", dirA, "ON", 2026, false, november, account.ErrForbidden},
		{"the program", officer, "ON", 2026, false, november, account.ErrForbidden},
		{"another province's coordinator", coordQC, "ON", 2026, false, november, account.ErrOtherOrganisation},
		{"a province in small letters", coordON, "on", 2026, false, november, account.ErrOtherOrganisation},
		{"before the list is drawn up", coordON, "ON", 2026, false, beforeList, ErrComplianceYear},
		{"next year's", coordON, "ON", 2027, false, november, ErrComplianceYear},
		{"submitted already", coordON, "ON", 2026, true, november, ErrProvinceSubmitted},
		{"the province's own coordinator", coordON, "ON", 2026, false, november, nil},
		{"last year's, the next spring", coordON, "ON", 2026, false, nextSpring, nil},
	}
	for _, tt := range tests {
		pc := Compile(tt.province, tt.year, nil, nil, nil, tt.now)
		got, err := SubmitCompilation(tt.by, pc, tt.submitted, tt.now)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			continue
		}
		if may := MaySubmitCompilation(tt.by, tt.province, tt.year, tt.submitted, tt.now); !errors.Is(may, tt.want) {
			t.Errorf("%s: MaySubmitCompilation %v, want %v", tt.name, may, tt.want)
		}
		if err == nil && (!got.Submitted.Equal(tt.now) || got.SubmittedBy != coordON.Account || !pc.Submitted.IsZero()) {
			t.Errorf("%s: submitted %+v", tt.name, got)
		}
	}
}

func TestMayReadCompilations(t *testing.T) {
	tests := []struct {
		name string
		by   account.Actor
		want error
	}{
		{"a program officer", officer, nil},
		{"the program's own work", theProgram, nil},
		{"a coordinator", coordON, account.ErrForbidden},
		{"a DIR", dirA, account.ErrForbidden},
		{"a student", aStudent, account.ErrForbidden},
	}
	for _, tt := range tests {
		if err := MayReadCompilations(tt.by); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

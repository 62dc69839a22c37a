package ens

import (
	"testing"

	"dossier/domain"
)

func TestComplianceListOpen(t *testing.T) {
	tests := []struct {
		name     string
		year     int
		reported bool
		want     bool
	}{
		{"this year's list", 2026, false, true},
		{"once the school has reported", 2026, true, false},
		{"last year's list", 2025, false, false},
		{"next year's list", 2027, false, false},
	}
	for _, tt := range tests {
		if got := ComplianceListOpen(tt.year, tt.reported, november); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if ComplianceListOpen(2026, false, beforeList) {
		t.Error("this year's list before 15 October")
	}
	if !ComplianceListOpen(2026, false, listDay) {
		t.Error("this year's list on 15 October")
	}
}

func TestComplianceListing(t *testing.T) {
	student := Student{GivenNames: "Élodie", FamilyName: "Côté", ClientID: "12345678",
		BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17}}
	evn, err := IssueEVN(12, 3, 4567)
	if err != nil {
		t.Fatal(err)
	}
	verification := func(typ Type, st Status) *Request {
		return &Request{ID: domain.ID{0x70}, Type: typ, Status: st, School: schoolA, Student: student, EVN: evn}
	}
	moved := verification(EVT, Verified)
	moved.TransferredTo = schoolB
	tests := []struct {
		name string
		v    *Request
		want bool
	}{
		{"a verified EV", verification(EV, Verified), true},
		{"a verified EVT", verification(EVT, Verified), true},
		{"an accepted transfer", verification(TI, Accepted), true},
		{"a verification moved elsewhere", moved, false},
		{"a rejected request", verification(EV, Rejected), false},
		{"one still open", verification(EV, InProgress), false},
		{"an expired one", verification(EV, Expired), false},
		{"an AC request", verification(AC, Eligible), false},
	}
	for _, tt := range tests {
		in, ok := ComplianceListing(tt.v, schoolA, 2026)
		if ok != tt.want {
			t.Errorf("%s: listed %v, want %v", tt.name, ok, tt.want)
			continue
		}
		if ok && (in.Type != AC || in.School != schoolA || in.ComplianceYear != 2026 || in.Student != student ||
			in.EVN != string(evn)) {
			t.Errorf("%s: %+v", tt.name, in)
		}
	}
	if _, ok := ComplianceListing(verification(EV, Verified), schoolB, 2026); ok {
		t.Error("another school's verification listed")
	}
	// The program raises what it lists.
	in, _ := ComplianceListing(verification(EV, Verified), schoolA, 2026)
	if r, err := NewRequest(domain.ID{0x71}, in, theProgram, november, DefaultSettings); err != nil || r.Type != AC || r.ComplianceYear != 2026 {
		t.Errorf("raised %+v: %v", r, err)
	}
}

package ens

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

func goodStudent() Student {
	return Student{GivenNames: " Élodie ", FamilyName: "Côté", BirthDate: domain.Date{Year: 2001, Month: 4, Day: 3},
		ClientID: "1234-5678", StudentNumber: "s-100", Email: "elodie@example.ca"}
}

func TestNewRequest(t *testing.T) {
	me := account.Actor{Account: student, Role: account.Student}
	evn, _ := IssueEVN(5, 2, 3)
	tests := []struct {
		name string
		in   Raise
		by   account.Actor
		want domain.Code
		st   Status
	}{
		{"EV", Raise{Type: EV, School: school, Student: goodStudent()}, me, "", New},
		{"EVT", Raise{Type: EVT, School: school, FromSchool: domain.ID{5}, Student: goodStudent()}, me, "", New},
		{"EVT to the same school", Raise{Type: EVT, School: school, FromSchool: school, Student: goodStudent()}, me, ErrSameSchool, 0},
		{"EVT without old school", Raise{Type: EVT, School: school, Student: goodStudent()}, me, ErrSchoolRequired, 0},
		{"TI", Raise{Type: TI, School: school, EVN: string(evn), Student: goodStudent()}, me, "", AwaitingAcceptance},
		{"TI without EVN", Raise{Type: TI, School: school, Student: goodStudent()}, me, ErrEVNRequired, 0},
		{"TI with a typo", Raise{Type: TI, School: school, EVN: string(evn[:12]) + "X", Student: goodStudent()}, me, ErrEVNCheck, 0},
		{"AC by a student", Raise{Type: AC, School: school, ComplianceYear: 2026, Student: goodStudent()}, me, ErrRoleNotAllowed, 0},
		{"AC by the program", Raise{Type: AC, School: school, ComplianceYear: 2026, Student: goodStudent()}, account.SystemActor, "", New},
		{"no school", Raise{Type: EV, Student: goodStudent()}, me, ErrSchoolRequired, 0},
		{"unknown type", Raise{Type: 9, School: school, Student: goodStudent()}, me, ErrUnknownType, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRequest(domain.ID{1, 1}, tt.in, tt.by, t0, DefaultSettings)
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if err != nil {
				return
			}
			if r.Status != tt.st || r.Version != 1 || r.Student.ClientID != "12345678" || r.Student.GivenNames != "Élodie" {
				t.Fatalf("got %+v", r)
			}
			wantExp := t0.AddDate(0, 0, 30)
			if tt.in.Type == AC {
				wantExp = time.Time{}
			}
			if !r.Expires.Equal(wantExp) {
				t.Fatalf("expires %v, want %v", r.Expires, wantExp)
			}
		})
	}
}

func TestExpirySetting(t *testing.T) {
	me := account.Actor{Account: student, Role: account.Student}
	r, err := NewRequest(domain.ID{1}, Raise{Type: EV, School: school, Student: goodStudent()}, me, t0, Settings{ExpiryDays: 45})
	if err != nil || !r.Expires.Equal(t0.AddDate(0, 0, 45)) {
		t.Fatalf("got %v %v", r.Expires, err)
	}
	if _, err := NewRequest(domain.ID{1}, Raise{Type: EV, School: school, Student: goodStudent()}, me, t0, Settings{}); !errors.Is(err, ErrExpiryDays) {
		t.Fatalf("zero expiry days: %v", err)
	}
}

func TestCleanStudent(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Student)
		want  domain.Code
		field string
	}{
		{"fine", func(*Student) {}, "", ""},
		{"one name only", func(s *Student) { s.GivenNames = "" }, "", ""},
		{"no family name", func(s *Student) { s.FamilyName = "  " }, domain.ErrNameRequired, "familyName"},
		{"digits in a name", func(s *Student) { s.GivenNames = "R2D2" }, domain.ErrNameCharacters, "givenNames"},
		{"client ID of 9 digits", func(s *Student) { s.ClientID = "123456789" }, domain.ErrClientIDFormat, "clientID"},
		{"client ID with a letter", func(s *Student) { s.ClientID = "1234-567A" }, domain.ErrClientIDFormat, "clientID"},
		{"born tomorrow", func(s *Student) { s.BirthDate = domain.DateOf(t0).AddDays(1) }, domain.ErrBirthInFuture, "birthDate"},
		{"born in 1850", func(s *Student) { s.BirthDate = domain.Date{Year: 1850, Month: 1, Day: 1} }, domain.ErrBirthTooLongAgo, "birthDate"},
		{"no birth date", func(s *Student) { s.BirthDate = domain.Date{} }, domain.ErrRequired, "birthDate"},
		{"bad e-mail", func(s *Student) { s.Email = "elodie@localhost" }, domain.ErrEmailFormat, "email"},
		{"bad student number", func(s *Student) { s.StudentNumber = "12 34" }, ErrStudentNumber, "studentNumber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := goodStudent()
			tt.edit(&s)
			_, err := CleanStudent(s, t0)
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			var e *domain.Error
			if err != nil && (!errors.As(err, &e) || e.Field != tt.field) {
				t.Fatalf("field of %v, want %q", err, tt.field)
			}
		})
	}
}

package oinp

import (
	"testing"

	"dossier/domain"
	"dossier/domain/account"
)

var (
	applicantID = domain.ID{0x1}
	repID       = domain.ID{0x2}
	otherRepID  = domain.ID{0x3}
)

// fileWithRep is a draft of applicantID with repID in the status given.
func fileWithRep(s RepStatus) *Application {
	a := complete()
	a.Representatives = []Representation{{Account: repID, Name: "Rita Rep", Status: s, Asked: date(2026, 11, 1)}}
	return a
}

func TestWhoActsOnAFile(t *testing.T) {
	me := account.Actor{Account: applicantID, Role: account.Applicant}
	otherApplicant := account.Actor{Account: domain.ID{0x9}, Role: account.Applicant}
	rep := account.Actor{Account: repID, Role: account.Representative}
	otherRep := account.Actor{Account: otherRepID, Role: account.Representative}
	officer := account.Actor{Account: applicantID, Role: account.ProgramOfficer} // same ID, another role
	submitted := func() *Application { a := fileWithRep(RepActive); a.Submitted = submission; return a }
	tests := []struct {
		name     string
		by       account.Actor
		file     *Application
		onFile   domain.Code // CheckOnFile
		editable domain.Code // CheckEditable
		reader   domain.Code // CheckReader
		docs     domain.Code // CheckDocumentReader
	}{
		{"the applicant", me, fileWithRep(RepActive), "", "", "", ""},
		{"the applicant, no file yet", me, nil, "", "", "", ""},
		{"the applicant, submitted", me, submitted(), "", ErrSubmitted, "", ""},
		{"another applicant", otherApplicant, fileWithRep(RepActive), ErrNotApplicant, ErrNotApplicant, ErrNotApplicant, ErrNotDocumentReader},
		{"an officer by the applicant's ID", officer, fileWithRep(RepActive), ErrNotApplicant, ErrNotApplicant, "", ErrNotDocumentReader},
		{"the active representative", rep, fileWithRep(RepActive), "", "", "", ""},
		{"the active representative, submitted", rep, submitted(), "", ErrSubmitted, "", ""},
		{"a pending representative", rep, fileWithRep(RepPending), ErrNotRep, ErrNotRep, ErrNotRep, ErrNotDocumentReader},
		{"a cancelled representative", rep, fileWithRep(RepCancelled), ErrNotRep, ErrNotRep, ErrNotRep, ErrNotDocumentReader},
		{"a refused representative", rep, fileWithRep(RepRefused), ErrNotRep, ErrNotRep, ErrNotRep, ErrNotDocumentReader},
		{"another representative", otherRep, fileWithRep(RepActive), ErrNotRep, ErrNotRep, ErrNotRep, ErrNotDocumentReader},
		{"a representative, no file", rep, nil, ErrNotRep, ErrNotRep, ErrNotRep, ErrNotDocumentReader},
		{"an officer, submitted", officer, submitted(), ErrNotApplicant, ErrNotApplicant, "", ""},
		{"an officer, no file", officer, nil, ErrNotApplicant, ErrNotApplicant, "", ErrNotDocumentReader},
		{"an employer", account.Actor{Account: applicantID, Role: account.EmployerPrimary}, submitted(),
			ErrNotApplicant, ErrNotApplicant, "", ErrNotDocumentReader},
		{"a DIR", account.Actor{Account: domain.ID{0x7}, Role: account.DIR}, submitted(),
			ErrNotApplicant, ErrNotApplicant, ErrNotApplicant, ErrNotDocumentReader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, CheckOnFile(tt.by, applicantID, tt.file), tt.onFile)
			wantCode(t, CheckEditable(tt.by, applicantID, tt.file), tt.editable)
			wantCode(t, CheckReader(tt.by, applicantID, tt.file), tt.reader)
			wantCode(t, CheckDocumentReader(tt.by, applicantID, tt.file), tt.docs)
		})
	}
}

func TestCheckClient(t *testing.T) {
	rep := account.Actor{Account: repID, Role: account.Representative}
	tests := []struct {
		name string
		by   account.Actor
		file *Application
		want domain.Code
	}{
		{"the active representative", rep, fileWithRep(RepActive), ""},
		{"pending", rep, fileWithRep(RepPending), ErrNotRep},
		{"no file", rep, nil, ErrNotRep},
		{"no representative", rep, complete(), ErrNotRep},
		{"the right ID in another role", account.Actor{Account: repID, Role: account.Applicant}, fileWithRep(RepActive), ErrNotRep},
		{"another representative", account.Actor{Account: otherRepID, Role: account.Representative}, fileWithRep(RepActive), ErrNotRep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, CheckClient(tt.by, tt.file), tt.want) })
	}
}

func TestRoleChecks(t *testing.T) {
	tests := []struct {
		name               string
		role               account.Role
		applicant, asksRep domain.Code
	}{
		{"applicant", account.Applicant, "", ErrNotRep},
		{"representative", account.Representative, ErrNotApplicant, ""},
		{"officer", account.ProgramOfficer, ErrNotApplicant, ErrNotRep},
		{"student", account.Student, ErrNotApplicant, ErrNotRep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by := account.Actor{Account: applicantID, Role: tt.role}
			wantCode(t, CheckApplicant(by), tt.applicant)
			wantCode(t, CheckRepresentative(by), tt.asksRep)
		})
	}
}

func TestInProgram(t *testing.T) {
	tests := []struct {
		name string
		file *Application
		want bool
	}{
		{"a draft", complete(), false},
		{"registered", registered(), false},
		{"submitted", submittedFile(), true},
		{"withdrawn", func() *Application { a := submittedFile(); a.Withdrawn = date(2027, 2, 5); return a }(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.file.InProgram(); got != tt.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}

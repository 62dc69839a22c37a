package oinp

import (
	"testing"

	"dossier/domain"
)

// decidedDraft is a draft carrying everything a form may not change, so
// that a save that takes any of it from the form shows.
func decidedDraft() *Application {
	a := registered()
	a.Representatives = []Representation{{Account: repID, Name: "Rita Rep", Status: RepActive}}
	a.Notices = []Notice{{Sent: date(2026, 11, 12), Text: "kept"}}
	a.InfoRequests = []InfoRequest{{ID: domain.ID{0x77}, Text: "kept"}}
	a.Decision, a.Nomination, a.Review = &Decision{Outcome: OutcomeRefused}, &Nomination{Certificate: "CN-kept"}, &Review{Reason: "kept"}
	a.Payment = &Receipt{Reference: "kept"}
	return a
}

// forged is a form that claims what only the file's own actions set.
func forged(a *Application) Application {
	f := *a
	f.Schema, f.FileNumber, f.Registered, f.Submitted = 99, "JOID-0000001", date(2026, 11, 20), domain.Date{}
	f.Representatives = []Representation{{Account: otherRepID, Status: RepActive}}
	f.Payment, f.Withdrawn = &Receipt{Reference: "forged"}, date(2026, 11, 11)
	f.Notices, f.InfoRequests = nil, nil
	f.Decision, f.Nomination, f.Review = &Decision{Outcome: OutcomeApproved}, &Nomination{Certificate: "CN-forged"}, nil
	f.Documents = []Document{{ID: domain.ID{0xee}, Kind: "passport", Name: "forged.pdf"}}
	return f
}

// keptFileOnly fails when the saved file a lost what only its own actions
// set (compared with was, the file before the save).
func keptFileOnly(t *testing.T, a, was *Application) {
	t.Helper()
	switch {
	case a.Schema != SchemaVersion, a.FileNumber != was.FileNumber, a.Registered != was.Registered,
		a.Submitted != was.Submitted, a.Withdrawn != was.Withdrawn:
		t.Fatalf("file %s %s %s %s %d", a.FileNumber, a.Registered, a.Submitted, a.Withdrawn, a.Schema)
	case len(a.Representatives) != 1 || a.Representatives[0].Account != repID,
		a.Payment != was.Payment, len(a.Notices) != 1, len(a.InfoRequests) != 1,
		a.Decision != was.Decision, a.Nomination != was.Nomination, a.Review != was.Review:
		t.Fatal("the form changed what only the file's actions set")
	case len(a.Documents) != len(was.Documents) || a.Documents[0].ID != was.Documents[0].ID:
		t.Fatalf("documents %+v", a.Documents)
	}
}

func TestSaveByApplicant(t *testing.T) {
	signed := &EmployerForm{LegalName: "Serres Nord Inc.", BusinessNumber: "123456782"}
	tests := []struct {
		name      string
		file      func() *Application
		change    func(f *Application)
		signed    *EmployerForm
		repFilled map[string]bool
		want      domain.Code
		check     func(t *testing.T, a *Application, repFilled map[string]bool)
	}{
		{"a change of the applicant's", decidedDraft, func(f *Application) { f.Contact.Phone = "416-555-0199" }, nil, nil, "",
			func(t *testing.T, a *Application, _ map[string]bool) {
				if a.Contact.Phone != "416-555-0199" {
					t.Fatalf("phone %q", a.Contact.Phone)
				}
			}},
		{"a submitted file", func() *Application { a := decidedDraft(); a.Submitted = submission; return a },
			func(f *Application) { f.Contact.Phone = "416-555-0199" }, nil, nil, ErrSubmitted, nil},
		{"which documents need a translation", decidedDraft, func(f *Application) {
			f.Documents = []Document{{ID: domain.ID{0x1}, Kind: "forged", NeedsTranslation: Yes}} // the first of complete()
		}, nil, nil, "", func(t *testing.T, a *Application, _ map[string]bool) {
			if d := a.Documents[0]; d.NeedsTranslation != Yes || d.Kind == "forged" {
				t.Fatalf("document %+v", d)
			}
		}},
		{"the signed Employer Form stays", decidedDraft, func(f *Application) { f.Employer.LegalName = "Someone Else Ltd." }, signed, nil, "",
			func(t *testing.T, a *Application, _ map[string]bool) {
				if a.Employer.LegalName != "Serres Nord Inc." || a.Employer.Offer.NOC != "" {
					t.Fatalf("employer %+v", a.Employer)
				}
			}},
		{"no signed form: the applicant fills the tabs", decidedDraft, func(f *Application) { f.Employer.LegalName = "Serres Sud Inc." }, nil, nil, "",
			func(t *testing.T, a *Application, _ map[string]bool) {
				if a.Employer.LegalName != "Serres Sud Inc." {
					t.Fatalf("employer %q", a.Employer.LegalName)
				}
			}},
		{"a field the representative filled, changed, is the applicant's again", decidedDraft,
			func(f *Application) { f.LearnedFrom = "friend" }, nil, map[string]bool{"learnedFrom": true, "contact.phone": true}, "",
			func(t *testing.T, _ *Application, repFilled map[string]bool) {
				if repFilled["learnedFrom"] || !repFilled["contact.phone"] {
					t.Fatalf("representative filled %v", repFilled)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			was := *a
			f := forged(a)
			tt.change(&f)
			err := a.SaveByApplicant(f, tt.signed, tt.repFilled)
			wantCode(t, err, tt.want)
			if err != nil {
				if a.Contact.Phone != was.Contact.Phone {
					t.Fatal("refused, yet saved")
				}
				return
			}
			keptFileOnly(t, a, &was)
			tt.check(t, a, tt.repFilled)
		})
	}
}

func TestSaveByRepresentative(t *testing.T) {
	signed := &EmployerForm{LegalName: "Serres Nord Inc.", BusinessNumber: "123456782"}
	tests := []struct {
		name      string
		file      func() *Application
		change    func(f *Application)
		signed    *EmployerForm
		repFilled map[string]bool
		want      domain.Code
		field     string // of ErrRepReadOnly
		filled    []string
	}{
		{"an empty field", decidedDraft, func(f *Application) { f.Contact.AltPhone = "905-555-0111" }, nil, nil, "", "",
			[]string{"contact.altPhone"}},
		{"a field the representative filled", decidedDraft, func(f *Application) { f.Contact.AltPhone = "905-555-0122" }, nil,
			map[string]bool{"contact.altPhone": true}, "", "", []string{"contact.altPhone"}},
		{"a field the applicant filled", decidedDraft, func(f *Application) { f.Contact.Phone = "905-555-0133" }, nil, nil,
			ErrRepReadOnly, "contact.phone", nil},
		{"a field the applicant filled, emptied", decidedDraft, func(f *Application) { f.LearnedFrom = "" }, nil, nil,
			ErrRepReadOnly, "learnedFrom", nil},
		{"a submitted file", func() *Application { a := decidedDraft(); a.Submitted = submission; return a },
			func(f *Application) { f.Contact.AltPhone = "905-555-0111" }, nil, nil, ErrSubmitted, "", nil},
		{"a field the employer left empty stays empty", decidedDraft, func(f *Application) { f.Employer.Representative = "Rita Rep" }, signed,
			nil, "", "", nil},
		{"a field the employer filled", decidedDraft, func(f *Application) { f.Employer.LegalName = "Someone Else Ltd." }, signed,
			nil, ErrRepReadOnly, "employer.legalName", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			if tt.signed != nil {
				a.Employer = *tt.signed
			}
			was := *a
			f := forged(a)
			tt.change(&f)
			repFilled, err := a.SaveByRepresentative(f, tt.signed, tt.repFilled)
			wantCode(t, err, tt.want)
			if err != nil {
				if e, ok := err.(*domain.Error); tt.field != "" && (!ok || e.Field != tt.field) {
					t.Fatalf("got %v, want the field %s", err, tt.field)
				}
				if a.Contact != was.Contact || a.LearnedFrom != was.LearnedFrom || a.Employer != was.Employer {
					t.Fatal("refused, yet saved")
				}
				return
			}
			keptFileOnly(t, a, &was)
			if len(repFilled) != len(tt.filled) {
				t.Fatalf("representative filled %v, want %v", repFilled, tt.filled)
			}
			for _, p := range tt.filled {
				if !repFilled[p] {
					t.Fatalf("representative filled %v, want %v", repFilled, tt.filled)
				}
			}
			if tt.signed != nil && a.Employer != *tt.signed {
				t.Fatalf("employer %+v", a.Employer)
			}
		})
	}
}

package programs

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/store/storetest"
)

// TestNoPersonalDataOnTheServerOrItsBackups: dossierd's file and a backup
// of it, holding a student's request, an applicant's form and passport, a
// printed document's facts and the audit trail, show none of it in clear.
func TestNoPersonalDataOnTheServerOrItsBackups(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	sv := mustServer(t, clock)
	s := sv.Store()
	a := storetest.MustSchool(t, s.Engine(), "Collège Lionel-Groulx", 77)
	r, err := s.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: a.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(a.DIR, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: storetest.AllMet(), Notes: "Élodie confirmed by phone"}}, r.Version); err != nil {
		t.Fatal(err)
	}
	me := storetest.MustApplicant(t, s.Engine(), "linh.nguyen")
	app := oinp.Application{Applicant: oinp.Applicant{GivenNames: "Linh", FamilyName: "Nguyen", Passport: "C1234567"},
		Contact: oinp.Contact{Email: "linh@example.ca"}}
	if _, err := s.SaveApplication(me, app); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AttachDocument(me, oinp.Document{Kind: "passport", Name: "passport-nguyen.pdf"}, []byte("%PDF-1.7\nLinh Nguyen passport C1234567")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Seal(a.DIR, "ocwpp.ineligible-report", domain.ID{}, []printcode.Fact{{Name: "name", Value: "Élodie Côté"}},
		domain.Date{Year: 2026, Month: 11, Day: 21}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := sv.Backup(backup); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{s.Path(), backup} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Élodie", "Côté", "elodie", "1234-5678", "12345678", "2002-05-17", "U20231187",
			"courriel", "confirmed by phone", "Linh", "Nguyen", "C1234567", "linh@example.ca", "passport-nguyen",
			"%PDF-1.7", "answer one", "linh.nguyen"} {
			for _, form := range [][]byte{[]byte(secret), storetest.UTF16(secret)} {
				if bytes.Contains(raw, form) {
					t.Errorf("%s holds %q in clear", filepath.Base(path), secret)
				}
			}
		}
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
)

// permitOnProfile has student1 of the demo profile apply for the work
// permit (their school verified them; the profile's own sandbox took the
// fee) and returns the verification's ID.
func permitOnProfile(t *testing.T, dir, password string) domain.ID {
	t.Helper()
	s, err := programs.Open(store.ProfilePath(dir), password, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, stu, err := s.SignIn("student1", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	_, dirAcct, err := s.SignIn("dir.beaulieu", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.RaiseRequest(stu.Actor(), ens.Raise{Type: ens.EV, School: dirAcct.Org, Student: ens.Student{GivenNames: "Zoé",
		FamilyName: "Bérubé", BirthDate: domain.Date{Year: 2003, Month: time.February, Day: 14}, ClientID: "87654321", Email: "zoe@example.ca"}})
	if err != nil {
		t.Fatal(err)
	}
	var d ens.Draft
	for _, c := range ens.Criteria {
		d.Checks[c] = ens.Met
	}
	if r, err = s.Act(dirAcct.Actor(), r.ID, ens.Action{Function: ens.Verify, Draft: &d}, 0); err != nil {
		t.Fatal(err)
	}
	on := domain.DateOf(r.Received)
	f := permit.Prefill(&r)
	f.PassportNumber, f.PassportCountry, f.PassportExpiry = "FR7654321", "France", on.AddYears(4)
	f.Street, f.City, f.Province, f.PostalCode = "21 rue Lasalle", "Sudbury", "ON", "P3A 6B1"
	f.Program, f.StudyStart, f.StudyEnd = "Génie civil", on.AddYears(-1), on.AddYears(2)
	f.Consent, f.Declaration = true, true
	receipt, err := oinp.Sandbox{}.Charge("k", "OCWP-1", 15500, oinp.Card{Number: "4111111111111111", Name: "Zoé Bérubé",
		ExpMonth: 12, ExpYear: on.Year + 3, CVC: "123"}, r.Received)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SubmitPermitPaid(stu.Actor(), r.ID, f, receipt); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestPrintAWorkPermitApplication: the student prints their work permit
// fee receipt in French and the program the application; another student
// may not print it.
func TestPrintAWorkPermitApplication(t *testing.T) {
	dir, env := demoProfile(t)
	id := permitOnProfile(t, dir, env["DOSSIER_PASSWORD"])
	out := t.TempDir()
	receipt := filepath.Join(out, "receipt.pdf")
	env["DOSSIER_USER"], env["DOSSIER_USER_PASSWORD"] = "student1", demo.Password
	if r := dossierctl(t, env, "print", "ocwpp.permit-receipt", "--data", dir, "--out", receipt, "--request", id.String(),
		"--lang", "fr"); r.code != 0 {
		t.Fatalf("print the receipt: %s", r.stderr)
	}
	text := pdfToText(t, receipt)
	for _, w := range []string{"Reçu des frais du permis de travail", "155,00 $", "Zoé Bérubé", "BAC À SABLE"} {
		if !strings.Contains(text, w) {
			t.Errorf("the receipt lacks %q:\n%s", w, text)
		}
	}
	app := filepath.Join(out, "application.pdf")
	env["DOSSIER_USER"] = "program"
	if r := dossierctl(t, env, "print", "ocwpp.permit-application", "--data", dir, "--out", app, "--request", id.String()); r.code != 0 {
		t.Fatalf("the program prints the application: %s", r.stderr)
	}
	if text := pdfToText(t, app); !strings.Contains(text, "FR7654321") || !strings.Contains(text, "Off-Campus Work Permit application") {
		t.Errorf("the application:\n%s", text)
	}
	env["DOSSIER_USER"] = "student2"
	if r := dossierctl(t, env, "print", "ocwpp.permit-application", "--data", dir, "--out", app, "--request", id.String()); r.code == 0 {
		t.Fatal("another student printed the application")
	}
}

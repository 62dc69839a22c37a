package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/programs"
)

// The server's demo: what a program, a province's coordinator, two DIRs and
// two applicants need to run a compliance year and a nomination end to end
// from their own desks. Every record is made through the store's own steps
// on the server, so it is in the change feed and each desk receives it at
// its first sync.

// ServerOptions choose the server demo's day and size.
type ServerOptions struct {
	// Now is when the demo is built: from 15 October the year's Annual
	// Compliance list is drawn up too.
	Now time.Time
	// Students is how many verified students each school has.
	Students int
	// Unpaid adds a third applicant, ana.silva, whose application is
	// registered but neither paid nor submitted.
	Unpaid bool
}

// ServerResult describes what BuildServer made.
type ServerResult struct {
	Schools    []store.Institution
	Accounts   []Account
	Compliance int // Annual Compliance requests raised
}

// The server demo's schools: two in Ontario, one in Quebec.
var serverSchools = []store.Institution{
	{Name: "Lakeview Polytechnic", Code: 2718, Province: "ON"},
	{Name: "Collège Boréal", Code: 3141, Province: "ON"},
	{Name: "Collège Beaulieu", Code: 1066, Province: "QC"},
}

// BuildServer fills an empty server store.
func BuildServer(sv programs.Server, opt ServerOptions) (ServerResult, error) {
	var res ServerResult
	s := sv.Store()
	if opt.Students <= 0 {
		opt.Students = 6
	}
	prog, err := sv.CreateProgramAccount(registration("program", "Pat", "Ouellet"))
	if err != nil {
		return res, fmt.Errorf("demo program account: %w", err)
	}
	if _, err := sv.AddProgramOfficer(registration("officer2", "Sam", "Tremblay")); err != nil {
		return res, fmt.Errorf("demo second officer: %w", err)
	}
	res.Accounts = append(res.Accounts, Account{Role: account.ProgramOfficer, UserID: "program"},
		Account{Role: account.ProgramOfficer, UserID: "officer2"})
	for _, c := range []struct{ user, given, family, province string }{
		{"coord.on", "Émilie", "Lapointe", "ON"}, {"coord.qc", "Gabriel", "Roy", "QC"},
	} {
		if _, err := sv.CreateCoordinatorAccount(registration(c.user, c.given, c.family), c.province); err != nil {
			return res, fmt.Errorf("demo coordinator: %w", err)
		}
		res.Accounts = append(res.Accounts, Account{Role: account.Coordinator, School: c.province, UserID: c.user})
	}
	officer := prog.Actor()
	for i, in := range serverSchools {
		inst, err := s.CreateInstitution(officer, in)
		if err != nil {
			return res, fmt.Errorf("demo school: %w", err)
		}
		res.Schools = append(res.Schools, inst)
		short := strings.ToLower(domain.FoldName(strings.Fields(in.Name)[len(strings.Fields(in.Name))-1]))
		if i == 0 {
			short = "lakeview"
		}
		dir, err := enrol(s, officer, account.DIR, inst.ID, "dir."+short, []string{"Nathalie", "Amadou", "Julie"}[i],
			[]string{"Okafor", "Diallo", "Bergeron"}[i])
		if err != nil {
			return res, err
		}
		res.Accounts = append(res.Accounts, Account{Role: account.DIR, School: inst.Name, UserID: "dir." + short})
		sig := "sig." + short
		if _, err := enrol(s, dir.Actor(), account.Signatory, inst.ID, sig, "Priya", "MacLeod"); err != nil {
			return res, err
		}
		res.Accounts = append(res.Accounts, Account{Role: account.Signatory, School: inst.Name, UserID: sig})
		for n := range opt.Students {
			if err := verifiedStudent(s, dir.Actor(), inst, i, n); err != nil {
				return res, err
			}
		}
	}
	applicants := []struct {
		user, given, family, lang, place string
		unpaid                           bool
	}{
		{"linh.nguyen", "Linh", "Nguyen", "en", "Mississauga", false}, {"zoe.cote", "Zoé", "Côté", "fr", "Ottawa", false},
	}
	if opt.Unpaid {
		applicants = append(applicants, struct {
			user, given, family, lang, place string
			unpaid                           bool
		}{"ana.silva", "Ana", "Silva", "en", "Brampton", true})
	}
	for _, a := range applicants {
		if err := submittedApplication(s, a.user, a.given, a.family, a.lang, a.place, a.unpaid); err != nil {
			return res, err
		}
		res.Accounts = append(res.Accounts, Account{Role: account.Applicant, UserID: a.user})
	}
	if res.Compliance, err = sv.PopulateCompliance(opt.Now); err != nil {
		return res, fmt.Errorf("demo compliance list: %w", err)
	}
	return res, nil
}

// verifiedStudent has a student (with an account) raise an eligibility
// verification at a school, which the school's DIR verifies.
func verifiedStudent(s programs.Desk, dir account.Actor, in store.Institution, school, n int) error {
	given := givenNames[(school*7+n)%len(givenNames)]
	family := familyNames[(school*11+n*3)%len(familyNames)]
	user := fmt.Sprintf("student%d.%d", school+1, n+1)
	st, err := s.RegisterStudent(registration(user, given, family))
	if err != nil {
		return fmt.Errorf("demo student: %w", err)
	}
	r, err := s.RaiseRequest(st.Actor(), ens.Raise{Type: ens.EV, School: in.ID, Student: ens.Student{
		GivenNames: given, FamilyName: family, BirthDate: domain.Date{Year: 1998 + n%6, Month: time.Month(1 + n%12), Day: 1 + n%28},
		ClientID:      domain.ClientID(fmt.Sprintf("%08d", 31000000+school*1000+n)),
		StudentNumber: fmt.Sprintf("%c%07d", "LBQ"[school], 1000+n),
		Email:         user + "@student.example"}})
	if err != nil {
		return fmt.Errorf("demo request: %w", err)
	}
	var d ens.Draft
	for i := range d.Checks {
		d.Checks[i] = ens.Met
	}
	d.StudentNumber = r.Student.StudentNumber
	if _, err := s.Act(dir, r.ID, ens.Action{Function: ens.Verify, Draft: &d}, r.Version); err != nil {
		return fmt.Errorf("demo verification: %w", err)
	}
	return nil
}

// submittedApplication registers an applicant whose complete example
// application is registered, paid (in the sandbox) and submitted; unpaid,
// only registered.
func submittedApplication(s programs.Desk, user, given, family, lang, place string, unpaid bool) error {
	acct, err := s.RegisterApplicant(registration(user, given, family))
	if err != nil {
		return fmt.Errorf("demo applicant: %w", err)
	}
	by := acct.Actor()
	app, err := oinp.ReadFile(bytes.NewReader(assets.ExampleApplication))
	if err != nil {
		return fmt.Errorf("demo application: %w", err)
	}
	old := app.Applicant.GivenNames + " " + app.Applicant.FamilyName
	app.Applicant.GivenNames, app.Applicant.FamilyName = given, family
	app.Intent.SignedName = given + " " + family
	app.Contact.Language, app.Contact.Email = lang, user+"@demo.example"
	app.Employer.Offer.Municipality = place
	for i := range app.Agreements {
		if app.Agreements[i].Name == old {
			app.Agreements[i].Name = given + " " + family
		}
	}
	if _, err := s.SaveApplication(by, *app); err != nil {
		return fmt.Errorf("demo application: %w", err)
	}
	var photo bytes.Buffer
	png.Encode(&photo, image.NewGray(image.Rect(0, 0, 413, 531)))
	for _, r := range oinp.Checklist(app) {
		if !r.Mandatory {
			continue
		}
		doc, content := oinp.Document{Kind: r.Kind, Person: r.Person, Name: r.Kind + ".pdf"}, []byte("%PDF-1.7\n%demo\n")
		if r.Kind == "photo" {
			doc.Name, content = "photo.png", photo.Bytes()
		}
		if _, _, err := s.AttachDocument(by, doc, content); err != nil {
			return fmt.Errorf("demo document %s: %w", r.Kind, err)
		}
	}
	rec, err := s.RegisterApplication(by)
	if err != nil {
		return fmt.Errorf("demo registration: %w", err)
	}
	if unpaid {
		return nil
	}
	fee := oinp.Evaluate(&rec.App, domain.DateOf(time.Now()), assets.OINPTables()).FeeCents
	receipt, err := oinp.Sandbox{}.Charge(user, rec.App.FileNumber, fee, oinp.Card{Number: "4111111111111111",
		Name: given + " " + family, ExpMonth: 12, ExpYear: 2099, CVC: "123"}, time.Now())
	if err != nil {
		return err
	}
	if _, err := s.SubmitPaid(by, by.Account, receipt); err != nil {
		return fmt.Errorf("demo submission: %w", err)
	}
	return nil
}

package report

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/store/storetest"
	"dossier/translations"
)

// wantIn fails for each of want that the text, as pdftotext reads it
// (lines joined, spaces of any width as one), does not hold.
func wantIn(t *testing.T, what string, text string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func wantNotIn(t *testing.T, what string, text string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			t.Errorf("%s says %q:\n%s", what, w, text)
		}
	}
}

// TestLettersAsTheProgramSendsThem reads each OINP letter, printed in
// each language, as pdftotext gives it.
func TestLettersAsTheProgramSendsThem(t *testing.T) {
	docs := demoDocuments(t)
	for _, c := range []struct {
		lang translations.Lang
		// what every letter carries: the letterhead's address, the
		// officer who signs with their title, where to check the code,
		// the zone its dates are in.
		letterhead []string
		want       map[Kind][]string
	}{
		{translations.English,
			[]string{"400 University Avenue, 4th Floor", "Toronto ON M7A 2R9", "Telephone: 1-866-214-6820",
				"Marie-Ève Lachance Program officer Ontario Immigrant Nominee Program",
				"ontario.ca/oinp/verify", "Dates and times are Toronto time."},
			map[Kind][]string{
				// "You must send a written request for internal review by
				// email … within 30 calendar days after receiving notice
				// of the original decision if you are a resident in
				// Canada … you must clearly identify any error in the
				// program's decision … The internal review decision is
				// final." (§5.7)
				KindRefusalLetter: {"you may ask for an internal review", "by e-mail to oinp@ontario.ca within 30 calendar days after receiving this notice, that is by October 1, 2026",
					"not accepted by mail, fax or in person", "clearly identify any error", "The internal review decision is final."},
				// "You must include a copy of your Letter of Nomination
				// and a copy of the OINP Confirmation of Nomination
				// document. … You may use your work permit support letter
				// … to apply for a work permit" (§6.0)
				KindNominationLetter: {"Include a copy of this Letter of Nomination and a copy of your Confirmation of Nomination in your application for permanent residence",
					"work permit support letter to apply to IRCC for a work permit", "Greenhouse worker (NOC 8431: General farm workers)"},
				KindWorkPermitLetter: {"Hourly wage: $17.50", "NOC 8431: General farm workers"},
				KindCertificate:      {"Greenhouse worker (NOC 8431: General farm workers)", "valid for 6 months"},
			}},
		{translations.French,
			[]string{"400, avenue University, 4e étage", "Toronto (Ontario) M7A 2R9", "Téléphone : 1-866-214-6820",
				"Marie-Ève Lachance Personne agente de programme Programme ontarien des candidats à l’immigration",
				"l’adresse ontario.ca/oinp/verify", "Les dates et heures sont à l’heure de Toronto."},
			map[Kind][]string{
				KindRefusalLetter: {"vous pouvez en demander la révision interne", "par courriel à oinp@ontario.ca dans les 30 jours civils suivant la réception du présent avis, soit au plus tard le 1er octobre 2026",
					"pas acceptées par la poste, par télécopieur ni en personne", "indiquez clairement toute erreur", "est définitive"},
				KindNominationLetter: {"Joignez à votre demande de résidence permanente une copie de la présente lettre de désignation et une copie de votre Confirmation de désignation",
					"Greenhouse worker (CNP 8431 : Ouvriers/ouvrières agricoles)"},
				KindWorkPermitLetter: {"Salaire horaire : 17,50 $", "CNP 8431 : Ouvriers/ouvrières agricoles"},
				KindCertificate:      {"Greenhouse worker (CNP 8431 : Ouvriers/ouvrières agricoles)", "valide 6 mois"},
			}},
	} {
		for kind, want := range c.want {
			text := pdfTextOf(t, c.lang, docs[kind])
			what := string(kind) + " " + string(c.lang)
			if kind != KindCertificate {
				want = append(want, c.letterhead...)
			}
			wantIn(t, what, text, want...)
			wantNotIn(t, what, text, "dossierctl", "(cents)", "VISA")
		}
	}
}

// TestReceiptInDollarsAndTorontoTime: the receipt's amount reads in
// dollars, the card by its network's name, and a fee paid at 22:30 in
// Toronto (02:30 UTC the next day) on the day it was paid there.
func TestReceiptInDollarsAndTorontoTime(t *testing.T) {
	a := demoApplication(t)
	r := *a.Payment
	r.Brand, r.Paid = "visa", time.Date(2026, 6, 3, 2, 30, 0, 0, time.UTC)
	doc := FeeReceipt{FileNumber: string(a.FileNumber), Name: "Zoé Côté-Nguyễn", Receipt: r, InGTA: true}
	for lang, want := range map[translations.Lang][]string{
		translations.English: {"June 2, 2026, 22:30", "Visa ending in 4242", "Amount: $2,000.00", "Dates and times are Toronto time."},
		translations.French:  {"2 juin 2026, 22 h 30", "Visa se terminant par 4242", "Montant : 2 000,00 $", "à l’heure de Toronto"},
	} {
		text := pdfTextOf(t, lang, doc)
		wantIn(t, "receipt "+string(lang), text, want...)
		wantNotIn(t, "receipt "+string(lang), text, "200000", "June 3", "3 juin")
	}
}

// TestCountsTakeTheirPluralForm: one day to ask for a review, one student
// on a list, are said in the singular in both languages.
func TestCountsTakeTheirPluralForm(t *testing.T) {
	one := RefusalLetter{FileNumber: "JOID-1", Name: "A B", Decided: domain.Date{Year: 2026, Month: time.September, Day: 1},
		ReviewBy: domain.Date{Year: 2026, Month: time.September, Day: 2}, ReviewDays: 1, Reasons: []string{"x"}}
	list := ComplianceList{School: "Collège Beaulieu", SchoolCode: "CB", Year: 2026, Count: 1, Rows: complianceRows(1)}
	for lang, want := range map[translations.Lang][]string{
		translations.English: {"within 1 calendar day after", "The student below held"},
		translations.French:  {"dans les 1 jour civil suivant", "L’étudiant ci-dessous détenait"},
	} {
		text := pdfTextOf(t, lang, one) + pdfTextOf(t, lang, list)
		wantIn(t, "singular "+string(lang), text, want...)
		wantNotIn(t, "singular "+string(lang), text, "1 calendar days", "1 jours")
	}
}

// TestRequestDatedInTheSchoolsZone: a request received and verified at
// 23:30 in Toronto (03:30 UTC the next day) is printed, in the record and
// the queue, on the day the school received it, and the documents say so.
func TestRequestDatedInTheSchoolsZone(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 10, 2, 3, 30, 0, 0, time.UTC))
	d, err := programs.Create(filepath.Join(t.TempDir(), "profile.dossier"), storetest.Password, storetest.Options(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	sc := storetest.MustSchool(t, d.Engine(), "Collège Beaulieu", 12)
	r, err := d.RaiseRequest(storetest.Student(1), ens.Raise{Type: ens.EV, School: sc.Inst.ID, Student: storetest.Elodie()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Act(sc.DIR, r.ID, ens.Action{Function: ens.Verify, Draft: &ens.Draft{Checks: storetest.AllMet()}}, r.Version); err != nil {
		t.Fatal(err)
	}
	rec, err := RequestRecordOf(d, sc.DIR, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	queue, err := QueueExportOf(d, sc.DIR, requests.QueueFilter{School: sc.Inst.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[translations.Lang][]string{
		translations.English: {"Received October 1, 2026", "Decided October 1, 2026", "Dates and times are Toronto time."},
		translations.French:  {"Reçue le 1er octobre 2026", "Décision 1er octobre 2026", "à l’heure de Toronto"},
	} {
		text := pdfTextOf(t, lang, rec)
		wantIn(t, "record "+string(lang), text, want...)
		wantNotIn(t, "record "+string(lang), text, "October 2, 2026", "2 octobre 2026")
		q := pdfTextOf(t, lang, queue)
		wantIn(t, "queue "+string(lang), q, "2026-10-01", want[2])
		wantNotIn(t, "queue "+string(lang), q, "2026-10-02")
	}
	// The code still vouches for the day the server's record states.
	if f := rec.Facts()[4]; f.Name != "decided" || f.Value != "2026-10-02" {
		t.Errorf("the decided fact: %+v", f)
	}
}

// TestLettersSignedInTheOfficersForm: the letters give the deciding
// officer's title in the form of their role they chose (the reviewer's
// once a review decided); a file decided before the record kept it reads
// the neutral title.
func TestLettersSignedInTheOfficersForm(t *testing.T) {
	for _, c := range []struct {
		form account.Form
		want string
	}{{account.FormFeminine, "Marie-Ève Lachance Agente de programme"},
		{account.FormMasculine, "Marie-Ève Lachance Agent de programme"},
		{account.FormNeutral, "Marie-Ève Lachance Personne agente de programme"}} {
		n := demoNominee(t)
		n.OfficerForm = c.form
		wantIn(t, "nomination letter "+c.form.Code(), pdfTextOf(t, translations.French, NominationLetter{n}), c.want)
		refusal := RefusalLetter{FileNumber: "JOID-1", Name: "A B", Decided: domain.Date{Year: 2026, Month: time.September, Day: 1},
			ReviewBy: domain.Date{Year: 2026, Month: time.October, Day: 1}, ReviewDays: 30, Reasons: []string{"x"},
			Officer: "Marie-Ève Lachance", OfficerForm: c.form}
		wantIn(t, "refusal letter "+c.form.Code(), pdfTextOf(t, translations.French, refusal), c.want)
	}
	// From the record: the reviewer's form once the review decided.
	a := demoApplication(t)
	a.Decision = &oinp.Decision{Outcome: oinp.OutcomeRefused, OfficerName: "A", OfficerForm: account.FormMasculine}
	a.Review = &oinp.Review{Decided: domain.Date{Year: 2026, Month: time.October, Day: 2}, DeciderName: "B", DeciderForm: account.FormFeminine}
	if name, form := deciderOf(a); name != "B" || form != account.FormFeminine {
		t.Errorf("decider %q in form %q, want the reviewer's", name, form)
	}
	a.Review = nil
	if name, form := deciderOf(a); name != "A" || form != account.FormMasculine {
		t.Errorf("decider %q in form %q, want the decision's", name, form)
	}
}

package ui

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/report"
	"dossier/store/demo"
	"dossier/store/requests"
	"dossier/translations"
)

// waitPrinted waits for the printing a tap started.
func waitPrinted(t *testing.T, e *Env) printed {
	t.Helper()
	var p printed
	waitFor(t, "the printing", func() bool {
		fyne.DoAndWait(func() { p = e.lastPrinted })
		return p.path != "" || p.err != nil
	})
	return p
}

func pdfWords(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (make deps installs poppler-utils)")
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPrintTheQueueAsFiltered: the DIR filters the queue and prints it;
// the PDF holds the filter and the rows, in the language of the screen,
// its code is recorded for the server, and the preview shows.
func TestPrintTheQueueAsFiltered(t *testing.T) {
	e, _, _ := desk(t, 200)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.statusSel.SetSelected(e.T("ens.status.new")) })
	e.SetLang(translations.French)
	q = e.view.(*queueView)
	test.Tap(q.print)
	p := waitPrinted(t, e)
	if p.err != nil {
		t.Fatal(p.err)
	}
	text := pdfWords(t, p.path)
	for _, w := range []string{"File des demandes", "État : Nouvelle", "Page 1 sur", p.code} {
		if !strings.Contains(text, w) {
			t.Errorf("the printed queue lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "En cours") {
		t.Error("the printed queue holds requests the filter left out")
	}
	if rec, err := e.Store.Verify(p.code); err != nil || rec.Kind != "ocwpp.queue" {
		t.Fatalf("the printing is not recorded: %+v %v", rec, err)
	}
	// dossierctl print builds and seals the same way: the same bytes.
	f := q.filter
	doc, err := report.QueueExportOf(e.Store, e.Actor(), f, report.FilterText(e.Tr(), f))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if _, err := report.Print(&again, e.Tr(), report.StoreSealer(e.Store, e.Actor(), domain.DateOf(e.Now())), domain.DateOf(e.Now()), doc); err != nil {
		t.Fatal(err)
	}
	if first, _ := os.ReadFile(p.path); !bytes.Equal(first, again.Bytes()) {
		t.Error("the app's PDF differs from the one the same builders print")
	}
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		if _, err := os.Stat(strings.TrimSuffix(p.path, ".pdf") + "-preview.png"); err != nil {
			t.Errorf("no preview: %v", err)
		}
	}
}

// TestPrintARequest: the DIR prints a request from its screen, in French:
// the record names the student by name, student number and EVN and
// leaves out their birth date, client ID and e-mail; its code is
// recorded for the server.
func TestPrintARequest(t *testing.T) {
	e, _, _ := desk(t, 60)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	rows, err := e.Store.Queue(e.Actor(), requests.QueueFilter{School: e.Account.Org, Statuses: []ens.Status{ens.Verified}, Limit: 1})
	if err != nil || len(rows.Rows) == 0 {
		t.Fatalf("no verified request in the demo: %v", err)
	}
	r, err := e.Store.Request(e.Actor(), rows.Rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	e.SetLang(translations.French)
	e.Show(ScreenRequest(r.ID))
	v := e.view.(*requestView)
	text := printedText(t, e, v.print)
	for _, w := range []string{"Fiche de demande", "Demande EV", r.Student.GivenNames + " " + r.Student.FamilyName,
		string(r.EVN), "Liste de vérification de l’admissibilité", "Vérifiée", e.lastPrinted.code} {
		if !strings.Contains(text, w) {
			t.Errorf("the printed request lacks %q:\n%s", w, text)
		}
	}
	for _, w := range []string{r.Student.ClientID.String(), r.Student.Email, r.Student.BirthDate.String()} {
		if w != "" && strings.Contains(text, w) {
			t.Errorf("the printed request holds %q, which it does not need", w)
		}
	}
	if rec, err := e.Store.Verify(e.lastPrinted.code); err != nil || rec.Kind != report.KindRequestRecord {
		t.Fatalf("the printing is not recorded: %+v %v", rec, err)
	}
}

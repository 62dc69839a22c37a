package ui

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain/account"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/translations"
)

// complianceDesk is a window on the server demo's records (two Ontario
// schools and one in Quebec, each with its DIR, a signatory and verified
// students, the year's list drawn up; the coordinators of Ontario and
// Quebec), on the sign-in screen, on 21 November 2026.
func complianceDesk(t *testing.T) *Env {
	t.Helper()
	e, _ := newTestEnv(t)
	clock := &testClock{now: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	sv, err := programs.OpenServer(t.TempDir(), store.ServerOptions{Store: store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true, Now: clock.Now}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sv.Close() })
	if _, err := demo.BuildServer(sv, demo.ServerOptions{Now: clock.now, Students: 4}); err != nil {
		t.Fatal(err)
	}
	e.Store = sv.Store()
	e.Show(ScreenSignIn)
	return e
}

// submitAll has the DIR signed in mark every student still unmarked
// eligible and submit, through the screen.
func submitAll(t *testing.T, e *Env) *complianceView {
	t.Helper()
	e.Show(ScreenCompliance)
	v := e.view.(*complianceView)
	test.Tap(v.clearSelection)
	test.Tap(v.selectUnmarked)
	test.Tap(v.markEligible)
	test.Tap(v.submit)
	test.Tap(findButton(t, e, e.T("shell.confirm")))
	if v.report == nil {
		t.Fatalf("not submitted: %q", v.fault.Text)
	}
	return v
}

// TestComplianceRefusalsKeepWhatWasTyped: a signatory marks but is not
// offered Submit or Amend; the DIR's ineligible mark without a reason,
// an amendment without its reason and the coordinator's empty reminder
// are each refused under the field, in the language of the screen, with
// what was typed and selected kept.
func TestComplianceRefusalsKeepWhatWasTyped(t *testing.T) {
	e := complianceDesk(t)
	signInAs(t, e, "sig.lakeview", demo.Password)
	q := openQueue(t, e)
	if q.compliance.Hidden {
		t.Fatal("the signatory's queue does not lead to the Annual Compliance")
	}
	test.Tap(q.compliance)
	v := e.view.(*complianceView)
	if len(v.rows) != 4 || v.submit.Visible() {
		t.Fatalf("the signatory's list: %d rows, Submit shown %v", len(v.rows), v.submit.Visible())
	}
	v.table.OnSelected(tableCell(1, 2))
	test.Tap(v.markEligible)
	if v.done.Text != "Marked eligible: 1." {
		t.Fatalf("the signatory's mark: %q %q", v.done.Text, v.markForm.general.Text)
	}

	signInAs(t, e, "dir.lakeview", demo.Password)
	e.Show(ScreenCompliance)
	v = e.view.(*complianceView)
	if !v.submit.Visible() {
		t.Fatal("the DIR is not offered Submit")
	}
	test.Tap(v.markIneligible)
	if !v.markForm.general.Visible() || !strings.Contains(v.markForm.general.Text, "Select the students first") {
		t.Fatalf("nothing selected: %q", v.markForm.general.Text)
	}
	v.table.OnSelected(tableCell(0, 1))
	test.Tap(v.markIneligible)
	e.SetLang(translations.French)
	if l := v.markForm.errors["reason"]; !l.Visible() || !strings.Contains(l.Text, "Indiquez pourquoi ces étudiants") || len(v.selected) != 1 {
		t.Fatalf("ineligible without a reason, in French: %q, selected %d", l.Text, len(v.selected))
	}
	e.SetLang(translations.English)

	v = submitAll(t, e)
	if !v.marking.Hidden || v.amending.Hidden {
		t.Fatal("marking still offered after the submission")
	}
	v.table.OnSelected(tableCell(2, 1))
	v.amendMark.SetSelected("Ineligible")
	test.Type(v.amendStudentReason, "Programme d’ALS/FLS seulement")
	test.Tap(v.amend)
	e.SetLang(translations.French)
	if l := v.amendForm.errors["amendReason"]; !l.Visible() || !strings.Contains(l.Text, "Indiquez pourquoi le rapport est modifié") ||
		v.amendStudentReason.Text != "Programme d’ALS/FLS seulement" || v.amendMark.Selected != "Non admissible" || len(v.selected) != 1 {
		t.Fatalf("amendment without a reason: %q, kept %q %q %d", l.Text, v.amendStudentReason.Text, v.amendMark.Selected, len(v.selected))
	}
	e.SetLang(translations.English)

	// The signatory sees the report locked, and no Amend.
	signInAs(t, e, "sig.lakeview", demo.Password)
	e.Show(ScreenCompliance)
	v = e.view.(*complianceView)
	if v.report == nil || !v.marking.Hidden || !v.amending.Hidden {
		t.Fatalf("the signatory after the submission: marking hidden %v, amending hidden %v", v.marking.Hidden, v.amending.Hidden)
	}

	// The coordinator of Ontario: an empty reminder is refused, the
	// dialog stays with what was typed.
	signInAs(t, e, "coord.on", demo.Password)
	cv, ok := e.view.(*coordinatorView)
	if !ok {
		t.Fatalf("the coordinator's home is %T", e.view)
	}
	if len(cv.schools) != 2 || len(cv.chase) != 1 || len(cv.open) != 1 {
		t.Fatalf("the coordinator's schools: %+v", cv.schools)
	}
	for _, b := range cv.chase {
		test.Tap(b)
	}
	test.Type(cv.chaseNote, "   ")
	test.Tap(cv.chaseSend)
	if !cv.chaseErr.Visible() || cv.chaseNote.Text != "   " || e.Window.Canvas().Overlays().Top() == nil {
		t.Fatalf("an empty note: %q", cv.chaseErr.Text)
	}
}

// TestGoldenCompliance renders the DIR's Annual Compliance screen (some
// students marked) and the coordinator's workspace (one school
// submitted, compiled) in both languages.
func TestGoldenCompliance(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e := complianceDesk(t)
			e.SetLang(lang)
			e.Window.Resize(fyne.NewSize(1240, 720))
			signInAs(t, e, "dir.lakeview", demo.Password)
			e.Show(ScreenCompliance)
			v := e.view.(*complianceView)
			v.table.OnSelected(tableCell(0, 1))
			test.Type(v.reason, "Études à temps partiel depuis janvier")
			test.Tap(v.markIneligible)
			v.table.OnSelected(tableCell(1, 1))
			v.table.OnSelected(tableCell(2, 1))
			test.Tap(v.markEligible)
			v.table.OnSelected(tableCell(3, 1))
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "compliance_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))

			submitAll(t, e)
			signInAs(t, e, "coord.on", demo.Password)
			cv := e.view.(*coordinatorView)
			test.Tap(cv.compile)
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "coordinator_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
		})
	}
}

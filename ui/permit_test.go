package ui

import (
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/ens"
	"dossier/domain/permit"
	"dossier/report"
	"dossier/store/demo"
	"dossier/store/requests"
	"dossier/translations"
)

// verifiedStudent has student1 raise a verification at Collège
// Beaulieu, the school's DIR verify it through the queue, and student1
// sign in again: their space on show.
func verifiedStudent(t *testing.T, e *Env) *studentView {
	t.Helper()
	signInAs(t, e, "student1", demo.Password)
	v := e.view.(*studentView)
	if v.permit.Visible() {
		t.Fatal("Apply for your work permit shows before any EVN")
	}
	v.school.SetSelectedIndex(0)
	v.birth.SetText("2003-02-14")
	v.client.SetText("8765 4321")
	test.Tap(v.send)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.search.SetText("8765-4321") })
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	for i := range r.checks {
		r.checks[i].SetSelected(r.checks[i].Options[1])
	}
	test.Tap(r.buttons[ens.Verify])
	signInAs(t, e, "student1", demo.Password)
	return e.view.(*studentView)
}

// switchTo shows the screen in lang.
func switchTo(e *Env, lang translations.Lang) {
	e.SetLang(lang)
}

// TestStudentAppliesForTheWorkPermit: through the screens, on a profile
// with no server (its own sandbox takes the fee): once the school has
// verified the student, their space offers the application; the form is
// prefilled from the request; a form with faults shows every one at once
// under its field and keeps what was typed; paid with the sandbox card,
// the status shows the sandbox receipt; the officer lists it, a refusal
// without reason is said under the reason, and the refusal with its
// reason reaches the student's message box. Each screen fits 1024×768 in
// English and in French.
func TestStudentAppliesForTheWorkPermit(t *testing.T) {
	e, _, _ := desk(t, 0)
	v := verifiedStudent(t, e)
	if !v.permit.Visible() {
		t.Fatal("no Apply for your work permit once verified")
	}
	test.Tap(v.permit)
	pv, ok := e.view.(*permitView)
	if !ok || pv.pay == nil {
		t.Fatalf("not on the permit form: %s", e.Current().ID)
	}
	if pv.entries["clientID"].Text != "8765-4321" || pv.entries["birthDate"].Text != "2003-02-14" || pv.entries["givenNames"].Text == "" {
		t.Fatalf("not prefilled: %q %q %q", pv.entries["clientID"].Text, pv.entries["birthDate"].Text, pv.entries["givenNames"].Text)
	}
	for _, lang := range []translations.Lang{translations.French, translations.English} {
		switchTo(e, lang)
		fitsScreen(t, e, "the permit form in "+string(lang))
	}

	// Faults, all at once.
	pv.entries["postalCode"].SetText("12345")
	pv.entries["passportNumber"].SetText("A1")
	pv.submit(requests.PermitFee().Cents)
	for _, field := range []string{"postalCode", "passportNumber", "passportExpiry", "street", "program", "consent", "declaration", "province"} {
		if !pv.errs[field].Visible() {
			t.Errorf("no fault under %s", field)
		}
	}
	switchTo(e, translations.French)
	if got := pv.errs["postalCode"].Text; !strings.Contains(got, "code postal") {
		t.Fatalf("the fault in French: %q", got)
	}
	if pv.entries["postalCode"].Text != "12345" {
		t.Fatal("what was typed is lost")
	}
	switchTo(e, translations.English)

	set := map[string]string{"passportNumber": "FR1234567", "passportCountry": "France", "passportExpiry": "2030-01-31",
		"street": "21 rue Lasalle", "city": "Sudbury", "postalCode": "p3a 6b1", "program": "Génie civil",
		"studyStart": "2025-09-02", "studyEnd": "2028-04-30", "email": "student1@example.ca"}
	for f, s := range set {
		pv.entries[f].SetText(s)
	}
	pv.province.SetSelected("ON")
	pv.consent.SetChecked(true)
	pv.declare.SetChecked(true)
	pv.card.number.SetText("4111 1111 1111 1111")
	pv.card.name.SetText("Student One")
	pv.card.expiry.SetText("12/2029")
	pv.card.cvc.SetText("123")
	pv.submit(requests.PermitFee().Cents)
	st, ok := e.view.(*permitView)
	if !ok || st.app == nil || st.app.Status != permit.Submitted || st.app.Receipt == nil || !st.app.Receipt.Sandbox {
		t.Fatalf("after paying: %+v (faults %v)", st.app, pv.faults)
	}
	shown := texts(e.Window.Content())
	if !strings.Contains(shown, "Submitted") || !strings.Contains(shown, "sandbox") || !strings.Contains(shown, "1111") {
		t.Fatalf("the status:\n%s", shown)
	}
	// Printed: the receipt, and the application in French.
	if text := printedText(t, e, st.prints[report.KindPermitReceipt]); !strings.Contains(text, "$155.00") ||
		!strings.Contains(text, "SANDBOX") || !strings.Contains(text, "ending in 1111") {
		t.Fatalf("the printed receipt:\n%s", text)
	}
	switchTo(e, translations.French)
	if text := printedText(t, e, st.prints[report.KindPermitApplication]); !strings.Contains(text, "Demande de permis de travail hors campus") ||
		!strings.Contains(text, "FR1234567") || !strings.Contains(text, "P3A 6B1") || !strings.Contains(text, "Code de vérification") {
		t.Fatalf("the printed application in French:\n%s", text)
	}
	if shown := texts(e.Window.Content()); !strings.Contains(shown, "Présentée") || !strings.Contains(shown, "NVA") {
		t.Fatalf("the status in French:\n%s", shown)
	}
	fitsScreen(t, e, "the status in French")
	switchTo(e, translations.English)
	fitsScreen(t, e, "the status in English")

	// The officer.
	signInAs(t, e, "program", demo.Password)
	e.Show(ScreenOfficerPermits)
	ov := e.view.(*officerPermitsView)
	if len(ov.apps) != 1 {
		t.Fatalf("the officer lists %d applications", len(ov.apps))
	}
	ov.choose(0)
	ov.record(ov.apps[0].ID, permit.Review)
	if ov.apps[0].Status != permit.InReview {
		t.Fatalf("after the review started: %s", ov.apps[0].Status.Code())
	}
	ov.reason.SetText("  ")
	ov.record(ov.apps[0].ID, permit.Refuse)
	if !ov.reasonEr.Visible() || ov.apps[0].Status != permit.InReview {
		t.Fatalf("a refusal without reason: %q %s", ov.reasonEr.Text, ov.apps[0].Status.Code())
	}
	for _, lang := range []translations.Lang{translations.French, translations.English} {
		switchTo(e, lang)
		fitsScreen(t, e, "the officer's decision in "+string(lang))
	}
	ov.reason.SetText("You were not enrolled full time.")
	ov.record(ov.apps[0].ID, permit.Refuse)
	if ov.apps[0].Status != permit.Refused {
		t.Fatalf("after the refusal: %s", ov.apps[0].Status.Code())
	}

	// The student's message box.
	signInAs(t, e, "student1", demo.Password)
	v = e.view.(*studentView)
	var box []string
	for _, o := range v.messages.Objects {
		box = append(box, o.(*widget.Label).Text)
	}
	if all := strings.Join(box, "\n"); !strings.Contains(all, "You were not enrolled full time.") || !strings.Contains(all, "refused") {
		t.Fatalf("message box:\n%s", all)
	}
	// Refused: the student may apply again, the form filled as sent.
	test.Tap(v.permit)
	again := e.view.(*permitView)
	if again.again == nil {
		t.Fatal("no Apply again after a refusal")
	}
	test.Tap(again.again)
	if f := e.view.(*permitView); f.pay == nil || f.entries["passportNumber"].Text != "FR1234567" {
		t.Fatal("applying again does not show the form as sent")
	}
}

// TestPermitDraftSaysSoAndDiscards: what the student typed on the work
// permit form comes back with "Draft kept — not yet saved"; Discard
// changes puts back what the form had; the card is never kept; and a
// draft kept by the earlier version of the screen comes back too.
func TestPermitDraftSaysSoAndDiscards(t *testing.T) {
	e, _, _ := desk(t, 20)
	verifiedStudent(t, e)
	e.Show(ScreenPermit)
	pv := e.view.(*permitView)
	postal := pv.entries["postalCode"]
	saved := postal.Text
	postal.SetText("K1A 0B1")
	pv.card.number.SetText("4111 1111 1111 1111")
	e.Show(ScreenStudent)
	e.Show(ScreenPermit)
	pv = e.view.(*permitView)
	if got := pv.entries["postalCode"].Text; got != "K1A 0B1" {
		t.Fatalf("postal code after leaving: %q", got)
	}
	if !pv.drafts.note.Visible() {
		t.Error("no \"Draft kept\" on return")
	}
	if pv.card.number.Text != "" {
		t.Error("the card number was kept")
	}
	test.Tap(pv.drafts.discard)
	if got := pv.entries["postalCode"].Text; got != saved || pv.drafts.note.Visible() {
		t.Errorf("after Discard: %q (want %q), note shown %v", got, saved, pv.drafts.note.Visible())
	}
	e.Show(ScreenStudent)
	e.Show(ScreenPermit)
	if pv = e.view.(*permitView); pv.drafts.note.Visible() {
		t.Error("the note came back after Discard")
	}

	// The earlier version's draft, as it kept it.
	old, _ := json.Marshal(permitDraft{Fields: map[string]string{"postalCode": "H2X 1Y4"}, Province: 1, Consent: true})
	if err := e.saveDraft(e.Actor(), permitForm, old); err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenStudent)
	e.Show(ScreenPermit)
	pv = e.view.(*permitView)
	if pv.entries["postalCode"].Text != "H2X 1Y4" || pv.province.SelectedIndex() != 1 || !pv.consent.Checked || !pv.drafts.note.Visible() {
		t.Errorf("the earlier draft: postal %q, province %d, consent %v, note %v", pv.entries["postalCode"].Text,
			pv.province.SelectedIndex(), pv.consent.Checked, pv.drafts.note.Visible())
	}
}

package ui

import (
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/sync"
	"dossier/translations"
)

// TestApplicantSeesTheirConflict: a conflict on the applicant's own
// application is listed on their sync screen, in both languages, with the
// field's label, the kept and the replaced value, and a way to the tab.
func TestApplicantSeesTheirConflict(t *testing.T) {
	e := applicantDesk(t)
	if err := e.Store.UpdateSyncState(func(s *store.SyncState) { s.Server = "https://dossier.example.ca:8443" }); err != nil {
		t.Fatal(err)
	}
	id, _ := domain.NewID(e.Now(), rand.Reader)
	cr, _ := json.Marshal(store.ConflictRecord{ID: id, On: sync.EntityApplication, Record: e.Account.ID,
		Accounts: []domain.ID{e.Account.ID}, Field: "contact.residence.city",
		Kept: sync.FieldVersion{Value: `"Timmins"`}, Lost: sync.FieldVersion{Value: `"Sudbury"`}, At: e.Now()})
	page := sync.ChangesResponse{Epoch: id, Next: 1, Changes: []sync.Change{{Seq: 1, Kind: sync.EntityConflict, ID: id, Data: cr}}}
	if _, err := e.Store.ApplyChanges(domain.ID{}, domain.ID{}, 0, page); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[translations.Lang][]string{
		translations.English: {"OINP application", "Timmins", "Sudbury", "Open the form"},
		translations.French:  {"Demande au POCI", "Timmins", "Sudbury", "Ouvrir le formulaire"},
	} {
		e.SetLang(lang)
		e.Show(ScreenSync)
		v := e.view.(*syncView)
		if len(v.conflicting) != 1 {
			t.Fatalf("%s: %d conflicts listed", lang, len(v.conflicting))
		}
		var text []string
		walkLabels(v.conflicts, func(s string) { text = append(text, s) })
		walkButtons(v.conflicts, func(s string) { text = append(text, s) })
		walkLabels(e.Window.Content(), func(s string) { text = append(text, s) })
		all := strings.Join(text, "\n")
		label := e.T(oinp.LabelKey("contact.residence.city"))
		for _, w := range append(want, label, e.T("sync.conflicts.title")) {
			if !strings.Contains(all, w) {
				t.Errorf("%s: %q not in\n%s", lang, w, all)
			}
		}
	}
	// Another applicant's desk person does not read it.
	other := e.Actor()
	other.Account = domain.ID{1}
	if cs, _ := e.Store.Conflicts(other); len(cs) != 0 {
		t.Errorf("someone else reads the applicant's conflict")
	}
}

// walkButtons calls fn with the text of every button under o.
func walkButtons(o fyne.CanvasObject, fn func(string)) {
	switch w := o.(type) {
	case *widget.Button:
		fn(w.Text)
	case *fyne.Container:
		for _, c := range w.Objects {
			walkButtons(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			walkButtons(c, fn)
		}
	}
}

// TestARefusedSaveNamesItsTab: the server refused the applicant's save
// over one field; the sync screen's row names the tab that field is on, in
// either language, and its Open the form goes there, as a conflict's row
// does.
func TestARefusedSaveNamesItsTab(t *testing.T) {
	e := applicantDesk(t)
	if err := e.Store.UpdateSyncState(func(s *store.SyncState) { s.Server = "https://dossier.example.ca:8443" }); err != nil {
		t.Fatal(err)
	}
	rec, _, err := e.Store.Application(e.Actor())
	if err != nil {
		t.Fatal(err)
	}
	app := rec.App
	app.Contact.Address.City = "Timmins"
	if _, err := e.Store.SaveApplication(e.Actor(), app); err != nil {
		t.Fatal(err)
	}
	out, err := e.Store.PendingFor(e.Actor().Account, 100)
	if err != nil || len(out) == 0 || out[len(out)-1].Command.Kind != applications.KindEditApplication {
		t.Fatalf("the outbox: %d commands, %v", len(out), err)
	}
	refusal := domain.FieldError(domain.ErrRequired, "education.items[0].from")
	err = e.Store.Acknowledge([]sync.Answer{{Command: out[len(out)-1].Command.ID, Outcome: sync.Rejected,
		Error: sync.EncodeError(refusal)}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		e.Show(ScreenSync)
		v := e.view.(*syncView)
		var text []string
		walkLabels(v.rejections, func(s string) { text = append(text, s) })
		all := strings.Join(text, "\n")
		if want := e.T("sync.about", kindText(e, applications.KindEditApplication), e.T(oinp.TabEducation.MessageKey())); !strings.Contains(all, want) {
			t.Errorf("%s: %q not in\n%s", lang, want, all)
		}
	}
	// Its Open the form goes to that tab.
	test.Tap(rowButton(t, e.view.(*syncView).rejections, 0, e.T("sync.open.form")))
	if got, want := e.Current().ID, ScreenApplication(oinp.TabEducation).ID; got != want {
		t.Errorf("Open the form shows %s, want %s", got, want)
	}
	if field := refusedField(store.Rejection{Kind: applications.KindEditApplication, Error: sync.EncodeError(domain.Errorf(oinp.ErrSubmitted))}); field != "" {
		t.Errorf("a refusal of no field names field %q", field)
	}
}

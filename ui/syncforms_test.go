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

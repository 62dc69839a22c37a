package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store/demo"
	"dossier/translations"
)

// fyneEnglish are the words Fyne's own widgets say in English (its
// lang/translations/base.en.json, Fyne 2.7, and the Select's constant
// placeholder): none may show while Dossier speaks French.
var fyneEnglish = []string{
	"(Select one)", "Advanced", "Cancel", "Confirm", "Copy", "Create Folder", "Cut",
	"Enter filename", "Error", "Favourites", "File", "Folder", "New Folder", "No", "OK",
	"Open", "Paste", "Quit", "Redo", "Save", "Select all", "Show Hidden Files", "Undo",
	"Yes", "Name", "(Parent)", "Open File", "Save File", "Open Folder",
}

// shownTexts is every text drawn on the window: its content and every
// overlay (dialogs, pop-up menus), through the widgets' renderers, leaving
// out what is hidden.
func shownTexts(w fyne.Window) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *canvas.Text:
			if s := strings.TrimSpace(v.Text); s != "" {
				out = append(out, s)
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(w.Content())
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	return out
}

// placeNames are the names of every place the file picker on w lists.
func placeNames(t *testing.T, w fyne.Window) []string {
	t.Helper()
	list := placesList(w.Canvas().Overlays().Top())
	if list == nil {
		t.Fatal("no list of places in the file picker")
	}
	var out []string
	for id := range list.Length() {
		row := list.CreateItem()
		list.UpdateItem(id, row)
		out = append(out, rowLabel(row).Text)
	}
	return out
}

func noFyneEnglish(t *testing.T, w fyne.Window, where string) []string {
	t.Helper()
	texts := shownTexts(w)
	for _, s := range texts {
		if slices.Contains(fyneEnglish, s) {
			t.Errorf("%s shows Fyne's English %q in French", where, s)
		}
	}
	return texts
}

func closeWindowOverlays(w fyne.Window) {
	for w.Canvas().Overlays().Top() != nil {
		w.Canvas().Overlays().Top().Hide()
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	}
}

// TestFrenchHasNoFyneWords walks a DIR's screens in French — the queue,
// a request, its Assign dialog (an empty Select), an entry's context menu
// (Cut, Copy, Paste, Select all), a file dialog — and finds none of Fyne's
// English words: Fyne follows the in-app switch, not the system's
// language, and a Select with nothing chosen says our words.
func TestFrenchHasNoFyneWords(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.SetLang(translations.French)
	q := openQueue(t, e)
	noFyneEnglish(t, e.Window, "the queue")

	// The entry's context menu, in French, then in English after the switch.
	menuWords := func() []string {
		fyne.DoAndWait(func() { q.search.TappedSecondary(&fyne.PointEvent{}) })
		texts := shownTexts(e.Window)
		closeWindowOverlays(e.Window)
		return texts
	}
	if got := menuWords(); !slices.Contains(got, "Couper") || !slices.Contains(got, "Tout sélectionner") || slices.Contains(got, "Cut") {
		t.Errorf("the search field's context menu in French: %q", got)
	}
	e.SetLang(translations.English)
	if got := menuWords(); !slices.Contains(got, "Cut") || slices.Contains(got, "Couper") {
		t.Errorf("the search field's context menu in English: %q", got)
	}
	e.SetLang(translations.French)

	// A request and its Assign dialog: an empty Select.
	e.Show(ScreenRequest(q.ids[0]))
	r := e.view.(*requestView)
	noFyneEnglish(t, e.Window, "a request")
	b, ok := r.buttons[ens.Assign]
	if !ok {
		t.Fatal("no Assign button on the request")
	}
	test.Tap(b)
	if texts := noFyneEnglish(t, e.Window, "the Assign dialog"); !slices.Contains(texts, e.T("queue.assign.choose")) {
		t.Errorf("the Assign dialog's empty choice: %q", texts)
	}
	closeWindowOverlays(e.Window)

	// A file dialog, as the attachments open it, with a home that has
	// the usual folders, so that the picker lists them among its places.
	home := t.TempDir()
	for _, dir := range []string{"Desktop", "Documents", "Downloads", "Music", "Pictures", "Videos"} {
		if err := os.Mkdir(filepath.Join(home, dir), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	t.Setenv("PATH", "") // no xdg-user-dir: the folders are the home's own
	fyne.DoAndWait(func() { showFileDialog(e, dialog.NewFileOpen(func(fyne.URIReadCloser, error) {}, e.Window)) })
	if texts := noFyneEnglish(t, e.Window, "the file dialog"); !slices.Contains(texts, "Ouvrir un fichier") || !slices.Contains(texts, "Annuler") {
		t.Errorf("the file dialog in French: %q", texts)
	}
	// Its places, every row of the list (the window shows the first few;
	// the home's folders themselves keep the names they have on disk).
	want := []string{"Dossier personnel", "Ordinateur", "Bureau", "Documents", "Téléchargements", "Musique", "Images", "Vidéos"}
	if got := placeNames(t, e.Window); !slices.Equal(got, want) {
		t.Errorf("the file dialog's places in French: %q, want %q", got, want)
	}
	closeWindowOverlays(e.Window)
	e.SetLang(translations.English)
	fyne.DoAndWait(func() { showFileDialog(e, dialog.NewFileOpen(func(fyne.URIReadCloser, error) {}, e.Window)) })
	want = []string{"Home", "Computer", "Desktop", "Documents", "Downloads", "Music", "Pictures", "Videos"}
	if got := placeNames(t, e.Window); !slices.Equal(got, want) {
		t.Errorf("the file dialog's places in English: %q, want %q", got, want)
	}
	closeWindowOverlays(e.Window)
	e.SetLang(translations.French)

	// A Select built by any screen says our words in either language.
	s := widget.NewSelect([]string{"a"}, nil)
	choosePlaceholder(e, s)
	if s.PlaceHolder != "(Faites un choix)" {
		t.Errorf("placeholder in French: %q", s.PlaceHolder)
	}
	e.SetLang(translations.English)
	if s.PlaceHolder != "(Choose one)" {
		t.Errorf("placeholder in English: %q", s.PlaceHolder)
	}
}

// TestRoleFormInFrench: a person's role reads in the form they chose — the
// neutral wording until they choose, then theirs, in the top bar at once —
// and a sign-up carries the form chosen on the form. Both screens fit
// 1024×768 in either language.
func TestRoleFormInFrench(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.SetLang(translations.French)
	person := func() string { return e.bar.person.Text }
	if !strings.Contains(person(), "(Personne représentante institutionnelle désignée)") {
		t.Errorf("the DIR before choosing: %q", person())
	}
	e.Show(ScreenSync)
	v := e.view.(*syncView)
	for _, l := range translations.Langs {
		e.SetLang(l)
		fitsScreen(t, e, "the sync screen with the role's form")
	}
	e.SetLang(translations.French)
	v.roleForm.choice.radio.SetSelected("Féminin")
	test.Tap(v.roleForm.save)
	if !strings.Contains(person(), "(Représentante institutionnelle désignée)") || e.Account.Form != account.FormFeminine {
		t.Errorf("the DIR after choosing the feminine: %q %q", person(), e.Account.Form)
	}
	if a, err := e.Store.Account(e.Account.ID); err != nil || a.Form != account.FormFeminine {
		t.Errorf("the account kept %q %v", a.Form, err)
	}
	e.SetLang(translations.English)
	if !strings.Contains(person(), "(Designated Institutional Representative)") {
		t.Errorf("in English: %q", person())
	}

	// A sign-up in French, masculine.
	e.LogOut()
	e.SetLang(translations.French)
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fitsScreen(t, e, "the sign-up with the role's form")
	fillCredentials(f, "Luc", "Gagnon", "luc.gagnon")
	f.email.SetText("luc@example.ca")
	f.roleForm.radio.SetSelected("Masculin")
	test.Tap(f.submit)
	if e.Session == nil || e.Account.Form != account.FormMasculine || !strings.Contains(person(), "(Étudiant)") {
		t.Fatalf("signed up: %q %q %q", e.Account.Form, person(), f.form.general.Text)
	}
}

// TestNoFeeButtonBeforeTheFeeIsKnown: a new application does not say where
// the person will work, so its fee is not known: the Processing Fee tab
// offers no "Pay $0.00", in either language.
func TestNoFeeButtonBeforeTheFeeIsKnown(t *testing.T) {
	e := applicantDesk(t)
	for _, l := range translations.Langs {
		e.SetLang(l)
		e.Show(ScreenApplication(oinp.TabFee))
		v := appViewOf(t, e)
		if v.fee.pay == nil || v.fee.pay.Visible() {
			t.Errorf("%s: the Pay button shows before the fee is known", l)
		}
		for _, s := range shownTexts(e.Window) {
			if strings.Contains(s, "0.00") || strings.Contains(s, "0,00") {
				t.Errorf("%s: %q on the fee tab", l, s)
			}
		}
	}
}

// TestDocumentGroupsNumberedInOrder: the Documents tab numbers the groups
// it shows 1, 2, 3… whichever groups an application needs.
func TestDocumentGroupsNumberedInOrder(t *testing.T) {
	e := applicantDesk(t)
	for _, l := range translations.Langs {
		e.SetLang(l)
		e.Show(ScreenApplication(oinp.TabDocuments))
		want := 1
		for _, s := range shownTexts(e.Window) {
			if n, rest, ok := strings.Cut(s, ". "); ok && len(n) <= 2 && rest != "" && n[0] >= '0' && n[0] <= '9' {
				if n != strconv.Itoa(want) {
					t.Errorf("%s: group %q after %d", l, s, want-1)
				}
				want++
			}
		}
		if want < 3 {
			t.Errorf("%s: only %d groups numbered", l, want-1)
		}
	}
}

// TestSignUpIsAFirstClassChoice: the sign-in screen offers signing up as
// a student, an OINP applicant or a representative, each opening the
// sign-up for that person; the applicant's names and e-mail, given once
// there, are already in their new application. Both screens fit 1024×768
// in either language.
func TestSignUpIsAFirstClassChoice(t *testing.T) {
	e, _, _ := desk(t, 0)
	for _, l := range translations.Langs {
		e.SetLang(l)
		e.Show(ScreenSignIn)
		fitsScreen(t, e, "the sign-in screen with the sign-up choices")
	}
	e.SetLang(translations.French)
	e.Show(ScreenSignIn)
	test.Tap(findButton(t, e, "Pour présenter une demande au POCI"))
	f := e.view.(*credentialForm)
	if radioIndex(f.as) != 1 {
		t.Fatalf("the sign-up for an applicant has %q chosen", f.as.Selected)
	}
	fillCredentials(f, "Amélie", "Roy", "amelie.roy")
	f.email.SetText("amelie@example.ca")
	test.Tap(f.submit)
	if e.Account.Role != account.Applicant {
		t.Fatalf("signed up as %v: %q", e.Account.Role, f.form.general.Text)
	}
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, e)
	if a := v.s.app; a.Applicant.GivenNames != "Amélie" || a.Applicant.FamilyName != "Roy" || a.Contact.Email != "amelie@example.ca" {
		t.Errorf("the new application asks again: %+v %q", a.Applicant, a.Contact.Email)
	}

	e.LogOut()
	e.Show(ScreenSignIn)
	test.Tap(findButton(t, e, "Comme représentante ou représentant"))
	if f := e.view.(*credentialForm); radioIndex(f.as) != 2 {
		t.Errorf("the sign-up for a representative has %q chosen", f.as.Selected)
	}
	e.Show(ScreenSignIn)
	test.Tap(findButton(t, e, "Comme étudiante ou étudiant"))
	if f := e.view.(*credentialForm); radioIndex(f.as) != 0 {
		t.Errorf("the sign-up for a student has %q chosen", f.as.Selected)
	}
}

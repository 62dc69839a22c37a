package ui

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/demo"
	"dossier/translations"
)

// openRequest shows a request of the DIR queue (the queue's first row)
// and returns its screen.
func openFirstRequest(t *testing.T, e *Env) *requestView {
	t.Helper()
	q := openQueue(t, e)
	q.open(widget.TableCellID{Row: 0, Col: 3})
	return e.view.(*requestView)
}

func showRequest(e *Env, id domain.ID) *requestView {
	e.Show(ScreenRequest(id))
	return e.view.(*requestView)
}

// TestDraftKeptOnBackAndDiscarded: notes typed and a checklist mark are
// kept on Back to the queue, with no question asked; coming back shows
// them with "Draft kept — not yet saved"; Discard changes puts back the
// saved record and forgets the draft.
func TestDraftKeptOnBackAndDiscarded(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := openFirstRequest(t, e)
	id, saved, savedCheck := r.r.ID, r.notes.Text, radioIndex(r.checks[0])
	if r.drafts.Notice().Visible() {
		t.Fatal("a fresh request says a draft was kept")
	}
	r.notes.SetText("Called the registrar")
	r.checks[0].SetSelected(r.checks[0].Options[2])
	test.Tap(findButton(t, e, e.T("request.back")))
	if e.Current().ID != ScreenQueue.ID {
		t.Fatalf("Back went to %q", e.Current().ID)
	}
	r = showRequest(e, id)
	if r.notes.Text != "Called the registrar" || radioIndex(r.checks[0]) != 2 {
		t.Fatalf("after Back: notes %q, check %d", r.notes.Text, radioIndex(r.checks[0]))
	}
	if !r.drafts.Notice().Visible() || r.drafts.noteText.Text != "Draft kept — not yet saved" {
		t.Fatalf("the draft is not said: %v %q", r.drafts.Notice().Visible(), r.drafts.noteText.Text)
	}
	e.SetLang(translations.French)
	if r.drafts.noteText.Text != "Brouillon conservé — pas encore enregistré" || r.drafts.discard.Text != "Abandonner les modifications" {
		t.Fatalf("in French: %q %q", r.drafts.noteText.Text, r.drafts.discard.Text)
	}
	test.Tap(r.drafts.discard)
	if r.notes.Text != saved || radioIndex(r.checks[0]) != savedCheck || r.drafts.Notice().Visible() {
		t.Fatalf("Discard left notes %q, check %d", r.notes.Text, radioIndex(r.checks[0]))
	}
	e.GoHome()
	r = showRequest(e, id)
	if r.notes.Text != saved || r.drafts.Notice().Visible() {
		t.Fatalf("a discarded draft came back: %q", r.notes.Text)
	}
}

// TestDraftForgottenWhenSaved: Save writes the notes and the draft goes
// with them.
func TestDraftForgottenWhenSaved(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := openFirstRequest(t, e)
	id := r.r.ID
	r.notes.SetText("Transcript received")
	e.tickDrafts() // the draft is in the profile before the save
	if _, ok := r.buttons[ens.Save]; !ok {
		t.Skip("the first request cannot be saved")
	}
	test.Tap(r.buttons[ens.Save])
	r = showRequest(e, id)
	if r.notes.Text != "Transcript received" || r.drafts.Notice().Visible() {
		t.Fatalf("after Save: %q, draft said %v", r.notes.Text, r.drafts.Notice().Visible())
	}
	if b, _ := e.Store.PeekDraft(e.Actor(), "dir.request/"+id.String()); b != nil {
		t.Fatalf("the draft outlived the save: %s", b)
	}
}

// TestDraftIsPerPerson: two people on one desk never see each other's
// drafts; each finds their own after signing back in.
func TestDraftIsPerPerson(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := openFirstRequest(t, e)
	id, saved := r.r.ID, r.notes.Text
	r.notes.SetText("The DIR's half-written note")
	test.Tap(e.bar.logout)
	signInAs(t, e, "sig1.beaulieu", demo.Password)
	r = showRequest(e, id)
	if r.notes.Text != saved || r.drafts.Notice().Visible() {
		t.Fatalf("the signatory sees the DIR's draft: %q", r.notes.Text)
	}
	r.notes.SetText("The signatory's own note")
	e.LogOut()
	signInAs(t, e, "dir.beaulieu", demo.Password)
	if r = showRequest(e, id); r.notes.Text != "The DIR's half-written note" {
		t.Fatalf("the DIR's draft after Log out: %q", r.notes.Text)
	}
	e.LogOut()
	signInAs(t, e, "sig1.beaulieu", demo.Password)
	if r = showRequest(e, id); r.notes.Text != "The signatory's own note" {
		t.Fatalf("the signatory's draft: %q", r.notes.Text)
	}
}

// TestDraftDebounce: the values are kept a second after the last change,
// not at each keystroke.
func TestDraftDebounce(t *testing.T) {
	e, clock, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := openFirstRequest(t, e)
	form := "dir.request/" + r.r.ID.String()
	kept := func() string {
		b, _ := e.Store.PeekDraft(e.Actor(), form)
		return string(b)
	}
	test.Type(r.notes, " typing")
	e.tickDrafts()
	if kept() != "" {
		t.Fatal("kept while the person types")
	}
	clock.now = clock.now.Add(500 * time.Millisecond)
	e.tickDrafts()
	if kept() != "" {
		t.Fatal("kept before the pause")
	}
	clock.now = clock.now.Add(600 * time.Millisecond)
	e.tickDrafts()
	if !strings.Contains(kept(), " typing") {
		t.Fatalf("not kept after a second's pause: %q", kept())
	}
	// Back to the record's own words: no draft at all.
	r.notes.SetText(r.drafts.fields[0].saved)
	e.tickDrafts()
	clock.now = clock.now.Add(2 * time.Second)
	e.tickDrafts()
	if kept() != "" {
		t.Fatalf("a draft equal to the record is kept: %q", kept())
	}
}

// TestDraftKeptWhenTheWindowCloses: Closing (the window's close
// intercept) keeps what was typed; the next run finds it.
func TestDraftKeptWhenTheWindowCloses(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := openFirstRequest(t, e)
	id := r.r.ID
	r.notes.SetText("Typed just before closing")
	path := filepath.Join(e.DataDir, store.ProfileFileName)
	e.Closing()
	e.Close()

	e2, _ := newTestEnv(t)
	e2.Now = e.Now
	if err := e2.Open(path, "profile password"); err != nil {
		t.Fatal(err)
	}
	signInAs(t, e2, "dir.beaulieu", demo.Password)
	if r = showRequest(e2, id); r.notes.Text != "Typed just before closing" || !r.drafts.Notice().Visible() {
		t.Fatalf("after closing: %q", r.notes.Text)
	}
}

// TestDraftSurvivesKill types into a request in a child process, waits
// past the debounce, kills it (SIGKILL: nothing runs on the way out) and
// opens the profile again: the notes are there.
func TestDraftSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	id := openFirstRequest(t, e).r.ID
	path := filepath.Join(e.DataDir, store.ProfileFileName)
	now := e.Now
	e.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestDraftKillChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DOSSIER_DRAFT_CHILD="+path, "DOSSIER_DRAFT_REQUEST="+id.String(), "TMPDIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			if s.Text() == "DRAFT KEPT" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("the child ended before keeping the draft")
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child never kept the draft")
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	e2, _ := newTestEnv(t)
	e2.Now = now
	if err := e2.Open(path, "profile password"); err != nil {
		t.Fatal(err)
	}
	signInAs(t, e2, "dir.beaulieu", demo.Password)
	if r := showRequest(e2, id); r.notes.Text != "Typed, then the process was killed" || !r.drafts.Notice().Visible() {
		t.Fatalf("after kill -9: %q", r.notes.Text)
	}
}

// TestDraftKillChild is TestDraftSurvivesKill's child process.
func TestDraftKillChild(t *testing.T) {
	path := os.Getenv("DOSSIER_DRAFT_CHILD")
	if path == "" {
		t.Skip("run by TestDraftSurvivesKill")
	}
	id, err := domain.ParseID(os.Getenv("DOSSIER_DRAFT_REQUEST"))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := newTestEnv(t)
	clock := &testClock{now: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	if err := e.Open(path, "profile password"); err != nil {
		t.Fatal(err)
	}
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := showRequest(e, id)
	r.notes.SetText("Typed, then the process was killed")
	e.tickDrafts()
	clock.now = clock.now.Add(draftDebounce)
	e.tickDrafts()
	os.Stdout.WriteString("DRAFT KEPT\n")
	time.Sleep(time.Hour) // until killed
}

// TestDraftOfTheApplicationSaysSoAndDiscards: the OINP working copy left
// unsaved by Log out comes back with "Draft kept", and Discard changes
// puts back the saved application.
func TestDraftOfTheApplicationSaysSoAndDiscards(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := e.view.(*appView)
	family := v.form.focus["applicant.familyName"].(*Entry)
	saved := family.Text
	family.SetText("Nguyen-Tran")
	e.LogOut()
	if err := e.SignIn("linh.nguyen", "a long password 1", testAnswer); err != nil {
		t.Fatal(err)
	}
	e.Show(ScreenApplication(oinp.TabApplicant))
	v = e.view.(*appView)
	family = v.form.focus["applicant.familyName"].(*Entry)
	if family.Text != "Nguyen-Tran" {
		t.Fatalf("after Log out: %q", family.Text)
	}
	discard := findButton(t, e, "Discard changes")
	if !discard.Visible() {
		t.Fatal("no Discard changes beside Save")
	}
	fitsScreen(t, e, "the application with a draft kept")
	test.Tap(discard)
	v = e.view.(*appView)
	if family = v.form.focus["applicant.familyName"].(*Entry); family.Text != saved {
		t.Fatalf("after Discard: %q, want %q", family.Text, saved)
	}
	if b, _ := e.Store.PeekDraft(e.Actor(), v.s.draftKey()); b != nil {
		t.Fatal("the draft outlived Discard")
	}
}

// TestDraftNoticeFitsInFrench: a request with a draft kept, and a screen
// whose note shows under the top bar, fit 1024×768 in French.
func TestDraftNoticeFitsInFrench(t *testing.T) {
	e, _, _ := desk(t, 20)
	e.Window.Resize(fyne.NewSize(1024, 768))
	signInAs(t, e, "dir.beaulieu", demo.Password)
	r := openFirstRequest(t, e)
	id := r.r.ID
	r.notes.SetText("Une note à moitié écrite")
	e.Show(ScreenPINs)
	e.view.(*pinsView).given.SetText("Luc")
	e.Show(ScreenRequest(id))
	e.SetLang(translations.French)
	r = e.view.(*requestView)
	if !r.drafts.Notice().Visible() {
		t.Fatal("no draft said")
	}
	fitsScreen(t, e, "a request with a draft kept")
	e.Show(ScreenPINs)
	if !e.draftBox.Visible() {
		t.Fatal("the PIN screen's draft is not said")
	}
	fitsScreen(t, e, "the PIN screen with a draft kept")
	test.Tap(findButton(t, e, "Abandonner les modifications"))
	if e.view.(*pinsView).given.Text != "" || e.draftBox.Visible() {
		t.Fatal("Discard left the draft")
	}
}

// TestDraftBeforeSignIn: what is typed in the sign-up form before anyone
// signs in is kept in memory across screens, and goes once the sign-up
// is done, so the next visitor does not see it.
func TestDraftBeforeSignIn(t *testing.T) {
	e, _, _ := desk(t, 0)
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fillCredentials(f, "Rémi", "Roy", "remi.roy")
	f.email.SetText("remi@example.ca")
	test.Tap(f.back)
	e.Show(ScreenRegister)
	f = e.view.(*credentialForm)
	if f.given.Text != "Rémi" || f.email.Text != "remi@example.ca" || f.user.Text != "remi.roy" {
		t.Fatalf("the sign-up form lost %q %q %q", f.given.Text, f.email.Text, f.user.Text)
	}
	if f.pass.Text != "" || f.answers[0].Text != "" {
		t.Fatal("a password or an answer was kept")
	}
	f.pass.SetText("a long password 1")
	f.repeat.SetText("a long password 1")
	for i := range f.answers {
		f.answers[i].SetText([]string{"answer one", "answer two", "answer three", "answer four"}[i])
	}
	test.Tap(f.submit)
	if e.Session == nil {
		t.Fatalf("not registered: %q", f.form.general.Text)
	}
	e.LogOut()
	e.Show(ScreenRegister)
	if f = e.view.(*credentialForm); f.given.Text != "" || f.email.Text != "" {
		t.Fatalf("the next visitor sees %q %q", f.given.Text, f.email.Text)
	}
}

package ui

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/store/storetest"
	"dossier/translations"
)

// testClock is a clock the tests move by hand.
type testClock struct{ now time.Time }

func (c *testClock) Now() time.Time { return c.now }

// desk is a headless window on a demo profile with two schools and a few
// requests, cheap to derive keys for.
func desk(t *testing.T, requests int) (*Env, *testClock, demo.Result) {
	t.Helper()
	e, _ := newTestEnv(t)
	clock := &testClock{now: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	opt := e.StoreOptions
	opt.Now = clock.Now
	s, err := programs.Create(filepath.Join(e.DataDir, store.ProfileFileName), "profile password", opt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Build(s, demo.Options{Requests: requests, Seed: 7, Today: domain.DateOf(clock.now)})
	if err != nil {
		t.Fatal(err)
	}
	e.Store = s
	e.Show(ScreenSignIn)
	return e, clock, res
}

// signInAs signs in through the sign-in screen.
func signInAs(t *testing.T, e *Env, user, password string) {
	t.Helper()
	if e.Session != nil {
		e.LogOut()
	}
	s := e.view.(*signIn)
	s.user.SetText(user)
	test.Type(s.pass, password)
	test.Tap(s.btn)
	answerSignIn(t, e, s, user)
}

// answerSignIn waits for the end of a sign-in begun on the sign-in
// screen s, answering its security question as the person would.
func answerSignIn(t *testing.T, e *Env, s *signIn, user string) {
	t.Helper()
	asked := false
	waitFor(t, "the sign-in of "+user, func() bool {
		var done bool
		fyne.DoAndWait(func() {
			if s.ask.Visible() && !asked {
				asked = true
				test.Type(s.answer, testAnswer(s.question.Text))
				test.Tap(s.answerBtn)
			}
			_, left := e.view.(*signIn)
			done = e.Session != nil && !left || s.step.Visible() && (s.form.general.Visible() || anyVisible(s.form.errors)) ||
				s.ask.Visible() && s.qform.general.Visible()
		})
		return done
	})
	fyne.DoAndWait(func() {
		if e.Session == nil {
			t.Logf("sign-in of %s: %q %q", user, s.form.general.Text, s.qform.general.Text)
		}
	})
}

// testAnswer is the tests' people's answer to question, as they set it.
func testAnswer(question string) string {
	if a := demo.Answer(question); a != "" {
		return a
	}
	a, _ := storetest.Answerer(officerQuestions, testQuestions(), [account.QuestionCount]account.SecurityQuestion{
		{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"},
		{Question: "d", Answer: "ddd"}})(context.Background(), question)
	return a
}

func anyVisible(m map[string]*widget.Label) bool {
	for _, l := range m {
		if l.Visible() {
			return true
		}
	}
	return false
}

// queueReady waits for the queue's rows after a filter change.
func queueReady(t *testing.T, q *queueView, change func()) {
	t.Helper()
	var before int
	fyne.DoAndWait(func() { before = q.loaded })
	change()
	waitFor(t, "the queue", func() bool {
		var n int
		fyne.DoAndWait(func() { n = q.loaded })
		return n > before
	})
}

func openQueue(t *testing.T, e *Env) *queueView {
	t.Helper()
	e.Show(ScreenQueue)
	q := e.view.(*queueView)
	waitFor(t, "the queue", func() bool {
		var n int
		fyne.DoAndWait(func() { n = q.loaded })
		return n > 0
	})
	return q
}

func TestEnrolWithAPIN(t *testing.T) {
	e, _, res := desk(t, 0)
	test.Tap(findButton(t, e, "Enrol with a PIN"))
	f := e.view.(*credentialForm)
	f.pin.SetText(strings.ToLower(res.PINs[0].Code)) // the signatory PIN of the first school
	f.given.SetText("Zoé")
	f.family.SetText("Gagnon")
	f.user.SetText("zoe.gagnon")
	test.Type(f.pass, "a long password 1")
	test.Type(f.repeat, "a long password 1")
	for i := range f.questions {
		f.questions[i].SetText([]string{"First school?", "First pet?", "Street?", "Book?"}[i])
		f.answers[i].SetText([]string{"answer one", "answer two", "answer three", "answer four"}[i])
	}
	test.Tap(f.submit)
	waitFor(t, "the refusal", func() bool { return f.form.errors["terms"].Visible() })
	if !strings.Contains(f.form.errors["terms"].Text, "accept the terms") {
		t.Fatalf("terms error: %q", f.form.errors["terms"].Text)
	}
	test.Tap(f.terms)
	test.Tap(f.submit)
	waitFor(t, "the new session", func() bool {
		var in bool
		fyne.DoAndWait(func() { _, in = e.view.(*queueView) })
		return in
	})
	if e.Account.Role != account.Signatory || e.Current().ID != ScreenQueue.ID {
		t.Fatalf("enrolled as %s on %s", e.Account.Role, e.Current().ID)
	}
}

func TestThreeFailedSignInsDelink(t *testing.T) {
	e, _, _ := desk(t, 0)
	for i := 0; i < 3; i++ {
		signInAs(t, e, "sig1.beaulieu", "not the password")
	}
	s := e.view.(*signIn)
	if !strings.Contains(s.form.general.Text, "de-linked") || !strings.Contains(s.form.general.Text, "new PIN") {
		t.Fatalf("after three failures: %q", s.form.general.Text)
	}
	signInAs(t, e, "sig1.beaulieu", demo.Password)
	if e.Session != nil {
		t.Fatal("a de-linked enrolment signed in")
	}
}

// TestStudentToDeskAndBack follows one request from the student to the
// desk and back: raise, find by client ID, verify, read the EVN; then a
// rejection with its reason.
func TestStudentToDeskAndBack(t *testing.T) {
	e, _, res := desk(t, 0)
	signInAs(t, e, "student1", demo.Password)
	v := e.view.(*studentView)
	raise := func(client string) {
		v.school.SetSelectedIndex(0) // Collège Beaulieu
		v.birth.SetText("2003-02-14")
		v.client.SetText(client)
		test.Tap(v.send)
		if v.form.general.Visible() || anyVisible(v.form.errors) {
			t.Fatalf("raise refused: %q", v.form.general.Text)
		}
	}
	raise("8765 4321")
	raise("87-6543-2100")
	if len(v.requests) != 2 {
		t.Fatalf("student sees %d requests", len(v.requests))
	}

	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.search.SetText("8765-4321") })
	if len(q.ids) != 1 {
		t.Fatalf("search by client ID found %d", len(q.ids))
	}
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	for i := range r.checks {
		r.checks[i].SetSelected(r.checks[i].Options[1]) // met
	}
	test.Tap(r.buttons[ens.Verify])
	if !strings.Contains(e.lastNotice, "EVN") {
		t.Fatalf("after Verify: %q", e.lastNotice)
	}
	verified := e.view.(*requestView).r
	if verified.Status != ens.Verified || verified.EVN == "" {
		t.Fatalf("request after Verify: %s %q", verified.Status, verified.EVN)
	}
	q = openQueue(t, e)
	queueReady(t, q, func() { q.search.SetText("87-6543-2100") })
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r = e.view.(*requestView)
	r.run(ens.Action{Function: ens.Reject, Reason: "We have no record of your enrolment."})

	signInAs(t, e, "student1", demo.Password)
	v = e.view.(*studentView)
	var box []string
	for _, o := range v.messages.Objects {
		box = append(box, o.(*widget.Label).Text)
	}
	all := strings.Join(box, "\n")
	if !strings.Contains(all, string(verified.EVN)) || !strings.Contains(all, "We have no record of your enrolment.") {
		t.Fatalf("message box:\n%s", all)
	}
	_ = res
}

func TestSaveKeepsTheExpiryAndAcceptCompletesATransfer(t *testing.T) {
	e, clock, _ := desk(t, 0)
	signInAs(t, e, "student2", demo.Password)
	v := e.view.(*studentView)
	// A Transfer IN of an EVN from the other school.
	v.kind.SetSelected(v.kind.Options[2])
	v.school.SetSelectedIndex(0)
	v.from.SetSelectedIndex(1)
	evn, _ := ens.IssueEVN(2718, 1, 5)
	v.evn.SetText(string(evn))
	v.birth.SetText("2001-06-30")
	v.client.SetText("11223344")
	test.Tap(v.send)
	if len(v.requests) != 1 || v.requests[0].Type != ens.TI {
		t.Fatalf("raised: %+v %q", v.requests, v.form.general.Text)
	}
	id, expires := v.requests[0].ID, v.requests[0].Expires

	clock.now = clock.now.Add(3 * 24 * time.Hour)
	signInAs(t, e, "sig1.beaulieu", demo.Password)
	e.Show(ScreenRequest(id))
	r := e.view.(*requestView)
	if _, ok := r.buttons[ens.Verify]; ok {
		t.Fatal("Verify offered on a Transfer IN")
	}
	r.notes.SetText("Registrar confirmed the transfer.")
	test.Tap(r.buttons[ens.Save])
	if !strings.Contains(e.lastNotice, "did not change") {
		t.Fatalf("after Save: %q", e.lastNotice)
	}
	r = e.view.(*requestView)
	if !r.r.Expires.Equal(expires) || r.r.Status != ens.InProgress {
		t.Fatalf("expiry %v (was %v), status %s", r.r.Expires, expires, r.r.Status)
	}
	test.Tap(r.buttons[ens.Accept])
	if r = e.view.(*requestView); r.r.Status != ens.Accepted {
		t.Fatalf("after Accept: %s", r.r.Status)
	}
	// A finished request offers nothing: no illegal action is on screen.
	if len(r.buttons) != 0 {
		t.Fatalf("functions offered on an accepted request: %v", r.buttons)
	}
}

// TestFrenchKeepsTheScreenAndWhatWasTyped switches language on the request
// screen in the middle of typing notes.
func TestFrenchKeepsTheScreenAndWhatWasTyped(t *testing.T) {
	e, _, _ := desk(t, 40)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	test.Type(r.notes, "Appel à l’étudiante")
	screen := e.Current().ID
	test.Tap(e.bar.lang)
	if e.Current().ID != screen || e.view != any(r) {
		t.Fatal("switching language changed the screen")
	}
	if r.notes.Text != "Appel à l’étudiante" {
		t.Fatalf("notes after switching: %q", r.notes.Text)
	}
	if e.bar.home.Text != "Accueil" || e.bar.logout.Text != "Fermer la session" {
		t.Fatalf("top bar: %q %q", e.bar.home.Text, e.bar.logout.Text)
	}
	for f, b := range r.buttons {
		if b.Text != e.T(f.MessageKey()) || b.Text == f.Code() {
			t.Fatalf("button %s reads %q", f, b.Text)
		}
	}
}

// TestInactivityLockKeepsTheDraft types notes, lets 20 minutes pass, signs
// back in and finds the notes again.
func TestInactivityLockKeepsTheDraft(t *testing.T) {
	e, clock, _ := desk(t, 40)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	id := r.r.ID
	r.notes.SetText("Half-written note about the transcript")
	r.checks[0].SetSelected(r.checks[0].Options[1])

	clock.now = clock.now.Add(19*time.Minute + 10*time.Second)
	e.CheckIdle()
	if !e.idle.content.Visible() || !strings.Contains(e.idle.text.Text, "50 s") {
		t.Fatalf("no warning a minute ahead: %q", e.idle.text.Text)
	}
	clock.now = clock.now.Add(time.Minute)
	e.CheckIdle()
	if e.Session != nil || e.Current().ID != ScreenSignIn.ID {
		t.Fatal("the session did not lock")
	}
	s := e.view.(*signIn)
	if s.user.Text != "dir.beaulieu" || !s.notice.Visible() {
		t.Fatalf("lock screen: user %q, notice shown %v", s.user.Text, s.notice.Visible())
	}
	test.Type(s.pass, demo.Password)
	test.Tap(s.btn)
	answerSignIn(t, e, s, "dir.beaulieu")
	waitFor(t, "the return", func() bool {
		var back bool
		fyne.DoAndWait(func() { _, back = e.view.(*requestView) })
		return back
	})
	r = e.view.(*requestView)
	if r.r.ID != id || r.notes.Text != "Half-written note about the transcript" || radioIndex(r.checks[0]) != 1 {
		t.Fatalf("after signing back in: request %v, notes %q", r.r.ID == id, r.notes.Text)
	}
}

func TestIssueASignatoryPIN(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.Show(ScreenPINs)
	v := e.view.(*pinsView)
	v.given.SetText("Luc")
	v.family.SetText("Bérubé")
	test.Tap(v.issue)
	if _, err := account.ParsePIN(v.lastPIN); err != nil {
		t.Fatalf("PIN shown: %q %v", v.lastPIN, err)
	}
	if v.lastPDFPath == "" {
		t.Fatal("no printable sheet")
	}
	// The PIN works once, for Luc Bérubé.
	_, err := e.Store.Enrol(account.Enrolment{UserID: "luc", Password: "a long password 1", GivenNames: "Luc",
		FamilyName: "Berube", PIN: v.lastPIN, AcceptTerms: true, Questions: [4]account.SecurityQuestion{
			{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"}, {Question: "d", Answer: "ddd"}}})
	if err != nil {
		t.Fatal(err)
	}
	v = newPINsView(e)
	if len(v.revoke) != 3 { // two demo signatories and Luc
		t.Fatalf("revocable signatories: %d", len(v.revoke))
	}
}

// findButton finds a button by its text on the window.
func findButton(t *testing.T, e *Env, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(w)
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	walk(e.Window.Content())
	if top := e.Window.Canvas().Overlays().Top(); top != nil {
		walk(top) // a dialog's buttons
	}
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

var _ = rand.Reader

// TestScrollingReadsOnlyWhatShows opens a long queue and scrolls far down:
// the table reads the pages that come into view and forgets the others.
func TestScrollingReadsOnlyWhatShows(t *testing.T) {
	e, _, _ := desk(t, 3000)
	e.Window.Resize(fyne.NewSize(1200, 700))
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.statusSel.SetSelectedIndex(0) }) // every status
	if len(q.ids) < 1000 {
		t.Fatalf("only %d rows", len(q.ids))
	}
	fyne.DoAndWait(func() { e.Window.Content().Refresh() })
	first := q.loads
	if first < 1 || first > 2 {
		t.Fatalf("opening read %d pages", first)
	}
	for _, row := range []int{300, 700, 1100} {
		fyne.DoAndWait(func() {
			q.table.ScrollTo(widget.TableCellID{Row: row, Col: 1})
			e.Window.Content().Refresh()
		})
	}
	if q.loads-first > 8 {
		t.Fatalf("scrolling three times read %d pages", q.loads-first)
	}
	if len(q.pages) > queueKeptPages+1 {
		t.Fatalf("%d pages held after scrolling", len(q.pages))
	}
	if _, ok := q.pages[1100/queuePage]; !ok {
		t.Fatal("the page in view was not read")
	}
}

// TestRequestFactsFollowTheLanguage: every fact of the request screen is
// reworded when the language changes.
func TestRequestFactsFollowTheLanguage(t *testing.T) {
	e, _, _ := desk(t, 40)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	test.Tap(e.bar.lang)
	want := e.T(r.r.Type.MessageKey())
	found := false
	for _, o := range r.facts.Objects {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, want) {
			found = true
		}
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, translations.New(translations.English).T(r.r.Type.MessageKey())) {
			t.Fatalf("English left on the French screen: %q", l.Text)
		}
	}
	if !found {
		t.Fatalf("no %q among the facts", want)
	}
}

package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/demo"
	"dossier/translations"
)

// The test issue 18 asks for: every screen with inputs, every way of
// leaving it, and every value found again on return.

// inputsIn walks a screen's content for the widgets a person types in or
// chooses with, in the order they are laid out (every tab of a tab set,
// hidden ones too).
func inputsIn(o fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case nil:
		case *Entry, *widget.Check, *widget.Select, *widget.RadioGroup, *widget.SelectEntry, *widget.CheckGroup:
			out = append(out, o)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *widget.Table, *widget.List, *widget.Tree, *widget.GridWrap:
			// Rows on show, not inputs: a check in a row is the
			// selection, which is the screen's context.
		case *container.Scroll:
			walk(w.Content)
		case *container.Split:
			walk(w.Leading)
			walk(w.Trailing)
		case *container.AppTabs:
			for _, it := range w.Items {
				walk(it.Content)
			}
		case *container.DocTabs:
			for _, it := range w.Items {
				walk(it.Content)
			}
		case *widget.Form:
			for _, it := range w.Items {
				walk(it.Widget)
			}
		case *widget.Accordion:
			for _, it := range w.Items {
				walk(it.Detail)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// undeclared lists the inputs on show that the screen did not declare to
// the drafts: neither kept (Entry, Check…), nor held by its working
// copy, nor skipped on purpose (passwords, search boxes).
func undeclared(e *Env) []string {
	declared := map[fyne.CanvasObject]bool{}
	for _, d := range e.drafts {
		for _, f := range d.fields {
			declared[f.w] = true
		}
		for _, w := range d.skipped {
			declared[w] = true
		}
	}
	for _, root := range e.workingCopy {
		declared[root] = true
		for _, w := range inputsIn(root) {
			declared[w] = true
		}
	}
	for _, w := range e.neverKept {
		declared[w] = true
	}
	var out []string
	for i, w := range inputsIn(e.Window.Content()) {
		if !declared[w] {
			out = append(out, fmt.Sprintf("input %d (%T, %q)", i, w, valueOf(w)))
		}
	}
	return out
}

// secret says whether w holds something never kept.
func secret(w fyne.CanvasObject) bool {
	en, ok := w.(*Entry)
	return ok && en.Password
}

func valueOf(w fyne.CanvasObject) string {
	switch w := w.(type) {
	case *Entry:
		return w.Text
	case *widget.Check:
		return strconv.FormatBool(w.Checked)
	case *widget.Select:
		return strconv.Itoa(w.SelectedIndex())
	case *widget.RadioGroup:
		return strconv.Itoa(radioIndex(w))
	}
	return ""
}

// kept reports whether the drafts keep w (rather than skip it).
func keptInput(e *Env, w fyne.CanvasObject) bool {
	if slices.Contains(e.neverKept, w) {
		return false
	}
	for _, d := range e.drafts {
		for _, f := range d.fields {
			if f.w == w {
				return true
			}
		}
	}
	for _, root := range e.workingCopy {
		if root == w {
			return true
		}
		for _, in := range inputsIn(root) {
			if in == w {
				return true
			}
		}
	}
	return false
}

// typeInto changes every kept input the person can change, and returns
// what each kept input holds then, by its place on the screen.
func typeInto(t *testing.T, e *Env) map[int]string {
	t.Helper()
	want := map[int]string{}
	for i, w := range inputsIn(e.Window.Content()) {
		if !keptInput(e, w) {
			continue
		}
		if d, ok := w.(fyne.Disableable); ok && d.Disabled() {
			continue
		}
		switch w := w.(type) {
		case *Entry:
			w.SetText(w.Text + fmt.Sprintf(" kept %d", i))
		case *widget.Check:
			w.SetChecked(!w.Checked)
		case *widget.Select:
			if n := len(w.Options); n > 0 {
				w.SetSelectedIndex((max(w.SelectedIndex(), 0) + 1) % n)
			}
		case *widget.RadioGroup:
			// Between the first two choices: the self-assessment shows
			// a "Not sure" given as no choice at all.
			if n := min(len(w.Options), 2); n > 0 {
				w.SetSelected(w.Options[(radioIndex(w)+1)%n])
			}
		}
	}
	// Typing may show more fields (a yes that asks for details): read
	// the values once it has settled.
	for i, w := range inputsIn(e.Window.Content()) {
		if keptInput(e, w) {
			want[i] = valueOf(w)
		}
	}
	return want
}

// leaveCase is a screen with inputs: a desk with a person signed in who
// can see it, and how to show it.
type leaveCase struct {
	name string
	desk func(t *testing.T) (*Env, *testClock)
	user string
	pass string
	open func(t *testing.T, e *Env)
	back string // the catalog key of the screen's own Back button
	// nobody: the screen is filled in before anyone signs in, so only
	// the ways that keep the window open apply (its values are kept in
	// memory, for nobody in particular).
	nobody bool
}

// demoDesk is desk(), signed in as user.
func demoDesk(user string) func(t *testing.T) (*Env, *testClock) {
	return func(t *testing.T) (*Env, *testClock) {
		e, clock, _ := desk(t, 20)
		if err := e.SignIn(user, demo.Password, testAnswer); err != nil {
			t.Fatal(err)
		}
		return e, clock
	}
}

// nobodyDesk is desk() with nobody signed in.
func nobodyDesk(t *testing.T) (*Env, *testClock) {
	e, clock, _ := desk(t, 0)
	return e, clock
}

// employerDesk is a desk with an approved business, its primary user
// signed in.
func employerDesk(t *testing.T) (*Env, *testClock) {
	e, clock, _ := desk(t, 0)
	st := e.Store
	boss, _, err := st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "123 456 782", LegalName: "Les Serres Côté Inc."},
		account.Registration{UserID: "anna.k", Password: "a long password 1", GivenNames: "Anna", FamilyName: "Kowalski",
			Email: "anna@example.ca", AcceptTerms: true, Questions: officerQuestions})
	if err != nil {
		t.Fatal(err)
	}
	_, off, _, err := st.SignInOffline("program", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DecideBusiness(off.Actor(), boss.Org, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateBranch(boss.Actor(), "Guelph greenhouse", "Guelph"); err != nil {
		t.Fatal(err)
	}
	if err := e.SignIn("anna.k", "a long password 1", testAnswer); err != nil {
		t.Fatal(err)
	}
	return e, clock
}

func leaveCases(t *testing.T) []leaveCase {
	var applicant domain.ID // whose file the officer's desk opens
	return []leaveCase{
		{name: "DIR request", desk: demoDesk("dir.beaulieu"), user: "dir.beaulieu", pass: demo.Password, back: "request.back",
			open: func(t *testing.T, e *Env) { openFirstRequest(t, e) }},
		{name: "student", desk: demoDesk("student1"), user: "student1", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenStudent) }},
		{name: "signatory PINs", desk: demoDesk("dir.beaulieu"), user: "dir.beaulieu", pass: demo.Password, back: "request.back",
			open: func(t *testing.T, e *Env) { e.Show(ScreenPINs) }},
		{name: "annual compliance", desk: demoDesk("dir.beaulieu"), user: "dir.beaulieu", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenCompliance) }},
		{name: "notices", desk: demoDesk("program"), user: "program", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenNotices) }},
		{name: "add a school", desk: demoDesk("program"), user: "program", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenAddSchool) }},
		{name: "registration", desk: nobodyDesk, nobody: true, back: "enrol.back",
			open: func(t *testing.T, e *Env) { e.Show(ScreenRegister) }},
		{name: "enrolment with a PIN", desk: nobodyDesk, nobody: true, back: "enrol.back",
			open: func(t *testing.T, e *Env) { e.Show(ScreenEnrol) }},
		{name: "business enrolment", desk: nobodyDesk, nobody: true, back: "enrol.back",
			open: func(t *testing.T, e *Env) { e.Show(ScreenEnrolBusiness) }},
		{name: "employer", desk: employerDesk, user: "anna.k", pass: "a long password 1",
			open: func(t *testing.T, e *Env) { e.Show(ScreenEmployer) }},
		{name: "Employer Form", desk: employerDesk, user: "anna.k", pass: "a long password 1", back: "sync.back",
			open: func(t *testing.T, e *Env) { e.Show(ScreenEmployerForm(domain.ID{})) }},
		{name: "officer's file", desk: func(t *testing.T) (*Env, *testClock) {
			e, rec := goldenDesk(t, translations.English)
			c := &testClock{now: e.Now()}
			e.Now = c.Now
			applicant = rec.Applicant
			return e, c
		}, user: "officer", pass: "a long password 1", back: "officer.file.back",
			open: func(t *testing.T, e *Env) {
				e.Show(ScreenOfficerFile(applicant))
				v := fileView(t, e)
				if v.shownForm != nil {
					return // a kept draft showed its form
				}
				for _, b := range []*widget.Button{v.ask, v.refuse, v.recordReview, v.decideReview, v.extend, v.returnIncomplete} {
					if !b.Disabled() {
						test.Tap(b)
						return
					}
				}
				t.Fatal("no action form to fill in")
			}},
		{name: "work permit", desk: func(t *testing.T) (*Env, *testClock) {
			e, clock, _ := desk(t, 20)
			verifiedStudent(t, e)
			return e, clock
		}, user: "student1", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenPermit) }},
		{name: "Verify a document", desk: demoDesk("dir.beaulieu"), user: "dir.beaulieu", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenVerify) }},
		{name: "sync", desk: demoDesk("dir.beaulieu"), user: "dir.beaulieu", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenSync) }},
		{name: "officer's files", desk: demoDesk("program"), user: "program", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenOfficerFiles) }},
		{name: "employers' enrolments", desk: demoDesk("program"), user: "program", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenEmployerQueue) }},
		{name: "work permits (officer)", desk: demoDesk("program"), user: "program", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenOfficerPermits) }},
		{name: "self-assessment (OCWPP)", desk: demoDesk("student1"), user: "student1", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenAssessOCWPP) }},
		{name: "representative's clients", desk: func(t *testing.T) (*Env, *testClock) {
			e, clock, _ := desk(t, 0)
			e.Show(ScreenRegister)
			f := e.view.(*credentialForm)
			fillCredentials(f, "Rémi", "Roy", "remi.roy")
			f.email.SetText("remi@example.ca")
			f.as.SetSelected(f.as.Options[2])
			test.Tap(f.submit)
			if e.Session == nil {
				t.Fatalf("not registered: %q", f.form.general.Text)
			}
			return e, clock
		}, user: "remi.roy", pass: "a long password 1",
			open: func(t *testing.T, e *Env) { e.Show(ScreenClients) }},
		{name: "sign in", desk: nobodyDesk, nobody: true, open: func(t *testing.T, e *Env) { e.Show(ScreenSignIn) }},
		{name: "forgotten password", desk: nobodyDesk, nobody: true, open: func(t *testing.T, e *Env) { e.Show(ScreenForgot) }},
		{name: "change of credential", desk: demoDesk("dir.beaulieu"), user: "dir.beaulieu", pass: demo.Password,
			open: func(t *testing.T, e *Env) { e.Show(ScreenCredential) }},
		{name: "a school's access", desk: demoDesk("program"), user: "program", pass: demo.Password,
			open: func(t *testing.T, e *Env) {
				schools, err := e.Store.Institutions()
				if err != nil || len(schools) == 0 {
					t.Fatal("no school", err)
				}
				e.Show(ScreenProgramSchool(schools[0].ID))
			}},
	}
}

// applicantCase is one tab of the OINP application.
func applicantCase(tab oinp.Tab) leaveCase {
	return leaveCase{name: "OINP application/" + string(tab), desk: func(t *testing.T) (*Env, *testClock) {
		e := applicantDesk(t)
		c := &testClock{now: e.Now()}
		e.Now = c.Now
		return e, c
	}, user: "linh.nguyen", pass: "a long password 1",
		open: func(t *testing.T, e *Env) { e.Show(ScreenApplication(tab)) }}
}

// leaveWays are the ways of leaving a screen; each returns the Env to
// come back on (a new one after the window closed or the process died).
// A way that returns nil keeps the screen in place.
func leaveWays() []struct {
	name  string
	leave func(t *testing.T, c leaveCase, e *Env, clock *testClock) *Env
} {
	reopen := func(t *testing.T, c leaveCase, path string, clock *testClock) *Env {
		e2, _ := newTestEnv(t)
		e2.DataDir = filepath.Dir(path)
		e2.Now = clock.Now
		e2.StoreOptions.Now = clock.Now
		if err := e2.Open(path, "profile password"); err != nil {
			t.Fatal(err)
		}
		if err := e2.SignIn(c.user, c.pass, testAnswer); err != nil {
			t.Fatal(err)
		}
		return e2
	}
	return []struct {
		name  string
		leave func(t *testing.T, c leaveCase, e *Env, clock *testClock) *Env
	}{
		{"Back", func(t *testing.T, c leaveCase, e *Env, _ *testClock) *Env {
			if c.back == "" {
				e.GoHome()
				return e
			}
			test.Tap(findButton(t, e, e.T(c.back)))
			return e
		}},
		{"Home", func(t *testing.T, c leaveCase, e *Env, _ *testClock) *Env {
			test.Tap(e.bar.home)
			return e
		}},
		{"another screen", func(t *testing.T, c leaveCase, e *Env, _ *testClock) *Env {
			test.Tap(e.bar.verify)
			return e
		}},
		{"language switch", func(t *testing.T, c leaveCase, e *Env, _ *testClock) *Env {
			test.Tap(e.bar.lang)
			test.Tap(e.bar.lang)
			return nil // kept in place: nothing to reopen
		}},
		{"Log out", func(t *testing.T, c leaveCase, e *Env, _ *testClock) *Env {
			test.Tap(e.bar.logout)
			if err := e.SignIn(c.user, c.pass, testAnswer); err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"time-out", func(t *testing.T, c leaveCase, e *Env, clock *testClock) *Env {
			clock.now = clock.now.Add(e.Policy.Inactivity + time.Second)
			e.CheckIdle()
			if e.Session != nil {
				t.Fatal("the session did not lock")
			}
			if err := e.SignIn(c.user, c.pass, testAnswer); err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"window closed", func(t *testing.T, c leaveCase, e *Env, clock *testClock) *Env {
			path := filepath.Join(e.DataDir, store.ProfileFileName)
			e.Closing()
			e.Close()
			return reopen(t, c, path, clock)
		}},
		{"process killed", func(t *testing.T, c leaveCase, e *Env, clock *testClock) *Env {
			// The second's pause after typing, then the profile as the
			// disk holds it, opened without the clean close.
			e.tickDrafts()
			clock.now = clock.now.Add(draftDebounce)
			e.tickDrafts()
			path := filepath.Join(e.DataDir, store.ProfileFileName)
			copyTo := filepath.Join(t.TempDir(), store.ProfileFileName)
			for _, p := range [][2]string{{path, copyTo}, {store.JournalPath(path), store.JournalPath(copyTo)}} {
				copyFile(t, p[0], p[1])
			}
			return reopen(t, c, copyTo, clock)
		}},
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestEveryScreenDeclaresItsInputs: no screen with inputs has one the
// drafts do not know of, and no password is ever kept.
func TestEveryScreenDeclaresItsInputs(t *testing.T) {
	// The application's tabs on one applicant's desk.
	t.Run("OINP application", func(t *testing.T) {
		e := applicantDesk(t)
		for _, tab := range oinp.Tabs {
			e.Show(ScreenApplication(tab))
			if u := undeclared(e); len(u) > 0 {
				t.Errorf("%s: inputs not declared to the drafts: %v", tab, u)
			}
			for _, w := range inputsIn(e.Window.Content()) {
				if secret(w) && keptInput(e, w) {
					t.Errorf("%s: a password field is kept as a draft", tab)
				}
			}
		}
	})
	for _, c := range leaveCases(t) {
		t.Run(c.name, func(t *testing.T) {
			e, _ := c.desk(t)
			c.open(t, e)
			if u := undeclared(e); len(u) > 0 {
				t.Fatalf("inputs not declared to the drafts: %v", u)
			}
			for _, w := range inputsIn(e.Window.Content()) {
				if secret(w) && keptInput(e, w) {
					t.Fatal("a password field is kept as a draft")
				}
			}
		})
	}
}

// TestEveryWayOfLeavingKeepsWhatWasTyped types into every input of every
// screen, leaves it every way there is, comes back and finds every value.
// The ways follow one another on one desk (the last two on the profile
// reopened), typing anew before each: a draft kept, restored and changed
// again must be kept again.
func TestEveryWayOfLeavingKeepsWhatWasTyped(t *testing.T) {
	// The OINP tabs share one working copy: two of them stand for all.
	cases := append(leaveCases(t), applicantCase(oinp.TabApplicant), applicantCase(oinp.TabImmigration))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, clock := c.desk(t)
			c.open(t, e)
			if w := typeInto(t, e); len(w) == 0 {
				// Only inputs never kept (a credential, a search):
				// TestEveryScreenDeclaresItsInputs has checked them.
				t.Skip("no kept input on this screen")
			}
			for _, way := range leaveWays() {
				switch way.name {
				case "Log out", "time-out", "window closed", "process killed":
					if c.nobody {
						continue
					}
				}
				screen := e.Current()
				want := typeInto(t, e)
				if back := way.leave(t, c, e, clock); back != nil {
					e = back
					if e.Current().ID == screen.ID {
						e.GoHome() // come back to it afresh
					}
					c.open(t, e)
				}
				got := map[int]string{}
				for i, w := range inputsIn(e.Window.Content()) {
					if keptInput(e, w) {
						got[i] = valueOf(w)
					}
				}
				for i, v := range want {
					if got[i] != v {
						t.Errorf("%s: input %d: %q, want %q", way.name, i, got[i], v)
					}
				}
				if len(got) != len(want) {
					t.Errorf("%s: %d inputs on return, %d before", way.name, len(got), len(want))
				}
			}
		})
	}
}

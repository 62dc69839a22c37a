package ui

import (
	"bytes"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/ens"
	"dossier/store/demo"
	"dossier/translations"
)

// press types a shortcut as the desktop driver does: to the focused
// widget when it takes shortcuts (an entry does), else to the window.
func pressShortcut(e *Env, s fyne.Shortcut) {
	c := e.Window.Canvas()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// key types a key as the desktop driver does: to the focused widget, or
// to the window when nothing has the focus.
func key(e *Env, k fyne.KeyName) {
	c := e.Window.Canvas()
	ev := &fyne.KeyEvent{Name: k}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	c.OnTypedKey()(ev)
}

func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

// TestWindowShortcutsWorkWhileTyping types the shell's shortcuts with the
// cursor in a field: each does what it does elsewhere, and the entry's
// own (select all, copy, paste, undo) still edit the field.
func TestWindowShortcutsWorkWhileTyping(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)

	// Fyne's own entry drops the window's shortcuts: what Entry mends.
	plain := widget.NewEntry()
	e.Window.SetContent(plain)
	e.Window.Canvas().Focus(plain)
	lang := e.Tr().Lang()
	pressShortcut(e, ctrl(fyne.KeyL))
	if e.Tr().Lang() != lang {
		t.Fatal("Fyne's entry passed Ctrl+L on: the test no longer tells")
	}

	typing := func() *Entry {
		t.Helper()
		e.Show(ScreenVerify)
		f, ok := e.Window.Canvas().Focused().(*Entry)
		if !ok || f != e.view.(*verifyView).code {
			t.Fatalf("Verify opened with %T focused, not its code field", e.Window.Canvas().Focused())
		}
		f.SetText("") // what the last visit typed is kept as a draft
		test.Type(f, "11A")
		return f
	}

	typing()
	pressShortcut(e, ctrl(fyne.KeyL))
	if e.Tr().Lang() == lang {
		t.Fatal("Ctrl+L in a field did not switch the language")
	}
	pressShortcut(e, ctrl(fyne.KeyL))

	typing()
	pressShortcut(e, ctrl(fyne.KeyH))
	if e.Current().ID != ScreenQueue.ID {
		t.Fatalf("Ctrl+H in a field: on %q, not the queue", e.Current().ID)
	}

	// Ctrl+F on the queue puts the cursor in its search box.
	e.Window.Canvas().Unfocus()
	pressShortcut(e, ctrl(fyne.KeyF))
	if f := e.Window.Canvas().Focused(); f != e.view.(*queueView).search {
		t.Fatalf("Ctrl+F on the queue focused %T", f)
	}

	typing()
	key(e, fyne.KeyF1)
	if e.Window.Canvas().Overlays().Top() == nil {
		t.Fatal("F1 in a field opened no help")
	}
	// With a dialog open the window's shortcuts wait: Ctrl+Q does not
	// log out from under it.
	pressShortcut(e, ctrl(fyne.KeyQ))
	if e.Session == nil {
		t.Fatal("Ctrl+Q logged out from under the help dialog")
	}
	e.Window.Canvas().Overlays().Top().Hide()
	e.Window.Canvas().Overlays().Remove(e.Window.Canvas().Overlays().Top())

	// The entry's own shortcuts stay the entry's.
	f := typing()
	pressShortcut(e, &fyne.ShortcutSelectAll{})
	pressShortcut(e, &fyne.ShortcutCopy{Clipboard: e.App.Clipboard()})
	if got := e.App.Clipboard().Content(); got != "11A" {
		t.Fatalf("Ctrl+A, Ctrl+C copied %q", got)
	}
	e.App.Clipboard().SetContent("-0/1")
	pressShortcut(e, &fyne.ShortcutPaste{Clipboard: e.App.Clipboard()})
	if f.Text != "-0/1" {
		t.Fatalf("Ctrl+V over the selection left %q", f.Text)
	}
	pressShortcut(e, &fyne.ShortcutUndo{})
	if f.Text == "-0/1" {
		t.Fatal("Ctrl+Z undid nothing")
	}
	if e.Current().ID != ScreenVerify.ID {
		t.Fatalf("editing shortcuts left the screen for %q", e.Current().ID)
	}

	pressShortcut(e, ctrl(fyne.KeyQ))
	if e.Session != nil || e.Current().ID != ScreenSignIn.ID {
		t.Fatal("Ctrl+Q in a field did not log out")
	}
}

// TestFirstFieldIsFocused opens screens and dialogs with fields: each
// opens with the cursor in its first field, and a list screen on its
// list, with nothing typed into its search box by accident.
func TestFirstFieldIsFocused(t *testing.T) {
	e, _, _ := desk(t, 20)
	focused := func() fyne.Focusable { return e.Window.Canvas().Focused() }
	s := e.view.(*signIn)
	if focused() != s.user {
		t.Fatalf("sign-in: %T focused, not the user ID", focused())
	}
	// A wrong password: the cursor is back in the password, emptied.
	test.Type(s.user, "dir.beaulieu")
	test.Type(s.pass, "not the password")
	test.Tap(s.btn)
	waitFor(t, "the refusal", func() bool {
		var done bool
		fyne.DoAndWait(func() { done = s.form.general.Visible() || anyVisible(s.form.errors) })
		return done
	})
	if focused() != s.pass || s.pass.Text != "" {
		t.Fatalf("after a wrong password: %T focused", focused())
	}
	// The right one: the security question, the cursor in its answer.
	test.Type(s.pass, demo.Password)
	test.Tap(s.btn)
	waitFor(t, "the question", func() bool {
		var done bool
		fyne.DoAndWait(func() { done = s.ask.Visible() })
		return done
	})
	if focused() != s.answer {
		t.Fatalf("the security question: %T focused, not the answer", focused())
	}
	answerSignIn(t, e, s, "dir.beaulieu")
	if e.Current().ID != ScreenQueue.ID {
		t.Fatalf("signed in on %q", e.Current().ID)
	}
	if focused() != nil {
		t.Fatalf("the queue opened with %T focused", focused())
	}

	for _, c := range []struct {
		screen Screen
		first  func() fyne.Focusable
	}{
		{ScreenVerify, func() fyne.Focusable { return e.view.(*verifyView).code }},
		{ScreenSync, func() fyne.Focusable { return e.view.(*syncView).server }},
		{ScreenPINs, func() fyne.Focusable { return e.view.(*pinsView).given }},
	} {
		e.Show(c.screen)
		if f := focused(); f == nil || f != c.first() {
			t.Errorf("%s: %T focused, not its first field", c.screen.ID, f)
		}
	}

	// The Reject reason: open a request, choose Reject.
	q := openQueue(t, e)
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	r.act(ens.Reject)
	d, ok := focused().(*dialogEntry)
	if !ok || !d.MultiLine {
		t.Fatalf("the Reject dialog opened with %T focused, not its reason", focused())
	}
	f := &d.Entry
	test.Type(f, "No such student")
	if f.Text != "No such student" {
		t.Fatalf("typed into the reason: %q", f.Text)
	}
}

// TestTabShowsTheFocusedField tabs down a form taller than its window:
// each field the focus reaches scrolls into view.
func TestTabShowsTheFocusedField(t *testing.T) {
	e, w := newTestEnv(t)
	box := container.NewVBox()
	var fields []*Entry
	for range 30 {
		f := newEntry()
		fields = append(fields, f)
		box.Add(widget.NewLabel("A field"))
		box.Add(f)
	}
	scroll := container.NewVScroll(box)
	w.SetContent(scroll)
	w.Resize(fyne.NewSize(400, 300))
	e.Window.Canvas().Focus(fields[0])
	view := scroll.Size().Height
	for i := 1; i < len(fields); i++ {
		test.FocusNext(w.Canvas())
		if w.Canvas().Focused() != fields[i] {
			t.Fatalf("Tab %d: %T focused", i, w.Canvas().Focused())
		}
		top := fields[i].Position().Y - scroll.Offset.Y
		if top < 0 || top+fields[i].Size().Height > view {
			t.Fatalf("Tab %d: field %d at %v, out of the %v shown (offset %v)", i, i, top, view, scroll.Offset.Y)
		}
	}
	if scroll.Offset.Y == 0 {
		t.Fatal("the form never scrolled")
	}
	// And back up: Shift+Tab to the first field scrolls to the top.
	for range len(fields) - 1 {
		test.FocusPrevious(w.Canvas())
	}
	if w.Canvas().Focused() != fields[0] || scroll.Offset.Y != 0 {
		t.Fatalf("back at the first field, offset %v", scroll.Offset.Y)
	}
}

// TestAScreenOpensAtItsTop opens a screen whose first field is below the
// fold: the field has the cursor, the screen still shows its top; the
// field scrolls into view once the person goes to it.
func TestAScreenOpensAtItsTop(t *testing.T) {
	e, w := newTestEnv(t)
	w.Resize(fyne.NewSize(600, 400))
	var scroll *container.Scroll
	var field *Entry
	e.Show(Screen{Title: "app.name", View: func(*Env) fyne.CanvasObject {
		box := container.NewVBox()
		for range 20 {
			box.Add(widget.NewLabel("Read this first"))
		}
		field = newEntry()
		box.Add(field)
		scroll = container.NewVScroll(box)
		return scroll
	}})
	if w.Canvas().Focused() != field {
		t.Fatalf("%T focused, not the field", w.Canvas().Focused())
	}
	if scroll.Offset.Y != 0 {
		t.Fatalf("the screen opened scrolled by %v", scroll.Offset.Y)
	}
	w.Canvas().Unfocus()
	w.Canvas().Focus(field)
	if scroll.Offset.Y == 0 {
		t.Fatal("the field, focused again, did not scroll into view")
	}
}

// TestAStartLogsNothing signs in and walks a few screens, in both
// languages, with Fyne's log captured: a normal session writes nothing
// to it (no "Failed to focus object", no locale complaint).
func TestAStartLogsNothing(t *testing.T) {
	var buf bytes.Buffer
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	q.table.Select(widget.TableCellID{Row: 0, Col: 3}) // a row clicked
	if _, ok := e.view.(*requestView); !ok {
		t.Fatalf("a row clicked opened %T", e.view)
	}
	e.SetLang(translations.French)
	e.Show(ScreenVerify)
	e.Show(ScreenSync)
	e.GoHome()
	e.SetLang(translations.English)
	e.LogOut()
	if buf.Len() != 0 {
		t.Fatalf("the log holds:\n%s", buf.String())
	}
}

// TestEveryFieldIsAnEntry reads the screens' source: every text field is
// an Entry, so that no field swallows the window's shortcuts again.
func TestEveryFieldIsAnEntry(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	bare := regexp.MustCompile(`widget\.(New(MultiLine|Password|Select)?Entry|Entry\{)`)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "keys.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if bare.MatchString(line) {
				t.Errorf("%s:%d: a Fyne entry: use newEntry, newMultiLineEntry or newPasswordEntry", name, i+1)
			}
		}
	}
}

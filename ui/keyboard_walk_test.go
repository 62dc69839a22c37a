package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dossier/domain/ens"
	"dossier/store/demo"
)

// focusables are the parts of obj that take the focus, in Tab's order.
func focusables(obj fyne.CanvasObject) []fyne.Focusable {
	var out []fyne.Focusable
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if f, ok := o.(fyne.Focusable); ok && o != obj {
			out = append(out, f)
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	fyne.DoAndWait(func() { walk(obj) })
	return out
}

// tabTo presses Tab until target has the focus.
func tabTo(t *testing.T, e *Env, what string, target fyne.Focusable) {
	t.Helper()
	for i := 0; focused(e) != target; i++ {
		if i > 80 {
			t.Fatalf("Tab never reaches %s", what)
		}
		press(e, fyne.KeyTab)
	}
}

// TestKeyboardOnlyWalk: a DIR's morning with the keyboard alone — no
// taps: sign in (user ID, Tab, password, Enter; the answer, Enter), the
// queue, the arrows to a request, Enter opens it, the criteria ticked
// and Verify pressed with keys, the new EVN's dialog closed with Enter,
// back to the queue with Alt+Left, and the queue as it was: the same
// rows in view, the cursor where the request was, the keys still on the
// table. Esc goes back too.
func TestKeyboardOnlyWalk(t *testing.T) {
	e, _, _ := desk(t, 300)
	fyne.DoAndWait(func() { e.Window.Resize(fyne.NewSize(1024, 768)) })
	s := e.view.(*signIn)
	if focused(e) != fyne.Focusable(s.user) {
		t.Fatalf("the sign-in starts on %T, not the user ID", focused(e))
	}
	typeKeys(e, "dir.beaulieu")
	press(e, fyne.KeyTab)
	if focused(e) != fyne.Focusable(s.pass) {
		t.Fatalf("Tab after the user ID goes to %T", focused(e))
	}
	typeKeys(e, demo.Password)
	press(e, fyne.KeyReturn)
	if q, ok := e.view.(*signIn); ok && q.ask.Visible() {
		if focused(e) != fyne.Focusable(s.answer) {
			t.Fatalf("the question's answer is not focused: %T", focused(e))
		}
		typeKeys(e, testAnswer(s.question.Text))
		press(e, fyne.KeyReturn)
	}
	q, ok := e.view.(*queueView)
	if !ok {
		t.Fatalf("signed in, the screen is %T", e.view)
	}
	waitFor(t, "the queue", func() bool {
		var n int
		fyne.DoAndWait(func() { n = q.loaded })
		return n > 0
	})

	// Ctrl+F, then Enter: the keys are on the rows.
	press(e, fyne.KeyF, fyne.KeyModifierShortcutDefault)
	if focused(e) != fyne.Focusable(q.search) {
		t.Fatalf("Ctrl+F focuses %T", focused(e))
	}
	press(e, fyne.KeyReturn)
	if focused(e) != fyne.Focusable(q.table) {
		t.Fatalf("Enter in the search box focuses %T", focused(e))
	}
	// A request the DIR can verify, far enough down to scroll, and with
	// rows after it.
	target := -1
	for i := 20; i < len(q.ids)-20 && target < 0; i++ {
		if r, ok := q.row(i); ok && ens.Allowed(&r, ens.Verify, e.Actor(), e.Now()) == nil {
			target = i
		}
	}
	if target < 0 {
		t.Fatalf("no request to verify between rows 20 and %d", len(q.ids)-20)
	}
	for q.cursor < target-12 {
		press(e, fyne.KeyPageDown)
	}
	for q.cursor > target {
		press(e, fyne.KeyUp)
	}
	for q.cursor < target {
		press(e, fyne.KeyDown)
	}
	top := q.topRow()
	if top == 0 {
		t.Fatalf("row %d is under the cursor and the table has not scrolled", target)
	}
	want, _ := q.row(target)
	press(e, fyne.KeyReturn)
	v, ok := e.view.(*requestView)
	if !ok || v.r.ID != want.ID {
		t.Fatalf("Enter opened %T", e.view)
	}

	// Each criterion met, with Tab and Space; then Verify, with Space.
	for i := range v.checks {
		items := focusables(v.checks[i])
		if len(items) != 3 {
			t.Fatalf("criterion %d has %d choices that take the focus", i, len(items))
		}
		tabTo(t, e, "criterion "+v.checks[i].Options[1], items[1])
		press(e, fyne.KeySpace)
		if v.checks[i].Selected != v.checks[i].Options[1] {
			t.Fatalf("criterion %d reads %q", i, v.checks[i].Selected)
		}
	}
	tabTo(t, e, "Verify", v.buttons[ens.Verify])
	press(e, fyne.KeySpace)
	if !strings.Contains(e.lastNotice, "EVN") {
		t.Fatalf("after Verify: %q", e.lastNotice)
	}
	verified := e.view.(*requestView).r
	if verified.Status != ens.Verified || verified.EVN == "" {
		t.Fatalf("after Verify the request is %s %q", verified.Status, verified.EVN)
	}
	if e.Window.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog says the new EVN")
	}
	press(e, fyne.KeyReturn)
	if e.Window.Canvas().Overlays().Top() != nil {
		t.Fatal("Enter did not close the EVN's dialog")
	}

	// Alt+Left: back to the queue as it was.
	press(e, fyne.KeyLeft, fyne.KeyModifierAlt)
	q, ok = e.view.(*queueView)
	if !ok {
		t.Fatalf("Alt+Left shows %T", e.view)
	}
	fyne.DoAndWait(func() { e.Window.Content().Refresh() })
	if got := q.topRow(); got != top {
		t.Fatalf("back on the queue the first row in view is %d, was %d", got, top)
	}
	// The request verified has left the open ones: the cursor is on the
	// row that took its place.
	if q.cursor != min(target, len(q.ids)-1) {
		t.Fatalf("the cursor is on row %d, was %d", q.cursor, target)
	}
	if r, _ := q.row(q.cursor); r.ID == verified.ID {
		t.Fatal("the verified request is still among the open ones")
	}
	if focused(e) != fyne.Focusable(q.table) {
		t.Fatalf("back on the queue the keys are on %T", focused(e))
	}

	// Enter opens the next one, the cursor in its first field; Alt+Left
	// goes back from there too (a field passes it on).
	press(e, fyne.KeyReturn)
	if _, ok := e.view.(*requestView); !ok {
		t.Fatalf("Enter shows %T", e.view)
	}
	press(e, fyne.KeyLeft, fyne.KeyModifierAlt)
	if _, ok := e.view.(*queueView); !ok {
		t.Fatalf("Alt+Left from a field shows %T", e.view)
	}

	// With a dialog open (Reject's reason), Alt+Left is not Back: the
	// dialog is not left floating over the queue. Esc closes the dialog,
	// and only the dialog.
	press(e, fyne.KeyReturn)
	reject, ok := e.view.(*requestView).buttons[ens.Reject]
	if !ok {
		t.Fatal("the next request cannot be rejected")
	}
	tabTo(t, e, "Reject", reject)
	press(e, fyne.KeySpace)
	press(e, fyne.KeyLeft, fyne.KeyModifierAlt)
	if _, ok := e.view.(*requestView); !ok || e.Window.Canvas().Overlays().Top() == nil {
		t.Fatalf("Alt+Left with Reject's dialog open shows %T", e.view)
	}
	press(e, fyne.KeyEscape)
	if _, ok := e.view.(*requestView); !ok || e.Window.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc with Reject's dialog open shows %T, dialog still open: %v", e.view, e.Window.Canvas().Overlays().Top() != nil)
	}
	press(e, fyne.KeyLeft, fyne.KeyModifierAlt)
	if _, ok := e.view.(*queueView); !ok {
		t.Fatalf("Alt+Left shows %T", e.view)
	}
}

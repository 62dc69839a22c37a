package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/store"
	"dossier/store/demo"
	"dossier/store/requests"
	"dossier/translations"
)

// press sends a key to the window as the desktop driver does: Tab moves
// the focus (Shift+Tab back), a key with Ctrl or Alt is a shortcut for
// the focused widget if it takes shortcuts and the window's otherwise,
// and any other key goes to the focused widget, or to the window when
// nothing is focused. Space is also typed as a character, as it is.
func press(e *Env, name fyne.KeyName, mods ...fyne.KeyModifier) {
	var mod fyne.KeyModifier
	for _, m := range mods {
		mod |= m
	}
	fyne.DoAndWait(func() {
		c := e.Window.Canvas()
		if name == fyne.KeyTab && mod&^fyne.KeyModifierShift == 0 {
			if mod&fyne.KeyModifierShift != 0 {
				c.FocusPrevious()
			} else {
				c.FocusNext()
			}
			return
		}
		if mod&^fyne.KeyModifierShift != 0 {
			sc := &desktop.CustomShortcut{KeyName: name, Modifier: mod}
			if f, ok := c.Focused().(fyne.Shortcutable); ok {
				f.TypedShortcut(sc)
				return
			}
			c.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(sc)
			return
		}
		ev := &fyne.KeyEvent{Name: name}
		if f := c.Focused(); f != nil {
			f.TypedKey(ev)
			if name == fyne.KeySpace {
				f.TypedRune(' ')
			}
		} else if h := c.OnTypedKey(); h != nil {
			h(ev)
		}
	})
}

// typeKeys types text into whatever has the focus, as the driver does.
func typeKeys(e *Env, text string) {
	fyne.DoAndWait(func() {
		c := e.Window.Canvas()
		for _, r := range text {
			if f := c.Focused(); f != nil {
				f.TypedRune(r)
			} else if h := c.OnTypedRune(); h != nil {
				h(r)
			}
		}
	})
}

func focused(e *Env) fyne.Focusable {
	var f fyne.Focusable
	fyne.DoAndWait(func() { f = e.Window.Canvas().Focused() })
	return f
}

// TestQueueColumnsShareTheWidth: in both languages the queue fits a
// window of 1024 pixels, its columns filling the table's width exactly
// (nothing scrolls sideways), none under its minimum; a wider window
// widens them; a column the person widened keeps its width.
func TestQueueColumnsShareTheWidth(t *testing.T) {
	e, _, _ := desk(t, 60)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	sum := func() float32 {
		s := theme.Padding() * float32(len(q.widths)-1)
		for _, w := range q.widths {
			s += w
		}
		return s
	}
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		fyne.DoAndWait(func() { e.SetLang(lang); e.Window.Resize(fyne.NewSize(1024, 768)) })
		fitsScreen(t, e, "the queue")
		if m := q.table.MinSize(); m.Width > 1024 {
			t.Errorf("the table needs %v in %s", m.Width, lang)
		}
		fyne.DoAndWait(func() { e.Window.Content().Refresh() })
		if got, want := sum(), q.table.Size().Width; got-want > 0.5 || want-got > 0.5 || want == 0 {
			t.Errorf("in %s the columns take %v of a table %v wide", lang, got, want)
		}
		for i, c := range queueColumns {
			if q.widths[i] < c.min-0.01 {
				t.Errorf("column %d is %v, under its minimum %v", i, q.widths[i], c.min)
			}
		}
	}
	name := 3
	narrow := q.widths[name]
	fyne.DoAndWait(func() { e.Window.Resize(fyne.NewSize(1400, 768)) })
	if q.widths[name] <= narrow {
		t.Fatalf("the name column stays %v in a wider window (was %v)", q.widths[name], narrow)
	}
	// The person drags the name column's right edge 60 pixels right.
	var edge float32
	for i := 0; i <= name; i++ {
		edge += q.widths[i] + theme.Padding()
	}
	edge -= theme.Padding() / 2
	start := q.widths[name]
	fyne.DoAndWait(func() {
		q.table.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(edge, 5)}})
		q.table.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(edge+60, 5)}, Dragged: fyne.NewDelta(60, 0)})
		q.table.DragEnd()
	})
	if got := q.widths[name]; got < start+59 || got > start+61 {
		t.Fatalf("the name column is %v after a drag of 60 from %v", got, start)
	}
	// The titles take the pointer (a cut one shows its whole text), but a
	// column's edge, where the table shows its resize cursor, lies in the
	// gap between two titles: no title covers it.
	title := columnTitle(t, e, "queue.col.name")
	fyne.DoAndWait(func() {
		d := fyne.CurrentApp().Driver()
		tableAt, titleAt := d.AbsolutePositionForObject(q.table), d.AbsolutePositionForObject(title)
		edge := titleAt.X + title.Size().Width + theme.Padding()/2 // in the table's frame below
		if over, _ := objectAt(e, fyne.NewPos(edge, titleAt.Y+5)); over != nil {
			t.Errorf("a %T covers the name column's edge", over)
		}
		q.table.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(edge-tableAt.X, 5)}})
		if c := q.table.Cursor(); c != desktop.HResizeCursor {
			t.Errorf("the cursor on the name column's edge is %v, not the resize cursor", c)
		}
		q.table.MouseOut()
	})
	if got, want := sum(), q.table.Size().Width; got-want > 0.5 || want-got > 0.5 {
		t.Errorf("after the drag the columns take %v of %v", got, want)
	}
}

// columnTitle is the queue's column title of the catalog key, on show.
func columnTitle(t *testing.T, e *Env, key string) *queueHeader {
	t.Helper()
	for _, o := range shownObjects(e) {
		if h, ok := o.(*queueHeader); ok && strings.TrimRight(h.Text, " ▲▼") == e.T(key) {
			return h
		}
	}
	t.Fatalf("no column titled %q", e.T(key))
	return nil
}

// objectAt is the title or cell (a queueHeader or cutLabel) that takes the
// pointer at pos, in the window's frame, as the driver finds it: the
// deepest that takes hovering.
func objectAt(e *Env, pos fyne.Position) (fyne.CanvasObject, fyne.Position) {
	d := fyne.CurrentApp().Driver()
	for _, o := range shownObjects(e) {
		switch o.(type) {
		case *queueHeader, *cutLabel:
			at := d.AbsolutePositionForObject(o)
			if pos.X >= at.X && pos.Y >= at.Y && pos.X < at.X+o.Size().Width && pos.Y < at.Y+o.Size().Height {
				return o, at
			}
		}
	}
	return nil, fyne.Position{}
}

// shownObjects are the objects on show in the window, widgets' parts
// included.
func shownObjects(e *Env) []fyne.CanvasObject { return objectsUnder(e.Window.Content()) }

// objectsUnder are the objects on show under root, widgets' parts
// included.
func objectsUnder(root fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		out = append(out, o)
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
	fyne.DoAndWait(func() { walk(root) })
	return out
}

// cutLabels are the table's cells whose text is cut.
func cutLabels(e *Env) []*cutLabel {
	var out []*cutLabel
	for _, o := range shownObjects(e) {
		if l, ok := o.(*cutLabel); ok && l.isCut() {
			out = append(out, l)
		}
	}
	return out
}

// TestCutCellShowsItsWholeText: in French at 1024 pixels a status is cut;
// the pointer resting on it shows the whole text, leaving hides it; the
// keyboard's cursor on its row says it in full under the table.
func TestCutCellShowsItsWholeText(t *testing.T) {
	// The pointer's wait is the timer's, on a goroutine of its own; what
	// it shows is posted to the UI goroutine (Env.post), which the test
	// runs with Drain, so nothing races with what the test reads.
	delay := hoverDelay
	hoverDelay = 20 * time.Millisecond
	t.Cleanup(func() { hoverDelay = delay })
	e, _, _ := desk(t, 60)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.statusSel.SetSelectedIndex(0) })
	fyne.DoAndWait(func() { e.SetLang(translations.French); e.Window.Resize(fyne.NewSize(1024, 768)) })
	fyne.DoAndWait(func() { e.Window.Content().Refresh() })
	cut := cutLabels(e)
	if len(cut) == 0 {
		t.Fatal("no cell is cut in French at 1024 pixels")
	}
	l := cut[0]
	full := l.Text
	fyne.DoAndWait(func() { l.MouseIn(&desktop.MouseEvent{}) })
	if l.timer == nil {
		t.Fatal("the pointer on a cut cell started no wait")
	}
	for end := time.Now().Add(5 * time.Second); l.pop == nil && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
		fyne.DoAndWait(e.Drain) // the wait is over: its work runs here
	}
	if l.pop == nil || !l.pop.Visible() {
		t.Fatal("the whole text does not show once the wait is over")
	}
	fyne.DoAndWait(func() {
		if got := l.pop.Content.(*widget.Label).Text; got != full {
			t.Errorf("the pop-up reads %q, the cell holds %q", got, full)
		}
	})
	fyne.DoAndWait(l.MouseOut)
	if l.pop != nil {
		t.Fatal("the whole text stays after the pointer left")
	}
	// A cell that is not cut shows nothing more.
	objs := shownObjects(e)
	fyne.DoAndWait(func() {
		for _, o := range objs {
			if c, ok := o.(*cutLabel); ok && c.Text != "" && !c.isCut() {
				c.MouseIn(&desktop.MouseEvent{})
				if c.shown != 0 || c.timer != nil {
					t.Errorf("a whole cell %q shows a pop-up", c.Text)
				}
				c.MouseOut()
				break
			}
		}
	})
	// A column title cut by a narrow column shows whole too.
	fyne.DoAndWait(func() { q.setUserWidth(3, 40); q.fit(q.table.Size().Width) })
	fyne.DoAndWait(func() { e.Window.Content().Refresh() })
	var title *queueHeader
	for _, o := range shownObjects(e) {
		if h, ok := o.(*queueHeader); ok && h.isCut() {
			title = h
			break
		}
	}
	if title == nil {
		t.Fatal("no column title is cut with the name column 40 pixels wide")
	}
	fyne.DoAndWait(func() { title.MouseIn(&desktop.MouseEvent{}) })
	for end := time.Now().Add(5 * time.Second); title.pop == nil && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
		fyne.DoAndWait(e.Drain)
	}
	if title.pop == nil || !title.pop.Visible() {
		t.Fatalf("the cut title %q shows no pop-up", title.Text)
	}
	fyne.DoAndWait(func() {
		if got := title.pop.Content.(*widget.Label).Text; got != title.Text {
			t.Errorf("the title's pop-up reads %q, the title %q", got, title.Text)
		}
		title.MouseOut()
	})
	// The keyboard: the cursor on a row with a cut cell says it in full.
	row := -1
	for i := range q.ids {
		if _, texts := q.cutCells(i); len(texts) > 0 {
			row = i
			break
		}
	}
	if row < 0 {
		t.Fatal("no row has a cut cell")
	}
	fyne.DoAndWait(func() { e.Window.Canvas().Focus(q.table); q.moveCursor(row) })
	_, texts := q.cutCells(row)
	if !q.cursorText.Visible() || !strings.Contains(q.cursorText.Text, texts[0]) {
		t.Fatalf("under the table: %v %q, cut: %q", q.cursorText.Visible(), q.cursorText.Text, texts)
	}
}

// TestQueueKeyboard: Enter in the search box goes to the rows, and Tab
// reaches them too; the arrows, Home, End and the page keys move the
// cursor and scroll it into view; Space ticks the row for the bulk
// actions; Enter opens the request.
func TestQueueKeyboard(t *testing.T) {
	e, _, _ := desk(t, 400)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.statusSel.SetSelectedIndex(0) })
	fyne.DoAndWait(func() { e.Window.Resize(fyne.NewSize(1024, 768)) })
	n := len(q.ids)
	if n < 100 {
		t.Fatalf("only %d rows", n)
	}
	fyne.DoAndWait(func() { e.Window.Canvas().Focus(q.search) })
	tabs := 0
	for focused(e) != fyne.Focusable(q.table) {
		if tabs++; tabs > 15 {
			t.Fatalf("Tab from the search box never reaches the table (at %T)", focused(e))
		}
		press(e, fyne.KeyTab)
	}
	fyne.DoAndWait(func() { e.Window.Canvas().Focus(q.search) })
	press(e, fyne.KeyReturn)
	if focused(e) != fyne.Focusable(q.table) {
		t.Fatalf("Enter in the search box left the focus on %T", focused(e))
	}
	if q.cursor != 0 {
		t.Fatalf("the cursor starts on row %d", q.cursor)
	}
	press(e, fyne.KeyDown)
	press(e, fyne.KeyDown)
	press(e, fyne.KeyUp)
	if q.cursor != 1 {
		t.Fatalf("down, down, up: row %d", q.cursor)
	}
	press(e, fyne.KeyEnd)
	if q.cursor != n-1 || q.topRow() < n-30 {
		t.Fatalf("End: row %d of %d, first in view %d", q.cursor, n, q.topRow())
	}
	press(e, fyne.KeyHome)
	if q.cursor != 0 || q.topRow() != 0 {
		t.Fatalf("Home: row %d, first in view %d", q.cursor, q.topRow())
	}
	press(e, fyne.KeyPageDown)
	page := q.cursor
	if page < 5 {
		t.Fatalf("Page Down moved to row %d", page)
	}
	press(e, fyne.KeyPageDown)
	press(e, fyne.KeyPageUp)
	if q.cursor != page {
		t.Fatalf("Page Down, Up: row %d, not %d", q.cursor, page)
	}
	r, _ := q.row(q.cursor)
	press(e, fyne.KeySpace)
	if !q.selected[r.ID] || len(q.selected) != 1 {
		t.Fatalf("Space ticked %v", q.selected)
	}
	press(e, fyne.KeySpace)
	if len(q.selected) != 0 {
		t.Fatalf("Space twice left %v", q.selected)
	}
	// Digits sort: 3 is the third titled column (the name), again the
	// other way round; 0 the tenth (the assignee). Letters do nothing.
	queueReady(t, q, func() { typeKeys(e, "3") })
	if q.filter.Sort != requests.SortName || q.filter.Desc {
		t.Fatalf("3 sorted by %q (descending %v)", q.filter.Sort, q.filter.Desc)
	}
	typeKeys(e, "3")
	if q.filter.Sort != requests.SortName || !q.filter.Desc {
		t.Fatalf("3 again: %q (descending %v)", q.filter.Sort, q.filter.Desc)
	}
	typeKeys(e, "0x")
	if q.filter.Sort != requests.SortAssignee || q.filter.Desc {
		t.Fatalf("0 sorted by %q", q.filter.Sort)
	}
	queueReady(t, q, func() { typeKeys(e, "8") })
	if q.filter.Sort != requests.SortReceived || focused(e) != fyne.Focusable(q.table) {
		t.Fatalf("8 sorted by %q, focus on %T", q.filter.Sort, focused(e))
	}
	press(e, fyne.KeyHome)
	r, _ = q.row(q.cursor)
	press(e, fyne.KeyReturn)
	if got := e.Current().ID; got != "request/"+r.ID.String() {
		t.Fatalf("Enter opened %q", got)
	}
}

// TestQueueContextKeptPerPerson: the search, filters, sort, first row in
// view and widths a person left are found again on Back to the queue, on
// Home and at their next sign-in; a colleague on the same desk finds
// their own.
func TestQueueContextKeptPerPerson(t *testing.T) {
	e, _, _ := desk(t, 400)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	fyne.DoAndWait(func() { e.Window.Resize(fyne.NewSize(1024, 768)) })
	queueReady(t, q, func() {
		fyne.DoAndWait(func() {
			q.statusSel.SetSelectedIndex(0)
			q.typeSel.SetSelectedIndex(1)
			q.assigneeSel.SetSelectedIndex(0)
		})
	})
	// Sort by name, descending: tap the header twice.
	nameHeader := columnTitle(t, e, "queue.col.name")
	queueReady(t, q, func() { fyne.DoAndWait(func() { nameHeader.Tapped(nil) }) })
	queueReady(t, q, func() { fyne.DoAndWait(func() { nameHeader.Tapped(nil) }) })
	fyne.DoAndWait(func() { q.setUserWidth(3, 200); q.fit(q.table.Size().Width) })
	if len(q.ids) < 40 {
		t.Fatalf("only %d rows", len(q.ids))
	}
	fyne.DoAndWait(func() { q.scrollToRow(12) })
	want := q.context()
	if want.Sort != string(requests.SortName) || !want.Desc || want.Status != "all" || want.Type == "" || want.Top != 12 {
		t.Fatalf("the context as left: %+v", want)
	}
	search := ""
	same := func(what string) *queueView {
		t.Helper()
		nq := e.view.(*queueView)
		waitFor(t, "the queue", func() bool {
			var n int
			fyne.DoAndWait(func() { n = nq.loaded })
			return n > 0
		})
		fyne.DoAndWait(func() { e.Window.Content().Refresh() })
		got := nq.context()
		if got.Search != want.Search || got.Type != want.Type || got.Status != want.Status || got.Sort != want.Sort ||
			got.Desc != want.Desc || got.Top != want.Top || got.Widths["name"] != 200 {
			t.Fatalf("%s: the queue is %+v, was left %+v", what, got, want)
		}
		if nq.filter.Search != want.Search || nq.filter.Sort != requests.SortName || !nq.filter.Desc || len(nq.filter.Types) != 1 {
			t.Fatalf("%s: the filter is %+v", what, nq.filter)
		}
		return nq
	}
	fyne.DoAndWait(func() { q.openRow(0) })
	fyne.DoAndWait(func() { findButton(t, e, e.T("request.back")).OnTapped() })
	same("back to the queue")
	fyne.DoAndWait(e.GoHome)
	q = same("Home")

	// A search typed: kept too (a name, sealed in the profile).
	r0, _ := q.row(0)
	search = strings.Fields(r0.Student.FamilyName)[0]
	queueReady(t, q, func() { fyne.DoAndWait(func() { q.search.SetText(search) }) })
	if len(q.ids) < 1 {
		t.Fatalf("the search %q finds nothing", search)
	}
	want = q.context()
	if want.Search != search {
		t.Fatalf("the search as left: %+v", want)
	}

	// A colleague signs in at the same desk: their own queue.
	fyne.DoAndWait(e.LogOut)
	signInAs(t, e, "sig1.beaulieu", demo.Password)
	other := e.view.(*queueView)
	if other.search.Text != "" || other.filter.Sort != requests.SortReceived {
		t.Fatalf("a colleague finds %q sorted by %s", other.search.Text, other.filter.Sort)
	}
	queueReady(t, other, func() { fyne.DoAndWait(func() { other.search.SetText("zz") }) })
	fyne.DoAndWait(e.LogOut)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	same("the next sign-in")
	fyne.DoAndWait(e.LogOut)
	signInAs(t, e, "sig1.beaulieu", demo.Password)
	if got := e.view.(*queueView).search.Text; got != "zz" {
		t.Fatalf("the colleague's search is %q", got)
	}
}

// TestOfficerFilesShareTheWidthAndTheKeys: the officer's files, built
// like the queue, fit 1024 pixels in both languages with their columns
// filling the table; Enter in the search box goes to the files, and
// Space opens the one under the cursor.
func TestOfficerFilesShareTheWidthAndTheKeys(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e, _ := goldenDesk(t, lang)
			e.Show(ScreenOfficerFiles)
			fyne.DoAndWait(func() { e.Window.Resize(fyne.NewSize(1024, 768)) })
			fitsScreen(t, e, "the officer's files")
			v := filesView(t, e)
			if len(v.rows) == 0 {
				t.Fatal("no files")
			}
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			var sum float32
			for _, o := range objectsUnder(v.table) {
				if h, ok := o.(*widget.Label); ok && h.TextStyle.Bold {
					for _, c := range fileColumns {
						if h.Text == e.T(c.title) {
							sum += h.Size().Width + theme.Padding()
						}
					}
				}
			}
			if got, want := sum-theme.Padding(), v.table.Size().Width; got-want > 0.5 || want-got > 0.5 {
				t.Errorf("the columns take %v of a table %v wide", got, want)
			}
			fyne.DoAndWait(func() { e.Window.Canvas().Focus(v.search) })
			press(e, fyne.KeyReturn)
			if focused(e) != fyne.Focusable(v.table) {
				t.Fatalf("Enter in the search box focuses %T", focused(e))
			}
			press(e, fyne.KeySpace)
			if _, ok := e.view.(*officerFileView); !ok {
				t.Fatalf("Space on the files shows %s", e.Current().ID)
			}
		})
	}
}

// TestQueueContextSurvivesClosing: the window closed on the queue, with a
// search typed a moment ago (not yet kept by the pause after typing),
// the next day's sign-in finds it.
func TestQueueContextSurvivesClosing(t *testing.T) {
	e, _, _ := desk(t, 60)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	r, _ := q.row(0)
	search := strings.Fields(r.Student.FamilyName)[0]
	queueReady(t, q, func() { fyne.DoAndWait(func() { q.search.SetText(search) }) })
	fyne.DoAndWait(e.Close)
	if err := e.Open(filepath.Join(e.DataDir, store.ProfileFileName), "profile password"); err != nil {
		t.Fatal(err)
	}
	signInAs(t, e, "dir.beaulieu", demo.Password)
	if got := e.view.(*queueView).search.Text; got != search {
		t.Fatalf("after closing, the search reads %q, was %q", got, search)
	}
}

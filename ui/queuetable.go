package ui

import (
	"image/color"
	"reflect"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The queue's table: columns that share the window's width, a cell that
// shows its whole text when it is cut, and the keys that move through
// the rows.

// fitColumns lays the table out at the size it is given after setting
// its columns' widths to share that width: each column takes its weight's
// share, never less than its minimum, and a column the person widened by
// dragging keeps the width they gave it. The table's minimum width is the
// sum of the minimums: below it, the table scrolls sideways.
type fitColumns struct{ q *queueView }

func (l fitColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[0].MinSize()
	pad := theme.Padding()
	w := float32(0)
	for i, c := range queueColumns {
		w += l.q.colMin(i, c)
	}
	w += pad * float32(len(queueColumns)-1)
	return fyne.NewSize(max(m.Width, w), m.Height)
}

func (l fitColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.q.fit(size.Width)
	objs[0].Resize(size)
	objs[0].Move(fyne.NewPos(0, 0))
	l.q.restoreScroll()
}

// colMin is a column's least width: the width the person gave it, or
// its minimum.
func (q *queueView) colMin(i int, c queueColumn) float32 {
	if w, ok := q.userWidths[c.key()]; ok {
		return max(w, c.min)
	}
	return c.min
}

// fit shares width between the columns.
func (q *queueView) fit(width float32) {
	if width <= 0 {
		return
	}
	q.widths = fitWidths(width-theme.Padding()*float32(len(queueColumns)-1), q.userWidths)
	for i, w := range q.widths {
		q.table.SetColumnWidth(i, w)
	}
}

// colSpec is how a column shares a table's width: its key (for the
// widths a person sets), its minimum, its weight (0: fixed at its
// minimum).
type colSpec struct {
	key         string
	min, weight float32
}

func queueSpecs() []colSpec {
	specs := make([]colSpec, len(queueColumns))
	for i, c := range queueColumns {
		specs[i] = colSpec{c.key(), c.min, c.weight}
	}
	return specs
}

// fitWidths shares avail between the queue's columns by weight, with
// their minimums; user holds the widths the person set by column key.
func fitWidths(avail float32, user map[string]float32) []float32 {
	return shareWidths(avail, queueSpecs(), user)
}

// shareWidths shares avail between cols by weight, none under its
// minimum, those in user at the width given there.
func shareWidths(avail float32, cols []colSpec, user map[string]float32) []float32 {
	widths := make([]float32, len(cols))
	fixed := make([]bool, len(cols))
	rest := avail
	for i, c := range cols {
		if w, ok := user[c.key]; ok || c.weight == 0 {
			if !ok {
				w = c.min
			}
			widths[i], fixed[i] = max(w, c.min), true
			rest -= widths[i]
		}
	}
	// Columns whose share would fall under their minimum take the
	// minimum; the others share what is left, until none is under.
	for {
		var weights float32
		for i, c := range cols {
			if !fixed[i] {
				weights += c.weight
			}
		}
		if weights == 0 {
			break
		}
		changed := false
		for i, c := range cols {
			if !fixed[i] && max(rest, 0)*c.weight/weights < c.min {
				widths[i], fixed[i] = c.min, true
				rest -= c.min
				changed = true
			}
		}
		if changed {
			continue
		}
		for i, c := range cols {
			if !fixed[i] {
				widths[i] = rest * c.weight / weights
			}
		}
		break
	}
	return widths
}

// sharedColumns lays a table out with its columns sharing its width
// (shareWidths); its minimum width is the sum of their minimums. The
// lists built like the queue use it (the officer's files).
type sharedColumns struct {
	cols  []colSpec
	table *widget.Table
}

func (l sharedColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[0].MinSize()
	w := theme.Padding() * float32(len(l.cols)-1)
	for _, c := range l.cols {
		w += c.min
	}
	return fyne.NewSize(max(m.Width, w), m.Height)
}

func (l sharedColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width > 0 {
		widths := shareWidths(size.Width-theme.Padding()*float32(len(l.cols)-1), l.cols, nil)
		for i, w := range widths {
			l.table.SetColumnWidth(i, w)
		}
	}
	objs[0].Resize(size)
	objs[0].Move(fyne.NewPos(0, 0))
}

// queueTable is the queue's table, focusable: Up and Down move the row
// under the cursor, Home and End to the first and last, Page Up and Page
// Down by a screenful, Enter opens the request, Space ticks its box.
type queueTable struct {
	widget.Table
	q *queueView
	// drag is the column whose right edge the person is dragging, -1
	// when none; dragFrom and dragWidth where the drag started.
	drag      int
	dragFrom  float32
	dragWidth float32
}

func newQueueTable(q *queueView) *queueTable {
	t := &queueTable{q: q, drag: -1}
	t.Length, t.CreateCell, t.UpdateCell = q.size, q.newCell, q.updateCell
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey moves the cursor, opens or ticks its row.
func (t *queueTable) TypedKey(ev *fyne.KeyEvent) {
	q := t.q
	q.env.Touch()
	n := len(q.ids)
	if n == 0 {
		return
	}
	page := max(int(t.Size().Height/q.rowStep())-2, 1)
	switch ev.Name {
	case fyne.KeyUp:
		q.moveCursor(max(q.cursor-1, 0))
	case fyne.KeyDown:
		q.moveCursor(min(q.cursor+1, n-1))
	case fyne.KeyHome:
		q.moveCursor(0)
	case fyne.KeyEnd:
		q.moveCursor(n - 1)
	case fyne.KeyPageUp:
		q.moveCursor(max(q.cursor-page, 0))
	case fyne.KeyPageDown:
		q.moveCursor(min(q.cursor+page, n-1))
	case fyne.KeyReturn, fyne.KeyEnter:
		q.openRow(q.cursor)
	case fyne.KeySpace:
		q.tick(q.cursor)
	}
}

// TypedRune sorts by a column from the keyboard: 1 for the first column
// with a title, 2 for the second… 0 for the tenth; again, the other way
// round. Letters are ignored: the search box is where they go.
func (t *queueTable) TypedRune(r rune) {
	if r < '0' || r > '9' {
		return
	}
	n := int(r - '0')
	if n == 0 {
		n = 10
	}
	for _, c := range queueColumns {
		if c.sort == "" {
			continue
		}
		if n--; n == 0 {
			t.q.sortBy(c.sort)
			return
		}
	}
}

// FocusGained puts the cursor on the first row in view when it has none.
func (t *queueTable) FocusGained() {
	q := t.q
	q.focused = true
	if (q.cursor < 0 || q.cursor >= len(q.ids)) && len(q.ids) > 0 {
		q.cursor = min(q.topRow(), len(q.ids)-1)
	}
	q.showCursorText()
	q.refreshRow(q.cursor)
}

// FocusLost keeps the cursor where it is.
func (t *queueTable) FocusLost() {
	t.q.focused = false
	t.q.showCursorText()
	t.q.refreshRow(t.q.cursor)
}

// refreshRow draws row i again (only its cells: a key moves the cursor
// often).
func (q *queueView) refreshRow(i int) {
	if i < 0 {
		return
	}
	for col := range queueColumns {
		q.table.RefreshItem(widget.TableCellID{Row: i, Col: col})
	}
}

// MouseDown notes which column's edge a drag in the header starts on.
func (t *queueTable) MouseDown(ev *desktop.MouseEvent) {
	t.Table.MouseDown(ev)
	t.drag = -1
	if ev.Position.Y > t.q.headerHeight() {
		return
	}
	pad := theme.Padding()
	x := float32(0)
	for i, w := range t.q.widths {
		x += w
		if ev.Position.X >= x-pad && ev.Position.X < x+pad+1 {
			t.drag, t.dragFrom, t.dragWidth = i, ev.Position.X, w
			return
		}
		x += pad
	}
}

// Dragged widens or narrows the column as the table does, and notes it.
func (t *queueTable) Dragged(ev *fyne.DragEvent) {
	t.Table.Dragged(ev)
	if t.drag < 1 {
		return // the tick boxes' column keeps its width
	}
	c := queueColumns[t.drag]
	w := max(t.dragWidth+ev.Position.X-t.dragFrom, c.min)
	t.q.setUserWidth(t.drag, w)
}

// DragEnd shares the width again and keeps the widths chosen.
func (t *queueTable) DragEnd() {
	t.Table.DragEnd()
	if t.drag >= 1 {
		t.drag = -1
		t.q.fit(t.Size().Width)
		t.q.keep()
	}
}

// setUserWidth records the width the person gave column i.
func (q *queueView) setUserWidth(i int, w float32) {
	if q.userWidths == nil {
		q.userWidths = map[string]float32{}
	}
	q.userWidths[queueColumns[i].key()] = w
	q.widths[i] = w
	q.table.SetColumnWidth(i, w)
}

// rowStep is the height of a row and the line under it.
func (q *queueView) rowStep() float32 {
	h := max(q.newCell().MinSize().Height, q.newHeader().MinSize().Height)
	return h + theme.Padding()
}

func (q *queueView) headerHeight() float32 {
	return max(q.newCell().MinSize().Height, q.newHeader().MinSize().Height)
}

// tableOffset is how far the table is scrolled. Fyne's table does not
// say (its scroll position is its own); it is read from the table the
// way it keeps it.
func tableOffset(t *widget.Table) fyne.Position {
	v := reflect.ValueOf(t).Elem().FieldByName("offset")
	if !v.IsValid() || v.NumField() < 2 {
		return fyne.Position{}
	}
	return fyne.NewPos(float32(v.Field(0).Float()), float32(v.Field(1).Float()))
}

// topRow is the first row in view. The table's scrolled content starts
// with the header's height (its header stays on top).
func (q *queueView) topRow() int {
	y := tableOffset(&q.table.Table).Y - q.headerHeight()
	return max(int(y/q.rowStep()+0.5), 0)
}

// scrollToRow scrolls so that row i is the first in view.
func (q *queueView) scrollToRow(i int) {
	y := float32(0)
	if i > 0 {
		y = float32(i)*q.rowStep() + q.headerHeight()
	}
	q.table.ScrollToOffset(fyne.NewPos(0, y))
}

// restoreScroll scrolls to the first row in view the person left, once
// the rows are there and the table has its size.
func (q *queueView) restoreScroll() {
	if q.pendingTop < 0 || len(q.ids) == 0 || q.table.Size().Height <= 0 {
		return
	}
	top := min(q.pendingTop, len(q.ids)-1)
	q.pendingTop = -1
	q.scrollToRow(top)
}

// moveCursor puts the cursor on row i and scrolls it into view.
func (q *queueView) moveCursor(i int) {
	old := q.cursor
	q.cursor = i
	// Scrolling draws every cell again: only when the row is out of view.
	y := float32(i)*q.rowStep() + q.headerHeight()
	off := tableOffset(&q.table.Table).Y
	if y < off+q.headerHeight() || y+q.rowStep() > off+q.table.Size().Height {
		q.table.ScrollTo(widget.TableCellID{Row: i, Col: 1})
	}
	q.showCursorText()
	q.refreshRow(old)
	q.refreshRow(i)
}

// tick ticks or unticks row i's box for the bulk actions.
func (q *queueView) tick(i int) {
	r, ok := q.row(i)
	if !ok {
		return
	}
	if q.selected[r.ID] {
		delete(q.selected, r.ID)
	} else {
		q.selected[r.ID] = true
	}
	q.showCount()
	q.table.RefreshItem(widget.TableCellID{Row: i, Col: 0})
}

// cutCells are the texts of row i that its columns cut, with their
// columns' titles.
func (q *queueView) cutCells(i int) (titles, texts []string) {
	r, ok := q.row(i)
	if !ok {
		return nil, nil
	}
	for col, c := range queueColumns {
		if c.title == "" || col >= len(q.widths) {
			continue
		}
		text := q.cellText(&r, col)
		if text != "" && widget.NewLabel(text).MinSize().Width > q.widths[col] {
			titles, texts = append(titles, q.env.T(c.title)), append(texts, text)
		}
	}
	return titles, texts
}

// showCursorText says in full, under the table, what the columns cut of
// the row under the keyboard's cursor: the keyboard's hover.
func (q *queueView) showCursorText() {
	if !q.focused || q.cursor < 0 {
		q.cursorText.Hide()
		return
	}
	titles, texts := q.cutCells(q.cursor)
	if len(texts) == 0 {
		q.cursorText.Hide()
		return
	}
	text := ""
	for i := range texts {
		if i > 0 {
			text += "  ·  "
		}
		text += q.env.T("queue.cell.full", titles[i], texts[i])
	}
	q.cursorText.SetText(text)
	q.cursorText.Show()
}

// hoverDelay is how long the pointer rests on a cut cell before its
// whole text shows.
var hoverDelay = 400 * time.Millisecond

// cutLabel is a table cell's text, cut with an ellipsis when the column
// is too narrow; resting the pointer on a cut one shows the whole text in
// a pop-up (Fyne has no tooltips).
type cutLabel struct {
	widget.Label
	timer *time.Timer
	pop   *widget.PopUp
	post  func(func())
	// owner is the widget the label is part of (a column title), when
	// it is not the label itself: where the pop-up is placed from.
	owner fyne.CanvasObject
	// shown counts the pop-ups shown, for tests.
	shown int
}

// newCutLabel is a label whose whole text shows on hover; post runs the
// hover timer's work on the UI goroutine (Env.post).
func newCutLabel(post func(func())) *cutLabel {
	l := &cutLabel{post: post}
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// isCut tells whether the label shows less than its text.
func (l *cutLabel) isCut() bool {
	return l.Text != "" && widget.NewLabelWithStyle(l.Text, l.Alignment, l.TextStyle).MinSize().Width > l.Size().Width
}

// MouseIn starts the wait before the whole text shows.
func (l *cutLabel) MouseIn(*desktop.MouseEvent) {
	l.stop()
	if !l.isCut() {
		return
	}
	l.timer = time.AfterFunc(hoverDelay, func() { l.post(l.showFull) })
}

// MouseMoved does nothing: the pop-up stays while the pointer does.
func (l *cutLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the whole text.
func (l *cutLabel) MouseOut() { l.stop() }

func (l *cutLabel) stop() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	if l.pop != nil {
		l.pop.Hide()
		l.pop = nil
	}
}

// showFull shows the whole text just under the cell.
func (l *cutLabel) showFull() {
	l.timer = nil
	var at fyne.CanvasObject = l
	if l.owner != nil {
		at = l.owner
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(at)
	if c == nil || !l.isCut() {
		return
	}
	text := widget.NewLabel(l.Text)
	if text.MinSize().Width > c.Size().Width/2 {
		text.Wrapping = fyne.TextWrapWord
	}
	l.pop = widget.NewPopUp(text, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(at).AddXY(0, l.Size().Height)
	if text.Wrapping != fyne.TextWrapOff {
		l.pop.Resize(fyne.NewSize(c.Size().Width/2, text.MinSize().Height))
	}
	l.pop.ShowAtPosition(pos)
	l.shown++
}

// queueHeader is a column's title: a tap sorts by the column. It is not
// a button so that the table sees the pointer on the columns' edges and
// lets the person drag them.
// A title cut by its column's width shows whole on hover, as a cell does.
// Taking the pointer costs the table nothing: a column's edge, where the
// table shows its resize cursor, is the gap between two titles.
type queueHeader struct {
	cutLabel
	onTapped func()
}

func (q *queueView) newHeader() fyne.CanvasObject {
	h := &queueHeader{cutLabel: cutLabel{post: q.env.post}}
	h.owner = h
	h.TextStyle.Bold = true
	h.Truncation = fyne.TextTruncateEllipsis
	h.ExtendBaseWidget(h)
	return h
}

// Tapped sorts.
func (h *queueHeader) Tapped(*fyne.PointEvent) {
	if h.onTapped != nil {
		h.onTapped()
	}
}

// cursorColor marks the row under the keyboard's cursor.
func cursorColor(focused bool) color.Color {
	if focused {
		return theme.Color(theme.ColorNameSelection)
	}
	return theme.Color(theme.ColorNameHover)
}

// newCell is a row's cell: the cursor's mark, a tick box (first column)
// or a text.
func (q *queueView) newCell() fyne.CanvasObject {
	mark := canvas.NewRectangle(color.Transparent)
	return container.NewStack(mark, newTickBox(), newCutLabel(q.env.post))
}

// tickBox is a row's box for the bulk actions: ticked by a tap, or by
// Space on the table. It takes no focus of its own, so that Tab goes from
// the table to what follows, not through every row.
type tickBox struct {
	widget.BaseWidget
	icon      *widget.Icon
	checked   bool
	onChanged func(bool)
}

func newTickBox() *tickBox {
	b := &tickBox{icon: widget.NewIcon(theme.CheckButtonIcon())}
	b.ExtendBaseWidget(b)
	return b
}

// SetChecked shows the box ticked or not, without telling.
func (b *tickBox) SetChecked(on bool) {
	if on == b.checked {
		return
	}
	b.checked = on
	if on {
		b.icon.SetResource(theme.CheckButtonCheckedIcon())
	} else {
		b.icon.SetResource(theme.CheckButtonIcon())
	}
}

// Tapped ticks or unticks the box.
func (b *tickBox) Tapped(*fyne.PointEvent) {
	b.SetChecked(!b.checked)
	if b.onChanged != nil {
		b.onChanged(b.checked)
	}
}

func (b *tickBox) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(theme.IconInlineSize()), b.icon)))
}

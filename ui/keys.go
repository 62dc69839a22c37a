package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Entry is the text field of every screen: Fyne's entry, except that
// the window's own shortcuts (Ctrl+H home, Ctrl+L language, Ctrl+Q log
// out, Ctrl+F search, F1 help) still work while the cursor is in it, and
// that it scrolls itself into view when it gets the focus (Tab to a field
// below the fold shows it).
//
// Fyne hands every shortcut typed in a focused entry to the entry alone,
// and the entry drops those it does not know; so the window's never
// fired while a person was typing. This entry hands them on to the
// window's canvas; the ones it knows (copy, cut, paste, select all,
// undo, redo, word moves) stay its own.
type Entry struct {
	widget.Entry
}

// newEntry is widget.NewEntry, as an Entry.
func newEntry() *Entry {
	e := &Entry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newMultiLineEntry is widget.NewMultiLineEntry, as an Entry.
func newMultiLineEntry() *Entry {
	e := newEntry()
	e.MultiLine = true
	return e
}

// newPasswordEntry is widget.NewPasswordEntry, as an Entry (the entry
// adds its own show/hide button as it is first drawn).
func newPasswordEntry() *Entry {
	e := newEntry()
	e.Password = true
	return e
}

// windowShortcuts are the shortcuts the shell binds on the window
// (registerShortcuts), by name: an Entry passes these on.
var windowShortcuts = map[string]bool{}

// windowShortcut is a window shortcut on the platform's shortcut key
// (Ctrl, or Cmd on a Mac).
func windowShortcut(k fyne.KeyName) *desktop.CustomShortcut {
	sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	windowShortcuts[sc.ShortcutName()] = true
	return sc
}

// TypedShortcut passes the window's shortcuts on to the window; the
// rest are the entry's.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if windowShortcuts[s.ShortcutName()] {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey passes F1 (help) on to the window; the rest are the entry's.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyF1 {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && c.OnTypedKey() != nil {
			c.OnTypedKey()(k)
			return
		}
	}
	e.Entry.TypedKey(k)
}

// FocusGained shows the entry: every scroll container it is in scrolls
// just enough for the whole field to be on show (not as a screen opens).
func (e *Entry) FocusGained() {
	e.Entry.FocusGained()
	if !opening {
		scrollIntoView(e)
	}
}

// opening is set while Env.Show gives a new screen's first field the
// focus: the screen opens at its top.
var opening bool

// children are the objects an object shows, for the containers and
// widgets the screens are made of: a walk of the screen finds its fields
// and the scroll containers around them without reaching into a
// widget's renderer.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch o := o.(type) {
	case *fyne.Container:
		return o.Objects
	case *container.Scroll:
		return []fyne.CanvasObject{o.Content}
	case *container.Split:
		return []fyne.CanvasObject{o.Leading, o.Trailing}
	case *container.AppTabs:
		if t := o.Selected(); t != nil {
			return []fyne.CanvasObject{t.Content}
		}
	case *widget.Accordion:
		var out []fyne.CanvasObject
		for _, it := range o.Items {
			if it.Open {
				out = append(out, it.Detail)
			}
		}
		return out
	case *widget.Form:
		var out []fyne.CanvasObject
		for _, it := range o.Items {
			out = append(out, it.Widget)
		}
		return out
	case *widget.Card:
		return []fyne.CanvasObject{o.Content}
	}
	return nil
}

// pathTo is the chain of objects from root down to target (both
// included) through shown objects, or nil when target is not shown
// under root.
func pathTo(root, target fyne.CanvasObject) []fyne.CanvasObject {
	if root == nil || !root.Visible() {
		return nil
	}
	if root == target {
		return []fyne.CanvasObject{root}
	}
	for _, c := range children(root) {
		if p := pathTo(c, target); p != nil {
			return append([]fyne.CanvasObject{root}, p...)
		}
	}
	return nil
}

// firstField is the first shown, enabled text field under root, in the
// order the screen lays them out; nil when there is none, or when the
// screen is a list (a table or a list comes first there: the search box,
// if any, is one Ctrl+F away).
func firstField(root fyne.CanvasObject) *Entry {
	var found *Entry
	list := false
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || list {
			return
		}
		switch o := o.(type) {
		case *widget.Table, *widget.List, *queueTable:
			list = true
			return
		case *Entry:
			if found == nil && !o.Disabled() {
				found = o
			}
			return
		}
		for _, c := range children(o) {
			walk(c)
		}
	}
	walk(root)
	if list {
		return nil
	}
	return found
}

// afterTap runs f once the tap being handled is over. A table focuses
// itself after its OnSelected has run: when OnSelected changes the
// screen at once, the table is gone by then, and Fyne logs "Failed to
// focus object" at every row opened. (Headless tests run f at once.)
func afterTap(f func()) { fyne.Do(f) }

// focusFirstIn puts the cursor in the first field of part of the screen
// just shown (the next step of a form).
func (e *Env) focusFirstIn(o fyne.CanvasObject) {
	if f := firstField(o); f != nil {
		e.focusShown(f)
	}
}

// focusShown focuses f if it is on the window: work that ends after the
// person has left the screen does not reach for a field no longer there
// (Fyne would log "Failed to focus object").
func (e *Env) focusShown(f *Entry) {
	if pathTo(e.Window.Content(), f) != nil {
		e.Window.Canvas().Focus(f)
	}
}

// scrollIntoView scrolls every scroll container around o, the innermost
// first, so that o is wholly on show (or its top is, when it is taller
// than the container).
func scrollIntoView(o fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	roots := append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...)
	var path []fyne.CanvasObject
	for _, r := range roots {
		if path = pathTo(r, o); path != nil {
			break
		}
	}
	d := fyne.CurrentApp().Driver()
	for i := len(path) - 2; i >= 0; i-- {
		s, ok := path[i].(*container.Scroll)
		if !ok {
			continue
		}
		// Where o is within the part of the content on show.
		at := d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(s))
		off := s.Offset
		// A field's label is above it: it comes into view too.
		above := min(labelHeight(), at.Y+off.Y)
		off.Y += shift(at.Y-above, o.Size().Height+above, s.Size().Height)
		off.X += shift(at.X, o.Size().Width, s.Size().Width)
		// Never past either end of the content.
		off.Y = clamp(off.Y, 0, s.Content.Size().Height-s.Size().Height)
		off.X = clamp(off.X, 0, s.Content.Size().Width-s.Size().Width)
		s.ScrollToOffset(off)
	}
}

// labelHeight is the height of one line of label and the space under it.
func labelHeight() float32 {
	return widget.NewLabel("X").MinSize().Height + theme.Padding()
}

// shift is how far a view of length view must move for an object at pos
// (from the view's start) of length size to be on show.
func shift(pos, size, view float32) float32 {
	switch {
	case pos < 0 || size > view:
		return pos
	case pos+size > view:
		return pos + size - view
	}
	return 0
}

func clamp(v, lo, hi float32) float32 {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}

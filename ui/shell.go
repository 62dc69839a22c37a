package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/store"
)

// topBar is the strip on every screen: the app's name, Home, the sync
// status, the signed-in person, Verify, Contact Us, Help, Log out and the
// EN/FR switch. When the window is too narrow for all of it (French, a
// long name), the less frequent actions fold into a Menu button: first
// Sync now, Verify, Contact us and Help, then the sync status; Home, the
// person, Log out and the language switch always stay in the bar.
type topBar struct {
	content                  fyne.CanvasObject
	home, help, logout, lang *widget.Button
	// person is the signed-in person's name and role, cut with an
	// ellipsis when the bar is short of room, whole on hover.
	person *hoverLabel
	// sync is the link state, which opens the sync screen; syncNow
	// asks for a sync at once; download shows a large first download.
	sync, syncNow *widget.Button
	// verify opens Verify a document; contact, Contact Us.
	verify      *widget.Button
	contact     *widget.Button
	download    *widget.ProgressBar
	downloadBox *fyne.Container
	// menu holds what is folded; layout decides what is.
	menu   *widget.Button
	layout *barLayout
	// menuPopUp is the folded actions' menu on show, menuShown its
	// items (tests).
	menuPopUp *widget.PopUpMenu
	menuShown *fyne.Menu
}

func newTopBar(e *Env) *topBar {
	b := &topBar{}
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.home = widget.NewButton("", e.GoHome)
	b.help = widget.NewButton("", e.showHelpMenu)
	b.logout = widget.NewButton("", e.LogOut)
	b.lang = widget.NewButton("", e.ToggleLang)
	b.person = newHoverLabel()
	b.sync = widget.NewButton("", func() { e.Touch(); e.Show(ScreenSync) })
	b.sync.Importance = widget.LowImportance
	b.syncNow = widget.NewButton("", e.SyncNow)
	b.verify = widget.NewButton("", func() { e.Touch(); e.Show(ScreenVerify) })
	b.contact = widget.NewButton("", e.ShowContact)
	b.menu = widget.NewButtonWithIcon("", theme.MenuIcon(), func() { b.showMenu(e) })
	b.download = widget.NewProgressBar()
	b.downloadBox = container.NewGridWrap(fyne.NewSize(160, b.download.MinSize().Height), b.download)
	b.downloadBox.Hide()
	signedIn := e.Session != nil
	if e.Store.Engine() == nil {
		b.sync.Hide() // no profile open: nothing to connect yet
		b.verify.Hide()
	}
	if !signedIn {
		b.home.Hide()
		b.logout.Hide()
		b.person.Hide()
	}
	e.OnRelabel(func() {
		title.SetText(e.T("app.name"))
		b.home.SetText(e.T("shell.home"))
		b.help.SetText(e.T("shell.help"))
		b.logout.SetText(e.T("shell.logout"))
		b.lang.SetText(e.T("lang.other"))
		b.syncNow.SetText(e.T("sync.now"))
		b.verify.SetText(e.T("shell.verify"))
		b.contact.SetText(e.T("shell.contact"))
		b.menu.SetText(e.T("shell.menu"))
		b.showSync(e)
		if signedIn {
			b.person.SetText(e.T("shell.person", e.Account.GivenNames+" "+e.Account.FamilyName, e.Account.RoleAs()))
		}
		e.Window.SetTitle(e.T("app.name") + " — " + e.T(e.screen.Title))
	})
	b.layout = &barLayout{}
	row := container.New(b.layout,
		container.NewHBox(title, b.home),
		container.NewHBox(b.sync, b.downloadBox),
		container.NewHBox(b.syncNow), b.person,
		container.NewHBox(b.verify, b.contact, b.help),
		b.menu,
		container.NewHBox(b.logout, b.lang))
	// The person's tip is drawn over the screen under the bar.
	b.content = container.NewStack(container.NewVBox(row, widget.NewSeparator()), b.person.tip.layer)
	registerShortcuts(e)
	return b
}

// showMenu opens the folded actions under the Menu button: those the
// bar does not show, each only if the bar would.
func (b *topBar) showMenu(e *Env) {
	e.Touch()
	var items []*fyne.MenuItem
	add := func(btn *widget.Button, label string, f func()) {
		if btn.Visible() {
			items = append(items, fyne.NewMenuItem(label, f))
		}
	}
	if b.layout.folded >= 2 {
		add(b.sync, b.sync.Text, b.sync.OnTapped)
	}
	add(b.syncNow, b.syncNow.Text, b.syncNow.OnTapped)
	add(b.verify, b.verify.Text, b.verify.OnTapped)
	add(b.contact, b.contact.Text, b.contact.OnTapped)
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(e.T("shell.help.screen"), e.ShowHelp),
		fyne.NewMenuItem(e.T("shell.about"), e.ShowAbout),
		fyne.NewMenuItem(e.T("shell.diagnostics"), e.CopyDiagnostics))
	c := e.Window.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.menu).AddXY(0, b.menu.Size().Height)
	b.menuShown = fyne.NewMenu("", items...)
	b.menuPopUp = widget.NewPopUpMenu(b.menuShown, c)
	b.menuPopUp.ShowAtPosition(pos)
}

// barLayout lays out the top bar's row: on the left the name and Home,
// the sync status and Sync now; on the right Verify, Contact us and Help,
// Menu, Log out and EN/FR; the person between them. It shows as much as
// the width holds, folding the rest into Menu; its minimum width is the
// fully folded bar's, so that the bar never widens the window.
type barLayout struct {
	// folded is 0 when everything shows, 1 when the less frequent
	// actions are in the menu, 2 when the sync status is too.
	folded int
}

// The objects of the bar's row, in the order barLayout takes them.
const (
	barLeft = iota
	barStatus
	barSyncNow
	barPerson
	barRare
	barMenu
	barRight
)

// barPersonRoom is the room the person's name is given before the bar
// folds: a name longer than that is cut rather than fold the bar.
const barPersonRoom = 320

func (l *barLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	for i, o := range objs {
		m := o.MinSize()
		h = max(h, m.Height)
		switch i {
		case barLeft, barMenu, barPerson, barRight:
			if m.Width > 0 {
				w += m.Width + theme.Padding()
			}
		}
	}
	return fyne.NewSize(w, h)
}

func (l *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	// width is what o takes with the padding after it; rare and the
	// sync are measured as if shown (they may be folded now).
	width := func(o fyne.CanvasObject) float32 {
		if c, ok := o.(*fyne.Container); ok && c.Layout != nil {
			if m := c.Layout.MinSize(c.Objects); m.Width > 0 {
				return m.Width + pad
			}
			return 0
		}
		if m := o.MinSize(); m.Width > 0 {
			return m.Width + pad
		}
		return 0
	}
	person := float32(0)
	if p, ok := objs[barPerson].(*hoverLabel); ok && p.Visible() {
		person = min(p.natural(), barPersonRoom) + pad
	}
	fixed := width(objs[barLeft]) + width(objs[barRight]) + person
	rare := width(objs[barSyncNow]) + width(objs[barRare])
	switch {
	case fixed+width(objs[barStatus])+rare <= size.Width:
		l.folded = 0
	case fixed+width(objs[barStatus])+width(objs[barMenu]) <= size.Width:
		l.folded = 1
	default:
		l.folded = 2
	}
	show := func(o fyne.CanvasObject, on bool) {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
	show(objs[barStatus], l.folded < 2)
	show(objs[barSyncNow], l.folded < 1)
	show(objs[barRare], l.folded < 1)
	show(objs[barMenu], l.folded > 0)
	x := float32(0)
	for _, i := range []int{barLeft, barStatus, barSyncNow} {
		o := objs[i]
		if w := o.MinSize().Width; o.Visible() && w > 0 {
			o.Move(fyne.NewPos(x, 0))
			o.Resize(fyne.NewSize(w, size.Height))
			x += w + pad
		}
	}
	end := size.Width
	for _, i := range []int{barRight, barMenu, barRare} {
		o := objs[i]
		if w := o.MinSize().Width; o.Visible() && w > 0 {
			end -= w
			o.Move(fyne.NewPos(end, 0))
			o.Resize(fyne.NewSize(w, size.Height))
			end -= pad
		}
	}
	objs[barPerson].Move(fyne.NewPos(x, 0))
	objs[barPerson].Resize(fyne.NewSize(max(0, end-x), size.Height))
}

// hoverLabel is a one-line label cut with an ellipsis when its room is
// short, which shows its whole text on hover.
type hoverLabel struct {
	widget.Label
	tip *hoverTip
}

func newHoverLabel() *hoverLabel {
	l := &hoverLabel{tip: newHoverTip()}
	l.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// natural is the label's width uncut.
func (l *hoverLabel) natural() float32 {
	return fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding()
}

func (l *hoverLabel) MouseIn(*desktop.MouseEvent) {
	if cut(&l.Label, l.Size().Width) {
		l.tip.show(l, l.Text)
	}
}

func (l *hoverLabel) MouseMoved(*desktop.MouseEvent) {}

func (l *hoverLabel) MouseOut() { l.tip.hide() }

// cut reports whether l's text is wider than width.
func cut(l *widget.Label, width float32) bool {
	return fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width+2*theme.InnerPadding() > width+0.5
}

// hoverTip shows a cut text whole, just under the object that shows it
// cut, on a layer of its own drawn over what follows it. It is not a
// pop-up: a pop-up would take the pointer, and the object under it
// would lose its hover at once.
type hoverTip struct {
	// layer is where the tip is drawn: its container lays nothing out
	// and needs no room.
	layer *fyne.Container
	box   *fyne.Container
	label *widget.Label
	// text is the text on show, "" when none (tests).
	text string
}

func newHoverTip() *hoverTip {
	h := &hoverTip{label: widget.NewLabel("")}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	bg.CornerRadius = theme.InputRadiusSize()
	h.box = container.NewStack(bg, h.label)
	h.box.Hide()
	h.layer = container.New(tipLayout{}, h.box)
	return h
}

func (h *hoverTip) show(obj fyne.CanvasObject, text string) {
	d := fyne.CurrentApp().Driver()
	h.label.SetText(text)
	layer := d.AbsolutePositionForObject(h.layer)
	pos := d.AbsolutePositionForObject(obj).Subtract(layer).AddXY(0, obj.Size().Height)
	size := h.box.MinSize()
	if c := d.CanvasForObject(obj); c != nil {
		// Within the window: moved left, never past its left edge.
		pos.X = max(-layer.X, min(pos.X, c.Size().Width-layer.X-size.Width))
	}
	h.box.Move(pos)
	h.box.Resize(size)
	h.box.Show()
	h.layer.Refresh()
	h.text = text
}

func (h *hoverTip) hide() {
	h.box.Hide()
	h.layer.Refresh()
	h.text = ""
}

// tipLayout leaves the tip where hoverTip put it and takes no room.
type tipLayout struct{}

func (tipLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
func (tipLayout) Layout([]fyne.CanvasObject, fyne.Size) {}

// GoHome shows the signed-in person's workspace, or the sign-in screen.
func (e *Env) GoHome() {
	if e.Session == nil {
		e.Show(ScreenSignIn)
		return
	}
	e.Show(homeFor(e.Account.Role))
}

// ShowHelp opens the short help page of the current screen, in the
// current language.
func (e *Env) ShowHelp() {
	key := e.screen.Help
	if key == "" {
		key = "help.general"
	}
	text := widget.NewLabel(e.T(key))
	text.Wrapping = fyne.TextWrapWord
	box := container.NewVScroll(text)
	box.SetMinSize(fyne.NewSize(640, 360))
	newPlainDialog(e, e.T(e.screen.Title), box).Show()
}

// LogOut ends the session and returns to the sign-in screen. The desk
// forgets the person's server tokens: whoever signs in next syncs as
// themselves, and the person's own unsent changes wait for them.
func (e *Env) LogOut() {
	_ = e.keepDrafts() // kept for this person, whose next sign-in finds them
	e.stopSync()
	if e.Sync != nil {
		if err := e.Sync.SignOut(); err != nil {
			e.syncStatus.Err = err
		}
		e.syncStatus = e.Sync.Status()
	}
	e.closeDialogs()
	e.Session = nil
	e.Account = store.Account{}
	e.application = nil
	e.forgetOpened()
	e.Show(ScreenSignIn)
}

// registerShortcuts binds the frequent actions: Ctrl+H home, F1 help,
// Ctrl+L switch language, Ctrl+Q log out, Ctrl+F the search box of the
// screen that has one, Alt+Left (or Esc with nothing focused) back where
// the screen came from, Enter or Esc to close an outcome dialog.
// They work while the cursor is in a field (Entry passes them on), and
// not while a dialog is open: the dialog has the keyboard until it is
// closed.
func registerShortcuts(e *Env) {
	c := e.Window.Canvas()
	bind := func(k fyne.KeyName, f func()) {
		sc := windowShortcut(k)
		c.RemoveShortcut(sc)
		c.AddShortcut(sc, func(fyne.Shortcut) {
			e.Touch()
			if c.Overlays().Top() == nil {
				f()
			}
		})
	}
	bind(fyne.KeyH, e.GoHome)
	bind(fyne.KeyL, e.ToggleLang)
	bind(fyne.KeyF, func() {
		if e.search != nil {
			e.search()
		}
	})
	bind(fyne.KeyQ, func() {
		if e.Session != nil {
			e.LogOut()
		}
	})
	// Back never leaves a dialog behind: with one open, it is the
	// dialog's to answer first.
	back := func() {
		if e.back != nil && c.Overlays().Top() == nil {
			e.back()
		}
	}
	altLeft := &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt}
	windowShortcuts[altLeft.ShortcutName()] = true // a field passes it on
	c.RemoveShortcut(altLeft)
	c.AddShortcut(altLeft, func(fyne.Shortcut) { e.Touch(); back() })
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		e.Touch()
		if e.dialogKey(ev) {
			return
		}
		switch ev.Name {
		case fyne.KeyF1:
			if c.Overlays().Top() != nil {
				break
			}
			e.ShowHelp()
		case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyEscape:
			if f := e.closeDialog; f != nil {
				e.closeDialog = nil
				f()
			} else if ev.Name == fyne.KeyEscape {
				back()
			}
		}
	})
}

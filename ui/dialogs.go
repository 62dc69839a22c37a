package ui

import (
	"errors"
	"image/color"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Every dialog Dossier shows goes through showDialog, for three reasons:
// our own words (Fyne's built-in dialogs follow the system's language, not
// the in-app switch); a width the text needs, up to what fits a 1024×768
// window, so that text wraps at word boundaries and never in a narrow
// column; and the keyboard — Esc closes or cancels, Enter runs the default
// action, which Fyne's dialogs do not do on their own.

// Dialog widths: wide enough for a short sentence, never wider than a
// 1024-pixel window leaves once the dialog's own margins are taken.
const (
	dialogMinWidth float32 = 360
	dialogMaxWidth float32 = 860
)

// dialogSpec is what a dialog shows and does. With no OK label it is a
// notice: one Close button, and Enter closes it as Esc does.
type dialogSpec struct {
	Title   string
	Content fyne.CanvasObject
	// Text is the words the content shows, to size the dialog by; the
	// widest line sets the width, up to dialogMaxWidth.
	Text []string
	// Width is the width the content needs when not sized by its text.
	Width float32
	// OK is the default action's label; OnOK runs it, and an error keeps
	// the dialog open with the error shown beside the buttons.
	OK   string
	OnOK func() error
	// Cancel is the cancel button's label (Cancel when empty, Close for a
	// notice); OnCancel, when set, runs on Esc or Cancel.
	Cancel   string
	OnCancel func()
	// NoDefault leaves Enter without effect: the choice is made with a
	// click (trusting a server's key).
	NoDefault bool
}

// errStayOpen keeps a dialog open when its action has said why it could
// not run in the dialog's own widgets.
var errStayOpen = errors.New("the dialog shows why")

// keyed is a dialog on screen that Esc and Enter reach.
type keyed interface {
	Cancel()
	Confirm()
	// close closes the dialog without its action (Log out).
	close()
	onScreen() bool
	noDefault() bool
}

// keyDialog is a dialog on screen: the canvas' Esc and Enter reach it
// while it is the top one (Env.dialogKey).
type keyDialog struct {
	e      *Env
	d      *dialog.CustomDialog
	spec   dialogSpec
	body   fyne.CanvasObject
	fault  *widget.Label
	ok     *widget.Button
	cancel *widget.Button
	shown  bool
}

// showDialog shows a dialog made from spec and returns it.
func showDialog(e *Env, spec dialogSpec) *keyDialog {
	k := newKeyDialog(e, spec)
	k.Show()
	return k
}

func newKeyDialog(e *Env, spec dialogSpec) *keyDialog {
	k := &keyDialog{e: e, spec: spec, fault: widget.NewLabel("")}
	k.fault.Wrapping = fyne.TextWrapWord
	k.fault.Importance = widget.DangerImportance
	k.fault.Hide()
	width := spec.Width
	if w := textWidth(spec.Text...); w > width {
		width = w
	}
	width = min(max(width, dialogMinWidth), dialogMaxWidth)
	floor := canvas.NewRectangle(color.Transparent)
	floor.SetMinSize(fyne.NewSize(width, 0))
	content := container.NewBorder(nil, k.fault, nil, nil, spec.Content)
	k.body = container.NewStack(floor, content)
	k.d = dialog.NewCustomWithoutButtons(spec.Title, k.body, e.Window)
	if spec.OK == "" {
		label := spec.Cancel
		if label == "" {
			label = e.T("shell.close")
		}
		k.cancel = widget.NewButton(label, k.Cancel)
		k.d.SetButtons([]fyne.CanvasObject{k.cancel})
	} else {
		label := spec.Cancel
		if label == "" {
			label = e.T("shell.cancel")
		}
		k.cancel = widget.NewButton(label, k.Cancel)
		k.ok = widget.NewButton(spec.OK, k.Confirm)
		k.ok.Importance = widget.HighImportance
		k.d.SetButtons([]fyne.CanvasObject{k.cancel, k.ok})
	}
	return k
}

// Show puts the dialog on screen, sized to its content, and makes it the
// one Esc and Enter reach.
func (k *keyDialog) Show() {
	if k.shown {
		return
	}
	k.shown = true
	k.e.dialogs = append(k.e.dialogs, k)
	k.d.Show()
	k.fit()
}

// fit sizes the dialog to its content: wrapped labels know their height
// only once laid out at their width, so the size is taken twice.
func (k *keyDialog) fit() {
	for range 2 {
		k.d.Resize(k.d.MinSize())
	}
}

// Hide closes the dialog without its action.
func (k *keyDialog) Hide() {
	if !k.shown {
		return
	}
	k.shown = false
	k.e.forgetDialog(k)
	k.d.Hide()
}

// Cancel closes the dialog as Esc does.
func (k *keyDialog) Cancel() {
	k.Hide()
	if k.spec.OnCancel != nil {
		k.spec.OnCancel()
	}
}

// Confirm runs the default action as Enter does: a notice closes; an
// action that fails keeps the dialog open and says why beside the buttons.
func (k *keyDialog) Confirm() {
	if k.ok == nil {
		k.Hide()
		return
	}
	if k.spec.OnOK != nil {
		if err := k.spec.OnOK(); errors.Is(err, errStayOpen) {
			k.fit()
			return
		} else if err != nil {
			k.setFault(k.e.Tr().Error(err))
			return
		}
	}
	k.Hide()
}

// setFault shows why the action could not run; "" clears it.
func (k *keyDialog) setFault(text string) {
	k.fault.SetText(text)
	if text == "" {
		k.fault.Hide()
	} else {
		k.fault.Show()
	}
	k.fit()
}

func (k *keyDialog) close()          { k.Hide() }
func (k *keyDialog) noDefault() bool { return k.spec.NoDefault }

// forgetDialog takes k off the stack of dialogs on screen.
func (e *Env) forgetDialog(k keyed) {
	for i, d := range e.dialogs {
		if d == k {
			e.dialogs = append(e.dialogs[:i], e.dialogs[i+1:]...)
			return
		}
	}
}

// fileDialog is one of Fyne's file pickers on screen: Esc dismisses it as
// its Cancel does; Enter is left to the picker (its fields and list).
type fileDialog struct {
	e     *Env
	d     *dialog.FileDialog
	popUp fyne.CanvasObject
}

// showFileDialog shows a file picker that Esc dismisses, its places named
// in the person's language (fileplaces.go).
func showFileDialog(e *Env, d *dialog.FileDialog) {
	d.Show()
	f := &fileDialog{e: e, d: d, popUp: e.Window.Canvas().Overlays().Top()}
	if f.popUp != nil {
		e.dialogs = append(e.dialogs, f)
		namePlaces(e, f.popUp)
	}
}

func (f *fileDialog) Cancel()         { f.e.forgetDialog(f); f.d.Dismiss() }
func (f *fileDialog) Confirm()        {}
func (f *fileDialog) close()          { f.Cancel() }
func (f *fileDialog) noDefault() bool { return true }
func (f *fileDialog) onScreen() bool {
	return f.popUp.Visible() && slices.Contains(f.e.Window.Canvas().Overlays().List(), f.popUp)
}

// dialogKey gives Esc and Enter to the top dialog; it reports whether
// there was one to take the key.
func (e *Env) dialogKey(ev *fyne.KeyEvent) bool {
	// A dialog taken off the canvas by other means is forgotten.
	for len(e.dialogs) > 0 && !e.dialogs[len(e.dialogs)-1].onScreen() {
		e.dialogs = e.dialogs[:len(e.dialogs)-1]
	}
	if len(e.dialogs) == 0 {
		return false
	}
	top := e.dialogs[len(e.dialogs)-1]
	switch ev.Name {
	case fyne.KeyEscape:
		top.Cancel()
	case fyne.KeyReturn, fyne.KeyEnter:
		if !top.noDefault() {
			top.Confirm()
		}
	default:
		return false
	}
	return true
}

// closeDialogs closes every dialog: what one person was shown is not left
// for the next (Log out).
func (e *Env) closeDialogs() {
	for len(e.dialogs) > 0 {
		top := e.dialogs[len(e.dialogs)-1]
		e.forgetDialog(top)
		top.close()
	}
}

// onScreen reports whether the dialog is among the canvas' overlays.
func (k *keyDialog) onScreen() bool {
	for _, o := range k.e.Window.Canvas().Overlays().List() {
		p, ok := o.(*widget.PopUp)
		if !ok || !p.Visible() {
			continue
		}
		if c, ok := p.Content.(*fyne.Container); ok && slices.Contains(c.Objects, k.body) {
			return true
		}
	}
	return false
}

// dialogEntry is a text field for a dialog: Esc in it cancels the dialog
// (a focused field takes every key, so the canvas never sees it), and
// Enter in a one-line field confirms.
type dialogEntry struct {
	Entry
	e *Env
}

func newDialogEntry(e *Env, multiLine bool) *dialogEntry {
	d := &dialogEntry{e: e}
	d.MultiLine = multiLine
	if multiLine {
		d.Wrapping = fyne.TextWrapWord
	}
	d.ExtendBaseWidget(d)
	return d
}

// TypedKey gives Esc, and Enter in a one-line field, to the dialog.
func (d *dialogEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape || (!d.MultiLine && (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter)) {
		if d.e.dialogKey(ev) {
			return
		}
	}
	d.Entry.TypedKey(ev)
}

// textWidth is the width the widest line of the texts needs in a label.
func textWidth(texts ...string) float32 {
	var w float32
	size := theme.TextSize()
	for _, t := range texts {
		for _, line := range strings.Split(t, "\n") {
			if m := fyne.MeasureText(line, size, fyne.TextStyle{Bold: true}).Width; m > w {
				w = m
			}
		}
	}
	if w == 0 {
		return 0
	}
	return w + 4*theme.InnerPadding()
}

// dialogText is a label for a dialog: wrapped at word boundaries at the
// width the dialog is given.
func dialogText(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// dialogMaxTextHeight is the tallest a dialog's text grows before it
// scrolls, leaving a 768-pixel window room for the title and buttons.
const dialogMaxTextHeight float32 = 520

// noticeDialog says something with a Close button; a text too long for
// the screen scrolls inside the dialog.
func noticeDialog(e *Env, title, text string) *keyDialog {
	var content fyne.CanvasObject = dialogText(text)
	width := min(max(textWidth(text), dialogMinWidth), dialogMaxWidth)
	if h := textHeight(text, width); h > dialogMaxTextHeight {
		scroll := container.NewVScroll(content)
		scroll.SetMinSize(fyne.NewSize(width, dialogMaxTextHeight))
		content = scroll
	}
	return showDialog(e, dialogSpec{Title: title, Content: content, Text: []string{text}})
}

// textHeight estimates the height of text wrapped at width: each
// paragraph takes the lines its width needs.
func textHeight(text string, width float32) float32 {
	size := theme.TextSize()
	inner := width - 4*theme.InnerPadding()
	lines := 0
	for _, p := range strings.Split(text, "\n") {
		w := fyne.MeasureText(p, size, fyne.TextStyle{}).Width
		lines += max(1, int(math.Ceil(float64(w/inner)))+1) // a line more for the words that do not fill one
	}
	line := fyne.MeasureText("Mg", size, fyne.TextStyle{}).Height + theme.LineSpacing()
	return float32(lines)*line + 2*theme.InnerPadding()
}

// confirmDialog asks before doing yes.
func confirmDialog(e *Env, title, text string, yes func()) *keyDialog {
	return showDialog(e, dialogSpec{Title: title, Content: dialogText(text), Text: []string{text},
		OK: e.T("shell.confirm"), OnOK: func() error { yes(); return nil }})
}

// newPlainDialog is a dialog with a Close button around content, sized by
// texts when given.
func newPlainDialog(e *Env, title string, content fyne.CanvasObject, texts ...string) *keyDialog {
	return newKeyDialog(e, dialogSpec{Title: title, Content: content, Text: texts})
}

// copyField shows an identifier — an EVN, a PIN, a verification code, a
// file's path — as selectable text with a Copy button, so that it is read
// whole and copied without retyping. Long values (paths) wrap anywhere:
// they have no words to wrap at.
func copyField(e *Env, value string) fyne.CanvasObject {
	shown := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	shown.Selectable = true
	if len(value) > 40 {
		shown.Wrapping = fyne.TextWrapBreak
	}
	var copyButton *widget.Button
	copyButton = widget.NewButtonWithIcon(e.T("dialog.copy"), theme.ContentCopyIcon(), func() {
		e.App.Clipboard().SetContent(value)
		copyButton.SetText(e.T("dialog.copied"))
	})
	return container.NewBorder(nil, nil, nil, copyButton, shown)
}

package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store/demo"
	"dossier/store/requests"
	"dossier/translations"
)

// pressKey types a key on the window's canvas, as the driver does when
// no widget has the focus.
func pressKey(e *Env, k fyne.KeyName) {
	e.Window.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
}

// topDialog is the dialog on top, nil when none is on screen.
func topDialog(e *Env) *keyDialog {
	for i := len(e.dialogs) - 1; i >= 0; i-- {
		if k, ok := e.dialogs[i].(*keyDialog); ok && e.dialogs[i].onScreen() {
			return k
		}
	}
	return nil
}

// dialogLabels is every label under o.
func dialogLabels(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w)
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
	walk(o)
	return out
}

// buttonsIn is every button under o, by text.
func buttonsIn(o fyne.CanvasObject) map[string]*widget.Button {
	out := map[string]*widget.Button{}
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			out[w.Text] = w
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
	walk(o)
	return out
}

// dialogFits fails unless the top dialog fits a 1024×768 window and
// gives its text at least the width of a short sentence.
func dialogFits(t *testing.T, e *Env, what string) *keyDialog {
	t.Helper()
	k := topDialog(e)
	if k == nil {
		t.Fatalf("%s: no dialog", what)
	}
	if m := k.d.MinSize(); m.Width > 1024 || m.Height > 768 {
		t.Errorf("%s in %s needs %v, more than 1024×768", what, e.Tr().Lang(), m)
	}
	if w := k.body.Size().Width; w < dialogMinWidth {
		t.Errorf("%s in %s: its text has %v px, a narrow column", what, e.Tr().Lang(), w)
	}
	return k
}

// TestDialogsSizedToTheirText: a notice is as wide as its sentence needs
// up to what fits 1024×768, where it wraps; a short one is not squeezed.
func TestDialogsSizedToTheirText(t *testing.T) {
	e, w := newTestEnv(t)
	registerShortcuts(e)
	w.Resize(fyne.NewSize(1024, 768))
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		short := e.T("queue.bulk.none")
		noticeDialog(e, e.T("queue.title"), short)
		k := dialogFits(t, e, "a short notice")
		if got, need := k.body.Size().Width, fyne.MeasureText(short, theme.TextSize(), fyne.TextStyle{}).Width; got < need {
			t.Errorf("%s: a one-line notice of %v px is given %v px", lang, need, got)
		}
		pressKey(e, fyne.KeyEscape)

		long := strings.Repeat(e.T("pins.printable", "/home/someone/.local/share/dossier/printed/pin-2026-11-21.pdf")+" ", 4)
		noticeDialog(e, e.T("pins.new"), long)
		k = dialogFits(t, e, "a long notice")
		if got := k.body.Size().Width; got != dialogMaxWidth {
			t.Errorf("%s: a long notice is %v px wide, want the widest, %v", lang, got, dialogMaxWidth)
		}
		pressKey(e, fyne.KeyEscape)
	}
	if len(e.dialogs) != 0 || e.Window.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc left a dialog open")
	}
}

// TestCopyFieldCopiesTheIdentifier: an identifier shows whole on one line,
// can be selected, and Copy puts it on the clipboard.
func TestCopyFieldCopiesTheIdentifier(t *testing.T) {
	e, w := newTestEnv(t)
	w.Resize(fyne.NewSize(1024, 768))
	const evn = "11A-01-000-GB"
	showDialog(e, dialogSpec{Title: "EVN", Content: copyField(e, evn)})
	k := dialogFits(t, e, "an EVN")
	var shown *widget.Label
	for _, l := range dialogLabels(k.body) {
		if l.Text == evn {
			shown = l
		}
	}
	if shown == nil || !shown.Selectable {
		t.Fatalf("the EVN is not shown as selectable text: %+v", shown)
	}
	need := fyne.MeasureText(evn, theme.TextSize(), shown.TextStyle).Width
	if shown.Size().Width < need {
		t.Errorf("the EVN has %v px, it needs %v", shown.Size().Width, need)
	}
	test.Tap(buttonsIn(k.body)[e.T("dialog.copy")])
	if got := e.App.Clipboard().Content(); got != evn {
		t.Fatalf("clipboard: %q", got)
	}
	if _, ok := buttonsIn(k.body)[e.T("dialog.copied")]; !ok {
		t.Error("Copy does not say it copied")
	}
}

// TestDialogKeys: Esc closes or cancels every kind of dialog, Enter runs
// the default action; in a text field of a dialog too; a refused action
// keeps the dialog open with its reason; a key's trust is never given by
// Enter.
func TestDialogKeys(t *testing.T) {
	e, _ := newTestEnv(t)
	registerShortcuts(e) // as the top bar does

	noticeDialog(e, "t", "a notice")
	pressKey(e, fyne.KeyReturn)
	if topDialog(e) != nil {
		t.Fatal("Enter did not close a notice")
	}

	yes := 0
	confirmDialog(e, "t", "sure?", func() { yes++ })
	pressKey(e, fyne.KeyEscape)
	if topDialog(e) != nil || yes != 0 {
		t.Fatalf("Esc on a confirmation: open %v, confirmed %d", topDialog(e) != nil, yes)
	}
	confirmDialog(e, "t", "sure?", func() { yes++ })
	pressKey(e, fyne.KeyEnter)
	if topDialog(e) != nil || yes != 1 {
		t.Fatalf("Enter on a confirmation: open %v, confirmed %d", topDialog(e) != nil, yes)
	}

	cancelled := false
	field := newDialogEntry(e, false)
	refuse := errors.New("no")
	showDialog(e, dialogSpec{Title: "t", Content: field, OK: "Send", OnOK: func() error {
		if field.Text == "" {
			return refuse
		}
		return nil
	}, OnCancel: func() { cancelled = true }})
	e.Window.Canvas().Focus(field)
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	k := topDialog(e)
	if k == nil || !k.fault.Visible() {
		t.Fatal("Enter with the field empty: the dialog should stay and say why")
	}
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if topDialog(e) != nil || !cancelled {
		t.Fatal("Esc in a dialog's field did not cancel it")
	}

	notes := newDialogEntry(e, true)
	showDialog(e, dialogSpec{Title: "t", Content: notes, OK: "Send", OnOK: func() error { return nil }})
	test.Type(notes, "line")
	notes.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if topDialog(e) == nil || !strings.Contains(notes.Text, "\n") {
		t.Fatal("Enter in a text of several lines starts a new line")
	}
	pressKey(e, fyne.KeyEscape)

	trusted := false
	showDialog(e, dialogSpec{Title: "t", Content: dialogText("trust?"), NoDefault: true, OK: "Yes",
		OnOK: func() error { trusted = true; return nil }})
	pressKey(e, fyne.KeyReturn)
	if topDialog(e) == nil || trusted {
		t.Fatal("Enter trusted a key")
	}
	pressKey(e, fyne.KeyEscape)
	if topDialog(e) != nil || trusted {
		t.Fatal("Esc did not refuse the key")
	}
}

// openRaisedRequest has student1 raise a verification request, and the
// Beaulieu DIR open it.
func openRaisedRequest(t *testing.T, e *Env) *requestView {
	t.Helper()
	signInAs(t, e, "student1", demo.Password)
	v := e.view.(*studentView)
	v.school.SetSelectedIndex(0)
	v.birth.SetText("2003-02-14")
	v.client.SetText("8765 4321")
	test.Tap(v.send)
	if len(v.requests) != 1 {
		t.Fatalf("raise refused: %q", v.form.general.Text)
	}
	id := v.requests[0].ID
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.Show(ScreenRequest(id))
	return e.view.(*requestView)
}

// TestVerifyNamesEveryUnconfirmedCriterion: Verify with criteria not
// confirmed says so above the buttons, in view, naming all of them; then
// Verify shows the new EVN whole in a copyable field.
func TestVerifyNamesEveryUnconfirmedCriterion(t *testing.T) {
	e, _, _ := desk(t, 0)
	e.Window.Resize(fyne.NewSize(1024, 768))
	openRaisedRequest(t, e)
	e.SetLang(translations.French)
	r := e.view.(*requestView)
	r.checks[0].SetSelected(r.checks[0].Options[1])
	test.Tap(r.buttons[ens.Verify])
	if !r.actionFault.Visible() {
		t.Fatal("Verify refused without a word above its button")
	}
	for _, c := range ens.Criteria[1:] {
		if !strings.Contains(r.actionFault.Text, e.T(c.MessageKey())) {
			t.Errorf("the refusal does not name %q: %q", e.T(c.MessageKey()), r.actionFault.Text)
		}
	}
	if strings.Contains(r.actionFault.Text, e.T(ens.Criteria[0].MessageKey())) {
		t.Errorf("the refusal names the confirmed criterion: %q", r.actionFault.Text)
	}
	fitsScreen(t, e, "the request with its refusal")
	e.SetLang(translations.English)
	if !strings.Contains(r.actionFault.Text, "Not yet confirmed") {
		t.Errorf("the refusal after a change of language: %q", r.actionFault.Text)
	}
	e.SetLang(translations.French)

	for i := range r.checks {
		r.checks[i].SetSelected(r.checks[i].Options[1])
	}
	test.Tap(r.buttons[ens.Verify])
	evn := string(e.view.(*requestView).r.EVN)
	if evn == "" {
		t.Fatalf("not verified: %q", r.actionFault.Text)
	}
	k := dialogFits(t, e, "the new EVN")
	var shown *widget.Label
	for _, l := range dialogLabels(k.body) {
		if l.Text == evn {
			shown = l
		}
	}
	if shown == nil {
		t.Fatal("the EVN is not in a field of its own")
	}
	if need := fyne.MeasureText(evn, theme.TextSize(), shown.TextStyle).Width; shown.Size().Width < need {
		t.Errorf("the EVN has %v px, it needs %v: it breaks", shown.Size().Width, need)
	}
	test.Tap(buttonsIn(k.body)[e.T("dialog.copy")])
	if got := e.App.Clipboard().Content(); got != evn {
		t.Fatalf("clipboard: %q, want %q", got, evn)
	}
	pressKey(e, fyne.KeyReturn)
	if topDialog(e) != nil {
		t.Fatal("Enter did not close the EVN")
	}
}

// TestReasonAndColleagueAreAskedFor: Mark ineligible and Reject with no
// reason, and Assign with nobody chosen, keep their dialog open and say
// what is missing; what was typed stays.
func TestReasonAndColleagueAreAskedFor(t *testing.T) {
	e, _, _ := desk(t, 0)
	r := openRaisedRequest(t, e)
	test.Tap(r.buttons[ens.Reject])
	k := r.reasonDialog
	test.Type(r.reasonEntry, "   ")
	k.Confirm()
	if topDialog(e) != k || !k.fault.Visible() || !strings.Contains(k.fault.Text, e.Tr().Error(ens.ErrReasonRequired)) {
		t.Fatalf("Reject with no reason: open %v, says %q", topDialog(e) == k, k.fault.Text)
	}
	if r.reasonEntry.Text != "   " {
		t.Fatalf("what was typed is lost: %q", r.reasonEntry.Text)
	}
	pressKey(e, fyne.KeyEscape)
	if topDialog(e) != nil || e.view.(*requestView).r.Status != r.r.Status {
		t.Fatal("Esc did not cancel the rejection")
	}

	b, ok := r.buttons[ens.Assign]
	if !ok {
		t.Fatal("no Assign on an open request")
	}
	test.Tap(b)
	k = r.assignDialog
	k.Confirm()
	if topDialog(e) != k || !strings.Contains(k.fault.Text, e.Tr().Error(domain.Errorf(errNobodyChosen))) {
		t.Fatalf("Assign with nobody: open %v, says %q", topDialog(e) == k, k.fault.Text)
	}
}

// TestOpenPDFSaysWhatIsMissing: with no program to open a PDF, Open says
// which program is missing and where the file is, beside the button.
func TestOpenPDFSaysWhatIsMissing(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	saved := lookPath
	lookPath = func(string) (string, error) { return "", os.ErrNotExist }
	t.Cleanup(func() { lookPath = saved })
	test.Tap(q.print)
	p := waitPrinted(t, e)
	if p.err != nil {
		t.Fatal(p.err)
	}
	k := dialogFits(t, e, "the printed document")
	open := buttonsIn(k.body)[e.T("print.open")]
	test.Tap(open)
	fault := e.printedOpenFault
	if !fault.Visible() || !strings.Contains(fault.Text, pdfOpener()) || !strings.Contains(fault.Text, p.path) {
		t.Fatalf("Open with no viewer says %q", fault.Text)
	}
	if filepath.Ext(p.path) != ".pdf" {
		t.Fatalf("printed %q", p.path)
	}
}

// TestBulkAssignWithNobodyChosen: the queue's Assign with rows ticked and
// no colleague chosen stays open and says what is missing.
func TestBulkAssignWithNobodyChosen(t *testing.T) {
	e, _, _ := desk(t, 20)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	if len(q.ids) == 0 {
		t.Fatal("an empty queue")
	}
	q.selected[q.ids[0]] = true
	q.assignSelected()
	k := q.assignDialog
	pressKey(e, fyne.KeyReturn)
	if topDialog(e) != k || !k.fault.Visible() || k.fault.Text != e.Tr().Error(domain.Errorf(errNobodyChosen)) {
		t.Fatalf("Assign with nobody: open %v, says %q", topDialog(e) == k, k.fault.Text)
	}
	dialogFits(t, e, "Assign")
}

// TestPINDialogFitsInFrench: the new PIN's dialog fits 1024×768 in French
// with its words whole, and the PIN is whole in a copyable field.
func TestPINDialogFitsInFrench(t *testing.T) {
	e, _, _ := desk(t, 0)
	e.Window.Resize(fyne.NewSize(1024, 768))
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.SetLang(translations.French)
	e.Show(ScreenPINs)
	v := e.view.(*pinsView)
	v.given.SetText("Luc")
	v.family.SetText("Bérubé")
	test.Tap(v.issue)
	k := dialogFits(t, e, "the new PIN")
	found := false
	for _, l := range dialogLabels(k.body) {
		if l.Text == v.lastPIN {
			found = l.Size().Width >= fyne.MeasureText(v.lastPIN, theme.TextSize(), l.TextStyle).Width
		} else if l.Wrapping == fyne.TextWrapBreak {
			t.Errorf("words broken anywhere: %q", l.Text)
		}
	}
	if !found {
		t.Fatal("the PIN is not whole in a field of its own")
	}
}

// TestALongNoticeScrollsInside: a notice longer than the screen (the
// outcome of a bulk action with many refusals) scrolls inside a dialog
// that fits 1024×768.
func TestALongNoticeScrollsInside(t *testing.T) {
	e, w := newTestEnv(t)
	w.Resize(fyne.NewSize(1024, 768))
	line := e.T("queue.bulk.refused", "Nathalie Dufresne-Bergeron", e.Tr().Error(domain.Errorf(errNobodyChosen)))
	noticeDialog(e, "t", strings.Repeat(line+"\n", 60))
	dialogFits(t, e, "a long notice")
}

// TestEscClosesAFilePicker: Esc dismisses Fyne's file picker as its
// Cancel does, and the screen behind keeps what was typed.
func TestEscClosesAFilePicker(t *testing.T) {
	e, _, _ := desk(t, 0)
	e.Show(ScreenVerify)
	v := e.view.(*verifyView)
	v.code.SetText("ABCD")
	test.Tap(v.open)
	if len(e.dialogs) != 1 || e.Window.Canvas().Overlays().Top() == nil {
		t.Fatalf("the picker: %d dialogs", len(e.dialogs))
	}
	pressKey(e, fyne.KeyEscape)
	if len(e.dialogs) != 0 || e.Window.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc left the file picker open")
	}
	if v.code.Text != "ABCD" {
		t.Fatalf("the code typed: %q", v.code.Text)
	}
}

// TestMarkIneligibleAsksForItsReason: on an annual compliance request,
// Mark ineligible shares Reject's reason dialog: with no reason it stays
// open and says so, keeping what was typed; with one, the request is
// ineligible, for that reason.
func TestMarkIneligibleAsksForItsReason(t *testing.T) {
	e, _, _ := desk(t, 60)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	page, err := e.Store.Queue(e.Actor(), requests.QueueFilter{School: e.Account.Org, Types: []ens.Type{ens.AC},
		Statuses: []ens.Status{ens.New, ens.InProgress}, Limit: 1})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("no open annual compliance request in the demo: %v", err)
	}
	e.Show(ScreenRequest(page.Rows[0].ID))
	r := e.view.(*requestView)
	b, ok := r.buttons[ens.MarkIneligible]
	if !ok {
		t.Fatal("no Mark ineligible on an open annual compliance request")
	}
	test.Tap(b)
	k := r.reasonDialog
	test.Type(r.reasonEntry, "  ")
	k.Confirm()
	if topDialog(e) != k || !k.fault.Visible() || !strings.Contains(k.fault.Text, e.Tr().Error(ens.ErrReasonRequired)) {
		t.Fatalf("Mark ineligible with no reason: open %v, says %q", topDialog(e) == k, k.fault.Text)
	}
	if r.reasonEntry.Text != "  " {
		t.Fatalf("what was typed is lost: %q", r.reasonEntry.Text)
	}
	r.reasonEntry.SetText("Studies part time since January")
	k.Confirm()
	if topDialog(e) == k {
		t.Fatalf("Mark ineligible with a reason stayed open: %q", k.fault.Text)
	}
	got, err := e.Store.Request(e.Actor(), page.Rows[0].ID)
	if err != nil || got.Status != ens.Ineligible || got.Reason != "Studies part time since January" {
		t.Fatalf("the request is %v, reason %q (%v)", got.Status, got.Reason, err)
	}
}

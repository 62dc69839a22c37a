package ui

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/account"
	"dossier/domain/oinp"
)

// Drafts: nothing typed is lost. Every screen with inputs declares them
// to the shell, one line per field:
//
//	d := e.Draft("request", id.String())
//	d.Entry("notes", v.notes)
//	d.Radio("check.0", v.checks[0])
//
// and places d.Notice() beside its Save button. The shell then
//
//   - puts back, as the screen is built, what this person last typed in
//     this record and did not save (per signed-in person, per record:
//     two people on one desk never see each other's drafts);
//   - keeps the values, sealed in the profile (Store.SaveDraft), about a
//     second after the person stops typing (so a killed process loses at
//     most that second), and on every way of leaving: another screen,
//     Home, Back, Log out, the inactivity lock and the window closed;
//   - says "Draft kept — not yet saved" beside the Save button when it
//     restored one, with Discard changes, which puts back the record's
//     saved values and forgets the draft.
//
// A screen calls d.Saved() when the record is saved for real: the draft
// is forgotten. A draft equal to the record is never kept nor shown.
//
// Passwords, PINs and security answers are never kept: a screen declares
// them with d.Skip, as it does a search box (the queue keeps its own).
//
// Before anyone signs in (first run, registration) there is no person to
// seal a draft for: the values are kept in the window's memory only, so
// they survive another screen and the language switch but not the window
// closed.

// draftDebounce is how long after the last change the values are kept.
const draftDebounce = time.Second

// DraftForm is one screen's declaration of its inputs for one record.
type DraftForm struct {
	e    *Env
	by   account.Actor
	form string
	// fields in declaration order, and the widgets the screen chose not
	// to keep (passwords, search boxes).
	fields  []*draftField
	skipped []fyne.CanvasObject
	// stored is the draft found when the screen was built.
	stored map[string]string
	// seen is the values at the last tick and changed when they last
	// changed; kept is what is in the profile now ("" when nothing).
	seen    string
	changed time.Time
	kept    string
	// note says "Draft kept — not yet saved", with Discard changes.
	note      *fyne.Container
	placed    bool
	noteText  *widget.Label
	discard   *widget.Button
	onDiscard func()
}

type draftField struct {
	name string
	w    fyne.CanvasObject
	get  func() string
	set  func(string)
	// saved is the record's value, as the screen filled it in.
	saved string
}

// Draft starts the declaration of the current screen's inputs for one
// record (recordID "" for a form that is not about a stored record).
func (e *Env) Draft(kind, recordID string) *DraftForm {
	form := kind
	if recordID != "" {
		form += "/" + recordID
	}
	d := &DraftForm{e: e, by: e.Actor(), form: form}
	d.noteText = widget.NewLabel("")
	d.noteText.Importance = widget.WarningImportance
	d.noteText.Wrapping = fyne.TextWrapWord
	d.discard = widget.NewButton("", d.Discard)
	d.note = container.NewBorder(nil, nil, nil, d.discard, d.noteText)
	d.note.Hide()
	e.OnRelabel(func() {
		d.noteText.SetText(e.T("draft.kept"))
		d.discard.SetText(e.T("draft.discard"))
	})
	if b := e.peekDraft(d.by, form); b != nil {
		_ = json.Unmarshal(b, &d.stored)
		d.kept = string(b)
	}
	e.drafts = append(e.drafts, d)
	return d
}

// Notice is "Draft kept — not yet saved" and Discard changes, shown when
// the screen was built with a draft: the screen puts it on a row of its
// own just above its Save or Submit button (its words wrap: it never
// widens the screen).
func (d *DraftForm) Notice() fyne.CanvasObject {
	d.placed = true
	return d.note
}

// draftBanner holds the notes of the screen's drafts that the screen did
// not place beside its own button: the shell shows them under the top bar.
func (e *Env) draftBanner() fyne.CanvasObject {
	e.draftBox = container.NewVBox()
	for _, d := range e.drafts {
		if !d.placed {
			e.draftBox.Add(d.note)
		}
	}
	e.fitDraftBanner()
	return e.draftBox
}

// fitDraftBanner hides the banner when it says nothing (an empty box
// would still take a gap under the top bar).
func (e *Env) fitDraftBanner() {
	if e.draftBox == nil {
		return
	}
	for _, o := range e.draftBox.Objects {
		if o.Visible() {
			e.draftBox.Show()
			return
		}
	}
	e.draftBox.Hide()
}

// OnDiscard runs f after Discard changes put the saved values back (a
// screen that shows something derived from its fields redraws it).
func (d *DraftForm) OnDiscard(f func()) { d.onDiscard = f }

// Entry declares a text field (a date field is an Entry too).
func (d *DraftForm) Entry(name string, w *Entry) {
	d.add(name, w, func() string { return w.Text }, w.SetText)
}

// Check declares a check box.
func (d *DraftForm) Check(name string, w *widget.Check) {
	d.add(name, w, func() string { return strconv.FormatBool(w.Checked) },
		func(s string) { w.SetChecked(s == "true") })
}

// Select declares a drop-down, kept by position (its words change with
// the language).
func (d *DraftForm) Select(name string, w *widget.Select) {
	d.add(name, w, func() string { return strconv.Itoa(w.SelectedIndex()) },
		func(s string) {
			i, _ := strconv.Atoi(s)
			if i >= 0 && i < len(w.Options) {
				w.SetSelectedIndex(i)
			} else {
				w.ClearSelected()
			}
		})
}

// Radio declares a radio group, kept by position.
func (d *DraftForm) Radio(name string, w *widget.RadioGroup) {
	d.add(name, w, func() string { return strconv.Itoa(radioIndex(w)) },
		func(s string) {
			i, _ := strconv.Atoi(s)
			if i >= 0 && i < len(w.Options) {
				w.SetSelected(w.Options[i])
			} else {
				w.SetSelected("")
			}
		})
}

// Fields declares inputs by their type, each named by its place among
// the form's fields (for screens that build their inputs in a loop).
func (d *DraftForm) Fields(ws ...fyne.CanvasObject) {
	for _, w := range ws {
		name := "field." + strconv.Itoa(len(d.fields))
		switch w := w.(type) {
		case *Entry:
			d.Entry(name, w)
		case *widget.Check:
			d.Check(name, w)
		case *widget.Select:
			d.Select(name, w)
		case *widget.RadioGroup:
			d.Radio(name, w)
		}
	}
}

// Restored reports whether any of the inputs came back from a draft with
// something other than the record (the screen shows the part of the form
// they are in).
func (d *DraftForm) Restored(ws ...fyne.CanvasObject) bool {
	for _, f := range d.fields {
		if slices.Contains(ws, f.w) && f.get() != f.saved {
			return true
		}
	}
	return false
}

// Skip declares inputs that are never kept: passwords, PINs, security
// answers, search boxes.
func (d *DraftForm) Skip(ws ...fyne.CanvasObject) { d.skipped = append(d.skipped, ws...) }

func (d *DraftForm) add(name string, w fyne.CanvasObject, get func() string, set func(string)) {
	f := &draftField{name: name, w: w, get: get, set: set, saved: get()}
	// A field declared again (a dialog opened a second time) replaces
	// the first.
	d.fields = slices.DeleteFunc(d.fields, func(o *draftField) bool { return o.name == name })
	d.fields = append(d.fields, f)
	if v, ok := d.stored[name]; ok && v != f.saved {
		set(v)
	}
	// The note shows only if something restored differs from the record.
	if d.stored != nil && d.differs() {
		d.note.Show()
	}
	d.seen = d.snapshot()
}

// values is what the fields hold now.
func (d *DraftForm) values() map[string]string {
	m := make(map[string]string, len(d.fields))
	for _, f := range d.fields {
		m[f.name] = f.get()
	}
	return m
}

func (d *DraftForm) snapshot() string {
	b, _ := json.Marshal(d.values())
	return string(b)
}

// differs says whether a field holds something other than the record.
func (d *DraftForm) differs() bool {
	for _, f := range d.fields {
		if f.get() != f.saved {
			return true
		}
	}
	return false
}

// keep writes the values to the profile now if they changed since last
// kept; a form back to the record's values has no draft. It reports
// whether what was typed is safe.
func (d *DraftForm) keep() error {
	if len(d.fields) == 0 {
		return nil
	}
	now := d.snapshot()
	if !d.differs() {
		if d.kept != "" {
			if err := d.e.dropDraft(d.by, d.form); err != nil {
				return err
			}
			d.kept = ""
		}
		return nil
	}
	if now == d.kept {
		return nil
	}
	if err := d.e.saveDraft(d.by, d.form, []byte(now)); err != nil {
		return err
	}
	d.kept = now
	return nil
}

// tick keeps the values once they have not changed for draftDebounce.
func (d *DraftForm) tick(now time.Time) {
	s := d.snapshot()
	if s != d.seen {
		d.seen, d.changed = s, now
		return
	}
	if s != d.kept && now.Sub(d.changed) >= draftDebounce {
		_ = d.keep() // tried again at the next tick, and on leaving
	}
}

// Discard puts back the record's saved values and forgets the draft.
func (d *DraftForm) Discard() {
	d.e.Touch()
	for _, f := range d.fields {
		f.set(f.saved)
	}
	_ = d.e.dropDraft(d.by, d.form)
	d.kept, d.seen = "", d.snapshot()
	d.note.Hide()
	d.e.fitDraftBanner()
	if d.onDiscard != nil {
		d.onDiscard()
	}
}

// Saved says the record now holds what the fields show: the draft is
// forgotten and the note goes.
func (d *DraftForm) Saved() {
	for _, f := range d.fields {
		f.saved = f.get()
	}
	_ = d.e.dropDraft(d.by, d.form)
	d.kept, d.seen = "", d.snapshot()
	d.note.Hide()
	d.e.fitDraftBanner()
}

// keptByWorkingCopy declares inputs, and the inputs inside them, whose
// values the screen's working copy holds (the OINP application's and the
// Employer Form's appSession, ui/oinp.go): the shell keeps that copy as
// the screen's draft (KeepDraft).
func (e *Env) keptByWorkingCopy(ws ...fyne.CanvasObject) {
	e.workingCopy = append(e.workingCopy, ws...)
}

// notKept declares inputs that are never kept, outside any DraftForm (a
// card's number in a working-copy screen): they win over keptByWorkingCopy.
func (e *Env) notKept(ws ...fyne.CanvasObject) { e.neverKept = append(e.neverKept, ws...) }

// workingCopyNotice is "Draft kept — not yet saved" with Discard changes
// for a screen that edits a working copy restored from a draft. Discard
// puts back the saved record and shows the screen again.
func (e *Env) workingCopyNotice(s *appSession) fyne.CanvasObject {
	text := widget.NewLabel("")
	text.Importance = widget.WarningImportance
	text.Wrapping = fyne.TextWrapWord
	var note *fyne.Container
	discard := widget.NewButton("", func() {
		e.Touch()
		key := s.draftKey()
		if s.form != nil {
			s.app = oinp.Application{Employer: s.form.Form}
		} else {
			s.app = s.rec.App
		}
		s.raw, s.dirty, s.restored = map[string]rawField{}, false, false
		s.prefill(e)
		s.resolveCountries()
		_ = e.Store.DeleteDraft(e.Actor(), key)
		e.Show(e.screen)
	})
	e.OnRelabel(func() {
		text.SetText(e.T("draft.kept"))
		discard.SetText(e.T("draft.discard"))
	})
	note = container.NewBorder(nil, nil, nil, discard, text)
	if !s.restored || !s.dirty {
		note.Hide()
	}
	// Saved for real: the note goes at the next tick.
	e.draftNotes = append(e.draftNotes, func() {
		if note.Visible() && !s.dirty {
			note.Hide()
		}
	})
	return note
}

// keepDrafts keeps the current screen's values now: every way of leaving
// it runs this first. The first failure is returned, after trying all.
func (e *Env) keepDrafts() error {
	var first error
	for _, d := range e.drafts {
		if d.by.Account.IsZero() && e.Session != nil {
			// Typed before anyone signed in, and now someone has (the
			// sign-up went through): the next visitor must not see it.
			_ = e.dropDraft(d.by, d.form)
			continue
		}
		if err := d.keep(); err != nil && first == nil {
			first = err
		}
	}
	if err := e.keepLegacy(); err != nil && first == nil {
		first = err
	}
	return first
}

// tickDrafts runs each second (StartIdleWatch): the values typed are kept
// once the person pauses.
func (e *Env) tickDrafts() {
	now := e.Now()
	for _, d := range e.drafts {
		d.tick(now)
	}
	for _, f := range e.draftNotes {
		f()
	}
	// Screens that keep their own draft (KeepDraft) are kept the same way.
	if e.draft != nil {
		if _, content := e.draft(); !bytes.Equal(content, e.draftSeen) {
			e.draftSeen, e.draftChanged = content, now
		} else if now.Sub(e.draftChanged) >= draftDebounce {
			_ = e.keepLegacy()
		}
	}
}

// keepLegacy keeps the draft of a screen that hands over its own
// (KeepDraft): content nil says there is nothing unsaved, and forgets a
// draft kept before.
func (e *Env) keepLegacy() error {
	if e.draft == nil || e.Store.Engine() == nil || e.Actor().Account.IsZero() {
		return nil
	}
	form, content := e.draft()
	if form == "" {
		return nil
	}
	// The record got its ID at its first save: the draft kept under the
	// new form's name goes.
	if e.draftForm != "" && e.draftForm != form {
		if err := e.Store.DeleteDraft(e.Actor(), e.draftForm); err != nil {
			return err
		}
		e.draftForm = ""
	}
	if content == nil {
		if e.draftDropped {
			return nil
		}
		if err := e.Store.DeleteDraft(e.Actor(), form); err != nil {
			return err
		}
		e.draftKept, e.draftDropped, e.draftForm = nil, true, ""
		return nil
	}
	if bytes.Equal(content, e.draftKept) {
		return nil
	}
	if err := e.Store.SaveDraft(e.Actor(), form, content); err != nil {
		return err
	}
	e.draftKept, e.draftDropped, e.draftForm = content, false, form
	return nil
}

// leaveScreen keeps the screen's values and forgets its declarations.
func (e *Env) leaveScreen() error {
	e.runLeave()
	err := e.keepDrafts()
	e.drafts, e.workingCopy, e.draftNotes, e.neverKept = nil, nil, nil, nil
	e.draft = nil
	e.draftSeen, e.draftKept, e.draftDropped, e.draftForm = nil, nil, false, ""
	return err
}

// Closing is called as the window closes: what was typed is kept first.
func (e *Env) Closing() {
	e.runLeave()
	_ = e.keepDrafts()
}

// runLeave runs, once, what the screen on show keeps as it is left (the
// queue its context).
func (e *Env) runLeave() {
	if f := e.leave; f != nil {
		e.leave = nil
		f()
	}
}

func (e *Env) peekDraft(by account.Actor, form string) []byte {
	if by.Account.IsZero() {
		return e.memDrafts[form]
	}
	if e.Store.Engine() == nil {
		return nil
	}
	b, err := e.Store.PeekDraft(by, form)
	if err != nil {
		return nil
	}
	return b
}

func (e *Env) saveDraft(by account.Actor, form string, content []byte) error {
	if by.Account.IsZero() || e.Store.Engine() == nil {
		if e.memDrafts == nil {
			e.memDrafts = map[string][]byte{}
		}
		e.memDrafts[form] = content
		return nil
	}
	return e.Store.SaveDraft(by, form, content)
}

func (e *Env) dropDraft(by account.Actor, form string) error {
	if by.Account.IsZero() || e.Store.Engine() == nil {
		delete(e.memDrafts, form)
		return nil
	}
	return e.Store.DeleteDraft(by, form)
}

package ui

import (
	"encoding/json"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/report"
	"dossier/store"
	"dossier/translations"
)

// ScreenRequest is one request of the DIR queue.
func ScreenRequest(id domain.ID) Screen {
	return Screen{ID: "request/" + id.String(), Title: "request.title", Help: "help.request",
		View: func(e *Env) fyne.CanvasObject { return newRequestView(e, id).content }}
}

// requestView shows everything the desk needs to decide, with only the
// functions legal for the request's type and status.
type requestView struct {
	env     *Env
	r       ens.Request
	content fyne.CanvasObject

	notes, studentNo *widget.Entry
	checks           [len(ens.Checks{})]*widget.RadioGroup
	buttons          map[ens.Function]*widget.Button
	form             *labelled
	facts            *fyne.Container
	print            *widget.Button
	// noDesk says that this computer cannot issue an EVN yet (nil when
	// it can, or Verify is not offered).
	noDesk *widget.Label
	// setChecks is the checklist as saved (or as the draft left it).
	setChecks ens.Checks
}

// draftOf is what the request screen keeps when the session locks.
type requestDraft struct {
	Notes         string     `json:"notes"`
	StudentNumber string     `json:"studentNumber"`
	Checks        ens.Checks `json:"checks"`
}

func newRequestView(e *Env, id domain.ID) *requestView {
	v := &requestView{env: e, buttons: map[ens.Function]*widget.Button{}}
	r, err := e.Store.Request(e.Actor(), id)
	if err != nil {
		msg := widget.NewLabel("")
		e.OnRelabel(func() { msg.SetText(e.Tr().Error(err)) })
		back := widget.NewButton("", func() { e.Show(ScreenQueue) })
		e.OnRelabel(func() { back.SetText(e.T("request.back")) })
		v.content = container.NewPadded(container.NewVBox(msg, container.NewHBox(back)))
		return v
	}
	v.r = r
	v.form = newLabelled(e)
	v.notes = widget.NewMultiLineEntry()
	v.notes.SetMinRowsVisible(4)
	v.notes.Wrapping = fyne.TextWrapWord
	v.studentNo = widget.NewEntry()
	v.notes.SetText(r.Notes)
	v.studentNo.SetText(r.Student.StudentNumber)
	for i := range v.checks {
		v.checks[i] = widget.NewRadioGroup(nil, nil)
		v.checks[i].Horizontal = true
	}
	v.restoreDraft()
	for _, w := range []*widget.Entry{v.notes, v.studentNo} {
		w.OnChanged = func(string) { e.Touch() }
	}
	e.KeepDraft(v.draft)
	v.facts = container.New(layout.NewFormLayout())
	v.layout()
	e.view = v
	return v
}

func (v *requestView) draftForm() string { return "request/" + v.r.ID.String() }

func (v *requestView) currentDraft() ens.Draft {
	d := ens.Draft{Notes: v.notes.Text, StudentNumber: v.studentNo.Text}
	for i, c := range ens.Criteria {
		d.Checks[c] = ens.Check(max(radioIndex(v.checks[i]), 0))
	}
	return d
}

func (v *requestView) draft() (string, []byte) {
	d := v.currentDraft()
	b, _ := json.Marshal(requestDraft{Notes: d.Notes, StudentNumber: d.StudentNumber, Checks: d.Checks})
	return v.draftForm(), b
}

// restoreDraft puts back what the person typed before their session
// locked, and otherwise the saved checklist.
func (v *requestView) restoreDraft() {
	checks := v.r.Checks
	if b := v.env.TakeDraft(v.draftForm()); b != nil {
		var d requestDraft
		if json.Unmarshal(b, &d) == nil {
			v.notes.SetText(d.Notes)
			v.studentNo.SetText(d.StudentNumber)
			checks = d.Checks
		}
	}
	v.setChecks = checks
}

func (v *requestView) layout() {
	e, r := v.env, &v.r
	back := widget.NewButton("", func() { e.Show(ScreenQueue) })
	actions := container.NewHBox()
	// A request is reported only with the school's annual report,
	// submitted from the Annual Compliance screen: the store refuses
	// Report on one request.
	legal := slices.DeleteFunc(ens.Legal(r, e.Actor(), e.Now()), func(f ens.Function) bool { return f == ens.Report })
	for _, f := range legal {
		f := f
		b := widget.NewButton("", func() { e.Touch(); v.act(f) })
		if f == ens.Verify || f == ens.Accept {
			b.Importance = widget.HighImportance
		}
		if f == ens.Reject {
			b.Importance = widget.DangerImportance
		}
		v.buttons[f] = b
		actions.Add(b)
	}
	editable := len(legal) > 0
	if !editable {
		v.notes.Disable()
		v.studentNo.Disable()
	}
	checklist := container.NewVBox()
	for i, c := range ens.Criteria {
		lbl := widget.NewLabel("")
		lbl.Wrapping = fyne.TextWrapWord
		rg := v.checks[i]
		crit := c
		e.OnRelabel(func() { lbl.SetText(e.T(crit.MessageKey())) })
		if !editable {
			rg.Disable()
		}
		checklist.Add(container.NewBorder(nil, nil, nil, rg, lbl))
	}
	e.OnRelabel(func() {
		back.SetText(e.T("request.back"))
		for f, b := range v.buttons {
			b.SetText(e.T(f.MessageKey()))
		}
		for i := range v.checks {
			sel := radioIndex(v.checks[i])
			if sel < 0 {
				sel = int(v.setChecks[ens.Criteria[i]])
			}
			v.checks[i].Options = []string{e.T("request.check.unchecked"), e.T("request.check.met"), e.T("request.check.not-met")}
			v.checks[i].SetSelected(v.checks[i].Options[sel])
			v.checks[i].OnChanged = func(string) { e.Touch() }
		}
		v.fillFacts()
	})
	v.form.add("request.studentno", "studentNumber", v.studentNo)
	v.form.add("request.notes", "notes", v.notes)
	body := container.NewVBox(heading(e, "request.title"), v.facts, widget.NewSeparator())
	if v.noDesk = v.noDeskNotice(); v.noDesk != nil {
		body.Add(v.noDesk)
	}
	// The eligibility checklist is what Verify confirms: it belongs to the
	// verifications, not to transfers or annual compliance.
	if r.Type == ens.EV || r.Type == ens.EVT {
		body.Add(heading(e, "request.checks"))
		body.Add(checklist)
	}
	body.Add(v.form.box)
	body.Add(v.form.general)
	// The functions stay in view below the scrolling details.
	// Print / Save as PDF: the request as saved (what is typed and not
	// yet saved is not part of the record).
	v.print = printButton(e, func() (report.Document, *translations.Translator, error) {
		doc, err := report.RequestRecordOf(e.Store, e.Actor(), r.ID)
		return doc, e.Tr(), err
	})
	bar := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewHBox(actions, v.print, back)))
	v.content = container.NewBorder(nil, bar, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

// noDeskNotice says, where Verify is offered, that this computer cannot
// issue an EVN for the person yet: the server has not given it a desk
// number of its own (store.ErrNoDesk). Verify stays offered, and refuses
// with the same words until the number arrives.
func (v *requestView) noDeskNotice() *widget.Label {
	e := v.env
	if _, offered := v.buttons[ens.Verify]; !offered {
		return nil
	}
	if _, ok, err := e.Store.DeskOf(e.Actor()); ok || err != nil {
		return nil
	}
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	e.OnRelabel(func() { l.SetText(e.Tr().Error(domain.Errorf(store.ErrNoDesk))) })
	return l
}

// fillFacts writes the request's facts in the current language.
func (v *requestView) fillFacts() {
	e, r := v.env, &v.r
	v.facts.RemoveAll()
	add := func(key, value string) {
		if value != "" {
			l := widget.NewLabel(value)
			l.Wrapping = fyne.TextWrapWord
			v.facts.Add(widget.NewLabelWithStyle(e.T(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			v.facts.Add(l)
		}
	}
	add("request.type", r.Type.Code()+" — "+e.T(r.Type.MessageKey()))
	add("request.status", e.T(r.Status.MessageKey()))
	add("request.student", r.Student.GivenNames+" "+r.Student.FamilyName)
	add("request.birth", e.Tr().Date(r.Student.BirthDate))
	add("request.client", r.Student.ClientID.String())
	add("request.email", r.Student.Email)
	add("request.received", e.Tr().DateTime(r.Received))
	if !r.Expires.IsZero() && r.Status.Open() {
		add("request.expires", expiresText(e, r))
	}
	add("request.evn", string(r.EVN))
	if !r.FromSchool.IsZero() {
		if in, err := e.Store.Institution(r.FromSchool); err == nil {
			add("request.from", in.Name)
		}
	}
	if r.Type == ens.TI {
		v.transferFacts(add)
	}
	add("request.assignee", staffNameOf(e, r.Assignee))
	add("request.reason", r.Reason)
	if !r.DecidedAt.IsZero() {
		add("request.decided", e.T("request.decided.value", e.Tr().DateTime(r.DecidedAt), staffNameOf(e, r.DecidedBy)))
	}
	if r.ComplianceYear != 0 && r.Type == ens.AC {
		add("request.year", fmt.Sprint(r.ComplianceYear))
	}
	if !r.TransferredTo.IsZero() {
		if in, err := e.Store.Institution(r.TransferredTo); err == nil {
			add("request.transferred", in.Name)
		}
	}
	v.facts.Refresh()
}

// transferFacts shows what the desk could check of a Transfer IN — the
// school whose code starts the EVN — and whether the program has confirmed
// the rest: a transfer accepted here is the program's only once the
// server has answered the Accept.
func (v *requestView) transferFacts(add func(key, value string)) {
	e, r := v.env, &v.r
	if issuer, found, err := e.Store.IssuerOf(r.EVN); err == nil {
		if found {
			add("request.issuer", issuer.Name)
		} else {
			add("request.issuer", e.T("request.issuer.unknown"))
		}
	}
	pending, err := e.Store.Pending(r.ID)
	if st := ens.TransferStateOf(r, pending); err == nil && st != ens.TransferNotChecked {
		add("request.transfer", e.T(st.MessageKey()))
	}
}

// expiresText is when an open request lapses. One whose time has run out
// by this desk's clock reads "today": the program closes it by its own
// clock, and the desk does not decide it is expired before the program's
// word arrives.
func expiresText(e *Env, r *ens.Request) string {
	if r.Lapsed(e.Now()) {
		return e.T("request.expires.today")
	}
	return e.Tr().DateTime(r.Expires)
}

func staffNameOf(e *Env, id domain.ID) string {
	if id.IsZero() {
		return ""
	}
	a, err := e.Store.Account(id)
	if err != nil {
		return ""
	}
	return a.GivenNames + " " + a.FamilyName
}

// act runs a function: Reject and Mark ineligible ask for the reason,
// Assign for the colleague; the rest run at once.
func (v *requestView) act(f ens.Function) {
	e := v.env
	switch f {
	case ens.Reject, ens.MarkIneligible:
		reason := widget.NewMultiLineEntry()
		reason.SetMinRowsVisible(3)
		reason.Wrapping = fyne.TextWrapWord
		intro := widget.NewLabel(e.T("request.reason.intro"))
		intro.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustomConfirm(e.T(f.MessageKey()), e.T(f.MessageKey()), e.T("shell.cancel"),
			container.NewVBox(intro, reason), func(ok bool) {
				if ok {
					v.run(ens.Action{Function: f, Reason: reason.Text})
				}
			}, e.Window)
		d.Resize(fyne.NewSize(520, 260))
		d.Show()
	case ens.Assign:
		staff, _ := e.Store.Staff(e.Actor(), e.Account.Org)
		var names []string
		for _, a := range staff {
			names = append(names, a.GivenNames+" "+a.FamilyName)
		}
		pick := widget.NewSelect(names, nil)
		choosePlaceholder(e, pick)
		dialog.NewCustomConfirm(e.T(f.MessageKey()), e.T("queue.assign.confirm"), e.T("shell.cancel"), pick, func(ok bool) {
			if ok && pick.SelectedIndex() >= 0 {
				v.run(ens.Action{Function: f, Assignee: staff[pick.SelectedIndex()].ID})
			}
		}, e.Window).Show()
	default:
		d := v.currentDraft()
		v.run(ens.Action{Function: f, Draft: &d})
	}
}

// run commits the action and shows its outcome: the new EVN after a
// Verify, the unchanged expiry after a Save.
func (v *requestView) run(a ens.Action) {
	e := v.env
	if a.Draft == nil && a.Function != ens.Reject {
		d := v.currentDraft()
		a.Draft = &d
	}
	next, err := e.Store.Act(e.Actor(), v.r.ID, a, v.r.Version)
	if err != nil {
		v.form.setFault(err)
		return
	}
	var msg string
	switch a.Function {
	case ens.Verify:
		msg = e.T("request.verified", string(next.EVN))
	case ens.Save:
		msg = e.T("request.saved", e.Tr().DateTime(next.Expires))
	default:
		msg = e.T("request.done", e.T(a.Function.MessageKey()), e.T(next.Status.MessageKey()))
	}
	e.Show(ScreenRequest(next.ID))
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	text.TextStyle.Bold = a.Function == ens.Verify
	e.lastNotice = msg
	dialog.NewCustom(e.T(a.Function.MessageKey()), e.T("shell.close"), text, e.Window).Show()
}

// radioIndex is the position of a radio group's choice, -1 for none.
func radioIndex(rg *widget.RadioGroup) int {
	for i, o := range rg.Options {
		if o == rg.Selected {
			return i
		}
	}
	return -1
}

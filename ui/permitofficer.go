package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/permit"
	"dossier/report"
)

// ScreenOfficerPermits is the program officer's list of Off-Campus Work
// Permit applications and the decision on the one chosen.
var ScreenOfficerPermits = Screen{ID: "officer-permits", Title: "permit.officer.title", Help: "help.permit.officer"}

// officerPermitsView holds the screen's widgets, for tests.
type officerPermitsView struct {
	e        *Env
	apps     []permit.Application
	list     *widget.List
	chosen   int
	detail   *fyne.Container
	reason   *Entry
	reasonEr *widget.Label
	fault    *widget.Label
	buttons  map[permit.Outcome]*widget.Button
	prints   map[report.Kind]*widget.Button
}

// OfficerPermits is the officer's work permit screen.
func OfficerPermits(e *Env) fyne.CanvasObject {
	v := &officerPermitsView{e: e, chosen: -1, detail: container.NewVBox(), reason: newMultiLineEntry(),
		reasonEr: errorLabel(), fault: errorLabel(), buttons: map[permit.Outcome]*widget.Button{}}
	e.view = v
	v.reason.SetMinRowsVisible(3)
	v.reason.Wrapping = fyne.TextWrapWord
	v.reason.OnChanged = func(string) { e.Touch() }
	e.Draft("permit.officer", "").Entry("reason", v.reason)
	v.apps, _ = e.Store.Permits(e.Actor())
	v.list = widget.NewList(func() int { return len(v.apps) },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(v.row(v.apps[i])) })
	v.list.OnSelected = func(i widget.ListItemID) { v.choose(i) }
	for _, o := range []permit.Outcome{permit.Review, permit.Approve, permit.Refuse} {
		v.buttons[o] = widget.NewButton("", func() { v.decide(o) })
	}
	v.buttons[permit.Approve].Importance = widget.HighImportance
	back := widget.NewButton("", func() { e.Show(ScreenOfficerFiles) })
	count := widget.NewLabel("")
	e.OnRelabel(func() {
		back.SetText(e.T("officer.files.title"))
		count.SetText(e.T("permit.officer.count", strconv.Itoa(len(v.apps))))
		v.reason.SetPlaceHolder(e.T("permit.officer.reason.placeholder"))
		v.buttons[permit.Review].SetText(e.T("permit.officer.review"))
		v.buttons[permit.Approve].SetText(e.T("permit.officer.approve"))
		v.buttons[permit.Refuse].SetText(e.T("permit.officer.refuse"))
		v.list.Refresh()
		v.showDetail()
	})
	e.refresh = func() {
		v.apps, _ = e.Store.Permits(e.Actor())
		v.list.Refresh()
		v.showDetail()
	}
	top := container.NewBorder(nil, nil, nil, back, heading(e, "permit.officer.title"))
	left := container.NewBorder(count, nil, nil, nil, v.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(v.detail)))
	split.Offset = 0.4
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, split)
}

// row is one application in the list.
func (v *officerPermitsView) row(a permit.Application) string {
	return v.e.T("permit.officer.row", a.Form.FamilyName+", "+a.Form.GivenNames, string(a.EVN), v.e.T(a.Status.MessageKey()), a.Submitted)
}

func (v *officerPermitsView) choose(i int) {
	v.e.Touch()
	v.chosen = i
	v.reason.SetText("")
	v.fault.Hide()
	v.reasonEr.Hide()
	v.showDetail()
}

// showDetail shows the chosen application and the decisions its status
// allows.
func (v *officerPermitsView) showDetail() {
	e := v.e
	v.detail.RemoveAll()
	if v.chosen < 0 || v.chosen >= len(v.apps) {
		v.detail.Add(wrapped(e.T("permit.officer.choose")))
		return
	}
	a := v.apps[v.chosen]
	f := a.Form
	school := ""
	if in, err := e.Store.Institution(a.School); err == nil {
		school = in.Name
	}
	name := wrapped(f.GivenNames + " " + f.FamilyName)
	name.TextStyle = fyne.TextStyle{Bold: true}
	v.detail.Add(name)
	for _, line := range []string{
		e.T("permit.status.line", e.T(a.Status.MessageKey()), string(a.EVN), a.Submitted),
		e.T("permit.officer.school", school, f.Program, f.StudyStart, f.StudyEnd),
		e.T("permit.officer.identity", f.BirthDate, f.ClientID.String(), f.Email),
		e.T("permit.officer.passport", f.PassportNumber, f.PassportCountry, f.PassportExpiry),
		e.T("permit.officer.address", f.Street, f.City, f.Province, f.PostalCode),
	} {
		v.detail.Add(wrapped(line))
	}
	if r := a.Receipt; r != nil {
		key := "oinp.status.receipt"
		if r.Sandbox {
			key = "oinp.status.receipt.sandbox"
		}
		v.detail.Add(wrapped(e.T(key, domain.Money(r.AmountCents), strings.ToUpper(r.Brand), r.Last4, r.Reference)))
	}
	switch a.Status {
	case permit.Approved:
		v.detail.Add(wrapped(e.T("permit.decision.approved", a.Decided, a.OfficerName)))
	case permit.Refused:
		v.detail.Add(wrapped(e.T("permit.decision.refused", a.Decided, a.Reason)))
	}
	v.prints = map[report.Kind]*widget.Button{}
	v.detail.Add(permitPrintButtons(e, &a, v.prints, true))
	if a.Status != permit.Submitted && a.Status != permit.InReview {
		return
	}
	v.detail.Add(widget.NewSeparator())
	v.detail.Add(widget.NewLabelWithStyle(e.T("permit.officer.reason"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	v.detail.Add(v.reason)
	v.detail.Add(v.reasonEr)
	buttons := container.NewHBox()
	if a.Status == permit.Submitted {
		buttons.Add(v.buttons[permit.Review])
	}
	buttons.Add(v.buttons[permit.Approve])
	buttons.Add(v.buttons[permit.Refuse])
	v.detail.Add(buttons)
	v.detail.Add(v.fault)
}

// confirmKey is what the officer confirms before a decision.
var confirmKey = map[permit.Outcome]string{permit.Approve: "permit.officer.confirm.approve", permit.Refuse: "permit.officer.confirm.refuse"}

// decide records the officer's decision; a refusal without its reason is
// said under the reason, which stays as typed.
func (v *officerPermitsView) decide(o permit.Outcome) {
	e := v.e
	e.Touch()
	if v.chosen < 0 || v.chosen >= len(v.apps) {
		v.fault.SetText(e.T("permit.officer.choose"))
		v.fault.Show()
		return
	}
	id := v.apps[v.chosen].ID
	if o == permit.Review {
		v.record(id, o)
		return
	}
	confirmDialog(e, e.T("permit.officer.title"), e.T(confirmKey[o]), func() { v.record(id, o) })
}

// record records the decision o on application id.
func (v *officerPermitsView) record(id domain.ID, o permit.Outcome) {
	e := v.e
	{
		a, err := e.Store.DecidePermit(e.Actor(), id, o, v.reason.Text)
		v.reasonEr.Hide()
		v.fault.Hide()
		if err != nil {
			target := v.fault
			if de, ok := err.(*domain.Error); ok && de.Field == "reason" {
				target = v.reasonEr
			}
			target.SetText(e.Tr().Error(err))
			target.Show()
			return
		}
		if e.Sync != nil {
			e.Sync.Nudge()
		}
		for i := range v.apps {
			if v.apps[i].ID == a.ID {
				v.apps[i] = a
			}
		}
		v.reason.SetText("")
		e.lastNotice = e.T(a.Status.MessageKey())
		v.list.Refresh()
		v.showDetail()
	}
}

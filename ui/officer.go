package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/employer"
	"dossier/report"
	"dossier/translations"
)

// ScreenEmployerQueue is the program officer's queue of employers'
// enrolments: the pending to approve or refuse, and the refused with
// their reasons (§5: the business reads only a neutral notice).
var ScreenEmployerQueue = Screen{ID: "employer-queue", Title: "officer.employers.title", Help: "help.officer.employers"}

// employerQueueView holds the screen's widgets, for tests.
type employerQueueView struct {
	approve, refuse map[domain.ID]*widget.Button
	print           *widget.Button
	// drafts keep a refusal's reason as typed.
	drafts *DraftForm
}

// EmployerQueue lists the enrolments.
func EmployerQueue(e *Env) fyne.CanvasObject {
	v := &employerQueueView{approve: map[domain.ID]*widget.Button{}, refuse: map[domain.ID]*widget.Button{}}
	e.view = v
	v.drafts = e.Draft("officer.employers", "")
	e.refresh = func() { e.Show(ScreenEmployerQueue) }
	files := widget.NewButton("", func() { e.Show(ScreenOfficerFiles) })
	e.OnRelabel(func() { files.SetText(e.T("officer.files.title")) })
	v.print = printButton(e, func() (report.Document, *translations.Translator, error) {
		doc, err := report.EnrolmentListOf(e.Store, e.Actor(), e.Tr())
		return doc, e.Tr(), err
	})
	body := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(v.print, files), heading(e, "officer.employers.title")))
	all, err := e.Store.Businesses(e.Actor(), "")
	if err != nil {
		body.Add(wrapped(e.Tr().Error(err)))
		return container.NewPadded(body)
	}
	for _, status := range []employer.Status{employer.Pending, employer.Approved, employer.Refused} {
		body.Add(widget.NewSeparator())
		body.Add(heading(e, "officer.employers."+string(status)))
		n := 0
		for _, b := range all {
			if b.Status != status {
				continue
			}
			n++
			b := b
			line := wrapped("")
			e.OnRelabel(func() {
				text := e.T("officer.employers.line", b.LegalName, b.BN.String(), e.Tr().DateTime(b.Enrolled.Local()))
				if b.Reason != "" {
					text += "\n" + e.T("officer.employers.reason", reasonText(e, b.Reason))
				}
				line.SetText(text)
			})
			if status != employer.Pending {
				body.Add(line)
				continue
			}
			yes := widget.NewButton("", func() { v.decide(e, b.ID, true, "") })
			yes.Importance = widget.HighImportance
			no := widget.NewButton("", func() { v.askReason(e, b.ID) })
			v.approve[b.ID], v.refuse[b.ID] = yes, no
			e.OnRelabel(func() { yes.SetText(e.T("officer.employers.approve")); no.SetText(e.T("officer.employers.refuse")) })
			body.Add(container.NewBorder(nil, nil, nil, container.NewHBox(yes, no), line))
		}
		if n == 0 {
			body.Add(wrapped(e.T("sync.none")))
		}
	}
	return container.NewVScroll(container.NewPadded(body))
}

// reasonText words a refusal's reason, as the printed list does.
func reasonText(e *Env, reason string) string { return report.RefusalReason(e.Tr(), reason) }

func (v *employerQueueView) askReason(e *Env, id domain.ID) {
	reason := newDialogEntry(e, true)
	v.drafts.Entry("reason."+id.String(), &reason.Entry)
	ask := e.T("officer.employers.reason.ask")
	showDialog(e, dialogSpec{Title: e.T("officer.employers.refuse"), Content: container.NewVBox(wrapped(ask), reason),
		Text: []string{ask}, OK: e.T("officer.employers.refuse"), OnOK: func() error {
			v.decide(e, id, false, reason.Text)
			return nil
		}})
	e.Window.Canvas().Focus(reason)
}

func (v *employerQueueView) decide(e *Env, id domain.ID, approve bool, reason string) {
	e.Touch()
	if _, err := e.Store.DecideBusiness(e.Actor(), id, approve, reason); err != nil {
		noticeDialog(e, e.T("officer.employers.title"), e.Tr().Error(err))
		return
	}
	v.drafts.Saved()
	e.Show(ScreenEmployerQueue)
}

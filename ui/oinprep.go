package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/oinp"
	"dossier/store/applications"
)

// ScreenClients is a representative's home: the applicants they act for,
// and the request to act for another (§3.2.2).
var ScreenClients = Screen{ID: "clients", Title: "oinp.clients.title", Help: "help.clients"}

// clientsView holds the screen's widgets, for tests.
type clientsView struct {
	file, email *Entry
	ask         *widget.Button
	form        *labelled
	done        *widget.Label
	open        []*widget.Button
}

// Clients lists the representative's clients, each to open, and asks to
// act for another with their file number and e-mail.
func Clients(e *Env) fyne.CanvasObject {
	v := &clientsView{file: newEntry(), email: newEntry(), form: newLabelled(e), done: wrapped("")}
	e.view = v
	list := container.NewVBox()
	recs, err := e.Store.ClientApplications(e.Actor())
	if err != nil {
		list.Add(wrapped(e.Tr().Error(err)))
	}
	for _, rec := range recs {
		rec := rec
		line := wrapped("")
		open := widget.NewButton("", func() {
			e.Touch()
			e.client, e.application = rec.Applicant, nil
			e.Show(ScreenApplication(oinp.TabGeneral))
		})
		v.open = append(v.open, open)
		e.OnRelabel(func() {
			a := rec.App
			line.SetText(e.T("oinp.clients.line", a.Applicant.GivenNames+" "+a.Applicant.FamilyName, string(a.FileNumber)))
			open.SetText(e.T("oinp.clients.open"))
		})
		list.Add(container.NewBorder(nil, nil, nil, open, line))
	}
	none := wrapped("")
	if len(recs) > 0 {
		none.Hide()
	}
	v.file.SetPlaceHolder("JOID-1234567")
	v.form.add("oinp.clients.file", "fileNumber", v.file)
	v.form.add("oinp.clients.email", "email", v.email)
	d := e.Draft("oinp.clients", "")
	d.Entry("file", v.file)
	d.Entry("email", v.email)
	v.ask = widget.NewButton("", func() { v.request(e) })
	v.ask.Importance = widget.HighImportance
	v.done.Hide()
	e.OnRelabel(func() {
		none.SetText(e.T("oinp.clients.none"))
		v.ask.SetText(e.T("oinp.clients.ask"))
		v.done.SetText(e.T("oinp.clients.asked"))
	})
	return container.NewVScroll(container.NewPadded(container.NewVBox(heading(e, "oinp.clients.title"), none, list,
		widget.NewSeparator(), heading(e, "oinp.clients.add"), v.form.box, v.form.general, container.NewHBox(v.ask), v.done)))
}

// request asks to act for the applicant of a file (sent with the next sync).
func (v *clientsView) request(e *Env) {
	e.Touch()
	v.done.Hide()
	// Every mistake at once, by the request's own checks.
	if errs := applications.RepresentationErrors(v.file.Text, v.email.Text); len(errs) > 0 {
		v.form.setFault(errors.Join(errs...))
		return
	}
	if err := e.Store.RequestRepresentation(e.Actor(), v.file.Text, v.email.Text); err != nil {
		v.form.setFault(err)
		return
	}
	v.form.setFault(nil)
	v.file.SetText("")
	v.email.SetText("")
	v.done.Show()
}

// representativesPanel shows the applicant who asked to act for them and
// who acts now: Authorise or Refuse a request, Cancel an authorisation.
func representativesPanel(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	if len(a.Representatives) == 0 || e.rep() {
		return
	}
	f.box.Add(widget.NewSeparator())
	f.heading("oinp.reps.title")
	for _, r := range a.Representatives {
		r := r
		line := wrapped("")
		e.OnRelabel(func() {
			line.SetText(e.T(repStatusKey(r.Status), r.Name, r.Email, r.Asked))
		})
		buttons := container.NewHBox()
		decide := func(authorise bool) func() {
			return func() {
				e.Touch()
				if err := v.s.save(e); err != nil {
					v.showFault(err)
					return
				}
				var err error
				if r.Status == oinp.RepActive {
					_, err = e.Store.CancelRepresentation(e.Actor(), r.Account)
				} else {
					_, err = e.Store.DecideRepresentation(e.Actor(), r.Account, authorise)
				}
				if err != nil {
					v.showFault(err)
					return
				}
				v.s.reload(e)
				e.Show(ScreenApplication(v.tab))
			}
		}
		switch r.Status {
		case oinp.RepPending:
			yes, no := widget.NewButton("", decide(true)), widget.NewButton("", decide(false))
			yes.Importance = widget.HighImportance
			e.OnRelabel(func() { yes.SetText(e.T("oinp.reps.authorise")); no.SetText(e.T("oinp.reps.refuse")) })
			buttons.Add(yes)
			buttons.Add(no)
		case oinp.RepActive:
			cancel := widget.NewButton("", decide(false))
			e.OnRelabel(func() { cancel.SetText(e.T("oinp.reps.cancel")) })
			buttons.Add(cancel)
		}
		f.box.Add(container.NewBorder(nil, nil, nil, buttons, line))
	}
}

// repStatusKey words a representative's standing.
func repStatusKey(s oinp.RepStatus) string {
	switch s {
	case oinp.RepPending:
		return "oinp.reps.pending"
	case oinp.RepActive:
		return "oinp.reps.active"
	case oinp.RepRefused:
		return "oinp.reps.refused"
	}
	return "oinp.reps.cancelled"
}

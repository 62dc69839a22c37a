package ui

import (
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
)

// ScreenEmployerForm is one Employer Form (the guide's tabs 4.2.14–16) as
// the employer writes, checks, signs, links and exports it. A zero ID
// starts a new form.
func ScreenEmployerForm(id domain.ID) Screen {
	return Screen{ID: "employer-form/" + id.String(), Title: "employer.form.title", Help: "help.employer-form",
		View: func(e *Env) fyne.CanvasObject { return newEmployerFormView(e, id).content }}
}

// employerFormView holds the screen's widgets, for tests.
type employerFormView struct {
	s                       *appSession
	form                    *appForm
	content                 fyne.CanvasObject
	status                  *widget.Label
	save, check, sign, link *widget.Button
	export                  *widget.Button
	file                    *Entry
	rules                   *fyne.Container
}

func newEmployerFormView(e *Env, id domain.ID) *employerFormView {
	v := &employerFormView{status: wrapped(""), rules: container.NewVBox()}
	e.view = v
	s := e.employerFormSession(id)
	v.s = s
	f := newAppForm(e, s)
	v.form = f
	ef := &s.app.Employer
	f.heading("oinp.tab.employer-history")
	f.yesNo("employer.appliedBefore", &ef.AppliedBefore)
	f.yesNo("employer.helped", &ef.Helped)
	f.text("employer.representative", &ef.Representative)
	f.box.Add(widget.NewSeparator())
	f.heading("oinp.tab.employer-business")
	businessTab(f, ef)
	f.box.Add(widget.NewSeparator())
	f.heading("oinp.tab.employer-offer")
	offerTab(f, ef)
	if s.form.Signed != nil || s.form.Linked != "" {
		disableAll(f.box)
	}
	v.documents(e)
	f.box.Add(widget.NewSeparator())
	f.heading("employer.form.rules")
	f.box.Add(v.rules)
	v.showRules(e)

	v.save = widget.NewButton("", func() { v.saveNow(e) })
	v.check = widget.NewButton("", func() { v.checkNow(e) })
	v.sign = widget.NewButton("", func() {
		confirmDialog(e, e.T("employer.form.sign"), e.T("employer.form.sign.confirm"), func() { v.signNow(e) })
	})
	v.sign.Importance = widget.HighImportance
	v.file = newEntry()
	v.file.SetPlaceHolder("JOID-1234567")
	v.link = widget.NewButton("", func() { v.linkNow(e) })
	v.export = widget.NewButton("", func() { v.exportNow(e) })
	back := widget.NewButton("", func() { e.Touch(); e.Show(ScreenEmployer) })
	e.OnRelabel(func() {
		v.save.SetText(e.T("oinp.save"))
		v.check.SetText(e.T("oinp.check"))
		v.sign.SetText(e.T("employer.form.sign"))
		v.link.SetText(e.T("employer.form.link"))
		v.export.SetText(e.T("employer.form.export"))
		back.SetText(e.T("sync.back"))
		v.showState(e)
	})
	if s.form.Signed == nil {
		v.link.Disable()
		v.export.Disable()
	} else {
		v.save.Disable()
		v.sign.Disable()
	}
	if s.form.Linked != "" {
		v.link.Disable()
		v.file.SetText(string(s.form.Linked))
		v.file.Disable()
	}
	e.KeepDraft(func() (string, []byte) { return s.draftKey(), s.draft() })
	e.Draft("employer.form.link", s.form.ID.String()).Entry("file", v.file)
	top := container.NewVBox(heading(e, "employer.form.title"), v.status, widget.NewSeparator())
	bar := container.NewVBox(widget.NewSeparator(), e.workingCopyNotice(s), container.NewBorder(nil, nil,
		container.NewHBox(back, v.save, v.check, v.sign), container.NewHBox(v.export),
		container.NewBorder(nil, nil, nil, v.link, v.file)))
	v.content = container.NewBorder(top, bar, nil, nil, container.NewVScroll(container.NewPadded(f.box)))
	return v
}

// employerFormSession is the working copy of an Employer Form (a new one
// for a zero ID), kept across redraws of the screen.
func (e *Env) employerFormSession(id domain.ID) *appSession {
	if s := e.application; s != nil && s.form != nil && s.form.ID == id {
		return s // a redraw (and a new form not yet saved keeps what was typed)
	}
	rec := applications.EmployerFormRecord{}
	if !id.IsZero() {
		if recs, err := e.Store.EmployerForms(e.Actor()); err == nil {
			for _, r := range recs {
				if r.ID == id {
					rec = r
				}
			}
		}
	}
	if id.IsZero() {
		// A new form starts from what the program knows of the business.
		if b, err := e.Store.Business(e.Actor(), e.businessOfMe()); err == nil {
			rec.Form.LegalName, rec.Form.OperatingName, rec.Form.BusinessNumber = b.LegalName, b.OperatingName, string(b.BN)
		}
	}
	s := &appSession{app: oinp.Application{Employer: rec.Form}, raw: map[string]rawField{}, form: &rec}
	s.restoreDraft(e)
	s.resolveCountries()
	e.application = s
	return s
}

// showState says where the form stands: a draft, signed (and when), or
// linked to a file (and, once that file is submitted, the day the
// employer's documents are due).
func (v *employerFormView) showState(e *Env) {
	r := v.s.form
	switch {
	case r.Linked != "" && !r.FileSubmitted.IsZero():
		v.status.SetText(e.T("employer.form.state.submitted", string(r.Linked), r.FileSubmitted,
			r.FileSubmitted.AddDays(oinp.EmployerDocumentsDays)))
	case r.Linked != "":
		v.status.SetText(e.T("employer.form.state.linked", string(r.Linked)))
	case r.Signed != nil:
		v.status.SetText(e.T("employer.form.state.signed", r.Signed.SignerName, domain.DateOf(r.Signed.SignedAt.Local())))
	default:
		v.status.SetText(e.T("employer.form.state.draft"))
	}
}

// showRules checks the employer's own criteria live, with the rules the
// applicant's file is judged by.
func (v *employerFormView) showRules(e *Env) {
	rep := oinp.EmployerRules(v.s.app.Employer, domain.DateOf(e.Now()), assets.OINPTables())
	v.rules.RemoveAll()
	for _, r := range rep.Results {
		r := r
		l := wrapped("")
		switch r.Outcome {
		case oinp.Fail:
			l.Importance = widget.DangerImportance
		case oinp.Pass:
			l.Importance = widget.LowImportance
		}
		e.OnRelabel(func() {
			l.SetText(e.T("oinp.summary.rule", e.T(r.Outcome.MarkKey()), r.Section, e.T(r.Title()), e.T(r.Key, r.Args...)))
		})
		v.rules.Add(l)
	}
}

func (v *employerFormView) saveNow(e *Env) {
	e.Touch()
	v.s.dirty = true
	if err := v.s.save(e); err != nil {
		v.status.SetText(e.Tr().Error(err))
		return
	}
	e.Show(ScreenEmployerForm(v.s.form.ID))
}

// checkNow shows each problem of the form under its field.
func (v *employerFormView) checkNow(e *Env) {
	e.Touch()
	for _, l := range v.form.errs {
		l.Hide()
	}
	ps := oinp.EmployerFormProblems(v.s.app.Employer, domain.DateOf(e.Now()))
	for _, p := range ps {
		if p.Err.Field == "employer.signed" {
			continue // signing sets it
		}
		if l, ok := v.form.errs[p.Err.Field]; ok {
			l.SetText(e.Tr().Error(p.Err))
			l.Show()
		}
	}
	v.showRules(e)
}

func (v *employerFormView) signNow(e *Env) {
	v.s.dirty = true
	if err := v.s.save(e); err != nil {
		v.status.SetText(e.Tr().Error(err))
		return
	}
	if _, _, err := e.Store.SignEmployerForm(e.Actor(), v.s.form.ID); err != nil {
		v.checkNow(e)
		v.status.SetText(e.Tr().Error(err))
		return
	}
	e.application = nil
	e.Show(ScreenEmployerForm(v.s.form.ID))
}

func (v *employerFormView) linkNow(e *Env) {
	e.Touch()
	if _, err := e.Store.LinkEmployerForm(e.Actor(), v.s.form.ID, strings.TrimSpace(v.file.Text)); err != nil {
		v.status.SetText(e.Tr().Error(err))
		return
	}
	e.application = nil
	e.Show(ScreenEmployerForm(v.s.form.ID))
}

// exportNow saves the signed form as a file for an applicant offline.
func (v *employerFormView) exportNow(e *Env) {
	e.Touch()
	b, err := e.Store.ExportSignedForm(e.Actor(), v.s.form.ID)
	if err != nil {
		v.status.SetText(e.Tr().Error(err))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		defer w.Close()
		if err := keepPrivate(w); err != nil {
			v.status.SetText(e.Tr().Error(domain.Wrap(store.ErrStorage, err)))
			return
		}
		if _, err := w.Write(b); err != nil {
			v.status.SetText(e.Tr().Error(err))
		}
	}, e.Window)
	d.SetFileName("employer-form-" + v.s.form.ID.String()[:8] + ".json")
	showFileDialog(e, d)
}

// documents lists the employer's own documents (Appendix 4 §3) and
// attaches more.
func (v *employerFormView) documents(e *Env) {
	f := v.form
	f.box.Add(widget.NewSeparator())
	f.heading("oinp.docgroup.3")
	if v.s.form.ID.IsZero() {
		f.note("employer.form.documents.save-first")
		return
	}
	for _, d := range v.s.form.Documents {
		d := d
		l := wrapped("")
		e.OnRelabel(func() { l.SetText(e.T("oinp.documents.line", d.Name, sizeText(e, d.Size), d.Added)) })
		f.box.Add(l)
	}
	errLbl := errorLabel()
	f.errs["documents.employer"] = errLbl
	for _, kind := range []string{"employer-information", "employer-representative"} {
		kind := kind
		b := widget.NewButton("", func() {
			e.Touch()
			showFileDialog(e, dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
				if err != nil || r == nil {
					return
				}
				defer r.Close()
				content, err := io.ReadAll(io.LimitReader(r, oinp.MaxDocumentBytes+1))
				if err == nil {
					v.attach(e, kind, r.URI().Name(), content)
				}
			}, e.Window))
		})
		e.OnRelabel(func() { b.SetText(e.T("employer.form.attach", e.T(docKindKey(kind)))) })
		f.box.Add(container.NewHBox(b))
	}
	f.box.Add(errLbl)
}

// attach attaches an employer's document to the form.
func (v *employerFormView) attach(e *Env, kind, name string, content []byte) {
	if _, _, err := e.Store.AttachEmployerDocument(e.Actor(), v.s.form.ID, oinp.Document{Kind: kind, Name: name}, content); err != nil {
		l := v.form.errs["documents.employer"]
		l.SetText(e.Tr().Error(err))
		l.Show()
		return
	}
	e.application = nil
	e.Show(ScreenEmployerForm(v.s.form.ID))
}

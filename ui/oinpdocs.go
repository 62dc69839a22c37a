package ui

import (
	"io"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store/applications"
)

// documentsTab is the checklist of Appendix 4 for this application, group
// by group: each line says whether it is mandatory, lists what is
// attached to it (with its translation) and attaches more.
func documentsTab(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	f.note("oinp.documents.text", oinp.MaxDocumentBytes>>20, oinp.MaxPassportBytes>>20, oinp.MinPhotoWidth, oinp.MinPhotoHeight)
	group, shown := 0, 0
	for _, r := range oinp.Checklist(a) {
		if r.Group != group {
			// Groups this application needs none of are left out; those
			// shown are numbered 1, 2, 3… as the person sees them.
			group, shown = r.Group, shown+1
			f.box.Add(widget.NewSeparator())
			h, key, n := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), docGroupKey(group), shown
			e.OnRelabel(func() { h.SetText(e.T("oinp.docgroup.numbered", n, e.T(key))) })
			f.box.Add(h)
		}
		r := r
		field := oinp.DocField(r.Kind, r.Person)
		title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		need := "oinp.documents.optional"
		if r.Mandatory {
			need = "oinp.documents.mandatory"
		}
		e.OnRelabel(func() {
			name := f.tr(docKindKey(r.Kind))
			if r.Person > 0 {
				name = e.T("oinp.documents.person", name, r.Person)
			}
			title.SetText(e.T(need, name))
		})
		attach := widget.NewButton("", func() { v.pickFile(r.Kind, r.Person, domain.ID{}) })
		e.OnRelabel(func() { attach.SetText(e.T("oinp.documents.attach")) })
		errLbl := errorLabel()
		f.errs[field] = errLbl
		f.box.Add(container.NewBorder(nil, nil, nil, attach, title))
		for i := range a.Documents {
			d := &a.Documents[i]
			if d.Kind == r.Kind && d.Person == r.Person {
				v.documentLine(d)
			}
		}
		f.box.Add(errLbl)
	}
	f.box.Add(widget.NewSeparator())
	f.yesNo("employerSendsDocuments", &a.EmployerSendsDocuments)
}

// documentLine shows one attached document: its name, type and size, the
// question of a translation (and the translation, or a way to attach it),
// and Remove.
func (v *appView) documentLine(d *oinp.Document) {
	e, f, a := v.e, v.form, &v.s.app
	rm := widget.NewButton("", func() { v.removeDocument(d.ID) })
	e.OnRelabel(func() { rm.SetText(e.T("oinp.list.remove")) })
	applicant := v.s.rec.Applicant
	if applicant.IsZero() {
		applicant = e.Actor().Account
	}
	// Open: a document attached on another computer comes from the server.
	row := newAttachmentRow(e, applicant, *d, func() string {
		return e.T("oinp.documents.line", d.Name, sizeText(e, d.Size), d.Added)
	}, rm)
	f.box.Add(row.box)
	f.yesNo("documents."+d.ID.String()+".needsTranslation", &d.NeedsTranslation)
	if d.NeedsTranslation != oinp.Yes {
		return
	}
	for i := range a.Documents {
		if t := &a.Documents[i]; t.TranslationOf == d.ID {
			tl := wrapped("")
			e.OnRelabel(func() { tl.SetText(e.T("oinp.documents.translation", t.Name)) })
			f.box.Add(tl)
			return
		}
	}
	add := widget.NewButton("", func() { v.pickFile("translation", d.Person, d.ID) })
	e.OnRelabel(func() { add.SetText(e.T("oinp.documents.attach.translation")) })
	f.box.Add(container.NewHBox(add))
}

// pickFile asks for a file, then attaches it.
func (v *appView) pickFile(kind string, person int, of domain.ID) {
	e := v.e
	e.Touch()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, oinp.MaxPassportBytes+1))
		if err != nil {
			v.documentFault(kind, person, err)
			return
		}
		v.attach(kind, person, r.URI().Name(), b, of)
	}, e.Window)
	showFileDialog(e, d)
}

// attach attaches a file's content (what the file dialog read): saved
// first, then checked and kept in one transaction; a refusal shows under
// its line and changes nothing.
func (v *appView) attach(kind string, person int, name string, b []byte, of domain.ID) {
	e, s := v.e, v.s
	if err := s.save(e); err != nil {
		v.documentFault(kind, person, err)
		return
	}
	doc := oinp.Document{Kind: kind, Person: person, Name: name, TranslationOf: of}
	var err error
	e.Async(func() { _, doc, err = e.Store.AttachDocumentFor(e.Actor(), s.rec.Applicant, doc, b) }, func() {
		if err != nil {
			v.documentFault(kind, person, err)
			return
		}
		s.reload(e)
		e.Show(ScreenApplication(oinp.TabDocuments))
	})
}

func (v *appView) removeDocument(id domain.ID) {
	e, s := v.e, v.s
	e.Touch()
	if err := s.save(e); err != nil {
		v.status.SetText(e.Tr().Error(err))
		return
	}
	if _, err := e.Store.RemoveDocumentFor(e.Actor(), s.rec.Applicant, id); err != nil {
		v.status.SetText(e.Tr().Error(err))
		return
	}
	s.reload(e)
	e.Show(ScreenApplication(oinp.TabDocuments))
}

// documentFault shows why a file was refused, under its checklist line
// (a translation's under the line of the document it translates).
func (v *appView) documentFault(kind string, person int, err error) {
	field := oinp.DocField(kind, person)
	l, ok := v.form.errs[field]
	if !ok {
		v.status.SetText(v.e.Tr().Error(err))
		v.status.Importance = widget.DangerImportance
		v.status.Refresh()
		return
	}
	l.SetText(v.e.Tr().Error(err))
	l.Show()
}

// reload takes the stored record as the working copy (after a document
// was attached or removed, which the store did itself).
func (s *appSession) reload(e *Env) {
	var rec applications.ApplicationRecord
	var err error
	if e.rep() {
		rec, err = e.Store.ClientApplication(e.Actor(), s.rec.Applicant)
	} else {
		rec, _, err = e.Store.Application(e.Actor())
	}
	if err != nil {
		return
	}
	s.rec, s.app, s.dirty = rec, rec.App, false
}

func docGroupKey(n int) string   { return "oinp.docgroup." + strconv.Itoa(n) }
func docKindKey(k string) string { return "oinp.doc." + k }

// sizeText is a file's size the way people read it: kilobytes under a
// megabyte, megabytes with a decimal above.
func sizeText(e *Env, n int64) string {
	if n < 1<<20 {
		return e.T("oinp.size.kb", int((n+1023)/1024))
	}
	return e.T("oinp.size.mb", e.Tr().Decimal(float64(n)/(1<<20), 1))
}

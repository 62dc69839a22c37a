package ui

import (
	"context"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/printcode"
	"dossier/report"
	"dossier/sync"
)

// ScreenVerify checks a printed document: its code, and its words pasted
// or its PDF opened. The server (or, with no server or offline, the
// profile's own record of what it printed) says what the code was issued
// for and the sums of every line; the screen says Genuine only when every
// line of the copy is the document's as printed, and otherwise lists the
// lines that differ.
var ScreenVerify = Screen{ID: "verify", Title: "verify.title", Help: "help.verify"}

// verifyTimeout bounds the server's answer.
const verifyTimeout = 30 * time.Second

// verifyView is the screen's widgets, for the tests.
type verifyView struct {
	e           *Env
	code, text  *Entry
	open, check *widget.Button
	verdict     *widget.Label
	details     *fyne.Container
	form        *labelled
	last        *verifyOutcome
}

// verifyOutcome is the last check: what the code was issued for and how
// the copy compares, kept to reword on a change of language.
type verifyOutcome struct {
	printed sync.Printed
	check   printcode.TextCheck
	textual bool
}

// Verify is the Verify a document screen.
func Verify(e *Env) fyne.CanvasObject {
	v := &verifyView{e: e, code: newEntry(), text: newMultiLineEntry(), verdict: widget.NewLabel(""),
		details: container.NewVBox(), form: newLabelled(e)}
	v.text.Wrapping = fyne.TextWrapOff
	v.text.SetMinRowsVisible(10)
	v.verdict.Wrapping = fyne.TextWrapWord
	v.verdict.TextStyle.Bold = true
	v.form.add("verify.code", "code", v.code)
	v.form.add("verify.text", "text", v.text)
	d := e.Draft("verify", "")
	d.Entry("code", v.code)
	d.Entry("text", v.text)
	v.open = widget.NewButton("", v.pickPDF)
	v.check = widget.NewButton("", v.submit)
	v.check.Importance = widget.HighImportance
	v.code.OnSubmitted = func(string) { v.submit() }
	e.OnRelabel(func() {
		v.code.SetPlaceHolder("ABCD-EFGH-JKMN-PQR7")
		v.text.SetPlaceHolder(e.T("verify.text.hint"))
		v.open.SetText(e.T("verify.open"))
		v.check.SetText(e.T("verify.check"))
		v.show()
	})
	e.view = v
	intro := widget.NewLabel("")
	intro.Wrapping = fyne.TextWrapWord
	e.OnRelabel(func() { intro.SetText(e.T("verify.intro")) })
	body := container.NewVBox(intro, v.form.box, container.NewHBox(v.open, v.check), v.form.general, v.verdict, v.details)
	return container.NewVScroll(container.NewPadded(body))
}

// pickPDF asks for a PDF Dossier printed and reads its text into the box.
func (v *verifyView) pickPDF() {
	v.e.Touch()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, 64<<20))
		if err != nil {
			v.form.setFault(domain.Wrap(report.ErrPDFText, err))
			return
		}
		v.openPDF(b)
	}, v.e.Window)
	showFileDialog(v.e, d)
}

// openPDF puts the text of a PDF into the box, and its code when the box
// for it is empty, then checks; a PDF it cannot read leaves what was
// typed as it was and says to paste the words instead.
func (v *verifyView) openPDF(pdf []byte) {
	text, err := report.PDFText(pdf)
	if err != nil {
		v.form.setFault(domain.FieldError(report.ErrPDFText, "text"))
		return
	}
	v.text.SetText(text)
	if strings.TrimSpace(v.code.Text) == "" {
		v.code.SetText(codeIn(text))
	}
	v.submit()
}

// codeIn is the first verification code a document's text carries.
func codeIn(text string) string {
	for _, w := range strings.Fields(text) {
		if len(w) == 19 && strings.Count(w, "-") == 3 {
			if c, err := printcode.ParseCode(w); err == nil {
				return c
			}
		}
	}
	return ""
}

// submit looks the code up and compares the copy.
func (v *verifyView) submit() {
	e := v.e
	e.Touch()
	v.form.setFault(nil)
	v.last = nil
	code, err := printcode.ParseCode(v.code.Text)
	if err != nil {
		v.form.setFault(err)
		v.show()
		return
	}
	text := v.text.Text
	var p sync.Printed
	e.Async(func() { p, err = lookUpPrinted(e, code) }, func() {
		if err != nil {
			v.form.setFault(err)
			v.show()
			return
		}
		out := &verifyOutcome{printed: p, textual: strings.TrimSpace(text) != ""}
		if out.textual && len(p.Lines) > 0 {
			out.check = printcode.CompareText(p.Kind, p.Code, p.Lines, text)
		}
		v.last = out
		v.show()
	})
}

// lookUpPrinted asks the server what a code was issued for, or, with no
// server or offline, the profile's own record of what it printed.
func lookUpPrinted(e *Env, code string) (sync.Printed, error) {
	if e.Sync != nil {
		ctx, cancel := context.WithTimeout(context.Background(), verifyTimeout)
		defer cancel()
		p, err := e.Sync.Verify(ctx, code)
		if domain.ErrorCode(err) != sync.ErrOffline {
			return p, err
		}
	}
	p, err := e.Store.Verify(code)
	return p.Wire(), err
}

// show says the outcome of the last check in the current language.
func (v *verifyView) show() {
	e := v.e
	v.details.RemoveAll()
	out := v.last
	if out == nil {
		v.verdict.SetText("")
		return
	}
	p := out.printed
	title, day := e.T(report.TitleKey(p.Kind)), e.Tr().Date(p.Printed)
	line := func(s string) {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		v.details.Add(l)
	}
	if out.textual && len(p.Lines) > 0 && !out.check.Genuine() {
		v.verdict.SetText(e.T("cli.verify.differs", title, day))
		for _, l := range out.check.Changed {
			line(e.T("cli.verify.changed", e.Tr().Number(l.N), l.Text))
		}
		if out.check.Missing > 0 {
			after := make([]string, len(out.check.MissingAfter))
			for i, n := range out.check.MissingAfter {
				after[i] = e.Tr().Number(n)
			}
			line(e.T("cli.verify.missing", strings.Join(after, ", "), e.Tr().Number(out.check.Missing)))
		}
		return
	}
	if out.textual {
		v.verdict.SetText(e.T("cli.verify.genuine", title, day))
	} else {
		v.verdict.SetText(e.T("verify.issued", title, day))
	}
	for _, f := range p.Facts {
		line(e.T("print.fact.line", e.T(report.FactKey(f.Name)), f.Value))
	}
	switch {
	case !out.textual:
		line(e.T("verify.no-text"))
	case len(p.Lines) == 0:
		line(e.T("cli.verify.facts-only"))
	default:
		line(e.T("cli.verify.text"))
	}
}

package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/store"
)

// ScreenEnrolBusiness enrols a business and its primary user (DOMAIN.md
// §5).
var ScreenEnrolBusiness = Screen{ID: "enrol-business", Title: "employer.enrol.title", Help: "help.enrol-business"}

// businessEnrolment holds the screen's widgets, for tests.
type businessEnrolment struct {
	*credentialForm
	inCanada             *widget.Check
	bn, legal, operating *Entry
	biz                  *labelled
}

// EnrolBusiness asks for the business (that it operates in Canada, its
// business number, legal and operating names) and its primary user's
// credential; the enrolment then waits for the program's approval.
func EnrolBusiness(e *Env) fyne.CanvasObject {
	f := newCredentialForm(e, businessForm)
	b := &businessEnrolment{credentialForm: f, inCanada: widget.NewCheck("", nil), bn: newEntry(),
		legal: newEntry(), operating: newEntry(), biz: newLabelled(e)}
	e.view = b
	b.bn.SetPlaceHolder("123 456 782")
	b.biz.add("employer.enrol.in-canada", "operatesInCanada", b.inCanada)
	b.biz.add("employer.enrol.bn", "businessNumber", b.bn)
	b.biz.add("employer.enrol.legal", "legalName", b.legal)
	b.biz.add("employer.enrol.operating", "operatingName", b.operating)
	f.drafts.Check("inCanada", b.inCanada)
	f.drafts.Entry("bn", b.bn)
	f.drafts.Entry("legal", b.legal)
	f.drafts.Entry("operating", b.operating)
	f.submit = widget.NewButton("", func() {
		en := employer.Enrolment{OperatesInCanada: b.inCanada.Checked, BN: b.bn.Text, LegalName: b.legal.Text,
			OperatingName: b.operating.Text}
		r := account.Registration{UserID: f.user.Text, Password: f.pass.Text, GivenNames: f.given.Text,
			FamilyName: f.family.Text, Email: f.email.Text, AcceptTerms: f.terms.Checked, Questions: f.securityQuestions(),
			Lang: string(e.Tr().Lang())}
		// Every mistake at once: the business's under its fields, the
		// user's under theirs.
		bizErrs, userErrs := en.Errors(), r.Errors()
		b.biz.setFault(errors.Join(bizErrs...))
		if len(bizErrs) > 0 {
			f.showErrors(userErrs)
			return
		}
		f.run(e, userErrs, func() (store.Account, error) {
			a, _, err := e.Store.EnrolBusiness(en, r)
			return a, err
		})
	})
	f.submit.Importance = widget.HighImportance
	e.OnRelabel(func() {
		f.submit.SetText(e.T("employer.enrol.submit"))
		b.inCanada.Text = e.T("employer.enrol.in-canada.yes")
		b.inCanada.Refresh()
	})
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading(e, "employer.enrol.title"), b.biz.box, b.biz.general, widget.NewSeparator(),
		heading(e, "employer.enrol.user"), f.form.box, f.form.general, container.NewHBox(f.submit, f.back))))
}

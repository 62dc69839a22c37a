package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/store"
)

// ScreenEmployer is an employer user's home: the business and its
// standing, its Employer Forms, and (for primary users) branches and users.
var ScreenEmployer = Screen{ID: "employer", Title: "employer.title", Help: "help.employer"}

// employerView holds the screen's widgets, for tests.
type employerView struct {
	status                         *widget.Label
	forms                          []*widget.Button
	newForm                        *widget.Button
	branchName, branchCity         *Entry
	addBranch                      *widget.Button
	branchPIN                      []*widget.Button
	userGiven, userFamily          *Entry
	userUnit                       *widget.Select
	addUser                        *widget.Button
	makePrimary, endAccess         map[domain.ID]*widget.Button
	lastPIN                        string
	form                           *labelled
	units                          []domain.ID
	branchForm                     *labelled
	businessID                     domain.ID
	usersBox, branchesBox, formBox *fyne.Container
	userDrafts                     *DraftForm
}

// Employer shows an employer user's home.
func Employer(e *Env) fyne.CanvasObject {
	v := &employerView{status: wrapped(""), makePrimary: map[domain.ID]*widget.Button{},
		endAccess: map[domain.ID]*widget.Button{}}
	e.view = v
	e.refresh = func() { e.Show(ScreenEmployer) }
	body := container.NewVBox()
	biz, err := e.Store.Business(e.Actor(), e.businessOfMe())
	if err != nil {
		// Not yet received from the server (a branch user's first sign-in).
		e.OnRelabel(func() { v.status.SetText(e.T("employer.waiting")) })
		body.Add(v.status)
		return container.NewPadded(body)
	}
	v.businessID = biz.ID
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.OnRelabel(func() {
		title.SetText(e.T("employer.business", biz.LegalName, biz.BN.String()))
		switch biz.Status {
		case employer.Approved:
			v.status.SetText(e.T("employer.approved"))
		case employer.Refused:
			v.status.SetText(e.T("err.employer.refused"))
		default:
			v.status.SetText(e.T("employer.pending"))
		}
	})
	body.Add(title)
	body.Add(v.status)
	if biz.Status != employer.Approved {
		return container.NewVScroll(container.NewPadded(body))
	}
	body.Add(widget.NewSeparator())
	body.Add(heading(e, "employer.forms"))
	v.formBox = container.NewVBox()
	v.listForms(e)
	body.Add(v.formBox)
	if e.Account.Role == account.EmployerPrimary {
		body.Add(widget.NewSeparator())
		body.Add(heading(e, "employer.branches"))
		v.branchesBox = container.NewVBox()
		v.listBranches(e, &biz)
		body.Add(v.branchesBox)
	}
	if e.Account.Role.Can(account.ManageEmployerUsers) {
		body.Add(widget.NewSeparator())
		body.Add(heading(e, "employer.users"))
		v.usersBox = container.NewVBox()
		v.listUsers(e, &biz)
		body.Add(v.usersBox)
	}
	return container.NewVScroll(container.NewPadded(body))
}

// businessOfMe is the business of the signed-in employer user: their
// unit, or the business a branch belongs to (found through the forms'
// and businesses' records on this desk).
func (e *Env) businessOfMe() domain.ID {
	if id, err := e.Store.BusinessOfUnit(e.Account.Org); err == nil {
		return id
	}
	return e.Account.Org
}

func (v *employerView) listForms(e *Env) {
	recs, err := e.Store.EmployerForms(e.Actor())
	if err != nil {
		v.formBox.Add(wrapped(e.Tr().Error(err)))
	}
	for _, rec := range recs {
		rec := rec
		line := wrapped("")
		open := widget.NewButton("", func() { e.Touch(); e.Show(ScreenEmployerForm(rec.ID)) })
		v.forms = append(v.forms, open)
		e.OnRelabel(func() {
			what := rec.Form.Offer.Position
			if what == "" {
				what = e.T("employer.form.untitled")
			}
			state := e.T("employer.form.draft")
			switch {
			case rec.Linked != "":
				state = e.T("employer.form.linked", string(rec.Linked))
			case rec.Signed != nil:
				state = e.T("employer.form.signed", domain.DateOf(rec.Signed.SignedAt.Local()))
			}
			line.SetText(e.T("employer.form.line", what, state))
			open.SetText(e.T("employer.open"))
		})
		v.formBox.Add(container.NewBorder(nil, nil, nil, open, line))
	}
	v.newForm = widget.NewButton("", func() { e.Touch(); e.Show(ScreenEmployerForm(domain.ID{})) })
	v.newForm.Importance = widget.HighImportance
	e.OnRelabel(func() { v.newForm.SetText(e.T("employer.form.new")) })
	v.formBox.Add(container.NewHBox(v.newForm))
}

func (v *employerView) listBranches(e *Env, biz *employer.Business) {
	for _, br := range biz.Branches {
		br := br
		line := wrapped("")
		pin := widget.NewButton("", func() { v.issue(e, account.PINRequest{Role: account.BranchPrimary, Org: br.ID}) })
		v.branchPIN = append(v.branchPIN, pin)
		e.OnRelabel(func() {
			line.SetText(e.T("employer.branch.line", br.Name, br.City))
			pin.SetText(e.T("employer.branch.pin"))
		})
		v.branchesBox.Add(container.NewBorder(nil, nil, nil, pin, line))
	}
	v.branchName, v.branchCity = newEntry(), newEntry()
	v.branchForm = newLabelled(e)
	v.branchForm.add("employer.branch.name", "name", v.branchName)
	v.branchForm.add("employer.branch.city", "city", v.branchCity)
	drafts := e.Draft("employer.branch.new", "")
	drafts.Entry("name", v.branchName)
	drafts.Entry("city", v.branchCity)
	v.addBranch = widget.NewButton("", func() {
		e.Touch()
		// Every mistake at once, by AddBranch's own checks; the
		// program still decides.
		if errs := employer.BranchErrors(v.branchName.Text, v.branchCity.Text); len(errs) > 0 {
			v.branchForm.setFault(errors.Join(errs...))
			return
		}
		if _, err := e.Store.CreateBranch(e.Actor(), v.branchName.Text, v.branchCity.Text); err != nil {
			v.branchForm.setFault(err)
			return
		}
		drafts.Saved()
		e.Show(ScreenEmployer)
	})
	e.OnRelabel(func() { v.addBranch.SetText(e.T("employer.branch.add")) })
	v.branchesBox.Add(v.branchForm.box)
	v.branchesBox.Add(v.branchForm.general)
	v.branchesBox.Add(container.NewHBox(v.addBranch))
}

func (v *employerView) listUsers(e *Env, biz *employer.Business) {
	users, err := e.Store.EmployerUsers(e.Actor())
	if err != nil {
		v.usersBox.Add(wrapped(e.Tr().Error(err)))
	}
	for _, u := range users {
		u := u
		line := wrapped("")
		e.OnRelabel(func() {
			text := e.T("employer.user.line", u.GivenNames+" "+u.FamilyName, e.T(u.RoleAs().MessageKey()), v.unitName(e, biz, u.Org))
			if !u.Revoked.IsZero() {
				text += " — " + e.T("employer.user.ended", e.Tr().DateTime(u.Revoked))
			}
			line.SetText(text)
		})
		var buttons []fyne.CanvasObject
		if v.mayEnd(e, u) {
			b := widget.NewButton("", func() {
				confirmDialog(e, e.T("employer.user.end"), e.T("employer.user.end.confirm", u.GivenNames+" "+u.FamilyName), func() {
					e.Touch()
					if err := e.Store.RevokeUser(e.Actor(), u.ID); err != nil {
						noticeDialog(e, e.T("employer.user.end"), e.Tr().Error(err))
						return
					}
					e.Show(ScreenEmployer)
				})
			})
			v.endAccess[u.ID] = b
			e.OnRelabel(func() { b.SetText(e.T("employer.user.end")) })
			buttons = append(buttons, b)
		}
		if e.Account.Role == account.EmployerPrimary && u.Role == account.EmployerSecondary && u.Org == biz.ID && u.Revoked.IsZero() {
			b := widget.NewButton("", func() {
				confirmDialog(e, e.T("employer.handover"), e.T("employer.handover.confirm", u.GivenNames+" "+u.FamilyName), func() {
					if err := e.Store.HandOverPrimary(e.Actor(), u.ID); err != nil {
						noticeDialog(e, e.T("employer.handover"), e.Tr().Error(err))
						return
					}
					// Their own role changed: they sign in again as it is now.
					e.LogOut()
				})
			})
			v.makePrimary[u.ID] = b
			e.OnRelabel(func() { b.SetText(e.T("employer.handover")) })
			buttons = append(buttons, b)
		}
		if e.Account.Role == account.BranchPrimary && u.Role == account.BranchSecondary && u.Org == e.Account.Org && u.Revoked.IsZero() {
			// The branch's primary role, handed over as the business's is.
			b := widget.NewButton("", func() {
				confirmDialog(e, e.T("employer.branch.handover"), e.T("employer.branch.handover.confirm", u.GivenNames+" "+u.FamilyName), func() {
					if err := e.Store.HandOverBranch(e.Actor(), u.ID); err != nil {
						noticeDialog(e, e.T("employer.branch.handover"), e.Tr().Error(err))
						return
					}
					e.LogOut() // their own role changed: they sign in again as it is now
				})
			})
			v.makePrimary[u.ID] = b
			e.OnRelabel(func() { b.SetText(e.T("employer.branch.handover")) })
			buttons = append(buttons, b)
		}
		v.usersBox.Add(container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), line))
	}
	v.userGiven, v.userFamily = newEntry(), newEntry()
	v.form = newLabelled(e)
	v.form.add("enrol.given", "givenNames", v.userGiven)
	v.form.add("enrol.family", "familyName", v.userFamily)
	if e.Account.Role == account.EmployerPrimary {
		v.units = []domain.ID{biz.ID}
		for _, br := range biz.Branches {
			v.units = append(v.units, br.ID)
		}
		v.userUnit = widget.NewSelect(nil, nil)
		choosePlaceholder(e, v.userUnit)
		e.OnRelabel(func() {
			i := max(v.userUnit.SelectedIndex(), 0)
			v.userUnit.Options = nil
			for _, u := range v.units {
				v.userUnit.Options = append(v.userUnit.Options, v.unitName(e, biz, u))
			}
			v.userUnit.SetSelectedIndex(i)
		})
		v.form.add("employer.user.unit", "unit", v.userUnit)
	}
	v.userDrafts = e.Draft("employer.user.new", "")
	v.userDrafts.Entry("given", v.userGiven)
	v.userDrafts.Entry("family", v.userFamily)
	if v.userUnit != nil {
		v.userDrafts.Select("unit", v.userUnit)
	}
	v.addUser = widget.NewButton("", func() {
		org := e.Account.Org
		if v.userUnit != nil {
			org = v.units[max(v.userUnit.SelectedIndex(), 0)]
		}
		req := account.PINRequest{Role: account.EmployerSecondary, Org: org, GivenNames: v.userGiven.Text,
			FamilyName: v.userFamily.Text}
		// Every mistake at once, by IssuePIN's own checks: a user's PIN
		// names both their names.
		var errs []error
		if strings.TrimSpace(req.GivenNames) == "" {
			errs = append(errs, domain.FieldError(domain.ErrRequired, "givenNames"))
		}
		if strings.TrimSpace(req.FamilyName) == "" {
			errs = append(errs, domain.FieldError(domain.ErrRequired, "familyName"))
		}
		if errs = append(errs, req.Errors(e.Store.Policy())...); len(errs) > 0 {
			v.form.setFault(errors.Join(errs...))
			return
		}
		v.issue(e, req)
	})
	e.OnRelabel(func() { v.addUser.SetText(e.T("employer.user.add")) })
	v.usersBox.Add(v.form.box)
	v.usersBox.Add(v.form.general)
	v.usersBox.Add(container.NewHBox(v.addUser))
}

// mayEnd says whether the person may end u's access: the primary user
// any other user's, a branch's primary user their branch's secondary
// users' (the server checks the same).
func (v *employerView) mayEnd(e *Env, u store.Account) bool {
	if !u.Revoked.IsZero() || u.ID == e.Account.ID {
		return false
	}
	switch e.Account.Role {
	case account.EmployerPrimary:
		return u.Role != account.EmployerPrimary
	case account.BranchPrimary:
		return (u.Role == account.EmployerSecondary || u.Role == account.BranchSecondary) && u.Org == e.Account.Org
	}
	return false
}

// unitName names the business's main office or one of its branches.
func (v *employerView) unitName(e *Env, biz *employer.Business, org domain.ID) string {
	if br, ok := biz.Unit(org); ok && br != nil {
		return br.Name
	}
	return e.T("employer.main-office")
}

// issue issues a PIN and shows it once.
func (v *employerView) issue(e *Env, req account.PINRequest) {
	e.Touch()
	code, _, err := e.Store.IssuePIN(e.Actor(), req)
	if err != nil {
		if v.form != nil {
			v.form.setFault(err)
		} else {
			noticeDialog(e, e.T("employer.pin.title"), e.Tr().Error(err))
		}
		return
	}
	v.lastPIN = code
	if v.form != nil {
		v.form.setFault(nil)
		v.userGiven.SetText("")
		v.userFamily.SetText("")
		v.userDrafts.Saved()
	}
	msg := e.T("employer.pin.text", code)
	newPlainDialog(e, e.T("employer.pin.title"), container.NewVBox(dialogText(msg), copyField(e, code)), msg).Show()
}

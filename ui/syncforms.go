package ui

import (
	"strings"

	"dossier/domain/account"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/sync"
)

// The conflicts of the forms people type into besides requests — an
// OINP application, an Employer Form — as the sync screen shows them: the
// form, the field under its label on the form's screen, the value kept
// and the value that lost.

// readsConflicts reports whether a person of role r has forms whose
// conflicts they read: a school's staff (its requests), an applicant or
// a representative (the application), an employer's users (its forms).
func readsConflicts(r account.Role) bool {
	return r.InstitutionStaff() || r == account.Applicant || r == account.Representative || r.Can(account.FillEmployerForm)
}

// formConflictText is one conflict of an application or an Employer Form.
func formConflictText(e *Env, c *store.ConflictRecord) string {
	label := formFieldLabel(e, c)
	kept, lost := formFieldValue(e, formFieldPath(c), c.Kept), formFieldValue(e, formFieldPath(c), c.Lost)
	return e.T("sync.conflict", formName(e, c), label, kept, lost, e.Tr().DateTime(c.At.Local()))
}

// formName names the form a conflict is about: the application by its
// file number, the Employer Form by the position it offers.
func formName(e *Env, c *store.ConflictRecord) string {
	switch c.On {
	case sync.EntityApplication:
		var number string
		if e.Account.Role == account.Applicant {
			if rec, _, err := e.Store.Application(e.Actor()); err == nil {
				number = string(rec.App.FileNumber)
			}
		} else if rec, err := e.Store.ClientApplication(e.Actor(), c.Record); err == nil {
			number = string(rec.App.FileNumber)
		}
		return strings.TrimSpace(e.T("sync.conflict.application", number))
	case sync.EntityEmployerForm:
		var position string
		if forms, err := e.Store.EmployerForms(e.Actor()); err == nil {
			for _, f := range forms {
				if f.ID == c.Record {
					position = f.Form.Offer.Position
				}
			}
		}
		return strings.TrimSpace(e.T("sync.conflict.employerform", position))
	}
	return ""
}

// formFieldLabel names a field as the form's screen labels it; a line of
// a repeated section by its section.
func formFieldLabel(e *Env, c *store.ConflictRecord) string {
	path := formFieldPath(c)
	if key := oinp.LabelKey(path); e.Tr().Has(key) {
		return e.T(key)
	}
	return c.Field
}

// formFieldPath is the path of a conflict's field in the application.
func formFieldPath(c *store.ConflictRecord) string {
	if c.On == sync.EntityEmployerForm {
		return "employer." + c.Field
	}
	return c.Field
}

// formFieldValue writes a field's value as a person reads it: a line kept
// or removed, a text, a date, a number, a country by its name.
func formFieldValue(e *Env, path string, fv sync.FieldVersion) string {
	switch {
	case fv.Deleted:
		return e.T("sync.value.removed")
	case fv.Value == fields.Present:
		return e.T("sync.value.line")
	case fv.Value == "":
		return e.T("sync.value.empty")
	}
	if oinp.IsCountryPath(path) {
		return e.countryName(fields.Text(fv.Value))
	}
	return fields.Text(fv.Value)
}

// openForm opens the form a conflict is about, at the field's tab, for
// the person who may open it there.
func openForm(e *Env, c *store.ConflictRecord) opener {
	switch {
	case c.On == sync.EntityApplication && e.Account.Role == account.Applicant:
		tab := tabOfPath(c.Field)
		return opener{key: "sync.open.form", show: func() { e.Show(ScreenApplication(tab)) }}
	case c.On == sync.EntityApplication && e.Account.Role == account.Representative:
		tab, client := tabOfPath(c.Field), c.Record
		return opener{key: "sync.open.form", show: func() {
			if e.client != client {
				e.client, e.application = client, nil
			}
			e.Show(ScreenApplication(tab))
		}}
	case c.On == sync.EntityEmployerForm && e.Account.Role.Can(account.FillEmployerForm):
		id := c.Record
		return opener{key: "sync.open.form", show: func() { e.Show(ScreenEmployerForm(id)) }}
	}
	return opener{}
}

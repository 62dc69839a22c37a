package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain/account"
	"dossier/store"
	"dossier/translations"
)

// Contact Us: whom the person asks about their program, from
// assets/contacts.csv, in their language, each line with where it comes
// from. A way to reach someone that the program's documents do not give
// is said to be not given, never made up.

// programsOf are the programs of contacts.csv a role deals with; nobody
// signed in (the sign-in screen) sees them all.
func programsOf(r account.Role, signedIn bool) []string {
	switch {
	case !signedIn:
		return []string{"ocwpp", "oinp", "employer"}
	case r == account.Student || r.InstitutionStaff() || r == account.Coordinator:
		return []string{"ocwpp"}
	case r == account.Applicant || r == account.Representative:
		return []string{"oinp"}
	case store.EmployerRole(r):
		return []string{"employer", "oinp"}
	case r == account.ProgramOfficer:
		return []string{"oinp", "employer", "ocwpp"}
	}
	return nil
}

// contactLine is one line of the dialog, as shown (for tests).
type contactLine struct{ label, value, source string }

// contactLines are the lines for the person signed in (or for anyone).
func contactLines(e *Env) []contactLine {
	lang := "en"
	if e.Tr().Lang() == translations.French {
		lang = "fr"
	}
	signedIn := e.Session != nil
	role := e.Account.Role
	province := e.T("contact.province.unknown")
	if code, ok := provinceOf(e); ok {
		province = e.T(provinceNameKey(code))
	}
	var out []contactLine
	for _, p := range programsOf(role, signedIn) {
		for _, c := range assets.Contacts() {
			// Nobody signed in: the lines for everyone in the program.
			if c.Program != p || signedIn && !c.For(role.Code()) || !signedIn && !slices.Contains(c.Roles, "*") {
				continue
			}
			l := contactLine{label: strings.ReplaceAll(c.Label[lang], "{province}", province),
				value: c.Value[lang], source: c.Source[lang]}
			if l.value == "" && signedIn && role == account.Signatory {
				l.value = schoolDIRs(e)
			}
			if l.value == "" {
				l.value = e.T("contact.not-given")
			}
			out = append(out, l)
		}
	}
	return out
}

// provinceOf is the person's province: their school's for its staff, the
// province a coordinator coordinates.
func provinceOf(e *Env) (string, bool) {
	if e.Session == nil || e.Store.Engine() == nil {
		return "", false
	}
	a := e.Account
	switch {
	case a.Role == account.Coordinator:
		return store.ProvinceOf(a.Org)
	case a.Role.InstitutionStaff():
		in, err := e.Store.Institution(a.Org)
		return in.Province, err == nil && in.Province != ""
	}
	return "", false
}

// schoolDIRs names the DIRs of a signatory's school, as the desk holds
// their accounts, with their e-mail addresses; empty when it holds none.
func schoolDIRs(e *Env) string {
	staff, err := e.Store.Staff(e.Actor(), e.Account.Org)
	if err != nil {
		return ""
	}
	var out []string
	for _, a := range staff {
		if a.Role == account.DIR && a.Revoked.IsZero() {
			out = append(out, strings.TrimSpace(a.GivenNames+" "+a.FamilyName+" "+a.Email))
		}
	}
	return strings.Join(out, "\n")
}

// contactView is the dialog's content, for tests.
type contactView struct {
	lines []contactLine
}

// ShowContact opens Contact Us: each line's whom, how (selectable, to
// copy) and where it comes from.
func (e *Env) ShowContact() {
	e.Touch()
	v := &contactView{lines: contactLines(e)}
	box := container.NewVBox(wrapped(e.T("contact.intro")))
	for _, l := range v.lines {
		label := widget.NewLabelWithStyle(l.label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		label.Wrapping = fyne.TextWrapWord
		value := widget.NewLabel(l.value)
		value.Selectable = true
		value.Wrapping = fyne.TextWrapWord
		source := widget.NewLabel(e.T("contact.source", l.source))
		source.Wrapping = fyne.TextWrapWord
		source.Importance = widget.LowImportance
		box.Add(container.NewVBox(label, value, source, widget.NewSeparator()))
	}
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(600, 420))
	e.lastContact = v
	newPlainDialog(e, e.T("contact.title"), scroll).Show()
}

package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/report"
)

// ScreenPINs is where a DIR issues signatories' PINs and ends their access.
var ScreenPINs = Screen{ID: "pins", Title: "pins.title", Help: "help.pins"}

// pinsView holds the screen's widgets, for tests.
type pinsView struct {
	env                  *Env
	given, family, days  *Entry
	issue                *widget.Button
	form                 *labelled
	staff                *fyne.Container
	revoke               map[domain.ID]*widget.Button
	lastPIN, lastPDFPath string
	drafts               *DraftForm
}

// PINs is the DIR's screen for signatories.
func PINs(e *Env) fyne.CanvasObject { return newPINsView(e).content() }

func newPINsView(e *Env) *pinsView {
	v := &pinsView{env: e, given: newEntry(), family: newEntry(), days: newEntry(),
		form: newLabelled(e), staff: container.NewVBox(), revoke: map[domain.ID]*widget.Button{}}
	v.days.SetText(strconv.Itoa(int(e.Policy.PINValidity / (24 * time.Hour))))
	v.form.add("enrol.given", "givenNames", v.given)
	v.form.add("enrol.family", "familyName", v.family)
	v.form.add("pins.days", "validity", v.days)
	v.drafts = e.Draft("pins", "")
	v.drafts.Entry("given", v.given)
	v.drafts.Entry("family", v.family)
	v.drafts.Entry("days", v.days)
	v.issue = widget.NewButton("", v.issuePIN)
	v.issue.Importance = widget.HighImportance
	e.OnRelabel(func() {
		v.issue.SetText(e.T("pins.issue"))
		v.listStaff()
	})
	e.view = v
	return v
}

func (v *pinsView) content() fyne.CanvasObject {
	e := v.env
	back := widget.NewButton("", func() { e.Show(ScreenQueue) })
	e.OnRelabel(func() { back.SetText(e.T("request.back")) })
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading(e, "pins.title"), heading(e, "pins.new"), v.form.box, v.form.general,
		container.NewHBox(v.issue, back), widget.NewSeparator(), heading(e, "pins.staff"), v.staff)))
}

// issuePIN issues the PIN, shows it once, and writes a printable sheet
// next to the profile.
func (v *pinsView) issuePIN() {
	e := v.env
	e.Touch()
	// Every mistake at once, by the checks the PIN's rule runs on names.
	var errs []error
	if _, err := domain.CleanName("givenNames", v.given.Text, false); err != nil {
		errs = append(errs, err)
	}
	if _, err := domain.CleanName("familyName", v.family.Text, false); err != nil {
		errs = append(errs, err)
	}
	days, err := strconv.Atoi(strings.TrimSpace(v.days.Text))
	if err != nil {
		errs = append(errs, fieldFault{field: "validity", key: "pins.days.invalid"})
	}
	if len(errs) > 0 {
		v.form.setFault(errors.Join(errs...))
		return
	}
	code, pin, err := e.Store.IssuePIN(e.Actor(), account.PINRequest{Role: account.Signatory, Org: e.Account.Org,
		GivenNames: v.given.Text, FamilyName: v.family.Text, Validity: time.Duration(days) * 24 * time.Hour})
	if err != nil {
		v.form.setFault(err)
		return
	}
	v.form.setFault(nil)
	v.drafts.Saved()
	v.lastPIN = code
	school := ""
	if in, err := e.Store.Institution(e.Account.Org); err == nil {
		school = in.Name
	}
	sheet := report.PINSheet{School: school, GivenNames: pin.GivenNames, FamilyName: pin.FamilyName, PIN: code,
		Expires: pin.Expires, Issued: pin.Issued, IssuedBy: e.Account.GivenNames + " " + e.Account.FamilyName}
	v.lastPDFPath = v.writeSheet(sheet)
	text := dialogText(e.T("pins.issued", pin.GivenNames+" "+pin.FamilyName, e.Tr().DateTime(pin.Expires)))
	where := dialogText(e.T("pins.printable.failed"))
	if v.lastPDFPath != "" {
		where.SetText(e.T("pins.printable", v.lastPDFPath))
	}
	e.lastNotice = text.Text
	newPlainDialog(e, e.T("pins.new"), container.NewVBox(text, copyField(e, code), where), text.Text, where.Text).Show()
	v.given.SetText("")
	v.family.SetText("")
}

// writeSheet prints the PIN sheet to a PDF in the profile's folder and
// returns its path, or "" when it could not be written.
func (v *pinsView) writeSheet(s report.PINSheet) string { return writePINSheet(v.env, s) }

// writePINSheet prints a PIN sheet to a PDF in the profile's folder and
// returns its path, or "" when it could not be written.
func writePINSheet(e *Env, s report.PINSheet) string {
	dir := filepath.Dir(e.Store.Path())
	name := "pin-" + strings.ToLower(strings.ReplaceAll(domain.FoldName(s.GivenNames+" "+s.FamilyName), " ", "-"))
	if name == "pin-" {
		name = "pin"
	}
	path := filepath.Join(dir, name+"-"+s.Issued.Format("20060102-150405")+".pdf")
	f, err := createPrivate(path, os.O_CREATE|os.O_EXCL)
	if err != nil {
		return ""
	}
	_, err = report.WritePINSheet(f, e.Tr(), report.StoreSealer(e.Store, e.Actor(), domain.DateOf(s.Issued.Local())), s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return ""
	}
	return path
}

// listStaff shows the school's staff; a signatory's access can be ended.
func (v *pinsView) listStaff() {
	e := v.env
	v.staff.RemoveAll()
	staff, err := e.Store.Staff(e.Actor(), e.Account.Org)
	if err != nil {
		v.staff.Add(widget.NewLabel(e.Tr().Error(err)))
		return
	}
	for _, a := range staff {
		line := e.T("pins.staff.line", a.GivenNames+" "+a.FamilyName, a.RoleAs(), a.Credential.UserID)
		if !a.Revoked.IsZero() {
			line += " — " + e.T("pins.staff.revoked", e.Tr().DateTime(a.Revoked))
		} else if d := a.Credential.Delinked; !d.IsZero() {
			line += " — " + e.T("pins.staff.delinked", e.Tr().DateTime(d))
		}
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		if a.Role != account.Signatory || !a.Revoked.IsZero() {
			v.staff.Add(l)
			continue
		}
		id := a.ID
		b := widget.NewButton(e.T("pins.revoke"), func() {
			confirmDialog(e, e.T("pins.revoke"), e.T("pins.revoke.confirm", l.Text), func() {
				if err := e.Store.RevokeSignatory(e.Actor(), id); err != nil {
					noticeDialog(e, e.T("pins.revoke"), e.Tr().Error(err))
				}
				v.listStaff()
			})
		})
		v.revoke[id] = b
		v.staff.Add(container.NewBorder(nil, nil, nil, b, l))
	}
}

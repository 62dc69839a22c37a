package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/notice"
	"dossier/domain/oinp"
	"dossier/store/demo"
	"dossier/store/programs"
)

// ScreenNoWorkspace is the home of roles whose workspace is not built yet.
var ScreenNoWorkspace = Screen{ID: "no-workspace", Title: "home.title", Help: "help.general"}

// homeFor is the workspace a role starts in.
func homeFor(r account.Role) Screen {
	switch r {
	case account.DIR, account.Signatory:
		return ScreenQueue
	case account.Student:
		return ScreenStudent
	case account.Applicant:
		return ScreenApplication(oinp.TabGeneral)
	case account.Representative:
		return ScreenClients
	case account.EmployerPrimary, account.BranchPrimary, account.EmployerSecondary, account.BranchSecondary:
		return ScreenEmployer
	case account.ProgramOfficer:
		return ScreenOfficerFiles
	case account.Coordinator:
		return ScreenCoordinator
	}
	return ScreenNoWorkspace
}

// screenByID finds a screen from its ID, as kept in preferences and in a
// lock notice; a request screen's ID carries the request ("request/ID").
func screenByID(id string) (Screen, bool) {
	if rest, ok := strings.CutPrefix(id, "request/"); ok {
		rid, err := domain.ParseID(rest)
		return ScreenRequest(rid), err == nil
	}
	if rest, ok := strings.CutPrefix(id, "officer-file/"); ok {
		aid, err := domain.ParseID(rest)
		return ScreenOfficerFile(aid), err == nil
	}
	if rest, ok := strings.CutPrefix(id, "program-school/"); ok {
		sid, err := domain.ParseID(rest)
		return ScreenProgramSchool(sid), err == nil
	}
	if rest, ok := strings.CutPrefix(id, "application/"); ok {
		tab := oinp.Tab(rest)
		return ScreenApplication(tab), slices.Contains(oinp.Tabs, tab)
	}
	for _, s := range []Screen{ScreenQueue, ScreenStudent, ScreenPINs, ScreenNoWorkspace, ScreenClients, ScreenEmployer, ScreenEmployerQueue, ScreenOfficerFiles,
		ScreenCompliance, ScreenCoordinator, ScreenAssessOCWPP, ScreenAssessOINP, ScreenNotices, ScreenProgram, ScreenAddSchool,
		ScreenCompilations, ScreenReporting, ScreenPermit, ScreenOfficerPermits} {
		if s.ID == id {
			return s, true
		}
	}
	return Screen{}, false
}

// allowedFor reports whether a role may land on a screen.
func allowedFor(s Screen, r account.Role) bool {
	switch {
	case s.ID == ScreenQueue.ID || strings.HasPrefix(s.ID, "request/"):
		return r.InstitutionStaff()
	case s.ID == ScreenPINs.ID:
		return r == account.DIR
	case s.ID == ScreenCompliance.ID:
		return r.InstitutionStaff()
	case s.ID == ScreenCoordinator.ID:
		return r == account.Coordinator
	case s.ID == ScreenStudent.ID || s.ID == ScreenPermit.ID:
		return r == account.Student
	case s.ID == ScreenOfficerPermits.ID:
		return r.Can(account.DecideApplications)
	case strings.HasPrefix(s.ID, "application/"):
		return r == account.Applicant
	case s.ID == ScreenClients.ID:
		return r == account.Representative
	case s.ID == ScreenEmployer.ID:
		return r.Can(account.FillEmployerForm)
	case s.ID == ScreenEmployerQueue.ID:
		return r.Can(account.ApproveEmployers)
	case s.ID == ScreenAssessOCWPP.ID || s.ID == ScreenAssessOINP.ID:
		own, ok := assessFor(r)
		return ok && own.ID == s.ID
	case s.ID == ScreenNotices.ID:
		return notice.MayManage(account.Actor{Role: r}) == nil
	case programScreen(s.ID):
		return r.Can(account.ManageInstitutions) && r != account.System
	case s.ID == ScreenOfficerFiles.ID || strings.HasPrefix(s.ID, "officer-file/"):
		return r.Can(account.DecideApplications)
	}
	return s.ID == homeFor(r).ID
}

func noWorkspace(e *Env) fyne.CanvasObject {
	text := widget.NewLabel("")
	text.Wrapping = fyne.TextWrapWord
	e.OnRelabel(func() { text.SetText(e.T("home.none", e.Account.Role)) })
	return container.NewPadded(container.NewVBox(heading(e, "home.title"), text))
}

// demoInfo is a demo profile's notes, to show on the sign-in screen.
type demoInfo demo.Notes

func demoNotes(s programs.Desk) (demoInfo, bool) {
	n, ok := demo.ReadNotes(s)
	return demoInfo(n), ok
}

// describe lists the demo's accounts and unused PINs in the current
// language.
func (d demoInfo) describe(e *Env) string {
	var b strings.Builder
	b.WriteString(e.T("signin.demo", d.Password))
	b.WriteString(" " + e.T("signin.demo.answers"))
	for _, a := range d.Accounts {
		b.WriteString("\n")
		if a.School == "" {
			b.WriteString(e.T("cli.demo.account.own", a.Role, a.UserID))
		} else {
			b.WriteString(e.T("cli.demo.account", a.Role, a.School, a.UserID))
		}
	}
	if len(d.PINs) > 0 {
		b.WriteString("\n" + e.T("cli.demo.pins"))
		for _, p := range d.PINs {
			b.WriteString("\n" + e.T("cli.demo.pin", p.Role, p.School, p.Code))
		}
	}
	return b.String()
}

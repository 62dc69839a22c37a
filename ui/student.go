package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
)

// ScreenStudent is the student's own space (MyCIC): their requests, the
// messages about them, a new request, their e-mail.
var ScreenStudent = Screen{ID: "student", Title: "student.title", Help: "help.student"}

// studentView holds the student space's widgets, for tests.
type studentView struct {
	env      *Env
	schools  []store.Institution
	requests []ens.Request

	kind                  *widget.RadioGroup
	school, from          *widget.Select
	evn, given, family    *Entry
	birth, client, number *Entry
	email, newEmail       *Entry
	send, saveEmail       *widget.Button
	form, emailForm       *labelled
	messages, list        *fyne.Container
	withdraw              map[domain.ID]*widget.Button
	// permit opens the work permit application, once an EVN is issued.
	permit *widget.Button
	// drafts keep the new request and the new e-mail as typed.
	drafts, emailDrafts *DraftForm
}

// Student is the student's space.
func Student(e *Env) fyne.CanvasObject { return newStudentView(e).content() }

func newStudentView(e *Env) *studentView {
	v := &studentView{env: e, withdraw: map[domain.ID]*widget.Button{}}
	v.schools, _ = e.Store.Institutions()
	v.kind = widget.NewRadioGroup(nil, func(string) { v.showKind() })
	v.school = widget.NewSelect(nil, nil)
	v.from = widget.NewSelect(nil, nil)
	for _, in := range v.schools {
		v.school.Options = append(v.school.Options, in.Name)
		v.from.Options = append(v.from.Options, in.Name)
	}
	v.evn, v.given, v.family = newEntry(), newEntry(), newEntry()
	v.birth, v.client, v.number, v.email = newEntry(), newEntry(), newEntry(), newEntry()
	v.client.SetPlaceHolder("0000-0000")
	v.given.SetText(e.Account.GivenNames)
	v.family.SetText(e.Account.FamilyName)
	v.email.SetText(e.Account.Email)
	for _, w := range []*Entry{v.evn, v.given, v.family, v.birth, v.client, v.number, v.email} {
		w.OnChanged = func(string) { e.Touch() }
	}
	v.form = newLabelled(e)
	v.form.add("student.kind", "type", v.kind)
	v.form.add("student.school", "school", v.school)
	v.form.add("student.from", "fromSchool", v.from)
	v.form.add("student.evn", "evn", v.evn)
	v.form.add("enrol.given", "givenNames", v.given)
	v.form.add("enrol.family", "familyName", v.family)
	v.form.add("student.birth", "birthDate", v.birth)
	v.form.add("student.client", "clientID", v.client)
	v.form.add("student.number", "studentNumber", v.number)
	v.form.add("enrol.email", "email", v.email)
	v.send = widget.NewButton("", v.raise)
	v.send.Importance = widget.HighImportance
	v.newEmail = newEntry()
	v.newEmail.SetText(e.Account.Email)
	v.emailForm = newLabelled(e)
	v.emailForm.add("student.email.new", "email", v.newEmail)
	v.saveEmail = widget.NewButton("", v.updateEmail)
	v.messages, v.list = container.NewVBox(), container.NewVBox()
	v.permit = widget.NewButton("", func() { e.Show(ScreenPermit) })
	v.permit.Importance = widget.HighImportance
	v.prefillSchool()
	v.drafts, v.emailDrafts = e.Draft("student.request", ""), e.Draft("student.email", "")
	e.refresh = v.synced
	e.OnRelabel(func() {
		idx := radioIndex(v.kind)
		v.kind.Options = []string{e.T("ens.type.EV"), e.T("ens.type.EVT"), e.T("ens.type.TI")}
		if idx < 0 {
			idx = 0
		}
		v.kind.Selected = v.kind.Options[idx]
		v.kind.Refresh()
		v.school.PlaceHolder = e.T("student.school.choose")
		v.from.PlaceHolder = e.T("student.school.choose")
		v.school.Refresh()
		v.from.Refresh()
		v.birth.SetPlaceHolder(e.T("format.date.placeholder"))
		v.send.SetText(e.T("student.send"))
		v.saveEmail.SetText(e.T("student.email.save"))
		v.permit.SetText(e.T("permit.apply"))
		v.showKind()
		v.refresh()
	})
	v.drafts.Radio("kind", v.kind)
	v.drafts.Select("school", v.school)
	v.drafts.Select("from", v.from)
	v.drafts.Entry("evn", v.evn)
	v.drafts.Entry("given", v.given)
	v.drafts.Entry("family", v.family)
	v.drafts.Entry("birth", v.birth)
	v.drafts.Entry("client", v.client)
	v.drafts.Entry("number", v.number)
	v.drafts.Entry("email", v.email)
	v.emailDrafts.Entry("email", v.newEmail)
	e.view = v
	return v
}

func (v *studentView) content() fyne.CanvasObject {
	e := v.env
	left := container.NewVBox(heading(e, "student.messages"), v.messages, container.NewHBox(v.permit), widget.NewSeparator(),
		heading(e, "student.requests"), v.list, widget.NewSeparator(),
		heading(e, "student.email"), v.emailForm.box, v.emailForm.general, v.emailDrafts.Notice(), container.NewHBox(v.saveEmail))
	right := container.NewVBox(heading(e, "student.new"), container.NewHBox(assessButton(e, ScreenAssessOCWPP)), v.form.box, v.form.general, v.drafts.Notice(), container.NewHBox(v.send))
	return container.NewHSplit(container.NewVScroll(container.NewPadded(left)), container.NewVScroll(container.NewPadded(right)))
}

// kindIndex is the request type chosen: 0 EV, 1 EVT, 2 TI.
func (v *studentView) kindIndex() int { return max(radioIndex(v.kind), 0) }

// showKind shows the fields the chosen type needs: the old school for a
// transfer, and the EVN for a Transfer IN.
func (v *studentView) showKind() {
	switch v.kindIndex() {
	case 0:
		v.from.Disable()
		v.evn.Disable()
	case 1:
		v.from.Enable()
		v.evn.Disable()
	default:
		v.from.Enable()
		v.evn.Enable()
	}
}

// synced takes in the server's news: the schools (a new desk receives
// them with its first sync) and the student's requests.
func (v *studentView) synced() {
	if schools, err := v.env.Store.Institutions(); err == nil {
		v.schools = schools
		v.school.Options, v.from.Options = nil, nil
		for _, in := range schools {
			v.school.Options = append(v.school.Options, in.Name)
			v.from.Options = append(v.from.Options, in.Name)
		}
		v.school.Refresh()
		v.from.Refresh()
	}
	v.refresh()
}

// refresh reloads the student's requests, the message box and the list.
func (v *studentView) refresh() {
	e := v.env
	v.requests, _ = e.Store.StudentRequests(e.Actor())
	v.messages.RemoveAll()
	v.list.RemoveAll()
	v.withdraw = map[domain.ID]*widget.Button{}
	for _, r := range v.requests {
		school := v.schoolName(r.School)
		if msg := v.message(&r, school); msg != "" {
			l := widget.NewLabel(msg)
			l.Wrapping = fyne.TextWrapWord
			v.messages.Add(l)
		}
		line := e.T("student.line", r.Type.Code(), school, e.T(r.Status.MessageKey()), e.Tr().Date(domain.DateOf(r.Received.Local())))
		switch {
		case r.Lapsed(e.Now()):
			// The program closes it by its own clock; until its word
			// arrives, the request is not shown as expired.
			line += " " + e.T("student.line.expires.today")
		case r.Status.Open() && !r.Expires.IsZero():
			line += " " + e.T("student.line.expires", e.Tr().Date(domain.DateOf(r.Expires.Local())))
		}
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		row := container.NewBorder(nil, nil, nil, nil, l)
		if ens.Allowed(&r, ens.Withdraw, e.Actor(), e.Now()) == nil {
			id, version := r.ID, r.Version
			b := widget.NewButton(e.T("student.withdraw"), func() { v.withdrawRequest(id, version) })
			v.withdraw[r.ID] = b
			row = container.NewBorder(nil, nil, nil, b, l)
		}
		v.list.Add(row)
	}
	if len(v.requests) == 0 {
		v.list.Add(widget.NewLabel(e.T("student.none")))
	}
	for _, msg := range permitMessages(e) {
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		v.messages.Add(l)
	}
	if _, ok := activeVerification(e); ok {
		v.permit.Show()
	} else {
		v.permit.Hide()
	}
	if len(v.messages.Objects) == 0 {
		v.messages.Add(widget.NewLabel(e.T("student.messages.none")))
	}
}

// message is what the message box says about a request: the EVN once
// verified, the reason once rejected [000].
func (v *studentView) message(r *ens.Request, school string) string {
	e := v.env
	switch r.Status {
	case ens.Verified, ens.Accepted:
		return e.T("student.msg.verified", school, string(r.EVN))
	case ens.Rejected:
		return e.T("student.msg.rejected", school, r.Reason)
	case ens.Expired:
		return e.T("student.msg.expired", school)
	}
	return ""
}

func (v *studentView) schoolName(id domain.ID) string {
	for _, in := range v.schools {
		if in.ID == id {
			return in.Name
		}
	}
	return ""
}

func (v *studentView) schoolAt(s *widget.Select) domain.ID {
	if i := s.SelectedIndex(); i >= 0 && i < len(v.schools) {
		return v.schools[i].ID
	}
	return domain.ID{}
}

// raise sends the new request.
func (v *studentView) raise() {
	e := v.env
	e.Touch()
	in := ens.Raise{Type: []ens.Type{ens.EV, ens.EVT, ens.TI}[v.kindIndex()], School: v.schoolAt(v.school),
		Student: ens.Student{GivenNames: v.given.Text, FamilyName: v.family.Text,
			ClientID: domain.ClientID(v.client.Text), StudentNumber: v.number.Text, Email: v.email.Text}}
	if in.Type != ens.EV {
		in.FromSchool = v.schoolAt(v.from)
	}
	if in.Type == ens.TI {
		in.EVN = v.evn.Text
	}
	// Every mistake of the form at once, each under its field, by the
	// rules the program runs; the program still decides on sending.
	var errs []error
	if in.School.IsZero() {
		errs = append(errs, domain.FieldError(ens.ErrSchoolRequired, "school"))
	}
	if in.Type == ens.EVT && in.FromSchool.IsZero() {
		errs = append(errs, domain.FieldError(ens.ErrSchoolRequired, "fromSchool"))
	}
	d, dateErr := domain.ParseDate("birthDate", v.birth.Text)
	in.Student.BirthDate = d
	for _, err := range ens.StudentErrors(in.Student, e.Now()) {
		if f, ok := err.(*domain.Error); dateErr != nil && ok && f.Field == "birthDate" {
			err = dateErr // the date as typed does not read
		}
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		v.form.setFault(errors.Join(errs...))
		return
	}
	if _, err := e.Store.RaiseRequest(e.Actor(), in); err != nil {
		v.form.setFault(err)
		return
	}
	v.form.setFault(nil)
	v.evn.SetText("")
	v.drafts.Saved()
	e.lastNotice = e.T("student.sent")
	v.refresh()
	noticeDialog(e, e.T("student.new"), e.lastNotice)
}

func (v *studentView) withdrawRequest(id domain.ID, version uint64) {
	e := v.env
	e.Touch()
	confirmDialog(e, e.T("student.withdraw"), e.T("student.withdraw.confirm"), func() {
		if _, err := e.Store.Act(e.Actor(), id, ens.Action{Function: ens.Withdraw}, version); err != nil {
			noticeDialog(e, e.T("student.withdraw"), e.Tr().Error(err))
			return
		}
		v.refresh()
	})
}

func (v *studentView) updateEmail() {
	e := v.env
	e.Touch()
	a, err := e.Store.UpdateEmail(e.Actor(), v.newEmail.Text)
	v.emailForm.setFault(err)
	if err == nil {
		v.emailDrafts.Saved()
		e.Account = a
		e.lastNotice = e.T("student.email.saved", a.Email)
		noticeDialog(e, e.T("student.email"), e.lastNotice)
	}
}

// prefillSchool addresses an Eligibility Verification to the school the
// self-assessment named, once.
func (v *studentView) prefillSchool() {
	id := v.env.requestSchool
	v.env.requestSchool = domain.ID{}
	if id.IsZero() {
		return
	}
	for i, in := range v.schools {
		if in.ID == id {
			v.kind.Options = []string{"0", "1", "2"}
			v.kind.Selected = v.kind.Options[0]
			v.school.SetSelectedIndex(i)
		}
	}
}

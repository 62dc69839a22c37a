package ui

import (
	"image/color"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
)

// Provinces are Canada's provinces and territories, by Canada Post code.
var Provinces = []string{"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}

// buildTab fills the form of the view's tab (guide §4.2).
func buildTab(v *appView) {
	f, a := v.form, &v.s.app
	switch v.tab {
	case oinp.TabGeneral:
		f.note("oinp.general.text", oinp.RegistrationDays)
		if v.e.rep() {
			f.note("oinp.rep.text")
		}
		fileActions(v)
		if !v.e.rep() {
			f.box.Add(container.NewHBox(assessButton(v.e, ScreenAssessOINP)))
		}
		representativesPanel(v)
	case oinp.TabAssistance:
		f.yesNo("assistance.helped", &a.Assistance.Helped)
		f.text("assistance.name", &a.Assistance.Name)
		f.text("assistance.relationship", &a.Assistance.Relationship)
		f.yesNo("assistance.paid", &a.Assistance.Paid)
		pick(f, "assistance.paidCategory", "paid", oinp.PaidCategories, &a.Assistance.PaidCategory)
	case oinp.TabApplicant:
		applicantTab(f, &a.Applicant)
	case oinp.TabContact:
		f.text("contact.email", &a.Contact.Email)
		f.text("contact.phone", &a.Contact.Phone)
		f.text("contact.altPhone", &a.Contact.AltPhone)
		f.heading("oinp.heading.residence")
		address(f, "contact.residence", &a.Contact.Address)
		f.heading("oinp.heading.mailing")
		address(f, "contact.mailing", &a.Contact.Mailing)
		pick(f, "contact.language", "language", []string{"en", "fr"}, &a.Contact.Language)
	case oinp.TabImmigration:
		im := &a.Immigration
		f.yesNo("immigration.inCanada", &im.InCanada)
		pick(f, "immigration.status", "status", oinp.Statuses, &im.Status)
		f.date("immigration.statusExpires", &im.StatusExpires)
		f.yesNo("immigration.impliedStatus", &im.Implied)
		f.yesNo("immigration.refugeeClaimant", &im.Refugee)
		textAs(f, "immigration.clientID", &im.ClientID)
		f.yesNo("immigration.authorisedToWorkInOntario", &im.WorkInOntario)
		f.yesNo("immigration.otherApplications", &im.OtherPR)
	case oinp.TabEducation:
		educationTab(f, a)
	case oinp.TabLanguage:
		languageTab(f, a)
	case oinp.TabWork:
		workTab(f, a)
	case oinp.TabActivities:
		f.note("oinp.activities.text")
		f.list("activities", len(a.Activities), func(i int) {
			x := &a.Activities[i]
			p := path("activities", i)
			pick(f, p+"kind", "activity", oinp.ActivityKinds, &x.Kind)
			f.text(p+"description", &x.Description)
			f.date(p+"from", &x.From)
			f.date(p+"to", &x.To)
			f.country(p+"country", &x.Country)
		}, func(int) { a.Activities = append(a.Activities, oinp.Activity{ID: f.lineID()}) },
			func(i int) { a.Activities = remove(a.Activities, i) })
	case oinp.TabIntent:
		f.note("oinp.intent.text")
		ties := joinLines(a.Intent.Ties)
		w := f.text("intent.ties", &ties)
		w.MultiLine = true
		w.OnChanged = func(s string) { a.Intent.Ties = splitLines(s); v.s.touch(v.e) }
		f.text("intent.signedName", &a.Intent.SignedName)
		f.date("intent.signed", &a.Intent.Signed)
	case oinp.TabFamily:
		familyTab(f, a)
	case oinp.TabFunds:
		fundsTab(v)
	case oinp.TabLearning:
		pick(f, "learnedFrom", "learned", oinp.LearnedFrom, &a.LearnedFrom)
	case oinp.TabEmployerHistory:
		e := &a.Employer
		signedFormPanel(v)
		f.yesNo("employer.appliedBefore", &e.AppliedBefore)
		f.yesNo("employer.helped", &e.Helped)
		f.text("employer.representative", &e.Representative)
	case oinp.TabEmployerBusiness:
		businessTab(f, &a.Employer)
	case oinp.TabEmployerOffer:
		offerTab(f, &a.Employer)
	case oinp.TabSummary:
		summaryTab(v)
	case oinp.TabPrivacy:
		f.note("oinp.privacy.text")
	case oinp.TabDocuments:
		documentsTab(v)
	case oinp.TabSchedules:
		schedulesTab(v)
	case oinp.TabFee:
		feeTab(v)
	}
}

// path is the path prefix of a list's item ("work[2].").
func path(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]." }

func remove[T any](s []T, i int) []T { return append(s[:i:i], s[i+1:]...) }

func applicantTab(f *appForm, x *oinp.Applicant) {
	f.text("applicant.familyName", &x.FamilyName)
	f.text("applicant.givenNames", &x.GivenNames)
	f.date("applicant.birthDate", &x.BirthDate)
	f.text("applicant.birthPlace", &x.BirthPlace)
	pick(f, "applicant.sex", "sex", oinp.Sexes, &x.Sex)
	f.country("applicant.citizenship", &x.Citizenship)
	f.country("applicant.countryOfResidence", &x.Residence)
	pick(f, "applicant.maritalStatus", "marital", oinp.Maritals, &x.Marital)
	f.note("oinp.marital.text")
	f.text("applicant.passportNumber", &x.Passport)
	f.date("applicant.passportIssued", &x.PassportFrom)
	f.date("applicant.passportExpires", &x.PassportTo)
	f.heading("oinp.heading.otherNames")
	f.list("applicant.otherNames", len(x.OtherNames), func(i int) {
		o := &x.OtherNames[i]
		p := path("applicant.otherNames", i)
		f.text(p+"familyName", &o.FamilyName)
		f.text(p+"givenNames", &o.GivenNames)
		f.text(p+"kind", &o.Kind)
	}, func(int) { x.OtherNames = append(x.OtherNames, oinp.OtherName{ID: f.lineID()}) },
		func(i int) { x.OtherNames = remove(x.OtherNames, i) })
}

func address(f *appForm, prefix string, x *oinp.Address) {
	f.text(prefix+".street", &x.Street)
	if prefix == "employer.address" {
		// Where the employer is located decides its thresholds (§2.3.4).
		f.placeField(prefix+".city", &x.City, &x.Province)
	} else {
		f.text(prefix+".city", &x.City)
	}
	pick(f, prefix+".province", "province", Provinces, &x.Province)
	f.text(prefix+".postalCode", &x.PostalCode)
	f.country(prefix+".country", &x.Country)
}

func educationTab(f *appForm, a *oinp.Application) {
	f.list("education", len(a.Education), func(i int) {
		x := &a.Education[i]
		p := path("education", i)
		f.text(p+"institution", &x.Institution)
		pick(f, p+"level", "level", oinp.EducationKinds, &x.Level)
		f.country(p+"country", &x.Country)
		f.date(p+"from", &x.From)
		f.date(p+"to", &x.To)
		f.yesNo(p+"fullTime", &x.FullTime)
		f.date(p+"completed", &x.Completed)
	}, func(int) { a.Education = append(a.Education, oinp.Education{ID: f.lineID()}) },
		func(i int) { a.Education = remove(a.Education, i) })
	f.heading("oinp.heading.eca")
	f.note("oinp.eca.text")
	pick(f, "eca.body", "eca", oinp.ECABodies, &a.ECA.Body)
	f.text("eca.number", &a.ECA.Number)
	f.date("eca.issued", &a.ECA.Issued)
	f.yesNo("eca.secondaryOrAbove", &a.ECA.Secondary)
}

func languageTab(f *appForm, a *oinp.Application) {
	f.note("oinp.language.text")
	tests := oinp.LanguageTests
	f.list("language", len(a.Language), func(i int) {
		x := &a.Language[i]
		p := path("language", i)
		pick(f, p+"test", "test", tests, &x.Test)
		f.date(p+"taken", &x.Taken)
		f.date(p+"results", &x.Results)
		f.number(p+"listening", &x.Listening)
		f.number(p+"reading", &x.Reading)
		f.number(p+"writing", &x.Writing)
		f.number(p+"speaking", &x.Speaking)
	}, func(int) { a.Language = append(a.Language, oinp.LanguageTest{ID: f.lineID()}) },
		func(i int) { a.Language = remove(a.Language, i) })
}

func workTab(f *appForm, a *oinp.Application) {
	f.note("oinp.work.text")
	f.list("work", len(a.Work), func(i int) {
		x := &a.Work[i]
		p := path("work", i)
		f.text(p+"employer", &x.Employer)
		f.text(p+"title", &x.Title)
		f.text(p+"noc", &x.NOC)
		f.date(p+"from", &x.From)
		f.date(p+"to", &x.To)
		f.number(p+"hoursPerWeek", &x.HoursPerWeek)
		f.country(p+"country", &x.Country)
		pick(f, p+"province", "province", Provinces, &x.Province)
		f.yesNo(p+"paid", &x.Paid)
		f.yesNo(p+"authorised", &x.Authorised)
		f.yesNo(p+"licenceNeeded", &x.LicenceNeeded)
		f.yesNo(p+"licenceHeld", &x.LicenceHeld)
	}, func(int) { a.Work = append(a.Work, oinp.Work{ID: f.lineID()}) },
		func(i int) { a.Work = remove(a.Work, i) })
}

func familyTab(f *appForm, a *oinp.Application) {
	f.note("oinp.family.text")
	f.list("family", len(a.Family), func(i int) {
		x := &a.Family[i]
		p := path("family", i)
		f.text(p+"familyName", &x.FamilyName)
		f.text(p+"givenNames", &x.GivenNames)
		f.date(p+"birthDate", &x.BirthDate)
		pick(f, p+"relationship", "relationship", oinp.Relationships, &x.Relationship)
		f.yesNo(p+"citizenOrPR", &x.CitizenOrPR)
		f.yesNo(p+"accompanying", &x.Accompanying)
	}, func(int) { a.Family = append(a.Family, oinp.FamilyMember{ID: f.lineID()}) },
		func(i int) { a.Family = remove(a.Family, i) })
}

// fundsTab prefills the family size from Family Information (§4.2.12):
// the applicant confirms it; a different number is an error that sends
// them back to Family Information.
func fundsTab(v *appView) {
	f, a := v.form, &v.s.app
	counted := oinp.FamilySize(a, a.CheckDate(domain.DateOf(v.e.Now())))
	if a.Funds.Members == 0 {
		a.Funds.Members = counted
		v.s.dirty = true
	}
	f.note("oinp.funds.text", counted)
	f.integer("funds.members", &a.Funds.Members)
	f.money("funds.availableCents", &a.Funds.AvailableCents)
	f.yesNo("funds.claimIncome", &a.Funds.ClaimIncome)
}

func businessTab(f *appForm, e *oinp.EmployerForm) {
	f.text("employer.legalName", &e.LegalName)
	f.text("employer.operatingName", &e.OperatingName)
	f.text("employer.businessNumber", &e.BusinessNumber)
	pick(f, "employer.structure", "structure", oinp.Structures, &e.Structure)
	f.yesNo("employer.franchisor", &e.Franchisor)
	f.date("employer.activeSince", &e.ActiveSince)
	f.text("employer.sector", &e.Sector)
	f.money("employer.revenueCents", &e.RevenueCents)
	f.date("employer.fiscalYearEnd", &e.FiscalYearEnd)
	f.heading("oinp.heading.business")
	address(f, "employer.address", &e.Address)
	f.yesNo("employer.ontarioPremises", &e.OntarioPremises)
	f.yesNo("employer.outstandingOrders", &e.Orders)
	f.integer("employer.employeesTotal", &e.EmployeesTotal)
	f.integer("employer.employeesAtLocation", &e.EmployeesLocation)
}

func offerTab(f *appForm, e *oinp.EmployerForm) {
	o := &e.Offer
	f.text("employer.offer.position", &o.Position)
	f.text("employer.offer.noc", &o.NOC)
	f.number("employer.offer.hoursPerWeek", &o.HoursPerWeek)
	f.number("employer.offer.hoursPerYear", &o.HoursPerYear)
	f.money("employer.offer.hourlyWageCents", &o.WageCents)
	f.money("employer.offer.medianWageCents", &o.MedianCents)
	wageImport(f, o)
	f.money("employer.offer.currentWageCents", &o.CurrentCents)
	f.yesNo("employer.offer.fullTime", &o.FullTime)
	f.yesNo("employer.offer.indeterminate", &o.Permanent)
	f.yesNo("employer.offer.seasonal", &o.Seasonal)
	f.yesNo("employer.offer.agencyOrSubcontract", &o.Agency)
	f.yesNo("employer.offer.labourDispute", &o.LabourDispute)
	f.number("employer.offer.equityPercent", &o.EquityPercent)
	f.yesNo("employer.offer.equityAsPay", &o.EquityAsPay)
	f.placeField("employer.offer.municipality", &o.Municipality, &o.Province)
	pick(f, "employer.offer.province", "province", Provinces, &o.Province)
	f.yesNo("employer.offer.licenceNeeded", &o.LicenceNeeded)
	f.yesNo("employer.offer.licenceHeld", &o.LicenceHeld)
	f.yesNo("employer.offer.recruitmentProof", &o.RecruitmentProof)
	f.yesNo("employer.offer.lmia", &o.LMIA)
	f.text("employer.offer.signingOfficer", &o.SigningOfficer)
	f.text("employer.offer.contactPerson", &o.ContactPerson)
	f.date("employer.offer.letterDated", &o.LetterDated)
	f.yesNo("employer.offer.letterSignedByApplicant", &o.LetterSignedApplicant)
	f.yesNo("employer.offer.letterSignedByEmployer", &o.LetterSignedEmployer)
	f.yesNo("employer.offer.inPositionNow", &o.InPositionNow)
	f.yesNo("employer.offer.ongoingEmploymentLetter", &o.OngoingLetter)
	f.yesNo("employer.offer.alignsWithBusiness", &o.AlignsWithBusiness)
	f.yesNo("employer.offer.neededForActivity", &o.NeededForActivity)
	f.date("employer.signed", &e.Signed)
}

func joinLines(lines []string) string { return strings.Join(lines, "\n") }

// splitLines keeps the lines of a multi-line field that hold something.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// signedFormPanel says where the Employer Form tabs come from: the form
// the employer signed and linked (read-only), or, until then, what the
// applicant copies, with the signed file the employer may give them.
func signedFormPanel(v *appView) {
	e, f, s := v.e, v.form, v.s
	if sf := s.rec.EmployerForm; sf != nil {
		f.note("oinp.employer.signed", sf.LegalName, sf.SignerName, domain.DateOf(sf.SignedAt.Local()))
		return
	}
	f.note("oinp.employer.text")
	imp := widget.NewButton("", func() {
		e.Touch()
		showFileDialog(e, dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			b, err := io.ReadAll(io.LimitReader(r, oinp.MaxFileBytes))
			if err == nil {
				v.importSignedForm(b)
			}
		}, e.Window))
	})
	e.OnRelabel(func() { imp.SetText(e.T("oinp.employer.import")) })
	f.box.Add(container.NewHBox(imp))
}

// importSignedForm takes the employer's signed file: refused, and said
// why, when it was edited after signing.
func (v *appView) importSignedForm(b []byte) {
	e, s := v.e, v.s
	if err := s.save(e); err != nil {
		v.showFault(err)
		return
	}
	if _, err := e.Store.ImportSignedForm(e.Actor(), b); err != nil {
		v.showFault(err)
		return
	}
	s.reload(e)
	e.Show(ScreenApplication(v.tab))
}

// tabGroups are the application's tabs in the guide's order, in groups
// with a heading each. The last group (Summary, Privacy, Processing Fee)
// is pinned under the others, so that it is always in reach however
// short the window.
var tabGroups = []struct {
	key  string
	tabs []oinp.Tab
}{
	{"oinp.group.applicant", []oinp.Tab{oinp.TabGeneral, oinp.TabAssistance, oinp.TabApplicant, oinp.TabContact, oinp.TabImmigration}},
	{"oinp.group.background", []oinp.Tab{oinp.TabEducation, oinp.TabLanguage, oinp.TabWork, oinp.TabActivities, oinp.TabIntent,
		oinp.TabFamily, oinp.TabFunds, oinp.TabLearning}},
	{"oinp.group.offer", []oinp.Tab{oinp.TabEmployerHistory, oinp.TabEmployerBusiness, oinp.TabEmployerOffer}},
	{"oinp.group.documents", []oinp.Tab{oinp.TabDocuments, oinp.TabSchedules}},
	{"oinp.group.submit", []oinp.Tab{oinp.TabSummary, oinp.TabPrivacy, oinp.TabFee}},
}

// tabListWidth is the tab list's width: a tab's name longer than that
// is cut, and shows whole on hover.
const tabListWidth = 280

// tabList is the application's tab list: the groups in a scroll that
// keeps the selected tab in view, and the last group pinned below it.
// It fills v.tabs and relabels the group headings.
func tabList(v *appView) fyne.CanvasObject {
	e := v.e
	// One tip for the list, drawn over the form beside it.
	tip := newHoverTip()
	var headings []*widget.Label
	group := func(key string, tabs []oinp.Tab, box *fyne.Container) fyne.CanvasObject {
		h := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h.Truncation = fyne.TextTruncateEllipsis
		headings = append(headings, h)
		box.Add(h)
		var selected fyne.CanvasObject
		for _, t := range tabs {
			l := newTabLink(tip, func() { v.goTo(t, "") })
			l.selected = t == v.tab
			v.tabs[t] = l
			box.Add(l)
			if l.selected {
				selected = l
			}
		}
		return selected
	}
	scrolled := container.NewVBox()
	var selected fyne.CanvasObject
	for _, g := range tabGroups[:len(tabGroups)-1] {
		if s := group(g.key, g.tabs, scrolled); s != nil {
			selected = s
		}
	}
	pinned := container.NewVBox(widget.NewSeparator())
	last := tabGroups[len(tabGroups)-1]
	group(last.key, last.tabs, pinned)
	e.OnRelabel(func() {
		for i, h := range headings {
			h.SetText(e.T(tabGroups[i].key))
		}
	})
	scroll := container.NewVScroll(scrolled)
	var list fyne.CanvasObject = scroll
	if selected != nil {
		list = container.New(&keepInView{scroll: scroll, target: selected}, scroll)
	}
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(tabListWidth, 0))
	return container.NewStack(container.NewBorder(nil, pinned, nil, nil, width, list), tip.layer)
}

// keepInView lays out a vertical scroll so that target, an object of its
// content, is in view, in the middle when the list is longer than the
// scroll: each time the scroll is given a new size.
type keepInView struct {
	scroll *container.Scroll
	target fyne.CanvasObject
	last   fyne.Size
}

func (k *keepInView) MinSize([]fyne.CanvasObject) fyne.Size { return k.scroll.MinSize() }

func (k *keepInView) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if size == k.last || size.Height <= 0 {
		return
	}
	k.last = size
	top, h := k.target.Position().Y, k.target.Size().Height
	off := k.scroll.Offset
	if top >= off.Y && top+h <= off.Y+size.Height {
		return
	}
	y := top - (size.Height-h)/2
	y = max(0, min(y, k.scroll.Content.MinSize().Height-size.Height))
	k.scroll.ScrollToOffset(fyne.NewPos(off.X, y))
}

// tabLink is one tab of the list: its name, cut with an ellipsis when
// the list is too narrow for it (whole on hover), the selected tab in
// bold on the selection colour. It acts on a tap, and on Space or Enter
// when it has the keyboard's focus.
type tabLink struct {
	widget.BaseWidget
	// Text is the tab's name as shown (with its count of problems).
	Text     string
	label    *widget.Label
	bg       *canvas.Rectangle
	tap      func()
	tip      *hoverTip
	selected bool
	hovered  bool
	focused  bool
}

func newTabLink(tip *hoverTip, tap func()) *tabLink {
	l := &tabLink{label: widget.NewLabel(""), bg: canvas.NewRectangle(color.Transparent), tap: tap, tip: tip}
	l.label.Truncation = fyne.TextTruncateEllipsis
	l.ExtendBaseWidget(l)
	return l
}

// SetText names the tab.
func (l *tabLink) SetText(s string) {
	l.Text = s
	l.label.SetText(s)
}

func (l *tabLink) CreateRenderer() fyne.WidgetRenderer {
	l.update()
	return widget.NewSimpleRenderer(container.NewStack(l.bg, l.label))
}

func (l *tabLink) MinSize() fyne.Size {
	l.ExtendBaseWidget(l)
	return l.BaseWidget.MinSize()
}

func (l *tabLink) update() {
	l.label.TextStyle.Bold = l.selected
	switch {
	case l.focused:
		l.bg.FillColor = theme.Color(theme.ColorNameFocus)
	case l.hovered:
		l.bg.FillColor = theme.Color(theme.ColorNameHover)
	case l.selected:
		l.bg.FillColor = theme.Color(theme.ColorNameSelection)
	default:
		l.bg.FillColor = color.Transparent
	}
	l.bg.Refresh()
	l.label.Refresh()
}

// Tapped opens the tab.
func (l *tabLink) Tapped(*fyne.PointEvent) {
	l.tip.hide()
	if l.tap != nil {
		l.tap()
	}
}

// Cursor is the pointing hand of a link.
func (l *tabLink) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (l *tabLink) MouseIn(*desktop.MouseEvent) {
	l.hovered = true
	l.update()
	if cut(l.label, l.Size().Width) {
		l.tip.show(l, l.Text)
	}
}

func (l *tabLink) MouseMoved(*desktop.MouseEvent) {}

func (l *tabLink) MouseOut() {
	l.hovered = false
	l.update()
	l.tip.hide()
}

func (l *tabLink) FocusGained() {
	l.focused = true
	l.update()
	if cut(l.label, l.Size().Width) {
		l.tip.show(l, l.Text)
	}
}

func (l *tabLink) FocusLost() {
	l.focused = false
	l.update()
	l.tip.hide()
}

// TypedRune does nothing: Space comes as a key.
func (l *tabLink) TypedRune(rune) {}

func (l *tabLink) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter || ev.Name == fyne.KeySpace {
		l.Tapped(nil)
	}
}

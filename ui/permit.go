package ui

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/report"
	"dossier/store/requests"
	"dossier/translations"
)

// ScreenPermit is the student's Off-Campus Work Permit application
// (MyCIC): the form, prefilled from their verified request, the fee
// through the sandbox, and the application's status once sent.
var ScreenPermit = Screen{ID: "permit", Title: "permit.title", Help: "help.permit"}

// screenPermitAgain is the form again after a withdrawal or a refusal,
// filled with what was sent last time.
var screenPermitAgain = Screen{ID: "permit", Title: "permit.title", Help: "help.permit"}

func init() {
	ScreenPermit.View = PermitScreen
	screenPermitAgain.View = func(e *Env) fyne.CanvasObject { return permitScreen(e, true) }
	ScreenOfficerPermits.View = OfficerPermits
}

// permitField is one input of the form: its catalog label and the field
// name the domain's faults use.
type permitField struct {
	key, field string
	entry      *Entry
}

// permitView holds the permit screen's widgets, for tests.
type permitView struct {
	e        *Env
	v        ens.Request // the active verification the application is made with
	app      *permit.Application
	fields   []permitField
	entries  map[string]*Entry
	province *widget.Select
	consent  *widget.Check
	declare  *widget.Check
	card     *feeView
	pay      *widget.Button
	withdraw *widget.Button
	again    *widget.Button
	errs     map[string]*widget.Label
	// labels are the catalog keys naming the fields, in order, for the
	// line that names the fields to correct.
	labels  map[string]string
	order   []string
	general *widget.Label
	faults  []error
	status  *widget.Label
	forming bool
	prints  map[report.Kind]*widget.Button
	drafts  *DraftForm
}

// permitDraft is what an earlier version of the form kept when the
// session locked or the person left (moveOldDraft).
type permitDraft struct {
	Fields   map[string]string
	Province int
	Consent  bool
	Declare  bool
}

// activeVerification is the student's newest verification that still
// carries its EVN, if any.
func activeVerification(e *Env) (ens.Request, bool) {
	rs, _ := e.Store.StudentRequests(e.Actor())
	for _, r := range rs { // newest first
		if r.ActiveVerification() && r.EVN != "" {
			return r, true
		}
	}
	return ens.Request{}, false
}

// PermitScreen is the student's work permit screen.
func PermitScreen(e *Env) fyne.CanvasObject { return permitScreen(e, false) }

func permitScreen(e *Env, again bool) fyne.CanvasObject {
	pv := &permitView{e: e, forming: again, entries: map[string]*Entry{}, errs: map[string]*widget.Label{}, general: errorLabel(),
		status: wrapped("")}
	e.view = pv
	back := widget.NewButton("", func() { e.Show(ScreenStudent) })
	e.OnRelabel(func() { back.SetText(e.T("permit.back")) })
	top := container.NewBorder(nil, nil, nil, back, heading(e, "permit.title"))
	v, ok := activeVerification(e)
	if !ok {
		return container.NewPadded(container.NewVBox(top, pv.text("permit.none")))
	}
	pv.v = v
	if a, err := e.Store.Permit(e.Actor(), v.ID); err == nil {
		pv.app = &a
	}
	body := container.NewVBox()
	if pv.app != nil && !pv.forming {
		// The server's news (the fee taken, a decision) shows at once;
		// a form being typed is never rebuilt under the person's hands.
		e.refresh = func() { e.Show(ScreenPermit) }
		body.Add(pv.statusPanel())
	} else {
		body.Add(pv.formPanel())
	}
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

func (pv *permitView) text(key string, args ...any) *widget.Label {
	l := wrapped("")
	pv.e.OnRelabel(func() { l.SetText(pv.e.T(key, args...)) })
	return l
}

// labelledInput is a field under its label with its error beneath.
func (pv *permitView) labelledInput(key, field string, w fyne.CanvasObject) fyne.CanvasObject {
	lbl := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	pv.e.OnRelabel(func() { lbl.SetText(pv.e.T(key)) })
	errLbl := errorLabel()
	pv.errs[field] = errLbl
	pv.nameField(field, key)
	return container.NewVBox(lbl, w, errLbl)
}

// nameField records the catalog key that names field in the summary.
func (pv *permitView) nameField(field, key string) {
	if pv.labels == nil {
		pv.labels = map[string]string{}
	}
	pv.labels[field] = key
	pv.order = append(pv.order, field)
}

func (pv *permitView) entry(key, field string) fyne.CanvasObject {
	w := newEntry()
	w.OnChanged = func(string) { pv.e.Touch() }
	pv.entries[field] = w
	pv.fields = append(pv.fields, permitField{key: key, field: field, entry: w})
	return pv.labelledInput(key, field, w)
}

// formPanel is the application form, prefilled, then the fee and the
// card.
func (pv *permitView) formPanel() fyne.CanvasObject {
	e := pv.e
	f := permit.Prefill(&pv.v)
	if pv.app != nil {
		f = pv.app.Form // applying again: what was sent last time
	}
	pv.province = widget.NewSelect(nil, func(string) { e.Touch() })
	pv.consent = widget.NewCheck("", func(bool) { e.Touch() })
	pv.declare = widget.NewCheck("", func(bool) { e.Touch() })
	col := func(objs ...fyne.CanvasObject) *fyne.Container { return container.NewVBox(objs...) }
	who := col(heading(e, "permit.section.who"), pv.entry("permit.field.given", "givenNames"), pv.entry("permit.field.family", "familyName"),
		pv.entry("permit.field.birth", "birthDate"), pv.entry("permit.field.client", "clientID"), pv.entry("permit.field.email", "email"),
		heading(e, "permit.section.passport"), pv.entry("permit.field.passport", "passportNumber"),
		pv.entry("permit.field.passport.country", "passportCountry"), pv.entry("permit.field.passport.expiry", "passportExpiry"))
	where := col(heading(e, "permit.section.address"), pv.entry("permit.field.street", "street"), pv.entry("permit.field.city", "city"),
		pv.labelledInput("permit.field.province", "province", pv.province), pv.entry("permit.field.postal", "postalCode"),
		pv.entry("permit.field.phone", "phone"),
		heading(e, "permit.section.studies"), pv.entry("permit.field.program", "program"),
		pv.entry("permit.field.study.start", "studyStart"), pv.entry("permit.field.study.end", "studyEnd"))
	set := func(field, s string) { pv.entries[field].SetText(s) }
	set("givenNames", f.GivenNames)
	set("familyName", f.FamilyName)
	set("birthDate", dateText(f.BirthDate))
	set("clientID", f.ClientID.String())
	set("email", f.Email)
	set("passportNumber", f.PassportNumber)
	set("passportCountry", f.PassportCountry)
	set("passportExpiry", dateText(f.PassportExpiry))
	set("street", f.Street)
	set("city", f.City)
	set("postalCode", f.PostalCode)
	set("phone", f.Phone)
	set("program", f.Program)
	set("studyStart", dateText(f.StudyStart))
	set("studyEnd", dateText(f.StudyEnd))
	pv.province.Options = permit.Provinces
	if i := indexOf(permit.Provinces, f.Province); i >= 0 {
		pv.province.SetSelectedIndex(i)
	}
	pv.consent.SetChecked(f.Consent)
	pv.declare.SetChecked(f.Declaration)
	school := ""
	if in, err := e.Store.Institution(pv.v.School); err == nil {
		school = in.Name
	}
	evn := pv.text("permit.evn", string(pv.v.EVN), school)
	evn.TextStyle = fyne.TextStyle{Bold: true}

	// The fee and the card, the sandbox said plainly.
	fee := requests.PermitFee()
	pv.card = &feeView{number: newEntry(), name: newEntry(), expiry: newEntry(), cvc: newPasswordEntry()}
	sandbox := wrapped("")
	sandbox.Importance = widget.WarningImportance
	sandbox.TextStyle = fyne.TextStyle{Bold: true}
	e.OnRelabel(func() {
		sandbox.SetText(e.T("oinp.fee.sandbox"))
		pv.card.expiry.SetPlaceHolder(e.T("oinp.card.expiry.placeholder"))
		for _, field := range []string{"birthDate", "passportExpiry", "studyStart", "studyEnd"} {
			pv.entries[field].SetPlaceHolder(e.T("format.date.placeholder"))
		}
		pv.consent.Text = e.T("permit.consent")
		pv.consent.Refresh()
		pv.declare.Text = e.T("permit.declaration")
		pv.declare.Refresh()
		pv.province.PlaceHolder = e.T("permit.field.province.choose")
		pv.province.Refresh()
		pv.showFaults()
	})
	if !e.Payments.IsSandbox() {
		sandbox.Hide()
	}
	pv.pay = widget.NewButton("", func() {
		confirmDialog(e, e.T("permit.pay.title"), e.T("permit.pay.confirm", domain.Money(fee.Cents)), func() { pv.submit(fee.Cents) })
	})
	pv.pay.Importance = widget.HighImportance
	e.OnRelabel(func() { pv.pay.SetText(e.T("permit.pay", domain.Money(fee.Cents))) })
	cards := container.NewGridWithColumns(2, pv.labelledInput("permit.field.card.number", "card.number", pv.card.number),
		pv.labelledInput("permit.field.card.name", "card.name", pv.card.name),
		pv.labelledInput("permit.field.card.expiry", "card.expiry", pv.card.expiry),
		pv.labelledInput("permit.field.card.cvc", "card.cvc", pv.card.cvc))
	pv.errs["consent"], pv.errs["declaration"] = errorLabel(), errorLabel()
	pv.nameField("consent", "permit.section.consent")
	pv.nameField("declaration", "permit.section.consent")
	pv.moveOldDraft()
	pv.drafts = e.Draft(permitForm, "")
	for _, field := range slices.Sorted(maps.Keys(pv.entries)) {
		pv.drafts.Entry(field, pv.entries[field])
	}
	pv.drafts.Select("province", pv.province)
	pv.drafts.Check("consent", pv.consent)
	pv.drafts.Check("declare", pv.declare)
	pv.drafts.Skip(pv.card.number, pv.card.name, pv.card.expiry, pv.card.cvc) // a card is never kept
	// The note is not placed by the Pay button, at the foot of a long
	// form, but left to the shell, which shows it under the top bar:
	// where the student looks on coming back.
	if refused := pv.refusal(); refused != nil {
		pv.faults = []error{refused}
	}
	return container.NewVBox(evn, pv.text("permit.intro"), container.NewGridWithColumns(2, who, where),
		heading(e, "permit.section.consent"), pv.consent, pv.errs["consent"], pv.declare, pv.errs["declaration"],
		widget.NewSeparator(), heading(e, "permit.section.fee"), pv.text("permit.fee", domain.Money(fee.Cents)), sandbox, cards,
		pv.general, container.NewHBox(pv.pay))
}

func dateText(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// read is the form as typed; dates that do not read are faults under
// their fields.
func (pv *permitView) read() (permit.Form, []error) {
	t := func(field string) string { return pv.entries[field].Text }
	var faults []error
	date := func(field string) domain.Date {
		s := strings.TrimSpace(t(field))
		if s == "" {
			return domain.Date{}
		}
		d, err := domain.ParseDate(field, s)
		if err != nil {
			faults = append(faults, err)
		}
		return d
	}
	f := permit.Form{GivenNames: t("givenNames"), FamilyName: t("familyName"), BirthDate: date("birthDate"),
		ClientID: domain.ClientID(t("clientID")), Email: t("email"), PassportNumber: t("passportNumber"),
		PassportCountry: t("passportCountry"), PassportExpiry: date("passportExpiry"), Street: t("street"), City: t("city"),
		Province: pv.province.Selected, PostalCode: t("postalCode"), Phone: t("phone"), Program: t("program"),
		StudyStart: date("studyStart"), StudyEnd: date("studyEnd"), Consent: pv.consent.Checked, Declaration: pv.declare.Checked}
	return f, faults
}

// showFaults shows every fault under its field, in the current language;
// one that names no field of the form shows above the button.
func (pv *permitView) showFaults() {
	for _, l := range pv.errs {
		l.SetText("")
		l.Hide()
	}
	pv.general.SetText("")
	pv.general.Hide()
	var general []string
	for _, err := range pv.faults {
		field := ""
		if de, ok := err.(*domain.Error); ok {
			field = de.Field
		}
		if l, ok := pv.errs[field]; ok && l.Text == "" {
			l.SetText(pv.e.Tr().Error(err))
			l.Show()
			continue
		}
		general = append(general, pv.e.Tr().Error(err))
	}
	// A line naming the fields to correct, in the form's order, as
	// every form with several mistakes says.
	var named []string
	for _, field := range pv.order {
		if l := pv.errs[field]; l != nil && l.Visible() {
			if n := pv.e.T(pv.labels[field]); !slices.Contains(named, n) {
				named = append(named, n)
			}
		}
	}
	if len(pv.faults) > 1 && len(named) > 0 {
		general = append(general, pv.e.T("form.errors.fields", strings.Join(named, ", ")))
	}
	if len(general) > 0 {
		pv.general.SetText(strings.Join(general, "\n"))
		pv.general.Show()
	}
}

// submit checks the whole form (every fault at once), then pays and
// sends it. With a server, the desk queues the application with the card
// in memory and syncs: the server takes the fee. A profile with no server
// takes it through its own processor (the sandbox).
func (pv *permitView) submit(feeCents int64) {
	e := pv.e
	e.Touch()
	f, faults := pv.read()
	_, checked := permit.Check(f, domain.DateOf(e.Now()))
	for _, c := range checked {
		if !hasField(faults, c.Field) {
			faults = append(faults, c)
		}
	}
	if len(faults) > 0 {
		pv.faults = faults
		pv.showFaults()
		return
	}
	card, link, id := pv.card.card(), e.Sync, pv.v.ID
	pv.pay.Disable()
	var err error
	var fs []*domain.Error
	e.Async(func() {
		if link == nil {
			var receipt oinp.Receipt
			key := "OCWP-" + string(pv.v.EVN) + "-" + e.Now().UTC().Format("20060102150405")
			if receipt, err = e.Payments.Charge(key, oinp.FileNumber("OCWP-"+string(pv.v.EVN)), feeCents, card, e.Now()); err == nil {
				_, fs, err = e.Store.SubmitPermitPaid(e.Actor(), id, f, receipt)
			}
			return
		}
		if _, fs, err = e.Store.SubmitPermit(e.Actor(), id, f, card, feeCents); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), payWait)
			defer cancel()
			_ = link.Sync(ctx) // offline: the application waits, not yet paid
		}
	}, func() {
		pv.pay.Enable()
		if err != nil {
			pv.faults = []error{err}
			if len(fs) > 0 {
				pv.faults = nil
				for _, f := range fs {
					pv.faults = append(pv.faults, f)
				}
			}
			pv.showFaults()
			return
		}
		pv.card.clearCard()
		pv.drafts.Saved()
		e.lastNotice = e.T("permit.sent")
		e.Show(ScreenPermit)
	})
}

func hasField(errs []error, field string) bool {
	for _, err := range errs {
		if de, ok := err.(*domain.Error); ok && de.Field == field {
			return true
		}
	}
	return false
}

// refusal is the server's refusal of this desk's last submission, not yet
// read, nil when there is none.
func (pv *permitView) refusal() error {
	rs, err := pv.e.Store.Rejections(pv.e.Actor())
	if err != nil {
		return nil
	}
	for _, r := range rs { // newest first
		if r.Kind == requests.KindSubmitPermit && r.Entity == pv.v.ID {
			if r.Seen || r.Error == nil {
				return nil
			}
			return r.Error.Err()
		}
	}
	return nil
}

// statusPanel is an application sent: its status, the receipt, the
// decision, and what the student may do.
func (pv *permitView) statusPanel() fyne.CanvasObject {
	e, a := pv.e, pv.app
	box := container.NewVBox()
	st := wrapped("")
	st.TextStyle = fyne.TextStyle{Bold: true}
	pv.status = st
	e.OnRelabel(func() {
		st.SetText(e.T("permit.status.line", e.T(a.Status.MessageKey()), string(a.EVN), a.Submitted))
	})
	box.Add(st)
	switch {
	case a.Status == permit.Pending && e.Store.HoldsPermitCard(a.ID):
		box.Add(pv.text("permit.pending.held"))
	case a.Status == permit.Pending:
		box.Add(pv.text("permit.pending.card"))
	}
	if r := a.Receipt; r != nil {
		key := "oinp.status.receipt"
		if r.Sandbox {
			key = "oinp.status.receipt.sandbox"
		}
		box.Add(pv.text(key, domain.Money(r.AmountCents), strings.ToUpper(r.Brand), r.Last4, r.Reference))
	}
	switch a.Status {
	case permit.Approved:
		box.Add(pv.text("permit.decision.approved", a.Decided, a.OfficerName))
	case permit.Refused:
		box.Add(pv.text("permit.decision.refused", a.Decided, a.Reason))
	case permit.InReview:
		box.Add(pv.text("permit.in-review"))
	}
	buttons := container.NewHBox()
	if a.Status == permit.Submitted || a.Status == permit.InReview {
		pv.withdraw = widget.NewButton("", func() {
			confirmDialog(e, e.T("permit.withdraw"), e.T("permit.withdraw.confirm"), func() {
				e.Touch()
				if _, err := e.Store.WithdrawPermit(e.Actor(), a.ID); err != nil {
					noticeDialog(e, e.T("permit.withdraw"), e.Tr().Error(err))
					return
				}
				if e.Sync != nil {
					e.Sync.Nudge()
				}
				e.Show(ScreenPermit)
			})
		})
		e.OnRelabel(func() { pv.withdraw.SetText(e.T("permit.withdraw")) })
		buttons.Add(pv.withdraw)
	}
	if !a.Status.Live() {
		pv.again = widget.NewButton("", func() { e.Show(screenPermitAgain) })
		e.OnRelabel(func() { pv.again.SetText(e.T("permit.again")) })
		buttons.Add(pv.again)
	}
	box.Add(buttons)
	if a.Status != permit.Pending {
		pv.prints = map[report.Kind]*widget.Button{}
		box.Add(permitPrintButtons(e, a, pv.prints, false))
	}
	return box
}

// permitForm is the work permit form's name among the person's drafts.
const permitForm = "permit"

// moveOldDraft turns a draft kept by an earlier version of this screen
// (one JSON object of its own shape under the same name) into the
// shell's, so that what was typed before the update comes back too.
func (pv *permitView) moveOldDraft() {
	by := pv.e.Actor()
	b := pv.e.peekDraft(by, permitForm)
	var old permitDraft
	if b == nil || json.Unmarshal(b, &old) != nil || old.Fields == nil {
		return
	}
	m := map[string]string{"province": strconv.Itoa(old.Province),
		"consent": strconv.FormatBool(old.Consent), "declare": strconv.FormatBool(old.Declare)}
	for field, v := range old.Fields {
		m[field] = v
	}
	if nb, err := json.Marshal(m); err == nil {
		_ = pv.e.saveDraft(by, permitForm, nb)
	}
}

// permitMessages is what the student's message box says of their work
// permit applications: the decision, and the reason of a refusal.
func permitMessages(e *Env) []string {
	apps, _ := e.Store.Permits(e.Actor())
	var out []string
	for _, a := range apps {
		switch a.Status {
		case permit.Approved:
			out = append(out, e.T("permit.msg.approved", string(a.EVN), a.Decided))
		case permit.Refused:
			out = append(out, e.T("permit.msg.refused", string(a.EVN), a.Decided, a.Reason))
		}
	}
	return out
}

// permitPrintButtons is a Print / Save as PDF button for the application
// and, once paid, its receipt, each read again from the store as it
// prints, in the reader's language. A panel built again on each change
// of language (the officer's) words them itself (rebuilt).
func permitPrintButtons(e *Env, a *permit.Application, buttons map[report.Kind]*widget.Button, rebuilt bool) fyne.CanvasObject {
	box := container.NewVBox()
	kinds := []report.Kind{report.KindPermitApplication}
	if a.Receipt != nil {
		kinds = append(kinds, report.KindPermitReceipt)
	}
	id, school := a.ID, a.School
	for _, kind := range kinds {
		b := widget.NewButton("", func() {
			printNow(e, func() (report.Document, *translations.Translator, error) {
				app, err := e.Store.Permit(e.Actor(), id)
				if err != nil {
					return nil, nil, err
				}
				name := ""
				if in, err := e.Store.Institution(school); err == nil {
					name = in.Name
				}
				doc, err := report.PermitDocument(kind, app, name)
				return doc, e.Tr(), err
			})
		})
		label := func() { b.SetText(e.T("oinp.print.document", e.T(report.TitleKey(kind)))) }
		if rebuilt {
			label()
		} else {
			e.OnRelabel(label)
		}
		buttons[kind] = b
		box.Add(container.NewHBox(b))
	}
	return box
}

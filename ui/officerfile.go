package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store/applications"
)

// ScreenOfficerFile is one submitted file as a program officer works it:
// its status and the actions the rules allow, its history, its
// eligibility report and the application read-only.
func ScreenOfficerFile(applicant domain.ID) Screen {
	return Screen{ID: "officer-file/" + applicant.String(), Title: "officer.file.title", Help: "help.officer.file",
		View: func(e *Env) fyne.CanvasObject { return newOfficerFileView(e, applicant).content }}
}

// officerFileView holds the file screen's widgets, for tests.
type officerFileView struct {
	// drafts keep the action forms as typed.
	drafts    *DraftForm
	e         *Env
	applicant domain.ID
	rec       applications.ApplicationRecord
	report    oinp.EligibilityReport
	content   fyne.CanvasObject
	tabs      *container.AppTabs

	// back returns to the queue; the action buttons open their form
	// (approve asks to confirm).
	back                                                     *widget.Button
	ask, approve, refuse, recordReview, decideReview, extend *widget.Button
	// start records that processing started; returnIncomplete opens
	// the form returning the file as incomplete (§5.3).
	start, returnIncomplete, incompleteSend                         *widget.Button
	incomplete                                                      *labelled
	incompleteReasons                                               *Entry
	canStart                                                        bool
	actionForms                                                     *fyne.Container
	info, refusal, review, decision, extension                      *labelled
	infoText, infoDue, reasons, received, reviewReason              *Entry
	reviewReasons, newExpiry, explanation                           *Entry
	outcome                                                         *widget.RadioGroup
	infoSend, refuseSend, reviewSend, decideSend, extendSend        *widget.Button
	sameDecider                                                     *widget.Label
	prints                                                          map[string]*widget.Button
	appTab                                                          *widget.Select
	appBox                                                          *fyne.Container
	history                                                         *fyne.Container
	status                                                          *widget.Label
	readable                                                        []oinp.Tab
	shownForm                                                       *labelled
	lastError                                                       error
	auditBtn                                                        *widget.Button
	attachments                                                     map[domain.ID]*attachmentRow
	decidedByMe, canAsk, canDecide, canRecord, canReview, canExtend bool
}

func newOfficerFileView(e *Env, applicant domain.ID) *officerFileView {
	v := &officerFileView{e: e, applicant: applicant, prints: map[string]*widget.Button{}, attachments: map[domain.ID]*attachmentRow{}}
	e.view = v
	e.refresh = func() { e.Show(ScreenOfficerFile(applicant)) }
	v.back = widget.NewButton("", func() { e.Show(ScreenOfficerFiles) })
	e.OnRelabel(func() { v.back.SetText(e.T("officer.file.back")) })
	rec, rep, err := e.Store.FileEligibility(e.Actor(), applicant)
	if err != nil {
		v.content = container.NewPadded(container.NewVBox(container.NewHBox(v.back), wrapped(e.Tr().Error(err))))
		return v
	}
	v.rec, v.report = rec, rep
	v.rules()
	a := &rec.App
	head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.status = wrapped("")
	e.OnRelabel(func() {
		head.SetText(e.T("officer.file.head", string(a.FileNumber), oinp.PersonName(a, 0)))
		v.status.SetText(e.T("officer.file.status", a.ProcessingStatus(), a.Submitted))
	})
	v.auditBtn = widget.NewButton("", func() { showAuditHistory(e, applicant) })
	e.OnRelabel(func() { v.auditBtn.SetText(e.T("officer.audit")) })
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(v.auditBtn, v.back), head), v.status)

	work := container.NewVBox()
	v.actions(work)
	work.Add(widget.NewSeparator())
	work.Add(heading(e, "officer.file.history"))
	v.history = container.NewVBox()
	fileHistory(e, a, v.history, true)
	work.Add(v.history)
	work.Add(widget.NewSeparator())
	work.Add(heading(e, "officer.file.attachments"))
	work.Add(attachmentsBox(e, applicant, a, v.attachments))
	work.Add(widget.NewSeparator())
	work.Add(heading(e, "officer.file.documents"))
	work.Add(documentButtons(e, applicant, a, v.prints))

	v.tabs = container.NewAppTabs(
		container.NewTabItem("", container.NewVScroll(container.NewPadded(work))),
		container.NewTabItem("", container.NewVScroll(container.NewPadded(eligibilityBox(e, a, rep)))),
		container.NewTabItem("", v.applicationBox()))
	e.OnRelabel(func() {
		for i, key := range []string{"officer.file.tab.work", "officer.file.tab.eligibility", "officer.file.tab.application"} {
			v.tabs.Items[i].Text = e.T(key)
		}
		v.tabs.Refresh()
	})
	v.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, v.tabs)
	return v
}

// rules works out which actions the file allows today, as the domain
// would (the store refuses anyway, and its error is shown).
func (v *officerFileView) rules() {
	a := &v.rec.App
	open := !a.Submitted.IsZero() && a.Withdrawn.IsZero()
	v.canAsk = open && a.Decision == nil && a.Incomplete == nil
	v.canDecide = v.canAsk
	_, started := a.ProcessingStartedOn()
	v.canStart = v.canAsk && !started
	v.canRecord = open && a.Decision != nil && a.Decision.Outcome == oinp.OutcomeRefused && a.Review == nil
	v.canReview = open && a.Review != nil && a.Review.Decided.IsZero()
	v.decidedByMe = a.Decision != nil && a.Decision.Officer == v.e.Actor().Account
	// §6.1: an extension is asked "if it is no longer valid": an expired
	// certificate is extended too.
	v.canExtend = open && a.Nomination != nil
}

// actions are the buttons the rules allow and, under them, the form of
// the one chosen.
func (v *officerFileView) actions(box *fyne.Container) {
	e := v.e
	box.Add(heading(e, "officer.file.actions"))
	v.actionForms = container.NewVBox()
	v.info = newLabelled(e)
	v.infoText = newMultiLineEntry()
	v.infoText.SetMinRowsVisible(3)
	v.infoDue = newEntry()
	v.info.add("officer.info.text", "text", v.infoText)
	v.info.add("officer.info.due", "due", v.infoDue)
	v.infoSend = widget.NewButton("", v.requestInformation)
	v.info.box.Add(v.info.general)
	v.info.box.Add(container.NewHBox(v.infoSend))

	v.refusal = newLabelled(e)
	v.reasons = newMultiLineEntry()
	v.reasons.SetMinRowsVisible(3)
	v.refusal.add("officer.refuse.reasons", "reasons", v.reasons)
	v.refuseSend = widget.NewButton("", v.refuseNow)
	v.refuseSend.Importance = widget.DangerImportance
	v.refusal.box.Add(v.refusal.general)
	v.refusal.box.Add(container.NewHBox(v.refuseSend))

	v.review = newLabelled(e)
	v.received, v.reviewReason = newEntry(), newMultiLineEntry()
	v.review.addText("officer.review.record.text", v.rec.App.ReviewDeadline())
	v.review.add("officer.review.received", "received", v.received)
	v.review.add("officer.review.reason", "reason", v.reviewReason)
	v.reviewSend = widget.NewButton("", v.recordReviewNow)
	v.review.box.Add(v.review.general)
	v.review.box.Add(container.NewHBox(v.reviewSend))

	v.decision = newLabelled(e)
	v.outcome = widget.NewRadioGroup(nil, nil)
	v.reviewReasons = newMultiLineEntry()
	v.reviewReasons.SetMinRowsVisible(3)
	v.decision.add("officer.review.outcome", "", v.outcome)
	v.decision.add("officer.review.reasons", "reasons", v.reviewReasons)
	v.decideSend = widget.NewButton("", v.decideReviewNow)
	v.decision.box.Add(v.decision.general)
	v.decision.box.Add(container.NewHBox(v.decideSend))

	v.extension = newLabelled(e)
	v.newExpiry, v.explanation = newEntry(), newMultiLineEntry()
	if n := v.rec.App.Nomination; n != nil {
		today := domain.DateOf(e.Now())
		key := "officer.extend.text"
		if n.Expires.Before(today) {
			key = "officer.extend.text.expired" // §6.1: "if it is no longer valid"
		}
		v.extension.addText(key, n.Expires, n.ExtensionExpiry(domain.Date{}, today))
	}
	v.extension.add("officer.extend.expiry", "expiry", v.newExpiry)
	v.extension.add("officer.extend.explanation", "explanation", v.explanation)
	v.extendSend = widget.NewButton("", v.extendNow)
	v.extension.box.Add(v.extension.general)
	v.extension.box.Add(container.NewHBox(v.extendSend))

	v.incomplete = newLabelled(e)
	v.incompleteReasons = newMultiLineEntry()
	v.incompleteReasons.SetMinRowsVisible(3)
	v.incomplete.addText("officer.incomplete.text")
	v.incomplete.add("officer.incomplete.reasons", "reasons", v.incompleteReasons)
	v.incompleteSend = widget.NewButton("", v.returnIncompleteNow)
	v.incompleteSend.Importance = widget.DangerImportance
	v.incomplete.box.Add(v.incomplete.general)
	v.incomplete.box.Add(container.NewHBox(v.incompleteSend))

	show := func(l *labelled) func() {
		return func() {
			e.Touch()
			v.actionForms.Objects = []fyne.CanvasObject{widget.NewSeparator(), l.box}
			v.shownForm = l
			v.actionForms.Refresh()
		}
	}
	v.ask = widget.NewButton("", show(v.info))
	v.approve = widget.NewButton("", v.approveNow)
	v.approve.Importance = widget.HighImportance
	v.refuse = widget.NewButton("", show(v.refusal))
	v.recordReview = widget.NewButton("", show(v.review))
	v.decideReview = widget.NewButton("", show(v.decision))
	v.extend = widget.NewButton("", show(v.extension))
	v.start = widget.NewButton("", v.startProcessingNow)
	v.returnIncomplete = widget.NewButton("", show(v.incomplete))
	for _, x := range []struct {
		b  *widget.Button
		ok bool
	}{{v.ask, v.canAsk}, {v.approve, v.canDecide}, {v.refuse, v.canDecide}, {v.recordReview, v.canRecord},
		{v.decideReview, v.canReview && !v.decidedByMe}, {v.extend, v.canExtend}, {v.start, v.canStart},
		{v.returnIncomplete, v.canStart}} {
		if !x.ok {
			x.b.Disable()
		}
	}
	v.sameDecider = wrapped("")
	v.sameDecider.Importance = widget.WarningImportance
	if !v.canReview || !v.decidedByMe {
		v.sameDecider.Hide()
	}
	none := wrapped("")
	if v.canAsk || v.canRecord || v.canReview || v.canExtend {
		none.Hide()
	}
	e.OnRelabel(func() {
		v.ask.SetText(e.T("officer.action.ask"))
		v.approve.SetText(e.T("officer.action.approve"))
		v.refuse.SetText(e.T("officer.action.refuse"))
		v.recordReview.SetText(e.T("officer.action.record-review"))
		v.decideReview.SetText(e.T("officer.action.decide-review"))
		v.extend.SetText(e.T("officer.action.extend"))
		v.start.SetText(e.T("officer.action.start"))
		v.returnIncomplete.SetText(e.T("officer.action.incomplete"))
		v.incompleteSend.SetText(e.T("officer.incomplete.send"))
		v.infoSend.SetText(e.T("officer.info.send"))
		v.refuseSend.SetText(e.T("officer.refuse.send"))
		v.reviewSend.SetText(e.T("officer.review.record.send"))
		v.decideSend.SetText(e.T("officer.review.decide.send"))
		v.extendSend.SetText(e.T("officer.extend.send"))
		v.infoDue.SetPlaceHolder(e.T("format.date.placeholder"))
		v.received.SetPlaceHolder(e.T("format.date.placeholder"))
		v.newExpiry.SetPlaceHolder(e.T("officer.extend.expiry.placeholder"))
		v.sameDecider.SetText(e.T("officer.review.same-decider"))
		none.SetText(e.T("officer.file.no-action", v.rec.App.ProcessingStatus()))
		cb := v.outcome.OnChanged
		i := radioIndex(v.outcome)
		v.outcome.Options = []string{e.T("officer.review.uphold"), e.T("officer.review.overturn")}
		v.outcome.Selected = ""
		if i >= 0 {
			v.outcome.Selected = v.outcome.Options[i]
		}
		v.outcome.OnChanged = cb
		v.outcome.Refresh()
	})
	v.drafts = e.Draft("officer.file", v.applicant.String())
	for _, f := range []struct {
		l  *labelled
		ws []fyne.CanvasObject
	}{{v.info, []fyne.CanvasObject{v.infoText, v.infoDue}}, {v.refusal, []fyne.CanvasObject{v.reasons}},
		{v.review, []fyne.CanvasObject{v.received, v.reviewReason}}, {v.decision, []fyne.CanvasObject{v.outcome, v.reviewReasons}},
		{v.extension, []fyne.CanvasObject{v.newExpiry, v.explanation}}, {v.incomplete, []fyne.CanvasObject{v.incompleteReasons}}} {
		v.drafts.Fields(f.ws...)
		if v.drafts.Restored(f.ws...) {
			show(f.l)() // a kept draft shows its form again
		}
	}
	box.Add(container.NewGridWithColumns(3, v.ask, v.approve, v.refuse, v.recordReview, v.decideReview, v.extend,
		v.start, v.returnIncomplete))
	box.Add(v.sameDecider)
	box.Add(none)
	box.Add(v.actionForms)
}

// acted shows the file again after an action, or the store's refusal in
// the form (under the field it names), keeping what was typed.
func (v *officerFileView) acted(form *labelled, err error) {
	v.lastError = err
	if err != nil {
		if form == nil {
			noticeDialog(v.e, v.e.T("officer.file.title"), v.e.Tr().Error(err))
			return
		}
		form.setFault(err)
		return
	}
	v.drafts.Saved()
	v.e.Show(ScreenOfficerFile(v.applicant))
}

// Each form shows every fault of its fields at once, from the rule's own
// check (the server runs the action, which refuses the first); a date
// that does not read stands in for the rule's fault on that field.

func (v *officerFileView) requestInformation() {
	e := v.e
	e.Touch()
	due, dueErr := domain.ParseDate("due", strings.TrimSpace(v.infoDue.Text))
	errs := asTyped(oinp.InfoRequestErrors(oinp.InfoRequest{Text: v.infoText.Text, Due: due}, domain.DateOf(e.Now())), "due", dueErr)
	if len(errs) > 0 {
		v.acted(v.info, errors.Join(errs...))
		return
	}
	_, err := e.Store.RequestInformation(e.Actor(), v.applicant, v.infoText.Text, due)
	v.acted(v.info, err)
}

// asTyped puts parseErr, when a field's text does not read as a date, in
// place of the rule's faults on that field (which judged no date at all).
func asTyped(errs []error, field string, parseErr error) []error {
	if parseErr == nil {
		return errs
	}
	out := []error{parseErr}
	for _, err := range errs {
		if f, ok := err.(*domain.Error); !ok || f.Field != field {
			out = append(out, err)
		}
	}
	return out
}

func (v *officerFileView) approveNow() {
	e := v.e
	confirmDialog(e, e.T("officer.action.approve"), e.T("officer.approve.confirm", string(v.rec.App.FileNumber)), func() {
		e.Touch()
		_, err := e.Store.DecideApplication(e.Actor(), v.applicant, true, nil)
		v.acted(nil, err)
	})
}

func (v *officerFileView) startProcessingNow() {
	e := v.e
	confirmDialog(e, e.T("officer.action.start"), e.T("officer.start.confirm", string(v.rec.App.FileNumber)), func() {
		e.Touch()
		_, err := e.Store.StartProcessing(e.Actor(), v.applicant)
		v.acted(nil, err)
	})
}

func (v *officerFileView) returnIncompleteNow() {
	e := v.e
	e.Touch()
	_, err := e.Store.ReturnIncomplete(e.Actor(), v.applicant, splitLines(v.incompleteReasons.Text))
	v.acted(v.incomplete, err)
}

func (v *officerFileView) refuseNow() {
	e := v.e
	e.Touch()
	_, err := e.Store.DecideApplication(e.Actor(), v.applicant, false, splitLines(v.reasons.Text))
	v.acted(v.refusal, err)
}

func (v *officerFileView) recordReviewNow() {
	e := v.e
	e.Touch()
	received, dateErr := domain.ParseDate("received", strings.TrimSpace(v.received.Text))
	errs := asTyped(v.rec.App.ReviewErrors(received, v.reviewReason.Text, domain.DateOf(e.Now())), "received", dateErr)
	if len(errs) > 0 {
		v.acted(v.review, errors.Join(errs...))
		return
	}
	_, err := e.Store.RecordReviewRequest(e.Actor(), v.applicant, received, v.reviewReason.Text)
	v.acted(v.review, err)
}

func (v *officerFileView) decideReviewNow() {
	e := v.e
	e.Touch()
	i := radioIndex(v.outcome)
	if i < 0 {
		v.acted(v.decision, fieldFault{field: "", key: "officer.review.outcome.missing"})
		return
	}
	_, err := e.Store.DecideReview(e.Actor(), v.applicant, i == 1, splitLines(v.reviewReasons.Text))
	v.acted(v.decision, err)
}

func (v *officerFileView) extendNow() {
	e := v.e
	e.Touch()
	expiry, dateErr := optionalDate("expiry", v.newExpiry.Text)
	errs := asTyped(v.rec.App.ExtensionErrors(expiry, v.explanation.Text, domain.DateOf(e.Now())), "expiry", dateErr)
	if len(errs) > 0 {
		v.acted(v.extension, errors.Join(errs...))
		return
	}
	_, err := e.Store.ExtendNomination(e.Actor(), v.applicant, expiry, v.explanation.Text)
	v.acted(v.extension, err)
}

// readableTabs are the application's tabs that hold what the applicant
// entered, shown read-only to the officer (the others act).
var readableTabs = []oinp.Tab{oinp.TabAssistance, oinp.TabApplicant, oinp.TabContact, oinp.TabImmigration,
	oinp.TabEducation, oinp.TabLanguage, oinp.TabWork, oinp.TabActivities, oinp.TabIntent, oinp.TabFamily,
	oinp.TabFunds, oinp.TabLearning, oinp.TabEmployerHistory, oinp.TabEmployerBusiness, oinp.TabEmployerOffer}

// applicationBox is the application read-only, a tab at a time, with the
// applicant's own tab builders and every input disabled.
func (v *officerFileView) applicationBox() fyne.CanvasObject {
	e := v.e
	v.readable = readableTabs
	v.appBox = container.NewVBox()
	v.appTab = widget.NewSelect(nil, func(string) { v.showTab(v.appTab.SelectedIndex()) })
	e.notKept(v.appTab) // which tab is read, not something typed
	choosePlaceholder(e, v.appTab)
	e.OnRelabel(func() {
		opts := make([]string, len(v.readable))
		for i, t := range v.readable {
			opts[i] = e.T(t.MessageKey())
		}
		keepChoice(v.appTab, opts)
	})
	return container.NewBorder(container.NewPadded(container.NewVBox(heading(e, "officer.file.application.text"), v.appTab)),
		nil, nil, nil, container.NewVScroll(container.NewPadded(v.appBox)))
}

// showTab shows tab i of the application, read-only.
func (v *officerFileView) showTab(i int) {
	if i < 0 || i >= len(v.readable) {
		return
	}
	v.appBox.Objects = []fyne.CanvasObject{readOnlyTab(v.e, v.rec, v.readable[i])}
	v.appBox.Refresh()
}

// readOnlyTab builds one tab of a file as its applicant sees it, every
// input disabled, on a session of its own (never the Env's, nothing is
// saved).
func readOnlyTab(e *Env, rec applications.ApplicationRecord, tab oinp.Tab) fyne.CanvasObject {
	s := &appSession{rec: rec, app: rec.App, raw: map[string]rawField{}, tab: tab}
	v := &appView{e: e, s: s, tab: tab, tabs: map[oinp.Tab]*tabLink{}, status: widget.NewLabel("")}
	v.form = newAppForm(e, s)
	buildTab(v)
	disableAll(v.form.box)
	return v.form.box
}

// eligibilityBox is the file's eligibility report: the verdict, each
// rule with its guide section, met or not or not yet known, and why; and
// the fee as the work location sets it.
func eligibilityBox(e *Env, a *oinp.Application, rep oinp.EligibilityReport) fyne.CanvasObject {
	box := container.NewVBox(heading(e, "oinp.summary.rules"))
	on := a.CheckDate(domain.DateOf(e.Now()))
	box.Add(verdictLabel(e, rep, on))
	for _, r := range rep.Results {
		r := r
		l := wrapped("")
		if r.Outcome != oinp.Pass {
			l.Importance = outcomeImportance(r.Outcome)
		}
		e.OnRelabel(func() {
			l.SetText(e.T("oinp.summary.rule", e.T(r.Outcome.MarkKey()), r.Section, e.T(r.Title()), e.T(r.Key, r.Args...)))
		})
		box.Add(l)
	}
	fee := wrapped("")
	e.OnRelabel(func() {
		key, args := feeNote(a, rep)
		fee.SetText(e.T(key, args...))
	})
	box.Add(widget.NewSeparator())
	box.Add(fee)
	return box
}

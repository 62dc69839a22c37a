package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/report"
	"dossier/translations"
)

// decisionView is the applicant's side of the program's work on their
// submitted file, for tests: the status in words, an answer box for each
// open request for information, and the documents to print.
type decisionView struct {
	status  *widget.Label
	answers map[domain.ID]*Entry
	send    map[domain.ID]*widget.Button
	forms   map[domain.ID]*labelled
	prints  map[string]*widget.Button
	// lines are the panel's sentences (history, nomination), for tests.
	lines *fyne.Container
}

// decisionPanel adds to a submitted file's Processing Fee tab where the
// file stands with the program: the status in words, the requests for
// information (open ones with an Answer box), the decision and its
// reasons, the internal review and its deadline, the nomination with its
// certificate and expiry, and the documents the file's state allows.
func decisionPanel(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	d := &decisionView{answers: map[domain.ID]*Entry{}, send: map[domain.ID]*widget.Button{},
		forms: map[domain.ID]*labelled{}, prints: map[string]*widget.Button{}, lines: container.NewVBox()}
	v.decision = d
	f.box.Add(widget.NewSeparator())
	f.heading("oinp.decision.title")
	d.status = wrapped("")
	d.status.TextStyle = fyne.TextStyle{Bold: true}
	e.OnRelabel(func() { d.status.SetText(e.T("oinp.decision.status", a.ProcessingStatus())) })
	f.box.Add(d.status)
	f.note(statusNoteKey(a), statusNoteArgs(a)...)
	if a.Withdrawn.IsZero() {
		for _, r := range a.OpenRequests() {
			d.openRequest(v, r)
		}
	}
	fileHistory(e, a, d.lines, false)
	f.box.Add(d.lines)
	if a.Decision != nil && a.Decision.Outcome == oinp.OutcomeRefused && a.Review == nil {
		l := wrapped("")
		l.Importance = widget.WarningImportance
		e.OnRelabel(func() { l.SetText(e.T("oinp.status.review", a.ReviewDeadline())) })
		f.box.Add(l)
	}
	f.heading("oinp.decision.documents")
	f.box.Add(documentButtons(e, v.s.rec.Applicant, a, d.prints))
	// News from the server shows at once, unless an answer is being typed.
	e.refresh = func() {
		for _, w := range d.answers {
			if w.Text != "" {
				return
			}
		}
		if v.fee != nil && v.fee.notice != nil && v.fee.notice.Text != "" {
			return
		}
		v.s.reload(e)
		e.Show(ScreenApplication(oinp.TabFee))
	}
}

// statusNoteKey is the sentence that says what the status means for the
// applicant, and statusNoteArgs its arguments.
func statusNoteKey(a *oinp.Application) string {
	return "oinp.decision.note." + string(a.ProcessingStatus())
}

func statusNoteArgs(a *oinp.Application) []any {
	switch a.ProcessingStatus() {
	case oinp.StatusInformation:
		return []any{len(a.OpenRequests())}
	case oinp.StatusNominated:
		return []any{a.Nomination.Expires}
	case oinp.StatusRefused:
		return []any{a.Decision.Notified}
	case oinp.StatusReview:
		return []any{a.Review.Received}
	case oinp.StatusReviewed:
		return []any{a.Review.Decided}
	case oinp.StatusWithdrawn:
		return []any{a.Withdrawn}
	case oinp.StatusIncomplete:
		return []any{a.Incomplete.Found}
	}
	return []any{a.Submitted}
}

// openRequest is a request for information not yet answered: what the
// program asks, by when, and the Answer box (the applicant's, or their
// active representative's).
func (d *decisionView) openRequest(v *appView, r oinp.InfoRequest) {
	e, f := v.e, v.form
	ask := wrapped("")
	ask.Importance = widget.WarningImportance
	e.OnRelabel(func() { ask.SetText(e.T("oinp.decision.request", r.Asked, r.Due, r.Text)) })
	f.box.Add(ask)
	form := newLabelled(e)
	answer := newMultiLineEntry()
	answer.SetMinRowsVisible(3)
	form.add("oinp.decision.answer", "answer", answer)
	answerDraft := e.Draft("oinp.answer", r.ID.String())
	answerDraft.Entry("answer", answer)
	send := widget.NewButton("", func() {
		e.Touch()
		var err error
		if e.rep() {
			_, err = e.Store.AnswerInformationFor(e.Actor(), v.s.rec.Applicant, r.ID, answer.Text)
		} else {
			_, err = e.Store.AnswerInformation(e.Actor(), r.ID, answer.Text)
		}
		if err != nil {
			form.setFault(err)
			return
		}
		answerDraft.Saved()
		v.s.reload(e)
		e.Show(ScreenApplication(oinp.TabFee))
	})
	send.Importance = widget.HighImportance
	e.OnRelabel(func() { send.SetText(e.T("oinp.decision.answer.send")) })
	form.box.Add(form.general)
	form.box.Add(container.NewHBox(send))
	d.answers[r.ID], d.send[r.ID], d.forms[r.ID] = answer, send, form
	f.box.Add(form.box)
}

// fileHistory adds the file's steps with the program to box, in the
// order they came: requests for information and their answers (open ones
// only for the officer: the applicant answers them above), the decision
// and its reasons, the internal review, the nomination and its
// extensions.
func fileHistory(e *Env, a *oinp.Application, box *fyne.Container, officer bool) {
	line := func(key string, args ...any) *widget.Label {
		l := wrapped("")
		e.OnRelabel(func() { l.SetText(e.T(key, args...)) })
		box.Add(l)
		return l
	}
	n := len(box.Objects)
	for _, r := range a.InfoRequests {
		switch {
		case !r.Open():
			line("oinp.history.info", r.Asked, r.Due, r.Text)
			line("oinp.history.answered", r.Answered, r.Answer)
		case officer:
			line("oinp.history.info", r.Asked, r.Due, r.Text)
			line("oinp.history.unanswered").Importance = widget.WarningImportance
		}
	}
	if d := a.Decision; d != nil {
		if d.Outcome == oinp.OutcomeApproved {
			line("oinp.history.approved", d.Notified)
		} else {
			line("oinp.history.refused", d.Notified)
			for _, r := range d.Reasons {
				line("oinp.history.reason", r)
			}
		}
	}
	if r := a.Review; r != nil {
		line("oinp.history.review", r.Received, r.Reason)
		switch r.Outcome {
		case oinp.ReviewUpheld:
			line("oinp.history.upheld", r.Decided)
			for _, x := range r.Reasons {
				line("oinp.history.reason", x)
			}
		case oinp.ReviewOverturned:
			line("oinp.history.overturned", r.Decided)
		default:
			line("oinp.history.review.waiting")
		}
	}
	if nom := a.Nomination; nom != nil {
		l := line("oinp.history.nomination", nom.Certificate, nom.Nominated, nom.Expires)
		l.TextStyle = fyne.TextStyle{Bold: true}
		for _, x := range nom.Extensions {
			line("oinp.history.extension", x.Granted, x.NewExpiry, x.Explanation)
		}
	}
	if len(box.Objects) == n && officer {
		line("oinp.history.none")
	}
}

// printKinds are the documents a file's state allows, in the order they
// are shown: the summary always, the fee receipt once paid, the letters
// and the certificate once nominated, the refusal letter while refused.
func printKinds(a *oinp.Application) []report.Kind {
	kinds := []report.Kind{report.KindApplicationSummary}
	if a.Payment != nil {
		kinds = append(kinds, report.KindFeeReceipt)
	}
	switch {
	case a.Nomination != nil:
		kinds = append(kinds, report.KindNominationLetter, report.KindWorkPermitLetter, report.KindCertificate)
	case a.Decision != nil && a.Decision.Outcome == oinp.OutcomeRefused:
		kinds = append(kinds, report.KindRefusalLetter)
	}
	return kinds
}

// documentButtons is a Print / Save as PDF button for each document the
// file's state allows, each read again from the store as it prints. The
// summary prints in the reader's language; letters, the certificate and
// the receipt in the applicant's language of correspondence.
func documentButtons(e *Env, applicant domain.ID, a *oinp.Application, buttons map[string]*widget.Button) fyne.CanvasObject {
	box := container.NewGridWrap(fyne.NewSize(360, 36))
	for _, kind := range printKinds(a) {
		kind := kind
		b := widget.NewButton("", func() {
			printNow(e, func() (report.Document, *translations.Translator, error) {
				rec, err := report.FileOf(e.Store, e.Actor(), applicant)
				if err != nil {
					return nil, nil, err
				}
				tr := e.Tr()
				if kind != report.KindApplicationSummary {
					tr = translations.New(report.LanguageOf(&rec.App))
				}
				doc, err := report.ApplicationDocument(kind, rec, tr, domain.DateOf(e.Now()))
				return doc, tr, err
			})
		})
		b.Alignment = widget.ButtonAlignLeading
		b.Icon = nil
		e.OnRelabel(func() { b.SetText(e.T("oinp.print.document", e.T(report.TitleKey(kind)))) })
		buttons[string(kind)] = b
		box.Add(b)
	}
	return box
}

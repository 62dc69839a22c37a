package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store/applications"
)

// feeView holds the Processing Fee tab's card form, for tests.
type feeView struct {
	number, name, expiry, cvc *Entry
	pay, hold                 *widget.Button
	notice                    *Entry
	withdraw, send            *widget.Button
}

// feeTab is the Processing Fee tab: before submission, what stands in the
// way, the fee and the card form (the sandbox said plainly), with the
// server's refusal of the last payment under its field; submitted on
// this desk and not yet paid, what waits for the server; after, the
// file's status, the receipt, change notices and withdrawal.
func feeTab(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	v.fee = &feeView{}
	switch {
	case a.AwaitingPayment():
		queuedPanel(v)
		return
	case !a.Submitted.IsZero():
		submittedPanel(v)
		return
	}
	today := domain.DateOf(e.Now())
	rep := oinp.Evaluate(a, today, assets.OINPTables())
	f.note(feeNote(a, rep))
	blocked := false
	switch problems := v.s.problems(e); {
	case a.FileNumber == "":
		f.note("oinp.fee.register")
		blocked = true
	case a.Deadline().Before(today):
		f.note("oinp.fee.expired", a.Deadline())
		blocked = true
	case len(problems) > 0:
		f.note("oinp.fee.errors", len(problems))
		blocked = true
	}
	if !blocked && !rep.Eligible() {
		warn := wrapped("")
		warn.Importance = widget.WarningImportance
		e.OnRelabel(func() { warn.SetText(e.T("oinp.fee.not-eligible", rep.Count(oinp.Fail)+rep.Count(oinp.Unknown))) })
		f.box.Add(warn)
	}
	sandboxNote(v)
	cardForm(v)
	fv := v.fee
	fv.pay = widget.NewButton("", func() {
		confirmDialog(e, e.T("oinp.fee.pay.title"), e.T("oinp.fee.pay.confirm", domain.Money(rep.FeeCents)), func() {
			v.payAndSubmit(rep.FeeCents)
		})
	})
	fv.pay.Importance = widget.HighImportance
	e.OnRelabel(func() { fv.pay.SetText(e.T("oinp.fee.pay", domain.Money(rep.FeeCents))) })
	if blocked || rep.FeeCents == 0 {
		fv.pay.Disable()
	}
	if rep.FeeCents == 0 {
		// The fee is not known until the place of work is (the note
		// above says so): no "Pay $0.00".
		fv.pay.Hide()
	}
	f.box.Add(container.NewHBox(fv.pay))
	if err := v.refusedPayment(); err != nil {
		v.showFault(err)
	}
}

// sandboxNote says, when it is so, that the fee goes through the sandbox.
func sandboxNote(v *appView) {
	e := v.e
	if !e.Payments.IsSandbox() {
		return
	}
	sb := wrapped("")
	sb.Importance = widget.WarningImportance
	sb.TextStyle = fyne.TextStyle{Bold: true}
	e.OnRelabel(func() { sb.SetText(e.T("oinp.fee.sandbox")) })
	v.form.box.Add(sb)
}

// cardForm adds the card's fields. What they hold is never saved: not in
// the file, not in a draft.
func cardForm(v *appView) {
	e, f, fv := v.e, v.form, v.fee
	fv.number, fv.name, fv.expiry, fv.cvc = newEntry(), newEntry(), newEntry(), newPasswordEntry()
	e.OnRelabel(func() { fv.expiry.SetPlaceHolder(e.T("oinp.card.expiry.placeholder")) })
	for path, w := range map[string]*Entry{"card.number": fv.number, "card.name": fv.name, "card.expiry": fv.expiry, "card.cvc": fv.cvc} {
		f.set[path] = w.SetText
	}
	f.field("card.number", fv.number, fv.number)
	f.field("card.name", fv.name, fv.name)
	f.field("card.expiry", fv.expiry, fv.expiry)
	f.field("card.cvc", fv.cvc, fv.cvc)
	e.notKept(fv.number, fv.name, fv.expiry, fv.cvc)
}

// card reads the card form: the expiry as MM/YYYY or MM/YY.
func (fv *feeView) card() oinp.Card {
	card := oinp.Card{Number: fv.number.Text, Name: fv.name.Text, CVC: strings.TrimSpace(fv.cvc.Text)}
	month, year, ok := strings.Cut(strings.TrimSpace(fv.expiry.Text), "/")
	card.ExpMonth, _ = strconv.Atoi(strings.TrimSpace(month))
	card.ExpYear, _ = strconv.Atoi(strings.TrimSpace(year))
	if ok && card.ExpYear < 100 {
		card.ExpYear += 2000 // MM/YY
	}
	return card
}

// clearCard empties the number and the security code once used.
func (fv *feeView) clearCard() {
	fv.number.SetText("")
	fv.cvc.SetText("")
}

// payAndSubmit pays the fee the tab showed and submits the file. With a
// server, the desk checks the card and queues the submission, and the
// server takes the fee when it receives it: at once when online (the
// desk syncs now), later when offline, the file waiting as "not yet
// paid". A profile with no server takes the fee through its own
// processor. The card is read only here and never written; a refusal
// shows under the card's field.
func (v *appView) payAndSubmit(fee int64) {
	e, s, fv := v.e, v.s, v.fee
	e.Touch()
	for _, l := range v.form.errs {
		l.Hide()
	}
	if err := s.save(e); err != nil {
		v.showFault(err)
		return
	}
	card, link := fv.card(), e.Sync
	fv.pay.Disable()
	var err error
	e.Async(func() {
		if link == nil {
			var receipt oinp.Receipt
			key := string(s.app.FileNumber) + "-" + e.Now().UTC().Format("20060102150405")
			if receipt, err = e.Payments.Charge(key, s.app.FileNumber, fee, card, e.Now()); err == nil {
				_, err = e.Store.SubmitPaid(e.Actor(), s.rec.Applicant, receipt)
			}
			return
		}
		if _, err = e.Store.SubmitApplicationFor(e.Actor(), s.rec.Applicant, card, fee); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), payWait)
			defer cancel()
			_ = link.Sync(ctx) // offline: the submission waits, not yet paid
		}
	}, func() {
		fv.pay.Enable()
		if err != nil {
			v.showFault(err)
			return
		}
		fv.clearCard()
		s.reload(e)
		e.Show(ScreenApplication(oinp.TabFee))
	})
}

// payWait is how long paying waits for the server before the file is
// shown as waiting for its payment.
const payWait = 30 * time.Second

// refusedPayment is the server's refusal of this file's last submission,
// not yet read (a card declined, the card not kept, another fee), nil when
// there is none.
func (v *appView) refusedPayment() error {
	rs, err := v.e.Store.Rejections(v.e.Actor())
	if err != nil {
		return err
	}
	for _, r := range rs { // newest first
		if r.Kind == applications.KindSubmitApplication && r.Entity == v.s.rec.Applicant {
			if r.Seen || r.Error == nil {
				return nil
			}
			return r.Error.Err()
		}
	}
	return nil
}

// queuedPanel is a file submitted on this desk that waits for the server
// to take its fee: said so, and, when the desk no longer holds the card
// (it was closed meanwhile), the card form to type it again.
func queuedPanel(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	rep := oinp.Evaluate(a, a.Submitted, assets.OINPTables())
	status := wrapped("")
	status.TextStyle = fyne.TextStyle{Bold: true}
	status.Importance = widget.WarningImportance
	e.OnRelabel(func() { status.SetText(e.T("oinp.fee.queued", a.Submitted, domain.Money(rep.FeeCents))) })
	f.box.Add(status)
	sandboxNote(v)
	if e.Store.HoldsCard(v.s.rec.Applicant) {
		f.note("oinp.fee.queued.held")
		return
	}
	f.note("oinp.fee.queued.card")
	cardForm(v)
	fv := v.fee
	fv.hold = widget.NewButton("", func() {
		e.Touch()
		for _, l := range v.form.errs {
			l.Hide()
		}
		if err := e.Store.HoldCard(e.Actor(), v.s.rec.Applicant, fv.card()); err != nil {
			v.showFault(err)
			return
		}
		fv.clearCard()
		if e.Sync != nil {
			e.Sync.Nudge()
		}
		e.Show(ScreenApplication(oinp.TabFee))
	})
	fv.hold.Importance = widget.HighImportance
	e.OnRelabel(func() { fv.hold.SetText(e.T("oinp.fee.hold")) })
	f.box.Add(container.NewHBox(fv.hold))
}

// showFault shows an error under the field it names, or in the status.
func (v *appView) showFault(err error) {
	field := ""
	if de, ok := err.(*domain.Error); ok {
		field = de.Field
	}
	if l, ok := v.form.errs[field]; ok {
		l.SetText(v.e.Tr().Error(err))
		l.Show()
		return
	}
	v.status.SetText(v.e.Tr().Error(err))
	v.status.Importance = widget.DangerImportance
	v.status.Refresh()
}

// submittedPanel is the status of a submitted file: when, the receipt,
// withdrawal (with the refund rule) and change-of-information notices.
func submittedPanel(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	fv := v.fee
	status := wrapped("")
	status.TextStyle = fyne.TextStyle{Bold: true}
	e.OnRelabel(func() {
		if a.Withdrawn.IsZero() {
			status.SetText(e.T("oinp.status.submitted", string(a.FileNumber), a.Submitted))
		} else {
			status.SetText(e.T("oinp.status.withdrawn", string(a.FileNumber), a.Withdrawn))
		}
	})
	f.box.Add(status)
	decisionPanel(v)
	if p := a.Payment; p != nil {
		key := "oinp.status.receipt"
		if p.Sandbox {
			key = "oinp.status.receipt.sandbox"
		}
		f.note(key, domain.Money(p.AmountCents), brandName(p.Brand), p.Last4, p.Reference)
	}
	switch due, arrived, late := oinp.EmployerDocuments(a); {
	case arrived.IsZero():
		f.note("oinp.status.employer-documents", due)
	case late:
		f.note("oinp.status.employer-documents.late", arrived, due)
	default:
		f.note("oinp.status.employer-documents.arrived", arrived, due)
	}
	for _, n := range a.Notices {
		f.note("oinp.status.notice", n.Sent, n.Text)
	}
	if !a.Withdrawn.IsZero() || e.rep() {
		return // withdrawing and change notices are the applicant's
	}
	fv.notice = newMultiLineEntry()
	fv.notice.SetMinRowsVisible(3)
	f.field("notice", fv.notice, fv.notice)
	noticeDraft := e.Draft("oinp.change-notice", v.s.rec.Applicant.String())
	noticeDraft.Entry("notice", fv.notice)
	fv.send = widget.NewButton("", func() {
		e.Touch()
		if _, err := e.Store.NotifyChange(e.Actor(), fv.notice.Text); err != nil {
			v.showFault(err)
			return
		}
		noticeDraft.Saved()
		v.s.reload(e)
		e.Show(ScreenApplication(oinp.TabFee))
	})
	fv.withdraw = widget.NewButton("", func() {
		confirmDialog(e, e.T("oinp.status.withdraw"), e.T("oinp.status.withdraw.confirm"), func() { v.withdraw() })
	})
	fv.withdraw.Importance = widget.DangerImportance
	e.OnRelabel(func() {
		fv.send.SetText(e.T("oinp.status.send"))
		fv.withdraw.SetText(e.T("oinp.status.withdraw"))
	})
	f.box.Add(container.NewHBox(fv.send))
	f.box.Add(widget.NewSeparator())
	if on, decided := a.DecidedOn(); decided {
		// §5.6: a decided file is not withdrawn as if it were waiting.
		f.note("oinp.status.withdraw.decided", on)
		return
	}
	if a.Incomplete != nil {
		return // returned as incomplete (§5.3): the status above says so
	}
	f.note("oinp.status.withdraw.rule")
	f.box.Add(container.NewHBox(fv.withdraw))
}

func (v *appView) withdraw() {
	e := v.e
	if _, err := e.Store.WithdrawApplication(e.Actor()); err != nil {
		v.showFault(err)
		return
	}
	v.s.reload(e)
	e.Show(ScreenApplication(oinp.TabFee))
}

// brandName is a card brand as printed on the card.
func brandName(b string) string {
	switch b {
	case "visa":
		return "VISA"
	case "mastercard":
		return "MasterCard"
	}
	return b
}

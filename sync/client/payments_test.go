package client_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store/applications"
	"dossier/translations"
)

// payingApplicant is the applicant Linh Nguyen on two desks, home and
// laptop, with the example application (a job in Mississauga, in the
// GTA) complete and registered on the server.
func payingApplicant(t *testing.T, ts *testServer) (home, laptop *desk) {
	t.Helper()
	home = newDesk(t, ts, "home")
	home.applicant("linh.nguyen")
	app := exampleApplication(t)
	app.Applicant.GivenNames, app.Applicant.FamilyName = "Linh", "Nguyen"
	if _, err := home.st.SaveApplication(home.by, *app); err != nil {
		t.Fatal(err)
	}
	attachMandatory(t, home, app)
	if _, err := home.st.RegisterApplication(home.by); err != nil {
		t.Fatal(err)
	}
	home.sync()
	laptop = newDesk(t, ts, "laptop")
	if err := laptop.c.SignIn(context.Background(), domain.ID{}, "linh.nguyen", password); err != nil {
		t.Fatal(err)
	}
	laptop.signedIn("linh.nguyen")
	return home, laptop
}

// lastRefusal is the code of the newest refusal of the desk's
// submissions, and its arguments.
func lastRefusal(t *testing.T, d *desk) (domain.Code, []any) {
	t.Helper()
	for _, r := range d.rejections(t) { // newest first
		if r.Kind == applications.KindSubmitApplication {
			e := r.Error.Err()
			return e.Code, e.Args
		}
	}
	return "", nil
}

// TestPaymentTakenByTheServer: the fee is the server's, for the file as
// the server holds it, and the receipt is the server's, through a real
// dossierd over TLS with two desks of one applicant.
//
//   - A desk that sends a receipt of its own (as desks did before: a
//     cent and no card was taken as the fee) is refused,
//     oinp.fee.receipt, and its file comes back a draft.
//   - The laptop moves the job to Ottawa, outside the GTA; home, not yet
//     synced, still reads Mississauga and pays the GTA's fee: its
//     submission waits "not yet paid", then the server refuses the
//     amount (oinp.fee.amount, with its own fee), nothing charged, and
//     home gets the file back as the server holds it, a draft in Ottawa.
//   - Paid for the right fee, offline, then the desk closed before it
//     synced: the card is gone with the process (it is nowhere in the
//     profile), the submission reaches the server without it and is
//     refused (oinp.card.missing), the file a draft again.
//   - Paid once more, online: submitted, paid by the server's receipt (its
//     reference, its fee, its clock, the sandbox said), which the other
//     desk receives as well.
func TestPaymentTakenByTheServer(t *testing.T) {
	ts := startServer(t)
	home, laptop := payingApplicant(t, ts)
	card := oinp.Card{Number: "4111 1111 1111 1111", Name: "Linh Nguyen", ExpMonth: 1, ExpYear: 2099, CVC: "123"}

	// A receipt from the desk.
	if _, err := home.st.SubmitPaid(home.by, home.by.Account, oinp.Receipt{Reference: "X", AmountCents: 1, Brand: "visa",
		Last4: "0000", Paid: time.Now()}); err == nil {
		t.Fatal("the desk itself took a one-cent receipt")
	}
	forged := oinp.Receipt{Reference: "SANDBOX-FORGED", AmountCents: oinp.FeeGTACents, Brand: "visa", Last4: "1111",
		Paid: time.Now(), Sandbox: true}
	if rec, err := home.st.SubmitPaid(home.by, home.by.Account, forged); err != nil || rec.App.Payment == nil {
		t.Fatalf("a receipt that reads as the fee, on the desk: %v", err)
	}
	home.sync()
	if code, _ := lastRefusal(t, home); code != oinp.ErrReceiptFromDesk {
		t.Fatalf("the desk's receipt: refused with %q", code)
	}
	if got, _, _ := home.st.Application(home.by); !got.App.Submitted.IsZero() || got.App.Payment != nil {
		t.Fatalf("after the desk's receipt, home has %v paid by %+v", got.App.Submitted, got.App.Payment)
	}

	// The laptop moves the job out of the GTA; home pays the GTA's fee.
	moved, _, _ := laptop.st.Application(laptop.by)
	moved.App.Employer.Offer.Municipality = "Ottawa"
	if _, err := laptop.st.SaveApplication(laptop.by, moved.App); err != nil {
		t.Fatal(err)
	}
	laptop.sync()
	queued, err := home.st.SubmitApplication(home.by, card, oinp.FeeGTACents)
	if err != nil {
		t.Fatal(err)
	}
	if !queued.App.AwaitingPayment() || !home.st.HoldsCard(home.by.Account) {
		t.Fatalf("queued: %+v, card held %v", queued.App, home.st.HoldsCard(home.by.Account))
	}
	home.sync()
	code, args := lastRefusal(t, home)
	if code != oinp.ErrFeeAmount || len(args) != 2 || args[0] != domain.Money(oinp.FeeOutsideCents) || args[1] != domain.Money(oinp.FeeGTACents) {
		t.Fatalf("the GTA's fee for a job in Ottawa: refused with %q %v", code, args)
	}
	for lang, want := range map[translations.Lang]string{translations.English: "$1,500.00, not $2,000.00",
		translations.French: "1 500,00 $, et non de 2 000,00 $"} {
		if text := translations.New(lang).Error(&domain.Error{Code: code, Args: args}); !strings.Contains(text, want) {
			t.Errorf("the refusal in %s: %q", lang, text)
		}
	}
	back, _, _ := home.st.Application(home.by)
	if !back.App.Submitted.IsZero() || back.App.Payment != nil || back.App.Employer.Offer.Municipality != "Ottawa" ||
		home.st.HoldsCard(home.by.Account) {
		t.Fatalf("after the wrong amount, home has %v paid by %+v in %q (card held %v)", back.App.Submitted, back.App.Payment,
			back.App.Employer.Offer.Municipality, home.st.HoldsCard(home.by.Account))
	}
	if server, _, _ := ts.sv.Store().Application(home.by); !server.App.Submitted.IsZero() {
		t.Fatal("the server submitted the file for the wrong amount")
	}

	// The right fee, offline; the desk closed before it synced.
	if _, err := home.st.SubmitApplication(home.by, card, oinp.FeeOutsideCents); err != nil {
		t.Fatal(err)
	}
	pending, _ := home.st.PendingFor(home.by.Account, 100)
	if len(pending) != 1 || bytes.Contains(pending[0].Command.Payload, []byte("4111")) {
		t.Fatalf("the outbox: %d commands, %s", len(pending), pending[0].Command.Payload)
	}
	home.reopen()
	if home.st.HoldsCard(home.by.Account) {
		t.Fatal("the reopened desk holds the card")
	}
	if got, _, _ := home.st.Application(home.by); !got.App.AwaitingPayment() {
		t.Fatalf("reopened, the file is not waiting for its payment: %+v", got.App)
	}
	home.sync()
	if code, _ := lastRefusal(t, home); code != oinp.ErrCardMissing {
		t.Fatalf("the submission without its card: refused with %q", code)
	}
	if got, _, _ := home.st.Application(home.by); !got.App.Submitted.IsZero() {
		t.Fatalf("without its card, the file is %+v", got.App)
	}

	// Paid, online.
	before := time.Now()
	if _, err := home.st.SubmitApplication(home.by, card, oinp.FeeOutsideCents); err != nil {
		t.Fatal(err)
	}
	home.sync()
	paid, _, _ := home.st.Application(home.by)
	r := paid.App.Payment
	if paid.App.Submitted != domain.DateOf(time.Now()) || r == nil || r.AmountCents != oinp.FeeOutsideCents || !r.Sandbox ||
		r.Brand != "visa" || r.Last4 != "1111" || r.Paid.Before(before.Add(-time.Second)) || r.Paid.After(time.Now()) ||
		!strings.HasPrefix(r.Reference, "SANDBOX-"+strings.TrimPrefix(string(paid.App.FileNumber), "JOID-")+"-") {
		t.Fatalf("paid: %v by %+v", paid.App.Submitted, r)
	}
	if home.st.HoldsCard(home.by.Account) {
		t.Fatal("the desk still holds the card once paid")
	}
	laptop.sync()
	if got, _, _ := laptop.st.Application(laptop.by); got.App.Payment == nil || got.App.Payment.Reference != r.Reference ||
		!got.App.Payment.Paid.Equal(r.Paid) || got.App.Payment.AmountCents != r.AmountCents {
		t.Fatalf("the laptop has the receipt %+v, home %+v", got.App.Payment, r)
	}
}

package client_test

import (
	"errors"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/permit"
	"dossier/store/requests"
)

// permitForm is the work permit form as the student completes it, with
// dates taken from their verification (received on the server's day).
func permitForm(v ens.Request) permit.Form {
	f := permit.Prefill(&v)
	on := domain.DateOf(v.Received)
	f.PassportNumber, f.PassportCountry, f.PassportExpiry = "FR1234567", "France", on.AddYears(5)
	f.Street, f.City, f.Province, f.PostalCode = "21 rue Lasalle", "Sudbury", "ON", "P3A 6B1"
	f.Program, f.StudyStart, f.StudyEnd = "Génie civil", on.AddYears(-1), on.AddYears(2)
	f.Consent, f.Declaration = true, true
	return f
}

func sandboxCard(v ens.Request) oinp.Card {
	return oinp.Card{Number: "4111 1111 1111 1111", Name: "Élodie Côté", ExpMonth: 1, ExpYear: v.Received.Year() + 3, CVC: "123"}
}

// lastRefusalOf is the code of the newest refusal of kind on the desk.
func lastRefusalOf(t *testing.T, d *desk, kind string) domain.Code {
	t.Helper()
	for _, r := range d.rejections(t) {
		if string(r.Kind) == kind {
			return r.Error.Err().Code
		}
	}
	return ""
}

// verifiedForPermit is the student's request, raised and verified by the
// school, as the student's desk holds it once synced: the basis of a
// permit.
func (f *fixture) verifiedForPermit() ens.Request {
	r := f.raised(1)[0]
	f.dir.verify(r)
	f.syncAll()
	return f.stu.request(r.ID)
}

// TestPermitSubmittedPaidAndDecided: through a real dossierd, the student
// whose school verified them applies for the work permit and pays with
// the sandbox card; the server takes the fee (its receipt, its amount,
// the sandbox said) and the desk forgets the card; the student withdraws
// and applies again; a program officer starts the review and approves it,
// and the student's desk receives the decision, signed with the officer's
// name, while the server queues the letter that tells them, in their
// language, to read it.
func TestPermitSubmittedPaidAndDecided(t *testing.T) {
	f := newFixture(t)
	if _, err := f.stu.st.UpdateEmail(f.stu.by, "elodie@example.ca"); err != nil {
		t.Fatal(err)
	}
	v := f.verifiedForPermit()
	if v.Status != ens.Verified || v.EVN == "" {
		t.Fatalf("the verification: %s %q", v.Status.Code(), v.EVN)
	}
	fee := requests.PermitFee()

	// A faulty form shows every fault at once and queues nothing.
	bad := permitForm(v)
	bad.PostalCode, bad.Consent = "12345", false
	if _, faults, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, bad, sandboxCard(v), fee.Cents); err == nil || len(faults) != 2 {
		t.Fatalf("a faulty form: %v %v", faults, err)
	}

	a, _, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, permitForm(v), sandboxCard(v), fee.Cents)
	if err != nil || a.Status != permit.Pending || !f.stu.st.HoldsPermitCard(v.ID) {
		t.Fatalf("submit: %+v %v", a, err)
	}
	if _, _, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, permitForm(v), sandboxCard(v), fee.Cents); !errors.Is(err, permit.ErrAlreadyApplied) {
		t.Fatalf("a second submission on the desk: %v", err)
	}
	f.stu.sync()
	got, err := f.stu.st.Permit(f.stu.by, v.ID)
	if err != nil || got.Status != permit.Submitted || got.Receipt == nil || !got.Receipt.Sandbox ||
		got.Receipt.AmountCents != fee.Cents || got.Receipt.Last4 != "1111" || got.EVN != v.EVN {
		t.Fatalf("after the push: %+v %+v %v (refused %q)", got, got.Receipt, err, lastRefusalOf(t, f.stu, string(requests.KindSubmitPermit)))
	}
	if f.stu.st.HoldsPermitCard(v.ID) {
		t.Fatal("the desk still holds the card after the server took the fee")
	}

	// Withdrawn, then applied for again.
	if _, err := f.stu.st.WithdrawPermit(f.stu.by, v.ID); err != nil {
		t.Fatal(err)
	}
	f.stu.sync()
	if _, _, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, permitForm(v), sandboxCard(v), fee.Cents); err != nil {
		t.Fatalf("again after a withdrawal: %v", err)
	}
	f.stu.sync()
	if got, _ = f.stu.st.Permit(f.stu.by, v.ID); got.Status != permit.Submitted {
		t.Fatalf("applied again: %s", got.Status.Code())
	}

	// The officer's desk.
	off := officerNamed(t, f.ts, "officer.one", "Pat")
	list, err := off.st.Permits(off.by)
	if err != nil || len(list) != 1 || list[0].ID != v.ID || list[0].Status != permit.Submitted {
		t.Fatalf("the officer's list: %+v %v", list, err)
	}
	if _, err := off.st.DecidePermit(off.by, v.ID, permit.Review, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.DecidePermit(off.by, v.ID, permit.Refuse, " "); !errors.Is(err, permit.ErrReasonRequired) {
		t.Fatalf("a refusal without reason: %v", err)
	}
	if _, err := off.st.DecidePermit(off.by, v.ID, permit.Approve, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	if rs := off.rejections(t); len(rs) != 0 {
		t.Fatalf("the officer's decisions refused: %+v", rs[0].Error)
	}
	f.stu.sync()
	got, _ = f.stu.st.Permit(f.stu.by, v.ID)
	if got.Status != permit.Approved || got.OfficerName != "Pat Ouellet" || got.Officer != off.by.Account || got.Decided.IsZero() {
		t.Fatalf("the student reads %+v", got)
	}
	// The letter: to the student's address, of its kind, with the EVN.
	mail, err := f.ts.sv.Store().DueMail(time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range mail {
		if m.Kind == requests.MailPermitDecided {
			n++
			if m.To != "elodie@example.ca" || len(m.Args) != 1 || m.Args[0] != string(v.EVN) {
				t.Fatalf("the letter %+v", m)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d letters of the decision; the review is no decision", n)
	}
}

// TestPermitWithAnEVNNoLongerActive: the student's verification moved to
// another school (an EVT verified there closes it at the server); the
// student's desk, not yet told, applies with the old EVN, and the server
// refuses it (permit.evn.inactive): the pending application goes, nothing
// is charged, and the desk forgets the card.
func TestPermitWithAnEVNNoLongerActive(t *testing.T) {
	f := newFixture(t)
	v := f.verifiedForPermit()

	other, pin := f.ts.school("B02", "Lakeview College")
	dir2 := newDesk(t, f.ts, "lakeview")
	dir2.enrolDIR("dir.b", pin)
	f.stu.sync()
	evt, err := f.stu.st.RaiseRequest(f.stu.by, ens.Raise{Type: ens.EVT, School: other.ID, FromSchool: f.school.ID, Student: v.Student})
	if err != nil {
		t.Fatal(err)
	}
	f.stu.sync()
	dir2.sync()
	dir2.verify(evt)
	dir2.sync()
	if held, err := f.ts.sv.Request(account.Actor{Role: account.System}, v.ID); err != nil || held.TransferredTo != other.ID {
		t.Fatalf("the old verification on the server: %+v %v", held.TransferredTo, err)
	}

	// The student's desk still reads the old one as active.
	if _, _, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, permitForm(v), sandboxCard(v), requests.PermitFee().Cents); err != nil {
		t.Fatal(err)
	}
	f.stu.sync()
	if code := lastRefusalOf(t, f.stu, string(requests.KindSubmitPermit)); code != permit.ErrEVNInactive {
		t.Fatalf("refused with %q", code)
	}
	if _, err := f.stu.st.Permit(f.stu.by, v.ID); err == nil {
		t.Fatal("the refused application stays on the desk")
	}
	if f.stu.st.HoldsPermitCard(v.ID) {
		t.Fatal("the desk holds the card of a refused application")
	}
}

// TestAPermitSentAgainReadsItsRefusal: the server refuses a permit paid
// with a card the processor declines; the student's desk counts the
// refusal as unread (the top bar's figure). Applying again, with another
// card, is reading it: the same
// transaction marks it read, and the server takes the second try.
func TestAPermitSentAgainReadsItsRefusal(t *testing.T) {
	f := newFixture(t)
	v := f.verifiedForPermit()
	fee := requests.PermitFee().Cents

	declined := sandboxCard(v)
	declined.Number = "4000 0000 0000 0002" // the sandbox declines it
	if _, _, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, permitForm(v), declined, fee); err != nil {
		t.Fatal(err)
	}
	f.stu.sync()
	if code := lastRefusalOf(t, f.stu, string(requests.KindSubmitPermit)); code != oinp.ErrCardDecline {
		t.Fatalf("refused with %q", code)
	}
	unread := func() int {
		t.Helper()
		n, err := f.stu.st.Counts(f.stu.by)
		if err != nil {
			t.Fatal(err)
		}
		return n.Rejected
	}
	if n := unread(); n != 1 {
		t.Fatalf("%d refusals unread after the decline, want 1", n)
	}

	if _, _, err := f.stu.st.SubmitPermit(f.stu.by, v.ID, permitForm(v), sandboxCard(v), fee); err != nil {
		t.Fatal(err)
	}
	if n := unread(); n != 0 {
		t.Fatalf("%d refusals unread once the permit was sent again, want 0", n)
	}
	f.stu.sync()
	got, err := f.stu.st.Permit(f.stu.by, v.ID)
	if err != nil || got.Status != permit.Submitted || got.Receipt == nil {
		t.Fatalf("the second try: %+v %v", got, err)
	}
	if rs := f.stu.rejections(t); len(rs) != 1 || !rs[0].Seen {
		t.Fatalf("the refusals kept: %+v", rs)
	}
}

package client_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store/requests"
	"dossier/store/storetest"
	"dossier/sync"
	"dossier/sync/server/mail"
	"dossier/sync/server/mail/mailtest"
)

// post is the server's mail: a real SMTP relay on loopback and a sender
// emptying the server's outbox into it, on the server's clock.
type post struct {
	ts    *testServer
	relay *mailtest.Relay
	clock *storetest.Clock
	log   bytes.Buffer
	seen  int
}

func newPost(t *testing.T, ts *testServer, clock *storetest.Clock) *post {
	return &post{ts: ts, relay: mailtest.Start(t, false), clock: clock}
}

// deliver sends what the server's outbox holds and returns the letters
// the relay received since the last call.
func (p *post) deliver(t *testing.T) []mailtest.Letter {
	t.Helper()
	s := &mail.Sender{Store: p.ts.sv.Store().Engine(), Now: p.clock.Now, Log: slog.New(slog.NewJSONHandler(&p.log, nil)),
		Relay: mail.Relay{Addr: p.relay.Addr, From: "no-reply@dossier.test", TLS: mail.StartTLS, TLSConfig: p.relay.Client}}
	if _, err := s.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	all := p.relay.Letters()
	out := all[p.seen:]
	p.seen = len(all)
	return out
}

// letterTo finds the one letter to the address among got, of kind (its
// subject, in its language), or fails.
func letterTo(t *testing.T, got []mailtest.Letter, to string) mailtest.Letter {
	t.Helper()
	var found []mailtest.Letter
	for _, l := range got {
		if len(l.To) == 1 && l.To[0] == to {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d letters to %s among %d", len(found), to, len(got))
	}
	return found[0]
}

// names checks a letter names what it must and nothing of anyone else.
func names(t *testing.T, l mailtest.Letter, lang string, must []string, never []string) {
	t.Helper()
	if got := l.Header.Get("Content-Language"); got != lang {
		t.Errorf("letter to %s in %q, want %q", l.To, got, lang)
	}
	text := l.Subject + "\n" + l.Body + "\n" + l.Header.Get("To")
	for _, s := range must {
		if !strings.Contains(text, s) {
			t.Errorf("the letter to %s lacks %q:\n%s", l.To, s, text)
		}
	}
	for _, s := range never {
		if strings.Contains(text, s) {
			t.Errorf("the letter to %s names %q, another's:\n%s", l.To, s, text)
		}
	}
}

// studentWithMail registers a student with an e-mail address on a desk
// speaking lang, and signs them in to the server.
func (d *desk) studentWithMail(user, given, family, email, lang string) {
	d.t.Helper()
	a, err := d.st.RegisterStudent(account.Registration{UserID: user, Password: password, GivenNames: given,
		FamilyName: family, Email: email, AcceptTerms: true, Questions: questions, Lang: lang})
	if err != nil {
		d.t.Fatal(err)
	}
	d.c.SpeakLang(lang)
	if err := d.c.SignIn(context.Background(), a.ID, user, password); err != nil {
		d.t.Fatalf("%s: server sign-in: %v", d.name, err)
	}
	d.by = a.Actor()
	d.sync()
}

// TestLettersOfTheOCWPP: against a real dossierd, the school's verify
// writes the student their EVN, a rejection tells another student (not
// why), and the server's expiry a third; each letter in its student's
// language, to them alone, naming nobody else.
func TestLettersOfTheOCWPP(t *testing.T) {
	start := time.Date(2031, 3, 3, 9, 0, 0, 0, time.UTC)
	serverClock, deskClock := storetest.NewClock(start), storetest.NewClock(start)
	ts := startServer(t)
	ts.opt.Store.Now = serverClock.Now
	ts.restart()
	p := newPost(t, ts, serverClock)
	school, pin := ts.school("A01", "Collège Boréal")
	opt := storeOptions()
	opt.Now = deskClock.Now
	dir := newDeskWith(t, ts, "dir", opt)
	dir.enrolDIR("dir.a", pin)
	elodie, brandon, chen := newDeskWith(t, ts, "elodie", opt), newDeskWith(t, ts, "brandon", opt), newDeskWith(t, ts, "chen", opt)
	elodie.studentWithMail("eleve1", "Élodie", "Côté", "elodie@example.ca", "fr-CA")
	brandon.studentWithMail("eleve2", "Brandon", "Smith", "brandon@example.ca", "en")
	// Chen registered on an English desk, and signs in later on a French
	// one: his letters go in French from then on.
	chen.studentWithMail("eleve3", "Chen", "Wu", "chen@example.ca", "en")
	rE, rB, rC := elodie.raise(school.ID, 1), brandon.raise(school.ID, 2), chen.raise(school.ID, 3)
	for _, d := range []*desk{elodie, brandon, chen, dir} {
		d.sync()
	}
	if got := p.deliver(t); len(got) != 0 {
		t.Fatalf("letters before any decision: %d", len(got))
	}

	dir.verify(rE)
	if _, err := dir.st.Act(dir.by, rB.ID, ens.Action{Function: ens.Reject, Reason: "Not enrolled this term"}, 0); err != nil {
		t.Fatal(err)
	}
	dir.sync()
	verified, err := ts.sv.Request(dir.by, rE.ID)
	if err != nil || verified.EVN == "" {
		t.Fatalf("verified on the server: %+v %v", verified.Status, err)
	}
	got := p.deliver(t)
	if len(got) != 2 {
		t.Fatalf("%d letters after a verify and a reject, want 2", len(got))
	}
	others := []string{"Brandon", "Smith", "Chen", "Wu", "brandon@", "chen@"}
	l := letterTo(t, got, "elodie@example.ca")
	names(t, l, "fr-CA", []string{string(verified.EVN), "Collège Boréal", "Élodie Côté", "NVA"}, others)
	l = letterTo(t, got, "brandon@example.ca")
	names(t, l, "en", []string{"Collège Boréal", "Brandon Smith", "did not verify"},
		[]string{"Not enrolled this term", "Élodie", "Côté", string(verified.EVN), "Chen", "elodie@"})

	// Chen signs in again from a French desk; then his request expires,
	// by the server's clock.
	chen.c.SpeakLang("fr-CA")
	if err := chen.c.SignIn(context.Background(), chen.by.Account, "eleve3", password); err != nil {
		t.Fatal(err)
	}
	serverClock.Add(time.Duration(ens.DefaultSettings.ExpiryDays+1) * 24 * time.Hour)
	if n, err := ts.sv.ExpireDue(context.Background(), requests.ExpireBatch); err != nil || n != 1 {
		t.Fatalf("expired %d, %v", n, err)
	}
	got = p.deliver(t)
	if len(got) != 1 {
		t.Fatalf("%d letters after the expiry, want 1", len(got))
	}
	names(t, letterTo(t, got, "chen@example.ca"), "fr-CA", []string{"Collège Boréal", "Chen Wu", "expirée"},
		[]string{"Élodie", "Brandon", string(verified.EVN)})
	_ = rC
	assertNoPersonInLog(t, p.log.String())
}

// TestLettersOfTheEmployerPortal: the primary user of an approved
// business is told so; a refused one is told it is refused, without the
// program's reason; an enrolment refused at the door (its business number
// taken) is told too, at the address it gave.
func TestLettersOfTheEmployerPortal(t *testing.T) {
	ts := startServer(t)
	p := newPost(t, ts, storetest.NewClock(time.Now()))
	farm := newDesk(t, ts, "farm")
	if err := farm.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	other := newDesk(t, ts, "other")
	if err := other.enrolBusiness("omar.b", "046454286", "Boulangerie Omar"); err != nil {
		t.Fatal(err)
	}
	other.sync()
	off := officer(t, ts)
	pending, err := off.st.Businesses(off.by, employer.Pending)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending %+v %v", pending, err)
	}
	for _, b := range pending {
		approve := b.LegalName == "Les Serres Côté Inc."
		reason := ""
		if !approve {
			reason = "Secret-reason: the officer's own words"
		}
		if _, err := off.st.DecideBusiness(off.by, b.ID, approve, reason); err != nil {
			t.Fatal(err)
		}
	}
	off.sync()
	copycat := newDesk(t, ts, "copy")
	if err := copycat.enrolBusiness("copy.bn", "123456782", "Another Farm Ltd."); err == nil {
		t.Fatal("a taken business number was enrolled")
	}
	got := p.deliver(t)
	if len(got) != 3 {
		t.Fatalf("%d letters, want 3", len(got))
	}
	names(t, letterTo(t, got, "anna.k@example.ca"), "en", []string{"Les Serres Côté Inc.", "approved"},
		[]string{"Boulangerie Omar", "Another Farm"})
	names(t, letterTo(t, got, "omar.b@example.ca"), "en", []string{"Boulangerie Omar", "refused"},
		[]string{"Secret-reason", "officer's own words", "Les Serres", "Another Farm"})
	names(t, letterTo(t, got, "copy.bn@example.ca"), "en", []string{"Another Farm Ltd.", "refused"},
		[]string{"employer.bn.taken", "business number", "Les Serres", "123456782", "123 456 782"})
	assertNoPersonInLog(t, p.log.String())
}

// TestStrangerCannotMailAtWill: an enrolment refused at the door writes
// to the address it gives, which anyone may choose: five enrolments with
// a taken business number naming one victim's address (from one address
// whose limits the harness lifts) make one letter, not five.
func TestStrangerCannotMailAtWill(t *testing.T) {
	ts := startServer(t)
	p := newPost(t, ts, storetest.NewClock(time.Now()))
	farm := newDesk(t, ts, "farm")
	if err := farm.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		d := newDesk(t, ts, "spam")
		user := "spam." + letters(i)
		a, _, err := d.st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "123456782", LegalName: "Spam " + letters(i)},
			account.Registration{UserID: user, Password: password, GivenNames: "Eve", FamilyName: "Mallory",
				Email: "Victim@Example.ca", AcceptTerms: true, Questions: questions})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.c.SignIn(context.Background(), a.ID, user, password); err == nil {
			t.Fatal("a taken business number was enrolled")
		}
	}
	got := p.deliver(t)
	if len(got) != 1 || !strings.EqualFold(got[0].To[0], "victim@example.ca") {
		t.Fatalf("%d letters to the victim, want 1", len(got))
	}
}

// TestMailLanguageFromTheSignIn: a sign-in names the desk's language
// and the account keeps it; a language Dossier does not speak, or a
// wrong password, changes nothing; a sign-in that names none (an old
// desk) keeps what the account had.
func TestMailLanguageFromTheSignIn(t *testing.T) {
	ts := startServer(t)
	d := newDesk(t, ts, "student")
	d.studentWithMail("eleve1", "Élodie", "Côté", "elodie@example.ca", "")
	lang := func() string {
		t.Helper()
		a, err := ts.sv.Store().Engine().Account(d.by.Account)
		if err != nil {
			t.Fatal(err)
		}
		return a.Lang
	}
	if got := lang(); got != "" {
		t.Fatalf("a desk that said nothing: %q", got)
	}
	for _, c := range []struct {
		pw, lang, want string
	}{
		{password, "fr-CA", "fr-CA"},
		{password, "", "fr-CA"},
		{password, "de\r\nBcc: x@example.ca", "fr-CA"},
		{"wrong-password-1", "en", "fr-CA"},
		{password, "en", "en"},
	} {
		rawCall(t, ts, "POST", "/v1/signin", "", sync.SignInRequest{UserID: "eleve1", Password: c.pw, Lang: c.lang}, nil)
		if got := lang(); got != c.want {
			t.Errorf("after a sign-in saying %q: %q, want %q", c.lang, got, c.want)
		}
	}
}

// applicantWithMail registers an OINP applicant with an e-mail address on
// a new desk and signs them in.
func applicantWithMail(t *testing.T, ts *testServer, user, given, family, email, lang string) *desk {
	t.Helper()
	d := newDesk(t, ts, user)
	a, err := d.st.RegisterApplicant(account.Registration{UserID: user, Password: password, GivenNames: given,
		FamilyName: family, Email: email, AcceptTerms: true, Questions: questions, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, password); err != nil {
		t.Fatal(err)
	}
	d.by = a.Actor()
	return d
}

// registerFile saves the example application under the applicant's name
// and registers it (its 14-day window opens), appoints rep when set, and
// submits it with its fee when submit is set.
func registerFile(t *testing.T, d *desk, given, family string, submit bool, rep *desk) oinp.Application {
	t.Helper()
	app := exampleApplication(t)
	app.Applicant.GivenNames, app.Applicant.FamilyName = given, family
	app.Intent.SignedName = given + " " + family
	for i := range app.Agreements {
		if app.Agreements[i].Name == "Linh Nguyen" {
			app.Agreements[i].Name = given + " " + family
		}
	}
	if _, err := d.st.SaveApplication(d.by, *app); err != nil {
		t.Fatal(err)
	}
	attachMandatory(t, d, app)
	reg, err := d.st.RegisterApplication(d.by)
	if err != nil {
		t.Fatal(err)
	}
	if rep != nil {
		d.sync()
		if err := rep.st.RequestRepresentation(rep.by, string(reg.App.FileNumber), app.Contact.Email); err != nil {
			t.Fatal(err)
		}
		rep.sync()
		d.sync()
		if _, err := d.st.DecideRepresentation(d.by, rep.by.Account, true); err != nil {
			t.Fatal(err)
		}
		d.sync()
		rep.sync()
	}
	if submit {
		fee := oinp.Evaluate(&reg.App, domain.DateOf(time.Now()), assets.OINPTables()).FeeCents
		card := oinp.Card{Number: "4111111111111111", Name: given + " " + family, ExpMonth: 1, ExpYear: 2099, CVC: "123"}
		if _, err := d.st.SubmitApplication(d.by, card, fee); err != nil {
			t.Fatal(err)
		}
	}
	d.sync()
	return d.file()
}

// TestLettersOfTheOINP: a decision on a file writes to its applicant and
// their representative, a change notice is acknowledged to its sender, and the server's reminder
// job writes, once, to an applicant whose 14-day window ends in three
// days. Each letter names only its recipient's file.
func TestLettersOfTheOINP(t *testing.T) {
	clock := storetest.NewClock(time.Now().UTC().Truncate(time.Second))
	ts := startServer(t)
	ts.opt.Store.Now = clock.Now
	ts.restart()
	p := newPost(t, ts, clock)
	linh := applicantWithMail(t, ts, "linh", "Linh", "Nguyen", "linh@example.ca", "fr-CA")
	sam := newDesk(t, ts, "sam")
	sam.representative("sam.rep", "sam@example.ca")
	linhFile := registerFile(t, linh, "Linh", "Nguyen", true, sam)
	marc := applicantWithMail(t, ts, "marc", "Marc", "Tremblay", "marc@example.ca", "en")
	marcFile := registerFile(t, marc, "Marc", "Tremblay", false, nil)
	if linhFile.FileNumber == "" || marcFile.FileNumber == "" || linhFile.FileNumber == marcFile.FileNumber {
		t.Fatalf("file numbers %q %q", linhFile.FileNumber, marcFile.FileNumber)
	}
	if got := p.deliver(t); len(got) != 0 {
		t.Fatalf("%d letters before any decision", len(got))
	}

	if _, err := linh.st.NotifyChange(linh.by, "I married Kim Tremblay-Nguyen on 2 May."); err != nil {
		t.Fatal(err)
	}
	linh.sync()
	one := officerNamed(t, ts, "officer.one", "Rita")
	if _, err := one.st.DecideApplication(one.by, linh.by.Account, true, nil); err != nil {
		t.Fatal(err)
	}
	one.sync()
	got := p.deliver(t)
	if len(got) != 3 {
		t.Fatalf("%d letters after a notice and a decision, want 3", len(got))
	}
	others := []string{"Marc", "Tremblay ", "marc@", string(marcFile.FileNumber)}
	var notice, decided mailtest.Letter
	for _, l := range got {
		if l.To[0] == "sam@example.ca" {
			names(t, l, "en", []string{string(linhFile.FileNumber), "Sam Rep", "decision"},
				append([]string{"Linh", "Nguyen", "Kim", "married"}, others...))
			continue
		}
		if strings.Contains(l.Subject, "Avis de changement") {
			notice = l
		} else {
			decided = l
		}
	}
	for _, l := range []mailtest.Letter{notice, decided} {
		if len(l.To) != 1 || l.To[0] != "linh@example.ca" {
			t.Fatalf("a letter to %v", l.To)
		}
		names(t, l, "fr-CA", []string{string(linhFile.FileNumber), "Linh Nguyen"}, append(others, "Kim", "married", "Rita"))
	}
	if !strings.Contains(decided.Subject, "décision") {
		t.Errorf("the decision's letter: %q", decided.Subject)
	}

	// Marc registered and has not submitted: three days before his window
	// closes the server reminds him, once.
	if n, err := ts.sv.RemindDeadlines(context.Background()); err != nil || n != 0 {
		t.Fatalf("reminders on the day of registering: %d, %v", n, err)
	}
	deadline := marcFile.Deadline()
	clock.Set(deadline.AddDays(-3).Time().Add(10 * time.Hour))
	if n, err := ts.sv.RemindDeadlines(context.Background()); err != nil || n != 1 {
		t.Fatalf("reminders three days before: %d, %v", n, err)
	}
	clock.Add(24 * time.Hour)
	if n, err := ts.sv.RemindDeadlines(context.Background()); err != nil || n != 0 {
		t.Fatalf("reminded again: %d, %v", n, err)
	}
	got = p.deliver(t)
	if len(got) != 1 {
		t.Fatalf("%d reminders, want 1", len(got))
	}
	names(t, letterTo(t, got, "marc@example.ca"), "en", []string{string(marcFile.FileNumber), deadline.String(), "Marc Tremblay"},
		[]string{"Linh", "Nguyen", string(linhFile.FileNumber)})
	assertNoPersonInLog(t, p.log.String())
}

// TestLettersWaitAcrossARestart: letters queued by a server that stops
// before its sender ran go after it starts again (the outbox is in the
// store, on bbolt or PostgreSQL).
func TestLettersWaitAcrossARestart(t *testing.T) {
	ts := startServer(t)
	p := newPost(t, ts, storetest.NewClock(time.Now()))
	farm := newDesk(t, ts, "farm")
	if err := farm.enrolBusiness("anna.k", "123 456 782", "Les Serres Côté Inc."); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	off := officer(t, ts)
	pending, _ := off.st.Businesses(off.by, employer.Pending)
	if _, err := off.st.DecideBusiness(off.by, pending[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	ts.restart()
	if n, err := ts.sv.Store().Engine().MailWaiting(); err != nil || n != 1 {
		t.Fatalf("waiting after the restart: %d, %v", n, err)
	}
	got := p.deliver(t)
	if len(got) != 1 || got[0].To[0] != "anna.k@example.ca" {
		t.Fatalf("after the restart: %d letters", len(got))
	}
}

// TestLetterOfAPIN: a DIR enrolled from a French desk issues a
// signatory's PIN with the signatory's address: the server writes to the
// signatory, in French, that a PIN for the school waits, and never the
// PIN. A PIN issued with no address writes to no one.
func TestLetterOfAPIN(t *testing.T) {
	ts := startServer(t)
	p := newPost(t, ts, storetest.NewClock(time.Now()))
	school, pin := ts.school("A01", "Collège Boréal")
	dir := newDesk(t, ts, "dir")
	if err := dir.c.Enrol(context.Background(), account.Enrolment{UserID: "dir.a", Password: password, GivenNames: "Dana",
		FamilyName: "Roy", PIN: pin, AcceptTerms: true, Questions: questions, Lang: "fr-CA"}); err != nil {
		t.Fatal(err)
	}
	dir.signedIn("dir.a")
	code, _, err := dir.st.IssuePIN(dir.by, account.PINRequest{Role: account.Signatory, Org: school.ID,
		GivenNames: "Sami", FamilyName: "Gagnon", Email: "sami@example.ca"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dir.st.IssuePIN(dir.by, account.PINRequest{Role: account.Signatory, Org: school.ID}); err != nil {
		t.Fatal(err)
	}
	dir.sync()
	got := p.deliver(t)
	if len(got) != 1 {
		t.Fatalf("%d letters for two PINs, one with an address", len(got))
	}
	l := letterTo(t, got, "sami@example.ca")
	names(t, l, "fr-CA", []string{"Collège Boréal", "Sami Gagnon", "NIP"}, []string{code, strings.ReplaceAll(code, "-", ""), "Dana", "Roy"})
	assertNoPersonInLog(t, p.log.String())
}

// assertNoPersonInLog: the sender's log names letters by ID and kind.
func assertNoPersonInLog(t *testing.T, log string) {
	t.Helper()
	if !strings.Contains(log, "mail sent") {
		t.Fatalf("the sender logged no letter:\n%s", log)
	}
	for _, s := range []string{"@example.ca", "Élodie", "Brandon", "Chen", "Anna", "Kowalski", "Linh", "Marc", "Serres", "JOID", "Sami"} {
		if strings.Contains(log, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}

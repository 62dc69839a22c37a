package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/compliance"
	"dossier/store/printing"
	"dossier/store/programs"
	"dossier/sync"
)

// The attacks on the server's facts: a desk that states what the server
// should compute (a printed document's facts, a signed form's business,
// a representative's name, an attachment's type, a deadline's date) is
// refused or overruled, against the real dossierd over TLS on loopback.

const (
	factsOfficer = hostileProgram
	factsPass    = hostileProgramPassword
)

// startFacts is startHostile with the program's first account (an
// officer, factsOfficer) made before the server starts.
func startFacts(t *testing.T) *hostileServer {
	t.Helper()
	return startHostileWith(t, defaultConnBounds, true)
}

// factsPerson is someone signed in on their own desk and to the server.
type factsPerson struct {
	hostileDesk
	by  account.Actor
	tok sync.Tokens
	t   *testing.T
}

func (p *factsPerson) sync() {
	p.t.Helper()
	if err := p.c.Sync(context.Background()); err != nil {
		p.t.Fatalf("sync: %v", err)
	}
}

// signedIn signs a factsPerson in whose account was made on their desk (id) or
// elsewhere (zero id).
func (hs *hostileServer) signedIn(t *testing.T, d hostileDesk, id domain.ID, user, pw string) *factsPerson {
	t.Helper()
	if err := d.c.SignIn(context.Background(), id, user, pw); err != nil {
		t.Fatalf("%s: sign-in: %v", user, err)
	}
	_, a, err := d.st.SignIn(user, pw)
	if err != nil {
		t.Fatalf("%s: local sign-in: %v", user, err)
	}
	p := &factsPerson{hostileDesk: d, by: a.Actor(), t: t}
	p.sync()
	tok, ans := hs.signIn(user, pw)
	if ans.status != http.StatusOK {
		t.Fatalf("%s: HTTP sign-in %d %s", user, ans.status, ans.code)
	}
	p.tok = tok
	return p
}

func (hs *hostileServer) registered(t *testing.T, user string, register func(programs.Desk, account.Registration) (store.Account, error)) *factsPerson {
	t.Helper()
	d := hs.desk(user)
	a, err := register(d.st, account.Registration{UserID: user, Password: factsPass, GivenNames: "Sam", FamilyName: "Rep",
		Email: user + "@example.ca", AcceptTerms: true, Questions: hostileQuestions})
	if err != nil {
		t.Fatal(err)
	}
	return hs.signedIn(t, d, a.ID, user, factsPass)
}

// push sends one command as p over HTTP and returns the server's answer.
func (hs *hostileServer) push(t *testing.T, p *factsPerson, kind sync.Kind, entity domain.ID, payload any) (answer, sync.Answer) {
	t.Helper()
	raw, _ := json.Marshal(payload)
	id, _ := domain.NewID(time.Now(), rand.Reader)
	cmd := sync.Command{ID: id, Kind: kind, Entity: entity, Actor: p.by.Account, Payload: raw}
	a := hs.call("POST", "/v1/push", p.tok.Access, sync.PushRequest{Commands: []sync.Command{cmd}})
	var resp sync.PushResponse
	if a.status != http.StatusOK || json.Unmarshal(a.body, &resp) != nil || len(resp.Answers) != 1 {
		t.Fatalf("push %s: HTTP %d %s %s", kind, a.status, a.code, a.body)
	}
	return a, resp.Answers[0]
}

// printKey registers a print key of p's making and returns it.
func (hs *hostileServer) printKey(t *testing.T, p *factsPerson) printcode.Key {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	if _, ans := hs.push(t, p, printing.KindPrintKey, p.by.Account, printing.PrintKeyPayload{Key: key}); ans.Outcome != sync.Applied {
		t.Fatalf("print key: %+v", ans)
	}
	return key
}

// TestAttackForgedNominationCode: a self-registered student makes a code
// with their own key for a Letter of Nomination of a made-up nominee; the
// server refuses to register it, and the code answers "unknown".
func TestAttackForgedNominationCode(t *testing.T) {
	hs := startFacts(t)
	stu := hs.registered(t, "eleve.forger", (programs.Desk).RegisterStudent)
	key := hs.printKey(t, stu)
	facts := printcode.NomineeFacts("JOID-1234567", "Made Up", "ON-IDS-2026-99999",
		domain.Date{Year: 2026, Month: 9, Day: 1}, domain.Date{Year: 2027, Month: 3, Day: 1})
	code := key.Code(printcode.KindNominationLetter, facts)
	for _, record := range []domain.ID{stu.by.Account, {9, 9, 9}} {
		_, ans := hs.push(t, stu, printing.KindPrinted, stu.by.Account, printing.Printed{Code: code, Kind: printcode.KindNominationLetter,
			Record: record, Facts: facts, Printed: domain.DateOf(time.Now())})
		refusedWith(t, "a student's Letter of Nomination", ans, printing.ErrPrintKind)
	}
	if a := hs.call("GET", "/v1/verify/"+code, "", nil); a.status != http.StatusNotFound || a.code != printing.ErrCodeUnknown {
		t.Fatalf("the forged code verifies: HTTP %d %s %s", a.status, a.code, a.body)
	}
	hs.servesTheDIR()
}

// TestAttackCodeForOthersRecord: a DIR registers a code for a request of
// another school, and one for their own school's request with facts of
// their choosing: both refused; their own request as it stands verifies.
func TestAttackCodeForOthersRecord(t *testing.T) {
	hs := startFacts(t)
	stu := hs.registered(t, "eleve.other", (programs.Desk).RegisterStudent)
	schools, err := stu.st.Institutions()
	if err != nil || len(schools) != 2 {
		t.Fatalf("schools: %v %v", schools, err)
	}
	ids := map[string]store.Institution{}
	for _, s := range schools {
		ids[s.Code.String()] = s
	}
	raise := func(school domain.ID) ens.Request {
		r, err := stu.st.RaiseRequest(stu.by, ens.Raise{Type: ens.EV, School: school, Student: ens.Student{GivenNames: "Élodie",
			FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17}, ClientID: "12345678", Email: "e@example.ca"}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	theirs, mine := raise(ids["B02"].ID), raise(ids["A01"].ID)
	stu.sync()
	dir := hs.signedIn(t, hs.desk("dir2"), domain.ID{}, hostileUser, hostilePassword)
	key := hs.printKey(t, dir)
	register := func(r ens.Request, school store.Institution, facts []printcode.Fact) (string, sync.Answer) {
		code := key.Code(printcode.KindRequestRecord, facts)
		_, ans := hs.push(t, dir, printing.KindPrinted, dir.by.Account, printing.Printed{Code: code, Kind: printcode.KindRequestRecord,
			Record: r.ID, Facts: facts, Printed: domain.DateOf(time.Now())})
		return code, ans
	}
	code, ans := register(theirs, ids["B02"], printcode.RequestFactsOf("B02", ids["B02"].Name, &theirs))
	refusedWith(t, "another school's request", ans, printing.ErrPrintRecord)
	if a := hs.call("GET", "/v1/verify/"+code, "", nil); a.status != http.StatusNotFound {
		t.Fatalf("another school's request verifies: HTTP %d", a.status)
	}
	edited := printcode.RequestFactsOf("A01", ids["A01"].Name, &mine)
	edited[3].Value = "EVN-MADE-UP"
	_, ans = register(mine, ids["A01"], edited)
	refusedWith(t, "an edited request", ans, printing.ErrPrintChanged)
	code, ans = register(mine, ids["A01"], printcode.RequestFactsOf("A01", ids["A01"].Name, &mine))
	if ans.Outcome != sync.Applied {
		t.Fatalf("the DIR's own request as it stands: %+v", ans)
	}
	if a := hs.call("GET", "/v1/verify/"+code, "", nil); a.status != http.StatusOK {
		t.Fatalf("the genuine code: HTTP %d %s", a.status, a.code)
	}
	hs.servesTheDIR()
}

// applicantWithFile registers an applicant on their desk, with a file
// registered on the server.
func (hs *hostileServer) applicantWithFile(t *testing.T, user string, app oinp.Application) (*factsPerson, applications.ApplicationRecord) {
	t.Helper()
	p := hs.registered(t, user, (programs.Desk).RegisterApplicant)
	if _, err := p.st.SaveApplication(p.by, app); err != nil {
		t.Fatal(err)
	}
	if _, err := p.st.RegisterApplication(p.by); err != nil {
		t.Fatal(err)
	}
	p.sync()
	rec, _, err := p.st.Application(p.by)
	if err != nil || rec.App.FileNumber == "" {
		t.Fatalf("the file: %+v %v", rec.App.FileNumber, err)
	}
	return p, rec
}

// TestAttackFutureRegistered: an applicant's desk says the file was
// registered in 2030 (14 days to submit from then): the server's day
// decides.
func TestAttackFutureRegistered(t *testing.T) {
	hs := startFacts(t)
	p := hs.registered(t, "linh.future", (programs.Desk).RegisterApplicant)
	if _, err := p.st.SaveApplication(p.by, oinp.Application{LearnedFrom: "employer"}); err != nil {
		t.Fatal(err)
	}
	p.sync()
	_, ans := hs.push(t, p, applications.KindRegisterApplication, p.by.Account, applications.RegisterApplicationPayload{
		FileNumber: "JOID-2030001", Registered: domain.Date{Year: 2030, Month: 1, Day: 1}})
	if ans.Outcome == sync.Rejected {
		t.Fatalf("registration refused: %+v", ans)
	}
	p.sync()
	rec, _, err := p.st.Application(p.by)
	if today := domain.DateOf(time.Now()); err != nil || rec.App.Registered != today {
		t.Fatalf("registered %v (the server's day is %v): %v", rec.App.Registered, today, err)
	}
	hs.servesTheDIR()
}

// TestAttackBackdatedReport: a DIR's desk says the school's compliance
// report was submitted last January: the server's clock dates it.
func TestAttackBackdatedReport(t *testing.T) {
	hs := startFacts(t)
	dir := hs.signedIn(t, hs.desk("dir2"), domain.ID{}, hostileUser, hostilePassword)
	year, open := ens.ComplianceYearOf(time.Now())
	if !open {
		year-- // the server takes no report of a list not drawn up
	}
	lastJanuary := time.Date(time.Now().Year(), 1, 15, 12, 0, 0, 0, time.UTC)
	_, ans := hs.push(t, dir, compliance.KindSubmitComplianceReport, compliance.ComplianceReportID(dir.by.Org, year),
		compliance.ComplianceSubmitPayload{School: dir.by.Org, Year: year, At: lastJanuary})
	if ans.Outcome == sync.Rejected {
		t.Fatalf("the report was refused: %+v", ans)
	}
	dir.sync()
	rep, err := dir.st.ComplianceReport(dir.by, dir.by.Org, year)
	if err != nil || time.Since(rep.Submitted) > time.Hour {
		t.Fatalf("submitted %v: %v", rep.Submitted, err)
	}
	hs.servesTheDIR()
}

// TestAttackRepNameFromPayload: a representative asks for a file under
// another name and e-mail; the file records their account's.
func TestAttackRepNameFromPayload(t *testing.T) {
	hs := startFacts(t)
	owner, rec := hs.applicantWithFile(t, "linh.rep", oinp.Application{LearnedFrom: "employer",
		Contact: oinp.Contact{Email: "linh@example.ca"}})
	rep := hs.registered(t, "sam.rep", (programs.Desk).RegisterRepresentative)
	_, ans := hs.push(t, rep, applications.KindRepRequest, rep.by.Account, applications.RepRequestPayload{FileNumber: rec.App.FileNumber,
		Email: "linh@example.ca", Name: "Ontario Immigration Officer", RepEmail: "officer@ontario.ca",
		On: domain.Date{Year: 2020, Month: 1, Day: 1}})
	if ans.Outcome != sync.Applied {
		t.Fatalf("the request: %+v", ans)
	}
	owner.sync()
	got, _, _ := owner.st.Application(owner.by)
	if len(got.App.Representatives) != 1 {
		t.Fatalf("representatives: %+v", got.App.Representatives)
	}
	r := got.App.Representatives[0]
	if r.Name != "Sam Rep" || r.Email != "sam.rep@example.ca" || r.Asked != domain.DateOf(time.Now()) {
		t.Fatalf("the file records %q <%s> asked %v", r.Name, r.Email, r.Asked)
	}
	hs.servesTheDIR()
}

// TestAttackAttachmentLies: an attachment whose declared type, size or
// hash are not those of its bytes is refused; one declared "from the
// employer", dated 2020, is the applicant's, dated today.
func TestAttackAttachmentLies(t *testing.T) {
	hs := startFacts(t)
	p, _ := hs.applicantWithFile(t, "linh.attach", oinp.Application{LearnedFrom: "employer"})
	content := []byte("%PDF-1.7\nmy résumé\n")
	typ, err := oinp.CheckAttachment("resume", "cv.pdf", content)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256Hex(content)
	honest := oinp.Document{Kind: "resume", Name: "cv.pdf", Type: typ, Size: int64(len(content)), SHA256: sum}
	for name, lie := range map[string]func(*oinp.Document){
		"type": func(d *oinp.Document) { d.Type = "image/png" },
		"size": func(d *oinp.Document) { d.Size = 1 },
		"hash": func(d *oinp.Document) { d.SHA256 = strings.Repeat("0", 64) },
	} {
		doc := honest
		doc.ID, _ = domain.NewID(time.Now(), rand.Reader)
		lie(&doc)
		_, ans := hs.push(t, p, applications.KindAttachDocument, p.by.Account, applications.AttachPayload{Doc: doc, Content: content})
		refusedWith(t, "a lying "+name, ans, applications.ErrAttachmentMismatch)
	}
	doc := honest
	doc.ID, _ = domain.NewID(time.Now(), rand.Reader)
	doc.FromEmployer, doc.Added = true, domain.Date{Year: 2020, Month: 1, Day: 1}
	if _, ans := hs.push(t, p, applications.KindAttachDocument, p.by.Account, applications.AttachPayload{Doc: doc, Content: content}); ans.Outcome != sync.Applied {
		t.Fatalf("an honest attachment: %+v", ans)
	}
	p.sync()
	got, _, _ := p.st.Application(p.by)
	if len(got.App.Documents) != 1 || got.App.Documents[0].FromEmployer || got.App.Documents[0].Added != domain.DateOf(time.Now()) {
		t.Fatalf("the file lists %+v", got.App.Documents)
	}
	hs.servesTheDIR()
}

// approvedEmployer enrols a business on its desk and has the program's
// officer approve it.
func (hs *hostileServer) approvedEmployer(t *testing.T, user, bn, legal string) *factsPerson {
	t.Helper()
	d := hs.desk(user)
	a, _, err := d.st.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: bn, LegalName: legal},
		account.Registration{UserID: user, Password: factsPass, GivenNames: "Anna", FamilyName: "Kowalski",
			Email: user + "@example.ca", AcceptTerms: true, Questions: hostileQuestions})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, factsPass); err != nil {
		t.Fatal(err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	off := hs.signedIn(t, hs.desk("officer-"+user), domain.ID{}, factsOfficer, factsPass)
	pending, _ := off.st.Businesses(off.by, employer.Pending)
	if len(pending) == 0 {
		t.Fatal("no business to approve")
	}
	if _, err := off.st.DecideBusiness(off.by, pending[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	off.sync()
	return hs.signedIn(t, d, a.ID, user, factsPass)
}

// exampleForm is the complete Employer Form of the example application.
func exampleForm(t *testing.T) oinp.EmployerForm {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := oinp.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return a.Employer
}

// signAttack sends the employer's signature of form under what change
// makes of it, signed with a key of the employer's making.
func (hs *hostileServer) signAttack(t *testing.T, p *factsPerson, form oinp.EmployerForm, change func(*employer.SignedForm)) sync.Answer {
	t.Helper()
	rec, err := p.st.SaveEmployerForm(p.by, domain.ID{}, form)
	if err != nil {
		t.Fatal(err)
	}
	p.sync()
	b, err := p.st.Business(p.by, p.by.Org)
	if err != nil {
		t.Fatal(err)
	}
	form.Signed = domain.DateOf(time.Now())
	form.LegalName, form.BusinessNumber = b.LegalName, string(b.BN)
	s := employer.SignedForm{FormID: rec.ID, Business: b.ID, BN: b.BN, LegalName: b.LegalName, Form: form,
		Signer: p.by.Account, SignerName: "Anna Kowalski", SignedAt: time.Now()}
	change(&s)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	_, ans := hs.push(t, p, applications.KindSignEmployerForm, rec.ID, applications.SignedPayload{Signed: s.Sign(key)})
	return ans
}

// TestAttackSignIncompleteForm: a form missing its job offer is signed.
func TestAttackSignIncompleteForm(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.inc", "123 456 782", "Les Serres Côté Inc.")
	form := exampleForm(t)
	form.Offer = oinp.JobOffer{}
	refusedWith(t, "an incomplete form", hs.signAttack(t, farm, form, func(*employer.SignedForm) {}), applications.ErrFormIncomplete)
	if ans := hs.signAttack(t, farm, exampleForm(t), func(*employer.SignedForm) {}); ans.Outcome != sync.Applied {
		t.Fatalf("the complete form: %+v", ans)
	}
	hs.servesTheDIR()
}

// TestAttackSignWithForeignBN: a form signed under another business's
// number and name.
func TestAttackSignWithForeignBN(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.bn", "123 456 782", "Les Serres Côté Inc.")
	refusedWith(t, "another BN", hs.signAttack(t, farm, exampleForm(t), func(s *employer.SignedForm) {
		s.BN, s.Form.BusinessNumber = "046454286", "046454286"
	}), applications.ErrFormBusiness)
	refusedWith(t, "another legal name", hs.signAttack(t, farm, exampleForm(t), func(s *employer.SignedForm) {
		s.LegalName, s.Form.LegalName = "Big Bank of Canada", "Big Bank of Canada"
	}), applications.ErrFormBusiness)
	hs.servesTheDIR()
}

// TestAttackSignAsAnotherSigner: a form signed under another factsPerson's
// name.
func TestAttackSignAsAnotherSigner(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.signer", "123 456 782", "Les Serres Côté Inc.")
	refusedWith(t, "another signer's name", hs.signAttack(t, farm, exampleForm(t), func(s *employer.SignedForm) {
		s.SignerName = "Chief Executive Officer"
	}), applications.ErrFormSigner)
	hs.servesTheDIR()
}

// TestAttackLinkFormWithoutConsent: an employer who knows a file number
// links its signed form into the file of an applicant who did not name
// it; once the applicant names the business, the link is accepted.
func TestAttackLinkFormWithoutConsent(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.link", "123 456 782", "Les Serres Côté Inc.")
	owner, file := hs.applicantWithFile(t, "linh.link", oinp.Application{LearnedFrom: "employer"})
	rec, err := farm.st.SaveEmployerForm(farm.by, domain.ID{}, exampleForm(t))
	if err != nil {
		t.Fatal(err)
	}
	if rec, _, err = farm.st.SignEmployerForm(farm.by, rec.ID); err != nil {
		t.Fatal(err)
	}
	farm.sync()
	link := applications.LinkPayload{Form: rec.ID, FileNumber: file.App.FileNumber}
	_, ans := hs.push(t, farm, applications.KindLinkEmployerForm, rec.ID, link)
	refusedWith(t, "a link without consent", ans, applications.ErrFormConsent)
	owner.sync()
	if got, _, _ := owner.st.Application(owner.by); got.EmployerForm != nil {
		t.Fatal("the form is in the file")
	}
	app := file.App
	app.Employer.BusinessNumber = "123456782"
	if _, err := owner.st.SaveApplication(owner.by, app); err != nil {
		t.Fatal(err)
	}
	owner.sync()
	if _, ans = hs.push(t, farm, applications.KindLinkEmployerForm, rec.ID, link); ans.Outcome != sync.Applied {
		t.Fatalf("the link once the applicant named the business: %+v", ans)
	}
	hs.servesTheDIR()
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestAttackSignInTheFuture: a form dated in 2030 (its six months would
// run from then), or signed two months before the desk sends it.
func TestAttackSignInTheFuture(t *testing.T) {
	hs := startFacts(t)
	farm := hs.approvedEmployer(t, "anna.date", "123 456 782", "Les Serres Côté Inc.")
	for _, at := range []time.Time{time.Date(2030, 1, 2, 12, 0, 0, 0, time.UTC), time.Now().AddDate(0, -2, 0)} {
		refusedWith(t, "a form signed "+at.Format(time.DateOnly), hs.signAttack(t, farm, exampleForm(t), func(s *employer.SignedForm) {
			s.SignedAt, s.Form.Signed = at, domain.DateOf(at)
		}), applications.ErrFormDate)
	}
	hs.servesTheDIR()
}

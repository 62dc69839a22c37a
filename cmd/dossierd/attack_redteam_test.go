package main

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/employers"
	"dossier/sync"
)

// The attacks of this file came after the issue "The server decides" was
// closed: each aims at what the first round of defences left open.

// TestAttackReplayOthersCommandID: the server keeps each command's answer
// under the command's ID, so that a repeat gets the same answer. A command
// ID is no secret (the audit names it). Another account — or an anonymous
// caller on /v1/register — that sent a command under the ID of a student's
// refused command used to read the student's stored answer, with the
// student's request in it (the record a refusal sends back). It is now
// refused with store.command.taken, without the record; the student's own
// repeat still reads it.
func TestAttackReplayOthersCommandID(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	school := hs.schools()["A01"]
	victim, by := hs.student("sam.victim")
	raise := benchRaise(school, 7)
	r, err := victim.st.RaiseRequest(by, raise)
	if err != nil {
		t.Fatal(err)
	}
	vtok, a := hs.signIn("sam.victim", hostilePassword)
	if a.status != 200 {
		t.Fatalf("the victim's sign-in: %d", a.status)
	}
	if ans := hs.pushAnswer(vtok.Access, lastCommand(t, victim.st, sync.KindRaiseRequest)); ans.Outcome != sync.Applied {
		t.Fatalf("the request: %+v %+v", ans, ans.Error)
	}
	// The victim's refused command: a Report on one request alone.
	payload, _ := json.Marshal(sync.ApplyPayload{Action: ens.Action{Function: ens.Report}, At: time.Now()})
	cmdID, _ := domain.NewID(time.Now(), rand.Reader)
	refused := sync.Command{ID: cmdID, Kind: sync.KindApplyFunction, Entity: r.ID, Actor: by.Account,
		BaseVersion: 1, Payload: payload}
	own := hs.pushAnswer(vtok.Access, refused)
	refusedWith(t, "the victim's Report", own, ens.ErrReportThroughSubmit)
	if own.Current == nil || !strings.Contains(string(own.Current.Data), raise.Student.FamilyName) {
		t.Fatalf("the victim's refusal sends back no request: %+v", own.Current)
	}

	// Another student sends a command of their own under the same ID.
	_, eve := hs.student("eve.replay")
	etok, _ := hs.signIn("eve.replay", hostilePassword)
	stolen := refused
	stolen.Actor = eve.Account
	ans := hs.pushAnswer(etok.Access, stolen)
	refusedWith(t, "another account's command ID", ans, store.ErrCommandTaken)
	if ans.Current != nil {
		t.Fatalf("the attacker read the victim's request: %s", ans.Current.Data)
	}
	// An anonymous sign-up under the same ID.
	signUp := hs.signUpCommand("eve.anon")
	signUp.ID = cmdID
	ans = hs.registerAnswer(signUp)
	refusedWith(t, "a sign-up under another's command ID", ans, store.ErrCommandTaken)
	if ans.Current != nil {
		t.Fatalf("an anonymous caller read the victim's request: %s", ans.Current.Data)
	}
	// The victim's own repeat still gets their answer.
	again := hs.pushAnswer(vtok.Access, refused)
	refusedWith(t, "the victim's repeat", again, ens.ErrReportThroughSubmit)
	if again.Current == nil {
		t.Fatal("the victim's repeat lost the record")
	}
	hs.servesTheDIR()
}

// TestAttackAttachUnderListedID: an applicant attached a second document
// under the ID of one the file lists. The file kept listing the first
// (its type, size and SHA-256, measured from its bytes) while the server
// replaced the bytes kept under that ID with the second's — an attachment
// whose listing is not its bytes, past the check of TestAttackAttachmentLies.
// It is refused with store.entity.exists; the file still lists the first
// document, and a new ID is taken.
func TestAttackAttachUnderListedID(t *testing.T) {
	hs := startFacts(t)
	p, _ := hs.applicantWithFile(t, "linh.swap", oinp.Application{LearnedFrom: "employer"})
	document := func(id domain.ID, content []byte) oinp.Document {
		typ, err := oinp.CheckAttachment("resume", "cv.pdf", content)
		if err != nil {
			t.Fatal(err)
		}
		return oinp.Document{ID: id, Kind: "resume", Name: "cv.pdf", Type: typ, Size: int64(len(content)),
			SHA256: sha256Hex(content)}
	}
	first := []byte("%PDF-1.7\nmy résumé\n")
	id, _ := domain.NewID(time.Now(), rand.Reader)
	if _, ans := hs.push(t, p, applications.KindAttachDocument, p.by.Account, applications.AttachPayload{Doc: document(id, first),
		Content: first}); ans.Outcome != sync.Applied {
		t.Fatalf("the first document: %+v", ans)
	}
	second := []byte("%PDF-1.7\nsomeone else's résumé, much longer\n")
	_, ans := hs.push(t, p, applications.KindAttachDocument, p.by.Account, applications.AttachPayload{Doc: document(id, second),
		Content: second})
	refusedWith(t, "a document under a listed document's ID", ans, store.ErrEntityExists)
	other, _ := domain.NewID(time.Now(), rand.Reader)
	if _, ans := hs.push(t, p, applications.KindAttachDocument, p.by.Account, applications.AttachPayload{Doc: document(other, second),
		Content: second}); ans.Outcome != sync.Applied {
		t.Fatalf("the second document under its own ID: %+v", ans)
	}
	p.sync()
	got, _, _ := p.st.Application(p.by)
	if len(got.App.Documents) != 2 || got.App.Documents[0].ID != id || got.App.Documents[0].SHA256 != sha256Hex(first) {
		t.Fatalf("the file lists %+v", got.App.Documents)
	}
	hs.servesTheDIR()
}

// TestAttackDIRPINForNonSchool: the program's PIN for a DIR names its
// organisation in the payload; a PIN "for the DIR" of a business or of a
// province would make, at enrolment, an account that read the business's
// Employer Forms or the province's compliance reports. It holds: the
// desk number a DIR's PIN carries is drawn from the school's record, so
// one that names no school is refused (store.school.unknown); the PIN
// for the real school is still issued.
func TestAttackDIRPINForNonSchool(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true)
	school := hs.schools()["A01"]
	_, biz := hs.employerDesk("anna.dirpin", "123 456 782", "Les Serres Côté Inc.")
	off, officer := hs.officerDesk()
	if _, _, err := off.st.IssuePIN(officer, account.PINRequest{Role: account.DIR, Org: school,
		GivenNames: "Luc", FamilyName: "Gagnon"}); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, off.st, sync.KindIssuePIN)
	tok, a := hs.signIn(hostileProgram, hostileProgramPassword)
	if a.status != 200 {
		t.Fatalf("the officer's sign-in: %d", a.status)
	}
	for name, org := range map[string]domain.ID{"a business": biz.Business, "a province": store.ProvinceID("ON")} {
		aimed := cmd
		aimed.ID, _ = domain.NewID(time.Now(), rand.Reader)
		aimed.Entity, _ = domain.NewID(time.Now(), rand.Reader)
		reshape(t, &aimed, func(p *sync.IssuePINPayload) { p.PIN.Org = org; p.PIN.ID = aimed.Entity })
		refusedWith(t, "a DIR's PIN for "+name, hs.pushAnswer(tok.Access, aimed), store.ErrSchoolUnknown)
	}
	if ans := hs.pushAnswer(tok.Access, cmd); ans.Outcome == sync.Rejected {
		t.Fatalf("the DIR's PIN for the school: %+v %+v", ans, ans.Error)
	}
	hs.servesTheDIR()
}

// TestAttackRefusalFlood: a signed-in student pushed a thousand commands
// the rules refuse, push after push. Every refusal is recorded (its
// answer and an audit entry) and costs a second commit: the audit trail
// grew without bound and the writer was held from everyone else. Past
// the refusal limit the push is answered 429 sync.rate.limited with
// Retry-After, before the refusal is recorded; the refusals recorded
// before it keep their answers, and the student's commands the rules
// take still go through.
func TestAttackRefusalFlood(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	school := hs.schools()["A01"]
	d, by := hs.student("sam.flood")
	r, err := d.st.RaiseRequest(by, benchRaise(school, 3))
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := hs.signIn("sam.flood", hostilePassword)
	if ans := hs.pushAnswer(tok.Access, lastCommand(t, d.st, sync.KindRaiseRequest)); ans.Outcome != sync.Applied {
		t.Fatalf("the request: %+v", ans)
	}
	payload, _ := json.Marshal(sync.ApplyPayload{Action: ens.Action{Function: ens.Report}})
	cmds := make([]sync.Command, 1000)
	for i := range cmds {
		id, _ := domain.NewID(time.Now(), rand.Reader)
		cmds[i] = sync.Command{ID: id, Kind: sync.KindApplyFunction, Entity: r.ID, Actor: by.Account, BaseVersion: 1,
			Payload: payload}
	}
	a := hs.call("POST", "/v1/push", tok.Access, sync.PushRequest{Commands: cmds})
	if a.status != http.StatusTooManyRequests || a.code != sync.ErrRateLimited || a.retry == "" {
		t.Fatalf("a thousand refused commands: HTTP %d %s Retry-After %q", a.status, a.code, a.retry)
	}
	burst := store.DefaultRefusalLimit.Burst
	// The refusals within the limit were recorded: their repeat reads them.
	a = hs.call("POST", "/v1/push", tok.Access, sync.PushRequest{Commands: cmds[:burst]})
	var pr sync.PushResponse
	if a.status != http.StatusOK || json.Unmarshal(a.body, &pr) != nil || len(pr.Answers) != burst {
		t.Fatalf("the recorded refusals again: HTTP %d %s", a.status, a.code)
	}
	for _, ans := range pr.Answers {
		refusedWith(t, "a recorded refusal", ans, ens.ErrReportThroughSubmit)
	}
	// The one past them was not.
	a = hs.call("POST", "/v1/push", tok.Access, sync.PushRequest{Commands: cmds[burst : burst+1]})
	if a.status != http.StatusTooManyRequests || a.code != sync.ErrRateLimited {
		t.Fatalf("a refusal past the limit: HTTP %d %s", a.status, a.code)
	}
	// What the rules take still goes through.
	if _, err := d.st.RaiseRequest(by, benchRaise(school, 4)); err != nil {
		t.Fatal(err)
	}
	if ans := hs.pushAnswer(tok.Access, lastCommand(t, d.st, sync.KindRaiseRequest)); ans.Outcome != sync.Applied {
		t.Fatalf("a second request after the flood: %+v %+v", ans, ans.Error)
	}
	hs.servesTheDIR()
}

// TestAttackBranchFlood: an approved employer added branches without end
// (fifty at once, then one a minute, day after day). The business's
// record carries every branch, and the server files each change of it for
// every unit: thousands of branches made each change of the business cost
// thousands of writes. A business has at most employer.MaxBranches; the
// next is refused with list.too-long (the creation limits lifted here, so
// that the test reaches it in one push).
func TestAttackBranchFlood(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true, func(m *Main) { m.creates = store.NoCreateLimits() })
	d, e := hs.approvedEmployerDesk("eve.chain", "222 222 226", "Eve Chain Inc.")
	if _, err := d.st.CreateBranch(e.Actor, "Annexe", "Sudbury"); err != nil {
		t.Fatal(err)
	}
	model := lastCommand(t, d.st, employers.KindCreateBranch)
	tok, a := hs.signIn("eve.chain", hostilePassword)
	if a.status != 200 {
		t.Fatalf("sign-in: %d", a.status)
	}
	cmds := make([]sync.Command, employer.MaxBranches+1)
	for i := range cmds {
		c := model
		c.ID, _ = domain.NewID(time.Now(), rand.Reader)
		c.Entity, _ = domain.NewID(time.Now(), rand.Reader)
		reshape(t, &c, func(p *employers.BranchPayload) { p.Branch.ID = c.Entity })
		cmds[i] = c
	}
	var answers []sync.Answer
	for i := 0; i < len(cmds); i += 50 {
		batch := cmds[i:min(i+50, len(cmds))]
		a := hs.call("POST", "/v1/push", tok.Access, sync.PushRequest{Commands: batch})
		var pr sync.PushResponse
		if a.status != http.StatusOK || json.Unmarshal(a.body, &pr) != nil || len(pr.Answers) != len(batch) {
			t.Fatalf("the branches from %d: HTTP %d %s", i, a.status, a.code)
		}
		answers = append(answers, pr.Answers...)
	}
	for i, ans := range answers[:employer.MaxBranches] {
		if ans.Outcome != sync.Applied {
			t.Fatalf("branch %d: %+v %+v", i, ans, ans.Error)
		}
	}
	refusedWith(t, "a branch past the most a business has", answers[employer.MaxBranches], domain.ErrListTooLong)
	hs.servesTheDIR()
}

// TestAttackDocumentFlood: an applicant attached scans without end (sixty
// at once, then one every five minutes, each up to 10 MB, all kept on the
// server). A file lists at most oinp.MaxDocuments of the applicant's; the
// next is refused with list.too-long (the creation limits lifted here, so
// that the test reaches it at once), and one removed makes room again.
func TestAttackDocumentFlood(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true, func(m *Main) { m.creates = store.NoCreateLimits() })
	p, _ := hs.applicantWithFile(t, "linh.flood", oinp.Application{LearnedFrom: "employer"})
	content := []byte("%PDF-1.7\nmy résumé\n")
	typ, err := oinp.CheckAttachment("resume", "cv.pdf", content)
	if err != nil {
		t.Fatal(err)
	}
	cmds := make([]sync.Command, oinp.MaxDocuments+1)
	for i := range cmds {
		doc := oinp.Document{Kind: "resume", Name: "cv.pdf", Type: typ, Size: int64(len(content)), SHA256: sha256Hex(content)}
		doc.ID, _ = domain.NewID(time.Now(), rand.Reader)
		raw, _ := json.Marshal(applications.AttachPayload{Doc: doc, Content: content})
		cmds[i].ID, _ = domain.NewID(time.Now(), rand.Reader)
		cmds[i].Kind, cmds[i].Entity, cmds[i].Actor, cmds[i].Payload = applications.KindAttachDocument, p.by.Account, p.by.Account, raw
	}
	a := hs.call("POST", "/v1/push", p.tok.Access, sync.PushRequest{Commands: cmds})
	var pr sync.PushResponse
	if a.status != http.StatusOK || json.Unmarshal(a.body, &pr) != nil || len(pr.Answers) != len(cmds) {
		t.Fatalf("the documents: HTTP %d %s", a.status, a.code)
	}
	for i, ans := range pr.Answers[:oinp.MaxDocuments] {
		if ans.Outcome != sync.Applied {
			t.Fatalf("document %d: %+v %+v", i, ans, ans.Error)
		}
	}
	refusedWith(t, "a document past the most a file lists", pr.Answers[oinp.MaxDocuments], domain.ErrListTooLong)
	var first applications.AttachPayload
	json.Unmarshal(cmds[0].Payload, &first)
	if _, ans := hs.push(t, p, applications.KindRemoveDocument, p.by.Account, applications.RemovePayload{ID: first.Doc.ID}); ans.Outcome != sync.Applied {
		t.Fatalf("a removal: %+v", ans)
	}
	last := cmds[oinp.MaxDocuments]
	last.ID, _ = domain.NewID(time.Now(), rand.Reader)
	if ans := hs.pushAnswer(p.tok.Access, last); ans.Outcome != sync.Applied {
		t.Fatalf("a document after a removal: %+v %+v", ans, ans.Error)
	}
	hs.servesTheDIR()
}

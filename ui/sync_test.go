package ui

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"

	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/sync"
	"dossier/sync/client"
	"dossier/sync/server"
	"dossier/translations"
)

// syncServer is dossierd's store and API on a TLS loopback listener.
type syncServer struct {
	sv  programs.Server
	URL string
	fp  string
}

func startSyncServer(t *testing.T) *syncServer {
	t.Helper()
	sv, err := programs.OpenServer(t.TempDir(), store.ServerOptions{Store: store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewUnstartedServer(server.New(sv, testlog.Logger()))
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused certificate is expected
	hs.StartTLS()
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		sv.Close()
	})
	return &syncServer{sv: sv, URL: hs.URL, fp: client.Fingerprint(hs.Certificate().Raw)}
}

// school adds a school on the server and returns it with its DIR's PIN.
func (s *syncServer) school(t *testing.T) (store.Institution, string) {
	t.Helper()
	code, _ := ens.ParseSchoolCode("A01")
	in, err := s.sv.CreateInstitution(store.Institution{Name: "Collège Boréal", Code: code, Province: "ON"})
	if err != nil {
		t.Fatal(err)
	}
	pin, _, err := s.sv.IssueDIRPIN(in.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return in, pin
}

// freshDesk is a new, empty profile on the sign-in screen.
func freshDesk(t *testing.T) *Env {
	t.Helper()
	e, _ := newTestEnv(t)
	s, err := programs.Create(filepath.Join(e.DataDir, store.ProfileFileName), "profile password", e.StoreOptions)
	if err != nil {
		t.Fatal(err)
	}
	e.useStore(s)
	e.Show(ScreenSignIn)
	return e
}

// syncWait waits for cond, running the status updates the sync posts.
func syncWait(t *testing.T, e *Env, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		e.Drain()
		answerDialog(e)
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; status %+v, bar %q; refused: %s", what, e.syncStatus, e.bar.sync.Text, refusals(e))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// answerDialog answers the server's security question in its dialog, if
// one is open, as the person would.
func answerDialog(e *Env) {
	fyne.DoAndWait(func() {
		q := e.question
		if q == nil || q.answered {
			return
		}
		test.Type(q.answer, testAnswer(q.text.Text))
		q.answer.OnSubmitted(q.answer.Text)
	})
}

// syncWaitNudging is syncWait for a desk coming back after the server was
// away: its pull may be waiting out a back-off (a long one under the race
// detector, beside other packages' tests), so it is nudged every second,
// as a person pressing "sync now" would, for up to a minute.
func syncWaitNudging(t *testing.T, e *Env, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for next := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		e.Drain()
		answerDialog(e)
		if cond() {
			return
		}
		if time.Now().After(next) {
			e.Sync.Nudge()
			next = time.Now().Add(time.Second)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; status %+v, bar %q; refused: %s", what, e.syncStatus, e.bar.sync.Text, refusals(e))
		}
	}
}

// refusals describes the desk's refused commands for a failure message.
func refusals(e *Env) string {
	if e.Session == nil {
		return "nobody signed in"
	}
	rs, err := e.Store.Rejections(e.Actor())
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %s: %+v", r.Kind, r.Entity, r.Error))
	}
	return strings.Join(out, "; ")
}

func fillCredentials(f *credentialForm, given, family, user string) {
	f.given.SetText(given)
	f.family.SetText(family)
	f.user.SetText(user)
	f.pass.SetText("a long password 1")
	f.repeat.SetText("a long password 1")
	for i := range f.questions {
		f.questions[i].SetText([]string{"First school?", "First pet?", "Street?", "Book?"}[i])
		f.answers[i].SetText([]string{"answer one", "answer two", "answer three", "answer four"}[i])
	}
	f.terms.SetChecked(true)
}

// online waits until the top bar says the desk is online with nothing
// left to send.
func online(t *testing.T, e *Env, who string) {
	t.Helper()
	syncWait(t, e, who+" online with nothing to send", func() bool {
		s := e.syncStatus
		// The outbox itself, not only the last status: a status from
		// before the latest write says nothing of it.
		n, err := e.Store.Counts(e.Actor())
		return err == nil && n.Pending == 0 && s.Online && s.SignedIn && s.Pending == 0 &&
			strings.HasPrefix(e.bar.sync.Text, "Online")
	})
}

// TestDesksConvergeThroughTheServer: three fresh profiles connect through
// the sync screen (each wrong address or fingerprint refused with its
// message), a DIR enrols online with the program's PIN, a student
// registers and raises requests, a signatory enrols online with a PIN the
// DIR issued on their own desk, and each desk's screens follow the
// others' work. A race is refused and shown on the signatory's sync
// screen, an edit of one field on two desks is shown as a conflict, and
// both are marked read.
func TestDesksConvergeThroughTheServer(t *testing.T) {
	srv := startSyncServer(t)
	school, dirPIN := srv.school(t)

	// The DIR's desk: connect before anyone signs in.
	dir := freshDesk(t)
	if dir.bar.sync.Text != "Not connected to a server" || dir.bar.syncNow.Visible() {
		t.Fatalf("bar before connecting: %q", dir.bar.sync.Text)
	}
	test.Tap(dir.bar.sync)
	v := dir.view.(*syncView)
	for _, c := range []struct{ server, fp, field, want string }{
		{"http://" + strings.TrimPrefix(srv.URL, "https://"), srv.fp, "server", "https://name:port"},
		{srv.URL, "not-hex", "fingerprint", "64 hexadecimal digits"},
		{srv.URL, strings.Repeat("0", 64), "", "certificate is not the one"},
	} {
		v.server.SetText(c.server)
		v.fingerprint.SetText(c.fp)
		test.Tap(v.connect)
		got := v.form.general.Text
		if c.field != "" {
			got = v.form.errors[c.field].Text
		}
		if !strings.Contains(got, c.want) || dir.Sync != nil {
			t.Fatalf("connect %q %q: %q (want %q)", c.server, c.fp, got, c.want)
		}
	}
	v.server.SetText(srv.URL)
	v.fingerprint.SetText(srv.fp)
	test.Tap(v.connect)
	if dir.Sync == nil || !strings.Contains(v.link.Text, srv.URL) || dir.bar.sync.Text != "Connected to the server: sign in to sync" {
		t.Fatalf("not connected: %q %q, bar %q", v.link.Text, v.form.general.Text, dir.bar.sync.Text)
	}
	dir.Show(ScreenEnrol)
	f := dir.view.(*credentialForm)
	f.pin.SetText(dirPIN)
	fillCredentials(f, "Dominique", "Roy", "dir.roy")
	test.Tap(f.submit)
	if dir.Account.Role != account.DIR || dir.Account.Org != school.ID {
		t.Fatalf("DIR enrolment: %s %v %q", dir.Account.Role, dir.Account.Org, f.form.general.Text)
	}
	online(t, dir, "the DIR")
	syncWait(t, dir, "the school on the DIR's desk", func() bool {
		_, err := dir.Store.Institution(school.ID)
		return err == nil
	})
	sigPIN, _, err := dir.Store.IssuePIN(dir.Actor(), account.PINRequest{Role: account.Signatory, Org: school.ID})
	if err != nil {
		t.Fatal(err)
	}
	online(t, dir, "the DIR, PIN sent")

	// The student: registers on a connected desk (offline-first: the
	// registration is sent when they sign in), receives the schools, raises.
	stu := freshDesk(t)
	test.Tap(stu.bar.sync)
	sv := stu.view.(*syncView)
	sv.server.SetText(srv.URL)
	sv.fingerprint.SetText(srv.fp)
	test.Tap(sv.connect)
	stu.Show(ScreenRegister)
	rf := stu.view.(*credentialForm)
	fillCredentials(rf, "Élodie", "Côté", "elodie.cote")
	rf.email.SetText("elodie@example.ca")
	test.Tap(rf.submit)
	online(t, stu, "the student")
	syncWait(t, stu, "the schools on the student's screen", func() bool {
		sv, ok := stu.view.(*studentView)
		return ok && len(sv.school.Options) == 1 && sv.school.Options[0] == school.Name
	})
	var raised []ens.Request
	for i, family := range []string{"Côté", "Côté-Tremblay"} {
		r, err := stu.Store.RaiseRequest(stu.Actor(), ens.Raise{Type: ens.EV, School: school.ID, Student: ens.Student{
			GivenNames: "Élodie", FamilyName: family, BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
			ClientID: domain.ClientID([]string{"12345678", "12345679"}[i]), Email: "elodie@example.ca"}})
		if err != nil {
			t.Fatal(err)
		}
		raised = append(raised, r)
	}
	online(t, stu, "the student, requests sent")
	syncWait(t, dir, "the requests in the DIR's queue", func() bool {
		q, ok := dir.view.(*queueView)
		return ok && len(q.ids) == 2
	})

	// The signatory, on a third computer, with the PIN from the DIR's desk.
	sig := freshDesk(t)
	test.Tap(sig.bar.sync)
	gv := sig.view.(*syncView)
	gv.server.SetText(srv.URL)
	gv.fingerprint.SetText(srv.fp)
	test.Tap(gv.connect)
	sig.Show(ScreenEnrol)
	sf := sig.view.(*credentialForm)
	sf.pin.SetText(sigPIN)
	fillCredentials(sf, "Zoé", "Gagnon", "zoe.gagnon")
	test.Tap(sf.submit)
	if sig.Account.Role != account.Signatory {
		t.Fatalf("signatory enrolment: %q", sf.form.general.Text)
	}
	online(t, sig, "the signatory")
	syncWait(t, sig, "the requests in the signatory's queue", func() bool {
		q, ok := sig.view.(*queueView)
		return ok && len(q.ids) == 2
	})

	// A race: the signatory is offline while both verify the first request.
	sig.stopSync()
	first := raised[0]
	if _, err := dir.Store.Act(dir.Actor(), first.ID, ens.Action{Function: ens.Verify, Draft: allChecksMet()}, first.Version); err != nil {
		t.Fatal(err)
	}
	online(t, dir, "the DIR, verification sent")
	if _, err := sig.Store.Act(sig.Actor(), first.ID, ens.Action{Function: ens.Verify, Draft: allChecksMet()}, first.Version); err != nil {
		t.Fatal(err)
	}
	// Both save the notes of the second request: the signatory's, later,
	// wins everywhere and the DIR's is kept as the conflict's lost value.
	second := raised[1]
	if _, err := dir.Store.Act(dir.Actor(), second.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Called the registrar"}}, second.Version); err != nil {
		t.Fatal(err)
	}
	online(t, dir, "the DIR, notes sent")
	if _, err := sig.Store.Act(sig.Actor(), second.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Transcript received"}}, second.Version); err != nil {
		t.Fatal(err)
	}
	sig.goOnline("zoe.gagnon", "a long password 1")
	syncWait(t, sig, "the refusal in the signatory's bar", func() bool {
		return sig.syncStatus.Rejected == 1 && sig.syncStatus.Pending == 0 && strings.Contains(sig.bar.sync.Text, "refused: 1")
	})
	test.Tap(sig.bar.sync)
	gv = sig.view.(*syncView)
	if gv.formBox.Visible() {
		t.Fatal("the connection form shows while connected and signed in")
	}
	test.Tap(gv.change)
	if !gv.formBox.Visible() || gv.server.Text != srv.URL {
		t.Fatalf("Change: form shown %v with %q", gv.formBox.Visible(), gv.server.Text)
	}
	if len(gv.rejected) != 1 || !strings.Contains(rowText(gv.rejections, 0), "Refused by the server") ||
		!strings.Contains(rowText(gv.rejections, 0), "A change to a request (EV — Élodie Côté)") {
		t.Fatalf("rejections: %+v\n%q", gv.rejected, rowText(gv.rejections, 0))
	}
	if r := gv.rejected[0]; r.Error == nil || !errors.Is(r.Error.Err(), ens.ErrNotInStatus) {
		t.Fatalf("refused for %+v", r.Error)
	}
	got, err := sig.Store.Request(sig.Actor(), first.ID)
	if err != nil || got.Status != ens.Verified {
		t.Fatalf("the signatory's desk shows %v (%v), not the server's verification", got.Status, err)
	}
	test.Tap(rowButton(t, gv.rejections, 0, "Mark as read"))
	syncWait(t, sig, "the refusal read", func() bool { return sig.syncStatus.Rejected == 0 })

	syncWait(t, dir, "the conflict on the DIR's desk", func() bool { return dir.syncStatus.Conflicts == 1 })
	test.Tap(dir.bar.sync)
	dv := dir.view.(*syncView)
	text := rowText(dv.conflicts, 0)
	if len(dv.conflicting) != 1 || !strings.Contains(text, "Kept: “Transcript received”. Replaced: “Called the registrar”") {
		t.Fatalf("conflicts: %+v\n%q", dv.conflicting, text)
	}
	dir.SetLang(translations.French)
	if text := rowText(dv.conflicts, 0); !strings.Contains(text, "Gardé\u00a0: «\u00a0Transcript received\u00a0»") {
		t.Fatalf("French conflict: %q", text)
	}
	test.Tap(rowButton(t, dv.conflicts, 0, "Marquer comme lu"))
	syncWait(t, dir, "the conflict read", func() bool { return dir.syncStatus.Conflicts == 0 })
	dir.SetLang(translations.English)

	// Logging out forgets the DIR's server tokens; the signatory signs in
	// on the DIR's computer, where their account is not yet: the server
	// holds it and the desk keeps it from then on.
	dir.LogOut()
	if dir.Sync.Account() != (domain.ID{}) {
		t.Fatal("the DIR's tokens stayed after logging out")
	}
	signInAs(t, dir, "zoe.gagnon", "a long password 1")
	if dir.Account.Role != account.Signatory {
		t.Fatalf("signatory on the DIR's desk: %v", dir.view.(*signIn).form.general.Text)
	}
	online(t, dir, "the signatory on the DIR's desk")

	// Once the desk stops syncing, the bar no longer says "Online".
	dir.stopSync()
	if strings.HasPrefix(dir.bar.sync.Text, "Online") || dir.syncStatus.Online {
		t.Errorf("bar after the sync stopped: %q", dir.bar.sync.Text)
	}
}

// allChecksMet confirms every criterion.
func allChecksMet() *ens.Draft {
	var d ens.Draft
	for _, c := range ens.Criteria {
		d.Checks[c] = ens.Met
	}
	return &d
}

// rowText is the text of row i of a list of refusals or conflicts.
func rowText(list *fyne.Container, i int) string {
	if len(list.Objects) <= i {
		return ""
	}
	switch o := list.Objects[i].(type) {
	case *widget.Label:
		return o.Text
	case *fyne.Container:
		return o.Objects[0].(*widget.Label).Text
	}
	return ""
}

// rowButton is the button of row i of a list of refusals or conflicts.
func rowButton(t *testing.T, list *fyne.Container, i int, text string) *widget.Button {
	t.Helper()
	if row, ok := list.Objects[i].(*fyne.Container); ok {
		for _, o := range row.Objects[1].(*fyne.Container).Objects {
			if b, ok := o.(*widget.Button); ok && b.Text == text {
				return b
			}
		}
	}
	t.Fatalf("no button %q on row %d", text, i)
	return nil
}

// seedSync leaves the signed-in DIR's profile as a sync would: connected
// to a server, one of their changes refused, one conflict on their school.
func seedSync(t *testing.T, e *Env, now time.Time) {
	t.Helper()
	err := e.Store.UpdateSyncState(func(s *store.SyncState) {
		s.Server, s.Fingerprint = "https://dossier.example.ca:8443", strings.Repeat("3f9c", 16)
	})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := e.Store.QueueIDs(e.Actor(), requests.QueueFilter{School: e.Account.Org, Statuses: []ens.Status{ens.New}})
	if err != nil || len(ids) < 2 {
		t.Fatalf("%d new requests: %v", len(ids), err)
	}
	rs, err := e.Store.Requests(e.Actor(), ids[:2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Act(e.Actor(), rs[0].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Transcript received"}}, rs[0].Version); err != nil {
		t.Fatal(err)
	}
	out, err := e.Store.PendingFor(e.Actor().Account, 100)
	if err != nil || len(out) == 0 {
		t.Fatalf("outbox %d: %v", len(out), err)
	}
	refusal := domain.Errorf(ens.ErrNotInStatus, ens.Save, ens.Verified)
	err = e.Store.Acknowledge([]sync.Answer{{Command: out[len(out)-1].Command.ID, Outcome: sync.Rejected,
		Error: sync.EncodeError(refusal)}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := domain.NewID(now, rand.Reader)
	cr, _ := json.Marshal(store.ConflictRecord{ID: id, Request: rs[1].ID, School: e.Account.Org, Field: "check.full-time",
		Kept: sync.FieldVersion{Value: "1"}, Lost: sync.FieldVersion{Value: "2"}, At: now})
	page := sync.ChangesResponse{Epoch: id, Next: 1, Changes: []sync.Change{{Seq: 1, Kind: sync.EntityConflict, ID: id, Data: cr}}}
	if _, err := e.Store.ApplyChanges(domain.ID{}, domain.ID{}, 0, page); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenSync renders the sync screen, with a refusal and a conflict
// and the top bar's status, in both languages.
func TestGoldenSync(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e, clock, _ := desk(t, 60)
			e.SetLang(lang)
			e.Window.Resize(fyne.NewSize(1240, 720))
			signInAs(t, e, "dir.beaulieu", demo.Password)
			seedSync(t, e, clock.now)
			e.attachSync()
			n, err := e.Store.Counts(e.Actor())
			if err != nil || n.Rejected != 1 || n.Conflicts != 1 {
				t.Fatalf("counts %+v %v", n, err)
			}
			e.syncStatus = client.Status{Online: true, SignedIn: true, Pending: 2, Rejected: 1, Conflicts: 1, LastSync: clock.now}
			e.Show(ScreenSync)
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "sync_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
		})
	}
}

// TestDownloadShowsProgress: a large first download shows its progress
// bar and count in the top bar, which go when it ends.
func TestDownloadShowsProgress(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	if err := e.Store.UpdateSyncState(func(s *store.SyncState) { s.Server = "https://dossier.example.ca:8443" }); err != nil {
		t.Fatal(err)
	}
	e.attachSync()
	e.showSyncStatus(client.Status{Online: true, SignedIn: true, Done: 4000, Total: 100000})
	if !e.bar.downloadBox.Visible() || e.bar.download.Value != 4000 || e.bar.download.Max != 100000 ||
		!strings.Contains(e.bar.sync.Text, "receiving 4,000 of 100,000") {
		t.Fatalf("download: shown %v, %v of %v, %q", e.bar.downloadBox.Visible(), e.bar.download.Value, e.bar.download.Max, e.bar.sync.Text)
	}
	e.SetLang(translations.French)
	if !strings.Contains(e.bar.sync.Text, "réception\u00a0: 4\u00a0000 sur 100\u00a0000") {
		t.Fatalf("French: %q", e.bar.sync.Text)
	}
	e.showSyncStatus(client.Status{Online: true, SignedIn: true})
	if e.bar.downloadBox.Visible() {
		t.Fatal("the progress bar stays after the download")
	}
}

// connectDesk connects a fresh desk to the server through the sync screen.
func connectDesk(t *testing.T, e *Env, srv *syncServer) {
	t.Helper()
	test.Tap(e.bar.sync)
	v := e.view.(*syncView)
	v.server.SetText(srv.URL)
	v.fingerprint.SetText(srv.fp)
	test.Tap(v.connect)
	if e.Sync == nil {
		t.Fatalf("not connected: %q", v.form.general.Text)
	}
}

// TestRepresentativeFillsOnlyWhatIsEmpty: through the screens, a
// representative asks to act for an applicant, the applicant authorises
// them, and in the applicant's file the representative finds the
// applicant's answers read-only and fills an empty field, which reaches
// the applicant.
func TestRepresentativeFillsOnlyWhatIsEmpty(t *testing.T) {
	srv := startSyncServer(t)
	appl := freshDesk(t)
	connectDesk(t, appl, srv)
	appl.Show(ScreenRegister)
	f := appl.view.(*credentialForm)
	fillCredentials(f, "Linh", "Nguyen", "linh.nguyen")
	f.email.SetText("linh@example.ca")
	f.as.SetSelected(f.as.Options[1])
	test.Tap(f.submit)
	online(t, appl, "the applicant")
	a := example(t)
	a.Applicant.BirthPlace = ""
	if _, err := appl.Store.SaveApplication(appl.Actor(), *a); err != nil {
		t.Fatal(err)
	}
	reg, err := appl.Store.RegisterApplication(appl.Actor())
	if err != nil {
		t.Fatal(err)
	}
	online(t, appl, "the applicant, file registered")

	rep := freshDesk(t)
	connectDesk(t, rep, srv)
	rep.Show(ScreenRegister)
	f = rep.view.(*credentialForm)
	fillCredentials(f, "Sam", "Rep", "sam.rep")
	f.email.SetText("sam@consult.example")
	f.as.SetSelected(f.as.Options[2])
	test.Tap(f.submit)
	cv, ok := rep.view.(*clientsView)
	if !ok || rep.Account.Role != account.Representative {
		t.Fatalf("the representative lands on %s", rep.Current().ID)
	}
	cv.file.SetText("joid-0000000")
	cv.email.SetText("linh@example.ca")
	test.Tap(cv.ask)
	online(t, rep, "the representative") // a wrong file number is refused by the server
	cv.file.SetText(string(reg.App.FileNumber))
	cv.email.SetText("LINH@example.ca")
	test.Tap(cv.ask)
	if !cv.done.Visible() {
		t.Fatalf("request: %q %v %v", cv.form.general.Text, cv.form.fault, rep.Current().ID)
	}
	online(t, rep, "the representative, request sent")

	syncWait(t, appl, "the request on the applicant's desk", func() bool {
		rec, _, _ := appl.Store.Application(appl.Actor())
		return len(rec.App.Representatives) == 1
	})
	appl.application = nil
	appl.Show(ScreenApplication(oinp.TabGeneral))
	test.Tap(findButton(t, appl, "Authorise"))
	online(t, appl, "the applicant, authorisation sent")

	syncWait(t, rep, "the client on the representative's desk", func() bool {
		recs, _ := rep.Store.ClientApplications(rep.Actor())
		return len(recs) == 1
	})
	rep.Show(ScreenClients)
	test.Tap(rep.view.(*clientsView).open[0])
	rep.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, rep)
	if !v.form.inputs["applicant.familyName"].Disabled() || v.form.inputs["applicant.birthPlace"].Disabled() {
		t.Fatal("the applicant's answers are not read-only, or the empty field is")
	}
	v.form.set["applicant.birthPlace"]("Huế")
	test.Tap(v.saveBtn)
	online(t, rep, "the representative, birth place sent")
	syncWait(t, appl, "the birth place on the applicant's desk", func() bool {
		rec, _, _ := appl.Store.Application(appl.Actor())
		return rec.App.Applicant.BirthPlace == "Huế"
	})
}

// TestEmployerToApplicant: through the screens, over a real server, a
// business enrols and waits; the program officer approves it; the
// employer fills the Employer Form (the program's criteria checked as it
// goes), signs it and links it to an applicant's file number; the
// applicant's Employer Form tabs then hold it, read-only.
func TestEmployerToApplicant(t *testing.T) {
	srv := startSyncServer(t)
	appl := freshDesk(t)
	connectDesk(t, appl, srv)
	appl.Show(ScreenRegister)
	f := appl.view.(*credentialForm)
	fillCredentials(f, "Linh", "Nguyen", "linh.nguyen")
	f.email.SetText("linh@example.ca")
	f.as.SetSelected(f.as.Options[1])
	test.Tap(f.submit)
	reg, err := appl.Store.RegisterApplication(appl.Actor())
	if err != nil {
		t.Fatal(err)
	}
	// The applicant names the employer whose form they expect: their
	// consent to its link.
	named := reg.App
	named.Employer.BusinessNumber = "123 456 782"
	if _, err := appl.Store.SaveApplication(appl.Actor(), named); err != nil {
		t.Fatal(err)
	}
	online(t, appl, "the applicant")

	farm := freshDesk(t)
	connectDesk(t, farm, srv)
	farm.Show(ScreenSignIn)
	test.Tap(findButton(t, farm, "Enrol a business"))
	b := farm.view.(*businessEnrolment)
	b.bn.SetText("123 456 783")
	b.legal.SetText("Les Serres Côté Inc.")
	fillCredentials(b.credentialForm, "Anna", "Kowalski", "anna.k")
	b.email.SetText("anna@serres.example")
	test.Tap(b.submit)
	if farm.Session != nil || !strings.Contains(b.biz.errors["operatesInCanada"].Text, "operates in Canada") {
		t.Fatalf("enrolled without confirming Canada: %q", b.biz.errors["operatesInCanada"].Text)
	}
	b.inCanada.SetChecked(true)
	test.Tap(b.submit)
	if !strings.Contains(b.biz.errors["businessNumber"].Text, "typing error") {
		t.Fatalf("a wrong check digit: %q", b.biz.errors["businessNumber"].Text)
	}
	b.bn.SetText("123 456 782")
	test.Tap(b.submit)
	ev, ok := farm.view.(*employerView)
	if !ok || !strings.Contains(ev.status.Text, "waits for the program's approval") {
		t.Fatalf("after enrolling: %s", farm.Current().ID)
	}
	online(t, farm, "the employer")

	if _, err := srv.sv.CreateProgramAccount(account.Registration{UserID: "officer", Password: "a long password 1",
		GivenNames: "Pat", FamilyName: "Ouellet", AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{
			{Question: "First school?", Answer: "answer one"}, {Question: "First pet?", Answer: "answer two"},
			{Question: "Street?", Answer: "answer three"}, {Question: "Book?", Answer: "answer four"}}}); err != nil {
		t.Fatal(err)
	}
	off := freshDesk(t)
	connectDesk(t, off, srv)
	off.Show(ScreenSignIn)
	signInAs(t, off, "officer", "a long password 1")
	syncWait(t, off, "the enrolment in the officer's queue", func() bool {
		bs, _ := off.Store.Businesses(off.Actor(), employer.Pending)
		return len(bs) == 1
	})
	off.Show(ScreenEmployerQueue)
	q := off.view.(*employerQueueView)
	if len(q.approve) != 1 {
		t.Fatalf("%d pending on the officer's screen", len(q.approve))
	}
	for _, yes := range q.approve {
		test.Tap(yes)
	}
	online(t, off, "the officer")
	// The officer prints the enrolments: the business among the approved.
	off.Show(ScreenEmployerQueue)
	text := printedText(t, off, off.view.(*employerQueueView).print)
	for _, w := range []string{"Employers' enrolments", "Les Serres Côté Inc.", "123 456 782", "Enrolments approved: 1"} {
		if !strings.Contains(text, w) {
			t.Errorf("the printed enrolments lack %q:\n%s", w, text)
		}
	}

	syncWait(t, farm, "the approval on the employer's desk", func() bool {
		bz, err := farm.Store.Business(farm.Actor(), farm.Account.Org)
		return err == nil && bz.Status == employer.Approved
	})
	// A user joins and leaves: their PIN, then the end of their access.
	farm.Show(ScreenEmployer)
	ev = farm.view.(*employerView)
	ev.userGiven.SetText("Omar")
	ev.userFamily.SetText("Haddad")
	test.Tap(ev.addUser)
	if len(ev.lastPIN) == 0 {
		t.Fatalf("no PIN for a secondary user: %q", ev.form.general.Text)
	}
	if _, err := farm.Store.Enrol(account.Enrolment{UserID: "omar", Password: "a long password 2", GivenNames: "Omar",
		FamilyName: "Haddad", PIN: ev.lastPIN, AcceptTerms: true, Questions: [4]account.SecurityQuestion{
			{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"}, {Question: "d", Answer: "ddd"}}}); err != nil {
		t.Fatal(err)
	}
	farm.Show(ScreenEmployer)
	ev = farm.view.(*employerView)
	if len(ev.endAccess) != 1 {
		t.Fatalf("users whose access may end: %d", len(ev.endAccess))
	}
	for _, end := range ev.endAccess {
		test.Tap(end)
	}
	test.Tap(findButton(t, farm, "Confirm"))
	ev = farm.view.(*employerView)
	ended := false
	walkLabels(ev.usersBox, func(s string) {
		ended = ended || strings.Contains(s, "Omar Haddad") && strings.Contains(s, "access ended")
	})
	if len(ev.endAccess) != 0 || !ended {
		t.Fatalf("the user's access has not ended: %d", len(ev.endAccess))
	}

	farm.Show(ScreenEmployer)
	test.Tap(farm.view.(*employerView).newForm)
	fv := farm.view.(*employerFormView)
	form := example(t).Employer
	for path, value := range typed(t, &oinp.Application{Employer: form}) {
		if path == "employer.signed" {
			continue
		}
		set := fv.form.set[path]
		if set == nil {
			t.Fatalf("no field %s on the Employer Form", path)
		}
		set(value)
	}
	fv.signNow(farm)
	fv = farm.view.(*employerFormView)
	if fv.s.form.Signed == nil || fv.link.Disabled() {
		t.Fatalf("not signed: %q", fv.status.Text)
	}
	fv.file.SetText(string(reg.App.FileNumber))
	fv.linkNow(farm)
	online(t, farm, "the employer, form linked")
	// Ending the access of a user enrolled on this desk was accepted: their
	// enrolment went to the server first, though they never signed in online.
	if r := refusals(farm); r != "" || farm.syncStatus.Rejected != 0 {
		t.Fatalf("the employer's desk had commands refused: %s", r)
	}

	syncWait(t, appl, "the employer's form in the applicant's file", func() bool {
		rec, _, _ := appl.Store.Application(appl.Actor())
		return rec.EmployerForm != nil
	})
	appl.application = nil
	appl.Show(ScreenApplication(oinp.TabEmployerOffer))
	v := appViewOf(t, appl)
	if v.s.app.Employer.Offer.NOC != form.Offer.NOC || !v.form.inputs["employer.offer.noc"].Disabled() {
		t.Fatalf("the applicant's Employer Form: NOC %q, disabled %v", v.s.app.Employer.Offer.NOC, v.form.inputs["employer.offer.noc"].Disabled())
	}

	// The signed file, exported for an applicant who is offline: once
	// edited, the applicant's app refuses it and says why.
	file, err := farm.Store.ExportSignedForm(farm.Actor(), fv.s.form.ID)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(file, []byte(`"hourlyWageCents": `), []byte(`"hourlyWageCents": 9`), 1)
	if bytes.Equal(edited, file) {
		t.Fatal("the test did not edit the file")
	}
	v.importSignedForm(edited)
	if !strings.Contains(v.status.Text, "changed after the employer signed it") {
		t.Fatalf("an edited signed file: %q", v.status.Text)
	}
}

// TestKindText: a refused change is named in the reader's language — in
// the sync screen's words (a noun: what was refused) for the kinds a
// person sends (an OINP submission, an Employer Form's signature), in the
// audit history's for the staff's other kinds (an officer's decision),
// generically for a kind no program declares.
func TestKindText(t *testing.T) {
	e, _ := newTestEnv(t)
	for _, c := range []struct {
		kind   sync.Kind
		en, fr string
	}{
		{sync.KindRaiseRequest, "A new request", "Une nouvelle demande"},
		{applications.KindSubmitApplication, "The submission of your OINP application", "La présentation de votre demande au POCI"},
		{applications.KindSignEmployerForm, "The signature of an Employer Form", ""},
		{applications.KindDecideApplication, "Decided an application", ""},
		{"no.such.kind", "A change", ""},
	} {
		e.SetLang(translations.English)
		if got := kindText(e, c.kind); got != c.en {
			t.Errorf("%s in English: %q, want %q", c.kind, got, c.en)
		}
		e.SetLang(translations.French)
		got := kindText(e, c.kind)
		if got == c.en || got == "" || c.fr != "" && got != c.fr {
			t.Errorf("%s in French: %q", c.kind, got)
		}
	}
	for _, k := range store.CommandKinds {
		e.SetLang(translations.English)
		if kindText(e, k) == "A change" {
			t.Errorf("%s has no words of its own", k)
		}
	}
}

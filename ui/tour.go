package ui

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/employer"
	"dossier/domain/ens"
	"dossier/domain/notice"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/sync/client"
	"dossier/sync/server"
	"dossier/translations"
)

// The screenshot tour (dossier --tour DIR, scripts/screenshots): the real
// window walks every screen and dialog of every role, in English then in
// French, and stops at each for a picture to be taken. It works on two
// throw-away profiles it builds under DIR, both on a fixed day so that
// the pictures stay the same from one run to the next: the desktop's demo
// (two schools, their staff, students and requests in every status) and
// the server's demo (compliance, a coordinator, program officers and two
// submitted OINP applications), which the window opens as it would a
// desk's profile. Their keys are derived cheaply: nothing in them is
// anyone's.

// TourDay is the day the tour's profiles are built for and its clock
// stays on.
var TourDay = time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)

// TourStop is called at each stop, the window drawn, with the picture's
// name ("queue-en"); the tour moves on when it returns.
type TourStop func(name string) error

// StdioStop writes "SHOT name" to out at each stop and waits for a line
// on in: a script takes the picture in between.
func StdioStop(in io.Reader, out io.Writer) TourStop {
	r := bufio.NewReader(in)
	return func(name string) error {
		if _, err := fmt.Fprintf(out, "SHOT %s\n", name); err != nil {
			return err
		}
		if _, err := r.ReadString('\n'); err != nil {
			return fmt.Errorf("tour: no answer after %s: %w", name, err)
		}
		return nil
	}
}

// tour is one run of the walk.
type tour struct {
	e    *Env
	dir  string
	stop TourStop
	// settle is how long a stop waits for the frame to be drawn (none
	// headless, where nothing is drawn).
	settle time.Duration
	suffix string
	shots  []string
	desk   programs.Desk
	server programs.Server
	// noDesk is a small desk demo whose computer has no desk number of
	// its own: it cannot issue EVNs.
	noDesk programs.Desk
	// web serves the server demo to the desks of the online part, over
	// TLS on loopback; fp is its key's fingerprint.
	web *httptest.Server
	fp  string
}

// RunTour walks the tour in e's window with profiles made under dir,
// calling stop at each stop; it returns the names of the stops reached.
// It runs off the UI goroutine: every change to the window goes through
// fyne.DoAndWait.
func RunTour(e *Env, dir string, stop TourStop) ([]string, error) {
	t := &tour{e: e, dir: dir, stop: stop, settle: 400 * time.Millisecond}
	if e.Inline {
		t.settle = 0
	}
	clock := func() time.Time { return TourDay }
	e.Now = clock
	e.OpenFile = func(string, string) error { return nil }
	opt := store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true, Now: clock}
	e.StoreOptions = opt
	if err := t.build(opt); err != nil {
		return nil, err
	}
	defer func() {
		t.open(programs.Desk{})
		t.ui(func() { e.Close() })
		if t.web != nil {
			t.web.CloseClientConnections()
			t.web.Close()
		}
		if t.desk.Engine() != nil {
			t.desk.Close()
		}
		if t.noDesk.Engine() != nil {
			t.noDesk.Close()
		}
		if t.server.Store().Engine() != nil {
			t.server.Close()
		}
	}()
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.suffix = map[translations.Lang]string{translations.English: "en", translations.French: "fr"}[lang]
		t.ui(func() { e.SetLang(lang) })
		if err := t.walk(); err != nil {
			return t.shots, fmt.Errorf("tour (%s), after %v: %w", t.suffix, t.last(), err)
		}
	}
	return t.shots, nil
}

func (t *tour) last() string {
	if len(t.shots) == 0 {
		return "the start"
	}
	return t.shots[len(t.shots)-1]
}

// build makes the two profiles.
func (t *tour) build(opt store.Options) error {
	for _, d := range []string{"desk", "server", "nodesk"} {
		if err := os.RemoveAll(filepath.Join(t.dir, d)); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(t.dir, d), 0o700); err != nil {
			return err
		}
	}
	s, err := programs.Create(filepath.Join(t.dir, "desk", store.ProfileFileName), "tour profile password", opt)
	if err != nil {
		return err
	}
	t.desk = s
	if _, err := demo.Build(s, demo.Options{Requests: 300, Seed: 7, Today: domain.DateOf(TourDay)}); err != nil {
		return err
	}
	nd, err := programs.Create(filepath.Join(t.dir, "nodesk", store.ProfileFileName), "tour profile password", opt)
	if err != nil {
		return err
	}
	t.noDesk = nd
	if _, err := demo.Build(nd, demo.Options{Requests: 40, Seed: 7, Today: domain.DateOf(TourDay)}); err != nil {
		return err
	}
	// As on a desk connected to a server that has not given it its
	// number yet.
	if err := nd.ForgetDesks(); err != nil {
		return err
	}
	sv, err := programs.OpenServer(filepath.Join(t.dir, "server"), store.ServerOptions{Store: opt})
	if err != nil {
		return err
	}
	t.server = sv
	if _, err = demo.BuildServer(sv, demo.ServerOptions{Now: TourDay, Students: 4, Unpaid: true}); err != nil {
		return err
	}
	if err := decideOne(sv.Store()); err != nil {
		return err
	}
	if err := enrolBusinesses(sv.Store()); err != nil {
		return err
	}
	t.web = httptest.NewUnstartedServer(server.New(sv, slog.New(slog.DiscardHandler)))
	t.web.Config.ErrorLog = log.New(io.Discard, "", 0)
	t.web.StartTLS()
	t.fp = client.Fingerprint(t.web.Certificate().Raw)
	return nil
}

// decideOne has the program approve one of the server demo's two files,
// Zoé Côté's, for the applicant's side of a decision.
func decideOne(s programs.Desk) error {
	sess, acct, q, err := s.SignInOffline("program", demo.Password)
	if err == nil && q != "" {
		sess, _, err = s.AnswerOffline(acct.ID, demo.Answer(q))
	}
	if err != nil {
		return err
	}
	rows, err := s.ProcessingQueue(sess.Actor, applications.FileFilter{})
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.FamilyName == "Côté" {
			if _, err := s.StartProcessing(sess.Actor, r.Applicant); err != nil {
				return err
			}
			_, err := s.DecideApplication(sess.Actor, r.Applicant, true, nil)
			return err
		}
	}
	return errors.New("no file of Zoé Côté's in the server demo")
}

// tourQuestions are the demo people's security questions and answers
// (demo.Answer knows them), for the people the tour enrols itself.
var tourQuestions = [account.QuestionCount]account.SecurityQuestion{
	{Question: "Name of your first school?", Answer: "demo school"},
	{Question: "City where you were born?", Answer: "demo city"},
	{Question: "Name of your first pet?", Answer: "demo pet"},
	{Question: "Favourite book?", Answer: "demo book"},
}

// enrolBusinesses enrols two employers on the server demo: one the
// program approves, whose primary user the tour signs in, and one that
// waits in the officer's queue.
func enrolBusinesses(s programs.Desk) error {
	reg := func(user, given, family string) account.Registration {
		return account.Registration{UserID: user, Password: demo.Password, GivenNames: given, FamilyName: family,
			Email: user + "@demo.example", AcceptTerms: true, Questions: tourQuestions}
	}
	boss, approved, err := s.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "123 456 782",
		LegalName: "Les Serres Côté Inc.", OperatingName: "Serres Côté"}, reg(tourEmployer, "Anna", "Kowalski"))
	if err != nil {
		return fmt.Errorf("demo employer: %w", err)
	}
	if _, _, err := s.EnrolBusiness(employer.Enrolment{OperatesInCanada: true, BN: "876 543 216",
		LegalName: "Boulangerie Nguyen Ltée", OperatingName: "Boulangerie Nguyen"}, reg("minh.nguyen", "Minh", "Nguyen")); err != nil {
		return fmt.Errorf("demo employer: %w", err)
	}
	sess, acct, q, err := s.SignInOffline("program", demo.Password)
	if err == nil && q != "" {
		sess, _, err = s.AnswerOffline(acct.ID, demo.Answer(q))
	}
	if err != nil {
		return err
	}
	if _, err = s.DecideBusiness(sess.Actor, approved.ID, true, ""); err != nil {
		return err
	}
	return branchUsers(s, boss)
}

// branchUsers opens a branch of the approved employer and enrols its
// users with the PINs the primary user issues: the first holder is the
// branch's primary user (tourBranchUser, whom the tour signs in), the
// others its secondary users.
func branchUsers(s programs.Desk, boss store.Account) error {
	br, err := s.CreateBranch(boss.Actor(), "Guelph greenhouse", "Guelph")
	if err != nil {
		return fmt.Errorf("demo branch: %w", err)
	}
	for _, p := range []struct{ user, given, family string }{
		{tourBranchUser, "Bruno", "Gagné"}, {"cleo.r", "Cléo", "Roy"}, {"dev.p", "Dev", "Patel"}} {
		pin, _, err := s.IssuePIN(boss.Actor(), account.PINRequest{Role: account.BranchPrimary, Org: br.ID})
		if err != nil {
			return fmt.Errorf("demo branch: %w", err)
		}
		if _, err := s.Enrol(account.Enrolment{UserID: p.user, Password: demo.Password, GivenNames: p.given,
			FamilyName: p.family, PIN: pin, AcceptTerms: true, Questions: tourQuestions}); err != nil {
			return fmt.Errorf("demo branch user: %w", err)
		}
	}
	return nil
}

// tourBranchUser is the branch's primary user.
const tourBranchUser = "bruno.g"

// tourEmployer is the approved employer's primary user.
const tourEmployer = "anna.k"

// ui runs f on the UI goroutine, then what the screens posted.
func (t *tour) ui(f func()) {
	fyne.DoAndWait(f)
	if t.e.Inline {
		t.e.Drain()
	}
}

// shot waits for the window to be drawn and stops.
func (t *tour) shot(name string) error {
	t.ui(func() {
		if c := t.e.Window.Content(); c != nil {
			c.Refresh()
		}
	})
	time.Sleep(t.settle)
	t.ui(func() {}) // one more turn of the event loop: the frame is drawn
	time.Sleep(t.settle / 4)
	full := name + "-" + t.suffix
	t.shots = append(t.shots, full)
	return t.stop(full)
}

// until waits for cond, read on the UI goroutine.
func (t *tour) until(what string, cond func() bool) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		t.ui(func() { ok = cond() })
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// show shows a screen, closing whatever dialog was open.
func (t *tour) show(s Screen) {
	t.closeDialogs()
	t.ui(func() { t.e.Show(s) })
}

// closeDialogs takes every dialog and pop-up off the window.
func (t *tour) closeDialogs() {
	t.ui(func() {
		o := t.e.Window.Canvas().Overlays()
		for top := o.Top(); top != nil; top = o.Top() {
			o.Remove(top)
		}
	})
}

// dialog stops at the dialog an action opened; fault, when given, says
// why none did.
func (t *tour) dialog(name string, fault func() string) error {
	if err := t.until("the dialog "+name, func() bool { return t.e.Window.Canvas().Overlays().Top() != nil }); err != nil {
		if fault != nil {
			var why string
			t.ui(func() { why = fault() })
			return fmt.Errorf("%w (%s)", err, why)
		}
		return err
	}
	return t.shot(name)
}

// print taps a print button and stops at the printed document's dialog.
func (t *tour) print(b *widget.Button) error {
	if b == nil {
		return errors.New("no print button")
	}
	t.closeDialogs()
	t.ui(func() {
		t.e.lastPrinted = printed{}
		b.OnTapped()
	})
	var p printed
	if err := t.until("the printed document", func() bool {
		p = t.e.lastPrinted
		return p.path != "" || p.err != nil
	}); err != nil {
		return err
	}
	if p.err != nil {
		return fmt.Errorf("printing: %w", p.err)
	}
	return t.dialog("print", nil)
}

// signIn signs a demo person in (every demo person has the same password
// and answers), from the sign-in screen of the profile on show.
func (t *tour) signIn(user string) error {
	t.closeDialogs()
	var err error
	t.ui(func() {
		if t.e.Session != nil {
			t.e.LogOut()
		}
		err = t.e.SignIn(user, demo.Password, demo.Answer)
	})
	if err != nil {
		return fmt.Errorf("sign-in of %s: %w", user, err)
	}
	return nil
}

// open puts a profile in the window, nobody signed in.
func (t *tour) open(s programs.Desk) {
	t.closeDialogs()
	t.ui(func() {
		if t.e.Session != nil {
			t.e.LogOut()
		}
		t.e.stopSync()
		t.e.Sync = nil
		t.e.syncStatus = client.Status{} // the last profile's, not this one's
		t.e.application = nil
		t.e.Store = s
		if s.Engine() == nil {
			t.e.Show(ScreenFirstRun)
		} else {
			t.e.Show(ScreenSignIn)
		}
	})
}

// view is the screen on show's widgets, as type V.
func view[V any](t *tour) (V, error) {
	var v V
	var ok bool
	t.ui(func() { v, ok = t.e.view.(V) })
	if !ok {
		return v, fmt.Errorf("the screen on show is %s, not a %T", t.e.Current().ID, v)
	}
	return v, nil
}

// errTour wraps the failure of a stop.
var errTour = errors.New("tour")

// walk is the tour in the current language. Each step says where it
// stops; the order goes from nobody signed in to each role in turn.
func (t *tour) walk() error {
	steps := []struct {
		name string
		run  func() error
	}{
		{"no profile", t.noProfile},
		{"sign-in", t.signInScreens},
		{"DIR", t.dir_},
		{"student", t.student},
		{"program", t.program},
		{"no desk number", t.noDeskNumber},
		{"server demo", t.serverDemo},
		{"online", t.online},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("%w: %s: %w", errTour, s.name, err)
		}
	}
	t.open(programs.Desk{})
	return nil
}

// noProfile: the first run, its file picker and the self-assessments,
// before any profile.
func (t *tour) noProfile() error {
	t.open(programs.Desk{})
	for _, s := range []struct {
		screen Screen
		name   string
	}{{ScreenFirstRun, "first-run"}, {ScreenAssess, "assess"}, {ScreenAssessOCWPP, "assess-ocwpp"}, {ScreenAssessOINP, "assess-oinp"}} {
		t.show(s.screen)
		if err := t.shot(s.name); err != nil {
			return err
		}
		if s.name == "first-run" {
			// Its Browse: Fyne's file picker, every word in ours.
			f, err := view[*firstRun](t)
			if err != nil {
				return err
			}
			t.ui(f.browse)
			if err := t.dialog("file-picker", nil); err != nil {
				return err
			}
			t.closeDialogs()
		}
	}
	return nil
}

// signInScreens: the sign-in, its security question, the forgotten
// password, enrolment with a PIN and a student's registration.
func (t *tour) signInScreens() error {
	t.open(t.desk)
	if err := t.shot("signin"); err != nil {
		return err
	}
	s, err := view[*signIn](t)
	if err != nil {
		return err
	}
	t.ui(func() {
		s.user.SetText("dir.beaulieu")
		s.pass.SetText(demo.Password)
		s.submit(t.e)
	})
	if err := t.until("the security question", func() bool { return s.ask.Visible() }); err != nil {
		return err
	}
	if err := t.shot("signin-question"); err != nil {
		return err
	}
	t.ui(func() { s.back.OnTapped() })
	for _, sc := range []struct {
		screen Screen
		name   string
	}{{ScreenForgot, "forgot"}, {ScreenEnrol, "credential"}, {ScreenRegister, "register"}} {
		t.show(sc.screen)
		if err := t.shot(sc.name); err != nil {
			return err
		}
	}
	return nil
}

// dir_: a DIR's day: the queue, the Help menu, help, About, Contact Us,
// a request and its dialogs, the PINs, Verify a document and the sync
// screen.
func (t *tour) dir_() error {
	t.open(t.desk)
	if err := t.signIn("dir.beaulieu"); err != nil {
		return err
	}
	t.show(ScreenQueue)
	q, err := view[*queueView](t)
	if err != nil {
		return err
	}
	if err := t.until("the queue's rows", func() bool { return q.loaded > 0 }); err != nil {
		return err
	}
	if err := t.shot("queue"); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		open func()
	}{{"help-menu", t.e.showHelpMenu}, {"help", t.e.ShowHelp}, {"about", t.e.ShowAbout}, {"contact-us", t.e.ShowContact}} {
		t.closeDialogs()
		t.ui(d.open)
		if err := t.shot(d.name); err != nil {
			return err
		}
	}
	t.closeDialogs()
	// The first open request of the queue that the DIR may verify.
	var id domain.ID
	if err := t.until("a request to verify", func() bool {
		for i := range q.ids {
			if r, ok := q.row(i); ok && r.Type == ens.EV && (r.Status == ens.New || r.Status == ens.InProgress) {
				id = r.ID
				return true
			}
		}
		return false
	}); err != nil {
		return err
	}
	// A transfer first, then the request the DIR verifies.
	var transfer domain.ID
	t.ui(func() {
		for i := range q.ids {
			if r, ok := q.row(i); ok && (r.Type == ens.EVT || r.Type == ens.TI) {
				transfer = r.ID
				return
			}
		}
	})
	if transfer.IsZero() {
		return errors.New("no transfer in the queue")
	}
	t.show(ScreenRequest(transfer))
	if err := t.shot("request-transfer"); err != nil {
		return err
	}
	t.show(ScreenRequest(id))
	if err := t.shot("request"); err != nil {
		return err
	}
	r, err := view[*requestView](t)
	if err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		f    ens.Function
	}{{"request-reject", ens.Reject}, {"request-assign", ens.Assign}} {
		t.closeDialogs()
		t.ui(func() { r.act(d.f) })
		if err := t.shot(d.name); err != nil {
			return err
		}
	}
	t.closeDialogs()
	t.ui(func() {
		for i := range r.checks {
			r.checks[i].SetSelected(r.checks[i].Options[1])
		}
		r.act(ens.Verify)
	})
	if err := t.until("the new EVN", func() bool { return t.e.Window.Canvas().Overlays().Top() != nil }); err != nil {
		var why string
		t.ui(func() { why = fmt.Sprint(r.form.fault, " ", r.form.general.Text, " ", r.noDesk != nil) })
		return fmt.Errorf("%w (%s)", err, why)
	}
	if err := t.shot("request-evn"); err != nil {
		return err
	}
	// The verified request printed: the printed dialog, with the first
	// page.
	t.closeDialogs()
	if r, err = view[*requestView](t); err != nil {
		return err
	}
	if err := t.print(r.print); err != nil {
		return err
	}
	t.show(ScreenPINs)
	if err := t.shot("pins"); err != nil {
		return err
	}
	p, err := view[*pinsView](t)
	if err != nil {
		return err
	}
	t.ui(func() {
		p.given.SetText("Lucie")
		p.family.SetText("Tremblay")
		p.issuePIN()
	})
	if err := t.dialog("pins-issued", func() string { return p.form.general.Text }); err != nil {
		return err
	}
	for _, sc := range []struct {
		screen Screen
		name   string
	}{{ScreenVerify, "verify"}, {ScreenCompliance, "compliance-desk"}, {ScreenSync, "connect"}} {
		t.show(sc.screen)
		if err := t.shot(sc.name); err != nil {
			return err
		}
	}
	return nil
}

// noDeskNumber: a request the DIR may verify, on a computer without a
// desk number of its own: the screen says why it cannot issue an EVN.
func (t *tour) noDeskNumber() error {
	t.open(t.noDesk)
	if err := t.signIn("dir.beaulieu"); err != nil {
		return err
	}
	t.show(ScreenQueue)
	q, err := view[*queueView](t)
	if err != nil {
		return err
	}
	var id domain.ID
	if err := t.until("a request to verify", func() bool {
		for i := range q.ids {
			if r, ok := q.row(i); ok && r.Type == ens.EV && (r.Status == ens.New || r.Status == ens.InProgress) {
				id = r.ID
				return true
			}
		}
		return false
	}); err != nil {
		return err
	}
	t.show(ScreenRequest(id))
	r, err := view[*requestView](t)
	if err != nil {
		return err
	}
	if r.noDesk == nil {
		return errors.New("the request does not say the computer has no desk number")
	}
	return t.shot("request-no-desk")
}

// student: a student's home.
func (t *tour) student() error {
	if err := t.signIn("student1"); err != nil {
		return err
	}
	return t.shot("student")
}

// program: the program's schools, a school's access, its PIN, the
// compilations, the reporting, the notices and the employers.
func (t *tour) program() error {
	if err := t.signIn("program"); err != nil {
		return err
	}
	t.show(ScreenProgram)
	if err := t.shot("program"); err != nil {
		return err
	}
	t.show(ScreenAddSchool)
	if err := t.shot("program-add-school"); err != nil {
		return err
	}
	var school domain.ID
	t.ui(func() {
		if ins, err := t.e.Store.Institutions(); err == nil && len(ins) > 0 {
			school = ins[0].ID
		}
	})
	if school.IsZero() {
		return errors.New("no school in the demo")
	}
	t.show(ScreenProgramSchool(school))
	v, err := view[*schoolAccessView](t)
	if err != nil {
		return err
	}
	if err := t.shot("program-school"); err != nil {
		return err
	}
	t.ui(func() {
		v.given.SetText("Julie")
		v.family.SetText("Bergeron")
		v.email.SetText("julie.bergeron@demo.example")
		v.issuePIN()
	})
	if err := t.dialog("program-issue-pin", func() string { return v.form.general.Text }); err != nil {
		return err
	}
	for _, sc := range []struct {
		screen Screen
		name   string
	}{{ScreenCompilations, "program-compilations"}, {ScreenReporting, "program-reporting"},
		{ScreenNotices, "notices-officer"}} {
		t.show(sc.screen)
		if err := t.shot(sc.name); err != nil {
			return err
		}
	}
	return t.notice()
}

// notice: the program schedules a maintenance notice, which a student's
// desk shows in its banner; the program then withdraws it, and the rest
// of the tour goes without.
func (t *tour) notice() error {
	var n notice.Notice
	var err error
	t.ui(func() {
		n, err = t.e.Store.ScheduleNotice(t.e.Actor(), TourDay.Add(time.Hour), TourDay.Add(4*time.Hour),
			"Dossier will be unavailable for an upgrade.", "Dossier sera indisponible pendant une mise à niveau.")
	})
	if err != nil {
		return err
	}
	t.show(ScreenNotices)
	if err := t.shot("notices-scheduled"); err != nil {
		return err
	}
	if err := t.signIn("student1"); err != nil {
		return err
	}
	if err := t.until("the notice's banner", func() bool { return t.e.noticeBar.content.Visible() }); err != nil {
		return err
	}
	if err := t.shot("notice-banner"); err != nil {
		return err
	}
	if err := t.signIn("program"); err != nil {
		return err
	}
	t.ui(func() { _, err = t.e.Store.WithdrawNotice(t.e.Actor(), n.ID) })
	return err
}

// serverDemo: the server's demo, opened as a profile: a DIR's Annual
// Compliance, the coordinator, the officer's files and one file, and an
// applicant's application tab by tab.
func (t *tour) serverDemo() error {
	t.open(t.server.Store())
	t.show(ScreenEnrolBusiness)
	if err := t.shot("enrol-business"); err != nil {
		return err
	}
	if err := t.signIn(tourEmployer); err != nil {
		return err
	}
	if err := t.shot("employer"); err != nil {
		return err
	}
	ev, err := view[*employerView](t)
	if err != nil {
		return err
	}
	t.ui(func() { ev.newForm.OnTapped() })
	if err := t.until("the Employer Form", func() bool { return strings.HasPrefix(t.e.Current().ID, "employer-form") }); err != nil {
		return err
	}
	if err := t.shot("employer-form"); err != nil {
		return err
	}
	if err := t.signIn(tourBranchUser); err != nil {
		return err
	}
	t.show(ScreenEmployer)
	bv, err := view[*employerView](t)
	if err != nil {
		return err
	}
	if bv.usersBox == nil || len(bv.endAccess) == 0 {
		return errors.New("the branch's primary user manages nobody")
	}
	if err := t.shot("branch-users"); err != nil {
		return err
	}
	if err := t.signIn("dir.lakeview"); err != nil {
		return err
	}
	t.show(ScreenCompliance)
	if err := t.shot("compliance"); err != nil {
		return err
	}
	c, err := view[*complianceView](t)
	if err != nil {
		return err
	}
	t.ui(c.confirmSubmit)
	if err := t.dialog("compliance-submit", nil); err != nil {
		return err
	}
	if err := t.signIn("coord.on"); err != nil {
		return err
	}
	if err := t.shot("coordinator"); err != nil {
		return err
	}
	if err := t.signIn("program"); err != nil {
		return err
	}
	t.show(ScreenEmployerQueue)
	if err := t.shot("officer-employers"); err != nil {
		return err
	}
	t.show(ScreenOfficerFiles)
	f, err := view[*officerFilesView](t)
	if err != nil {
		return err
	}
	if err := t.until("the officer's files", func() bool { return len(f.rows) > 0 }); err != nil {
		return err
	}
	if err := t.shot("officer-files"); err != nil {
		return err
	}
	t.ui(func() { f.open(0) })
	if err := t.shot("officer-file"); err != nil {
		return err
	}
	o, err := view[*officerFileView](t)
	if err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		open func()
	}{{"officer-approve", o.approveNow}, {"officer-start", o.startProcessingNow},
		{"officer-audit", func() { showAuditHistory(t.e, o.applicant) }}} {
		t.closeDialogs()
		t.ui(d.open)
		if err := t.dialog(d.name, nil); err != nil {
			return err
		}
	}
	t.closeDialogs()
	// On the first file still open to questions, the officer starts
	// processing, then asks for information with nothing typed and a day
	// that does not read: every fault at once, under its field.
	o = nil
	for i := range len(f.rows) {
		t.show(ScreenOfficerFiles)
		files, err := view[*officerFilesView](t)
		if err != nil {
			return err
		}
		if err := t.until("the officer's files", func() bool { return len(files.rows) > i }); err != nil {
			return err
		}
		t.ui(func() { files.open(i) })
		if v, err := view[*officerFileView](t); err == nil && v.canAsk {
			o = v
			break
		}
	}
	if o == nil {
		return errors.New("no file is open to the officer's questions")
	}
	var started error
	t.ui(func() {
		if o.canStart {
			_, started = t.e.Store.StartProcessing(t.e.Actor(), o.applicant)
		}
	})
	if started != nil {
		return started
	}
	applicant := o.applicant
	t.show(ScreenOfficerFile(applicant))
	// Online, the file comes back from the server and the screen is
	// drawn again: the form is filled in on the screen on show once the
	// start is sent, and until it says what is wrong.
	if err := t.until("the officer's form with every error", func() bool {
		v, ok := t.e.view.(*officerFileView)
		if !ok || v.applicant != applicant || t.e.syncStatus.Pending > 0 {
			return false
		}
		if _, started := v.rec.App.ProcessingStartedOn(); !started || v.ask.Disabled() {
			return false
		}
		if v.shownForm != v.info || !v.info.general.Visible() {
			v.ask.OnTapped()
			v.infoDue.SetText("next week")
			v.requestInformation()
		}
		return v.shownForm == v.info && v.info.general.Visible()
	}); err != nil {
		return err
	}
	if err := t.shot("officer-info-errors"); err != nil {
		return err
	}
	if err := t.signIn("linh.nguyen"); err != nil {
		return err
	}
	for _, tab := range oinp.Tabs {
		t.ui(func() { t.e.application = nil })
		t.show(ScreenApplication(tab))
		name := "oinp-" + string(tab)
		if tab == oinp.TabEmployerOffer {
			name = "oinp-offer" // the name the docs know it by
		}
		if err := t.shot(name); err != nil {
			return err
		}
	}
	if err := t.signIn("zoe.cote"); err != nil {
		return err
	}
	t.ui(func() { t.e.application = nil })
	t.show(ScreenApplication(oinp.TabFee))
	if err := t.shot("oinp-decision"); err != nil {
		return err
	}
	return t.permit()
}

// permit: a verified student (another in each language: the first one's
// application is on its way) fills the work permit form and pays the fee
// in the sandbox; the program's officer opens it to decide.
func (t *tour) permit() error {
	user := map[string]string{"en": "student1.1", "fr": "student1.2"}[t.suffix]
	if err := t.signIn(user); err != nil {
		return err
	}
	if err := t.shot("student-verified"); err != nil {
		return err
	}
	t.show(ScreenPermit)
	if err := t.shot("permit-form"); err != nil {
		return err
	}
	pv, err := view[*permitView](t)
	if err != nil {
		return err
	}
	if pv.pay == nil {
		return errors.New("the permit form has no fee to pay")
	}
	t.ui(func() {
		for f, v := range map[string]string{"passportNumber": "FR1234567", "passportCountry": "France",
			"passportExpiry": "2030-01-31", "street": "21 rue Lasalle", "city": "Sudbury", "postalCode": "P3A 6B1",
			"program": "Génie civil", "studyStart": "2025-09-02", "studyEnd": "2028-04-30", "email": user + "@demo.example"} {
			if e, ok := pv.entries[f]; ok && e.Text == "" {
				e.SetText(v)
			}
		}
		pv.province.SetSelected("ON")
		pv.consent.SetChecked(true)
		pv.declare.SetChecked(true)
	})
	// Left and come back to: the form says its draft was kept.
	t.show(ScreenStudent)
	t.show(ScreenPermit)
	if pv, err = view[*permitView](t); err != nil {
		return err
	}
	if !pv.drafts.note.Visible() {
		return errors.New("the permit form came back without its draft note")
	}
	if err := t.shot("permit-draft"); err != nil {
		return err
	}
	t.ui(func() {
		pv.card.number.SetText("4111 1111 1111 1111")
		pv.card.name.SetText("Demo Student")
		pv.card.expiry.SetText("12/2029")
		pv.card.cvc.SetText("123")
		pv.pay.OnTapped()
	})
	if err := t.dialog("permit-fee", nil); err != nil {
		return err
	}
	t.closeDialogs()
	t.ui(func() { pv.submit(requests.PermitFee().Cents) })
	if err := t.until("the permit's status", func() bool {
		st, ok := t.e.view.(*permitView)
		return ok && st.app != nil
	}); err != nil {
		var why string
		t.ui(func() { why = fmt.Sprint(pv.faults) })
		return fmt.Errorf("%w (%s)", err, why)
	}
	if err := t.shot("permit-status"); err != nil {
		return err
	}
	if err := t.signIn("program"); err != nil {
		return err
	}
	t.show(ScreenOfficerPermits)
	ov, err := view[*officerPermitsView](t)
	if err != nil {
		return err
	}
	if err := t.until("the work permit applications", func() bool { return len(ov.apps) > 0 }); err != nil {
		return err
	}
	t.ui(func() { ov.choose(0) })
	return t.shot("permit-decide")
}

// signInOnline signs user in on the connected desk on show, from its
// sign-in screen, answering the server's security question, and waits
// until the desk has synced and ready says the rest is there.
func (t *tour) signInOnline(user string, ready func() bool) error {
	t.closeDialogs()
	t.ui(func() {
		if t.e.Session != nil {
			t.e.LogOut()
		}
	})
	t.show(ScreenSignIn)
	si, err := view[*signIn](t)
	if err != nil {
		return err
	}
	t.ui(func() {
		si.user.SetText(user)
		si.pass.SetText(demo.Password)
		si.submit(t.e)
	})
	answered := false
	if err := t.until(user+" online", func() bool {
		if si.ask.Visible() && !answered {
			answered = true
			si.answer.SetText(demo.Answer(si.question.Text))
			si.submitAnswer(t.e)
		}
		if q := t.e.question; q != nil && !q.answered {
			q.answer.SetText(demo.Answer(q.text.Text))
			q.answer.OnSubmitted(q.answer.Text)
		}
		st := t.e.syncStatus
		return t.e.Session != nil && st.Online && st.SignedIn && !st.LastSync.IsZero() && ready()
	}); err != nil {
		var why string
		t.ui(func() { why = fmt.Sprint(si.form.general.Text, si.qform.general.Text, t.e.syncStatus) })
		return fmt.Errorf("%w (%s)", err, why)
	}
	return nil
}

// onlineDIR is the DIR who works online: of another school than the
// DIR whose Annual Compliance the tour shows, which stays as the demo
// made it.
const onlineDIR = "dir.boreal"

// online: a new desk connects to the server demo (the server's key to
// confirm), a DIR signs in there, answering the server's security
// question, and works online: the queue, the sync screen.
func (t *tour) online() error {
	path := filepath.Join(t.dir, "online-"+t.suffix, store.ProfileFileName)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	var s programs.Desk
	var err error
	t.ui(func() { s, err = programs.Create(path, "tour profile password", t.e.StoreOptions) })
	if err != nil {
		return err
	}
	t.open(programs.Desk{})
	t.ui(func() {
		t.e.useStore(s)
		t.e.Show(ScreenSync)
	})
	v, err := view[*syncView](t)
	if err != nil {
		return err
	}
	t.ui(func() {
		v.server.SetText(t.web.URL)
		v.connect.OnTapped()
	})
	if err := t.dialog("connect-confirm", func() string { return v.form.general.Text }); err != nil {
		return err
	}
	t.closeDialogs()
	t.ui(func() {
		v.fingerprint.SetText(t.fp)
		v.connect.OnTapped()
	})
	if err := t.until("the link to the server", func() bool { return t.e.Sync != nil }); err != nil {
		return err
	}
	// A maintenance notice the server announces to anyone: the desk shows
	// it on its sign-in screen; withdrawn, it is gone by the sign-in.
	n, err := t.server.ScheduleNotice(TourDay.Add(time.Hour), TourDay.Add(4*time.Hour),
		"Dossier will be unavailable for an upgrade.", "Dossier sera indisponible pendant une mise à niveau.")
	if err != nil {
		return err
	}
	t.show(ScreenSignIn)
	if err := t.until("the server's notice", func() bool { return t.e.noticeBar.content.Visible() }); err != nil {
		return err
	}
	if err := t.shot("notice-signin"); err != nil {
		return err
	}
	if _, err := t.server.WithdrawNotice(n.ID); err != nil {
		return err
	}
	if err := t.signInOnline(onlineDIR, func() bool { return t.e.syncStatus.Total == 0 }); err != nil {
		return err
	}
	t.show(ScreenQueue)
	q, err := view[*queueView](t)
	if err != nil {
		return err
	}
	if err := t.until("the queue's rows", func() bool { return q.loaded > 0 }); err != nil {
		return err
	}
	if err := t.shot("queue-online"); err != nil {
		return err
	}
	t.show(ScreenSync)
	if err := t.shot("sync"); err != nil {
		return err
	}
	err = t.refused(q)
	t.open(programs.Desk{})
	s.Close()
	return err
}

// refused: while the desk is between two syncs, the DIR writes a note
// on a student's Annual Compliance request on this desk, and a
// colleague, at the server, marks the same student eligible: at the next
// sync the server refuses the note (the request is no longer open), and
// the desk shows it beside the request and on the sync screen.
func (t *tour) refused(q *queueView) error {
	var r ens.Request
	t.ui(func() {
		for i := range q.ids {
			if row, ok := q.row(i); ok && row.Type == ens.AC && row.Status == ens.New {
				r = row
				return
			}
		}
	})
	if r.ID.IsZero() {
		return errors.New("no new Annual Compliance request to change")
	}
	sv := t.server.Store()
	sess, acct, question, err := sv.SignInOffline(onlineDIR, demo.Password)
	if err == nil && question != "" {
		sess, _, err = sv.AnswerOffline(acct.ID, demo.Answer(question))
	}
	if err != nil {
		return err
	}
	t.ui(func() {
		t.e.stopSync()
		_, err = t.e.Store.Act(t.e.Actor(), r.ID, ens.Action{Function: ens.Save,
			Draft: &ens.Draft{Notes: "Transcript received", Checks: r.Checks}}, r.Version)
	})
	if err != nil {
		return fmt.Errorf("on the desk: %w", err)
	}
	if _, err := sv.Act(sess.Actor, r.ID, ens.Action{Function: ens.MarkEligible, Draft: &ens.Draft{Checks: r.Checks}}, r.Version); err != nil {
		return fmt.Errorf("at the server: %w", err)
	}
	t.ui(func() { t.e.goOnline(onlineDIR, "") })
	if err := t.until("the server's refusal", func() bool {
		st := t.e.syncStatus
		return st.Rejected > 0 && st.Pending == 0
	}); err != nil {
		return fmt.Errorf("%w (%+v)", err, t.e.syncStatus)
	}
	t.show(ScreenQueue)
	if q, err = view[*queueView](t); err != nil {
		return err
	}
	if err := t.until("the queue's rows", func() bool { return q.loaded > 0 }); err != nil {
		return err
	}
	if err := t.shot("queue-refused"); err != nil {
		return err
	}
	t.show(ScreenSync)
	if err := t.shot("sync-refused"); err != nil {
		return err
	}
	return t.conflict(q)
}

// otherDesk is the online DIR on another computer, a desk of its own
// connected to the server demo: it signs in there, saves notes on r and
// syncs.
func (t *tour) otherDesk(r ens.Request, notes string) error {
	path := filepath.Join(t.dir, "other-"+t.suffix, store.ProfileFileName)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	st, err := programs.Create(path, "tour profile password", t.e.StoreOptions)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	c, err := client.Connect(ctx, st, t.web.URL, t.fp)
	if err != nil {
		return err
	}
	c.SetAnswerer(func(_ context.Context, q string) (string, error) { return demo.Answer(q), nil })
	if err := c.SignIn(ctx, domain.ID{}, onlineDIR, demo.Password); err != nil {
		return err
	}
	_, a, err := st.SignIn(onlineDIR, demo.Password)
	if err != nil {
		return err
	}
	if err := c.Sync(ctx); err != nil {
		return err
	}
	if _, err := st.Act(a.Actor(), r.ID, ens.Action{Function: ens.Save,
		Draft: &ens.Draft{Notes: notes, Checks: r.Checks}}, r.Version); err != nil {
		return err
	}
	return c.Sync(ctx)
}

// conflict: between two syncs again, the DIR writes a note on another
// new request on this desk, and on another computer connected to the
// same server, which syncs first, a different note in the same field: at
// the next sync the server merges the two, keeps one note and records
// the other, and the sync screen lists the conflict.
func (t *tour) conflict(q *queueView) error {
	var r ens.Request
	t.ui(func() {
		for i := range q.ids {
			if row, ok := q.row(i); ok && row.Type == ens.AC && row.Status == ens.New {
				r = row
				return
			}
		}
	})
	if r.ID.IsZero() {
		return errors.New("no other new Annual Compliance request to change")
	}
	var err error
	t.ui(func() {
		t.e.stopSync()
		_, err = t.e.Store.Act(t.e.Actor(), r.ID, ens.Action{Function: ens.Save,
			Draft: &ens.Draft{Notes: "Called the registrar", Checks: r.Checks}}, r.Version)
	})
	if err != nil {
		return fmt.Errorf("on the desk: %w", err)
	}
	if err := t.otherDesk(r, "Transcript received"); err != nil {
		return fmt.Errorf("on the other computer: %w", err)
	}
	t.ui(func() { t.e.goOnline(onlineDIR, "") })
	if err := t.until("the conflict", func() bool {
		cs, err := t.e.Store.Conflicts(t.e.Actor())
		return err == nil && len(cs) > 0 && t.e.syncStatus.Pending == 0
	}); err != nil {
		return fmt.Errorf("%w (%+v)", err, t.e.syncStatus)
	}
	t.show(ScreenSync)
	v, err := view[*syncView](t)
	if err != nil {
		return err
	}
	if len(v.conflicting) == 0 {
		return errors.New("the sync screen lists no conflict")
	}
	if err := t.shot("sync-conflicts"); err != nil {
		return err
	}
	return t.feeQueued()
}

// tourUnpaid is the server demo's applicant whose application is
// registered, its fee not yet paid.
const tourUnpaid = "ana.silva"

// feeQueued: the applicant signs in on the connected desk, which
// receives their registered application; the desk then loses the
// server, and the fee paid there waits for it: the Processing Fee tab
// says the file is not yet paid. (Each language has a desk of its own,
// and the server never sees the payment.)
func (t *tour) feeQueued() error {
	if err := t.signInOnline(tourUnpaid, func() bool { return true }); err != nil {
		return err
	}
	// The application was made at the server before this desk pulled
	// the feed for another person: saved again there, it reaches this desk.
	sv := t.server.Store()
	sess, acct, question, err := sv.SignInOffline(tourUnpaid, demo.Password)
	if err == nil && question != "" {
		sess, _, err = sv.AnswerOffline(acct.ID, demo.Answer(question))
	}
	if err != nil {
		return err
	}
	if at, _, err := sv.Application(sess.Actor); err != nil {
		return err
	} else if _, err := sv.SaveApplication(sess.Actor, at.App); err != nil {
		return fmt.Errorf("at the server: %w", err)
	}
	var rec applications.ApplicationRecord
	if err := t.until("the application on the desk", func() bool {
		r, found, err := t.e.Store.Application(t.e.Actor())
		rec = r
		if !found && t.e.Sync != nil {
			t.e.Sync.Nudge()
		}
		return err == nil && found && r.App.FileNumber != ""
	}); err != nil {
		var why string
		t.ui(func() {
			_, found, err := t.e.Store.Application(t.e.Actor())
			why = fmt.Sprint(t.e.Session != nil, t.e.Account.Role, found, err)
		})
		return fmt.Errorf("%w (%s)", err, why)
	}
	t.ui(func() {
		t.e.stopSync()
		fee := oinp.Evaluate(&rec.App, domain.DateOf(TourDay), assets.OINPTables()).FeeCents
		_, err = t.e.Store.SubmitApplicationFor(t.e.Actor(), rec.Applicant, oinp.Card{Number: "4111111111111111",
			Name: "Ana Silva", ExpMonth: 12, ExpYear: 2099, CVC: "123"}, fee)
		t.e.application = nil
	})
	if err != nil {
		return fmt.Errorf("paid offline: %w", err)
	}
	t.show(ScreenApplication(oinp.TabFee))
	v, err := view[*appView](t)
	if err != nil {
		return err
	}
	if !v.s.app.AwaitingPayment() {
		return errors.New("the fee tab does not show the file waiting for its payment")
	}
	return t.shot("oinp-fee-queued")
}

package ui

import (
	"context"
	"log/slog"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/notice"
	"dossier/domain/oinp"
	"dossier/internal/desklog"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
	"dossier/translations"
)

// Preference keys.
const (
	prefLang   = "lang"
	prefScreen = "screen"
)

// Screen is one place in the app, registered as data: its stable ID (kept
// in preferences, used for help), the catalog keys of its title and help
// page, and the function that builds it.
type Screen struct {
	ID    string
	Title string
	Help  string
	View  func(*Env) fyne.CanvasObject
}

// The screens refer to one another (the queue leads to the PIN screen,
// which leads back), so their views are attached here rather than in
// their declarations, which would make an initialisation cycle.
func init() {
	ScreenEnrol.View = Enrol
	ScreenFirstRun.View = FirstRun
	ScreenNoWorkspace.View = noWorkspace
	ScreenPINs.View = PINs
	ScreenQueue.View = Queue
	ScreenRegister.View = Register
	ScreenSignIn.View = SignIn
	ScreenStudent.View = Student
	ScreenSync.View = SyncScreen
	ScreenVerify.View = Verify
	ScreenClients.View = Clients
	ScreenEmployer.View = Employer
	ScreenEmployerQueue.View = EmployerQueue
	ScreenOfficerFiles.View = OfficerFiles
	ScreenEnrolBusiness.View = EnrolBusiness
	ScreenNotices.View = NoticesScreen
}

// Env is what every screen works with: the window, the translator, the open
// profile and the signed-in person. Screens label their widgets through
// OnRelabel, so that a change of language relabels the screen in place and
// keeps what the person typed.
type Env struct {
	App    fyne.App
	Window fyne.Window
	// DataDir is where a new profile goes by default.
	DataDir string
	// Store is the open profile, nil until one is opened.
	Store programs.Desk
	// StoreOptions are used to create and open profiles (tests make the
	// key derivation cheap).
	StoreOptions store.Options
	// DemoRequests is how many requests "load the demo data" makes.
	DemoRequests int
	// Now is the clock; tests move it to reach the inactivity lock.
	Now func() time.Time
	// Policy holds the inactivity rule.
	Policy account.Policy

	// QueueShown, when set, is called each time the queue has shown the
	// rows of a filter (the --timing flag measures the first).
	QueueShown func(rows int)

	// Session and Account are the signed-in person; Session is nil when
	// nobody is.
	Session *account.Session
	Account store.Account

	tr       *translations.Translator
	relabels []func()
	screen   Screen
	bar      *topBar
	// draft, when set by the current screen, returns the form's unsaved
	// content so that the shell keeps it (KeepDraft).
	draft func() (form string, content []byte)
	// draftSeen, draftChanged and draftKept debounce that draft; drafts
	// are the current screen's declared inputs, and memDrafts the drafts
	// of forms filled in before anyone signs in (ui/drafts.go).
	draftSeen, draftKept []byte
	draftChanged         time.Time
	draftDropped         bool
	draftForm            string
	drafts               []*DraftForm
	memDrafts            map[string][]byte
	workingCopy          []fyne.CanvasObject
	neverKept            []fyne.CanvasObject
	draftBox             *fyne.Container
	draftNotes           []func()
	lockedOut            *lockNotice
	idle                 *idleBanner

	// launch is the profile reopened at launch and not open yet: the
	// sign-in screen opens it with the person's own key slot; slotOpened
	// marks whose slot opened the open profile (slotMark); openWith, when
	// set, is the profile the first-run screen opens with the profile
	// password (ui/launch.go).
	launch, slotOpened, openWith string

	// notices are the maintenance notices the profile holds, and
	// noticeBar their banner (ui/notices.go).
	notices     []notice.Notice
	noticeBar   *noticeBanner
	noticeTicks int
	// lastContact is the last Contact Us shown (ui/contact.go).
	lastContact *contactView
	// lastNotice is the last outcome shown in a dialog, and view the
	// widgets of the screen on show; tests read them.
	lastNotice string
	view       any
	// dialogs are the dialogs on screen, the top one last: Esc and Enter
	// go to it (ui/dialogs.go).
	dialogs []keyed
	// lastPrinted is the last document printed (ui/print.go).
	lastPrinted printed
	// printedOpenFault says why the last printed document did not open.
	printedOpenFault *widget.Label
	// lastAudit is the last audit history read (ui/audit.go).
	lastAudit []sync.AuditEntry
	// search, when the screen has a search box, focuses it (Ctrl+F).
	search func()
	// leave, when set by the screen on show, runs as the person leaves
	// it by any way (the queue keeps its context: ui/queuekeep.go).
	leave func()
	// back, when set by the screen on show, goes back where it came
	// from (Alt+Left, or Esc with nothing focused); closeDialog closes
	// the outcome dialog on show (Enter or Esc).
	back, closeDialog func()
	// Inline runs background work on the calling goroutine: headless
	// tests set it, because the test driver would otherwise run the
	// widget updates on the worker's goroutine, beside the test's.
	Inline bool

	// Sync is the open profile's link to its server, nil when it has
	// none (ui/sync.go).
	Sync *client.Client
	// question is the security question dialog on show, for tests.
	question *questionDialog
	// answerWith answers the server's security question for the next
	// sign-in to the server (goOnline) without asking: the person typed
	// their answers a moment ago (enrolment), or gave one to the command
	// line (DOSSIER_USER_ANSWER).
	answerWith func(question string) string
	syncStop   context.CancelFunc
	syncStatus client.Status
	// refresh, when the screen on show lists records, reloads them after
	// the server's news has been written.
	refresh func()
	// posted holds widget updates from background goroutines while Inline
	// is set, until Drain runs them on the test's goroutine.
	postMu gosync.Mutex
	posted []func()
	// Payments takes the OINP fee: the sandbox, said so on screen (no
	// real processor can be reached from here).
	Payments oinp.Payments
	// focusOnShow, set by a screen as it is built, gets the focus once it
	// is on show (otherwise the screen's first field does: firstField).
	focusOnShow fyne.Focusable
	// client is the applicant whose file a representative has open.
	client domain.ID
	// application is the applicant's application being worked on
	// (ui/oinp.go), nil until they open it.
	application *appSession
	// registerAs is who the sign-up screen is for, as the sign-in
	// screen's choice said (0 student, 1 OINP applicant, 2 representative).
	registerAs int
	// requestSchool, when set, is the school a student's new request is
	// addressed to (from the self-assessment, ui/assess_ocwpp.go).
	requestSchool domain.ID
	// assessPending holds, by program, the self-assessment answers given
	// before any profile was open, until one is (ui/assess.go).
	assessPending map[string][]byte
	// OpenFile, when set, opens a document for the person instead of the
	// system's viewer (tests); openedDir is where this session wrote
	// the documents it opened (ui/attachments.go).
	OpenFile  func(path, fileType string) error
	openedMu  gosync.Mutex
	openedDir string

	// Log is the desk's local log (ui/about.go): versions, screens by
	// their key, roles, error codes and counts, nothing personal.
	Log  *slog.Logger
	logw *desklog.Writer
	// about is the About box last shown, helpMenu the Help menu (tests).
	about     *aboutBox
	helpMenu  *fyne.Menu
	helpPopUp *widget.PopUpMenu
}

// Async runs work off the UI goroutine (a key derivation, a query), then
// done on it, where widgets may be touched.
func (e *Env) Async(work, done func()) {
	if e.Inline {
		work()
		done()
		return
	}
	go func() {
		work()
		fyne.Do(done)
	}()
}

// NewEnv prepares the environment of a window, in the language the person
// chose last time (English the first time).
func NewEnv(app fyne.App, w fyne.Window, dataDir string) *Env {
	lang, _ := translations.ParseLang(app.Preferences().StringWithFallback(prefLang, string(translations.English)))
	e := &Env{App: app, Window: w, DataDir: dataDir, DemoRequests: 1000, tr: translations.New(lang),
		Now: time.Now, Policy: account.DefaultPolicy, Payments: oinp.Sandbox{}}
	e.openLog()
	useFyneWords(e.tr)
	return e
}

// T translates a catalog key in the current language.
func (e *Env) T(key string, args ...any) string { return e.tr.T(key, args...) }

// Tr is the current translator.
func (e *Env) Tr() *translations.Translator { return e.tr }

// OnRelabel registers f to set the current screen's words, and runs it now.
func (e *Env) OnRelabel(f func()) {
	e.relabels = append(e.relabels, f)
	f()
}

// SetLang switches the language of the whole window at once, keeping the
// screen and everything typed in it, and remembers the choice.
func (e *Env) SetLang(l translations.Lang) {
	e.tr = translations.New(l)
	useFyneWords(e.tr)
	e.App.Preferences().SetString(prefLang, string(l))
	for _, f := range e.relabels {
		f()
	}
}

// ToggleLang switches between English and French.
func (e *Env) ToggleLang() {
	if e.tr.Lang() == translations.French {
		e.SetLang(translations.English)
	} else {
		e.SetLang(translations.French)
	}
}

// Show replaces the window's content with a screen under the top bar. A
// screen change counts as activity.
func (e *Env) Show(s Screen) {
	// Leaving a screen asks nothing: what was typed is kept, and the
	// screen keeps what it keeps on leaving (the queue its context).
	_ = e.leaveScreen()
	e.relabels = nil
	e.back, e.closeDialog = nil, nil
	e.search = nil
	e.refresh = nil
	e.screen = s
	e.Log.Info("screen", "title", s.Title)
	e.Touch()
	e.bar = newTopBar(e)
	e.idle = newIdleBanner(e)
	e.noticeBar = newNoticeBanner(e)
	content := s.View(e)
	e.Window.SetContent(container.NewBorder(container.NewVBox(e.bar.content, e.noticeBar.content, e.idle.content, e.draftBanner()), nil, nil, nil, content))
	// The last workspace is remembered; a request screen is not (the
	// request may not be there next time), only its workspace.
	if e.Session != nil && s.ID != "" && !strings.HasPrefix(s.ID, "request/") {
		e.App.Preferences().SetString(prefScreen, s.ID)
	}
	// The screen's first field has the focus, unless the screen chose
	// another; a list screen starts on its list. The screen opens at its
	// top all the same: what is above the field is read first.
	opening = true
	if e.focusOnShow != nil {
		e.Window.Canvas().Focus(e.focusOnShow)
	} else if f := firstField(content); f != nil {
		e.Window.Canvas().Focus(f)
	}
	opening = false
	e.focusOnShow = nil
}

// Open opens the profile at path and shows the sign-in screen: what the
// first-run screen does, for programs that already have the password.
func (e *Env) Open(path, password string) error {
	s, err := programs.Open(path, password, e.StoreOptions)
	if err != nil {
		return err
	}
	e.useStore(s)
	e.Show(ScreenSignIn)
	return nil
}

// SignIn signs a person in and shows their workspace, as the sign-in
// screen does.
//
// The person's security question is answered by answer (the question
// in, the answer out): this desk asks one of the questions it holds the
// answers of, and then the server its own, in the background, as after
// an offline sign-in.
func (e *Env) SignIn(userID, password string, answer func(question string) string) error {
	sess, acct, q, err := e.Store.SignInOffline(userID, password)
	if err == nil && q != "" {
		sess, acct, err = e.Store.AnswerOffline(acct.ID, answer(q))
	}
	if err != nil {
		return err
	}
	e.keepSlot(e.Store, e.slotOpened, userID, password)
	e.answerWith = answer
	e.signedIn(sess, acct, password)
	return nil
}

// Current is the screen on show.
func (e *Env) Current() Screen { return e.screen }

// Actor is the signed-in person as they act.
func (e *Env) Actor() account.Actor {
	if e.Session == nil {
		return account.Actor{}
	}
	return e.Session.Actor
}

// Touch records activity: it pushes the inactivity lock back.
func (e *Env) Touch() {
	if e.Session != nil {
		e.Session.Touch(e.Now())
	}
}

// KeepDraft lets the current screen hand over its unsaved content (nil
// when it has none): the shell keeps it as it does a declared DraftForm,
// as the person types and on every way of leaving (ui/drafts.go). For a
// screen that holds its values in a working copy of its own.
func (e *Env) KeepDraft(f func() (form string, content []byte)) { e.draft = f }

// TakeDraft returns, and forgets, the signed-in person's draft of form.
func (e *Env) TakeDraft(form string) []byte {
	if e.Store.Engine() == nil || e.Session == nil {
		return nil
	}
	b, err := e.Store.TakeDraft(e.Actor(), form)
	if err != nil {
		return nil
	}
	return b
}

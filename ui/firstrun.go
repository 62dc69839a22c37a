package ui

import (
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
)

// FirstRun is the screen that creates a new encrypted profile or opens an
// existing one.
func FirstRun(e *Env) fyne.CanvasObject { return newFirstRun(e).content }

// firstRun holds the screen's widgets, so that tests can drive them.
type firstRun struct {
	env     *Env
	content fyne.CanvasObject
	tabs    *container.AppTabs

	createTab, openTab       *container.TabItem
	createPath, openPath     *Entry
	createPass, createRepeat *Entry
	openPass                 *Entry
	loadDemo                 *widget.Check
	createBtn, openBtn       *widget.Button
	browseBtn                *widget.Button
	createErr, openErr       *widget.Label
	progress                 *widget.ProgressBarInfinite
	busy                     *widget.Label

	// createFault and openFault are kept as errors, not text, so that a
	// change of language rewords them.
	createFault, openFault error
	createMismatch         bool
}

func newFirstRun(e *Env) *firstRun {
	f := &firstRun{env: e}
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel("")
	intro.Wrapping = fyne.TextWrapWord

	defaultPath := store.ProfilePath(e.DataDir)
	f.createPath = newEntry()
	f.createPath.SetText(defaultPath)
	f.createPass = newPasswordEntry()
	f.createRepeat = newPasswordEntry()
	f.loadDemo = widget.NewCheck("", nil)
	f.createErr = errorLabel()
	hint := widget.NewLabel("")
	hint.Wrapping = fyne.TextWrapWord
	f.createBtn = widget.NewButton("", f.create)
	f.createBtn.Importance = widget.HighImportance
	createPathLabel, createPassLabel, repeatLabel := widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	createForm := container.NewVBox(
		createPathLabel, f.createPath,
		createPassLabel, f.createPass, repeatLabel, f.createRepeat, hint,
		f.loadDemo, f.createErr, container.NewHBox(f.createBtn))

	f.openPath = newEntry()
	f.openPath.SetText(defaultPath)
	// The profile the sign-in screen sent here, or the last one opened.
	reopen := e.openWith
	e.openWith = ""
	if reopen == "" {
		reopen = e.LastProfile()
	}
	if reopen != "" {
		f.openPath.SetText(reopen)
	}
	f.browseBtn = widget.NewButton("", f.browse)
	f.openPass = newPasswordEntry()
	f.openPass.OnSubmitted = func(string) { f.open() }
	f.openErr = errorLabel()
	f.openBtn = widget.NewButton("", f.open)
	f.openBtn.Importance = widget.HighImportance
	openPathLabel, openPassLabel := widget.NewLabel(""), widget.NewLabel("")
	openForm := container.NewVBox(openPathLabel, container.NewBorder(nil, nil, nil, f.browseBtn, f.openPath), openPassLabel, f.openPass,
		f.openErr, container.NewHBox(f.openBtn))

	f.createTab = container.NewTabItem("", container.NewPadded(createForm))
	f.openTab = container.NewTabItem("", container.NewPadded(openForm))
	f.tabs = container.NewAppTabs(f.createTab, f.openTab)
	if reopen != "" {
		f.tabs.Select(f.openTab)
		e.focusOnShow = f.openPass
	}
	f.progress = widget.NewProgressBarInfinite()
	f.progress.Hide()
	f.progress.Stop()
	f.busy = widget.NewLabel("")
	f.busy.Hide()
	// Anyone may check whether they can apply before making a profile
	// (ui/assess.go).
	assess := widget.NewButton("", func() { e.Show(ScreenAssess) })

	e.OnRelabel(func() {
		title.SetText(e.T("firstrun.title"))
		intro.SetText(e.T("firstrun.intro"))
		f.createTab.Text, f.openTab.Text = e.T("firstrun.create"), e.T("firstrun.open")
		f.tabs.Refresh()
		createPathLabel.SetText(e.T("firstrun.file"))
		openPathLabel.SetText(e.T("firstrun.file"))
		createPassLabel.SetText(e.T("firstrun.password"))
		openPassLabel.SetText(e.T("firstrun.password"))
		repeatLabel.SetText(e.T("firstrun.password.repeat"))
		hint.SetText(e.T("firstrun.password.hint", store.MinPasswordLength) + " " + e.T("firstrun.file.hint"))
		f.loadDemo.Text = e.T("firstrun.demo", e.DemoRequests)
		f.loadDemo.Refresh()
		f.createBtn.SetText(e.T("firstrun.create"))
		f.openBtn.SetText(e.T("firstrun.open"))
		f.browseBtn.SetText(e.T("firstrun.browse"))
		f.busy.SetText(e.T("firstrun.working"))
		assess.SetText(e.T("assess.title"))
		f.showErrors()
	})
	f.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		title, intro, f.tabs, f.busy, f.progress, widget.NewSeparator(), container.NewHBox(assess))))
	// No profile is open to seal a draft in, and passwords are never kept.
	e.Draft("firstrun", "").Skip(f.createPath, f.createPass, f.createRepeat, f.loadDemo, f.openPath, f.openPass)
	e.view = f
	return f
}

func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

func (f *firstRun) showErrors() {
	show := func(l *widget.Label, text string) {
		l.SetText(text)
		if text == "" {
			l.Hide()
		} else {
			l.Show()
		}
	}
	switch {
	case f.createMismatch:
		show(f.createErr, f.env.T("firstrun.password.mismatch"))
	default:
		show(f.createErr, f.env.Tr().Error(f.createFault))
	}
	show(f.openErr, f.env.Tr().Error(f.openFault))
}

// setBusy shows the progress bar and keeps the buttons from being pressed
// twice while the key derivation or the demo runs.
func (f *firstRun) setBusy(on bool) {
	if on {
		f.createBtn.Disable()
		f.openBtn.Disable()
		f.busy.Show()
		f.progress.Show()
		f.progress.Start()
		return
	}
	f.createBtn.Enable()
	f.openBtn.Enable()
	f.busy.Hide()
	f.progress.Stop()
	f.progress.Hide()
}

func (f *firstRun) create() {
	f.createFault, f.createMismatch = nil, false
	path := strings.TrimSpace(f.createPath.Text)
	switch {
	case path == "":
		f.createFault = domain.FieldError(store.ErrNoProfile, "path")
	case f.createPass.Text != f.createRepeat.Text:
		f.createMismatch = true
	}
	f.showErrors()
	if f.createFault != nil || f.createMismatch {
		return
	}
	pw, withDemo, n := f.createPass.Text, f.loadDemo.Checked, f.env.DemoRequests
	opt := f.env.StoreOptions
	f.setBusy(true)
	var s programs.Desk
	var err error
	f.env.Async(func() { s, err = createProfile(path, pw, opt, withDemo, n) }, func() {
		f.setBusy(false)
		if err != nil {
			f.createFault = err
			f.showErrors()
			return
		}
		f.env.useStore(s)
		f.env.Show(ScreenSignIn)
	})
}

// createProfile makes the profile, with the demo data when asked; a demo
// that fails leaves no half-made profile behind.
func createProfile(path, pw string, opt store.Options, withDemo bool, n int) (programs.Desk, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := ensureDir(dir); err != nil {
			return programs.Desk{}, err
		}
	}
	s, err := programs.Create(path, pw, opt)
	if err != nil || !withDemo {
		return s, err
	}
	if _, err := demo.Build(s, demo.Options{Requests: n, Seed: 1, Today: domain.DateOf(time.Now())}); err != nil {
		s.Close()
		removeFile(path)
		return programs.Desk{}, err
	}
	return s, nil
}

func (f *firstRun) open() {
	f.openFault = nil
	path := strings.TrimSpace(f.openPath.Text)
	if path == "" {
		f.openFault = domain.FieldError(store.ErrNoProfile, "path")
		f.showErrors()
		return
	}
	pw, opt := f.openPass.Text, f.env.StoreOptions
	f.showErrors()
	f.setBusy(true)
	var s programs.Desk
	var err error
	f.env.Async(func() { s, err = programs.Open(path, pw, opt) }, func() {
		f.setBusy(false)
		if err != nil {
			f.openFault = err
			f.showErrors()
			return
		}
		f.env.useStore(s)
		f.env.Show(ScreenSignIn)
	})
}

// browse chooses the profile file to open with Fyne's file dialog, in the
// folder of the path typed so far; its title and buttons say what it is
// for, and the rest of it speaks the language chosen in Dossier
// (fynewords.go, fileplaces.go).
func (f *firstRun) browse() {
	e := f.env
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		f.chosen(r.URI())
	}, e.Window)
	d.SetTitleText(e.T("firstrun.browse.title"))
	d.SetConfirmText(e.T("firstrun.browse.choose"))
	d.SetDismissText(e.T("shell.cancel"))
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(strings.TrimSpace(f.openPath.Text)))); err == nil {
		d.SetLocation(dir)
	}
	showFileDialog(e, d)
}

// chosen puts the file chosen in the path and moves to the password.
func (f *firstRun) chosen(u fyne.URI) {
	f.openPath.SetText(u.Path())
	f.openFault = nil
	f.showErrors()
	f.env.Window.Canvas().Focus(f.openPass)
}

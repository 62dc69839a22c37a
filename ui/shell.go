package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"dossier/store"
)

// topBar is the strip on every screen: the app's name, Home, the sync
// status, the signed-in person, Verify, Contact Us, Help, Log out and the
// EN/FR switch.
type topBar struct {
	content                  fyne.CanvasObject
	home, help, logout, lang *widget.Button
	person                   *widget.Label
	// sync is the link state, which opens the sync screen; syncNow
	// asks for a sync at once; download shows a large first download.
	sync, syncNow *widget.Button
	// verify opens Verify a document; contact, Contact Us.
	verify      *widget.Button
	contact     *widget.Button
	download    *widget.ProgressBar
	downloadBox *fyne.Container
}

func newTopBar(e *Env) *topBar {
	b := &topBar{}
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.home = widget.NewButton("", e.GoHome)
	b.help = widget.NewButton("", e.showHelpMenu)
	b.logout = widget.NewButton("", e.LogOut)
	b.lang = widget.NewButton("", e.ToggleLang)
	b.person = widget.NewLabel("")
	b.person.Truncation = fyne.TextTruncateEllipsis
	b.sync = widget.NewButton("", func() { e.Touch(); e.Show(ScreenSync) })
	b.sync.Importance = widget.LowImportance
	b.syncNow = widget.NewButton("", e.SyncNow)
	b.verify = widget.NewButton("", func() { e.Touch(); e.Show(ScreenVerify) })
	b.contact = widget.NewButton("", e.ShowContact)
	b.download = widget.NewProgressBar()
	b.downloadBox = container.NewGridWrap(fyne.NewSize(160, b.download.MinSize().Height), b.download)
	b.downloadBox.Hide()
	signedIn := e.Session != nil
	if e.Store.Engine() == nil {
		b.sync.Hide() // no profile open: nothing to connect yet
		b.verify.Hide()
	}
	if !signedIn {
		b.home.Hide()
		b.logout.Hide()
		b.person.Hide()
	}
	e.OnRelabel(func() {
		title.SetText(e.T("app.name"))
		b.home.SetText(e.T("shell.home"))
		b.help.SetText(e.T("shell.help"))
		b.logout.SetText(e.T("shell.logout"))
		b.lang.SetText(e.T("lang.other"))
		b.syncNow.SetText(e.T("sync.now"))
		b.verify.SetText(e.T("shell.verify"))
		b.contact.SetText(e.T("shell.contact"))
		b.showSync(e)
		if signedIn {
			b.person.SetText(e.T("shell.person", e.Account.GivenNames+" "+e.Account.FamilyName, e.Account.RoleAs()))
		}
		e.Window.SetTitle(e.T("app.name") + " — " + e.T(e.screen.Title))
	})
	left := container.NewHBox(title, b.home, b.sync, b.syncNow, b.downloadBox)
	right := container.NewHBox(b.verify, b.contact, b.help, b.logout, b.lang)
	b.content = container.NewVBox(container.NewBorder(nil, nil, left, right, b.person), widget.NewSeparator())
	registerShortcuts(e)
	return b
}

// GoHome shows the signed-in person's workspace, or the sign-in screen.
func (e *Env) GoHome() {
	if e.Session == nil {
		e.Show(ScreenSignIn)
		return
	}
	e.Show(homeFor(e.Account.Role))
}

// ShowHelp opens the short help page of the current screen, in the
// current language.
func (e *Env) ShowHelp() {
	key := e.screen.Help
	if key == "" {
		key = "help.general"
	}
	text := widget.NewLabel(e.T(key))
	text.Wrapping = fyne.TextWrapWord
	box := container.NewVScroll(text)
	box.SetMinSize(fyne.NewSize(480, 240))
	dialog.NewCustom(e.T(e.screen.Title), e.T("shell.close"), box, e.Window).Show()
}

// LogOut ends the session and returns to the sign-in screen. The desk
// forgets the person's server tokens: whoever signs in next syncs as
// themselves, and the person's own unsent changes wait for them.
func (e *Env) LogOut() {
	e.stopSync()
	if e.Sync != nil {
		if err := e.Sync.SignOut(); err != nil {
			e.syncStatus.Err = err
		}
		e.syncStatus = e.Sync.Status()
	}
	e.Session = nil
	e.Account = store.Account{}
	e.application = nil
	e.forgetOpened()
	e.Show(ScreenSignIn)
}

// registerShortcuts binds the frequent actions: Ctrl+H home, F1 help,
// Ctrl+L switch language, Ctrl+Q log out, Ctrl+F the search box of the
// screen that has one.
func registerShortcuts(e *Env) {
	c := e.Window.Canvas()
	bind := func(k fyne.KeyName, mod fyne.KeyModifier, f func()) {
		sc := &desktop.CustomShortcut{KeyName: k, Modifier: mod}
		c.RemoveShortcut(sc)
		c.AddShortcut(sc, func(fyne.Shortcut) { e.Touch(); f() })
	}
	bind(fyne.KeyH, fyne.KeyModifierShortcutDefault, e.GoHome)
	bind(fyne.KeyL, fyne.KeyModifierShortcutDefault, e.ToggleLang)
	bind(fyne.KeyF, fyne.KeyModifierShortcutDefault, func() {
		if e.search != nil {
			e.search()
		}
	})
	bind(fyne.KeyQ, fyne.KeyModifierShortcutDefault, func() {
		if e.Session != nil {
			e.LogOut()
		}
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		e.Touch()
		if ev.Name == fyne.KeyF1 {
			e.ShowHelp()
		}
	})
}

package ui

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/internal/desklog"
	"dossier/internal/version"
	"dossier/store"
	"dossier/sync/client"
)

// The Help menu (the top bar's Help): this screen's help, About Dossier
// and Copy diagnostics; and the desk's local log, which support reads
// through Copy diagnostics.

// openLog opens the desk's log in the data folder's logs/ (nil, and no
// log, when the folder cannot be written) and notes the start.
func (e *Env) openLog() {
	e.Log = desklog.Logger(nil, slog.LevelInfo)
	if e.DataDir == "" {
		return
	}
	w, err := desklog.Open(filepath.Join(e.DataDir, "logs"), desklog.MaxSize, desklog.Keep)
	if err != nil {
		return
	}
	e.logw = w
	e.Log = desklog.Logger(w, slog.LevelInfo)
	e.Log.Info("start", "version", version.Version, "os", runtime.GOOS, "arch", runtime.GOARCH, "go", runtime.Version())
}

// LogPath is the desk log's current file, empty when none is kept.
func (e *Env) LogPath() string {
	if e.logw == nil {
		return ""
	}
	return e.logw.Path()
}

// logSync notes a change of the sync's state: online or not, what waits
// to be sent, and the error's code — never the server's answer's words.
func (e *Env) logSync(before, now client.Status) {
	if before.Online == now.Online && domain.ErrorCode(before.Err) == domain.ErrorCode(now.Err) &&
		before.SignedIn == now.SignedIn {
		return
	}
	attrs := []any{"online", now.Online, "signedIn", now.SignedIn, "pending", now.Pending}
	if now.Err != nil {
		attrs = append(attrs, "err", string(domain.ErrorCode(now.Err)))
	}
	e.Log.Info("sync", attrs...)
}

// showHelpMenu opens the Help menu under the top bar's Help button.
func (e *Env) showHelpMenu() {
	e.Touch()
	menu := fyne.NewMenu("",
		fyne.NewMenuItem(e.T("shell.help.screen"), e.ShowHelp),
		fyne.NewMenuItem(e.T("shell.about"), e.ShowAbout),
		fyne.NewMenuItem(e.T("shell.diagnostics"), e.CopyDiagnostics))
	e.helpMenu = menu
	c := e.Window.Canvas()
	pos := fyne.NewPos(0, 0)
	if e.bar != nil {
		btn := e.bar.help
		pos = fyne.CurrentApp().Driver().AbsolutePositionForObject(btn).AddXY(0, btn.Size().Height)
	}
	e.helpPopUp = widget.NewPopUpMenu(menu, c)
	e.helpPopUp.ShowAtPosition(pos)
}

// ShowAbout shows the version, the licence and where the log is.
func (e *Env) ShowAbout() {
	e.Touch()
	name := widget.NewLabelWithStyle(e.T("app.name"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ver := widget.NewLabel(e.T("about.version", version.Version))
	lic := widget.NewLabel(e.T("about.licence"))
	lic.Wrapping = fyne.TextWrapWord
	logs := widget.NewLabel(e.T("about.logs"))
	logs.Wrapping = fyne.TextWrapWord
	path := widget.NewLabel(e.LogPath())
	path.Wrapping = fyne.TextWrapBreak
	if e.LogPath() == "" {
		path.SetText(e.T("about.logs.none"))
	}
	box := container.NewVBox(name, ver, lic, widget.NewSeparator(), logs, path)
	wrap := container.NewGridWrap(fyne.NewSize(440, box.MinSize().Height+40), box)
	d := dialog.NewCustom(e.T("shell.about"), e.T("shell.close"), wrap, e.Window)
	e.about = &aboutBox{version: ver, licence: lic, path: path}
	d.Show()
}

// aboutBox is the About box on show (tests read it).
type aboutBox struct {
	version, licence, path *widget.Label
}

// CopyDiagnostics puts the diagnostics on the clipboard and says so.
func (e *Env) CopyDiagnostics() {
	e.Touch()
	text := e.Diagnostics()
	e.App.Clipboard().SetContent(text)
	e.Log.Info("diagnostics copied")
	e.lastNotice = e.T("shell.diagnostics.copied")
	noticeDialog(e, e.T("shell.diagnostics"), e.lastNotice)
}

// diagnosticsTail is how many of the log's last lines the diagnostics
// carry.
const diagnosticsTail = 60

// Diagnostics is what support needs to know of this desk, for the
// clipboard: the version, the system, the profile's schema, the sync's
// state (the server's host only, the last sync, what waits to be sent,
// the last error's code) and the log's last lines. It names no person,
// no record and no folder (a folder's path may hold the computer's user
// name). Its field names stay in English whatever the language, for
// support to read and search.
func (e *Env) Diagnostics() string {
	var b strings.Builder
	line := func(k string, v any) { fmt.Fprintf(&b, "%-15s %v\n", k+":", v) }
	line("Dossier", version.Version)
	line("os", runtime.GOOS+"/"+runtime.GOARCH)
	line("go", runtime.Version())
	line("language", string(e.tr.Lang()))
	if e.Store.Engine() == nil {
		line("profile", "none open")
	} else {
		line("profile schema", store.SchemaVersion)
	}
	if e.Session != nil {
		line("signed in as", e.Account.Role.Code())
	}
	s := e.syncStatus
	if e.Sync != nil {
		s = e.Sync.Status()
	}
	server := "none"
	if e.Store.Engine() != nil {
		if st, err := e.Store.SyncState(); err == nil && st.Server != "" {
			if u, err := url.Parse(st.Server); err == nil {
				server = u.Hostname()
			}
		}
	}
	line("sync server", server)
	if s.ServerVersion != "" {
		line("server version", s.ServerVersion)
	}
	line("online", s.Online)
	line("sync signed in", s.SignedIn)
	last := "never"
	if !s.LastSync.IsZero() {
		last = s.LastSync.UTC().Format(time.RFC3339)
	}
	line("last sync", last)
	line("outbox", s.Pending)
	line("refused", s.Rejected)
	line("conflicts", s.Conflicts)
	code := "none"
	if s.Err != nil {
		code = string(domain.ErrorCode(s.Err))
		var de *domain.Error
		if !errors.As(s.Err, &de) {
			code = "uncoded"
		}
	}
	line("last error", code)
	if e.logw != nil {
		tail := e.logw.Tail(diagnosticsTail)
		fmt.Fprintf(&b, "log (last %d lines):\n", len(tail))
		for _, l := range tail {
			b.WriteString("  " + l + "\n")
		}
	} else {
		b.WriteString("log: none kept\n")
	}
	return b.String()
}

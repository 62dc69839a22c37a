package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/ens"
	"dossier/internal/version"
	"dossier/store"
	"dossier/store/demo"
	"dossier/translations"
)

// TestHelpMenuAndAboutBox: the top bar's Help opens a menu of this
// screen's help, About and Copy diagnostics, in the person's language;
// About says the version, the licence and where the log is, and fits
// the smallest window (1024×768) in English and French.
func TestHelpMenuAndAboutBox(t *testing.T) {
	e, _, _ := desk(t, 5)
	w := e.Window
	w.Resize(fyne.NewSize(1024, 768))
	signInAs(t, e, "dir.beaulieu", demo.Password)
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		test.Tap(e.bar.help)
		menu := e.helpPopUp
		if menu == nil || !menu.Visible() || w.Canvas().Overlays().Top() == nil {
			t.Fatalf("%s: no menu under Help", lang)
		}
		want := []string{e.T("shell.help.screen"), e.T("shell.about"), e.T("shell.diagnostics")}
		if got := menuLabels(e.helpMenu); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("%s: menu %q, want %q", lang, got, want)
		}
		menu.Hide()

		e.ShowAbout()
		if e.about == nil || e.about.version.Text != e.T("about.version", version.Version) ||
			!strings.Contains(e.about.version.Text, version.Version) || e.about.path.Text != e.LogPath() {
			t.Fatalf("%s: about %+v", lang, e.about)
		}
		if !strings.HasPrefix(e.LogPath(), e.DataDir) {
			t.Errorf("the log %s is not in the data folder %s", e.LogPath(), e.DataDir)
		}
		overlay := w.Canvas().Overlays().Top()
		if min := overlay.MinSize(); min.Width > 1024 || min.Height > 768 {
			t.Errorf("%s: the About box needs %v", lang, min)
		}
		if min := e.bar.content.MinSize(); min.Width > 1024 {
			t.Errorf("%s: the top bar needs %v", lang, min.Width)
		}
		w.Canvas().Overlays().Remove(overlay)
	}
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		out = append(out, it.Label)
	}
	return out
}

// TestDeskLogAndDiagnosticsHoldNothingPersonal: a DIR and a student work
// a request to its EVN; the desk's log notes the start, the screens and
// the roles, and Copy diagnostics puts on the clipboard the version, the
// system, the schema, the sync's state and the log's tail — and neither
// holds a name, user ID, e-mail address, client ID, EVN or the profile's
// folder.
func TestDeskLogAndDiagnosticsHoldNothingPersonal(t *testing.T) {
	e, _, res := desk(t, 20)
	signInAs(t, e, "student1", demo.Password)
	v := e.view.(*studentView)
	v.school.SetSelectedIndex(0)
	v.birth.SetText("2003-02-14")
	v.client.SetText("8765 4321")
	test.Tap(v.send)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.search.SetText("8765-4321") })
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	for i := range r.checks {
		r.checks[i].SetSelected(r.checks[i].Options[1])
	}
	test.Tap(r.buttons[ens.Verify])
	verified := e.view.(*requestView).r
	if verified.EVN == "" {
		t.Fatal("no EVN")
	}

	personal := []string{string(verified.EVN), "8765", "4321", demo.Password, e.DataDir}
	for _, a := range res.Accounts {
		personal = append(personal, a.UserID)
	}
	q = openQueue(t, e)
	for _, id := range q.ids {
		req, err := e.Store.Request(e.Actor(), id)
		if err != nil {
			t.Fatal(err)
		}
		s := req.Student
		personal = append(personal, s.GivenNames, s.FamilyName, string(s.ClientID), s.StudentNumber, s.Email)
	}
	personal = append(personal, e.Account.GivenNames, e.Account.FamilyName, e.Account.Email)

	e.CopyDiagnostics()
	diag := e.App.Clipboard().Content()
	if e.lastNotice != e.T("shell.diagnostics.copied") {
		t.Errorf("notice %q", e.lastNotice)
	}
	for _, field := range []string{"Dossier:", version.Version, "os:", "go:", "profile schema:", "sync server:",
		"last sync:", "outbox:", "last error:", "log (last", "msg=start", "msg=\"signed in\" role=dir"} {
		if !strings.Contains(diag, field) {
			t.Errorf("the diagnostics lack %q:\n%s", field, diag)
		}
	}
	files, _ := filepath.Glob(filepath.Join(e.DataDir, "logs", "dossier.log*"))
	if len(files) == 0 {
		t.Fatal("no desk log")
	}
	var logs strings.Builder
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		logs.Write(raw)
	}
	if !strings.Contains(logs.String(), "title=queue.title") && !strings.Contains(logs.String(), "msg=screen") {
		t.Errorf("the log has no screen:\n%s", logs.String())
	}
	for _, p := range personal {
		p = strings.TrimSpace(p)
		if len(p) < 3 {
			continue
		}
		if strings.Contains(logs.String(), p) {
			t.Errorf("the desk log holds %q", p)
		}
		if strings.Contains(diag, p) {
			t.Errorf("the diagnostics hold %q", p)
		}
	}
}

// TestDiagnosticsOfASyncedDesk: a DIR enrols online on a desk connected
// to a server; the diagnostics say the server's host (not its port or
// address), its version, that the desk is online, when it last synced and
// that nothing waits; the log notes the sync's state by codes and
// counts; neither names the DIR.
func TestDiagnosticsOfASyncedDesk(t *testing.T) {
	srv := startSyncServer(t)
	_, pin := srv.school(t)
	e := freshDesk(t)
	connectDesk(t, e, srv)
	e.Show(ScreenEnrol)
	f := e.view.(*credentialForm)
	f.pin.SetText(pin)
	fillCredentials(f, "Dominique", "Arsenault", "dir.arsenault")
	test.Tap(f.submit)
	online(t, e, "the DIR")
	syncWait(t, e, "a sync's time", func() bool { return !e.syncStatus.LastSync.IsZero() })
	diag := e.Diagnostics()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, want := range []string{"sync server:    127.0.0.1\n", "server version: " + version.Version, "online:         true",
		"outbox:         0", "last error:     none", "profile schema: " + strconv.Itoa(store.SchemaVersion),
		"signed in as:   dir", "msg=profile schema=", "msg=connected serverVersion=" + version.Version, "msg=sync online=true"} {
		if !strings.Contains(diag, want) {
			t.Errorf("the diagnostics lack %q:\n%s", want, diag)
		}
	}
	if strings.Contains(diag, "last sync:      never") {
		t.Errorf("never synced:\n%s", diag)
	}
	for _, p := range []string{"Dominique", "Arsenault", "dir.arsenault", "a long password", "answer a", srv.URL, port,
		srv.fp, pin, e.DataDir} {
		if strings.Contains(diag, p) {
			t.Errorf("the diagnostics hold %q", p)
		}
	}
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/translations"
)

// TestSyncScreenAsksToConfirmTheKey: a person who connects with no
// fingerprint typed is shown the fingerprint of the key the server
// presents and asked, in their language, whether it is the one the
// server's operator gave them. "No" leaves the desk unconnected, with
// nothing remembered; "Yes" pins that key and goes on with the sign-in,
// the password typed once.
func TestSyncScreenAsksToConfirmTheKey(t *testing.T) {
	srv := startSyncServer(t)
	e := freshDesk(t)
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fillCredentials(f, "Élodie", "Côté", "elodie.cote")
	f.email.SetText("elodie@example.ca")
	test.Tap(f.submit)
	if e.Session == nil {
		t.Fatalf("registration: %q", f.form.general.Text)
	}
	test.Tap(e.bar.sync)
	v := e.view.(*syncView)

	// English, and the person says no.
	v.server.SetText(srv.URL)
	v.pwd.SetText("a long password 1")
	test.Tap(v.connect)
	if top := e.Window.Canvas().Overlays().Top(); top == nil || v.shown == nil {
		t.Fatalf("no confirmation shown: %q", v.form.general.Text)
	}
	// The whole fingerprint, in blocks of four, on two lines of eight.
	if strings.Join(strings.Fields(v.shown.Text), "") != srv.fp || len(srv.fp) != 64 {
		t.Fatalf("fingerprint shown %q, want %q", v.shown.Text, srv.fp)
	}
	for i, line := range strings.Split(v.shown.Text, "\n") {
		if blocks := strings.Fields(line); i > 1 || len(blocks) != 8 || len(blocks[0]) != 4 || line != strings.Join(blocks, " ") {
			t.Fatalf("fingerprint shown as %q", v.shown.Text)
		}
	}
	findButton(t, e, "Yes, it is the same")
	test.Tap(findButton(t, e, "No, do not connect"))
	if e.Sync != nil || !strings.Contains(v.form.errors["fingerprint"].Text, "nothing was sent to this server") {
		t.Fatalf("after no: connected %v, %q", e.Sync != nil, v.form.errors["fingerprint"].Text)
	}
	if s, err := e.Store.SyncState(); err != nil || s.Server != "" || s.Fingerprint != "" {
		t.Fatalf("a refused server was remembered: %+v %v", s, err)
	}

	// French, and the person says yes: connected, pinned and signed in
	// with the password typed before the question.
	e.SetLang(translations.French)
	v.fingerprint.SetText("")
	v.pwd.SetText("a long password 1")
	test.Tap(v.connect)
	if strings.Join(strings.Fields(v.shown.Text), "") != srv.fp {
		t.Fatalf("fingerprint shown %q, want %q", v.shown.Text, srv.fp)
	}
	findButton(t, e, "Non, ne pas se connecter")
	test.Tap(findButton(t, e, "Oui, c’est la même"))
	if e.Sync == nil {
		t.Fatalf("after yes: not connected: %q %q", v.form.general.Text, v.form.errors["fingerprint"].Text)
	}
	if s, _ := e.Store.SyncState(); s.Fingerprint != srv.fp || v.fingerprint.Text != srv.fp {
		t.Fatalf("pinned %q, field %q, want %q", s.Fingerprint, v.fingerprint.Text, srv.fp)
	}
	syncWait(t, e, "the student online, in French", func() bool {
		s := e.syncStatus
		return s.Online && s.SignedIn && s.Pending == 0 && strings.HasPrefix(e.bar.sync.Text, "En ligne")
	})
	// The screen names the pinned key in the same blocks, on one line.
	test.Tap(e.bar.sync)
	if link := e.view.(*syncView).link.Text; !strings.Contains(link, "Empreinte de la clé du serveur") ||
		!strings.Contains(link, strings.Join(strings.Fields(v.shown.Text), " ")) {
		t.Fatalf("link %q", link)
	}
}

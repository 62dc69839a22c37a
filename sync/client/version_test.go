package client_test

import (
	"context"
	"strings"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/internal/version"
	"dossier/sync"
	"dossier/sync/client"
	"dossier/translations"
)

// TestVersionHandshake: a desk older than the server serves is refused
// at its next sync with sync.version.old, which tells the person in
// their language which version to install, and loses nothing: the PIN
// it issued meanwhile goes once the desk is the right version again. A
// desk newer than the server syncs on; a server older than the desk
// takes is refused by the desk with sync.server.old. The status says the
// server's version.
func TestVersionHandshake(t *testing.T) {
	ts := startServer(t)
	school, pin := ts.school("A01", "Collège Boréal")
	d := newDesk(t, ts, "dir")
	d.enrolDIR("dir.version", pin)
	if got := d.c.Status().ServerVersion; got != version.Version {
		t.Fatalf("status: server version %q", got)
	}

	client.SetVersions(d.c, "0.0.1", version.MinServer)
	if _, _, err := d.st.IssuePIN(d.by, account.PINRequest{Role: account.Signatory, Org: school.ID}); err != nil {
		t.Fatal(err)
	}
	err := d.c.Sync(context.Background())
	if domain.ErrorCode(err) != sync.ErrDeskTooOld {
		t.Fatalf("sync of a desk 0.0.1: %v", err)
	}
	if d.c.Status().Err == nil || domain.ErrorCode(d.c.Status().Err) != sync.ErrDeskTooOld {
		t.Errorf("status error %v", d.c.Status().Err)
	}
	for lang, want := range map[translations.Lang]string{translations.English: "Install the new version",
		translations.French: "Installez la nouvelle version"} {
		msg := translations.New(lang).Error(err)
		if !strings.Contains(msg, "0.0.1") || !strings.Contains(msg, version.MinDesk) || !strings.Contains(msg, want) {
			t.Errorf("%s: %q", lang, msg)
		}
	}
	if n, _ := d.st.Counts(d.by); n.Pending == 0 {
		t.Fatal("the PIN's command left the outbox of a refused desk")
	}

	// A newer desk than the server: served, and the PIN goes.
	client.SetVersions(d.c, "99.0.0", version.MinServer)
	d.sync()
	if n, _ := d.st.Counts(d.by); n.Pending != 0 {
		t.Fatalf("%d commands still to send", n.Pending)
	}

	// A server older than this desk takes.
	client.SetVersions(d.c, version.Version, "99.0.0")
	err = d.c.Sync(context.Background())
	if domain.ErrorCode(err) != client.ErrServerTooOld {
		t.Fatalf("sync with a server older than the desk takes: %v", err)
	}
	for lang, want := range map[translations.Lang]string{translations.English: "upgrade the server",
		translations.French: "mettre le serveur à jour"} {
		if msg := translations.New(lang).Error(err); !strings.Contains(msg, version.Version) || !strings.Contains(msg, "99.0.0") ||
			!strings.Contains(msg, want) {
			t.Errorf("%s: %q", lang, msg)
		}
	}
}

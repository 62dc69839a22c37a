package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/domain/oinp"
	"dossier/store/applications"
	"dossier/translations"
)

// TestOfficerOpensADocumentThroughTheScreens: through the screens, over a
// real server: the officer's file lists the applicant's documents with
// their type, size and SHA-256; Open fetches the passport from the server
// and hands the viewer a private file holding the applicant's bytes; with
// no viewer on the computer, the line says so in the officer's language;
// logging out removes the file written for the viewer.
func TestOfficerOpensADocumentThroughTheScreens(t *testing.T) {
	srv := startSyncServer(t)
	linh, rec := applicantOn(t, srv, "Linh", "Nguyen", "linh.nguyen", "Mississauga", "fr")
	one := officerOn(t, srv, "officer.one", "Pat")
	syncWait(t, one, "the file on the officer's desk", func() bool {
		q, _ := one.Store.ProcessingQueue(one.Actor(), applications.FileFilter{})
		return len(q) == 1
	})
	var passport oinp.Document
	for _, d := range rec.App.Documents {
		if d.Kind == "passport" {
			passport = d
		}
	}
	want, err := linh.Store.DocumentContent(linh.Actor(), passport.ID)
	if err != nil {
		t.Fatal(err)
	}

	one.Show(ScreenOfficerFile(linh.Actor().Account))
	v := fileView(t, one)
	if len(v.attachments) != len(rec.App.Documents) {
		t.Fatalf("the file lists %d documents, the applicant attached %d", len(v.attachments), len(rec.App.Documents))
	}
	row := v.attachments[passport.ID]
	if row == nil || !strings.Contains(row.line.Text, "passport.pdf") || !strings.Contains(row.line.Text, "PDF") ||
		!strings.Contains(row.line.Text, passport.SHA256[:16]) {
		t.Fatalf("the passport's line: %+v", row)
	}
	var opened, openedType string
	one.OpenFile = func(path, fileType string) error { opened, openedType = path, fileType; return nil }
	test.Tap(row.open)
	one.Drain()
	if opened == "" || openedType != "pdf" || row.fault.Visible() {
		t.Fatalf("nothing opened (%q): %q", opened, row.fault.Text)
	}
	got, err := os.ReadFile(opened)
	if err != nil || !bytes.Equal(got, want) || filepath.Ext(opened) != ".pdf" {
		t.Fatalf("the viewer received %q (%v) at %s", got, err, opened)
	}
	if fi, err := os.Stat(opened); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the file for the viewer: %v %v", fi.Mode(), err)
	}

	if runtime.GOOS == "linux" {
		// No viewer: a computer with no xdg-open.
		one.OpenFile = nil
		t.Setenv("PATH", t.TempDir())
		one.SetLang(translations.French)
		test.Tap(row.open)
		one.Drain()
		if !row.fault.Visible() || row.fault.Text != one.T("err.ui.document.no-viewer", "PDF") ||
			!strings.HasPrefix(row.fault.Text, "Aucun programme") {
			t.Fatalf("with no viewer, the line says %q", row.fault.Text)
		}
	}
	one.LogOut()
	if _, err := os.Stat(opened); !os.IsNotExist(err) {
		t.Fatalf("the file written for the viewer outlives the session: %v", err)
	}
}

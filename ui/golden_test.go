package ui

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/store/demo"
	"dossier/translations"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// assertGolden compares markup with testdata/name; with -update it writes
// the file instead. A mismatch leaves what was rendered in testdata/failed.
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if string(want) != got {
		os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		os.WriteFile(filepath.Join("testdata", "failed", name), []byte(got), 0o644)
		t.Errorf("%s differs from what was rendered (see testdata/failed/%s)", path, name)
	}
}

// TestGoldenQueueAndRequest renders the queue and a request screen in both
// languages and compares them with the golden markup.
func TestGoldenQueueAndRequest(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e, _, _ := desk(t, 60)
			e.SetLang(lang)
			e.Window.Resize(fyne.NewSize(1240, 720))
			signInAs(t, e, "dir.beaulieu", demo.Password)
			q := openQueue(t, e)
			// Lay the window out once more, as a frame would, so that
			// labels whose text just changed have their final size.
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "queue_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
			q.open(widget.TableCellID{Row: 0, Col: 3})
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "request_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
		})
	}
}

// TestMain runs the UI's tests in UTC, so that dates render the same
// wherever they run: set once, before any test's goroutines read the
// clock's zone.
func TestMain(m *testing.M) {
	time.Local = time.UTC
	os.Exit(m.Run())
}

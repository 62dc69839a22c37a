package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// TestTourReachesEveryStop walks the screenshot tour headless, as
// dossier --tour does in the real window: every stop is reached, in both
// languages, and the stops the docs show are among them
// (a renamed or broken screen fails here, not in the pictures).
func TestTourReachesEveryStop(t *testing.T) {
	e, w := newTestEnv(t)
	w.Resize(fyne.NewSize(1024, 768))
	var screens []string
	shots, err := RunTour(e, t.TempDir(), func(name string) error {
		screens = append(screens, name+" "+e.Current().ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(shots)%2 != 0 {
		t.Fatalf("%d stops: not as many in French as in English", len(shots))
	}
	half := len(shots) / 2
	for i, en := range shots[:half] {
		if fr := shots[half+i]; strings.TrimSuffix(en, "-en") != strings.TrimSuffix(fr, "-fr") {
			t.Errorf("stop %d is %s in English but %s in French", i, en, fr)
		}
	}
	for _, want := range []string{"first-run-en", "queue-fr", "request-evn-en", "officer-file-fr", "oinp-summary-en",
		"compliance-fr", "coordinator-en", "program-school-fr", "about-fr", "help-menu-en", "contact-us-fr",
		"connect-confirm-fr", "queue-online-en", "sync-fr", "oinp-decision-en", "print-fr", "request-transfer-en",
		"queue-refused-fr", "sync-refused-en", "notice-banner-fr", "permit-decide-en",
		"employer-en", "employer-form-fr", "officer-employers-en", "notice-signin-fr",
		"branch-users-en", "branch-users-fr", "request-no-desk-en", "request-no-desk-fr",
		"sync-conflicts-en", "sync-conflicts-fr", "oinp-fee-queued-en", "oinp-fee-queued-fr",
		"permit-draft-en", "permit-draft-fr", "officer-info-errors-en", "officer-info-errors-fr",
		"file-picker-en", "file-picker-fr"} {
		if !slices.Contains(shots, want) {
			t.Errorf("the tour never stops at %s", want)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(shots)))) != len(shots) {
		t.Errorf("two stops share a name: %v", shots)
	}
	t.Logf("%d stops: %s", len(shots), strings.Join(screens, ", "))
}

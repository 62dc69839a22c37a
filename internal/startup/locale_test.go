package startup_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	// As in the app: this package, then Fyne's language lookup, which
	// reads the locale as it is initialised.
	_ "dossier/internal/startup"
	_ "fyne.io/fyne/v2/lang"
)

// TestFyneIsQuietOnACLocale starts a process under LANG=C.UTF-8 that
// initialises this package, then Fyne's language lookup: nothing is
// logged. The same process with LANGUAGE=C.UTF-8, which the fix leaves
// alone, shows what it mends.
func TestFyneIsQuietOnACLocale(t *testing.T) {
	if os.Getenv("STARTUP_CHILD") == "1" {
		return // initialised: that was the test
	}
	run := func(extra ...string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFyneIsQuietOnACLocale$", "-test.count=1")
		cmd.Env = append([]string{"STARTUP_CHILD=1", "HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir(),
			"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}, extra...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := run(); strings.Contains(out, "Error parsing user locale") {
		t.Fatalf("under LANG=C.UTF-8 Fyne logged:\n%s", out)
	}
	if out := run("LANGUAGE=C.UTF-8"); !strings.Contains(out, "Error parsing user locale") {
		t.Fatalf("with the fix left out Fyne logged nothing: the test no longer tells\n%s", out)
	}
}

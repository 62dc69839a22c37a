package version_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every program says the version stamped into it with -ldflags -X, as
// the Makefile builds them: dossierd and dossierctl in pure Go, the
// desktop app with cgo (skipped, loudly, where there is no C compiler).
func TestEveryProgramSaysItsVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three programs")
	}
	const stamped = "9.8.7"
	dir := t.TempDir()
	for _, prog := range []string{"dossierd", "dossierctl", "dossier"} {
		t.Run(prog, func(t *testing.T) {
			bin := filepath.Join(dir, prog)
			build := exec.Command("go", "build", "-tags", "migrated_fynedo",
				"-ldflags", "-X dossier/internal/version.Version="+stamped, "-o", bin, "dossier/cmd/"+prog)
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
			if prog == "dossier" {
				if _, err := exec.LookPath("gcc"); err != nil {
					t.Skip("SKIPPED: the desktop app needs cgo, and there is no gcc here")
				}
				build.Env = append(os.Environ(), "CGO_ENABLED=1")
			}
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("build: %v\n%s", err, out)
			}
			for _, args := range [][]string{{"--version"}, {"version"}} {
				if prog == "dossier" && args[0] == "version" {
					continue // the desktop app takes flags only
				}
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "LANG=fr_CA.UTF-8", "DISPLAY=")
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s %v: %v", prog, args, err)
				}
				if got, want := strings.TrimSpace(string(out)), prog+" version "+stamped; got != want {
					t.Errorf("%s %v said %q, want %q", prog, args, got, want)
				}
			}
		})
	}
}

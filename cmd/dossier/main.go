// Command dossier is the desktop app. It makes the Fyne app and window (the
// only part of Dossier that needs cgo) and hands them to package ui.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"dossier/assets"
	"dossier/internal/version"
	"dossier/store"
	"dossier/store/demo"
	"dossier/translations"
	"dossier/ui"
)

// started is read as the program's package initialises, before main: the
// start of the --timing measurement.
var started = time.Now()

func main() {
	tr := translations.New(translations.LangFromEnv(os.Getenv))
	data := flag.String("data", "", "")
	timing := flag.Bool("timing", false, "")
	showVersion := flag.Bool("version", false, "")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, tr.T("dossier.usage")) }
	flag.Parse()
	if *showVersion {
		fmt.Println(tr.T("cli.version", "dossier", version.Version))
		return
	}

	a := app.NewWithID("ca.dossier.desktop")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	dir := *data
	if dir == "" {
		dir = a.Storage().RootURI().Path()
	}
	w := a.NewWindow("Dossier")
	prefs := a.Preferences()
	// The window opens at 1024×768, or as the person last left it; nothing
	// resizes it after this.
	w.Resize(ui.WindowSize(prefs))
	env := ui.NewEnv(a, w, dir)
	env.Show(ui.ScreenFirstRun)
	env.StartIdleWatch()
	// A profile password (and a person) in the environment open the app
	// straight on the workspace: for kiosks, scripts and --timing.
	if pw := os.Getenv("DOSSIER_PASSWORD"); pw != "" {
		if err := env.Open(store.ProfilePath(dir), pw); err != nil {
			fmt.Fprintln(os.Stderr, env.T("dossier.error", env.Tr().Error(err)))
		} else if user := os.Getenv("DOSSIER_USER"); user != "" {
			if *timing {
				opened := time.Since(started)
				env.QueueShown = func(rows int) {
					env.QueueShown = nil
					// One more turn of the event loop: the frame with
					// the rows has been drawn.
					fyne.Do(func() {
						fmt.Println(env.T("dossier.timing", int(opened.Milliseconds()), rows,
							int(time.Since(started).Milliseconds())))
						a.Quit()
					})
				}
			}
			// The security question: DOSSIER_USER_ANSWER answers it, or,
			// without it, a demo person's known answer.
			answer := func(q string) string {
				if a, ok := os.LookupEnv("DOSSIER_USER_ANSWER"); ok {
					return a
				}
				return demo.Answer(q)
			}
			if err := env.SignIn(user, os.Getenv("DOSSIER_USER_PASSWORD"), answer); err != nil {
				fmt.Fprintln(os.Stderr, env.T("dossier.error", env.Tr().Error(err)))
			}
		}
	}
	w.SetOnClosed(func() {
		ui.KeepWindowSize(prefs, w.Canvas().Size())
		env.Close() // the sync stops before the profile closes
	})
	w.ShowAndRun()
}

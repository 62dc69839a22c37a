// Command dossier is the desktop app. It makes the Fyne app and window (the
// only part of Dossier that needs cgo) and hands them to package ui.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"dossier/assets"
	"dossier/internal/heapfloor"
	"dossier/internal/startup"
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
	// A desk's small heap grows by 16 MiB between garbage collections,
	// not by the few it holds (internal/heapfloor).
	defer heapfloor.Keep(heapfloor.Desk, os.Getenv)()
	// The person's language: the one they chose in the app, else LANG.
	lang := translations.LangFromEnv(os.Getenv)
	if l, err := translations.ParseLang(startup.SavedLang(startup.AppID)); err == nil {
		lang = l
	}
	tr := translations.New(lang)
	data := flag.String("data", "", "")
	timing := flag.Bool("timing", false, "")
	showVersion := flag.Bool("version", false, "")
	// A hidden mode for scripts/screenshots: the screenshot tour (ui/tour.go).
	tour := flag.String("tour", "", "")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, tr.T("dossier.usage")) }
	flag.Parse()
	if *showVersion {
		fmt.Println(tr.T("cli.version", "dossier", version.Version))
		return
	}

	// Without a display Fyne would end in a panic: say so, and how to
	// run the app, before it tries.
	dial := func(network, addr string) error {
		c, err := net.DialTimeout(network, addr, 2*time.Second)
		if err == nil {
			c.Close()
		}
		return err
	}
	switch startup.Display(runtime.GOOS, os.Getenv, dial, waylandBuild) {
	case startup.NoDisplay:
		fmt.Fprintln(os.Stderr, tr.T("dossier.nodisplay"))
		os.Exit(startup.ExitNoDisplay)
	case startup.DisplayUnreachable:
		fmt.Fprintln(os.Stderr, tr.T("dossier.display.unreachable", os.Getenv("DISPLAY")))
		os.Exit(startup.ExitNoDisplay)
	}

	a := app.NewWithID(startup.AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(ui.Theme()) // text at WCAG AA contrast in both variants
	if *tour != "" {
		runTour(a, *tour)
		return
	}
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
	env.Start()
	env.StartIdleWatch()
	// A profile password, or a person's own password, in the environment
	// open the app straight on the workspace: for kiosks, scripts and
	// --timing.
	var ready func()
	if *timing {
		ready = func() {
			opened := time.Since(started)
			env.QueueShown = func(rows int) {
				env.QueueShown = nil
				// One more turn of the event loop: the frame with the
				// rows has been drawn.
				fyne.Do(func() {
					fmt.Println(env.T("dossier.timing", int(opened.Milliseconds()), rows,
						int(time.Since(started).Milliseconds())))
					a.Quit()
				})
			}
		}
	}
	// The security question: DOSSIER_USER_ANSWER answers it, or, without
	// it, a demo person's known answer.
	answer := func(q string) string {
		if a, ok := os.LookupEnv("DOSSIER_USER_ANSWER"); ok {
			return a
		}
		return demo.Answer(q)
	}
	if err := env.StartFromEnv(store.ProfilePath(dir), os.Getenv, answer, ready); err != nil {
		fmt.Fprintln(os.Stderr, env.T("dossier.error", env.Tr().Error(err)))
	}
	w.SetCloseIntercept(func() { env.Closing(); w.Close() }) // what was typed is kept first
	w.SetOnClosed(func() {
		ui.KeepWindowSize(prefs, w.Canvas().Size())
		env.Close() // the sync stops before the profile closes
	})
	w.ShowAndRun()
}

// runTour walks the screenshot tour in a 1024×768 window, with its own
// throw-away profiles under dir, and quits at its end.
func runTour(a fyne.App, dir string) {
	w := a.NewWindow("Dossier")
	w.Resize(fyne.NewSize(1024, 768))
	w.SetFixedSize(true)
	env := ui.NewEnv(a, w, dir)
	var err error
	go func() {
		var shots []string
		shots, err = ui.RunTour(env, dir, ui.StdioStop(os.Stdin, os.Stdout))
		fmt.Fprintf(os.Stderr, "tour: %d stops\n", len(shots))
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

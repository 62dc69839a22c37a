// Command dossier is the desktop app. It makes the Fyne app and window (the
// only part of Dossier that needs cgo) and hands them to package ui.
package main

import (
	"flag"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"dossier/assets"
	"dossier/ui"
)

func main() {
	data := flag.String("data", "", "folder of the profile (default: the app's storage folder)")
	flag.Parse()

	a := app.NewWithID("ca.dossier.desktop")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	dir := *data
	if dir == "" {
		dir = filepath.Join(a.Storage().RootURI().Path())
	}
	w := a.NewWindow("Dossier")
	prefs := a.Preferences()
	w.Resize(fyne.NewSize(float32(prefs.FloatWithFallback("window.width", 1240)),
		float32(prefs.FloatWithFallback("window.height", 780))))
	env := ui.NewEnv(a, w, dir)
	env.Show(ui.ScreenFirstRun)
	env.StartIdleWatch()
	w.SetOnClosed(func() {
		size := w.Canvas().Size()
		prefs.SetFloat("window.width", float64(size.Width))
		prefs.SetFloat("window.height", float64(size.Height))
		if env.Store != nil {
			env.Store.Close()
		}
	})
	w.ShowAndRun()
	os.Exit(0)
}

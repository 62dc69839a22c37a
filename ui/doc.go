// Package ui holds Dossier's screens and widgets. It never imports
// fyne.io/fyne/v2/app, so its tests run headless without cgo; cmd/dossier
// makes the real app and window and hands them to NewEnv.
package ui

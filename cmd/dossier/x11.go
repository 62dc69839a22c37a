//go:build !wayland

package main

// waylandBuild: built without Fyne's wayland tag (the default, and
// make build), the app needs an X server: DISPLAY.
const waylandBuild = false

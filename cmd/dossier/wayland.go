//go:build wayland

package main

// waylandBuild: built with Fyne's wayland tag, the app draws on
// WAYLAND_DISPLAY as well as on an X server.
const waylandBuild = true

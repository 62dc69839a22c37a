// Package startup is what the desktop app checks before it opens a
// window, apart from Fyne and without cgo so that it is tested like any
// other package: that there is a display to open it on (Display), which
// language the person reads (SavedLang), and that Fyne's language lookup
// does not complain about a C locale (this package's init).
//
// It imports the standard library alone, and only the part of it Fyne's
// own packages import first: Go initialises the packages ready to be
// initialised in the order of their paths, so this package, "dossier/…",
// is initialised before "fyne.io/fyne/v2/lang", which reads the locale
// as it is initialised.
package startup

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// ExitNoDisplay is the desktop app's exit status when there is no
// display to open its window on (docs/testing.md).
const ExitNoDisplay = 3

// AppID is the desktop app's Fyne ID: its preferences are filed under it.
const AppID = "ca.dossier.desktop"

func init() { FixLocale(os.Getenv, os.Setenv, SavedLang(AppID)) }

// FixLocale keeps Fyne quiet on a C locale. Fyne reads the language from
// LC_ALL, LC_MESSAGES or LANG; "C" and "POSIX" it knows, but "C.UTF-8",
// the usual one in containers and minimal systems, it takes for the
// language "C" and logs "Error parsing user locale C" at every start.
// There, the lookup reads LANGUAGE first: FixLocale sets it to lang (the
// person's saved language, or English when lang is empty), unless
// LANGUAGE is set already. It reports whether it set it.
func FixLocale(getenv func(string) string, setenv func(string, string) error, lang string) bool {
	if getenv("LANGUAGE") != "" {
		return false
	}
	locale := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(v); locale != "" {
			break
		}
	}
	name, _, _ := strings.Cut(locale, ".")
	name, _, _ = strings.Cut(name, "@")
	if name != "C" && name != "POSIX" || locale == "C" || locale == "POSIX" {
		return false // a real locale, or one Fyne reads as English quietly
	}
	if lang == "" {
		lang = "en"
	}
	// LANGUAGE spells a locale as fr_CA; Fyne reads it either way.
	return setenv("LANGUAGE", strings.ReplaceAll(lang, "-", "_")) == nil
}

// SavedLang is the language the person last chose in the app ("en" or
// "fr-CA"), as Fyne keeps it in the app's preferences; "" when none is
// saved or the preferences cannot be read.
func SavedLang(appID string) string {
	dir, err := os.UserConfigDir()
	if runtime.GOOS == "darwin" {
		var home string
		home, err = os.UserHomeDir()
		dir = filepath.Join(home, "Library", "Preferences")
	}
	if err != nil {
		return ""
	}
	return savedLang(filepath.Join(dir, "fyne", appID, "preferences.json"))
}

func savedLang(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var prefs map[string]any
	if json.Unmarshal(b, &prefs) != nil {
		return ""
	}
	l, _ := prefs["lang"].(string) // ui's prefLang
	return l
}

// Problem is why the app cannot open its window.
type Problem int

const (
	// DisplayOK: there is a display (or this system needs none named).
	DisplayOK Problem = iota
	// NoDisplay: DISPLAY is not set (nor WAYLAND_DISPLAY, for a build that
	// speaks Wayland).
	NoDisplay
	// DisplayUnreachable: DISPLAY names an X server that does not answer.
	DisplayUnreachable
)

// Display tells whether the window can be opened, on the systems where
// it is drawn through an X server (Linux and the BSDs; elsewhere it is
// always DisplayOK). The app is built for X11: DISPLAY must name an X
// server that takes a connection (dial is net.Dial, as a test would
// fake it). wayland is true for a build with Fyne's wayland tag, which
// draws on WAYLAND_DISPLAY as well.
func Display(goos string, getenv func(string) string, dial func(network, addr string) error, wayland bool) Problem {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		return DisplayOK
	}
	if wayland && getenv("WAYLAND_DISPLAY") != "" {
		return DisplayOK
	}
	d := getenv("DISPLAY")
	if d == "" {
		return NoDisplay
	}
	tries, ok := xAddrs(d)
	if !ok {
		return DisplayOK // a form this check does not know: let the window try
	}
	for _, a := range tries {
		if dial(a[0], a[1]) == nil {
			return DisplayOK
		}
	}
	return DisplayUnreachable
}

// xAddrs are the network addresses an X client tries for the display
// name d ([host]:number[.screen]), in order; false when d is not of that
// form.
func xAddrs(d string) ([][2]string, bool) {
	i := strings.LastIndex(d, ":")
	if i < 0 {
		return nil, false
	}
	host, num := d[:i], d[i+1:]
	num, _, _ = strings.Cut(num, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return nil, false
	}
	if strings.HasPrefix(host, "/") {
		return [][2]string{{"unix", host + ":" + num}}, true // launchd-style socket path
	}
	host = strings.TrimPrefix(host, "unix/")
	if host == "" || host == "unix" {
		sock := "/tmp/.X11-unix/X" + num
		return [][2]string{{"unix", sock}, {"unix", "@" + sock}}, true
	}
	host = strings.TrimPrefix(strings.TrimPrefix(host, "tcp/"), "inet/")
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	port := strconv.Itoa(6000 + n)
	if strings.Contains(host, ":") {
		return [][2]string{{"tcp", "[" + host + "]:" + port}}, true
	}
	return [][2]string{{"tcp", host + ":" + port}}, true
}

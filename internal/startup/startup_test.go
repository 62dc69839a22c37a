package startup

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFixLocale(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		lang string
		want string // LANGUAGE afterwards; "" when left alone
	}{
		{map[string]string{"LANG": "C.UTF-8"}, "", "en"},
		{map[string]string{"LANG": "C.utf8"}, "fr-CA", "fr_CA"},
		{map[string]string{"LC_ALL": "POSIX.UTF-8", "LANG": "fr_CA.UTF-8"}, "", "en"},
		{map[string]string{"LC_MESSAGES": "C.UTF-8"}, "en", "en"},
		{map[string]string{"LANG": "fr_CA.UTF-8"}, "", ""},
		{map[string]string{"LC_ALL": "fr_CA.UTF-8", "LANG": "C.UTF-8"}, "", ""},
		{map[string]string{"LANG": "C"}, "", ""},     // Fyne reads it as English, quietly
		{map[string]string{"LANG": "POSIX"}, "", ""}, // likewise
		{map[string]string{}, "", ""},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr"}, "", ""}, // the person's own
	} {
		got := ""
		set := FixLocale(env(c.env), func(k, v string) error {
			if k != "LANGUAGE" {
				t.Fatalf("set %s", k)
			}
			got = v
			return nil
		}, c.lang)
		if got != c.want || set != (c.want != "") {
			t.Errorf("%v, saved %q: LANGUAGE=%q (set %v), want %q", c.env, c.lang, got, set, c.want)
		}
	}
}

func TestSavedLang(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "preferences.json")
	if savedLang(p) != "" {
		t.Fatal("a language without preferences")
	}
	if err := os.WriteFile(p, []byte(`{"lang":"fr-CA","window.width":1024}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := savedLang(p); got != "fr-CA" {
		t.Fatalf("saved language %q", got)
	}
	if err := os.WriteFile(p, []byte(`{"lang":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if savedLang(p) != "" {
		t.Fatal("a language from broken preferences")
	}
}

func TestDisplay(t *testing.T) {
	refused := errors.New("connection refused")
	// up are the addresses an X server listens on in each case.
	for _, c := range []struct {
		goos    string
		env     map[string]string
		wayland bool
		up      string
		want    Problem
	}{
		{"linux", map[string]string{}, false, "", NoDisplay},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, false, "", NoDisplay},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true, "", DisplayOK},
		{"linux", map[string]string{"DISPLAY": ":99"}, false, "unix /tmp/.X11-unix/X99", DisplayOK},
		{"linux", map[string]string{"DISPLAY": ":99.0"}, false, "unix @/tmp/.X11-unix/X99", DisplayOK},
		{"linux", map[string]string{"DISPLAY": ":99"}, false, "", DisplayUnreachable},
		{"linux", map[string]string{"DISPLAY": ":99"}, false, "unix /tmp/.X11-unix/X0", DisplayUnreachable},
		{"linux", map[string]string{"DISPLAY": "unix:1"}, false, "unix /tmp/.X11-unix/X1", DisplayOK},
		{"linux", map[string]string{"DISPLAY": "desk.example:10.0"}, false, "tcp desk.example:6010", DisplayOK},
		{"linux", map[string]string{"DISPLAY": "[::1]:2"}, false, "tcp [::1]:6002", DisplayOK},
		{"linux", map[string]string{"DISPLAY": "desk.example:10"}, false, "", DisplayUnreachable},
		{"linux", map[string]string{"DISPLAY": "no display name"}, false, "", DisplayOK}, // let the window try
		{"freebsd", map[string]string{}, false, "", NoDisplay},
		{"windows", map[string]string{}, false, "", DisplayOK},
		{"darwin", map[string]string{}, false, "", DisplayOK},
	} {
		dial := func(network, addr string) error {
			if network+" "+addr == c.up {
				return nil
			}
			return refused
		}
		if got := Display(c.goos, env(c.env), dial, c.wayland); got != c.want {
			t.Errorf("%s %v (up: %q, wayland build %v): %v, want %v", c.goos, c.env, c.up, c.wayland, got, c.want)
		}
	}
}

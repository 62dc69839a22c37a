package version

import (
	"os"
	"regexp"
	"testing"
)

// The default is FyneApp.toml's version, so a plain go build (and
// fyne package, which reads the file) says the same as the Makefile's.
func TestDefaultIsFyneAppVersion(t *testing.T) {
	raw, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version")
	}
	if string(m[1]) != Version {
		t.Fatalf("FyneApp.toml says %s, internal/version %s", m[1], Version)
	}
	for _, v := range []string{Version, MinDesk, MinServer} {
		if !Valid(v) {
			t.Errorf("%q is not MAJOR.MINOR.PATCH", v)
		}
	}
	if Compare(MinDesk, Version) > 0 || Compare(MinServer, Version) > 0 {
		t.Errorf("the minimums %s/%s are above this version %s", MinDesk, MinServer, Version)
	}
}

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"0.1.0", "0.1.0", 0}, {"0.1.0", "0.2.0", -1}, {"0.10.0", "0.9.9", 1},
		{"1.0.0", "0.99.99", 1}, {"v0.1.1", "0.1.0", 1}, {"0.2.0-rc1", "0.2.0", 0},
		{"0.1", "0.1.0", 0}, {"", "0.0.1", -1},
	} {
		if got := Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	for _, bad := range []string{"", "1", "1.2", "1.2.x", "a.b.c"} {
		if Valid(bad) {
			t.Errorf("Valid(%q)", bad)
		}
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestAdminDemo builds the server's demo as docs/user-guide.md says, then refuses
// to build it again over the first.
func TestAdminDemo(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if code := m.Run([]string{"admin", "demo", "--data", dir, "--date", "2026-11-21", "--students", "3", "--lang", "en"}); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errb.String())
	}
	for _, w := range []string{"schools: 3;", "Annual Compliance requests: 9.", "demo-password-1", "coord.on ON",
		"dir.boreal Collège Boréal", "officer2", "zoe.cote"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the demo's account list lacks %q:\n%s", w, out.String())
		}
	}
	out.Reset()
	if code := m.Run([]string{"admin", "demo", "--data", dir, "--lang", "fr"}); code != 1 || !strings.HasPrefix(errb.String()[strings.LastIndex(strings.TrimSpace(errb.String()), "\n")+1:], "dossierd\u00a0: ") {
		t.Fatalf("a second demo: exit %d: %s", code, errb.String())
	}
}

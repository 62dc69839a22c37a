package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain/account"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync/client"
)

// TestServeAdminAndSync runs the real program: admin steps, then serve on
// loopback with its self-signed certificate; a desk connects (pinning the
// fingerprint printed), a DIR enrols online and syncs; then a graceful
// stop. The log holds no user ID, password or PIN.
func TestServeAdminAndSync(t *testing.T) {
	dir := t.TempDir()
	var out, logs bytes.Buffer
	run := func(args ...string) string {
		t.Helper()
		out.Reset()
		m := &Main{Stdout: &out, Stderr: &logs, Getenv: func(string) string { return "" }}
		if code := m.Run(append(args, "--lang", "en")); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, logs.String())
		}
		return out.String()
	}
	run("admin", "add-school", "--data", dir, "--name", "Collège Boréal", "--code", "A01", "--province", "ON")
	pinLine := run("admin", "issue-pin", "--data", dir, "--school", "A01")
	pin := strings.Fields(strings.SplitN(pinLine, ": ", 2)[1])[0]
	if !strings.Contains(run("admin", "schools", "--data", dir), "Collège Boréal") {
		t.Fatal("school not listed")
	}

	ready, stop := make(chan string, 1), make(chan struct{})
	served := make(chan int, 1)
	var serveOut bytes.Buffer
	m := &Main{Stdout: &serveOut, Stderr: io.MultiWriter(&logs, testlog.Writer()), Getenv: func(string) string { return "" },
		Ready: ready, Stop: stop, secrets: account.TestSecretParams}
	go func() { served <- m.Run([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--lang", "en"}) }()
	addr := <-ready
	fp := strings.TrimSpace(strings.SplitN(strings.Split(serveOut.String(), "\n")[1], ": ", 2)[1])

	st, err := programs.Create(filepath.Join(t.TempDir(), "p.dossier"), "profile-pass", store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	// Another fingerprint: its first two digits changed, whatever they were.
	wrong := "00"
	if fp[:2] == wrong {
		wrong = "ff"
	}
	if _, err := client.Connect(ctx, st, "https://"+addr, wrong+fp[2:]); err == nil {
		t.Fatal("a wrong fingerprint was accepted")
	}
	c, err := client.Connect(ctx, st, "https://"+addr, fp)
	if err != nil {
		t.Fatal(err)
	}
	c.SetAnswerer(hostileAnswers)
	qs := [account.QuestionCount]account.SecurityQuestion{{Question: "a?", Answer: "one one"}, {Question: "b?", Answer: "two two"},
		{Question: "c?", Answer: "three three"}, {Question: "d?", Answer: "four four"}}
	if err := c.Enrol(ctx, account.Enrolment{UserID: "dir.secret", Password: "Pass-word-123", GivenNames: "Dana",
		FamilyName: "Roy", PIN: pin, AcceptTerms: true, Questions: qs}); err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	schools, _ := st.Institutions()
	if len(schools) != 1 || schools[0].Name != "Collège Boréal" {
		t.Fatalf("desk schools: %+v", schools)
	}
	resp, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: insecure()}}).Get("https://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	close(stop)
	select {
	case code := <-served:
		if code != 0 {
			t.Fatalf("serve exit %d: %s", code, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful stop")
	}
	for _, secret := range []string{"dir.secret", "Pass-word-123", pin, "Dana", "Roy"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("the log holds %q", secret)
		}
	}
	if !strings.Contains(logs.String(), `"route":"/v1/push"`) && !strings.Contains(logs.String(), `"route":"/v1/changes"`) {
		t.Fatalf("no request lines in the log: %s", logs.String())
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync/client"
)

// TestOnlineBackupWhileDesksPush: while dossierd serve holds its bbolt
// store and the DIR's desk pushes an e-mail change every 20 ms, admin
// backup --server takes a copy through the API as a program officer. The
// copy, restored into a fresh folder (new epoch), has an intact audit
// chain and holds an acknowledged prefix of the pushes: every push
// answered before the backup began, none made after it ended; served
// again, a new desk of the DIR syncs and sees the address the copy holds.
func TestOnlineBackupWhileDesksPush(t *testing.T) {
	hs := startHostileWith(t, defaultConnBounds, true)
	dir := hs.dirSignedIn()
	pt := hs.timePushes(dir)
	waitFor(t, "the DIR's first pushes", func() bool { return pt.acked() >= 5 })

	before := pt.acked()
	to := filepath.Join(t.TempDir(), "online.bak")
	code, out, errs := adminRun(t, nil, append([]string{"admin", "backup", "--to", to},
		remoteArgs(t, hs, hostileProgram, hostileProgramPassword)...)...)
	if code != 0 || !strings.Contains(out+errs, "Backup written to "+to) {
		t.Fatalf("admin backup --server: exit %d: %s %s", code, out, errs)
	}
	after := pt.acked()
	waitFor(t, "more pushes", func() bool { return pt.acked() >= 20 })
	pt.end(t, "during the online backup")
	if after <= before {
		t.Logf("no push answered during the backup (%d before, %d after)", before, after)
	}
	if strings.Contains(hs.logs.String(), "Program-pass") {
		t.Fatal("a password in the server's log")
	}

	// Restore into a fresh folder: the key file is not in the backup.
	fresh := t.TempDir()
	key, err := os.ReadFile(filepath.Join(hs.dir, "dossierd.key"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(mustRead(t, to), key) {
		t.Fatal("the backup holds the key file's content")
	}
	if err := os.WriteFile(filepath.Join(fresh, "dossierd.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := adminRun(t, nil, "admin", "restore", "--data", fresh, "--from", to); code != 0 {
		t.Fatalf("restore: exit %d: %s %s", code, out, errs)
	}
	if code, out, errs := adminRun(t, nil, "admin", "audit-verify", "--data", fresh); code != 0 ||
		!strings.Contains(out+errs, "intact") {
		t.Fatalf("audit-verify of the restored backup: exit %d: %s %s", code, out, errs)
	}
	sv, err := programs.OpenServer(fresh, store.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, entries, err := sv.AuditOfUser(hostileUser)
	if err != nil {
		t.Fatal(err)
	}
	emails, taken := 0, 0
	for _, e := range entries {
		switch e.Action {
		case "sync.account.email": // a push the server applied
			if e.Actor == dir.by.Account && e.Detail == "applied" {
				emails++
			}
		}
	}
	_, all, err := sv.AuditOfUser(hostileProgram)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.Action == "backup.taken" {
			taken++
		}
	}
	sv.Close()
	if emails < before || emails > after {
		for _, e := range entries {
			t.Logf("%s %s %s %s", e.Action, e.Actor, e.Entity, e.Detail)
		}
		t.Fatalf("the backup holds %d of the DIR's e-mail changes; %d were answered before it began, %d by its end",
			emails, before, after)
	}
	if taken != 1 {
		t.Fatalf("the backup's own audit entry: %d", taken)
	}
	t.Logf("backup: %d pushes answered before, %d in the copy, %d by its end", before, emails, after)

	// Served again, a new desk of the DIR sees the last address the copy holds.
	addr, fp := serveDir(t, fresh)
	st, err := programs.Create(filepath.Join(t.TempDir(), "again.dossier"), "profile-pass",
		store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := client.Connect(context.Background(), st, "https://"+addr, fp)
	if err != nil {
		t.Fatal(err)
	}
	c.SetAnswerer(hostileAnswers)
	if err := c.SignIn(context.Background(), domain.ID{}, hostileUser, hostilePassword); err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	a, err := st.Account(c.Account())
	if err != nil {
		t.Fatal(err)
	}
	if want := "dana." + strconv.Itoa(emails-1) + "@example.ca"; a.Email != want {
		t.Fatalf("after the restore the DIR's address is %q, want %q", a.Email, want)
	}
}

// TestOnlineBackupRefusals: a backup through the API is for program
// officers (the DIR is refused, and the refusal is in the DIR's audit
// history); two at once,
// the second is refused with store.backup.busy while the first streams.
func TestOnlineBackupRefusals(t *testing.T) {
	var served *Main
	hs := startHostileWith(t, defaultConnBounds, true, func(m *Main) { served = m })
	dirTok := hs.signInAgain(hostileUser)
	if a := hs.call("GET", "/v1/admin/backup", dirTok, nil); a.status != http.StatusForbidden ||
		a.code != account.ErrForbidden {
		t.Fatalf("a DIR's backup: HTTP %d %s", a.status, a.code)
	}
	if a := hs.call("GET", "/v1/admin/backup", "", nil); a.status != http.StatusUnauthorized {
		t.Fatalf("a backup without a token: HTTP %d %s", a.status, a.code)
	}
	// The refusal is in the DIR's audit history, as an officer reads it.
	dirID := hs.dirSignedIn().by.Account
	officer, _ := hs.officerDesk()
	history, _, err := officer.c.AuditOf(context.Background(), dirID)
	if err != nil {
		t.Fatal(err)
	}
	refusals := 0
	for _, e := range history {
		if e.Action == "refused.backup" && e.Actor == dirID && e.Detail == string(account.ErrForbidden) {
			refusals++
		}
	}
	if refusals != 1 {
		t.Fatalf("the DIR's refused backup in the audit trail: %d (%+v)", refusals, history)
	}
	// Through dossierd admin, the DIR is told it takes an officer.
	code, out, errs := adminRun(t, nil, append([]string{"admin", "backup", "--to", filepath.Join(t.TempDir(), "x")},
		remoteArgs(t, hs, hostileUser, hostilePassword)...)...)
	if code == 0 || !strings.Contains(out+errs, hostileUser) {
		t.Fatalf("a DIR's admin backup: exit %d: %s %s", code, out, errs)
	}

	// Two at once: the first is held mid-stream (its writer blocks until
	// the second has been refused), the second is refused.
	tok, a := hs.signIn(hostileProgram, hostileProgramPassword)
	if a.status != 200 {
		t.Fatalf("officer sign-in: HTTP %d %s", a.status, a.code)
	}
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := served.store.BackupTo(account.Actor{Role: account.System}, func(int64) io.Writer {
			return holdingWriter{started: started, release: release}
		})
		first <- err
	}()
	<-started
	second := hs.call("GET", "/v1/admin/backup", tok.Access, nil)
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("the first backup: %v", err)
	}
	if second.status != http.StatusConflict || second.code != store.ErrBackupBusy {
		t.Fatalf("a second backup at once: HTTP %d %s", second.status, second.code)
	}
	// Once the first has ended, the next is taken.
	waitFor(t, "the next backup", func() bool {
		return hs.call("GET", "/v1/admin/backup", tok.Access, nil).status == 200
	})
	if strings.Contains(hs.logs.String(), tok.Access) {
		t.Fatal("a token in the server's log")
	}
}

// holdingWriter is a backup's reader that stops reading: its first write
// says it started and waits for release.
type holdingWriter struct{ started, release chan struct{} }

func (w holdingWriter) Write(p []byte) (int, error) {
	select {
	case <-w.started:
	default:
		close(w.started)
	}
	<-w.release
	return len(p), nil
}

// serveDir serves dir (dossierd serve) until the test ends, and gives its
// address and its certificate's fingerprint.
func serveDir(t *testing.T, dir string) (addr, fp string) {
	t.Helper()
	ready, stop, served := make(chan string, 1), make(chan struct{}), make(chan int, 1)
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: func(string) string { return "" }, Ready: ready, Stop: stop,
		bounds: defaultConnBounds, secrets: account.TestSecretParams}
	go func() { served <- m.Run([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--lang", "en"}) }()
	addr = <-ready
	t.Cleanup(func() {
		close(stop)
		select {
		case <-served:
		case <-time.After(20 * time.Second):
			t.Error("no graceful stop")
		}
	})
	fp = strings.TrimSpace(strings.SplitN(strings.Split(out.String(), "\n")[1], ": ", 2)[1])
	return addr, fp
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// acked is how many of the DIR's pushes have been answered.
func (pt *pushTimer) acked() int {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	return len(pt.lat)
}

//go:build crash

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync/client"
)

// The server's crash loop (make crash; .ci/run): dossierd on its bbolt
// file, in a child process, takes a desk's pushes while the parent kills
// it (SIGKILL) at random moments, 500 times by default. After each kill
// the parent opens the server's file and checks that it is whole and
// holds every command the desk saw acknowledged; then it starts dossierd
// again on the same folder and the desk carries on.

// TestMain runs the test binary as the dossierd child when asked.
func TestMain(m *testing.M) {
	if dir := os.Getenv("DOSSIERD_CRASH_CHILD"); dir != "" {
		main := &Main{Stdout: os.Stdout, Stderr: testlog.Writer(), Stdin: os.Stdin, Getenv: os.Getenv,
			secrets: account.TestSecretParams}
		os.Exit(main.Run([]string{"serve", "--data", dir, "--addr", os.Getenv("DOSSIERD_CRASH_ADDR")}))
	}
	os.Exit(m.Run())
}

func crashLoops() int {
	if n, err := strconv.Atoi(os.Getenv("DOSSIER_CRASH_LOOPS")); err == nil && n > 0 {
		return n
	}
	return 500
}

// serverChild is one dossierd process.
type serverChild struct {
	cmd *exec.Cmd
	fp  string
}

func startChild(t *testing.T, dir, addr string) serverChild {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run", "^$")
	cmd.Env = append(os.Environ(), "DOSSIERD_CRASH_CHILD="+dir, "DOSSIERD_CRASH_ADDR="+addr)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := serverChild{cmd: cmd}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if f := strings.Fields(lines.Text()); len(f) > 0 && len(f[len(f)-1]) == 64 {
			c.fp = f[len(f)-1]
			go io.Copy(io.Discard, out)
			break
		}
	}
	// Up once /healthz answers.
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if resp, err := hc.Get("https://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return c
		}
		if time.Now().After(deadline) {
			t.Fatal("dossierd did not come up")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServerSurvivesKills(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	admin := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	if code := admin.Run([]string{"admin", "add-school", "--data", dir, "--name", "Collège Boréal", "--code", "A01", "--province", "ON"}); code != 0 {
		t.Fatal("add-school")
	}
	child := startChild(t, dir, addr)
	st, err := programs.Create(filepath.Join(t.TempDir(), "desk.dossier"), "desk password 1", store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	c, err := client.Connect(ctx, st, "https://"+addr, child.fp)
	if err != nil {
		t.Fatal(err)
	}
	c.SetAnswerer(hostileAnswers)
	me, err := st.RegisterStudent(account.Registration{UserID: "eleve", Password: "desk password 1", GivenNames: "Élodie",
		FamilyName: "Côté", AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{
			{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"}, {Question: "d", Answer: "ddd"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SignIn(ctx, me.ID, "eleve", "desk password 1"); err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	schools, err := st.Institutions()
	if err != nil || len(schools) != 1 {
		t.Fatalf("schools %v %v", schools, err)
	}
	var raised []domain.ID
	loops, start, checked := crashLoops(), time.Now(), 0
	for i := range loops {
		if i > 0 {
			child = startChild(t, dir, addr)
		}
		stop := make(chan struct{})
		var wg gosync.WaitGroup
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				for range 1 + n%4 {
					r, err := st.RaiseRequest(me.Actor(), ens.Raise{Type: ens.EV, School: schools[0].ID, Student: ens.Student{
						GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
						ClientID: domain.ClientID(fmt.Sprintf("%08d", 10000000+len(raised))), Email: "e@example.ca"}})
					if err != nil {
						t.Error(err)
						return
					}
					raised = append(raised, r.ID)
				}
				if _, err := c.Push(ctx); err != nil {
					// dossierd is down: the commands wait in the outbox,
					// and the desk tries again shortly, as the app does.
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
		time.Sleep(time.Duration(10+mrand.IntN(150)) * time.Millisecond)
		child.cmd.Process.Signal(syscall.SIGKILL)
		child.cmd.Wait()
		close(stop)
		wg.Wait()
		// Every 25th check reads everything acknowledged so far, the
		// others what is new since.
		from := checked
		if i%25 == 24 {
			from = 0
		}
		checked = checkServer(t, dir, st, raised, from, i)
	}
	child = startChild(t, dir, addr)
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	child.cmd.Process.Signal(syscall.SIGTERM)
	child.cmd.Wait()
	if got := checkServer(t, dir, st, raised, 0, loops); got != len(raised) {
		t.Fatalf("after the last sync the server holds %d of the desk's %d requests", got, len(raised))
	}
	t.Logf("%d kills of dossierd in %s; %d commands pushed, acknowledged and found on the server", loops,
		time.Since(start).Round(time.Millisecond), len(raised))
}

// checkServer opens the server's file after a kill: it must open, its
// pages be whole, and every request from raised[from:] the desk no longer
// has to send be on it. It returns up to where every request was.
func checkServer(t *testing.T, dir string, st programs.Desk, raised []domain.ID, from, loop int) int {
	t.Helper()
	pending := map[domain.ID]bool{}
	out, err := st.Outbox(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range out {
		pending[e.Command.Entity] = true
	}
	sv, err := programs.OpenServer(dir, store.ServerOptions{})
	if err != nil {
		t.Fatalf("loop %d: the server's file does not open after a kill: %v", loop, err)
	}
	defer sv.Close()
	if err := sv.Store().CheckFile(); err != nil {
		t.Fatalf("loop %d: the server's file is damaged: %v", loop, err)
	}
	if _, err := sv.Store().VerifyAudit(); err != nil {
		t.Fatalf("loop %d: the server's audit trail is broken after a kill: %v", loop, err)
	}
	upTo := from
	for i, id := range raised[from:] {
		if pending[id] {
			continue
		}
		if _, err := sv.Request(account.SystemActor, id); err != nil {
			t.Fatalf("loop %d: request %s was acknowledged, and the server does not have it: %v", loop, id, err)
		}
		if upTo == from+i {
			upTo++
		}
	}
	return upTo
}

//go:build crash

package programs_test

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/demo"
	"dossier/store/programs"
	"dossier/store/requests"
)

// The crash loop (make crash; .ci/run): a child process runs a desk's
// profile through random user actions as fast as it can, writing down each
// action whose commit returned; the parent kills it (SIGKILL) at a random
// moment, opens the profile, and checks that every action written down is
// there with its outbox command and its audit entry, that the file's pages
// are whole and the queue's indexes agree with its records — nothing
// half-written — then starts the child again on the same profile.

const crashPassword = "crash password 1"

func init() { childMain = crashChild }

// ack is one action whose commit returned, as the child writes it down.
type ack struct {
	Kind    string    `json:"kind"` // raise, save, verify, reject, pin, draft
	Entity  domain.ID `json:"entity"`
	Version uint64    `json:"version,omitempty"`
}

func crashOptions() store.Options {
	return store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader}
}

// crashChild is the child: it acts until it is killed.
func crashChild() {
	dir := os.Getenv("DOSSIER_CRASH_CHILD")
	s, err := programs.Open(store.ProfilePath(dir), crashPassword, crashOptions())
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(3)
	}
	acks, err := os.OpenFile(filepath.Join(dir, "acks"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		os.Exit(3)
	}
	note := func(a ack) {
		b, _ := json.Marshal(a)
		acks.Write(append(b, '\n')) // in the kernel once Write returns: a SIGKILL cannot lose it
	}
	_, dirAcct, err := s.SignIn("dir.beaulieu", demo.Password)
	if err != nil {
		os.Exit(3)
	}
	_, stu, err := s.SignIn("student1", demo.Password)
	if err != nil {
		os.Exit(3)
	}
	dirBy, stuBy := dirAcct.Actor(), stu.Actor()
	rng := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for n := 0; ; n++ {
		switch rng.IntN(6) {
		case 0, 1:
			r, err := s.RaiseRequest(stuBy, ens.Raise{Type: ens.EV, School: dirBy.Org, Student: ens.Student{
				GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
				ClientID: domain.ClientID(fmt.Sprintf("%08d", 20000000+rng.IntN(70000000))), Email: "e@example.ca"}})
			if err == nil {
				note(ack{Kind: "raise", Entity: r.ID, Version: r.Version})
			}
		case 2, 3, 4:
			page, err := s.Queue(dirBy, requests.QueueFilter{School: dirBy.Org, Statuses: []ens.Status{ens.New, ens.InProgress},
				Limit: 20, Offset: rng.IntN(20)})
			if err != nil || len(page.Rows) == 0 {
				continue
			}
			r := page.Rows[rng.IntN(len(page.Rows))]
			a := ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "seen " + strconv.Itoa(n)}}
			kind := "save"
			switch rng.IntN(3) {
			case 1:
				var d ens.Draft
				for i := range d.Checks {
					d.Checks[i] = ens.Met
				}
				a, kind = ens.Action{Function: ens.Verify, Draft: &d}, "verify"
			case 2:
				a, kind = ens.Action{Function: ens.Reject, Reason: "Not identified"}, "reject"
			}
			if got, err := s.Act(dirBy, r.ID, a, r.Version); err == nil {
				note(ack{Kind: kind, Entity: got.ID, Version: got.Version})
			}
		case 5:
			if _, pin, err := s.IssuePIN(dirBy, account.PINRequest{Role: account.Signatory, Org: dirBy.Org,
				GivenNames: "Luc", FamilyName: "Bérubé"}); err == nil {
				note(ack{Kind: "pin", Entity: pin.ID})
			}
		}
	}
}

// crashLoops is how many times the child is killed (DOSSIER_CRASH_LOOPS,
// 500 by default).
func crashLoops() int {
	if n, err := strconv.Atoi(os.Getenv("DOSSIER_CRASH_LOOPS")); err == nil && n > 0 {
		return n
	}
	return 500
}

// newCrashProfile makes a small demo profile for the child.
func newCrashProfile(t *testing.T) string {
	dir := t.TempDir()
	s, err := programs.Create(store.ProfilePath(dir), crashPassword, crashOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Build(s, demo.Options{Requests: 50, Seed: 1, Today: domain.Date{Year: 2026, Month: 11, Day: 21}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	lastAcks = 0
	return dir
}

func TestDeskSurvivesKills(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	loops, mid, acted := crashLoops(), 0, 0
	start := time.Now()
	var dir string
	for i := range loops {
		if i%50 == 0 { // a fresh profile now and then keeps each check's reading short
			if dir != "" {
				acted += len(readAcks(t, dir))
			}
			dir = newCrashProfile(t)
		}
		child := exec.Command(exe, "-test.run", "^$")
		child.Env = append(os.Environ(), "DOSSIER_CRASH_CHILD="+dir)
		child.Stderr = os.Stderr
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		// Killed anywhere from while it opens the profile to well into
		// its actions.
		time.Sleep(time.Duration(5+mrand.IntN(60)) * time.Millisecond)
		child.Process.Signal(syscall.SIGKILL)
		err := child.Wait()
		if ws, ok := child.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("loop %d: the child ended by itself: %v", i, err)
		}
		n := checkDesk(t, dir, i)
		if n > 0 {
			mid++
		}
	}
	acted += len(readAcks(t, dir))
	t.Logf("%d kills in %s; %d actions written down and found whole; killed after acting in %d loops",
		loops, time.Since(start).Round(time.Millisecond), acted, mid)
}

func readAcks(t *testing.T, dir string) []ack {
	f, err := os.Open(filepath.Join(dir, "acks"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []ack
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		var a ack
		if json.Unmarshal(lines.Bytes(), &a) == nil { // a line cut by the kill is not an action written down
			out = append(out, a)
		}
	}
	return out
}

var lastAcks int

// checkDesk opens the profile after a kill and checks everything the
// child wrote down, and the file's consistency; it returns how many new
// actions this loop wrote down.
func checkDesk(t *testing.T, dir string, loop int) int {
	t.Helper()
	s, err := programs.Open(store.ProfilePath(dir), crashPassword, crashOptions())
	if err != nil {
		t.Fatalf("loop %d: the profile does not open after a kill: %v", loop, err)
	}
	defer s.Close()
	if err := s.CheckFile(); err != nil {
		t.Fatalf("loop %d: the file is damaged: %v", loop, err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatalf("loop %d: the audit trail is broken after a kill: %v", loop, err)
	}
	acks := readAcks(t, dir)
	outbox, err := s.Outbox(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	commands := map[domain.ID][]uint64{} // entity → base versions of its commands
	type change struct {
		entity domain.ID
		base   uint64
	}
	place := map[change]int{} // where a command is in the outbox, which is commit order
	for i, e := range outbox {
		commands[e.Command.Entity] = append(commands[e.Command.Entity], e.Command.BaseVersion)
		place[change{e.Command.Entity, e.Command.BaseVersion}] = i
	}
	// Every action written down is in the outbox in the order it was
	// acknowledged (a raise's request is new: its base version is 0).
	last := -1
	for i, a := range acks {
		if a.Kind == "pin" {
			continue
		}
		at, ok := place[change{a.Entity, a.Version - 1}]
		if !ok {
			continue // reported below, with its kind
		}
		if at <= last {
			t.Fatalf("loop %d: action %d (%s %s) is in the outbox before the action acknowledged ahead of it", loop, i, a.Kind, a.Entity)
		}
		last = at
	}
	audited := map[domain.ID]int{}
	if err := s.Audit(func(e store.AuditEntry) bool { audited[e.Entity]++; return true }); err != nil {
		t.Fatal(err)
	}
	_, dirAcct, err := s.SignIn("dir.beaulieu", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	by := dirAcct.Actor()
	for i, a := range acks[min(lastAcks, len(acks)):] {
		if audited[a.Entity] == 0 {
			t.Fatalf("loop %d: action %d (%s %s) has no audit entry", loop, i, a.Kind, a.Entity)
		}
		if a.Kind == "pin" {
			continue // a PIN's command names the PIN's holder-to-be, checked by its audit entry
		}
		r, err := s.Request(by, a.Entity)
		if err != nil || r.Version < a.Version {
			t.Fatalf("loop %d: %s of %s was acknowledged at version %d; the profile has %d (%v)", loop, a.Kind, a.Entity, a.Version, r.Version, err)
		}
		found := false
		for _, base := range commands[a.Entity] {
			found = found || base == a.Version-1
		}
		if !found {
			t.Fatalf("loop %d: %s of %s (version %d) has no outbox command", loop, a.Kind, a.Entity, a.Version)
		}
	}
	// The queue's indexes agree with the records: every request the
	// status index lists opens, and the counts equal the rows.
	total, err := s.QueueCount(by, requests.QueueFilter{School: by.Org})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.QueueIDs(by, requests.QueueFilter{School: by.Org})
	if err != nil || len(ids) != total {
		t.Fatalf("loop %d: the count says %d, the index lists %d (%v)", loop, total, len(ids), err)
	}
	for _, id := range ids {
		if _, err := s.Request(by, id); err != nil {
			t.Fatalf("loop %d: the index lists %s, which does not open: %v", loop, id, err)
		}
	}
	n := len(acks) - lastAcks
	lastAcks = len(acks)
	return n
}

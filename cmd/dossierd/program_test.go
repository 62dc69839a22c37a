package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/postgres/pgtest"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/client"
)

// adminRun runs dossierd with args as an administrator at a terminal
// would, with the test's hashing costs; the officer's password is in a
// file.
func adminRun(t *testing.T, env map[string]string, args ...string) (code int, out, errs string) {
	t.Helper()
	return adminRunIn(t, nil, env, args...)
}

// adminRunIn is adminRun with stdin on standard input.
func adminRunIn(t *testing.T, stdin *os.File, env map[string]string, args ...string) (code int, out, errs string) {
	t.Helper()
	var o, e bytes.Buffer
	m := &Main{Stdout: &o, Stderr: &e, Stdin: stdin, Getenv: func(k string) string { return env[k] },
		secrets: account.TestSecretParams, deskKDF: store.TestKDF}
	code = m.Run(append(args, "--lang", "en"))
	return code, o.String(), e.String()
}

// remoteArgs are the flags that run an admin step through hs as user.
func remoteArgs(t *testing.T, hs *hostileServer, user, password string) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(file, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	answers := filepath.Join(t.TempDir(), "answers")
	var lines []string
	for _, q := range hostileQuestions {
		lines = append(lines, q.Question+" = "+q.Answer)
	}
	if err := os.WriteFile(answers, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--server", "https://" + hs.addr, "--fingerprint", hs.fp, "--user", user, "--password-file", file,
		"--answer-file", answers}
}

// TestAdminThroughTheRunningServer: while dossierd serve holds its bbolt
// store, admin add-school and issue-pin run through its API as a program
// officer's desk: the school is added (a code taken is refused, by the
// server, with its message), the PIN is shown once and a new DIR enrols
// with it, and the DIR's letter waits in the server's mail outbox without
// the PIN. Without --server the step says how to run it; restore says why
// the server must stop first; a DIR's account cannot act as the program.
// admin settings changes the server's settings the same way.
func TestAdminThroughTheRunningServer(t *testing.T) {
	hs := startHostileWith(t, connBounds{}, true)
	officer := remoteArgs(t, hs, hostileProgram, hostileProgramPassword)

	code, out, errs := adminRun(t, nil, append([]string{"admin", "add-school", "--name", "Collège du Nord", "--code", "C03",
		"--province", "ON", "--zone", "America/Toronto"}, officer...)...)
	if code != 0 || !strings.Contains(out, "C03") {
		t.Fatalf("add-school through the server: %d %q %q", code, out, errs)
	}
	code, out, errs = adminRun(t, nil, append([]string{"admin", "add-school", "--name", "Copie", "--code", "A01",
		"--province", "ON"}, officer...)...)
	if code == 0 || !strings.Contains(errs, "A01 is already used") {
		t.Fatalf("a code taken, through the server: %d %q %q", code, out, errs)
	}
	code, out, errs = adminRun(t, nil, append([]string{"admin", "issue-pin", "--school", "C03", "--given-names", "Lucie",
		"--family-name", "Gagnon", "--email", "lucie.gagnon@example.ca", "--mail-lang", "fr"}, officer...)...)
	if code != 0 || !strings.Contains(out, "DIR PIN for school C03: ") {
		t.Fatalf("issue-pin through the server: %d %q %q", code, out, errs)
	}
	pin := strings.Fields(strings.SplitN(out, ": ", 2)[1])[0]

	// The new DIR enrols with it on a desk of their own; the desks read
	// the new school.
	d := hs.desk("lucie")
	if err := d.c.Enrol(context.Background(), account.Enrolment{UserID: "dir.nord", Password: hostilePassword,
		GivenNames: "Lucie", FamilyName: "Gagnon", PIN: pin, AcceptTerms: true, Questions: hostileQuestions}); err != nil {
		t.Fatalf("enrolling with the PIN issued through the server: %v", err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	schools := map[string]store.Institution{}
	all, _ := d.st.Institutions()
	for _, in := range all {
		schools[in.Code.String()] = in
	}
	if in, ok := schools["C03"]; !ok || in.TimeZone != "America/Toronto" {
		t.Fatalf("the DIR's desk reads the schools %+v", schools)
	}
	_, dir, err := d.st.SignIn("dir.nord", hostilePassword)
	if err != nil || dir.Role != account.DIR || dir.Org != schools["C03"].ID {
		t.Fatalf("the new DIR: %+v %v", dir, err)
	}

	// The accounts the program makes: a coordinator, another officer;
	// each signs in through the server.
	for _, step := range [][]string{
		{"admin", "create-coordinator", "--province", "on", "--user-id", "coord.on", "--given-names", "Émilie", "--family-name", "Lapointe"},
		{"admin", "add-program-officer", "--user-id", "officer.two", "--given-names", "Sam", "--family-name", "Tremblay"},
	} {
		path := filepath.Join(t.TempDir(), "answers")
		if err := os.WriteFile(path, []byte("a?\none one\nb?\ntwo two\nc?\nthree three\nd?\nfour four\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		answers, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		code, out, errs := adminRunIn(t, answers, map[string]string{"DOSSIERD_ADMIN_PASSWORD": "New-account-pass-7"}, append(step, officer...)...)
		answers.Close()
		if code != 0 {
			t.Fatalf("%s through the server: %d %q %q", step[1], code, out, errs)
		}
	}
	for user, want := range map[string]account.Role{"coord.on": account.Coordinator, "officer.two": account.ProgramOfficer} {
		d := hs.desk(user)
		if err := d.c.SignIn(context.Background(), domain.ID{}, user, "New-account-pass-7"); err != nil {
			t.Fatalf("%s signs in: %v", user, err)
		}
		_, a, err := d.st.SignIn(user, "New-account-pass-7")
		if err != nil || a.Role != want || want == account.Coordinator && a.Org != store.ProvinceID("ON") {
			t.Fatalf("%s: %+v %v", user, a, err)
		}
	}

	// A DIR is not the program.
	code, _, errs = adminRun(t, nil, append([]string{"admin", "add-school", "--name", "École", "--code", "D04",
		"--province", "QC"}, remoteArgs(t, hs, hostileUser, hostilePassword)...)...)
	if code == 0 || !strings.Contains(errs, "not a program officer") {
		t.Fatalf("a DIR ran add-school: %d %q", code, errs)
	}
	// Without --server, bbolt's lock: the step says how to run it.
	code, _, errs = adminRun(t, nil, "admin", "add-school", "--data", hs.dir, "--name", "École", "--code", "D04", "--province", "QC")
	if code == 0 || !strings.Contains(errs, "--server https://HOST:PORT") {
		t.Fatalf("add-school on the held store: %d %q", code, errs)
	}
	code, _, errs = adminRun(t, nil, "admin", "restore", "--data", hs.dir, "--from", filepath.Join(t.TempDir(), "none"))
	if code == 0 || !strings.Contains(errs, "stop dossierd serve first") {
		t.Fatalf("restore on the held store: %d %q", code, errs)
	}
	code, out, errs = adminRun(t, nil, append([]string{"admin", "settings", "--expiry-days", "20"}, officer...)...)
	if code != 0 || !strings.Contains(out, "20") {
		t.Fatalf("settings through the server: %d %q %q", code, out, errs)
	}
	// The running server makes the compliance lists itself: through it or
	// on its held store, the step says so rather than "stop the server".
	code, _, errs = adminRun(t, nil, append([]string{"admin", "populate-compliance"}, officer...)...)
	if code == 0 || !strings.Contains(errs, "makes the Annual Compliance lists itself") {
		t.Fatalf("populate-compliance through the server: %d %q", code, errs)
	}
	code, _, errs = adminRun(t, nil, "admin", "populate-compliance", "--data", hs.dir)
	if code == 0 || !strings.Contains(errs, "makes the Annual Compliance lists itself") {
		t.Fatalf("populate-compliance on the held store: %d %q", code, errs)
	}
	code, _, errs = adminRun(t, nil, "admin", "demo", "--data", hs.dir)
	if code == 0 || !strings.Contains(errs, "run it on a store no server holds") {
		t.Fatalf("demo on the held store: %d %q", code, errs)
	}

	// The letter: to the address given, in French, without the PIN.
	hs.stop()
	sv, err := programs.OpenServer(hs.dir, store.ServerOptions{Store: store.Options{Secrets: account.TestSecretParams, Rand: rand.Reader}})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	if set, err := sv.Store().Settings(); err != nil || set.ExpiryDays != 20 {
		t.Fatalf("the settings changed through the server: %+v %v", set, err)
	}
	mail, err := sv.Store().DueMail(time.Now().Add(time.Hour), 10)
	if err != nil || len(mail) != 1 {
		t.Fatalf("the server's letters: %+v %v", mail, err)
	}
	if m := mail[0]; m.To != "lucie.gagnon@example.ca" || m.Lang != "fr-CA" || m.Kind != "pin.issued" ||
		strings.Contains(strings.Join(m.Args, " "), pin) || m.Args[0] != "Collège du Nord" {
		t.Fatalf("the letter: %+v", m)
	}
}

// TestProgramCommandsRefusedToSchoolStaff: the DIR's token, sending the
// program's commands as an officer's desk made them: a school, a DIR's
// PIN, its withdrawal and the end of a DIR's access are each refused by
// the server, with their codes; and the officer's withdrawal of a PIN
// already used is refused too.
func TestProgramCommandsRefusedToSchoolStaff(t *testing.T) {
	hs := startHostileWith(t, connBounds{}, true)
	ids := hs.schools()
	off, officer := hs.officerDesk()
	lac, err := ens.ParseSchoolCode("D04")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.CreateInstitution(officer, store.Institution{Name: "École du Lac", Code: lac, Province: "QC"}); err != nil {
		t.Fatal(err)
	}
	school := lastCommand(t, off.st, store.KindCreateInstitution)
	if _, _, err := off.st.IssuePIN(officer, account.PINRequest{Role: account.DIR, Org: ids["A01"]}); err != nil {
		t.Fatal(err)
	}
	issue := lastCommand(t, off.st, sync.KindIssuePIN)
	// The officer's own commands go through.
	if err := off.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rs, _ := off.st.Rejections(officer); len(rs) != 0 {
		t.Fatalf("the officer's commands were refused: %+v", rs[0].Error)
	}
	pins, err := off.st.PINsOf(officer, ids["A01"])
	if err != nil {
		t.Fatal(err)
	}
	var used, unused domain.ID
	for _, p := range pins {
		if p.Used.IsZero() {
			unused = p.ID
		} else {
			used = p.ID
		}
	}
	if used.IsZero() || unused.IsZero() {
		t.Fatalf("A01's PINs: %+v", pins)
	}
	var dirID domain.ID
	for _, p := range pins {
		if !p.Used.IsZero() {
			dirID = p.UsedBy
		}
	}
	tok, a := hs.signIn(hostileUser, hostilePassword)
	if a.status != 200 {
		t.Fatalf("the DIR's sign-in: %d", a.status)
	}
	// The DIR sends them as their own: new commands about new records.
	asDIR := func(cmd sync.Command) sync.Command {
		cmd.ID, cmd.Entity, cmd.Actor = newID(t), newID(t), dirID
		return cmd
	}
	refusedWith(t, "a DIR adds a school", hs.pushAnswer(tok.Access, asDIR(school)), store.ErrNotSender)
	refusedWith(t, "a DIR issues a DIR's PIN", hs.pushAnswer(tok.Access, asDIR(issue)), account.ErrForbidden)
	withdraw := func(id domain.ID) sync.Command {
		return forgedCommand(t, officer, store.KindRevokePIN, id, store.RevokePINPayload{PIN: id, At: time.Now()})
	}
	offTok, a := hs.signIn(hostileProgram, hostileProgramPassword)
	if a.status != 200 {
		t.Fatalf("the officer's sign-in: %d", a.status)
	}
	refusedWith(t, "withdrawing a used PIN", hs.pushAnswer(offTok.Access, withdraw(used)), account.ErrPINUsed)
	byDIR := withdraw(unused)
	byDIR.Actor = dirID
	refusedWith(t, "a DIR withdraws a DIR's PIN", hs.pushAnswer(tok.Access, byDIR), account.ErrForbidden)
	end := forgedCommand(t, officer, sync.KindRevoke, dirID, sync.RevokePayload{Account: dirID, At: time.Now()})
	endByDIR := end
	endByDIR.ID, endByDIR.Actor = newID(t), dirID
	refusedWith(t, "a DIR ends a DIR's access", hs.pushAnswer(tok.Access, endByDIR), account.ErrForbidden)
	if ans := hs.pushAnswer(offTok.Access, withdraw(unused)); ans.Outcome == sync.Rejected {
		t.Fatalf("the officer's withdrawal of an unused PIN: %+v", ans.Error)
	}
	if ans := hs.pushAnswer(offTok.Access, end); ans.Outcome == sync.Rejected {
		t.Fatalf("the officer ends the DIR's access: %+v", ans.Error)
	}
	if _, a := hs.signIn(hostileUser, hostilePassword); a.status == 200 {
		t.Fatal("the DIR whose access ended still signs in")
	}
}

func newID(t *testing.T) domain.ID {
	t.Helper()
	id, err := domain.NewID(time.Now(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// forgedCommand is a command made by hand as by's desk would send it.
func forgedCommand(t *testing.T, by account.Actor, kind sync.Kind, entity domain.ID, payload any) sync.Command {
	t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return sync.Command{ID: newID(t), Kind: kind, Entity: entity, Actor: by.Account, Payload: raw}
}

// TestAdminBesideAServerOnPostgres: on PostgreSQL, admin add-school and
// issue-pin open the database themselves while dossierd serve serves the
// same database, each in its own transactions; a desk reads the school
// and its DIR enrols with the PIN, through the running server.
func TestAdminBesideAServerOnPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dir := t.TempDir()
	if code, out, errs := adminRun(t, nil, "admin", "add-school", "--data", dir, "--db", url, "--name", "Collège Boréal",
		"--code", "A01", "--province", "ON"); code != 0 {
		t.Fatalf("add-school before the server: %d %s %s", code, out, errs)
	}
	ready, stop, served := make(chan string, 1), make(chan struct{}), make(chan int, 1)
	var serveOut bytes.Buffer
	logs := &lockedBuffer{}
	m := &Main{Stdout: &serveOut, Stderr: logs, Getenv: func(string) string { return "" }, Ready: ready, Stop: stop,
		secrets: account.TestSecretParams}
	go func() {
		served <- m.Run([]string{"serve", "--data", dir, "--db", url, "--addr", "127.0.0.1:0", "--lang", "en"})
	}()
	addr := <-ready
	defer func() {
		close(stop)
		<-served
	}()
	fp := strings.TrimSpace(strings.SplitN(strings.Split(serveOut.String(), "\n")[1], ": ", 2)[1])

	// Both at once: the server keeps serving while the steps run.
	type result struct {
		code      int
		out, errs string
	}
	results := make(chan result, 2)
	for _, args := range [][]string{
		{"admin", "add-school", "--data", dir, "--db", url, "--name", "Collège du Nord", "--code", "C03", "--province", "ON"},
		{"admin", "issue-pin", "--data", dir, "--db", url, "--school", "A01", "--given-names", "Lucie", "--family-name", "Gagnon"},
	} {
		go func() {
			code, out, errs := adminRun(t, nil, args...)
			results <- result{code, out, errs}
		}()
	}
	var pin string
	for range 2 {
		r := <-results
		if r.code != 0 {
			t.Fatalf("an admin step beside the server: %d %s %s", r.code, r.out, r.errs)
		}
		if rest, ok := strings.CutPrefix(r.out, "DIR PIN for school A01: "); ok {
			pin = strings.Fields(rest)[0]
		}
	}
	st, err := programs.Create(filepath.Join(t.TempDir(), "lucie.dossier"), "profile-pass", store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := client.Connect(context.Background(), st, "https://"+addr, fp)
	if err != nil {
		t.Fatal(err)
	}
	c.SetAnswerer(hostileAnswers)
	if err := c.Enrol(context.Background(), account.Enrolment{UserID: "dir.boreal", Password: hostilePassword,
		GivenNames: "Lucie", FamilyName: "Gagnon", PIN: pin, AcceptTerms: true, Questions: hostileQuestions}); err != nil {
		t.Fatalf("enrolling, through the server, with the PIN issued beside it: %v", err)
	}
	if err := c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, _ := st.Institutions()
	if len(all) != 2 {
		t.Fatalf("the desk reads the schools %+v", all)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dossier/store/demo"
)

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (make deps installs poppler-utils)")
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestPrintThenVerify: a DIR prints their queue and their compliance list
// from a script; the same command prints the same bytes; the code verifies
// against the profile, from the PDF or its text, and a copy whose count
// or one of whose rows was edited does not: the check names the line.
func TestPrintThenVerify(t *testing.T) {
	dir, env := demoProfile(t)
	env["DOSSIER_USER"], env["DOSSIER_USER_PASSWORD"] = "dir.beaulieu", demo.Password
	out := t.TempDir()
	queue := filepath.Join(out, "queue.pdf")
	// A file of that name was there, readable by all: the printed
	// document that replaces it is its owner's only.
	if err := os.WriteFile(queue, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := dossierctl(t, env, "print", "ocwpp.queue", "--data", dir, "--out", queue, "--status", "new,in-progress",
		"--date", "2026-11-21")
	if r.code != 0 || !strings.Contains(r.stdout, "verification code") {
		t.Fatalf("print: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if fi, err := os.Stat(queue); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Fatalf("printed file's mode: %o, want 600", fi.Mode().Perm())
	}
	code := r.stdout[strings.LastIndex(r.stdout, " ")+1 : len(r.stdout)-2]
	first, _ := os.ReadFile(queue)
	if r = dossierctl(t, env, "print", "ocwpp.queue", "--data", dir, "--out", queue, "--status", "new,in-progress",
		"--date", "2026-11-21"); r.code != 0 {
		t.Fatalf("print again: %s", r.stderr)
	}
	if second, _ := os.ReadFile(queue); !bytes.Equal(first, second) {
		t.Fatal("the same document printed twice differs")
	}
	text := pdfToText(t, queue)
	for _, w := range []string{"Collège Beaulieu: requests", "Status: New, In progress", "Page 1 of", code} {
		if !strings.Contains(text, w) {
			t.Fatalf("the queue lacks %q:\n%s", w, text)
		}
	}

	genuine := filepath.Join(out, "genuine.txt")
	os.WriteFile(genuine, []byte(text), 0o600)
	r = dossierctl(t, env, "verify", code, "--data", dir, "--text", genuine)
	if r.code != 0 || !strings.Contains(r.stdout, "Genuine: Queue of requests, printed on November 21, 2026") ||
		!strings.Contains(r.stdout, "Every line of the text given") {
		t.Fatalf("verify: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r = dossierctl(t, env, "verify", code, "--data", dir, "--text", queue); r.code != 0 || !strings.Contains(r.stdout, "Every line") {
		t.Fatalf("verify the PDF: %d %s %s", r.code, r.stdout, r.stderr)
	}
	count := text[strings.Index(text, "Requests: ")+len("Requests: "):]
	count = count[:strings.IndexByte(count, '\n')]
	edited := filepath.Join(out, "edited.txt")
	os.WriteFile(edited, []byte(strings.ReplaceAll(text, "Requests: "+count, "Requests: 9"+count)), 0o600)
	r = dossierctl(t, env, "verify", strings.ToLower(code), "--data", dir, "--text", edited, "--lang", "fr")
	if r.code != 1 || !strings.Contains(r.stderr, "ne correspond pas") || !strings.Contains(r.stdout, "Non authentique") ||
		!strings.Contains(r.stdout, "n’est pas telle qu’elle a été imprimée\u00a0: Requests: 9"+count) {
		t.Fatalf("verify an edited copy: %d %s %s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Received") { // the first row's day received
			lines[i+1] = strings.Replace(lines[i+1], "20", "19", 1)
			break
		}
	}
	os.WriteFile(edited, []byte(strings.Join(lines, "\n")), 0o600)
	if r = dossierctl(t, env, "verify", code, "--data", dir, "--text", edited); r.code != 1 || strings.Contains(r.stdout, "Genuine") ||
		!strings.Contains(r.stdout, "is not as printed") {
		t.Fatalf("verify a copy with a row edited: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r = dossierctl(t, env, "verify", "ABCD-EFGH-JKMN-PQRS", "--data", dir); r.code == 0 {
		t.Fatalf("a made-up code: %s", r.stdout)
	}

	list := filepath.Join(out, "list.pdf")
	if r = dossierctl(t, env, "print", "ocwpp.compliance-list", "--lang", "fr", "--data", dir, "--out", list, "--year", "2026",
		"--date", "2026-11-21"); r.code != 0 {
		t.Fatalf("compliance list: %s", r.stderr)
	}
	if text := pdfToText(t, list); !strings.Contains(text, "Collège Beaulieu : étudiants à vérifier pour 2026") {
		t.Fatalf("the list:\n%s", text)
	}
	r = dossierctl(t, env, "print", "oinp.certificate", "--data", dir, "--out", filepath.Join(out, "c.pdf"))
	if r.code != 1 {
		t.Fatalf("a DIR printing a certificate: %d %s", r.code, r.stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "c.pdf")); err == nil {
		t.Fatal("a failed print left a file")
	}
	if r = dossierctl(t, env, "print", "oinp.letter", "--data", dir, "--out", filepath.Join(out, "x.pdf")); r.code == 0 {
		t.Fatal("an unknown kind printed")
	}
}

// TestPrintARequestAndTheProgramsLists: a DIR prints one request's record,
// found with `dossierctl queue`; the program prints its processing queue
// as filtered and the employers' enrolments; a DIR may print neither, and
// a bad --request or --gta is refused by name.
func TestPrintARequestAndTheProgramsLists(t *testing.T) {
	dir, env := demoProfile(t)
	env["DOSSIER_USER"], env["DOSSIER_USER_PASSWORD"] = "dir.beaulieu", demo.Password
	r := dossierctl(t, env, "queue", "--data", dir, "--status", "verified", "--limit", "1", "--json")
	var rows []queueRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("queue: %v %s %s", err, r.stdout, r.stderr)
	}
	out := t.TempDir()
	record := filepath.Join(out, "request.pdf")
	if r = dossierctl(t, env, "print", "ocwpp.request", "--data", dir, "--out", record, "--request", rows[0].ID,
		"--lang", "fr"); r.code != 0 {
		t.Fatalf("print a request: %s", r.stderr)
	}
	text := pdfToText(t, record)
	for _, w := range []string{"Fiche de demande", rows[0].GivenNames + " " + rows[0].FamilyName, rows[0].EVN, "Vérifiée"} {
		if !strings.Contains(text, w) {
			t.Errorf("the request's record lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, rows[0].ClientID) {
		t.Error("the request's record prints the client ID")
	}
	for _, bad := range [][]string{{"--request", "not-an-id"}, {}} {
		args := append([]string{"print", "ocwpp.request", "--data", dir, "--out", record}, bad...)
		if r = dossierctl(t, env, args...); r.code != 2 || !strings.Contains(r.stderr, "--request") {
			t.Errorf("%v: %d %q", bad, r.code, r.stderr)
		}
	}
	if r = dossierctl(t, env, "print", "oinp.files", "--data", dir, "--out", filepath.Join(out, "f.pdf")); r.code != 1 {
		t.Errorf("a DIR printed the program's files: %d %s", r.code, r.stdout)
	}

	env["DOSSIER_USER"] = "program"
	files := filepath.Join(out, "files.pdf")
	if r = dossierctl(t, env, "print", "oinp.files", "--data", dir, "--out", files, "--status", "submitted",
		"--gta", "no"); r.code != 0 {
		t.Fatalf("print the files: %s", r.stderr)
	}
	if text := pdfToText(t, files); !strings.Contains(text, "Status: Submitted · Work location: Outside the GTA") ||
		!strings.Contains(text, "Applications: 0") {
		t.Errorf("the files:\n%s", text)
	}
	if r = dossierctl(t, env, "print", "oinp.files", "--data", dir, "--out", files, "--gta", "maybe"); r.code != 2 ||
		!strings.Contains(r.stderr, "--gta") {
		t.Errorf("--gta maybe: %d %q", r.code, r.stderr)
	}
	enrolments := filepath.Join(out, "enrolments.pdf")
	if r = dossierctl(t, env, "print", "oinp.employer-enrolments", "--data", dir, "--out", enrolments); r.code != 0 {
		t.Fatalf("print the enrolments: %s", r.stderr)
	}
	if text := pdfToText(t, enrolments); !strings.Contains(text, "Enrolments waiting: 0") {
		t.Errorf("the enrolments:\n%s", text)
	}
}

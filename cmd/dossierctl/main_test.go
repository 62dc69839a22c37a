package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/domain/country"
	"dossier/domain/oinp"
)

type run struct {
	code           int
	stdout, stderr string
}

func dossierctl(t *testing.T, env map[string]string, args ...string) run {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := m.Run(args)
	return run{code, out.String(), errb.String()}
}

// demoProfile builds one small demo for the tests of this file.
func demoProfile(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"DOSSIER_PASSWORD": "test password 1"}
	r := dossierctl(t, env, "demo", "--data", dir, "--requests", "80", "--seed", "3", "--today", "2026-11-21")
	if r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "requests: 80,") || !strings.Contains(r.stdout, "dir.beaulieu") {
		t.Fatalf("demo output:\n%s", r.stdout)
	}
	return dir, env
}

func TestDemoThenQueue(t *testing.T) {
	dir, env := demoProfile(t)
	r := dossierctl(t, env, "queue", "--data", dir, "--status", "verified,accepted", "--limit", "1000", "--json")
	if r.code != 0 {
		t.Fatalf("queue: %d %s", r.code, r.stderr)
	}
	var rows []queueRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(rows) == 0 {
		t.Fatal("no verified or accepted requests in the demo")
	}
	for _, row := range rows {
		if row.Status != "verified" && row.Status != "accepted" || row.EVN == "" || row.FamilyName == "" || row.ClientID == "" {
			t.Fatalf("row %+v", row)
		}
	}
	// Find one of them again by its client ID, written without dashes.
	want := rows[len(rows)/2]
	r = dossierctl(t, env, "queue", "--data", dir, "--search", strings.ReplaceAll(want.ClientID, "-", ""), "--json")
	var found []queueRow
	if err := json.Unmarshal([]byte(r.stdout), &found); err != nil || len(found) == 0 {
		t.Fatalf("search by client ID: %v %s %s", err, r.stdout, r.stderr)
	}
	hit := false
	for _, f := range found {
		hit = hit || f.ID == want.ID
	}
	if !hit {
		t.Fatalf("search by client ID %s did not find %s", want.ClientID, want.ID)
	}
}

func TestErrorsAreTranslatedAndCoded(t *testing.T) {
	dir, env := demoProfile(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"unknown status in French", env, []string{"queue", "--data", dir, "--status", "lost", "--json", "--lang", "fr"}, 1, "«\u00a0lost\u00a0» n’est pas un état"},
		{"French from the locale", map[string]string{"DOSSIER_PASSWORD": "x", "LANG": "fr_CA.UTF-8"}, []string{"queue", "--json"}, 2, "L’option --data est obligatoire"},
		{"wrong password", map[string]string{"DOSSIER_PASSWORD": "nope nope"}, []string{"queue", "--data", dir, "--json"}, 1, "This password does not open the profile."},
		{"no password", map[string]string{}, []string{"queue", "--data", dir, "--json"}, 1, "DOSSIER_PASSWORD"},
		{"no profile", env, []string{"queue", "--data", t.TempDir(), "--json"}, 1, "There is no profile there"},
		{"demo over a profile", env, []string{"demo", "--data", dir}, 1, "A profile already exists there"},
		{"unknown command", env, []string{"frobnicate"}, 2, "“frobnicate” is not a command"},
		{"unknown flag", env, []string{"queue", "--colour", "red"}, 2, "The flag --colour does not exist"},
		{"bad number", env, []string{"queue", "--data", dir, "--limit", "lots", "--json"}, 2, "The value of --limit is not valid."},
		{"unknown sort", env, []string{"queue", "--data", dir, "--sort", "shoe", "--json"}, 1, "“shoe” is not a column to sort by"},
		{"mistyped EVN", env, []string{"queue", "--data", dir, "--search", "3KQ-0A-00F7-A", "--json"}, 1, "typing mistake"},
		{"unknown school", env, []string{"queue", "--data", dir, "--school", "ZZZ", "--json"}, 1, "No school in this profile has the code ZZZ."},
		{"without --json", env, []string{"queue", "--data", dir}, 2, "--json"},
		{"bad date", env, []string{"demo", "--data", t.TempDir(), "--today", "2026-02-30"}, 2, "The value of --today is not valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := dossierctl(t, tt.env, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
			if r.stdout != "" {
				t.Fatalf("a failure printed to stdout: %q", r.stdout)
			}
		})
	}
	// Nothing that failed changed the profile.
	if _, err := os.Stat(filepath.Join(dir, "profile.dossier.compacting")); err == nil {
		t.Fatal("a compaction was left behind")
	}
}

// TestOINPCheckVerdicts: the text tells a failure from a criterion not yet
// known, names the field to fix under each, and gives the fee or says it is
// not yet known; the JSON carries the verdict beside the old eligible.
func TestOINPCheckVerdicts(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to string
		verdict        oinp.Verdict
		text           []string
	}{
		{"eligible", "", "", oinp.VerdictEligible,
			[]string{"Eligible on", "Processing fee: $2,000.00 (the work is in the Greater Toronto Area, Peel)."}},
		{"seasonal", `"seasonal": "no"`, `"seasonal": "yes"`, oinp.VerdictNotEligible,
			[]string{"Not eligible on", "✗ §2.1", "    Field to fix: Seasonal?\n", "Processing fee: $2,000.00"}},
		{"no municipality", `"municipality": "Mississauga"`, `"municipality": ""`, oinp.VerdictEligible,
			[]string{"Eligible on", "Processing fee: not yet known"}},
		{"seasonal unanswered", `"seasonal": "no"`, `"seasonal": ""`, oinp.VerdictNotYetKnown,
			[]string{"Not yet known on", "? §2.1", "    Field to fix: Seasonal?\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.json")
			if err := os.WriteFile(path, bytes.Replace(b, []byte(c.from), []byte(c.to), 1), 0o600); err != nil {
				t.Fatal(err)
			}
			if c.from != "" && !bytes.Contains(b, []byte(c.from)) {
				t.Fatalf("the example has no %s", c.from)
			}
			r := dossierctl(t, nil, "oinp", "check", path, "--on", "2026-11-21", "--lang", "en")
			for _, w := range c.text {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("no %q in\n%s", w, r.stdout)
				}
			}
			r = dossierctl(t, nil, "oinp", "check", path, "--on", "2026-11-21", "--json")
			var rep map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			if rep["verdict"] != string(c.verdict) || rep["eligible"] != (c.verdict == oinp.VerdictEligible) {
				t.Fatalf("verdict %v, eligible %v", rep["verdict"], rep["eligible"])
			}
		})
	}
}

// TestOINPCheck: the example application is eligible on a day in its
// window, the same file with another NOC is not (exit 0 either way, the
// failed rule named), and a file that cannot be read exits 1 with its
// reason in the reader's language.
func TestOINPCheck(t *testing.T) {
	example := filepath.Join("..", "..", "assets", "oinp", "example-application.json")
	r := dossierctl(t, nil, "oinp", "check", example, "--on", "2026-11-21", "--json")
	if r.code != 0 {
		t.Fatalf("check: %d %s", r.code, r.stderr)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if rep.Verdict != oinp.VerdictEligible || !rep.Eligible || !rep.Complete || rep.GTA != "yes" || rep.FeeCents != 200000 ||
		len(rep.Rules) != 20 || len(rep.Problems) != 0 {
		t.Fatalf("report: %+v", rep)
	}
	b, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "noc.json")
	os.WriteFile(other, bytes.Replace(b, []byte(`"noc": "8431"`), []byte(`"noc": "6711"`), -1), 0o600)
	r = dossierctl(t, nil, "oinp", "check", "--json", "--on", "2026-11-21", other)
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rep) != nil || rep.Eligible || rep.Verdict != oinp.VerdictNotEligible {
		t.Fatalf("NOC 6711: %d %s", r.code, r.stdout)
	}
	failed := map[string]bool{}
	for _, x := range rep.Rules {
		if x.Outcome != "pass" {
			failed[x.Rule] = true
			if x.Rule == "offer.noc" && (x.Section != "2.1" || !strings.Contains(x.Message, "6711")) {
				t.Fatalf("offer.noc: %+v", x)
			}
		}
	}
	if !failed["offer.noc"] {
		t.Fatalf("failed rules %v", failed)
	}
	r = dossierctl(t, nil, "oinp", "check", "--lang", "fr", other, "--on", "2026-11-21")
	if r.code != 0 || !strings.Contains(r.stdout, "Non admissible") || !strings.Contains(r.stdout, "✗ §2.1 Profession admissible (CNP)") ||
		!strings.Contains(r.stdout, "Droits de traitement") || !strings.Contains(r.stdout, "2\u00a0000,00\u00a0$") {
		t.Fatalf("French text: %d\n%s", r.code, r.stdout)
	}
	// Countries written by name read as their codes; one that names no
	// country is an error of its field.
	named := filepath.Join(t.TempDir(), "countries.json")
	os.WriteFile(named, []byte(strings.NewReplacer(`"countryOfResidence": "CA"`, `"countryOfResidence": "Canada"`,
		`"citizenship": "VN"`, `"citizenship": "Narnia"`).Replace(string(b))), 0o600)
	r = dossierctl(t, nil, "oinp", "check", "--json", "--on", "2026-11-21", named)
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rep) != nil || !rep.Eligible || len(rep.Problems) != 1 ||
		rep.Problems[0].Field != "applicant.citizenship" || rep.Problems[0].Code != country.ErrUnknown {
		t.Fatalf("countries by name: %d %s", r.code, r.stdout)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"schema": 1, "applicant": {"famliyName": "x"}}`), 0o600)
	r = dossierctl(t, nil, "oinp", "check", bad, "--lang", "fr")
	if r.code != 1 || !strings.Contains(r.stderr, "famliyName") {
		t.Fatalf("unreadable: %d %q", r.code, r.stderr)
	}
	if r = dossierctl(t, nil, "oinp", "check"); r.code != 2 {
		t.Fatalf("no file: %d %q", r.code, r.stderr)
	}
}

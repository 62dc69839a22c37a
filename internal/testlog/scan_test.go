package testlog

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The secrets the tests use, read from their own sources: every string
// literal given as a password, a name, a user ID, a client ID, a PIN, an
// e-mail or a card number. A log line holding one of them is a leak.
var (
	literal = regexp.MustCompile(`(?i)(password|passwd|givennames|familyname|given|family|userid|clientid|pin|email|cardnumber|card)\w*"?\s*[:=]\s*"([^"\n]{4,})"`)
	flagArg = regexp.MustCompile(`"--(password|user-id|user|pin|email|given-names|family-name)",\s*"([^"\n]{4,})"`)
)

// Shapes no log line may hold whatever the tests used: a PIN, a card
// number (13–19 digits), a client ID written the IRCC way.
var (
	pinShape      = regexp.MustCompile(`\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b`)
	cardShape     = regexp.MustCompile(`\b\d{13,19}\b`)
	clientIDShape = regexp.MustCompile(`\b\d{4}-\d{4}\b|\b\d{2}-\d{4}-\d{4}\b`)
)

// ignored are literals that also name things no person owns (roles,
// field names, bucket names) and so appear in logs by right.
var ignored = map[string]bool{"dossierd": true, "program": true, "student": true, "officer": true}

// secrets collects the literals of every test file of the repository.
func secrets(t *testing.T) []string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range append(literal.FindAllStringSubmatch(string(b), -1), flagArg.FindAllStringSubmatch(string(b), -1)...) {
			v := strings.TrimSpace(m[2])
			// A short number is in every timestamp; a client ID has eight
			// digits or ten.
			short := len(v) < 8 && strings.Trim(v, "0123456789-") == ""
			if len(v) >= 4 && !short && !seen[v] && !ignored[strings.ToLower(v)] && !strings.ContainsAny(v, "%{}") {
				seen[v] = true
				out = append(out, v)
			}
		}
		return nil
	})
	return out
}

// TestLogsHoldNoSecrets reads every line the suite's servers logged: make
// test runs the suite with DOSSIER_TEST_LOG, then this with
// DOSSIER_SCAN_LOG naming the same file.
func TestLogsHoldNoSecrets(t *testing.T) {
	path := os.Getenv("DOSSIER_SCAN_LOG")
	if path == "" {
		t.Skip("SKIPPED: no DOSSIER_SCAN_LOG: make test collects the suite's log lines and reads them here")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the suite's log: %v", err)
	}
	defer f.Close()
	words := secrets(t)
	if len(words) < 20 {
		t.Fatalf("only %d secrets found in the tests' sources: the pattern no longer reads them", len(words))
	}
	lines, leaks := 0, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		lines++
		for _, w := range words {
			if strings.Contains(line, w) {
				leaks++
				t.Errorf("a log line holds %q: %s", w, line)
			}
		}
		for _, re := range []*regexp.Regexp{pinShape, cardShape, clientIDShape} {
			if m := re.FindString(line); m != "" {
				leaks++
				t.Errorf("a log line holds %q: %s", m, line)
			}
		}
		if leaks > 20 {
			t.Fatal("more leaks than shown")
		}
	}
	if lines < 100 {
		t.Fatalf("only %d log lines: the suite's servers no longer log to %s", lines, Env)
	}
	if leaks == 0 {
		t.Logf("%d log lines read against %d secrets from the tests and the shapes of PINs, cards and client IDs: none found", lines, len(words))
	}
}

// TestTheScanFindsALeak is the scan run on a line that leaks.
func TestTheScanFindsALeak(t *testing.T) {
	words := secrets(t)
	found := false
	for _, w := range words {
		found = found || w == "correct-horse-9" // sync/client's test password
	}
	if !found {
		t.Fatal("the scan does not read the sync tests' password")
	}
	for _, leak := range []string{`{"msg":"pin ABCD-EFGH-JKM3"}`, `{"card":"4111111111111111"}`, `{"cid":"12-3456-7890"}`} {
		if pinShape.FindString(leak)+cardShape.FindString(leak)+clientIDShape.FindString(leak) == "" {
			t.Errorf("the scan misses %s", leak)
		}
	}
}

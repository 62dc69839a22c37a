package programs

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// TestEveryAuditActionIsListed: each action the store journals is one the
// lists of auditactions.go account for, so an officer's audit history can
// word it (the translations test checks the words exist).
func TestEveryAuditActionIsListed(t *testing.T) {
	re := regexp.MustCompile(`[aA]ction(?:: +| = )"([a-z.\-]+)"`)
	// The engine's files and each program's (store/<program>).
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	programs, err := filepath.Glob("../*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, programs...)
	prefixes := []string{"ens.", "refused.", "refused.sync.", "sync."}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			a := string(m[1])
			n++
			fn, isEns := strings.CutPrefix(a, "ens.")
			_, fnErr := ens.ParseFunction(fn)
			known := slices.Contains(store.OtherActions, a) || slices.Contains(prefixes, a) || isEns && fnErr == nil ||
				slices.ContainsFunc(store.CommandKinds, func(k sync.Kind) bool { return string(k) == a })
			if !known {
				t.Errorf("%s journals %q, which store/auditactions.go does not list", f, a)
			}
		}
	}
	if n < 30 {
		t.Fatalf("only %d actions found: the pattern no longer matches the journal's calls", n)
	}
}

package desklog

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The log rotates at its size, keeps Keep files besides the current one,
// never grows past them, and its tail reads back across a rotation.
func TestRotation(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	log := Logger(w, slog.LevelInfo)
	for i := range 200 {
		log.Info("line", "n", i)
	}
	log.Debug("not at info")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, _ := e.Info()
		if info.Size() > 1000 {
			t.Errorf("%s holds %d bytes, over the cap", e.Name(), info.Size())
		}
	}
	if strings.Join(names, " ") != "dossier.log dossier.log.1 dossier.log.2" {
		t.Fatalf("files %v", names)
	}
	w, err = Open(dir, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tail := w.Tail(30)
	if len(tail) != 30 || !strings.HasSuffix(tail[29], "n=199") || !strings.HasSuffix(tail[0], "n=170") {
		t.Fatalf("tail %q … %q (%d lines)", tail[0], tail[len(tail)-1], len(tail))
	}
	cur, _ := os.ReadFile(filepath.Join(dir, Name))
	if n := strings.Count(string(cur), "\n"); n >= 30 {
		t.Fatalf("the current file holds %d lines: the tail did not need the rotated one", n)
	}
	for _, l := range tail {
		if strings.Contains(l, "not at info") {
			t.Error("a debug line at info")
		}
	}
	// Appending after reopening keeps the size count.
	fmt.Fprintln(w, strings.Repeat("x", 900))
	fmt.Fprintln(w, strings.Repeat("y", 900))
	if st, _ := os.Stat(w.Path()); st.Size() > 1000 {
		t.Errorf("after reopening, %d bytes", st.Size())
	}
}

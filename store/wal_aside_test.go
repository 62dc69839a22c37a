package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// inHalves gives s's journal two halves of region bytes, as dossierd's
// has (walServer, but small), from a checkpoint that names them.
func inHalves(t *testing.T, s *Store, region int) *wal {
	t.Helper()
	w := s.db.wal
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tuning.region, w.tuning.checkpointBytes = region, region*3/4
	if err := w.checkpoint(); err != nil {
		t.Fatal(err)
	}
	return w
}

// crashFiles are the profile and the journal as a killed process leaves
// them.
type crashFiles struct{ profile, journal []byte }

func filesNow(t *testing.T, s *Store) crashFiles {
	t.Helper()
	profile, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	journal, err := os.ReadFile(JournalPath(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	return crashFiles{profile, journal}
}

// TestCheckpointAsideSurvivesCrash: a checkpoint taken aside lets the
// writers append the next generation, in the other half, before bbolt's
// file is synced and its header written. Killed, or the power lost, before
// the header is on disk or after, every acknowledged action comes back,
// whatever the disk kept of bbolt's pages written since its last sync.
func TestCheckpointAsideSurvivesCrash(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	w := inHalves(t, s, 1<<20)
	oldSynced := filesNow(t, s).profile
	walWrites(t, s, 0, 100)
	gen := w.gen

	var beforeHeader, afterHeader crashFiles
	var wantBefore, wantAfter map[string]string
	var newSynced []byte
	walAsideHook = func(sealed bool) {
		if !sealed {
			// The writers go on in the new generation meanwhile.
			wantBefore = walWrites(t, s, 100, 100)
			beforeHeader = filesNow(t, s)
			// What the seal's sync will find: every layer in bbolt.
			if err := w.settle(); err != nil {
				t.Error(err)
			}
			return
		}
		newSynced = filesNow(t, s).profile
		wantAfter = walWrites(t, s, 200, 100)
		afterHeader = filesNow(t, s)
	}
	t.Cleanup(func() { walAsideHook = nil })
	w.mu.Lock()
	err := w.turnAside()
	w.mu.Unlock()
	walAsideHook = nil
	if err != nil {
		t.Fatal(err)
	}
	if w.gen != gen+1 || w.base != walData+int64((gen+1)%2)<<20 {
		t.Fatalf("after the checkpoint aside: generation %d from %d, want %d from the other half", w.gen, w.base, gen+1)
	}
	if w.turning != nil || w.pin == nil {
		t.Fatal("the checkpoint aside was not installed")
	}

	for _, c := range []struct {
		name          string
		files         crashFiles
		synced        []byte
		want          map[string]string
		recordsFollow bool
	}{
		{"before the header", beforeHeader, oldSynced, wantBefore, true},
		{"after the header", afterHeader, newSynced, wantAfter, false},
	} {
		for keepName, keep := range powerLossKeeps {
			t.Run(c.name+"/"+keepName, func(t *testing.T) {
				got := crashCopy(t, clock, mixPages(c.synced, c.files.profile, keep), c.files.journal)
				sameContents(t, walContents(t, got), c.want)
				// A generation whose records were found after the
				// header's is never started again: its records lie
				// past the new ones'.
				if g := got.db.wal.gen; c.recordsFollow && g < gen+2 {
					t.Fatalf("generation %d after the replay; %d had records", g, gen+1)
				}
				// And the next crash comes back to the same.
				more := walWrites(t, got, 300, 20)
				again := filesNow(t, got)
				sameContents(t, walContents(t, crashCopy(t, clock, again.profile, again.journal)), more)
			})
		}
	}
}

// TestJournalFirstHalfFull: a record that would run past the first half
// (its checkpoint late) starts a checkpoint, and goes in the second half;
// every action survives a kill.
func TestJournalFirstHalfFull(t *testing.T) {
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	const region = 64 << 10
	w := inHalves(t, s, region)
	w.mu.Lock()
	w.tuning.checkpointBytes = 1 << 30 // only the first half's end starts one
	w.mu.Unlock()
	gen := w.gen
	var want map[string]string
	for i := 0; i < 600; i += 20 {
		want = walWrites(t, s, i, 20)
		if w.gen%2 == 0 && w.off > w.base+region {
			t.Fatalf("the first half runs to %d, past its end %d", w.off, w.base+region)
		}
	}
	if gen%2 != 0 || w.gen < gen+1 {
		t.Fatalf("generation %d after 600 actions of 300 bytes in halves of 64 KiB, from %d in the first", w.gen, gen)
	}
	f := filesNow(t, s)
	sameContents(t, walContents(t, crashCopy(t, clock, f.profile, f.journal)), want)
}

// asideCrash is what a kill leaves after a checkpoint aside chose its
// state and the writers appended 30 actions in the other half, before the
// header: the files, what they must hold, and the aside's generation.
func asideCrash(t *testing.T) (crashFiles, map[string]string, uint64, *testClock) {
	t.Helper()
	holdCheckpoints(t)
	s, clock := MustCreateStore(t)
	w := inHalves(t, s, 1<<20)
	walWrites(t, s, 0, 40)
	var files crashFiles
	var want map[string]string
	walAsideHook = func(sealed bool) {
		if !sealed {
			want = walWrites(t, s, 40, 30)
			files = filesNow(t, s)
		}
	}
	t.Cleanup(func() { walAsideHook = nil })
	w.mu.Lock()
	err := w.turnAside()
	gen := w.gen
	w.mu.Unlock()
	walAsideHook = nil
	if err != nil {
		t.Fatal(err)
	}
	return files, want, gen, clock
}

// writeCrash puts files in a new folder, as the disk holds them.
func writeCrash(t *testing.T, files crashFiles) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "profile.dossier")
	if err := os.WriteFile(path, files.profile, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(JournalPath(path), files.journal, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestJournalReplayIsFinal: the replay itself writes a header naming the
// state it made, in a generation after every one the records were of, so
// an open refused after it (a wrong password) or killed before its own
// checkpoint leaves nothing to replay again, and no later generation can
// take up the old records past its own.
func TestJournalReplayIsFinal(t *testing.T) {
	files, want, gen, clock := asideCrash(t)
	path := writeCrash(t, files)
	if _, err := Open(path, "not the password", testOptions(clock)); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("open with a wrong password: %v", err)
	}
	j, err := openJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	hdr, recs, _, err := j.scan()
	j.f.Close()
	if err != nil || len(recs) != 0 || hdr.gen <= gen || int(hdr.gen%2) != hdr.slot {
		t.Fatalf("after the replay: header of generation %d in slot %d, %d records (%v); the records were of %d", hdr.gen, hdr.slot, len(recs), err, gen)
	}
	s, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sameContents(t, walContents(t, s), want)
	more := walWrites(t, s, 70, 30)
	again := filesNow(t, s)
	sameContents(t, walContents(t, crashCopy(t, clock, again.profile, again.journal)), more)
}

// TestJournalReplayHeaderLost: power lost after the replay's commit,
// before its header reached the disk: the next open comes back to the
// checkpoint's state and replays every record again.
func TestJournalReplayHeaderLost(t *testing.T) {
	files, want, _, clock := asideCrash(t)
	path := writeCrash(t, files)
	j, err := recoverJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	j.f.Close()
	journal, err := os.ReadFile(JournalPath(path))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(journal[:walData], files.journal[:walData]) {
		t.Fatal("the replay wrote no header")
	}
	copy(journal[:walData], files.journal[:walData]) // the header never written
	profile, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sameContents(t, walContents(t, crashCopy(t, clock, profile, journal)), want)
}

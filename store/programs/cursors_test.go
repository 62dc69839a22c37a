package programs

import (
	"testing"

	"dossier/domain"
	"dossier/store"
	"dossier/store/storetest"
	"dossier/sync"
)

// TestEachPersonKeepsTheirFeedPosition: the desk keeps one position in
// the feed per person; a profile from before keeps its single cursor as
// its owner's (the account signed in then, even once they sign out); an
// epoch reset moves only the position of the person who read it, and a
// page that answers another position is ignored.
func TestEachPersonKeepsTheirFeedPosition(t *testing.T) {
	engine, _ := storetest.MustCreate(t)
	s := DeskOf(engine)
	a, b := domain.ID{1}, domain.ID{2}
	old, restored := domain.ID{7}, domain.ID{8}
	// A profile from before: one cursor, A signed in.
	if err := s.UpdateSyncState(func(st *store.SyncState) {
		st.Server, st.Epoch, st.Cursor, st.Account = "https://x.example.ca", old, 50, a
	}); err != nil {
		t.Fatal(err)
	}
	// A signs out: the cursor stays A's.
	if err := s.UpdateSyncState(func(st *store.SyncState) {
		st.KeepLegacyCursor()
		st.Account = domain.ID{}
	}); err != nil {
		t.Fatal(err)
	}
	st, _ := s.SyncState()
	if p := st.Position(a); p.Epoch != old || p.Cursor != 50 {
		t.Fatalf("A's position from the old profile: %+v", p)
	}
	if p := st.Position(b); p != (store.FeedPosition{}) {
		t.Fatalf("B, who never synced here, starts at %+v", p)
	}
	// B reads from the beginning.
	if _, err := s.ApplyChanges(b, domain.ID{}, 0, sync.ChangesResponse{Epoch: old, Reset: true, Next: 60}); err != nil {
		t.Fatal(err)
	}
	st, _ = s.SyncState()
	if p := st.Position(a); p.Epoch != old || p.Cursor != 50 {
		t.Fatalf("A's position after B synced: %+v", p)
	}
	if p := st.Position(b); p.Epoch != old || p.Cursor != 60 || st.LastAccount != b || st.Cursor != 60 {
		t.Fatalf("B's position: %+v (last %s, cursor %d)", p, st.LastAccount, st.Cursor)
	}
	// A page for A read from B's position is not A's.
	if _, err := s.ApplyChanges(a, old, 60, sync.ChangesResponse{Epoch: old, After: 60, Next: 90}); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.SyncState(); st.Position(a).Cursor != 50 {
		t.Fatalf("a page from another position moved A's: %+v", st.Position(a))
	}
	// The server was restored: A's pull starts again, B's stays until B
	// reads the reset too.
	if _, err := s.ApplyChanges(a, old, 50, sync.ChangesResponse{Epoch: restored, Reset: true, Next: 5}); err != nil {
		t.Fatal(err)
	}
	st, _ = s.SyncState()
	if p := st.Position(a); p.Epoch != restored || p.Cursor != 5 || p.LastSync.IsZero() {
		t.Fatalf("A after the reset: %+v", p)
	}
	if p := st.Position(b); p.Epoch != old || p.Cursor != 60 {
		t.Fatalf("B after A's reset: %+v", p)
	}
}

package client_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/requests"
)

// drop ends the connection without an answer, as a server that died does.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// serverAudit counts the server's audit entries for one command.
func serverAudit(t *testing.T, ts *testServer, cmd domain.ID) int {
	t.Helper()
	n := 0
	if err := ts.sv.Store().Audit(func(e store.AuditEntry) bool {
		if e.Command == cmd && !strings.HasPrefix(e.Action, "refused") {
			n++
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestServerDiesAroundTheCommit: the server dies before applying a push,
// then (after a restart) dies after committing it but before answering.
// Each command is applied exactly once and the outbox empties.
func TestServerDiesAroundTheCommit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()

	before := f.stu.raise(f.school.ID, 1)
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/push" {
			return false
		}
		drop(w)
		return true
	})
	if _, err := f.stu.c.Push(ctx); err == nil {
		t.Fatal("push to a dying server succeeded")
	}
	f.ts.setFault(nil)
	f.ts.restart()

	after := f.stu.raise(f.school.ID, 2)
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/push" {
			return false
		}
		next.ServeHTTP(httptest.NewRecorder(), r) // committed…
		drop(w)                                   // …and never answered
		return true
	})
	if _, err := f.stu.c.Push(ctx); err == nil {
		t.Fatal("push answered by a server that died")
	}
	if n, _ := f.stu.st.OutboxLen(); n != 2 {
		t.Fatalf("outbox after the lost answers: %d, want 2", n)
	}
	f.ts.setFault(nil)
	f.ts.restart()
	f.syncAll()
	if n, _ := f.stu.st.OutboxLen(); n != 0 {
		t.Fatalf("outbox after restart: %d", n)
	}
	for _, r := range []ens.Request{before, after} {
		got := f.dir.request(r.ID)
		if got.Version != 1 {
			t.Fatalf("request %s version %d", r.ID, got.Version)
		}
	}
	// Exactly once: one applied audit entry per command on the server.
	var ids []domain.ID
	f.ts.sv.Store().Audit(func(e store.AuditEntry) bool {
		if e.Action == "sync.ens.raise" {
			ids = append(ids, e.Command)
		}
		return true
	})
	for _, id := range ids {
		if n := serverAudit(t, f.ts, id); n != 1 {
			t.Fatalf("command %s applied %d times", id, n)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("%d raises applied, want 2", len(ids))
	}
}

// snapshot is what a desk holds of its school's requests, for comparing
// replicas.
func snapshot(t *testing.T, d *desk) []string {
	t.Helper()
	ids, err := d.st.QueueIDs(d.by, requests.QueueFilter{School: d.by.Org})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := d.st.Requests(d.by, ids)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.ID.String()+" "+r.Status.Code()+" "+string(r.EVN)+" "+r.Notes+" "+
			r.Student.FamilyName+" v"+string(rune('0'+r.Version)))
	}
	slices.Sort(out)
	return out
}

// TestReplaysAndStalePages: every push is delivered three times, and the
// feed answers some pulls with a page it sent before. The desk ends the
// same as a desk that synced cleanly.
func TestReplaysAndStalePages(t *testing.T) {
	f := newFixture(t)
	var mu gosync.Mutex
	var served [][]byte
	n := 0
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		switch r.URL.Path {
		case "/v1/push":
			body, _ := io.ReadAll(r.Body)
			var last *httptest.ResponseRecorder
			for i := 0; i < 3; i++ {
				rr := httptest.NewRecorder()
				r2 := r.Clone(r.Context())
				r2.Body = io.NopCloser(bytes.NewReader(body))
				next.ServeHTTP(rr, r2)
				last = rr
			}
			for k, v := range last.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(last.Code)
			w.Write(last.Body.Bytes())
			return true
		case "/v1/changes":
			mu.Lock()
			defer mu.Unlock()
			n++
			if n%3 == 0 && len(served) > 0 {
				// A page delivered again, late and out of order.
				w.Header().Set("Content-Type", "application/json")
				w.Write(served[n%len(served)])
				return true
			}
			r.Header.Del("Accept-Encoding")
			rr := httptest.NewRecorder()
			next.ServeHTTP(rr, r)
			served = append(served, rr.Body.Bytes())
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rr.Code)
			w.Write(rr.Body.Bytes())
			return true
		}
		return false
	})
	rs := f.raised(4)
	for i, r := range rs[:3] {
		if _, err := f.dir.st.Act(f.dir.by, r.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "note " + letters(i)}}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.dir.st.Act(f.dir.by, rs[3].ID, ens.Action{Function: ens.Reject, Reason: "Not enrolled this term"}, 0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		f.dir.c.Sync(context.Background())
		f.sig.c.Sync(context.Background())
	}
	f.ts.setFault(nil)
	f.syncAll()
	clean := newDesk(t, f.ts, "clean")
	clean.by = f.sig.by
	clean.c.SignIn(context.Background(), f.sig.by.Account, "sig.a", password)
	clean.sync()
	want := snapshot(t, clean)
	for _, d := range []*desk{f.dir, f.sig} {
		if got := snapshot(t, d); !slices.Equal(got, want) {
			t.Fatalf("%s differs from a clean download:\n got %q\nwant %q", d.name, got, want)
		}
	}
	if len(want) != 4 || !strings.Contains(strings.Join(want, "|"), "note c") {
		t.Fatalf("clean desk: %q", want)
	}
}

// TestCutPagesLeaveNoGap: the connection breaks in the middle of pages of
// the feed (the desk stops between reading and saving a page); the desk
// asks again from its saved cursor: no gap, no duplicate.
func TestCutPagesLeaveNoGap(t *testing.T) {
	f := newFixture(t)
	f.raised(12)
	fresh := newDesk(t, f.ts, "fresh")
	fresh.by = f.sig.by
	k := 0
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path != "/v1/changes" {
			return false
		}
		k++
		if k%2 == 1 {
			return false
		}
		rr := httptest.NewRecorder()
		r.Header.Del("Accept-Encoding")
		next.ServeHTTP(rr, r)
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(rr.Code)
		w.Write(rr.Body.Bytes()[:rr.Body.Len()/2])
		drop(w)
		return true
	})
	if err := fresh.c.SignIn(context.Background(), f.sig.by.Account, "sig.a", password); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		fresh.c.Pull(context.Background(), 0)
	}
	f.ts.setFault(nil)
	fresh.sync()
	if got, want := snapshot(t, fresh), snapshot(t, f.sig); !slices.Equal(got, want) || len(got) != 12 {
		t.Fatalf("after cut pages:\n got %q\nwant %q", got, want)
	}
}

// TestClockSkew: one desk's clock runs two hours ahead and another two
// hours behind. Everything converges; nothing is dated in the server's
// future beyond the tolerance.
func TestClockSkew(t *testing.T) {
	f := newFixture(t)
	rs := f.raised(2)
	f.dir.skew(2 * time.Hour)
	f.sig.skew(-2 * time.Hour)
	if _, err := f.dir.st.Act(f.dir.by, rs[0].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "ahead"}}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sig.st.Act(f.sig.by, rs[1].ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "behind"}}, 0); err != nil {
		t.Fatal(err)
	}
	f.syncAll()
	if a, b := snapshot(t, f.dir), snapshot(t, f.sig); !slices.Equal(a, b) {
		t.Fatalf("skewed desks differ:\n%q\n%q", a, b)
	}
	r, err := f.ts.sv.Request(f.dir.by, rs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if limit := time.Now().Add(6 * time.Minute); r.Updated.After(limit) {
		t.Fatalf("server dated a change %v, in its future", r.Updated)
	}
	if r.Notes != "ahead" {
		t.Fatalf("notes %q", r.Notes)
	}
}

// skew reopens the desk with its clock moved by d.
func (d *desk) skew(by time.Duration) {
	d.t.Helper()
	d.opt.Now = func() time.Time { return time.Now().Add(by) }
	d.reopen()
	if err := d.c.SignIn(context.Background(), d.by.Account, userOf(d), password); err != nil {
		d.t.Fatal(err)
	}
}

func userOf(d *desk) string {
	switch d.name {
	case "dir":
		return "dir.a"
	case "sig":
		return "sig.a"
	}
	return "eleve1"
}

// TestRestoredServer: the server goes back to an older backup (a new
// epoch). The desks download again, and a command the student had not yet
// sent is replayed and lands.
func TestRestoredServer(t *testing.T) {
	if onPostgres {
		t.Skip("a server on PostgreSQL is backed up and restored with the database's own tools (pg_dump)")
	}
	f := newFixture(t)
	f.raised(1)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := f.ts.sv.Backup(backup); err != nil {
		t.Fatal(err)
	}
	oldEpoch := f.ts.sv.Epoch()
	f.raised(1) // acknowledged after the backup: gone with the restore
	unsent := f.stu.raise(f.school.ID, 7)

	f.ts.stop()
	if err := store.RestoreServer(f.ts.dir, backup, f.ts.opt); err != nil {
		t.Fatal(err)
	}
	f.ts.start()
	if f.ts.sv.Epoch() == oldEpoch {
		t.Fatal("restore kept the epoch")
	}
	for _, d := range []*desk{f.stu, f.dir, f.sig} {
		// Tokens issued after the backup are gone: people sign in again.
		if err := d.c.SignIn(context.Background(), d.by.Account, userOf(d), password); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
	}
	f.syncAll()
	if n, _ := f.stu.st.OutboxLen(); n != 0 {
		t.Fatalf("student outbox %d", n)
	}
	if got := f.dir.request(unsent.ID); got.Student.FamilyName != unsent.Student.FamilyName {
		t.Fatalf("replayed request: %+v", got)
	}
	st, _ := f.dir.st.SyncState()
	if st.Epoch != f.ts.sv.Epoch() {
		t.Fatalf("desk epoch %s, server %s", st.Epoch, f.ts.sv.Epoch())
	}
}

package client_test

import (
	"context"
	"errors"
	"net/http"
	gosync "sync"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/sync"
)

// TestTwoSignatoriesRace: both verify one request offline; the later push
// is refused with the rule's reason, the person sees it, and the desks end
// up with the same record (the first Verify and its EVN).
func TestTwoSignatoriesRace(t *testing.T) {
	f := newFixture(t)
	r := f.raised(1)[0]
	for _, d := range []*desk{f.dir, f.sig} {
		saved, err := d.st.Act(d.by, r.ID, ens.Action{Function: ens.Save, Draft: allMet()}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.st.Act(d.by, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, saved.Version); err != nil {
			t.Fatal(err)
		}
	}
	first := f.dir.request(r.ID)
	f.dir.sync()
	f.sig.sync()
	f.dir.sync()
	rej, err := f.sig.st.Rejections(f.sig.by)
	if err != nil || len(rej) == 0 {
		t.Fatalf("signatory sees no rejection: %v %v", rej, err)
	}
	last := rej[0]
	if last.Error.Code != ens.ErrNotInStatus || last.Actor != f.sig.by.Account {
		t.Fatalf("rejection: %+v", last)
	}
	a, b := f.dir.request(r.ID), f.sig.request(r.ID)
	if a.EVN != first.EVN || b.EVN != first.EVN || a.Status != ens.Verified || a.Version != b.Version {
		t.Fatalf("desks differ: dir %v %s v%d, sig %v %s v%d", a.Status, a.EVN, a.Version, b.Status, b.EVN, b.Version)
	}
	// Its Save came after the Verify too: both of its commands are refused.
	if n, _ := f.sig.st.Counts(f.sig.by); n.Rejected != 2 || n.Pending != 0 {
		t.Fatalf("counts %+v", n)
	}
	// Nobody else on the desk reads them or marks them read.
	other := account.Actor{Account: f.dir.by.Account, Role: account.DIR, Org: f.sig.by.Org}
	if rs, _ := f.sig.st.Rejections(other); len(rs) != 0 {
		t.Fatalf("another person reads %d rejections", len(rs))
	}
	if err := f.sig.st.MarkSeen(other, last.Command); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("another person marks a rejection read: %v", err)
	}
}

// TestOfflineEditsMerge: two desks edit one request offline — the same
// field on both, and a different field on each — and sync both ways. All
// replicas end identical, with one visible conflict: the later edit of the
// shared field won and the other value is kept.
func TestOfflineEditsMerge(t *testing.T) {
	f := newFixture(t)
	r := f.raised(1)[0]
	dirDraft := &ens.Draft{Notes: "Called the registrar", StudentNumber: ""}
	if _, err := f.dir.st.Act(f.dir.by, r.ID, ens.Action{Function: ens.Save, Draft: dirDraft}, 0); err != nil {
		t.Fatal(err)
	}
	sigDraft := &ens.Draft{Notes: "Transcript received", StudentNumber: "U2024-77"}
	if _, err := f.sig.st.Act(f.sig.by, r.ID, ens.Action{Function: ens.Save, Draft: sigDraft}, 0); err != nil {
		t.Fatal(err)
	}
	// The signatory's edit is later by the clock; it is pushed first.
	f.sig.sync()
	f.dir.sync()
	f.sig.sync()
	a, b := f.dir.request(r.ID), f.sig.request(r.ID)
	if a.Notes != b.Notes || a.Student.StudentNumber != b.Student.StudentNumber || a.Version != b.Version {
		t.Fatalf("replicas differ:\n dir %q %q v%d\n sig %q %q v%d", a.Notes, a.Student.StudentNumber, a.Version, b.Notes, b.Student.StudentNumber, b.Version)
	}
	if a.Notes != "Transcript received" || a.Student.StudentNumber != "U2024-77" {
		t.Fatalf("merged to %q %q", a.Notes, a.Student.StudentNumber)
	}
	for _, d := range []*desk{f.dir, f.sig} {
		cs, err := d.st.Conflicts(d.by)
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s conflicts: %+v %v", d.name, cs, err)
		}
		c := cs[0]
		if c.Field != "notes" || c.Kept.Value != "Transcript received" || c.Lost.Value != "Called the registrar" || c.Request != r.ID {
			t.Fatalf("%s conflict: %+v", d.name, c)
		}
	}
	// Read on one desk, it stops counting there only, and a later page of
	// the feed does not bring it back unread.
	cs, _ := f.dir.st.Conflicts(f.dir.by)
	if err := f.dir.st.MarkSeen(f.dir.by, cs[0].ID); err != nil {
		t.Fatal(err)
	}
	f.syncAll()
	if n, _ := f.dir.st.Counts(f.dir.by); n.Conflicts != 0 {
		t.Fatalf("dir still counts %d conflicts", n.Conflicts)
	}
	if n, _ := f.sig.st.Counts(f.sig.by); n.Conflicts != 1 {
		t.Fatalf("sig counts %d conflicts", n.Conflicts)
	}
	// Another school's staff neither read the conflict nor mark it.
	outsider := account.Actor{Account: f.sig.by.Account, Role: account.Signatory, Org: domain.ID{1}}
	if cs, _ := f.sig.st.Conflicts(outsider); len(cs) != 0 {
		t.Fatalf("another school reads %d conflicts", len(cs))
	}
	if err := f.sig.st.MarkSeen(outsider, cs[0].ID); !errors.Is(err, account.ErrForbidden) {
		t.Fatalf("another school marks a conflict read: %v", err)
	}
}

// TestRacingBatchesShareCommits: two signatories work through the same 20
// requests offline (notes, then Verify) and push at the same moment, so
// that their batches share the server's commits. Each request is verified
// once, by one of them; every refusal rolls back only its own command
// (the commands before and after it in the batch stand); every command is
// answered once, and the desks end identical.
func TestRacingBatchesShareCommits(t *testing.T) {
	f := newFixture(t)
	rs := f.raised(20)
	for _, d := range []*desk{f.dir, f.sig} {
		for _, r := range rs {
			saved, err := d.st.Act(d.by, r.ID, ens.Action{Function: ens.Save, Draft: &ens.Draft{Notes: "Checked by " + d.name}}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.st.Act(d.by, r.ID, ens.Action{Function: ens.Verify, Draft: allMet()}, saved.Version); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Both pushes reach the store together: each waits at the door for
	// the other.
	var arrived gosync.WaitGroup
	arrived.Add(2)
	f.ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if r.URL.Path == "/v1/push" {
			arrived.Done()
			arrived.Wait()
		}
		return false
	})
	var wg gosync.WaitGroup
	for _, d := range []*desk{f.dir, f.sig} {
		wg.Go(func() {
			if _, err := d.c.Push(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f.ts.setFault(nil)
	f.syncAll()
	refused := 0
	for _, d := range []*desk{f.dir, f.sig} {
		if left, _ := d.st.PendingFor(d.by.Account, 1); len(left) != 0 {
			t.Fatalf("%s: commands left unanswered", d.name)
		}
		rej, _ := d.st.Rejections(d.by)
		for _, r := range rej {
			if r.Error == nil || r.Error.Code != ens.ErrNotInStatus {
				t.Fatalf("%s: refused for %+v", d.name, r.Error)
			}
		}
		refused += len(rej)
	}
	// Each request's losing Verify is refused; its Save too when the
	// winner's Verify came first.
	if refused < len(rs) || refused > 2*len(rs) {
		t.Fatalf("%d refusals for %d races", refused, len(rs))
	}
	for _, r := range rs {
		a, b := f.dir.request(r.ID), f.sig.request(r.ID)
		if a.Status != ens.Verified || a.EVN == "" || a.EVN != b.EVN || a.Version != b.Version || a.Notes != b.Notes {
			t.Fatalf("request %s: dir %v %s v%d %q, sig %v %s v%d %q", r.ID, a.Status, a.EVN, a.Version, a.Notes,
				b.Status, b.EVN, b.Version, b.Notes)
		}
		evns := 0
		if err := f.ts.sv.Store().Audit(func(e store.AuditEntry) bool {
			if e.Entity == r.ID && e.Action == "sync."+string(sync.KindApplyFunction) {
				evns++
			}
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if evns < 2 || evns > 3 { // the winner's Save and Verify, and perhaps the loser's Save
			t.Fatalf("request %s: %d commands applied", r.ID, evns)
		}
	}
}

package client_test

import (
	"errors"
	"testing"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/sync"
)

// TestBulkAssignThroughTheServer: the DIR assigns N requests at once to
// the signatory; the server applies each (one command per request) and
// the signatory's desk sees every one assigned to them. One request the
// student withdrew meanwhile is refused by the server: the DIR's desk puts
// it back as the server has it and keeps the refusal against that
// request, with its coded reason, for the queue to show on its row.
func TestBulkAssignThroughTheServer(t *testing.T) {
	f := newFixture(t)
	const n = 6
	reqs := f.raised(n)
	ids := make([]domain.ID, n)
	for i, r := range reqs {
		ids[i] = r.ID
	}
	// The student withdraws the last one; the DIR's desk has not heard.
	gone := reqs[n-1]
	if _, err := f.stu.st.Act(f.stu.by, gone.ID, ens.Action{Function: ens.Withdraw}, 0); err != nil {
		t.Fatal(err)
	}
	f.stu.sync()

	done, refused, err := f.dir.st.ActMany(f.dir.by, ids, ens.Action{Function: ens.Assign, Assignee: f.sig.by.Account})
	if err != nil || len(done) != n || len(refused) != 0 {
		t.Fatalf("bulk assign on the desk: %d done, %v refused, %v", len(done), refused, err)
	}
	pending, err := f.dir.st.PendingFor(f.dir.by.Account, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != n {
		t.Fatalf("%d commands in the outbox for %d requests", len(pending), n)
	}
	f.dir.sync()

	// The server applied every assignment but the withdrawn request's.
	for _, r := range reqs[:n-1] {
		got, err := f.ts.sv.Request(f.dir.by, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Assignee != f.sig.by.Account {
			t.Fatalf("request %s on the server: assignee %v, want the signatory", r.ID, got.Assignee)
		}
	}
	// The signatory's desk sees them assigned to them.
	f.sig.sync()
	for _, r := range reqs[:n-1] {
		if got := f.sig.request(r.ID); got.Assignee != f.sig.by.Account {
			t.Fatalf("request %s on the signatory's desk: assignee %v", r.ID, got.Assignee)
		}
	}
	// The refused one: as the server has it on the DIR's desk, and the
	// refusal kept against it, for the DIR.
	if got := f.dir.request(gone.ID); got.Status != ens.Withdrawn || !got.Assignee.IsZero() {
		t.Fatalf("the refused request on the DIR's desk: %v, assignee %v", got.Status, got.Assignee)
	}
	rej, err := f.dir.st.Rejections(f.dir.by)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 1 || rej[0].Entity != gone.ID || rej[0].Kind != sync.KindApplyFunction ||
		rej[0].Error == nil || rej[0].Error.Code != ens.ErrNotInStatus {
		t.Fatalf("rejections on the DIR's desk: %+v", rej)
	}
	refusals, err := f.dir.st.Refused(f.dir.by)
	if err != nil {
		t.Fatal(err)
	}
	if err := refusals[gone.ID]; !errors.Is(err, ens.ErrNotInStatus) || len(refusals) != 1 {
		t.Fatalf("the refusals the queue shows: %v", refusals)
	}
	// Nothing waits: the DIR's choice was applied or shown refused.
	if pending, _ := f.dir.st.PendingFor(f.dir.by.Account, 100); len(pending) != 0 {
		t.Fatalf("%d commands still waiting", len(pending))
	}
}

package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store/demo"
	"dossier/sync"
	"dossier/translations"
)

// TestBulkRefusalsShowOnTheirRows: a bulk Assign over rows of which one
// is closed changes the open ones; the closed one stays ticked and its
// row says why, in the reader's language. A refusal the server sends
// later (a command it refused) shows on its row too, until it is read.
func TestBulkRefusalsShowOnTheirRows(t *testing.T) {
	e, _, _ := desk(t, 60)
	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.statusSel.SetSelectedIndex(0) }) // every status
	var open []domain.ID
	var closed domain.ID
	for i := range q.ids {
		r, ok := q.row(i)
		if !ok {
			t.Fatal("no row")
		}
		switch {
		case ens.Allowed(&r, ens.Assign, e.Actor(), e.Now()) == nil && len(open) < 3:
			open = append(open, r.ID)
		case !r.Status.Open() && closed.IsZero():
			closed = r.ID
		}
	}
	if len(open) < 3 || closed.IsZero() {
		t.Fatalf("the demo has %d open rows and closed %v", len(open), closed)
	}
	staff, err := e.Store.Staff(e.Actor(), e.Account.Org)
	if err != nil || len(staff) < 2 {
		t.Fatalf("staff: %v %v", staff, err)
	}
	to := staff[0].ID
	if to == e.Account.ID {
		to = staff[1].ID
	}
	for _, id := range append(open, closed) {
		q.selected[id] = true
	}
	queueReady(t, q, func() { fyne.DoAndWait(func() { q.bulk(ensAction(ens.Assign, to)) }) })

	statusOf := func(id domain.ID) string {
		t.Helper()
		for i, rid := range q.ids {
			if rid == id {
				r, _ := q.row(i)
				return q.cellText(&r, 2)
			}
		}
		t.Fatalf("request %s is not in the queue", id)
		return ""
	}
	if got := statusOf(closed); !strings.HasPrefix(got, "⚠ Not changed: ") {
		t.Fatalf("the refused row reads %q", got)
	}
	if !q.selected[closed] || len(q.selected) != 1 {
		t.Fatalf("ticked after the action: %v", q.selected)
	}
	for _, id := range open {
		if got := statusOf(id); strings.Contains(got, "⚠") {
			t.Fatalf("a changed row reads %q", got)
		}
	}

	// The server refuses the first assignment.
	pending, err := e.Store.PendingFor(e.Account.ID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var refusedCmd sync.Command
	assigns := 0
	for _, p := range pending {
		if p.Command.Kind == sync.KindApplyFunction && slices.Contains(open, p.Command.Entity) {
			assigns++
			if p.Command.Entity == open[0] {
				refusedCmd = p.Command
			}
		}
	}
	if assigns != len(open) {
		t.Fatalf("%d commands waiting for %d requests assigned", assigns, len(open))
	}
	answer := sync.Answer{Command: refusedCmd.ID, Outcome: sync.Rejected,
		Error: sync.EncodeError(domain.Errorf(ens.ErrNotInStatus, ens.Assign, ens.Withdrawn))}
	if err := e.Store.Acknowledge([]sync.Answer{answer}, 0); err != nil {
		t.Fatal(err)
	}
	queueReady(t, q, func() { fyne.DoAndWait(q.reload) })
	if got := statusOf(open[0]); !strings.HasPrefix(got, "⚠ Not changed: ") {
		t.Fatalf("the row the server refused reads %q", got)
	}
	// The cell is too narrow for the reason: the line above the table
	// says it in full, with the student's name.
	reason := e.Tr().Error(domain.Errorf(ens.ErrNotInStatus, ens.Assign, ens.Withdrawn))
	if !q.refusals.Visible() || !strings.Contains(q.refusals.Text, q.nameOf(open[0])+": "+reason) {
		t.Fatalf("the refusal in full: %v %q", q.refusals.Visible(), q.refusals.Text)
	}
	queueReady(t, q, func() { fyne.DoAndWait(func() { e.SetLang(translations.French) }); fyne.DoAndWait(q.reload) })
	if got := statusOf(open[0]); !strings.HasPrefix(got, "⚠ Non modifiée\u00a0: ") {
		t.Fatalf("in French, the row the server refused reads %q", got)
	}
	// Read on the sync screen: the row shows its status again.
	if err := e.Store.MarkSeen(e.Actor(), refusedCmd.ID); err != nil {
		t.Fatal(err)
	}
	queueReady(t, q, func() { fyne.DoAndWait(q.reload) })
	if got := statusOf(open[0]); strings.Contains(got, "⚠") {
		t.Fatalf("a refusal read still shows: %q", got)
	}
	if q.refusals.Visible() && strings.Contains(q.refusals.Text, q.nameOf(open[0])) {
		t.Fatalf("a refusal read is still said above the table: %q", q.refusals.Text)
	}
}

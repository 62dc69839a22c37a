package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/ens"
	"dossier/store/demo"
)

// labelsIn is the text of every label in o, one a line.
func labelsIn(o fyne.CanvasObject) string {
	switch o := o.(type) {
	case *widget.Label:
		return o.Text
	case *fyne.Container:
		var out []string
		for _, c := range o.Objects {
			if s := labelsIn(c); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, "\n")
	}
	return ""
}

// factsText is what the request screen's facts read, label after label.
func factsText(v *requestView) string {
	var out []string
	for _, o := range v.facts.Objects {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

// TestOfflineDeskShowsExpiresToday: a request whose 30 days have run out
// on a desk that has not heard from the program reads "Today" where it
// expires — on the request screen and in the queue, in English and French
// — and stays New: signing in no longer expires it, and nothing is queued
// in the program's name.
func TestOfflineDeskShowsExpiresToday(t *testing.T) {
	e, clock, _ := desk(t, 0)
	signInAs(t, e, "student2", demo.Password)
	v := e.view.(*studentView)
	v.kind.SetSelected(v.kind.Options[0])
	v.school.SetSelectedIndex(0)
	v.birth.SetText("2001-06-30")
	v.client.SetText("11223344")
	test.Tap(v.send)
	if len(v.requests) != 1 {
		t.Fatalf("raised: %+v %q", v.requests, v.form.general.Text)
	}
	id := v.requests[0].ID
	before, _ := e.Store.OutboxLen()

	clock.now = clock.now.Add(31 * 24 * time.Hour)
	signInAs(t, e, "student2", demo.Password)
	v = e.view.(*studentView)
	v.refresh()
	if line := labelsIn(v.list); len(v.requests) != 1 || v.requests[0].Status != ens.New || !strings.Contains(line, "— expires today") {
		t.Fatalf("the student's list: %s %q", v.requests[0].Status, line)
	}
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.Show(ScreenRequest(id))
	r := e.view.(*requestView)
	if r.r.Status != ens.New {
		t.Fatalf("the desk decided the request: %s", r.r.Status)
	}
	if facts := factsText(r); !strings.Contains(facts, "Expires\nToday") {
		t.Fatalf("facts:\n%s", facts)
	}
	if len(r.buttons) != 0 {
		t.Fatalf("functions offered on a lapsed request: %v", r.buttons)
	}
	q := openQueue(t, e)
	if got := q.cellText(&r.r, expiresColumn(t)); got != "Today" {
		t.Fatalf("queue's expiry cell: %q", got)
	}
	test.Tap(e.bar.lang)
	if got := q.cellText(&r.r, expiresColumn(t)); got != "Aujourd’hui" {
		t.Fatalf("queue's expiry cell in French: %q", got)
	}
	if after, _ := e.Store.OutboxLen(); after != before {
		t.Fatalf("the desk queued %d commands of its own", after-before)
	}
}

func expiresColumn(t *testing.T) int {
	t.Helper()
	for i, c := range queueColumns {
		if c.title == "queue.col.expires" {
			return i
		}
	}
	t.Fatal("no Expires column")
	return -1
}

package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/demo"
)

// TestRequestSaysTheComputerHasNoDesk: on a computer connected to a server
// that has not yet given it a desk number, the request screen says that
// it cannot issue an EVN; Verify refuses with the same words against the
// form, and what the DIR ticked and typed stays; in French too.
func TestRequestSaysTheComputerHasNoDesk(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "student1", demo.Password)
	v := e.view.(*studentView)
	v.school.SetSelectedIndex(0) // Collège Beaulieu
	v.birth.SetText("2003-02-14")
	v.client.SetText("8765 4321")
	test.Tap(v.send)
	// The profile connects to a server: its numbers are the server's now.
	if err := e.Store.ForgetDesks(); err != nil {
		t.Fatal(err)
	}

	signInAs(t, e, "dir.beaulieu", demo.Password)
	q := openQueue(t, e)
	queueReady(t, q, func() { q.search.SetText("8765-4321") })
	q.open(widget.TableCellID{Row: 0, Col: 3})
	r := e.view.(*requestView)
	want := e.Tr().Error(domain.Errorf(store.ErrNoDesk))
	if r.noDesk == nil || r.noDesk.Text != want || !strings.Contains(want, "EVN") {
		t.Fatalf("no notice that the computer cannot issue: %v", r.noDesk)
	}
	for i := range r.checks {
		r.checks[i].SetSelected(r.checks[i].Options[1]) // met
	}
	test.Type(r.notes, "Registrar confirmed full-time enrolment.")
	test.Tap(r.buttons[ens.Verify])
	if e.view != any(r) || !r.form.general.Visible() || r.form.general.Text != want {
		t.Fatalf("Verify without a desk number: %q", r.form.general.Text)
	}
	if r.notes.Text != "Registrar confirmed full-time enrolment." || radioIndex(r.checks[0]) != 1 {
		t.Fatalf("what the DIR typed is lost: %q, check %d", r.notes.Text, radioIndex(r.checks[0]))
	}
	if got, _ := e.Store.Request(e.Actor(), r.r.ID); got.Status != ens.New {
		t.Fatalf("the request changed: %s", got.Status)
	}
	test.Tap(e.bar.lang)
	if fr := e.Tr().Error(domain.Errorf(store.ErrNoDesk)); r.noDesk.Text != fr || !strings.Contains(fr, "NVA") {
		t.Fatalf("in French: %q", r.noDesk.Text)
	}
}

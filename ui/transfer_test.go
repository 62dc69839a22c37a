package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/domain/ens"
	"dossier/store/demo"
)

// TestTransferShowsWhatIsToBeConfirmed: on the accepting school's desk, a
// Transfer IN shows the school whose code starts the EVN and that the rest
// is to be confirmed by the program — before the Accept and after it, as
// long as the program has not answered — in English and in French.
func TestTransferShowsWhatIsToBeConfirmed(t *testing.T) {
	e, _, _ := desk(t, 0)
	signInAs(t, e, "student2", demo.Password)
	v := e.view.(*studentView)
	v.kind.SetSelected(v.kind.Options[2])
	v.school.SetSelectedIndex(0)
	v.from.SetSelectedIndex(1)
	evn, _ := ens.IssueEVN(2718, 1, 5)
	v.evn.SetText(string(evn))
	v.birth.SetText("2001-06-30")
	v.client.SetText("11223344")
	test.Tap(v.send)
	if len(v.requests) != 1 {
		t.Fatalf("raised: %q", v.form.general.Text)
	}
	id := v.requests[0].ID

	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.Show(ScreenRequest(id))
	r := e.view.(*requestView)
	want := "Transfer\nEVN checked on this desk; to be confirmed by the program"
	if facts := factsText(r); !strings.Contains(facts, "EVN issued by\nLakeview Polytechnic") || !strings.Contains(facts, want) {
		t.Fatalf("before the Accept:\n%s", facts)
	}
	test.Tap(r.buttons[ens.Accept])
	r = e.view.(*requestView)
	if r.r.Status != ens.Accepted || !strings.Contains(factsText(r), want) {
		t.Fatalf("accepted here, not yet by the program: %s\n%s", r.r.Status, factsText(r))
	}
	test.Tap(e.bar.lang)
	if facts := factsText(r); !strings.Contains(facts, "NVA attribué par\nLakeview Polytechnic") || !strings.Contains(facts, "à confirmer par le programme") {
		t.Fatalf("in French:\n%s", facts)
	}
}

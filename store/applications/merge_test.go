package applications

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dossier/domain"
	"dossier/domain/fields"
	"dossier/domain/oinp"
	"dossier/sync"
)

// mergeTwo merges two desks' edits made on the same version of app into
// it, first then second, as the server would take them, and returns the
// result and the conflicts as "field: kept > lost".
func mergeTwo(t *testing.T, app oinp.Application, first, second edit) (oinp.Application, []string) {
	t.Helper()
	form, err := oinp.FormOf(&app)
	if err != nil {
		t.Fatal(err)
	}
	st := formStamps{Fields: map[string]fieldStamp{}, Removed: map[string]json.RawMessage{}}
	var out []string
	for v, e := range []edit{first, second} {
		for _, c := range mergeEdits(form, &st, e) {
			out = append(out, fmt.Sprintf("%s: %s%v > %s%v", c.Field, c.Kept.Value, c.Kept.Deleted, c.Lost.Value, c.Lost.Deleted))
		}
		for f, x := range st.Fields {
			if x.Version == 0 {
				x.Version = uint64(v + 2)
				st.Fields[f] = x
			}
		}
	}
	next, err := app.WithForm(form)
	if err != nil {
		t.Fatal(err)
	}
	return next, out
}

// TestMergeEditsBothWays: two desks' edits of one version merge to the
// same file and the same conflicts whichever reaches the server first —
// different fields both kept, lines added on each both kept, the same
// field decided by sync.Wins, a line removed on one and corrected on the
// other kept.
func TestMergeEditsBothWays(t *testing.T) {
	line, other := domain.ID{1}, domain.ID{2}
	base := oinp.Application{Work: []oinp.Work{{ID: line, Employer: "Ferme"}}}
	at := time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)
	edits := func(from oinp.Application, change func(*oinp.Application)) []fields.Edit {
		next := from
		next.Work = append([]oinp.Work(nil), from.Work...)
		change(&next)
		es, err := oinp.EditsOf(&from, &next)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	a := edit{EditPayload: EditPayload{Seen: 1, Edits: edits(base, func(x *oinp.Application) {
		x.Contact.Phone, x.Contact.Address.City = "613-555-0101", "Sudbury"
		x.Work = append(x.Work[:0:0], oinp.Work{ID: other, Employer: "Serres"}) // removes line
	})}, HLC: sync.MakeHLC(at, 0), Device: domain.ID{0xa}}
	b := edit{EditPayload: EditPayload{Seen: 1, Edits: edits(base, func(x *oinp.Application) {
		x.Applicant.BirthPlace, x.Contact.Address.City = "Huế", "Timmins"
		x.Work[0].Title = "Picker"
		x.Work = append(x.Work, oinp.Work{ID: domain.ID{3}, Employer: "Verger"})
	})}, HLC: sync.MakeHLC(at.Add(time.Second), 0), Device: domain.ID{0xb}}
	ab, abConflicts := mergeTwo(t, base, a, b)
	ba, baConflicts := mergeTwo(t, base, b, a)
	if ab.Contact.Phone != "613-555-0101" || ab.Applicant.BirthPlace != "Huế" || ab.Contact.Address.City != "Timmins" {
		t.Errorf("a then b: %+v %+v", ab.Contact, ab.Applicant)
	}
	ids := map[domain.ID]oinp.Work{}
	for _, w := range ab.Work {
		ids[w.ID] = w
	}
	if len(ids) != 3 || ids[line].Title != "Picker" || ids[line].Employer != "Ferme" {
		t.Errorf("a then b: lines %+v", ab.Work)
	}
	sortWork := func(a *oinp.Application) {
		m := map[domain.ID]oinp.Work{}
		for _, w := range a.Work {
			m[w.ID] = w
		}
		a.Work = a.Work[:0]
		for _, id := range []domain.ID{line, other, {3}} {
			a.Work = append(a.Work, m[id])
		}
	}
	sortWork(&ab)
	sortWork(&ba)
	if d := cmp.Diff(ab, ba); d != "" {
		t.Errorf("the order of arrival changes the file (-a,b +b,a):\n%s", d)
	}
	want := map[string]bool{`contact.residence.city: "Timmins"false > "Sudbury"false`: true,
		"work[" + line.String() + "]: " + fields.Present + "false > true": true}
	for _, cs := range [][]string{abConflicts, baConflicts} {
		got := map[string]bool{}
		for _, c := range cs {
			got[c] = true
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("conflicts (-want +got):\n%s", d)
		}
	}
}

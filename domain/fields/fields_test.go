package fields_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"dossier/domain/fields"
)

type line struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	Year int    `json:"year,omitempty"`
}

type sheet struct {
	Title string   `json:"title,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	Inner struct {
		City string `json:"city,omitempty"`
	} `json:"inner"`
	Lines []line `json:"lines,omitempty"`
}

var sections = fields.Sections{"lines": fields.ByID}

func values(t *testing.T, s sheet) map[string]string {
	t.Helper()
	f, err := fields.Read(s, sections)
	if err != nil {
		t.Fatal(err)
	}
	return f.Values()
}

// apply applies the edits from base to next onto on, as a server merging
// a desk's change would.
func apply(t *testing.T, on sheet, edits []fields.Edit) sheet {
	t.Helper()
	f, err := fields.Read(on, sections)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		f.Apply(e, nil)
	}
	var out sheet
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDiffApplyRoundTrip(t *testing.T) {
	base := sheet{Title: "a", Tags: []string{"x"}, Lines: []line{{ID: "1", Name: "one"}, {ID: "2", Name: "two", Year: 2020}}}
	next := base
	next.Title, next.Tags, next.Inner.City = "", []string{"x", "y"}, "Sudbury"
	next.Lines = []line{{ID: "2", Name: "deux", Year: 2020}, {ID: "3", Name: "three"}}
	edits := fields.Diff(values(t, base), values(t, next))
	got := apply(t, base, edits)
	if d := cmp.Diff(next, got); d != "" {
		t.Errorf("base + diff ≠ next (-want +got):\n%s", d)
	}
	for _, e := range edits {
		if e.Path == "lines[1].name" {
			t.Errorf("a removed item's field is listed: %+v", e)
		}
	}
}

// Two desks that each add an item to the same base keep both, in the
// order they reach the server.
func TestItemsByIdentity(t *testing.T) {
	base := sheet{Lines: []line{{ID: "1", Name: "one"}}}
	a, b := base, base
	a.Lines = append([]line{{ID: "1", Name: "uno"}}, line{ID: "2", Name: "a's"})
	b.Lines = append([]line{}, line{ID: "3", Name: "b's"})
	got := apply(t, apply(t, base, fields.Diff(values(t, base), values(t, a))), fields.Diff(values(t, base), values(t, b)))
	want := sheet{Lines: []line{{ID: "2", Name: "a's"}, {ID: "3", Name: "b's"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// A field of an item the form no longer has is not applied.
	f, _ := fields.Read(base, sections)
	if f.Apply(fields.Edit{Path: "lines[9].name", Value: `"x"`}, nil) {
		t.Error("a field of a missing item applied")
	}
	if !f.Apply(fields.Edit{Path: "lines[9]", Value: fields.Present}, []byte(`{"id":"9","name":"back"}`)) {
		t.Error("an item brought back not applied")
	}
	var out sheet
	_ = f.Write(&out)
	if len(out.Lines) != 2 || out.Lines[1].Name != "back" {
		t.Errorf("item brought back: %+v", out.Lines)
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]string{`"Sudbury"`: "Sudbury", `40.5`: "40.5", `["a","b"]`: "a, b", "": "", fields.Present: ""} {
		if got := fields.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

package sync

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dossier/domain"
)

var (
	deskA = domain.ID{0x0a}
	deskB = domain.ID{0x0b}
	early = MakeHLC(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), 0)
	late  = MakeHLC(time.Date(2026, 11, 21, 10, 0, 1, 0, time.UTC), 0)
)

// TestWinsBothWays checks each pair in both directions, as syncthing's
// conflict test does: exactly one side wins, and it is the expected one.
func TestWinsBothWays(t *testing.T) {
	tests := []struct {
		name      string
		win, lose FieldVersion
	}{
		{"later clock", FieldVersion{Value: "b", HLC: late, Device: deskA}, FieldVersion{Value: "a", HLC: early, Device: deskB}},
		{"same clock, greater device", FieldVersion{Value: "a", HLC: early, Device: deskB}, FieldVersion{Value: "b", HLC: early, Device: deskA}},
		{"edit beats a later delete", FieldVersion{Value: "a", HLC: early, Device: deskA}, FieldVersion{Deleted: true, HLC: late, Device: deskB}},
		{"edit beats a delete on a greater device", FieldVersion{Value: "a", HLC: late, Device: deskA}, FieldVersion{Deleted: true, HLC: late, Device: deskB}},
		{"later delete beats earlier delete", FieldVersion{Deleted: true, HLC: late, Device: deskA}, FieldVersion{Deleted: true, HLC: early, Device: deskB}},
		{"logical counter orders one millisecond", FieldVersion{Value: "x", HLC: early + 1, Device: deskA}, FieldVersion{Value: "y", HLC: early, Device: deskB}},
		{"same device and time, content decides", FieldVersion{Value: "z", HLC: early, Device: deskA}, FieldVersion{Value: "y", HLC: early, Device: deskA}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !Wins(tt.win, tt.lose) {
				t.Errorf("Wins(win, lose) = false")
			}
			if Wins(tt.lose, tt.win) {
				t.Errorf("Wins(lose, win) = true")
			}
		})
	}
}

// TestMergeIsTheSameFromEitherSide merges two replicas both ways: the same
// draft results, with one visible conflict per field changed differently.
func TestMergeIsTheSameFromEitherSide(t *testing.T) {
	a := map[string]FieldVersion{
		"email":    {Value: "a@example.ca", HLC: late, Device: deskA},
		"phone":    {Value: "613-555-0100", HLC: early, Device: deskA},
		"city":     {Value: "Gatineau", HLC: early, Device: deskA},
		"middle":   {Deleted: true, HLC: late, Device: deskA},
		"same":     {Value: "Ottawa", HLC: early, Device: deskA},
		"onlyHere": {Value: "1", HLC: early, Device: deskA},
	}
	b := map[string]FieldVersion{
		"email":     {Value: "b@example.ca", HLC: early, Device: deskB},
		"phone":     {Value: "613-555-0199", HLC: early, Device: deskB},
		"middle":    {Value: "Marie", HLC: early, Device: deskB},
		"same":      {Value: "Ottawa", HLC: late, Device: deskB},
		"onlyThere": {Value: "2", HLC: late, Device: deskB},
	}
	ab, cab := MergeFields(a, b)
	ba, cba := MergeFields(b, a)
	if diff := cmp.Diff(ab, ba); diff != "" {
		t.Fatalf("merge depends on the side (-a,b +b,a):\n%s", diff)
	}
	want := map[string]string{"email": "a@example.ca", "phone": "613-555-0199", "city": "Gatineau",
		"middle": "Marie", "same": "Ottawa", "onlyHere": "1", "onlyThere": "2"}
	for f, v := range want {
		if ab[f].Value != v || ab[f].Deleted {
			t.Errorf("%s = %+v, want %q", f, ab[f], v)
		}
	}
	fields := func(cs []Conflict) string {
		s := ""
		for _, c := range cs {
			s += fmt.Sprintf("%s kept %q lost %q; ", c.Field, c.Kept.Value, c.Lost.Value)
		}
		return s
	}
	if fields(cab) != fields(cba) {
		t.Fatalf("conflicts differ by side:\n%s\n%s", fields(cab), fields(cba))
	}
	if got := fields(cab); got != `email kept "a@example.ca" lost "b@example.ca"; middle kept "Marie" lost ""; phone kept "613-555-0199" lost "613-555-0100"; ` {
		t.Fatalf("conflicts: %s", got)
	}
}

// FuzzMergeFields: of two different versions of a field exactly one wins,
// and winning is transitive; merging two replicas keeps the same
// versions whichever is local, with the same conflicts, each kept
// version the winner.
func FuzzMergeFields(f *testing.F) {
	f.Add("a", false, uint64(late), byte(0x0a), "b", false, uint64(early), byte(0x0b), "", true, uint64(late), byte(0x0b))
	f.Add("a", false, uint64(early), byte(0x0a), "a", false, uint64(early), byte(0x0a), "a", false, uint64(early), byte(0x0b))
	f.Add("z", true, uint64(early), byte(0x0a), "y", true, uint64(early), byte(0x0a), "", false, uint64(0), byte(0))
	f.Fuzz(func(t *testing.T, av string, ad bool, ah uint64, adev byte, bv string, bd bool, bh uint64, bdev byte,
		cv string, cd bool, ch uint64, cdev byte) {
		a := FieldVersion{Value: av, Deleted: ad, HLC: HLC(ah), Device: domain.ID{adev}}
		b := FieldVersion{Value: bv, Deleted: bd, HLC: HLC(bh), Device: domain.ID{bdev}}
		c := FieldVersion{Value: cv, Deleted: cd, HLC: HLC(ch), Device: domain.ID{cdev}}
		for _, p := range [][2]FieldVersion{{a, b}, {b, c}, {a, c}} {
			x, y := p[0], p[1]
			if x == y && (Wins(x, y) || Wins(y, x)) || x != y && Wins(x, y) == Wins(y, x) {
				t.Fatalf("%+v and %+v: %v %v", x, y, Wins(x, y), Wins(y, x))
			}
		}
		if Wins(a, b) && Wins(b, c) && !Wins(a, c) {
			t.Fatalf("%+v beats %+v beats %+v, which beats it", a, b, c)
		}
		local := map[string]FieldVersion{"f": a, "g": c, "h": b}
		remote := map[string]FieldVersion{"f": b, "g": a, "i": c}
		m1, c1 := MergeFields(local, remote)
		m2, c2 := MergeFields(remote, local)
		if len(m1) != 4 || len(m2) != 4 || len(c1) != len(c2) {
			t.Fatalf("merged %v with %v, then %v with %v", m1, c1, m2, c2)
		}
		for k, v := range m1 {
			if v != m2[k] {
				t.Fatalf("field %s merged as %+v and as %+v", k, v, m2[k])
			}
		}
		for i := range c1 {
			if c1[i].Field != c2[i].Field || c1[i].Kept != c2[i].Kept || c1[i].Lost != c2[i].Lost || !Wins(c1[i].Kept, c1[i].Lost) {
				t.Fatalf("conflicts %+v and %+v", c1, c2)
			}
		}
	})
}

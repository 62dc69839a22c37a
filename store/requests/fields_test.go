package requests

import (
	"math/rand/v2"
	"slices"
	"testing"

	"dossier/domain"
	"dossier/domain/ens"
)

// TestChangedFieldsAsTheFormShowsThem: ChangedFields names exactly the
// fields whose text (requestFields) differs, in fieldOrder, for requests
// that differ in any mix of notes, student number, assignee and checks.
func TestChangedFieldsAsTheFormShowsThem(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	request := func() ens.Request {
		var r ens.Request
		r.Notes = pick("", "a", "b")
		r.Student.StudentNumber = pick("", "123", "124")
		if rng.IntN(3) > 0 {
			r.Assignee = domain.ID{byte(rng.IntN(2) + 1)}
		}
		for _, c := range ens.Criteria {
			r.Checks[c] = ens.Check(rng.IntN(3))
		}
		return r
	}
	for range 2000 {
		a, b := request(), request()
		fa, fb := requestFields(&a), requestFields(&b)
		var want []string
		for _, f := range fieldOrder() {
			if fa[f] != fb[f] {
				want = append(want, f)
			}
		}
		if got := ChangedFields(&a, &b); !slices.Equal(got, want) {
			t.Fatalf("ChangedFields = %v, want %v", got, want)
		}
	}
}

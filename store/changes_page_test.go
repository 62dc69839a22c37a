package store

import (
	"slices"
	"strings"
	"testing"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// TestChangesPageClosesAtItsByteBound: a page of the feed stops at the
// change that brings its data to MaxChangesPageBytes, says there is more,
// and the next page goes on from there; a record larger than the bound
// alone still travels, on a page of its own. Every change is read once,
// in order, whatever the limit asked.
func TestChangesPageClosesAtItsByteBound(t *testing.T) {
	sv, err := OpenServer(t.TempDir(), ServerOptions{Store: Options{KDF: TestKDF, Secrets: account.TestSecretParams, NoSync: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	// Twenty records of 1 MiB, one of 9 MiB, then three small ones.
	sizes := make([]int, 0, 24)
	for range 20 {
		sizes = append(sizes, 1<<20)
	}
	sizes = append(sizes, 9<<20, 10, 10, 10)
	ids := make([]domain.ID, len(sizes))
	for i, n := range sizes {
		ids[i] = domain.ID{0xfe, byte(i)}
		err := sv.st.Update(func(tx *Tx) error {
			return sv.st.Feed(tx, sync.EntityInstitution, ids[i], 1, []Reader{Everyone()}, strings.Repeat("a", n))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var got []domain.ID
	var pages []int
	after := uint64(0)
	for {
		page, err := sv.Changes(officer, sv.Epoch(), after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		size := 0
		for i, c := range page.Changes {
			got = append(got, c.ID)
			if size += len(c.Data); size > MaxChangesPageBytes && i != len(page.Changes)-1 {
				t.Fatalf("the page went on past its bound at change %d", i)
			}
		}
		pages = append(pages, len(page.Changes))
		if page.Next <= after && page.More {
			t.Fatalf("the cursor did not move: %d → %d", after, page.Next)
		}
		after = page.Next
		if !page.More {
			break
		}
	}
	// 1 MiB and two quotes each: the eighth passes 8 MiB.
	if want := []int{8, 8, 5, 3}; !slices.Equal(pages, want) {
		t.Errorf("pages of %v, want %v", pages, want)
	}
	var mine []domain.ID
	for _, id := range got {
		if id[0] == 0xfe {
			mine = append(mine, id)
		}
	}
	if len(mine) != len(ids) {
		t.Fatalf("%d changes read, want %d", len(mine), len(ids))
	}
	for i := range ids {
		if mine[i] != ids[i] {
			t.Fatalf("change %d is %v, want %v", i, mine[i], ids[i])
		}
	}
}

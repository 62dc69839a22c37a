package requests

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/storetest"
)

// TestIndexesFollowEveryChange: after any change to a request (its names,
// numbers, birth date, status, school, student account, in any mix), the
// index buckets hold exactly the request's entries, as a request written
// afresh would have them. putRequest leaves the keys of unchanged fields
// alone without hashing them; this holds that to the whole list. On the
// server the desk's search indexes stay empty.
func TestIndexesFollowEveryChange(t *testing.T) {
	t.Run("desk", func(t *testing.T) {
		s, _ := mustCreate(t)
		indexesFollowEveryChange(t, s)
	})
	t.Run("server", func(t *testing.T) {
		sv := storetest.MustServer(t, storetest.NewClock(time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)))
		indexesFollowEveryChange(t, On(sv.Store()))
	})
}

func indexesFollowEveryChange(t *testing.T, s Store) {
	rng := rand.New(rand.NewPCG(11, 13))
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	schools := []domain.ID{{1}, {2}}
	received := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	cur := ens.Request{ID: domain.ID{9, 9}, Type: ens.EV, Status: ens.New, School: schools[0], Received: received}
	cur.Student.GivenNames, cur.Student.FamilyName = "Anne Marie", "Tremblay"
	indexes := [][]byte{store.IxStatus, store.IxEVN, store.IxClientID, store.IxStudentNo, store.IxBirth, store.IxName, store.IxStudent}
	for step := range 300 {
		next := cur
		switch rng.IntN(8) {
		case 0:
			next.Student.GivenNames = pick("Anne Marie", "Anne", "Marie-Ève", "")
		case 1:
			next.Student.FamilyName = pick("Tremblay", "Roy", "Tremblay Roy")
		case 2:
			next.Student.StudentNumber = pick("", "100", "200")
		case 3:
			next.EVN = ens.EVN(pick("", "EVN-1", "EVN-2"))
		case 4:
			next.Student.ClientID = domain.ClientID(pick("", "1234-5678", "8765-4321"))
		case 5:
			next.Student.BirthDate = domain.DateOf(time.Date(2000+rng.IntN(3), 1, 1, 0, 0, 0, 0, time.UTC))
		case 6:
			next.Status = []ens.Status{ens.New, ens.InProgress}[rng.IntN(2)]
			next.School = schools[rng.IntN(2)]
		default:
			next.StudentAccount = []domain.ID{{}, {7}}[rng.IntN(2)]
		}
		err := s.Update(func(tx *store.Tx) error {
			var old *ens.Request
			if step > 0 {
				old = &cur
			}
			if err := s.putRequest(tx, old, &next); err != nil {
				return err
			}
			tag, err := store.OrgTag(tx, next.School, false)
			if err != nil {
				return err
			}
			var want, got []string
			for _, e := range s.requestIndexes(tag, &next, nil) {
				want = append(want, fmt.Sprintf("%s/%x", e.bucket, e.key))
			}
			for _, ix := range indexes {
				c := tx.Bucket(ix).Cursor()
				for k, _ := c.First(); k != nil; k, _ = c.Next() {
					got = append(got, fmt.Sprintf("%s/%x", ix, k))
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			for _, w := range want {
				for _, ix := range store.DeskOnlyIndexes {
					if !s.Desk() && strings.HasPrefix(w, string(ix)+"/") {
						return fmt.Errorf("the server indexes %s", w)
					}
				}
			}
			if !slices.Equal(got, want) {
				return fmt.Errorf("the indexes hold\n%v\nwant\n%v", got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		cur = next
	}
}

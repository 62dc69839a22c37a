// Package requeststest builds verified requests for the tests of the
// programs built on the OCWPP's (compliance, printing).
package requeststest

import (
	"fmt"
	"testing"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/requests"
	"dossier/store/storetest"
)

// Verified has student n raise an EV at sc and sc's DIR verify it.
func Verified(tb testing.TB, s *store.Store, sc storetest.School, n int) ens.Request {
	tb.Helper()
	st := storetest.Elodie()
	st.FamilyName = "Côté-" + string(rune('a'+n%26)) + string(rune('a'+n/26%26))
	st.ClientID = domain.ClientID(fmt.Sprintf("%08d", 20000000+n))
	rs := requests.On(s)
	r, err := rs.RaiseRequest(storetest.Student(byte(n)), ens.Raise{Type: ens.EV, School: sc.Inst.ID, Student: st})
	if err != nil {
		tb.Fatal(err)
	}
	d := ens.Draft{Checks: storetest.AllMet()}
	if r, err = rs.Act(sc.DIR, r.ID, ens.Action{Function: ens.Verify, Draft: &d}, 0); err != nil {
		tb.Fatal(err)
	}
	return r
}

// IDs are the requests' IDs, in order.
func IDs(rs []ens.Request) []domain.ID {
	out := make([]domain.ID, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

package requests

import (
	"testing"

	"dossier/store/storetest"
)

// mustCreate makes a new profile for the test (storetest.MustCreate).
func mustCreate(tb testing.TB) (Store, *storetest.Clock) {
	s, clock := storetest.MustCreate(tb)
	return On(s), clock
}

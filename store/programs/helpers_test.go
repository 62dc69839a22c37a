package programs

import (
	"testing"

	"dossier/store/storetest"
)

// mustCreate makes a new profile for the test (storetest.MustCreate).
func mustCreate(tb testing.TB) (Desk, *storetest.Clock) {
	s, clock := storetest.MustCreate(tb)
	return DeskOf(s), clock
}

// mustServer opens a server file for the test (storetest.MustServer).
func mustServer(tb testing.TB, clock *storetest.Clock) Server {
	return ServerOf(storetest.MustServer(tb, clock))
}

package programs

import (
	"testing"

	"dossier/store/storetest"
)

// mustServer opens a server file for the test (storetest.MustServer).
func mustServer(tb testing.TB, clock *storetest.Clock) Server {
	return ServerOf(storetest.MustServer(tb, clock))
}

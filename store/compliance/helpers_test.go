package compliance

import (
	"testing"

	"dossier/store/storetest"
)

// mustServer opens a server file for the test (storetest.MustServer).
func mustServer(tb testing.TB, clock *storetest.Clock) Server {
	return Server{storetest.MustServer(tb, clock)}
}

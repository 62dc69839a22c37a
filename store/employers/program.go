// Package employers holds the Employer Portal's records: a business's
// enrolment and the program's decision on it, its branches and its users.
package employers

import (
	"dossier/store"
)

// Store is a profile, or the server's file, as this program reads and
// writes it: the engine's store with the program's records.
type Store struct{ *store.Store }

// On is s as this program's store.
func On(s *store.Store) Store { return Store{s} }

// of is the server's file as this program's store, for the server's steps.
func of(sv *store.Server) Store { return On(sv.Store()) }

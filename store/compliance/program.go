// Package compliance holds the annual compliance exercise: the 15 October
// list, the schools' reports and amendments, the coordinators' chases and
// the provinces' compilations.
package compliance

import (
	"dossier/store"
	"dossier/store/requests"
)

// Store is a profile, or the server's file, as this program reads and
// writes it: the engine's store with the program's records.
type Store struct{ requests.Store }

// On is s as this program's store.
func On(s *store.Store) Store { return Store{requests.On(s)} }

// of is the server's file as this program's store, for the server's steps.
func of(sv *store.Server) Store { return On(sv.Store()) }

// Server is dossierd's file as this program's server-side steps use it.
type Server struct{ *store.Server }

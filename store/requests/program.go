// Package requests holds the Off-Campus Work Permit Program's records on
// a profile or the server: students' requests, the queue and its indexes,
// the schools' EVN desks, and the merge of two desks' changes to one
// request.
package requests

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

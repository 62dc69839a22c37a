// Package notices holds the program's maintenance notices: an officer (or
// the server's operator) schedules a window in which dossierd will be
// away, and every desk, of every role, receives it by the change feed and
// announces it (domain/notice has the rules).
package notices

import (
	"dossier/store"
)

// Store is a profile, or the server's file, as this program reads and
// writes it.
type Store struct{ *store.Store }

// On is s as this program's store.
func On(s *store.Store) Store { return Store{s} }

// of is the server's file as this program's store, for the server's steps.
func of(sv *store.Server) Store { return On(sv.Store()) }

// Server is dossierd's file as this program's server-side steps use it.
type Server struct{ *store.Server }

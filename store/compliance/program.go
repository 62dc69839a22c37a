// Package compliance holds the annual compliance exercise: the 15 October list, the schools' reports and amendments, the coordinators' chases and the provinces' compilations.
package compliance

import (
	"dossier/sync"

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

// step adapts a desk's replay step on this program's store to the engine's.
func step(f func(Store, *store.Tx, *sync.Change) (bool, error)) func(*store.Store, *store.Tx, *sync.Change) (bool, error) {
	return func(s *store.Store, tx *store.Tx, c *sync.Change) (bool, error) { return f(On(s), tx, c) }
}

// replay adapts a desk's replay step that shares the page's buffer.
func replay(f func(Store, *store.Tx, *sync.Change, *[]byte) (bool, error)) store.ReplayFunc {
	return func(s *store.Store, tx *store.Tx, c *sync.Change, buf *[]byte) (bool, error) {
		return f(On(s), tx, c, buf)
	}
}

// undo adapts a desk's step that puts back what the server refused.
func undo(f func(Store, *store.Tx, sync.Command, *sync.Change) error) store.UndoFunc {
	return func(s *store.Store, tx *store.Tx, cmd sync.Command, current *sync.Change) error {
		return f(On(s), tx, cmd, current)
	}
}

// Server is dossierd's file as this program's server-side steps use it.
type Server struct{ *store.Server }

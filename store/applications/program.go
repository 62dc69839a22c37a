// Package applications holds the OINP Employer Job Offer: In-Demand
// Skills applications: the applicant's form, documents, submission and
// notices, representatives, the Employer Form, and the officers'
// processing and decisions.
package applications

import (
	"dossier/store"
	"dossier/store/employers"
)

// Store is a profile, or the server's file, as this program reads and
// writes it: the engine's store with the program's records.
type Store struct{ employers.Store }

// On is s as this program's store.
func On(s *store.Store) Store { return Store{employers.On(s)} }

// of is the server's file as this program's store, for the server's steps.
func of(sv *store.Server) Store { return On(sv.Store()) }

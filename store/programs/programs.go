// Package programs puts the engine and every program together: importing
// it registers each program's commands and records (store.Register), and
// its Desk and Server are what the screens, the sync service and the
// command-line tools call.
package programs

import (
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/compliance"
	"dossier/store/notices"
	"dossier/store/printing"
	"dossier/store/requests"
)

// The programs' stores, named for embedding: compliance's holds the
// OCWPP's requests, and the applications' the employers' businesses.
type (
	engine       = store.Store
	Compliance   = compliance.Store
	Applications = applications.Store
	Printing     = printing.Store
	NoticeBoard  = notices.Store

	engineServer       = store.Server
	RequestsServer     = requests.Server
	ComplianceServer   = compliance.Server
	PrintingServer     = printing.Server
	NoticesServer      = notices.Server
	ApplicationsServer = applications.Server
)

// Desk is a profile with every program's records.
type Desk struct {
	*engine
	Compliance
	Applications
	Printing
	NoticeBoard
}

// DeskOf is s with every program's records.
func DeskOf(s *store.Store) Desk {
	if s == nil {
		return Desk{}
	}
	return Desk{engine: s, Compliance: compliance.On(s), Applications: applications.On(s), Printing: printing.On(s),
		NoticeBoard: notices.On(s)}
}

// Engine is the profile's store itself, for what takes one.
func (d Desk) Engine() *store.Store { return d.engine }

// Create makes a new profile (store.Create) with every program's records.
func Create(path, password string, opt store.Options) (Desk, error) {
	s, err := store.Create(path, password, opt)
	return DeskOf(s), err
}

// Open opens a profile (store.Open) with every program's records.
func Open(path, password string, opt store.Options) (Desk, error) {
	s, err := store.Open(path, password, opt)
	return DeskOf(s), err
}

// Server is dossierd's file with every program's server-side steps.
type Server struct {
	*engineServer
	RequestsServer
	ComplianceServer
	PrintingServer
	ApplicationsServer
	NoticesServer
}

// ServerOf is sv with every program's server-side steps.
func ServerOf(sv *store.Server) Server {
	if sv == nil {
		return Server{}
	}
	return Server{engineServer: sv, RequestsServer: requests.Server{Server: sv}, ComplianceServer: compliance.Server{Server: sv},
		PrintingServer: printing.Server{Server: sv}, ApplicationsServer: applications.Server{Server: sv},
		NoticesServer: notices.Server{Server: sv}}
}

// Engine is the server's store itself, for what takes one.
func (sv Server) Engine() *store.Server { return sv.engineServer }

// Store is the server's file with every program's records, for the admin
// commands' reads.
func (sv Server) Store() Desk { return DeskOf(sv.engineServer.Store()) }

// OpenServerOn opens dossierd's file on a remote database
// (store.OpenServerOn).
func OpenServerOn(r store.Remote, dir string, opt store.ServerOptions) (Server, error) {
	sv, err := store.OpenServerOn(r, dir, opt)
	return ServerOf(sv), err
}

// OpenServer opens dossierd's file (store.OpenServer).
func OpenServer(dir string, opt store.ServerOptions) (Server, error) {
	sv, err := store.OpenServer(dir, opt)
	return ServerOf(sv), err
}

// Request reads one request for by, with the same access rules as a desk.
func (sv Server) Request(by account.Actor, id domain.ID) (ens.Request, error) {
	return requests.On(sv.engineServer.Store()).Request(by, id)
}

// CreateCoordinatorAccount makes a province's coordinator, as the system.
func (sv Server) CreateCoordinatorAccount(r account.Registration, province string) (store.Account, error) {
	return compliance.On(sv.engineServer.Store()).CreateCoordinatorAccount(r, province)
}

// OpenAs opens a profile by a person's own key slot (store.OpenAs) with
// every program's records.
func OpenAs(path, userID, password string, opt store.Options) (Desk, error) {
	s, err := store.OpenAs(path, userID, password, opt)
	return DeskOf(s), err
}

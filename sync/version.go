package sync

import "dossier/domain"

// The version handshake. A desk sends its version with every request
// (HeaderDeskVersion); the server answers every request with its own and
// the oldest desk version it serves (HeaderServerVersion,
// HeaderMinDesk), and refuses a desk older than that minimum with
// ErrDeskTooOld (HTTP 426), whose arguments are the desk's version and
// the minimum, for the person to read what to install. A request without
// the header (a monitoring probe, curl, a desk older than the handshake)
// is served. A desk newer than the server goes on working as long as the
// server is at least the desk's own minimum for servers: the wire only
// gains fields and kinds that an older end ignores, and a release that
// breaks it raises the minimum on the side that must follow.
const (
	HeaderDeskVersion   = "Dossier-Version"
	HeaderServerVersion = "Dossier-Server-Version"
	HeaderMinDesk       = "Dossier-Min-Desk-Version"
)

// ErrDeskTooOld refuses a desk older than the server serves; its
// arguments are the desk's version and the oldest the server takes.
var ErrDeskTooOld = domain.NewCode("sync.version.old", domain.KindConflict)

// Health is /healthz's answer: "ok", or "unavailable" with the reason (a
// code, nothing personal) and HTTP 503. Version is the server's, MinDesk
// the oldest desk version it serves.
type Health struct {
	Status  string      `json:"status"`
	Reason  domain.Code `json:"reason,omitempty"`
	Version string      `json:"version"`
	MinDesk string      `json:"minDesk"`
}

package sync

import (
	"encoding/json"

	"dossier/domain"
)

// Kind names what a command does; the server dispatches on it.
type Kind string

// The command kinds of the foundation.
const (
	KindRaiseRequest  Kind = "ens.raise" // payload: RaisePayload
	KindApplyFunction Kind = "ens.apply" // payload: ApplyPayload
	KindIssuePIN      Kind = "account.pin.issue"
	KindEnrol         Kind = "account.enrol"
	KindRevoke        Kind = "account.revoke"
)

// Command is one person's action as it waits in a desk's outbox and travels
// to the server. The server re-validates it with the same domain rules and
// answers once per ID: a command sent twice gets the stored answer.
type Command struct {
	// ID is unique across all desks and time; it is the idempotency key.
	ID   domain.ID `json:"id"`
	Kind Kind      `json:"kind"`
	// Entity is the record the command acts on.
	Entity domain.ID `json:"entity"`
	// BaseVersion is the version of the record the person saw when acting
	// (zero for a command that creates it).
	BaseVersion uint64 `json:"base"`
	HLC         HLC    `json:"hlc"`
	// Device is the desk that made the command.
	Device domain.ID `json:"device"`
	// Actor is the signed-in account that acted.
	Actor   domain.ID       `json:"actor"`
	Payload json.RawMessage `json:"payload"`
}

package store

// What the audit trail's actions are, so that a reader (an officer's
// audit history) can word each one. An action is one of:
//
//   - a command kind: a desk's action, journalled under its kind;
//   - "sync.<kind>": a command the server applied;
//   - "refused.sync.<kind>": a command the server refused;
//   - "refused.<what>": a request the server refused (RefusedWhat);
//   - "ens.<function>": a function applied to a request;
//   - one of OtherActions.

// OtherActions lists the actions that are none of the patterns above.
var OtherActions = []string{
	"account.coordinator", "account.program-officer", "account.sign-in", "account.sign-in.failed",
	"account.sign-in.password", "account.sign-in.question.failed", "account.credential", "account.recovery.code",
	"account.recovery.reset",
	"account.sign-in.paused", "account.sign-in.revoked", "account.delinked", "audit.read",
	"compliance.amend", "compliance.chase", "compliance.province", "compliance.submit",
	"desk.exhausted", "ens.bulk-load", "ens.expire", "ens.transferred", "institution.create", "oinp.document.read",
	"backup.taken", "print",
	"sync.rejected", "token.family.revoke",
}

// RefusedWhat lists what "refused.<what>" names: the server's endpoints
// and its limits.
var RefusedWhat = []string{"push", "changes", "request", "document", "audit", "refresh", "signin", "register"}

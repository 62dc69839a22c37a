package store

import (
	"maps"
	gosync "sync"

	"dossier/domain"
	"dossier/domain/account"
)

// refusalCounts counts the refusals to callers who are not signed in (a
// bad token, a registration in another's name), by action and code: they
// cost the server no durable write, so that a flood of them, from anyone
// and for free, neither fills the disk nor takes the writer from the
// pushes. The server logs the counts now and then (TakeRefusalCounts).
type refusalCounts struct {
	mu gosync.Mutex
	n  map[string]uint64
}

func (r *refusalCounts) add(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]uint64{}
	}
	r.n[key]++
}

// Refused records that by was refused something (an endpoint, a record,
// a command), with the code given: in the audit trail when by is signed
// in, in memory only when it is not (refusalCounts).
func (sv *Server) Refused(by account.Actor, action string, entity domain.ID, code domain.Code) error {
	if by.Account.IsZero() {
		sv.refusals.add(action + ":" + string(code))
		return nil
	}
	now := sv.st.Now()
	return sv.st.db.Update(func(tx *Tx) error {
		return sv.st.Journal(tx, now, Entry{By: by, Action: "refused." + action, Entity: entity, Detail: string(code)})
	})
}

// TakeRefusalCounts returns the refusals to callers who were not signed in
// since the last call, by "action:code", and starts counting again.
func (sv *Server) TakeRefusalCounts() map[string]uint64 {
	sv.refusals.mu.Lock()
	defer sv.refusals.mu.Unlock()
	out := maps.Clone(sv.refusals.n)
	clear(sv.refusals.n)
	return out
}

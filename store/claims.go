package store

import (
	"dossier/domain"
	"dossier/sync"
)

// IDs the client cannot aim. A desk chooses the ID of a record it creates
// (so that it can work offline), but the server holds one namespace of
// record IDs: IDsBucket says what each ID names, and a create whose ID
// already names anything — a school, a business, a branch, an account, a
// request, a PIN, a form — is refused. Without it an enrolment could name
// an existing business and overwrite it, a "branch" could absorb another
// business, and a request could take a school's place in the feed.

// ErrIDNotMinted refuses a record ID that no Dossier desk makes: every ID a
// desk mints is a version 7 UUID (domain.NewID); the server's derived IDs
// (provinces, compliance reports) and its reader keys are not, so a client
// cannot aim at them.
var ErrIDNotMinted = domain.NewCode("store.id.not-minted", domain.KindInvalid)

// BranchClaim is the claim kind of an employer's branch, which has no
// feed entry of its own (it travels inside its business).
const BranchClaim sync.EntityKind = "branch"

// claimedKind reports whether records of kind share the one namespace
// of IDs (RecordSpec.Claimed; a branch travels inside its business).
func claimedKind(kind sync.EntityKind) bool { return kind == BranchClaim || records[kind].Claimed }

// minted reports whether id is shaped as the IDs desks mint: a UUID of
// version 7 with the RFC 9562 variant.
func minted(id domain.ID) bool {
	return id[6]&0xf0 == 0x70 && id[8]&0xc0 == 0x80
}

// Claim makes id name a new record of kind on the server, refusing an ID
// that already names a record of any kind, that a desk could not have
// minted, or that the server derives for itself. On a desk it does nothing:
// a desk's own records are its own.
func (s *Store) Claim(tx *Tx, kind sync.EntityKind, id domain.ID) error {
	return s.side.claim(tx, kind, id)
}

// claim claims nothing on a desk.
func (deskSide) claim(*Tx, sync.EntityKind, domain.ID) error { return nil }

func (serverSide) claim(tx *Tx, kind sync.EntityKind, id domain.ID) error {
	if !minted(id) {
		return domain.FieldError(ErrIDNotMinted, "entity")
	}
	if reservedID(tx, id) || tx.Bucket(RequestsBucket).Get(id[:]) != nil {
		return domain.Errorf(ErrEntityExists)
	}
	ids := claims(tx)
	if ids.Get(id[:]) != nil {
		return domain.Errorf(ErrEntityExists)
	}
	if kind == sync.EntityRequest {
		return nil // the request itself is its claim (RequestsBucket)
	}
	return ids.Put(id[:], []byte(kind))
}

// claimFed is the feed's check that a record it files names no record of
// another kind, and its claim of the ID when no create has claimed it yet
// (records an operator makes with dossierd admin, records from before
// schema 7).
func (s *Store) claimFed(tx *Tx, kind sync.EntityKind, id domain.ID) error {
	if !claimedKind(kind) {
		return nil
	}
	ids := claims(tx)
	switch got := ids.Get(id[:]); {
	case got == nil && kind == sync.EntityRequest:
		// Requests, by far the most numerous records, are their own claim:
		// claim looks their ID up in RequestsBucket, so filing a request
		// (a school's 15 October list raises thousands) writes no claim.
		return nil
	case got == nil:
		return ids.Put(id[:], []byte(kind))
	case string(got) != string(kind):
		return domain.Errorf(ErrEntityExists)
	}
	return nil
}

// reservedID reports whether id is one the server derives for itself or
// names a record whose ID is derived: a province's coordinators, the
// everyone reader, a compliance report or a province's compilation.
func reservedID(tx *Tx, id domain.ID) bool {
	if id == publicReader {
		return true
	}
	if _, ok := ProvinceOf(id); ok {
		return true
	}
	return tx.Bucket(ComplianceBucket).Get(id[:]) != nil || tx.Bucket(ProvincialBucket).Get(id[:]) != nil
}

// claims is IDsBucket, filled as a bucket written at its end: record IDs
// are time-ordered (UUIDv7), so new claims land on its last page.
func claims(tx *Tx) *Bucket {
	ids := tx.Bucket(IDsBucket)
	ids.FillPercent = AppendFill
	return ids
}

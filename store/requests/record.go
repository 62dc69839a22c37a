package requests

import (
	"dossier/domain"
	"dossier/domain/ens"
)

// EncodeRecord appends r's stored form (before sealing) to b, and
// DecodeRecord reads it back: the SQLite reference in bench/sqlite stores
// the very same bytes, so that both sides of `make bench` decrypt and
// decode the same record.
func EncodeRecord(b []byte, r *ens.Request) []byte { return encodeRequest(b, r) }

// DecodeRecord is the inverse of EncodeRecord; id is the request's key.
func DecodeRecord(id domain.ID, b []byte) (ens.Request, error) { return decodeRequest(id, b) }

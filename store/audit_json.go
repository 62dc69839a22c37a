package store

import (
	"encoding/base64"
	"strconv"
	"time"

	"dossier/sync"
)

// appendJSON appends e as json.Marshal writes it, without reflection:
// every action writes one audit entry, on the path of the click, and the
// trail's links hash these very bytes, so TestAuditEntryJSONIsMarshals
// holds them to json.Marshal's.
func (e AuditEntry) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = sync.AppendJSONID(b, e.ID)
	b = append(b, `,"at":`...)
	b = appendJSONTime(b, e.At)
	b = append(b, `,"hlc":`...)
	b = strconv.AppendUint(b, uint64(e.HLC), 10)
	// A domain.ID is an array: omitempty never leaves one out.
	b = append(b, `,"actor":`...)
	b = sync.AppendJSONID(b, e.Actor)
	b = append(b, `,"role":`...)
	b = sync.AppendJSONString(b, e.Role.Code())
	b = append(b, `,"org":`...)
	b = sync.AppendJSONID(b, e.Org)
	b = append(b, `,"action":`...)
	b = sync.AppendJSONString(b, e.Action)
	b = append(b, `,"entity":`...)
	b = sync.AppendJSONID(b, e.Entity)
	b = append(b, `,"command":`...)
	b = sync.AppendJSONID(b, e.Command)
	if e.Detail != "" {
		b = append(b, `,"detail":`...)
		b = sync.AppendJSONString(b, e.Detail)
	}
	if !e.OfflineAt.IsZero() {
		b = append(b, `,"offlineAt":`...)
		b = appendJSONTime(b, e.OfflineAt)
	}
	if len(e.Prev) > 0 {
		b = append(b, `,"prev":"`...)
		b = base64.StdEncoding.AppendEncode(b, e.Prev)
		b = append(b, '"')
	}
	return append(b, '}')
}

// appendJSONTime is time.Time's MarshalJSON.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

package store

import (
	"encoding/json"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
)

// TestAuditEntryJSONIsMarshals: appendJSON writes json.Marshal's very
// bytes for entries with and without their optional parts, in any zone
// and to the nanosecond, with details JSON escapes.
func TestAuditEntryJSONIsMarshals(t *testing.T) {
	at := time.Date(2026, 11, 21, 9, 30, 15, 123456789, time.UTC)
	toronto := time.FixedZone("EST", -5*3600)
	entries := []AuditEntry{
		{},
		{ID: domain.ID{1}, At: at, HLC: 1 << 40, Actor: domain.ID{2}, Role: account.DIR, Org: domain.ID{3},
			Action: "request.verify", Entity: domain.ID{4}, Command: domain.ID{5}, Detail: "new→verified"},
		{ID: domain.ID{6}, At: at.In(toronto).Truncate(time.Second), Action: "backup.taken", OfflineAt: at.Add(-time.Hour),
			Prev: []byte{0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30}},
		{ID: domain.ID{7}, At: at, Role: account.Student, Action: `odd "action" <&>`, Detail: "a\nb\t\u2028 é"},
	}
	for i, e := range entries {
		want, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.appendJSON(nil); string(got) != string(want) {
			t.Errorf("entry %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

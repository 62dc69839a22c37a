package store

import (
	"bytes"
	"encoding/json"
	mrand "math/rand/v2"
	"testing"

	"dossier/domain"
	"dossier/sync"
)

// TestChangeJSONIsMarshals: the change feed's entries, built by hand, are
// byte for byte what encoding/json makes of a sync.Change, for every kind
// the feed knows and one it does not, any sequence, version and ID (the
// zero one too), and data that json.Marshal made of text with quotes,
// HTML, control and line-separator characters and non-ASCII letters.
func TestChangeJSONIsMarshals(t *testing.T) {
	kinds := []sync.EntityKind{sync.EntityRequest, sync.EntityInstitution, sync.EntityAccount, sync.EntityPIN,
		sync.EntityDesk, sync.EntityDeviceDesk, sync.EntityConflict, sync.EntityApplication, sync.EntityRepAccess,
		sync.EntityBusiness, sync.EntityEmployerForm, sync.EntityComplianceReport, sync.EntityComplianceChase,
		sync.EntityProvincialReport, "Odd<Kind>&\"é"}
	texts := []string{"", "Élodie Côté", `a "quoted" \\ back`, "<script>&amp;</script>", "line\u2028sep\u2029", "tab\tnew\nline\x01", "日本語"}
	r := mrand.New(mrand.NewPCG(7, 19))
	for i := 0; i < 2000; i++ {
		var id domain.ID
		if i%7 != 0 {
			for k := range id {
				id[k] = byte(r.Uint32())
			}
		}
		v := map[string]any{"name": texts[r.IntN(len(texts))], "n": r.IntN(1 << 20), "list": []string{texts[r.IntN(len(texts))]}, "nested": map[string]any{"ok": r.IntN(2) == 0}}
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		seq, version := r.Uint64(), uint64(r.IntN(1000))
		kind := kinds[r.IntN(len(kinds))]
		want, err := json.Marshal(sync.Change{Seq: seq, Kind: kind, ID: id, Version: version, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := changeJSON(seq, kind, id, version, data); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("changeJSON (%v):\n got %s\nwant %s", err, got, want)
		}
	}
}

// BenchmarkChangeJSON is a request's feed entry built by encoding/json
// (as before) and by changeJSON.
func BenchmarkChangeJSON(b *testing.B) {
	data, err := json.Marshal(map[string]any{"name": "Élodie Côté", "notes": string(bytes.Repeat([]byte("verified "), 150))})
	if err != nil {
		b.Fatal(err)
	}
	id := domain.ID{1, 2, 3}
	b.Run("marshal", func(b *testing.B) {
		for range b.N {
			if _, err := json.Marshal(sync.Change{Seq: 123456, Kind: sync.EntityRequest, ID: id, Version: 3, Data: data}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("by-hand", func(b *testing.B) {
		for range b.N {
			if _, err := changeJSON(123456, sync.EntityRequest, id, 3, data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
